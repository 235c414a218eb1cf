import { RequestType } from '../requests/request.entity.js';
import { catalogueGround } from './refusal-grounds.js';

type Path = Array<string | number>;
export interface ProcedureProblem { path: Path; message: string }

interface ProcedureShape {
  requestTypes?: Array<{ code?: string }> | null;
  channels?: Array<{ deskCode?: string | null }> | null;
  disclosureMethods?: Array<{ method?: string }> | null;
  methodFallbackOrder?: string[] | null;
  refusalGrounds?: Array<{ code?: string; statutoryGround?: string | null }> | null;
  fee?: { status?: string; amountJpy?: number | null } | null;
}
interface NoticeShape {
  revisions?: Array<{ effectiveDate?: string; version?: string | null }> | null;
  layout?: Array<{ kind?: string; text?: { ja?: string | null; en?: string | null } | null; codes?: string[] | null; labels?: Array<{ key?: string }> | null }> | null;
}

const TEXT_BLOCKS = new Set(['HEADING', 'PARAGRAPH', 'BULLET']);

const REQUEST_TYPES = new Set<string>(Object.values(RequestType));

/**
 * What the input types cannot say on their own about an organization's procedure and notice:
 * codes that must be unique or must exist, and states that must agree. Shared by the GraphQL
 * write rule and the manifest importer so both refuse the same documents.
 */
export function procedureProblems(org: {
  requestProcedure?: ProcedureShape | null; notice?: NoticeShape | null; contactDesks?: Array<{ code?: string }> | null; statements?: Array<{ code?: string }> | null;
  complaintContact?: { channels?: Array<{ deskCode?: string | null }> | null } | null; privacyManager?: { deskCode?: string | null } | null;
}): ProcedureProblem[] {
  const problems: ProcedureProblem[] = [];
  const desks = new Set<string>();
  (org.contactDesks ?? []).forEach((d, i) => {
    if (desks.has(String(d.code))) problems.push({ path: ['contactDesks', i, 'code'], message: `"${d.code}" is used by another desk` });
    desks.add(String(d.code));
  });
  const desk = (code: string | null | undefined, path: Path) => {
    if (code != null && org.contactDesks != null && !desks.has(code)) problems.push({ path, message: `no contact desk "${code}" (desks: ${[...desks].join(', ') || 'none'})` });
  };
  (org.requestProcedure?.channels ?? []).forEach((c, i) => desk(c.deskCode, ['requestProcedure', 'channels', i, 'deskCode']));
  (org.complaintContact?.channels ?? []).forEach((c, i) => desk(c.deskCode, ['complaintContact', 'channels', i, 'deskCode']));
  desk(org.privacyManager?.deskCode, ['privacyManager', 'deskCode']);
  const proc = org.requestProcedure;
  if (proc) {
    (proc.requestTypes ?? []).forEach((t, i) => {
      if (!REQUEST_TYPES.has(String(t.code))) problems.push({ path: ['requestProcedure', 'requestTypes', i, 'code'], message: `not a request type (one of ${[...REQUEST_TYPES].join(', ')})` });
    });
    const codes = new Set<string>();
    (proc.refusalGrounds ?? []).forEach((g, i) => {
      if (codes.has(String(g.code))) problems.push({ path: ['requestProcedure', 'refusalGrounds', i, 'code'], message: `"${g.code}" is used by another ground` });
      codes.add(String(g.code));
      if (g.statutoryGround != null && !catalogueGround(g.statutoryGround)) {
        problems.push({ path: ['requestProcedure', 'refusalGrounds', i, 'statutoryGround'], message: `no ground "${g.statutoryGround}" in refusalGroundCatalogue` });
      }
    });
    const offered = new Set((proc.disclosureMethods ?? []).map((m) => m.method));
    const seen = new Set<string>();
    (proc.methodFallbackOrder ?? []).forEach((m, i) => {
      if (!offered.has(m)) problems.push({ path: ['requestProcedure', 'methodFallbackOrder', i], message: `${m} is not one of the disclosure methods` });
      else if (seen.has(m)) problems.push({ path: ['requestProcedure', 'methodFallbackOrder', i], message: `${m} is listed twice` });
      seen.add(m);
    });
    const fee = proc.fee;
    if (fee?.status === 'CHARGED' && fee.amountJpy == null) problems.push({ path: ['requestProcedure', 'fee', 'amountJpy'], message: 'a CHARGED fee states its amount; a fee the notice gives no amount for is CHARGED_AMOUNT_NOT_STATED' });
    if (fee && fee.status !== 'CHARGED' && fee.amountJpy != null) problems.push({ path: ['requestProcedure', 'fee', 'amountJpy'], message: `an amount belongs to a CHARGED fee, not ${fee.status}` });
  }
  const versions = new Set<string>();
  let last = '';
  (org.notice?.revisions ?? []).forEach((r, i) => {
    if (r.version != null) {
      if (versions.has(r.version)) problems.push({ path: ['notice', 'revisions', i, 'version'], message: `version "${r.version}" is given twice` });
      versions.add(r.version);
    }
    if (r.effectiveDate && r.effectiveDate < last) problems.push({ path: ['notice', 'revisions', i, 'effectiveDate'], message: 'revisions are listed oldest first' });
    if (r.effectiveDate) last = r.effectiveDate;
  });
  // A layout names the organization's own records; what it names must exist, or the notice would silently lose it.
  const named: Record<string, Array<{ code?: string }> | null | undefined> = {
    STATEMENTS: org.statements, REFUSAL_GROUNDS: proc?.refusalGrounds as Array<{ code?: string }> | undefined, CONTACT_DESKS: org.contactDesks,
  };
  (org.notice?.layout ?? []).forEach((b, i) => {
    const at: Path = ['notice', 'layout', i];
    if (TEXT_BLOCKS.has(String(b.kind)) && !(b.text?.ja?.trim() || b.text?.en?.trim())) problems.push({ path: [...at, 'text'], message: `a ${b.kind} block needs its text` });
    const pool = named[String(b.kind)];
    if (pool) {
      const codes = new Set(pool.map((x) => String(x.code)));
      (b.codes ?? []).forEach((c, j) => {
        if (!codes.has(c)) problems.push({ path: [...at, 'codes', j], message: `no ${String(b.kind).toLowerCase().replace(/_/g, ' ')} entry "${c}"` });
      });
    }
    const keys = new Set<string>();
    (b.labels ?? []).forEach((l, j) => {
      if (keys.has(String(l.key))) problems.push({ path: [...at, 'labels', j, 'key'], message: `label "${l.key}" is given twice` });
      keys.add(String(l.key));
    });
  });
  return problems;
}
