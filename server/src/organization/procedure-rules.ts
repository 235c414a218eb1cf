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
interface NoticeShape { revisions?: Array<{ effectiveDate?: string; version?: string | null }> | null }

const REQUEST_TYPES = new Set<string>(Object.values(RequestType));

/**
 * What the input types cannot say on their own about an organization's procedure and notice:
 * codes that must be unique or must exist, and states that must agree. Shared by the GraphQL
 * write rule and the manifest importer so both refuse the same documents.
 */
export function procedureProblems(org: {
  requestProcedure?: ProcedureShape | null; notice?: NoticeShape | null; contactDesks?: Array<{ code?: string }> | null;
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
  return problems;
}
