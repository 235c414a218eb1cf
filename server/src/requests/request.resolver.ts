import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { groupRows, type Row } from '../graphql/loaders.js';
import { idOrNull, notFound, parseId } from '../graphql/errors.js';
import { connectionType, paginate, selectedFieldsAt, selects, selectsPath, type ConnectionShape } from '../graphql/connection.js';
import { settings } from '../graphql/settings.js';
import { PageArgs } from '../inventory/processing-activity.resolver.js';
import { SubjectCategory } from '../inventory/subject-category.entity.js';
import { DataSubjectRequest, RequestEvent, RequestType } from './request.entity.js';
import {
  CreateDataSubjectRequestInput, DataSubjectRequestFilter, DataSubjectRequestPayload, DisclosureReport, ExtendDataSubjectRequestInput,
  ReportFormat, ReportLanguage, RequestContactReveal, RequestSlaCounts, RevealRequestContactInput, SetRequestActionStatusInput, SettleDatasetHoldingInput, SettleHoldingsInput, TransitionDataSubjectRequestInput,
} from './request.types.js';
import { ActionStatus, Resolution, ResolutionScope, type RequestAction } from './resolution.types.js';
import { settlementRequired, unsettledDatasets, type ResolveOptions } from './resolution.service.js';
import { CLOSED, createRequest, declinedByPolicy, extendRequest, liveResolution, organizationProcedure, setRequestActionStatus, settleDatasetHolding, settleHoldings, transitionRequest } from './request.service.js';
import { badInput } from '../graphql/errors.js';
import { ApproveReplyInput, DraftReplyInput, MarkReplySentInput, REPLY_COLUMNS, RequestReply, ReplyStatus, approveReply, draftReply, markReplySent } from './reply.service.js';
import { LocalizedText } from '../graphql/localized-text.js';
import { ResponseMethod } from '../graphql/enums.js';
import { RefusalGround, type RequestProcedure } from '../organization/organization.types.js';
import { renderDisclosure } from './disclosure-report.js';
import { recordAccess } from '../audit/access-log.js';
import { appendAuditEvents } from '../audit/audit-log.js';
import { AuditOutcome } from '../audit/audit-event.entity.js';
import type { IdentityType } from '../graphql/enums.js';

export const DataSubjectRequestConnection = connectionType('DataSubjectRequest', DataSubjectRequest);

async function loadRequest(ctx: Context, id: number): Promise<Row | null> {
  const m = ctx.loaders.model;
  const [row] = await ctx.loaders.query(`select ${m.select('DataSubjectRequest')} from ${m.table('DataSubjectRequest')} t where t."id" = ?`, [id]);
  return row ?? null;
}

/** A frozen resolution is stored JSON: its times come back as strings. */
function revive(frozen: Resolution, type: RequestType): Resolution {
  // Evidence frozen before the resolution stated its scope is shown as such, never as narrowed.
  const legacy = frozen.scope === undefined;
  // Evidence frozen before actions said so: what was still unsettled when the request closed.
  const left = unsettledDatasets(frozen.datasets);
  const unsettled = new Set(left.map((d) => String((d.dataset as { id?: unknown }).id)));
  const required = frozen.settlementRequired ?? settlementRequired(type);
  // Closed before completing required it: its reply must not be read as "no data" of these.
  const unchecked = required && left.length ? [`closed with ${left.length} dataset(s) that may hold the person never checked (${left.slice(0, 10).map((d) => String((d.dataset as { key?: unknown }).key)).join(', ')}${left.length > 10 ? ', …' : ''}): a reply saying no data is held would not be true of them; check them before sending it`] : [];
  return {
    ...frozen,
    computedAt: new Date(frozen.computedAt as unknown as string),
    withheldRecipients: frozen.withheldRecipients ?? [],
    scope: frozen.scope ?? ResolutionScope.UNNARROWED,
    warnings: [...(frozen.warnings ?? (legacy ? ['frozen before resolutions stated their scope: the scope is unknown'] : [])), ...(frozen.settlementRequired === undefined ? unchecked : [])],
    settlementRequired: required,
    unindexedActivityCodes: frozen.unindexedActivityCodes ?? [],
    uncoveredSubjectCategoryCodes: frozen.uncoveredSubjectCategoryCodes ?? [],
    datasets: frozen.datasets.map((d) => ({ ...d, confirmation: d.confirmation ? { ...d.confirmation, confirmedAt: new Date(d.confirmation.confirmedAt as unknown as string) } : null })),
    activities: frozen.activities.map((a) => ({ ...a, confirmation: a.confirmation ? { ...a.confirmation, confirmedAt: new Date(a.confirmation.confirmedAt as unknown as string) } : null })),
    actions: frozen.actions.map((a) => reviveAction(a, unsettled)),
    links: frozen.links ?? [],
  };
}

/** Evidence frozen before actions had keys and states: the key is rebuilt from the target, the state is unknown (OPEN). */
function reviveAction(a: RequestAction, unsettled: Set<string>): RequestAction {
  const awaitsSettlement = a.awaitsSettlement ?? (a.targetKind === 'Dataset' && a.targetId != null && unsettled.has(String(a.targetId)));
  if (a.key) return { ...a, awaitsSettlement, decidedAt: a.decidedAt ? new Date(a.decidedAt as unknown as string) : null };
  const [kind, ...rest] = a.target.split(' ');
  const code = rest.join(' ');
  return { ...a, key: `${a.action}:${kind}:${code}`, targetKind: kind, targetCode: code, targetId: null, systemCode: null, status: ActionStatus.OPEN, awaitsSettlement: false, note: null, refusalGround: null, decidedBy: null, decidedAt: null };
}

/**
 * The live resolution, or the frozen one of a closed request. `fieldDetail` false skips the fields
 * and data categories of every dataset (and the actions, which name them) when the query does not
 * ask for them: for a large request that is the most expensive statement.
 */
export async function resolutionOf(ctx: Context, r: Row, fieldDetail = true, columns?: ResolveOptions['columns']): Promise<Resolution> {
  if (r.frozenResolution) return revive(r.frozenResolution as Resolution, r.type as RequestType);
  return liveResolution(ctx.db.pool, ctx.loaders.model, { id: Number(r.id), type: r.type as RequestType, codes: r.claimedSubjectCategoryCodes as string[] }, { fieldDetail, columns });
}

/**
 * The columns of the dataset and processor rows a query reads from a resolution: the scalars it
 * selects when every field it selects there is a column or a relation, none beyond the ids and
 * keys when it selects none of them, every column otherwise.
 */
function resolutionColumns(ctx: Context, info: GraphQLResolveInfo): ResolveOptions['columns'] {
  const model = ctx.loaders.model;
  const at = (entity: string, path: string[]) => {
    const selected = selectedFieldsAt(info, path);
    return selected ? model.narrow(entity, selected) : new Set<string>();
  };
  return { Dataset: at('Dataset', ['datasets', 'dataset']), Processor: at('Processor', ['processors', 'processor']) };
}

@Resolver(() => DataSubjectRequest)
export class DataSubjectRequestResolver {
  @Mutation(() => DataSubjectRequestPayload, { description: 'Records a data-subject request; identities are kept only as HMAC.' })
  async createDataSubjectRequest(@Arg('input', () => CreateDataSubjectRequestInput) input: CreateDataSubjectRequestInput, @Ctx() ctx: Context) {
    return { request: await createRequest(ctx, input) };
  }

  @Mutation(() => DataSubjectRequestPayload, { description: 'Moves a request along its status machine (closing freezes its resolution).' })
  async transitionDataSubjectRequest(@Arg('input', () => TransitionDataSubjectRequestInput) input: TransitionDataSubjectRequestInput, @Ctx() ctx: Context) {
    return { request: await loadRequest(ctx, await transitionRequest(ctx, ctx.loaders.model, input)) };
  }

  @Mutation(() => DataSubjectRequestPayload, { description: 'Extends a GDPR deadline once, by up to two months, with a reason.' })
  async extendDataSubjectRequest(@Arg('input', () => ExtendDataSubjectRequestInput) input: ExtendDataSubjectRequestInput, @Ctx() ctx: Context) {
    return { request: await loadRequest(ctx, await extendRequest(ctx, input)) };
  }

  @Mutation(() => DataSubjectRequestPayload, { description: "Records the privacy team's finding on a POSSIBLE dataset of an open request: the person is HELD there or NOT_HELD (with how it was checked). Frozen with the resolution when the request closes." })
  async settleDatasetHolding(@Arg('input', () => SettleDatasetHoldingInput) input: SettleDatasetHoldingInput, @Ctx() ctx: Context) {
    return { request: await loadRequest(ctx, await settleDatasetHolding(ctx, ctx.loaders.model, input)) };
  }

  @Mutation(() => DataSubjectRequestPayload, { description: "Records one finding (HELD or NOT_HELD, with how it was checked) for several POSSIBLE datasets and activities no dataset serves of an open request: all of them are recorded or, on any problem, none. One already recorded is refused unless replace." })
  async settleHoldings(@Arg('input', () => SettleHoldingsInput) input: SettleHoldingsInput, @Ctx() ctx: Context) {
    return { request: await loadRequest(ctx, await settleHoldings(ctx, ctx.loaders.model, input)) };
  }

  @Mutation(() => DataSubjectRequestPayload, { description: 'Marks an action of an open request DONE, WAIVED (with the reason) or OPEN again; completing the request needs every action done or waived.' })
  async setRequestActionStatus(@Arg('input', () => SetRequestActionStatusInput) input: SetRequestActionStatusInput, @Ctx() ctx: Context) {
    return { request: await loadRequest(ctx, await setRequestActionStatus(ctx, ctx.loaders.model, input)) };
  }

  @Mutation(() => DataSubjectRequestPayload, { description: 'Starts (or restarts) the reply letter as a DRAFT in the language the person is answered in; a sent reply is final.' })
  async draftReply(@Arg('input', () => DraftReplyInput) input: DraftReplyInput, @Ctx() ctx: Context) {
    return { request: await loadRequest(ctx, await draftReply(ctx, input)) };
  }

  @Mutation(() => DataSubjectRequestPayload, { description: 'A PRIVACY_ADMIN other than the drafter (KIROKU_REPLY_FOUR_EYES) approves the draft of a completed or refused request; the document is stored with its hash.' })
  async approveReply(@Arg('input', () => ApproveReplyInput) input: ApproveReplyInput, @Ctx() ctx: Context) {
    return { request: await loadRequest(ctx, await approveReply(ctx, input)) };
  }

  @Mutation(() => DataSubjectRequestPayload, { description: 'Records that the approved reply was sent, how and when.' })
  async markReplySent(@Arg('input', () => MarkReplySentInput) input: MarkReplySentInput, @Ctx() ctx: Context) {
    return { request: await loadRequest(ctx, await markReplySent(ctx, input)) };
  }

  @Mutation(() => RequestContactReveal, { description: "Shows a request's contact and agent details to the privacy team (the web UI masks them until asked); each reveal is written to the audit trail: who, when, which request." })
  async revealRequestContact(@Arg('input', () => RevealRequestContactInput) input: RevealRequestContactInput, @Ctx() ctx: Context): Promise<RequestContactReveal> {
    const r = await loadRequest(ctx, parseId(input.requestId, 'DataSubjectRequest', 'input.requestId'));
    if (!r) throw notFound('DataSubjectRequest', input.requestId, 'input.requestId');
    // Written before anything is returned: a reveal that cannot be recorded does not happen.
    await appendAuditEvents(ctx.db.writePool, ctx.principal, ctx.requestId, [{ operation: 'revealRequestContact', outcome: AuditOutcome.SUCCESS, entityType: 'DataSubjectRequest', entityId: Number(r.id), after: { fields: ['contact', 'agentName'] } }]);
    return {
      requestId: String(r.id),
      contact: (r.contact as string | null) ?? null,
      contactErasedAt: (r.contactErasedAt as Date | null) ?? null,
      agentName: (r.agentName as string | null) ?? null,
      identityTypes: r.identityTypes as IdentityType[],
      revealedAt: new Date(),
    };
  }

  @FieldResolver(() => RequestReply, { nullable: true, description: 'The reply letter under review (draft, approved, sent).' })
  reply(@Root() r: Row, @Ctx() ctx: Context): Promise<RequestReply | null> {
    return ctx.loaders
      .custom<RequestReply | null>('request.reply', async (keys) => {
        const rows = await ctx.loaders.query<RequestReply & { request: number }>(`select "request_id" as "request", ${REPLY_COLUMNS} from "request_reply" where "request_id" = any(?)`, [keys]);
        const by = new Map(rows.map((x) => [Number(x.request), x]));
        return keys.map((k) => by.get(Number(k)) ?? null);
      })
      .load(Number(r.id));
  }

  @Query(() => RequestSlaCounts, { description: 'Open requests on track, due within 3 days and overdue.' })
  async dataSubjectRequestSla(@Ctx() ctx: Context): Promise<RequestSlaCounts> {
    const [row] = await ctx.loaders.query<{ onTrack: number; dueSoon: number; overdue: number }>(SLA_COUNTS, [CLOSED]);
    return row;
  }

  @Query(() => DataSubjectRequest, { nullable: true })
  async dataSubjectRequest(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const n = idOrNull(id);
    return n === null ? null : loadRequest(ctx, n);
  }

  @Query(() => DataSubjectRequestConnection, { description: 'Requests, newest first.' })
  async dataSubjectRequests(
    @Args() page: PageArgs,
    @Arg('filter', () => DataSubjectRequestFilter, { nullable: true }) f: DataSubjectRequestFilter | undefined,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConnectionShape> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f?.status) { where.push('t."status" = ?'); params.push(f.status); }
    if (f?.type) { where.push('t."type" = ?'); params.push(f.type); }
    if (f?.overdue != null) {
      where.push(`${f.overdue ? '' : 'not '}(t."status" <> all(?::text[]) and t."due_at" < (now() at time zone 'Asia/Tokyo')::date)`);
      params.push(CLOSED);
    }
    if (f?.dueBefore) { where.push('t."due_at" < (?::timestamptz at time zone \'Asia/Tokyo\')::date'); params.push(f.dueBefore); }
    if (f?.dueWithinDays != null) {
      if (!Number.isInteger(f.dueWithinDays) || f.dueWithinDays < 0 || f.dueWithinDays > 3650) throw badInput([{ path: 'filter.dueWithinDays', message: 'must be a whole number of days from 0 to 3650' }]);
      where.push(`t."status" <> all(?::text[]) and t."due_at" <= (now() at time zone 'Asia/Tokyo')::date + ?::int`);
      params.push(CLOSED, f.dueWithinDays);
    }
    return paginate(ctx, info, 'DataSubjectRequest', where, params, page, settings().maxPageSize, 'desc');
  }

  @Query(() => DisclosureReport, { description: 'The reply for DISCLOSE / ACCESS / NOTIFY_PURPOSE, generated from the resolution.' })
  async disclosureReport(
    @Arg('requestId', () => ID) requestId: string,
    @Arg('language', () => ReportLanguage, { defaultValue: ReportLanguage.JA }) language: ReportLanguage,
    @Arg('format', () => ReportFormat, { defaultValue: ReportFormat.MARKDOWN }) format: ReportFormat,
    @Ctx() ctx: Context,
  ): Promise<DisclosureReport> {
    const n = idOrNull(requestId);
    const r = n === null ? null : await loadRequest(ctx, n);
    if (!r) throw notFound('DataSubjectRequest', requestId, 'requestId');
    const [resolution, [stored]] = await Promise.all([
      resolutionOf(ctx, r),
      ctx.loaders.query<{ status: string; language: string; markdown: string | null; html: string | null }>(`select "status", "language", "markdown", "html" from "request_reply" where "request_id" = ?`, [r.id]),
      recordAccess(ctx, 'DataSubjectRequest', 'Query.disclosureReport', Number(r.id)),
    ]);
    // Once approved, the document is the stored one: what was (or will be) sent, not a new rendering.
    if (stored && stored.status !== ReplyStatus.DRAFT && stored.language === language) {
      if (format === ReportFormat.MARKDOWN && stored.markdown) return { format, language, content: stored.markdown };
      if (format === ReportFormat.HTML && stored.html) return { format, language, content: stored.html };
    }
    return { format, language, content: await renderDisclosure(ctx, r, resolution, language, format) };
  }

  // Where a person's data is held follows from their identities: reading it is an access to them.
  @FieldResolver(() => Resolution, { description: 'What the request touches: live while open, frozen evidence once completed or refused. Each read is recorded in the audit trail.' })
  async resolution(@Root() r: Row, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<Resolution> {
    const detail = selectsPath(info, ['datasets', 'fields']) || selectsPath(info, ['datasets', 'dataCategories']) || selects(info, 'actions');
    const [resolution] = await Promise.all([resolutionOf(ctx, r, detail, resolutionColumns(ctx, info)), recordAccess(ctx, 'DataSubjectRequest', 'DataSubjectRequest.resolution', Number(r.id))]);
    return resolution;
  }

  // The descriptions of contact and agentName are the entity's.
  @FieldResolver(() => String, { nullable: true })
  async contact(@Root() r: Row, @Ctx() ctx: Context): Promise<string | null> {
    if (r.contact == null) return null;
    await recordAccess(ctx, 'DataSubjectRequest', 'DataSubjectRequest.contact', Number(r.id));
    return r.contact as string;
  }

  @FieldResolver(() => String, { nullable: true })
  async agentName(@Root() r: Row, @Ctx() ctx: Context): Promise<string | null> {
    if (r.agentName == null) return null;
    await recordAccess(ctx, 'DataSubjectRequest', 'DataSubjectRequest.agentName', Number(r.id));
    return r.agentName as string;
  }

  @FieldResolver(() => [RequestEvent], { description: 'The timeline, oldest first.' })
  timeline(@Root() r: Row, @Ctx() ctx: Context): Promise<Row[]> {
    return ctx.loaders
      .custom<Row[]>('request.timeline', async (keys) => {
        const m = ctx.loaders.model;
        const rows = await ctx.loaders.query(`select ${m.select('RequestEvent')} from "request_event" t where t."request_id" = any(?) order by t."id"`, [keys]);
        return groupRows(keys, rows, 'request');
      })
      .load(Number(r.id));
  }

  @FieldResolver(() => [SubjectCategory], { description: 'The claimed subject categories.' })
  claimedSubjectCategories(@Root() r: Row, @Ctx() ctx: Context): Promise<Row[]> | Row[] {
    const codes = r.claimedSubjectCategoryCodes as string[];
    if (!codes.length) return [];
    const m = ctx.loaders.model;
    return ctx.loaders.query(`select ${m.select('SubjectCategory')} from "subject_category" t where t."code" = any(?) order by t."id"`, [codes]);
  }

  @FieldResolver(() => RefusalGround, { nullable: true, description: "The organization's record of the ground the request was refused on." })
  async refusal(@Root() r: Row, @Ctx() ctx: Context): Promise<RefusalGround | null> {
    if (!r.refusalGround) return null;
    return (await procedureOf(ctx))?.refusalGrounds?.find((g) => g.code === r.refusalGround) ?? null;
  }

  @FieldResolver(() => ResponseMethod, { nullable: true, description: "The method the reply is given by: the requested one when the organization offers it (or lists none), else the first offered one of its methodFallbackOrder (APPI Art. 33(2)); empty when neither applies." })
  async plannedResponseMethod(@Root() r: Row, @Ctx() ctx: Context): Promise<ResponseMethod | null> {
    const proc = await procedureOf(ctx);
    const offered = new Set((proc?.disclosureMethods ?? []).map((m) => m.method));
    const requested = r.responseMethod as ResponseMethod;
    if (!offered.size || offered.has(requested)) return requested;
    return (proc?.methodFallbackOrder ?? []).find((m) => offered.has(m)) ?? null;
  }

  @FieldResolver(() => LocalizedText, { nullable: true, description: "The notice's wording when the organization declines this request type by policy: the answer such a request gets." })
  async declinedByPolicy(@Root() r: Row, @Ctx() ctx: Context): Promise<LocalizedText | null> {
    return declinedByPolicy(await procedureOf(ctx), String(r.type));
  }
}

/** Deadline states of open requests; "today" is Japan's date, as for every due date. */
export const SLA_COUNTS = `select
    count(*) filter (where "due_at" > (now() at time zone 'Asia/Tokyo')::date + 3)::int as "onTrack",
    count(*) filter (where "due_at" between (now() at time zone 'Asia/Tokyo')::date and (now() at time zone 'Asia/Tokyo')::date + 3)::int as "dueSoon",
    count(*) filter (where "due_at" < (now() at time zone 'Asia/Tokyo')::date)::int as "overdue"
  from "data_subject_request" where "status" <> all(?::text[])`;

/** Read once per operation however many requests ask for it. */
function procedureOf(ctx: Context): Promise<RequestProcedure | null> {
  return ctx.loaders.custom<RequestProcedure | null>('organization.procedure', async (keys) => {
    const proc = await organizationProcedure(ctx.db.pool);
    return keys.map(() => proc);
  }).load(0);
}
