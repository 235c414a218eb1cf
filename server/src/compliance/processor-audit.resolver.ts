import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, Field, FieldResolver, ID, Info, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import type { Row } from '../graphql/loaders.js';
import { badInput, idOrNull } from '../graphql/errors.js';
import { PageArgs } from '../inventory/processing-activity.resolver.js';
import { settings } from '../graphql/settings.js';
import { PageInfo, selectsPath } from '../graphql/connection.js';
import { ProcessingActivity } from '../inventory/processing-activity.entity.js';
import { SubjectCategory } from '../inventory/subject-category.entity.js';
import { DataCategory } from '../inventory/data-category.entity.js';
import { Purpose } from '../inventory/purpose.entity.js';
import { Dataset } from '../systems/dataset.entity.js';
import { System } from '../systems/system.entity.js';
import { StorageLocation } from '../locations/storage-location.entity.js';
import { ProcessorAudit as ProcessorAuditRecord } from '../parties/processor-audit.entity.js';
import { appendAudit } from '../audit/audit-log.js';
import { AuditOutcome } from '../audit/audit-event.entity.js';
import { auditProcessors } from './processor-audit.service.js';
import { selectedFields } from '../graphql/relations.js';
import { shortestChains } from '../requests/resolution.service.js';
import { Finding, ProcessorAudit, ProcessorAuditFilter, ProcessorAuditOrder, RecordAuditInput, Severity, UpcomingAudit } from './processor-audit.types.js';
import { ReportLanguage } from '../requests/request.types.js';
import { FINDING_CODE, enumLabel } from '../graphql/enum-labels.js';

@ObjectType({ simpleResolvers: true })
class ProcessorAuditEdge {
  @Field(() => ProcessorAudit) node!: ProcessorAudit;
  @Field() cursor!: string;
}

@ObjectType({ simpleResolvers: true })
class ProcessorAuditConnection {
  @Field(() => [ProcessorAuditEdge]) edges!: ProcessorAuditEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int) totalCount!: number;
}

@ObjectType({ simpleResolvers: true })
class SubProcessorLink {
  @Field(() => ProcessorAudit, { description: 'The sub-processor, with its own locations and findings.' }) audit!: ProcessorAudit;
  @Field(() => [String], { description: 'Processor codes from this processor down.' }) chain!: string[];
}

const RANK: Record<Severity, number> = { HIGH: 3, MEDIUM: 2, LOW: 1 };
const pid = (a: ProcessorAudit) => Number((a.processor as Row).id);

/**
 * Aggregates over a processor's activities, one statement per field for any number of processors,
 * reading only the columns the selection asks for (see `ReadModel.narrow`).
 */
function viaActivities(ctx: Context, entity: string, pivot: string, column: string, a: ProcessorAudit, info: GraphQLResolveInfo): Promise<Row[]> {
  const m = ctx.loaders.model;
  const fields = m.narrow(entity, selectedFields(info));
  return ctx.loaders
    .custom<Row[]>(`processorAudit.${entity}${fields ? `:${[...fields].sort().join(',')}` : ''}`, (keys) =>
      ctx.loaders.grouped(
        // Distinct pairs of ids first, then the records: a distinct over whole rows sorted ~3,000
        // rows on every column, names and descriptions included (6 of 9 ms for a processor of 513
        // activities at size L).
        `select k."__k", ${m.select(entity, 't', fields)} from (select distinct x."processor_id" as "__k", p."${column}" as id from "processing_activity_processors" x
         join "${pivot}" p on p."processing_activity_id" = x."processing_activity_id" where x."processor_id" = any(?)) k
         join ${m.table(entity)} t on t."id" = k.id where t."archived_at" is null order by t."id", k."__k"`,
        [keys],
        keys,
      ))
    .load(pid(a));
}

@Resolver(() => ProcessorAudit)
export class ProcessorAuditResolver {
  @Query(() => ProcessorAudit, { nullable: true, description: 'One processor: what it touches and what an audit finds.' })
  async processorAudit(@Arg('processorId', () => ID) processorId: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<ProcessorAudit | null> {
    const id = idOrNull(processorId);
    return id === null ? null : (await auditProcessors(ctx, [id], { evidence: (selectsPath(info, ['findings', 'evidence']) || selectsPath(info, ['findings', 'records'])) }))[0] ?? null;
  }

  @Query(() => ProcessorAuditConnection, { description: 'Every processor\'s audit, riskiest first by default.' })
  async processorAudits(
    @Args() page: PageArgs,
    @Arg('filter', () => ProcessorAuditFilter, { nullable: true }) f: ProcessorAuditFilter | undefined,
    @Arg('orderBy', () => ProcessorAuditOrder, { defaultValue: ProcessorAuditOrder.RISK }) orderBy: ProcessorAuditOrder,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ProcessorAuditConnection> {
    let all = await auditProcessors(ctx, null, { evidence: (selectsPath(info, ['edges', 'node', 'findings', 'evidence']) || selectsPath(info, ['edges', 'node', 'findings', 'records'])) });
    if (f?.findings?.length) all = all.filter((a) => a.findings.some((x) => f.findings!.includes(x.code)));
    if (f?.minSeverity) all = all.filter((a) => a.findings.some((x) => RANK[x.severity] >= RANK[f.minSeverity!]));
    if (f?.search) {
      const s = f.search.toLowerCase();
      all = all.filter((a) => JSON.stringify([(a.processor as Row).code, (a.processor as Row).name]).toLowerCase().includes(s));
    }
    if (orderBy === ProcessorAuditOrder.RISK) all.sort((a, b) => b.riskScore - a.riskScore || pid(a) - pid(b));
    const first = page.first ?? 50;
    if (first < 0 || first > settings().maxPageSize) throw badInput([{ path: 'first', message: `first must be between 0 and ${settings().maxPageSize}` }]);
    let offset = 0;
    if (page.after) {
      const m = /^o:(\d{1,9})$/.exec(Buffer.from(page.after, 'base64url').toString());
      if (!m) throw new GraphQLError('after is not a cursor of this list', { extensions: { code: 'BAD_USER_INPUT', field: 'after' } });
      offset = Number(m[1]) + 1;
    }
    const slice = all.slice(offset, offset + first);
    const edges = slice.map((node, i) => ({ node, cursor: Buffer.from(`o:${offset + i}`).toString('base64url') }));
    return {
      edges,
      totalCount: all.length,
      pageInfo: { hasNextPage: offset + first < all.length, hasPreviousPage: offset > 0, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }

  @Query(() => [UpcomingAudit], { description: 'The audit calendar: processors whose next audit is due within `days` (overdue ones first).' })
  async upcomingAudits(@Arg('days', () => Int) days: number, @Ctx() ctx: Context): Promise<UpcomingAudit[]> {
    if (!Number.isInteger(days) || days < 0 || days > 3660) throw badInput([{ path: 'days', message: 'days must be between 0 and 3660' }]);
    const horizon = new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
    const today = new Date().toISOString().slice(0, 10);
    // A processor with an interval but no audit yet is due now and overdue, as the processors' auditOverdue filter has it.
    const never = (a: ProcessorAudit) => !a.nextAuditDue && (a.processor as Row).auditIntervalMonths != null && a.findings.some((f) => f.code === 'NEVER_AUDITED');
    return (await auditProcessors(ctx, null, { evidence: false }))
      .map((a) => (never(a) ? { processor: a.processor, dueAt: today, overdue: true } : { processor: a.processor, dueAt: a.nextAuditDue!, overdue: !!a.nextAuditDue && a.nextAuditDue < today }))
      .filter((u) => u.dueAt && u.dueAt <= horizon)
      .sort((a, b) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : 0));
  }

  @Mutation(() => ProcessorAudit, { description: "Records an audit and schedules the next one from the processor's interval." })
  async recordAudit(@Arg('input', () => RecordAuditInput) input: RecordAuditInput, @Ctx() ctx: Context): Promise<ProcessorAudit> {
    const id = await ctx.em.transactional(async (em) => {
      const [p] = (await em.execute('select "id", "audit_interval_months" as months from "processor" where "code" = ? and "archived_at" is null', [input.processorCode], 'all')) as Array<{ id: number; months: number | null }>;
      if (!p) throw badInput([{ path: 'input.processorCode', message: `no processor with code "${input.processorCode}"` }]);
      // Two audits on one day are two records: the code carries a running number.
      const [{ n }] = (await em.execute('select count(*)::int as n from "processor_audit" where "processor_id" = ?', [p.id], 'all')) as Array<{ n: number }>;
      const code = `aud-${input.processorCode}-${input.auditedAt}-${n + 1}`.slice(0, 200);
      const rec = em.create(ProcessorAuditRecord, {
        code, processor: p.id, auditedAt: input.auditedAt, method: input.method, result: input.result,
        findings: input.findings ? JSON.parse(JSON.stringify(input.findings)) : null, auditor: input.auditor ?? null,
        nextDueAt: null,
      } as never) as unknown as Record<string, unknown>;
      const [{ due }] = (await em.execute(`select (?::date + make_interval(months => ?))::date::text as due`, [input.auditedAt, p.months ?? 12], 'all')) as Array<{ due: string }>;
      rec.nextDueAt = due;
      await em.flush();
      await appendAudit(em, ctx.principal, ctx.requestId, { operation: 'recordAudit', outcome: AuditOutcome.SUCCESS, entityType: 'ProcessorAuditRecord', entityId: rec.id as number, after: { code, processor: input.processorCode, auditedAt: input.auditedAt, result: input.result, nextDueAt: due } });
      return p.id;
    });
    return (await auditProcessors(ctx, [id]))[0];
  }

  @FieldResolver(() => [ProcessingActivity])
  activities(@Root() a: ProcessorAudit, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return ctx.loaders.selectedRelation('Processor', 'activities', 'ProcessingActivity', selectedFields(info)).load(pid(a));
  }

  @FieldResolver(() => [SubjectCategory])
  subjectCategories(@Root() a: ProcessorAudit, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return viaActivities(ctx, 'SubjectCategory', 'processing_activity_subject_categories', 'subject_category_id', a, info);
  }

  @FieldResolver(() => [DataCategory], { description: 'With their kind: SPECIAL_CARE and PERSONALLY_REFERABLE are flagged by it.' })
  dataCategories(@Root() a: ProcessorAudit, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return viaActivities(ctx, 'DataCategory', 'processing_activity_data_categories', 'data_category_id', a, info);
  }

  @FieldResolver(() => [Purpose])
  purposes(@Root() a: ProcessorAudit, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return viaActivities(ctx, 'Purpose', 'processing_activity_purposes', 'purpose_id', a, info);
  }

  @FieldResolver(() => [Dataset])
  datasets(@Root() a: ProcessorAudit, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return ctx.loaders.selectedRelation('Processor', 'datasets', 'Dataset', selectedFields(info)).load(pid(a));
  }

  @FieldResolver(() => [System])
  async systems(@Root() a: ProcessorAudit, @Ctx() ctx: Context) {
    const datasets = await ctx.loaders.relation('Processor', 'datasets').load(pid(a));
    const systems = await ctx.loaders.byId('System').loadMany([...new Set(datasets.map((d) => Number(d.system)))]);
    return systems.filter((s) => s && !(s instanceof Error));
  }

  @FieldResolver(() => [StorageLocation], { description: 'Where it stores data; each location carries its country assessment.' })
  storageLocations(@Root() a: ProcessorAudit, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return ctx.loaders.selectedRelation('Processor', 'storageLocations', 'StorageLocation', selectedFields(info)).load(pid(a));
  }

  @FieldResolver(() => [ProcessorAuditRecord], { description: 'Audit history, newest first.' })
  async audits(@Root() a: ProcessorAudit, @Ctx() ctx: Context) {
    const rows = await ctx.loaders.relation('Processor', 'audits').load(pid(a));
    return [...rows].sort((x, y) => (String(x.auditedAt) < String(y.auditedAt) ? 1 : -1));
  }

  @FieldResolver(() => [SubProcessorLink], { description: 'The sub-processor chain, transitively (cycle-safe), each with its own audit.' })
  async subProcessorChain(@Root() a: ProcessorAudit, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<SubProcessorLink[]> {
    const reach = await ctx.loaders.query<{ id: number; direct: boolean; edges: Array<[number, number]> | null }>(
      `with recursive reach(id) as (select ?::int union select s."sub_processor_id" from reach r join "processor_sub_processors" s on s."processor_id" = r.id)
       select r.id, r.id = ? as direct, (select json_agg(json_build_array(s."processor_id", s."sub_processor_id")) from "processor_sub_processors" s where s."processor_id" = r.id) as edges from reach r`,
      [pid(a), pid(a)],
    );
    const chains = shortestChains(reach);
    chains.delete(pid(a));
    const rows = [...chains].map(([id, path]) => ({ id, path }));
    if (!rows.length) return [];
    const audits = await auditProcessors(ctx, rows.map((r) => Number(r.id)), { evidence: (selectsPath(info, ['audit', 'findings', 'evidence']) || selectsPath(info, ['audit', 'findings', 'records'])) });
    const codes = new Map<number, string>([[pid(a), String((a.processor as Row).code)], ...audits.map((x) => [pid(x), String((x.processor as Row).code)] as [number, string])]);
    const byId = new Map(audits.map((x) => [pid(x), x]));
    return rows.filter((r) => byId.has(Number(r.id))).map((r) => ({ audit: byId.get(Number(r.id))!, chain: r.path.map((p) => codes.get(Number(p)) ?? String(p)) }));
  }
}

@Resolver(() => Finding)
export class FindingResolver {
  @FieldResolver(() => String, { description: 'What was found, with the records concerned, in the language asked for (English by default).' })
  evidence(@Root() f: Finding, @Arg('language', () => ReportLanguage, { defaultValue: ReportLanguage.EN }) language: ReportLanguage): string {
    return language === ReportLanguage.JA ? f.text.ja : f.text.en;
  }

  @FieldResolver(() => String, { description: 'The finding code in words, in the language asked for (English by default).' })
  label(@Root() f: Finding, @Arg('language', () => ReportLanguage, { defaultValue: ReportLanguage.EN }) language: ReportLanguage): string {
    return enumLabel(FINDING_CODE, f.code, language);
  }
}
