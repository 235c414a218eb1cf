import type pg from 'pg';
import type { Context } from '../graphql/context.js';
import { badInput, idOrNull, notFound, parseId, type Problem } from '../graphql/errors.js';
import { Framework, type IdentityType } from '../graphql/enums.js';
import { normalizeIdentifier, subjectHash } from '../subjects/subject-key.js';
import { APPI_TYPES, GDPR_TYPES, RequesterKind, RequestStatus, type RequestType } from './request.entity.js';
import type { CreateDataSubjectRequestInput, ExtendDataSubjectRequestInput, SetRequestActionStatusInput, SettleDatasetHoldingInput, SettleHoldingsInput, TransitionDataSubjectRequestInput } from './request.types.js';
import { resolveRequest, unsettledActivities, unsettledDatasets, withActionStates, type ActionState, type ResolveOptions } from './resolution.service.js';
import { ActionStatus, DatasetHolding, DatasetMatch, type HoldingConfirmation, type Resolution } from './resolution.types.js';
import { inTransaction } from '../db/transaction.js';
import { appendAuditEvents } from '../audit/audit-log.js';
import { AuditOutcome } from '../audit/audit-event.entity.js';
import type { ReadModel, Row } from '../graphql/loaders.js';
import { hasText, type Localized } from '../graphql/localized-text.js';
import type { RequestProcedure } from '../organization/organization.types.js';

/** The legal moves of the status machine; anything else is BAD_USER_INPUT. */
const TRANSITIONS: Record<RequestStatus, RequestStatus[]> = {
  RECEIVED: [RequestStatus.VERIFYING, RequestStatus.REFUSED, RequestStatus.WITHDRAWN],
  VERIFYING: [RequestStatus.IN_PROGRESS, RequestStatus.REFUSED, RequestStatus.WITHDRAWN],
  IN_PROGRESS: [RequestStatus.COMPLETED, RequestStatus.REFUSED, RequestStatus.WITHDRAWN],
  COMPLETED: [],
  REFUSED: [],
  WITHDRAWN: [],
};
export const CLOSED = [RequestStatus.COMPLETED, RequestStatus.REFUSED, RequestStatus.WITHDRAWN];

/** What the audit trail keeps of a request: never the contact or the identities. */
const AUDITED = `json_build_object('reference', "reference", 'framework', "framework", 'type', "type", 'status', "status", 'dueAt', "due_at",
  'refusalGround', "refusal_ground", 'verificationMethod', "verification_method", 'extensionReason', "extension_reason")`;

async function audit(c: pg.PoolClient, ctx: Context, operation: string, id: number, before: unknown, after: unknown): Promise<void> {
  await appendAuditEvents(c, ctx.principal, ctx.requestId, [{ operation, outcome: AuditOutcome.SUCCESS, entityType: 'DataSubjectRequest', entityId: id, before, after }]);
}

async function event(c: pg.PoolClient, ctx: Context, id: number, kind: string, from: string | null, to: string | null, note: string | null): Promise<void> {
  await c.query(`insert into "request_event" ("request_id", "actor", "kind", "from_status", "to_status", "note") values ($1, $2, $3, $4, $5, $6)`, [id, ctx.principal.sub, kind, from, to, note]);
}

/** The procedure of the organization (the first one, as everywhere a request reads it). */
export async function organizationProcedure(c: pg.PoolClient | pg.Pool): Promise<RequestProcedure | null> {
  const { rows } = await c.query('select "request_procedure" as p from "organization" where "archived_at" is null order by "id" limit 1');
  return (rows[0]?.p as RequestProcedure | null) ?? null;
}

/** The notice's wording when the organization declines this request type by policy. */
export function declinedByPolicy(proc: RequestProcedure | null, type: string): Localized | null {
  const wording = proc?.requestTypes?.find((t) => t.code === type)?.declinedByPolicy;
  return hasText(wording) ? (wording as Localized) : null;
}

export async function createRequest(ctx: Context, input: CreateDataSubjectRequestInput): Promise<Row> {
  const { pool, subjectKey } = ctx.db;
  const problems: Problem[] = [];
  const allowed = input.framework === Framework.APPI ? APPI_TYPES : GDPR_TYPES;
  // A right the organization's notice grants beyond the law (e.g. objection under APPI) is a
  // request of that framework too.
  if (!allowed.has(input.type) && !(await organizationProcedure(pool))?.requestTypes?.some((t) => t.code === input.type && t.beyondLaw)) {
    problems.push({ path: 'input.type', message: `${input.type} is not a ${input.framework} request type, nor one the organization grants beyond the law` });
  }
  if (!input.identities.length) problems.push({ path: 'input.identities', message: 'at least one identity is needed to find the person' });
  const identities: Array<{ type: IdentityType; hash: Buffer }> = [];
  input.identities.forEach((i, n) => {
    const v = normalizeIdentifier(i.type, i.value);
    if (v === null) problems.push({ path: `input.identities[${n}].value`, message: `not a valid ${i.type.toLowerCase()} identifier` });
    else identities.push({ type: i.type, hash: subjectHash(subjectKey, i.type, v) });
  });
  if (input.requester.kind === RequesterKind.AGENT && !input.requester.agentName?.trim()) problems.push({ path: 'input.requester.agentName', message: "an agent's name is required" });
  const codes = [...new Set(input.subjectCategoryCodes ?? [])];
  if (codes.length) {
    const { rows } = await pool.query('select "code" from "subject_category" where "code" = any($1) and "archived_at" is null', [codes]);
    const known = new Set(rows.map((r: { code: string }) => r.code));
    (input.subjectCategoryCodes ?? []).forEach((c, n) => known.has(c) || problems.push({ path: `input.subjectCategoryCodes[${n}]`, message: `no subject category with code "${c}"` }));
  }
  // Checked here, before anything is written: a date the reference or the deadline cannot be
  // computed from must not fail the answer after the request has been committed.
  if (input.receivedAt && (input.receivedAt.getTime() > Date.now() + 86_400_000 || input.receivedAt.getUTCFullYear() < 1900)) {
    problems.push({ path: 'input.receivedAt', message: 'must be a past date (not before 1900, not in the future)' });
  }
  if (problems.length) throw badInput(problems);
  const received = input.receivedAt ?? new Date();
  return inTransaction(ctx.db.writePool, async (c) => {
    // GDPR Art. 12(3): one month. APPI "without delay": the organization's own target (policy, not law).
    const due = input.framework === Framework.GDPR
      ? `($1::timestamptz at time zone 'Asia/Tokyo' + interval '1 month')::date`
      : `($1::timestamptz at time zone 'Asia/Tokyo' + make_interval(days => coalesce((select "appi_response_target_days" from "organization" where "archived_at" is null order by "id" limit 1), 14)))::date`;
    const { rows } = await c.query(
      `insert into "data_subject_request" ("reference", "framework", "type", "status", "channel", "requester_kind", "agent_name", "response_method", "contact",
         "claimed_subject_category_codes", "identity_types", "received_at", "due_at", "version")
       values ('DSR-' || to_char($1::timestamptz at time zone 'Asia/Tokyo', 'YYYY') || '-' || lpad(nextval('dsr_reference_seq')::text, 6, '0'),
         $2, $3, 'RECEIVED', $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $1, ${due}, 1)
       returning "id", ${AUDITED} as audited`,
      [received, input.framework, input.type, input.channel, input.requester.kind, input.requester.agentName ?? null, input.responseMethod, input.contact ?? null,
        JSON.stringify(codes), JSON.stringify([...new Set(identities.map((i) => i.type))])],
    );
    const id = Number(rows[0].id);
    await c.query('insert into "request_identity" ("request_id", "identity_type", "hash") select $1, t, h from unnest($2::text[], $3::bytea[]) as u(t, h) on conflict do nothing',
      [id, identities.map((i) => i.type), identities.map((i) => i.hash)]);
    await event(c, ctx, id, 'CREATED', null, RequestStatus.RECEIVED, null);
    await audit(c, ctx, 'createDataSubjectRequest', id, null, rows[0].audited);
    // Read back inside the transaction: once committed, nothing may fail the answer (a retry
    // would record the request twice).
    const m = ctx.loaders.model;
    const { rows: created } = await c.query(`select ${m.select('DataSubjectRequest')} from ${m.table('DataSubjectRequest')} t where t."id" = $1`, [id]);
    return created[0] as Row;
  });
}

export async function transitionRequest(ctx: Context, model: ReadModel, input: TransitionDataSubjectRequestInput): Promise<number> {
  const id = parseId(input.id, 'DataSubjectRequest');
  return inTransaction(ctx.db.writePool, async (c) => {
    const { rows } = await c.query(`select "id", "status", "type", "claimed_subject_category_codes" as codes, ${AUDITED} as audited from "data_subject_request" where "id" = $1 for update`, [id]);
    if (!rows[0]) throw notFound('DataSubjectRequest', input.id);
    const from = rows[0].status as RequestStatus;
    const problems: Problem[] = [];
    if (!TRANSITIONS[from].includes(input.to)) problems.push({ path: 'input.to', message: `cannot go from ${from} to ${input.to} (allowed: ${TRANSITIONS[from].join(', ') || 'none, the request is closed'})` });
    let reason = input.note ?? null;
    if (input.to === RequestStatus.REFUSED) {
      const proc = await organizationProcedure(c);
      const declined = declinedByPolicy(proc, rows[0].type);
      const grounds = proc?.refusalGrounds ?? [];
      const listed = `the organization's grounds: ${grounds.map((g) => g.code).join(', ') || 'none recorded'}`;
      const ground = grounds.find((g) => g.code === input.refusalGround);
      // A type the organization declines by policy is answered with the notice's wording, not
      // forced onto a ground that does not fit it.
      if (!input.refusalGround && !declined) problems.push({ path: 'input.refusalGround', message: `a refusal needs one of ${listed}` });
      else if (input.refusalGround && !ground) problems.push({ path: 'input.refusalGround', message: `"${input.refusalGround}" is not one of ${listed}` });
      else if (ground?.appliesTo?.length && !ground.appliesTo.includes(rows[0].type)) {
        problems.push({ path: 'input.refusalGround', message: `"${ground.code}" applies to ${ground.appliesTo.join(', ')}, not to ${rows[0].type} requests` });
      }
      if (!input.note?.trim() && !declined) problems.push({ path: 'input.note', message: 'a refusal needs a reason' });
      if (!input.note?.trim() && declined) reason = declined.ja ?? declined.en ?? null;
    }
    if (input.to !== RequestStatus.REFUSED && input.refusalGround) problems.push({ path: 'input.refusalGround', message: 'only a refusal has a ground' });
    if (from === RequestStatus.VERIFYING && input.to === RequestStatus.IN_PROGRESS && !input.verificationMethod?.trim()) {
      problems.push({ path: 'input.verificationMethod', message: 'record how the identity was verified' });
    }
    if (problems.length) throw badInput(problems);
    let frozen: string | null = null;
    if (input.to === RequestStatus.COMPLETED || input.to === RequestStatus.REFUSED) {
      // Inside the transaction's own connection: taking more from the pool while holding one can starve it.
      const resolution = await liveResolution(c, model, { id, type: rows[0].type, codes: rows[0].codes });
      const list = (xs: string[]) => `${xs.slice(0, 10).join(', ')}${xs.length > 10 ? ', …' : ''}`;
      const open = resolution.actions.filter((a) => a.status === ActionStatus.OPEN);
      // From the datasets, not the actions: a type with no dataset action (stopping provision) still
      // answers "no data held", and an action marked done before settling was required still blocks.
      const unsettled = resolution.settlementRequired ? [...(await datasetLabels(c, unsettledDatasets(resolution.datasets).map((d) => Number((d.dataset as Row).id)))).values()] : [];
      // Activities no dataset serves were looked at by hand, or the reply would answer for them unseen.
      const unchecked = resolution.settlementRequired ? unsettledActivities(resolution).map((a) => String((a.activity as Row).code)) : [];
      // A category no activity processes: the inventory has nothing to answer with, and an empty
      // resolution would read as "no data held". Its activities are recorded first.
      const uncovered = resolution.settlementRequired ? resolution.uncoveredSubjectCategoryCodes : [];
      if (input.to === RequestStatus.COMPLETED && (open.length || unsettled.length || unchecked.length || uncovered.length)) {
        throw badInput([{ path: 'input.to', message: [
          unsettled.length ? `${unsettled.length} dataset(s) may hold the person and are not settled; settle each (settleDatasetHolding, HELD or NOT_HELD): ${list(unsettled)}` : '',
          uncovered.length ? (uncovered.includes('*') ? 'the inventory records no processing activity: record the activities (and their datasets) that hold personal data, then settle what was found' : `no processing activity of the inventory processes the claimed subject categor${uncovered.length === 1 ? 'y' : 'ies'} ${uncovered.join(', ')}: record the activities that do (and their datasets), then settle what was found`) : '',
          unchecked.length ? `no dataset of the inventory serves ${unchecked.length} activit${unchecked.length === 1 ? 'y' : 'ies'} and nobody has recorded whether the person's data is there; settle each (settleHoldings, activityIds): ${list(unchecked)}` : '',
          open.length ? `${open.length} action(s) of the work list are still open; mark each done or waive it with a reason: ${list(open.map((a) => a.key))}` : '',
        ].filter(Boolean).join('; and ') }]);
      }
      frozen = JSON.stringify({ ...resolution, frozen: true });
    }
    const verified = from === RequestStatus.VERIFYING && input.to === RequestStatus.IN_PROGRESS;
    const { rows: after } = await c.query(
      `update "data_subject_request" set "status" = $2, "version" = "version" + 1, "updated_at" = now(),
         "refusal_ground" = coalesce($3, "refusal_ground"), "refusal_reason" = case when $2 = 'REFUSED' then $4 else "refusal_reason" end,
         "verification_method" = case when $5 then $6 else "verification_method" end,
         "verified_by" = case when $5 then $7 else "verified_by" end, "verified_at" = case when $5 then now() else "verified_at" end,
         "closed_at" = case when $2 = any($8::text[]) then now() else "closed_at" end,
         "frozen_resolution" = coalesce($9::jsonb, "frozen_resolution")
       where "id" = $1 returning ${AUDITED} as audited`,
      [id, input.to, input.refusalGround ?? null, reason, verified, input.verificationMethod ?? null, ctx.principal.sub, CLOSED, frozen],
    );
    await event(c, ctx, id, verified ? 'VERIFIED' : 'TRANSITION', from, input.to, input.note ?? null);
    await audit(c, ctx, 'transitionDataSubjectRequest', id, rows[0].audited, after[0].audited);
    return id;
  });
}

export async function extendRequest(ctx: Context, input: ExtendDataSubjectRequestInput): Promise<number> {
  const id = parseId(input.id, 'DataSubjectRequest');
  return inTransaction(ctx.db.writePool, async (c) => {
    const { rows } = await c.query(
      `select "framework", "status", "extension_reason", "due_at" < (now() at time zone 'Asia/Tokyo')::date as overdue, ${AUDITED} as audited from "data_subject_request" where "id" = $1 for update`,
      [id],
    );
    if (!rows[0]) throw notFound('DataSubjectRequest', input.id);
    const problems: Problem[] = [];
    if (rows[0].framework !== Framework.GDPR) problems.push({ path: 'input.id', message: 'only a GDPR request has an extendable deadline' });
    if (rows[0].extension_reason) problems.push({ path: 'input.id', message: 'the deadline was extended already (once only)' });
    if (CLOSED.includes(rows[0].status)) problems.push({ path: 'input.id', message: 'the request is closed' });
    if (rows[0].overdue) problems.push({ path: 'input.id', message: 'the deadline has passed; an extension must be decided before it' });
    if (!Number.isInteger(input.months) || input.months < 1 || input.months > 2) problems.push({ path: 'input.months', message: 'one or two months' });
    if (!input.reason?.trim()) problems.push({ path: 'input.reason', message: 'an extension needs a reason' });
    if (problems.length) throw badInput(problems);
    const { rows: after } = await c.query(
      `update "data_subject_request" set "due_at" = ("received_at" at time zone 'Asia/Tokyo' + make_interval(months => 1 + $2))::date, "extension_reason" = $3,
         "version" = "version" + 1, "updated_at" = now() where "id" = $1 returning ${AUDITED} as audited`,
      [id, input.months, input.reason],
    );
    await event(c, ctx, id, 'EXTENDED', null, null, input.reason);
    await audit(c, ctx, 'extendDataSubjectRequest', id, rows[0].audited, after[0].audited);
    return id;
  });
}

/**
 * The reply contact is erased `days` after a request closes (a job runs this periodically).
 * Returns how many contacts were erased.
 */
export async function eraseClosedContacts(pool: pg.Pool, days: number): Promise<number> {
  const r = await pool.query(
    `update "data_subject_request" set "contact" = null, "contact_erased_at" = now()
     where "contact" is not null and "closed_at" is not null and "closed_at" <= now() - make_interval(days => $1)`,
    [days],
  );
  return r.rowCount ?? 0;
}


export interface RequestWork {
  identities: Array<{ identityType: string; hash: Buffer }>;
  confirmations: Map<number, HoldingConfirmation>;
  activityConfirmations: Map<number, HoldingConfirmation>;
  states: ActionState[];
}

/** What a resolution needs of the request besides its row, in one statement: identities, findings on POSSIBLE datasets, action states. */
export async function loadRequestWork(db: pg.Pool | pg.PoolClient, id: number): Promise<RequestWork> {
  const { rows } = await db.query(
    `select array(select "identity_type" from "request_identity" where "request_id" = $1 order by "identity_type", "hash") as types,
       array(select "hash" from "request_identity" where "request_id" = $1 order by "identity_type", "hash") as hashes,
       (select coalesce(json_agg(json_build_object('dataset', c."dataset_id", 'holding', c."holding", 'note', c."note", 'confirmedBy', c."confirmed_by", 'confirmedAt', c."confirmed_at")), '[]')
         from "request_dataset_confirmation" c where c."request_id" = $1) as confirmations,
       (select coalesce(json_agg(json_build_object('activity', c."activity_id", 'holding', c."holding", 'note', c."note", 'confirmedBy', c."confirmed_by", 'confirmedAt', c."confirmed_at")), '[]')
         from "request_activity_confirmation" c where c."request_id" = $1) as activities,
       (select coalesce(json_agg(json_build_object('actionKey', s."action_key", 'status', s."status", 'note', s."note", 'refusalGround', s."refusal_ground", 'decidedBy', s."decided_by", 'decidedAt', s."decided_at")), '[]')
         from "request_action_state" s where s."request_id" = $1) as states`,
    [id],
  );
  const r = rows[0] as { types: string[]; hashes: Buffer[]; confirmations: Array<HoldingConfirmation & { dataset: number; confirmedAt: string }>; activities: Array<HoldingConfirmation & { activity: number; confirmedAt: string }>; states: ActionState[] };
  return {
    identities: r.types.map((t, i) => ({ identityType: t, hash: r.hashes[i] })),
    confirmations: new Map(r.confirmations.map(({ dataset, ...c }) => [Number(dataset), { ...c, confirmedAt: new Date(c.confirmedAt) }])),
    activityConfirmations: new Map(r.activities.map(({ activity, ...c }) => [Number(activity), { ...c, confirmedAt: new Date(c.confirmedAt) }])),
    states: r.states,
  };
}

/** The live resolution of an open request, with the team's findings and the work list's states. */
export async function liveResolution(db: pg.Pool | pg.PoolClient, model: ReadModel, req: { id: number; type: RequestType; codes: string[] }, opts: ResolveOptions = { fieldDetail: true }): Promise<Resolution> {
  const work = await loadRequestWork(db, req.id);
  const resolution = await resolveRequest(db, model, { type: req.type, claimedSubjectCategoryCodes: req.codes, identities: work.identities, confirmations: work.confirmations, activityConfirmations: work.activityConfirmations }, opts);
  return { ...resolution, actions: withActionStates(resolution.actions, work.states) };
}

async function openRequestFor(c: pg.PoolClient, raw: string): Promise<{ id: number; type: RequestType; codes: string[]; status: RequestStatus }> {
  const id = parseId(raw, 'DataSubjectRequest', 'input.requestId');
  const { rows } = await c.query(`select "id", "status", "type", "claimed_subject_category_codes" as codes from "data_subject_request" where "id" = $1 for update`, [id]);
  if (!rows[0]) throw notFound('DataSubjectRequest', raw, 'input.requestId');
  if (CLOSED.includes(rows[0].status)) throw badInput([{ path: 'input.requestId', message: `the request is ${rows[0].status}: its resolution is frozen evidence` }]);
  return rows[0];
}

/** "system/dataset" by dataset id, in the order given: a dataset's key is unique only within its system. */
async function datasetLabels(c: pg.PoolClient, ids: number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const { rows } = await c.query(`select d."id", s."key" || '/' || d."key" as label from unnest($1::int[]) with ordinality as u(id, n) join "dataset" d on d."id" = u.id join "system" s on s."id" = d."system_id" order by u.n`, [ids]);
  return new Map(rows.map((r: { id: number; label: string }) => [Number(r.id), r.label]));
}

/** Records the privacy team's finding on a POSSIBLE dataset of an open request. */
export async function settleDatasetHolding(ctx: Context, model: ReadModel, input: SettleDatasetHoldingInput): Promise<number> {
  return settle(ctx, model, { ...input, datasetIds: [input.datasetId], activityIds: [], replace: true }, 'settleDatasetHolding');
}

/** One finding for several POSSIBLE datasets and activities no dataset serves: all recorded, or none. */
export async function settleHoldings(ctx: Context, model: ReadModel, input: SettleHoldingsInput): Promise<number> {
  return settle(ctx, model, input, 'settleHoldings');
}

async function settle(ctx: Context, model: ReadModel, input: SettleHoldingsInput, operation: string): Promise<number> {
  const single = operation === 'settleDatasetHolding';
  const datasetPath = (n: number) => (single ? 'input.datasetId' : `input.datasetIds[${n}]`);
  return inTransaction(ctx.db.writePool, async (c) => {
    const req = await openRequestFor(c, input.requestId);
    const problems: Problem[] = [];
    const activityIds = input.activityIds ?? [];
    if (!input.datasetIds.length && !activityIds.length) problems.push({ path: 'input.datasetIds', message: 'name at least one dataset or activity' });
    // settleDatasetHolding answers an id that cannot be ours NOT_FOUND, as it always did.
    const wanted = input.datasetIds.map((raw, n) => (single ? parseId(raw, 'Dataset', datasetPath(n)) : idOrNull(raw)));
    const work = await loadRequestWork(c, req.id);
    const resolution = await resolveRequest(c, model, { type: req.type, claimedSubjectCategoryCodes: req.codes, identities: work.identities, confirmations: work.confirmations, activityConfirmations: work.activityConfirmations }, { fieldDetail: false });
    const byId = new Map(resolution.datasets.map((d) => [Number((d.dataset as Row).id), d]));
    // One finding for many is for what nobody has checked: it must not overwrite a colleague's
    // finding made since the page was loaded. A dataset's finding is changed one at a time.
    const already = (f: HoldingConfirmation) => `already settled ${f.holding} by ${f.confirmedBy}`;
    const ids = new Set<number>();
    wanted.forEach((id, n) => {
      const found = id === null ? undefined : byId.get(id);
      if (!found) problems.push({ path: datasetPath(n), message: 'the dataset is not in the resolution of this request' });
      else if (found.match !== DatasetMatch.POSSIBLE) problems.push({ path: datasetPath(n), message: `the subject index already answers for this dataset (${found.match}); only POSSIBLE datasets are settled` });
      else if (!input.replace && found.confirmation) problems.push({ path: datasetPath(n), message: `${already(found.confirmation)}; change it with settleDatasetHolding or replace: true` });
      else ids.add(id!);
    });
    const unindexed = new Set(resolution.unindexedActivityCodes);
    const byActivity = new Map(resolution.activities.map((a) => [Number((a.activity as Row).id), a]));
    const acts = new Set<number>();
    activityIds.forEach((raw, n) => {
      const id = idOrNull(raw);
      const found = id === null ? undefined : byActivity.get(id);
      const path = `input.activityIds[${n}]`;
      if (!found) problems.push({ path, message: 'the activity is not in the resolution of this request' });
      else if (!unindexed.has(String((found.activity as Row).code))) problems.push({ path, message: 'datasets of the inventory serve this activity: their findings answer for it' });
      else if (!input.replace && found.confirmation) problems.push({ path, message: `${already(found.confirmation)}; change it with replace: true` });
      else acts.add(id!);
    });
    if (input.holding === DatasetHolding.NOT_HELD && !input.note?.trim()) problems.push({ path: 'input.note', message: 'say how it was checked that the person is not there' });
    if (problems.length) throw badInput(problems);
    const list = [...ids];
    const activities = [...acts];
    const note = input.note?.trim() || null;
    if (list.length) {
      await c.query(
        `insert into "request_dataset_confirmation" ("request_id", "dataset_id", "holding", "note", "confirmed_by") select $1, d, $3, $4, $5 from unnest($2::int[]) as d
         on conflict ("request_id", "dataset_id") do update set "holding" = excluded."holding", "note" = excluded."note", "confirmed_by" = excluded."confirmed_by", "confirmed_at" = now()`,
        [req.id, list, input.holding, note, ctx.principal.sub],
      );
    }
    if (activities.length) {
      await c.query(
        `insert into "request_activity_confirmation" ("request_id", "activity_id", "holding", "note", "confirmed_by") select $1, a, $3, $4, $5 from unnest($2::int[]) as a
         on conflict ("request_id", "activity_id") do update set "holding" = excluded."holding", "note" = excluded."note", "confirmed_by" = excluded."confirmed_by", "confirmed_at" = now()`,
        [req.id, activities, input.holding, note, ctx.principal.sub],
      );
    }
    const full = await datasetLabels(c, list);
    const labels = [
      ...(single ? [String((byId.get(list[0])!.dataset as Row).key)] : [...full.values()]),
      ...activities.map((id) => String((byActivity.get(id)!.activity as Row).code)),
    ];
    // A finding turned the other way re-opens what was decided on the old one: an erase marked done
    // on data since found not to be there (or the reverse) is not a decision anyone made.
    const turned = [
      ...list.filter((id) => { const f = byId.get(id)!.confirmation; return f && f.holding !== input.holding; }).map((id) => `Dataset:${full.get(id)}`),
      ...activities.filter((id) => { const f = byActivity.get(id)!.confirmation; return f && f.holding !== input.holding; }).map((id) => `ProcessingActivity:${String((byActivity.get(id)!.activity as Row).code)}`),
    ];
    if (turned.length) {
      await c.query(`delete from "request_action_state" s using unnest($2::text[]) as t(target) where s."request_id" = $1 and right(s."action_key", length(t.target) + 1) = ':' || t.target`, [req.id, turned]);
    }
    await event(c, ctx, req.id, 'DATASET_SETTLED', null, null, `${labels.join(', ')}: ${input.holding}${note ? ` — ${note}` : ''}`);
    // settleDatasetHolding keeps the audit shape it always had; the earlier findings are the resolution's.
    if (single) {
      const was = byId.get(list[0])!.confirmation;
      await audit(c, ctx, operation, req.id, was ? { dataset: list[0], holding: was.holding, note: was.note ?? null } : null, { dataset: list[0], holding: input.holding, note });
    } else {
      const was = (f: HoldingConfirmation | null | undefined) => (f ? { holding: f.holding, note: f.note ?? null, confirmedBy: f.confirmedBy } : null);
      const replaced = [
        ...list.filter((id) => byId.get(id)!.confirmation).map((id) => ({ dataset: id, ...was(byId.get(id)!.confirmation) })),
        ...activities.filter((id) => byActivity.get(id)!.confirmation).map((id) => ({ activity: id, ...was(byActivity.get(id)!.confirmation) })),
      ];
      await audit(c, ctx, operation, req.id, replaced.length ? replaced : null, { datasets: list, activities, holding: input.holding, note });
    }
    return req.id;
  });
}

/** Marks actions of an open request's work list done, waived (with a reason) or open again. */
export async function setRequestActionStatus(ctx: Context, model: ReadModel, input: SetRequestActionStatusInput): Promise<number> {
  return inTransaction(ctx.db.writePool, async (c) => {
    const req = await openRequestFor(c, input.requestId);
    const problems: Problem[] = [];
    if (!input.actionKeys.length) problems.push({ path: 'input.actionKeys', message: 'name at least one action' });
    if (input.status === ActionStatus.WAIVED && !input.note?.trim()) problems.push({ path: 'input.note', message: 'a waived action needs the reason' });
    const resolution = await liveResolution(c, model, req);
    const byKey = new Map(resolution.actions.map((a) => [a.key, a]));
    input.actionKeys.forEach((k, n) => {
      const a = byKey.get(k);
      if (!a) problems.push({ path: `input.actionKeys[${n}]`, message: `no action "${k}" on this request` });
      // Done or waived on a dataset nobody has checked, the reply would answer for data never looked at.
      else if (a.awaitsSettlement && input.status !== ActionStatus.OPEN) {
        const how = a.targetKind === 'Dataset' ? 'it reports no subject index' : 'no dataset of the inventory serves it';
        problems.push({ path: `input.actionKeys[${n}]`, message: `${a.target} may hold the person (${how}): settle whether it does (settleHoldings, HELD or NOT_HELD) before the action is ${input.status === ActionStatus.DONE ? 'done' : 'waived'}` });
      }
    });
    if (input.refusalGround) {
      // A partial disclosure withholds items on the organization's own grounds, as a refusal does.
      const ground = (await organizationProcedure(c))?.refusalGrounds?.find((g) => g.code === input.refusalGround);
      if (input.status !== ActionStatus.WAIVED) problems.push({ path: 'input.refusalGround', message: 'only a waived action is withheld on a ground' });
      else if (!ground) problems.push({ path: 'input.refusalGround', message: `"${input.refusalGround}" is not one of the organization's refusal grounds` });
      else if (ground.appliesTo?.length && !ground.appliesTo.includes(req.type)) problems.push({ path: 'input.refusalGround', message: `"${ground.code}" applies to ${ground.appliesTo.join(', ')}, not to ${req.type} requests` });
      input.actionKeys.forEach((k, n) => {
        if (byKey.get(k) && byKey.get(k)!.action !== 'DISCLOSE') problems.push({ path: `input.actionKeys[${n}]`, message: 'only a DISCLOSE action is withheld on a ground' });
      });
    }
    if (problems.length) throw badInput(problems);
    const actions = [...new Set(input.actionKeys)].map((k) => byKey.get(k)!);
    const keys = actions.map((a) => a.key);
    const note = input.note?.trim() || null;
    if (input.status === ActionStatus.OPEN) {
      await c.query(`delete from "request_action_state" where "request_id" = $1 and "action_key" = any($2::text[])`, [req.id, keys]);
    } else {
      await c.query(
        `insert into "request_action_state" ("request_id", "action_key", "status", "note", "decided_by", "refusal_ground")
         select $1, k, $3, $4, $5, $6 from unnest($2::text[]) as k
         on conflict ("request_id", "action_key") do update set "status" = excluded."status", "note" = excluded."note", "decided_by" = excluded."decided_by",
           "refusal_ground" = excluded."refusal_ground", "decided_at" = now()`,
        [req.id, keys, input.status, note, ctx.principal.sub, input.refusalGround ?? null],
      );
    }
    const what = actions.length === 1 ? `${actions[0].action} ${actions[0].target}` : `${actions.length} actions`;
    await event(c, ctx, req.id, `ACTION_${input.status}`, null, null, `${what}${note ? ` — ${note}` : ''}`);
    await audit(c, ctx, 'setRequestActionStatus', req.id,
      actions.map((a) => ({ action: a.key, status: a.status, note: a.note ?? null })),
      { actions: keys, status: input.status, note, refusalGround: input.refusalGround ?? null });
    return req.id;
  });
}
