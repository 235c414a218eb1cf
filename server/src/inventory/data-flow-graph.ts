import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { ownSystem } from '../graphql/context.js';
import type { ReadModel } from '../graphql/loaders.js';
import { LocalizedText } from '../graphql/localized-text.js';
import { pivot } from '../graphql/sql-fragments.js';
import { countryName } from '../graphql/validators.js';
import { HOME_COUNTRY } from '../config.js';
import { activityFilterSql, type ProcessingActivityFilter } from './processing-activity.resolver.js';
import { GraphQLError } from 'graphql';
import { recordsAsOf } from '../audit/as-of.js';
import { badInput } from '../graphql/errors.js';

export enum GraphNodeKind {
  SUBJECT_CATEGORY = 'SUBJECT_CATEGORY',
  ACTIVITY = 'ACTIVITY',
  DATASET = 'DATASET',
  SYSTEM = 'SYSTEM',
  PROCESSOR = 'PROCESSOR',
  JOINT_USE = 'JOINT_USE',
  RECIPIENT = 'RECIPIENT',
  COUNTRY = 'COUNTRY',
  DATA_CATEGORY = 'DATA_CATEGORY',
  LEGAL_BASIS = 'LEGAL_BASIS',
}
registerEnumType(GraphNodeKind, {
  name: 'GraphNodeKind',
  description: 'What a node of the data-flow graph stands for.',
  valuesConfig: {
    SUBJECT_CATEGORY: { description: 'A subject category (本人の区分).' },
    ACTIVITY: { description: 'A processing activity.' },
    DATASET: { description: "A system's dataset." },
    SYSTEM: { description: 'A system holding datasets.' },
    PROCESSOR: { description: 'A processor or sub-processor (委託先・再委託先).' },
    JOINT_USE: { description: 'A joint-use arrangement (共同利用).' },
    RECIPIENT: { description: 'A third-party recipient (第三者提供先).' },
    COUNTRY: { description: 'A country where data is stored or to which it is provided.' },
    DATA_CATEGORY: { description: 'A data category an activity handles (only when asked for in `include`).' },
    LEGAL_BASIS: { description: 'A legal basis an activity records (only when asked for in `include`).' },
  },
});

export enum GraphEdgeKind {
  SUBJECT_OF = 'SUBJECT_OF',
  USES_DATASET = 'USES_DATASET',
  PART_OF = 'PART_OF',
  ENTRUSTS = 'ENTRUSTS',
  SUB_PROCESSES = 'SUB_PROCESSES',
  JOINT_USE = 'JOINT_USE',
  PROVIDES = 'PROVIDES',
  STORED_IN = 'STORED_IN',
  TRANSFERS_TO = 'TRANSFERS_TO',
  DATA_OF = 'DATA_OF',
  BASED_ON = 'BASED_ON',
}
registerEnumType(GraphEdgeKind, {
  name: 'GraphEdgeKind',
  description: 'How data flows along an edge of the data-flow graph (source → target).',
  valuesConfig: {
    SUBJECT_OF: { description: 'Subject category → activity: the activity handles data about these people.' },
    USES_DATASET: { description: 'Activity → dataset.' },
    PART_OF: { description: 'Dataset → the system that holds it.' },
    ENTRUSTS: { description: 'Activity → processor (outsourcing, including a processor named by a foreign transfer of the activity).' },
    SUB_PROCESSES: { description: 'Processor → its sub-processor, followed transitively.' },
    JOINT_USE: { description: 'Activity → joint-use arrangement.' },
    PROVIDES: { description: 'Activity → third-party recipient.' },
    STORED_IN: { description: "Activity or dataset → the country of its storage location's servers." },
    TRANSFERS_TO: { description: 'Recipient (processor, joint use, third party; or the activity when the transfer names none) → the country of a foreign transfer (APPI Art. 28).' },
    DATA_OF: { description: 'Data category → activity: the activity handles data of this category (with DATA_CATEGORY in `include`).' },
    BASED_ON: { description: 'Activity → legal basis (with LEGAL_BASIS in `include`).' },
  },
});

export enum GraphNodeFlag {
  SPECIAL_CARE = 'SPECIAL_CARE',
  PERSONALLY_REFERABLE = 'PERSONALLY_REFERABLE',
  ABROAD = 'ABROAD',
  EXCLUDED = 'EXCLUDED',
  ARCHIVED = 'ARCHIVED',
  ILLUSTRATIVE = 'ILLUSTRATIVE',
}
registerEnumType(GraphNodeFlag, {
  name: 'GraphNodeFlag',
  description: 'What a node deserves attention for.',
  valuesConfig: {
    SPECIAL_CARE: { description: 'An activity with special-care-required data (要配慮個人情報), or such a data category.' },
    PERSONALLY_REFERABLE: { description: 'An activity with personally referable information (個人関連情報), or such a data category.' },
    ABROAD: { description: 'A country other than the home country; a processor, recipient or dataset there; an activity storing data there or providing data there.' },
    EXCLUDED: { description: "Held as a processor for someone else (role PROCESSOR): outside the organization's own request handling." },
    ARCHIVED: { description: 'An archived activity (only with includeArchived).' },
    ILLUSTRATIVE: { description: 'A record marked illustrative.' },
  },
});

@ObjectType({ simpleResolvers: true, description: 'A node of the data-flow graph.' })
export class GraphNode {
  @Field(() => ID, { description: 'Unique in the graph: KIND:recordId, or COUNTRY:ISO code.' }) id!: string;
  @Field(() => GraphNodeKind) kind!: GraphNodeKind;
  @Field(() => ID, { nullable: true, description: 'Id of the record (null for a country).' }) recordId!: string | null;
  @Field({ description: 'Code or key of the record (system/dataset key for a dataset; ISO code for a country).' }) code!: string;
  @Field(() => LocalizedText) label!: LocalizedText;
  @Field(() => [GraphNodeFlag]) flags!: GraphNodeFlag[];
}

@ObjectType({ simpleResolvers: true, description: 'An edge of the data-flow graph: source and target are node ids.' })
export class GraphEdge {
  @Field(() => ID) source!: string;
  @Field(() => ID) target!: string;
  @Field(() => GraphEdgeKind) kind!: GraphEdgeKind;
}

@ObjectType({ simpleResolvers: true, description: 'Where the graph was cut: `shown` of `total` nodes or edges.' })
export class GraphTruncation {
  @Field(() => ID, { nullable: true, description: 'The node whose fan-out was cut; null for the activities themselves (maxActivities).' }) source!: string | null;
  @Field(() => GraphEdgeKind, { nullable: true, description: 'The kind of the edges cut; null for the activities.' }) edgeKind!: GraphEdgeKind | null;
  @Field(() => Int) shown!: number;
  @Field(() => Int) total!: number;
}

@ObjectType({ simpleResolvers: true, description: 'A flat data-flow graph over the activities a filter selects.' })
export class DataFlowGraph {
  @Field(() => [GraphNode]) nodes!: GraphNode[];
  @Field(() => [GraphEdge]) edges!: GraphEdge[];
  @Field(() => [GraphTruncation], { description: 'Every cut: the activities beyond maxActivities, and each node whose edges of one kind exceed maxFanOut.' }) truncations!: GraphTruncation[];
  @Field(() => [GraphNodeKind], { description: 'Node kinds the graph cannot show: empty today; as of a past date, DATASET and SYSTEM, which the audit trail does not record (their registration is not a register change).' })
  notReconstructed!: GraphNodeKind[];
}

interface EdgeRow { sk: string; sid: string; tk: string; tid: string; k: GraphEdgeKind; total: number }

/** The SQL of every edge reachable from the activities `$1`, each fan-out ranked; built once per model. */
function edgeSql(m: ReadModel, masked: boolean, optIn: boolean): string {
  const A = 'ProcessingActivity';
  const sc = pivot(m, A, 'subjectCategories');
  const pr = pivot(m, A, 'processors');
  const ju = pivot(m, A, 'jointUses');
  const rc = pivot(m, A, 'recipients');
  const ft = pivot(m, A, 'foreignTransfers');
  const sl = pivot(m, A, 'storageLocations');
  const ds = pivot(m, 'Dataset', 'activities');
  const sub = pivot(m, 'Processor', 'subProcessors');
  const dc = pivot(m, A, 'dataCategories');
  const lb = pivot(m, A, 'legalBases');
  const tr = `${ft.table} x join "foreign_transfer" g on g."id" = x.${ft.other} and g."archived_at" is null`;
  const parts = [
    `select 'SUBJECT_CATEGORY' sk, s."id"::text sid, 'ACTIVITY' tk, a."id"::text tid, 'SUBJECT_OF' k, a."code" ord
       from ${sc.table} x join "subject_category" s on s."id" = x.${sc.other} and s."archived_at" is null join "processing_activity" a on a."id" = x.${sc.own}
      where x.${sc.own} = any($1)`,
    `select 'ACTIVITY', x.${pr.own}::text, 'PROCESSOR', p."id"::text, 'ENTRUSTS', p."code"
       from ${pr.table} x join "processor" p on p."id" = x.${pr.other} and p."archived_at" is null where x.${pr.own} = any($1)`,
    `select 'ACTIVITY', x.${sl.own}::text, 'COUNTRY', s."country", 'STORED_IN', s."country"
       from ${sl.table} x join "storage_location" s on s."id" = x.${sl.other} and s."archived_at" is null where x.${sl.own} = any($1)`,
    // Sub-processors are followed from every processor reached, however deep the chain.
    `select 'PROCESSOR', c.p::text, 'PROCESSOR', c.s::text, 'SUB_PROCESSES', p."code" from chain c join "processor" p on p."id" = c.s and p."archived_at" is null`,
  ];
  if (optIn) {
    parts.push(
      `select 'DATA_CATEGORY', c."id"::text, 'ACTIVITY', a."id"::text, 'DATA_OF', a."code"
         from ${dc.table} x join "data_category" c on c."id" = x.${dc.other} and c."archived_at" is null join "processing_activity" a on a."id" = x.${dc.own}
        where x.${dc.own} = any($1)`,
      `select 'ACTIVITY', x.${lb.own}::text, 'LEGAL_BASIS', b."id"::text, 'BASED_ON', b."code"
         from ${lb.table} x join "legal_basis" b on b."id" = x.${lb.other} and b."archived_at" is null where x.${lb.own} = any($1)`,
    );
  }
  if (!masked) {
    parts.push(
      `select 'ACTIVITY', x.${ds.other}::text, 'DATASET', d."id"::text, 'USES_DATASET', y."key" || '/' || d."key"
         from ${ds.table} x join "dataset" d on d."id" = x.${ds.own} and d."archived_at" is null join "system" y on y."id" = d."system_id" where x.${ds.other} = any($1)`,
      `select 'DATASET', d."id"::text, 'SYSTEM', y."id"::text, 'PART_OF', y."key"
         from ${ds.table} x join "dataset" d on d."id" = x.${ds.own} and d."archived_at" is null join "system" y on y."id" = d."system_id" where x.${ds.other} = any($1)`,
      `select 'DATASET', d."id"::text, 'COUNTRY', s."country", 'STORED_IN', s."country"
         from ${ds.table} x join "dataset" d on d."id" = x.${ds.own} and d."archived_at" is null join "storage_location" s on s."id" = d."storage_location_id" and s."archived_at" is null
        where x.${ds.other} = any($1)`,
      `select 'ACTIVITY', x.${ju.own}::text, 'JOINT_USE', j."id"::text, 'JOINT_USE', j."code"
         from ${ju.table} x join "joint_use_arrangement" j on j."id" = x.${ju.other} and j."archived_at" is null where x.${ju.own} = any($1)`,
      `select 'ACTIVITY', x.${rc.own}::text, 'RECIPIENT', r."id"::text, 'PROVIDES', r."code"
         from ${rc.table} x join "third_party_recipient" r on r."id" = x.${rc.other} and r."archived_at" is null where x.${rc.own} = any($1)`,
      // A transfer's recipient is connected to the activity even where the activity does not list it.
      `select 'ACTIVITY', x.${ft.own}::text, 'PROCESSOR', p."id"::text, 'ENTRUSTS', p."code" from ${tr} join "processor" p on p."id" = g."processor_id" and p."archived_at" is null where x.${ft.own} = any($1)`,
      `select 'ACTIVITY', x.${ft.own}::text, 'JOINT_USE', j."id"::text, 'JOINT_USE', j."code" from ${tr} join "joint_use_arrangement" j on j."id" = g."joint_use_id" and j."archived_at" is null where x.${ft.own} = any($1)`,
      `select 'ACTIVITY', x.${ft.own}::text, 'RECIPIENT', r."id"::text, 'PROVIDES', r."code" from ${tr} join "third_party_recipient" r on r."id" = g."recipient_id" and r."archived_at" is null where x.${ft.own} = any($1)`,
      `select case when g."processor_id" is not null then 'PROCESSOR' when g."joint_use_id" is not null then 'JOINT_USE' when g."recipient_id" is not null then 'RECIPIENT' else 'ACTIVITY' end,
              coalesce(g."processor_id", g."joint_use_id", g."recipient_id", x.${ft.own})::text, 'COUNTRY', g."country", 'TRANSFERS_TO', g."country"
         from ${tr} where x.${ft.own} = any($1)`,
    );
  }
  const transferProcessors = masked ? '' : `union select g."processor_id" from ${tr} where x.${ft.own} = any($1) and g."processor_id" is not null`;
  return `with recursive chain(p, s) as (
      select y.${sub.own}, y.${sub.other} from ${sub.table} y
       where y.${sub.own} in (select x.${pr.other} from ${pr.table} x where x.${pr.own} = any($1) ${transferProcessors})
      union
      select y.${sub.own}, y.${sub.other} from ${sub.table} y join chain c on y.${sub.own} = c.s
    ), e as (
      select distinct * from (${parts.join('\n      union all ')}) u(sk, sid, tk, tid, k, ord)
    ), ranked as (
      select e.*, row_number() over (partition by sk, sid, k order by ord, tid) rn, count(*) over (partition by sk, sid, k) total from e
    )
    select sk, sid, tk, tid, k, total::int from ranked where rn <= $2 order by sk, sid, k, rn`;
}

const edgeSqlCache = new WeakMap<ReadModel, Map<string, string>>();
function cachedEdgeSql(m: ReadModel, masked: boolean, optIn: boolean): string {
  let byMask = edgeSqlCache.get(m);
  if (!byMask) edgeSqlCache.set(m, (byMask = new Map()));
  const key = `${masked}|${optIn}`;
  let sql = byMask.get(key);
  if (!sql) byMask.set(key, (sql = edgeSql(m, masked, optIn)));
  return sql;
}

/** Labels and flags of the non-activity nodes, one statement for all kinds. */
const NODE_SQL = `
  select 'SUBJECT_CATEGORY' kind, t."id"::text id, t."code", t."name", null country, t."role" = 'PROCESSOR' excluded, t."illustrative" from "subject_category" t where t."id" = any($1)
  union all select 'PROCESSOR', t."id"::text, t."code", t."name", t."country", false, t."illustrative" from "processor" t where t."id" = any($2)
  union all select 'JOINT_USE', t."id"::text, t."code", t."name", null, false, t."illustrative" from "joint_use_arrangement" t where t."id" = any($3)
  union all select 'RECIPIENT', t."id"::text, t."code", t."name", t."country", false, t."illustrative" from "third_party_recipient" t where t."id" = any($4)
  union all select 'DATASET', t."id"::text, y."key" || '/' || t."key", jsonb_build_object('ja', t."name", 'en', t."name"), s."country", false, t."illustrative"
    from "dataset" t join "system" y on y."id" = t."system_id" left join "storage_location" s on s."id" = t."storage_location_id" and s."archived_at" is null where t."id" = any($5)
  union all select 'SYSTEM', t."id"::text, t."key", jsonb_build_object('ja', t."name", 'en', t."name"), null, false, t."illustrative" from "system" t where t."id" = any($6)
  union all select 'DATA_CATEGORY', t."id"::text, t."code", t."name", t."kind"::text, false, t."illustrative" from "data_category" t where t."id" = any($7)
  union all select 'LEGAL_BASIS', t."id"::text, t."code", t."title", null, false, t."illustrative" from "legal_basis" t where t."id" = any($8)`;

const NODE_KINDS_WITH_ROWS = [GraphNodeKind.SUBJECT_CATEGORY, GraphNodeKind.PROCESSOR, GraphNodeKind.JOINT_USE, GraphNodeKind.RECIPIENT, GraphNodeKind.DATASET, GraphNodeKind.SYSTEM, GraphNodeKind.DATA_CATEGORY, GraphNodeKind.LEGAL_BASIS];
/** Kinds a caller asks for: the default graph stays the map's. */
export const OPT_IN_KINDS = [GraphNodeKind.DATA_CATEGORY, GraphNodeKind.LEGAL_BASIS];
const KIND_ORDER = Object.values(GraphNodeKind);

export interface GraphLimits { maxActivities: number; maxFanOut: number; include?: GraphNodeKind[] | null }

/**
 * The graph in three statements whatever the inventory's size: the activities (with their flags
 * and the total before the cap), every edge from them ranked per fan-out, and the labels of the
 * other nodes. An INTEGRATION caller gets what its field policy lets it select of an activity:
 * no datasets, joint uses, recipients or foreign transfers.
 */
export async function dataFlowGraph(ctx: Context, filter: ProcessingActivityFilter | undefined, limits: GraphLimits): Promise<DataFlowGraph> {
  const m = ctx.loaders.model;
  const masked = ownSystem(ctx) !== null;
  const { where, params } = activityFilterSql(m, filter);
  const dc = pivot(m, 'ProcessingActivity', 'dataCategories');
  const sl = pivot(m, 'ProcessingActivity', 'storageLocations');
  const ft = pivot(m, 'ProcessingActivity', 'foreignTransfers');
  const ds = pivot(m, 'Dataset', 'activities');
  const kindOf = (kind: string) => `exists (select 1 from ${dc.table} x join "data_category" c on c."id" = x.${dc.other} where x.${dc.own} = t."id" and c."kind" = '${kind}')`;
  const abroad = [
    `exists (select 1 from ${sl.table} x join "storage_location" s on s."id" = x.${sl.other} and s."archived_at" is null where x.${sl.own} = t."id" and s."country" <> ?)`,
    ...(masked ? [] : [
      `exists (select 1 from ${ft.table} x join "foreign_transfer" g on g."id" = x.${ft.other} and g."archived_at" is null where x.${ft.own} = t."id" and g."country" <> ?)`,
      `exists (select 1 from ${ds.table} x join "dataset" d on d."id" = x.${ds.own} and d."archived_at" is null join "storage_location" s on s."id" = d."storage_location_id" and s."archived_at" is null where x.${ds.other} = t."id" and s."country" <> ?)`,
    ]),
  ];
  const acts = await ctx.loaders.query<ActivityRow>(
    `with page as (
       select t."id", count(*) over () total from ${m.table('ProcessingActivity')} t ${where.length ? `where ${where.join(' and ')}` : ''} order by ${m.order('ProcessingActivity')} limit ?::int
     )
     select t."id", t."code", t."name", t."role" = 'PROCESSOR' excluded, t."archived_at" is not null archived, t."illustrative", page.total::int total,
            ${kindOf('SPECIAL_CARE')} special, ${kindOf('PERSONALLY_REFERABLE')} referable, (${abroad.join(' or ')}) abroad
       from page join ${m.table('ProcessingActivity')} t on t."id" = page."id" order by ${m.order('ProcessingActivity')}`,
    [...params, limits.maxActivities, ...abroad.map(() => HOME_COUNTRY)],
  );
  const include = new Set(limits.include ?? []);
  const optIn = OPT_IN_KINDS.some((k) => include.has(k));
  return assemble(acts, limits,
    (ids) => ctx.loaders.query<EdgeRow>(cachedEdgeSql(m, masked, optIn), [ids, limits.maxFanOut]),
    (byKind) => ctx.loaders.query<LabelRow>(NODE_SQL, NODE_KINDS_WITH_ROWS.map((k) => byKind.get(k))));
}

interface ActivityRow { id: number; code: string; name: LocalizedText; excluded: boolean; archived: boolean; illustrative: boolean; special: boolean; referable: boolean; abroad: boolean; total: number }
interface LabelRow { kind: GraphNodeKind; id: string; code: string; name: LocalizedText; country: string | null; excluded: boolean; illustrative: boolean }

/**
 * The graph from its activities, the edges leaving them (each fan-out ranked, at most maxFanOut
 * each, with its total) and the labels of the other nodes reached: the same for today's tables and
 * for the register as of a date.
 */
async function assemble(acts: ActivityRow[], limits: GraphLimits, edgesOf: (activityIds: number[]) => Promise<EdgeRow[]>, labelsOf: (byKind: Map<string, number[]>) => Promise<LabelRow[]>, notReconstructed: GraphNodeKind[] = []): Promise<DataFlowGraph> {
  const nodes = new Map<string, GraphNode>();
  for (const a of acts) {
    const flags: GraphNodeFlag[] = [];
    if (a.special) flags.push(GraphNodeFlag.SPECIAL_CARE);
    if (a.referable) flags.push(GraphNodeFlag.PERSONALLY_REFERABLE);
    if (a.abroad) flags.push(GraphNodeFlag.ABROAD);
    if (a.excluded) flags.push(GraphNodeFlag.EXCLUDED);
    if (a.archived) flags.push(GraphNodeFlag.ARCHIVED);
    if (a.illustrative) flags.push(GraphNodeFlag.ILLUSTRATIVE);
    nodes.set(`ACTIVITY:${a.id}`, { id: `ACTIVITY:${a.id}`, kind: GraphNodeKind.ACTIVITY, recordId: String(a.id), code: a.code, label: a.name, flags });
  }
  const truncations: GraphTruncation[] = [];
  const total = acts[0]?.total ?? 0;
  if (total > acts.length) truncations.push({ source: null, edgeKind: null, shown: acts.length, total });
  if (acts.length === 0) return { nodes: [], edges: [], truncations, notReconstructed };

  // Both opt-in kinds come from one statement: asking for either brings the edges of both, then the unasked kind is dropped.
  const include = new Set(limits.include ?? []);
  const rows = (await edgesOf(acts.map((a) => a.id)))
    .filter((r) => (r.k !== GraphEdgeKind.DATA_OF || include.has(GraphNodeKind.DATA_CATEGORY)) && (r.k !== GraphEdgeKind.BASED_ON || include.has(GraphNodeKind.LEGAL_BASIS)));
  const id = (kind: string, key: string) => `${kind}:${key}`;
  // A node reached only through edges the cap dropped is left out with them: keep what the activities reach.
  const out = new Map<string, EdgeRow[]>();
  for (const r of rows) {
    const s = id(r.sk, r.sid);
    let list = out.get(s);
    if (!list) out.set(s, (list = []));
    list.push(r);
  }
  const reached = new Set<string>(nodes.keys());
  const queue = [...reached];
  const kept: EdgeRow[] = [];
  const cut = new Map<string, GraphTruncation>();
  const take = (r: EdgeRow) => {
    kept.push(r);
    if (r.total > limits.maxFanOut) {
      const key = `${id(r.sk, r.sid)}|${r.k}`;
      if (!cut.has(key)) cut.set(key, { source: id(r.sk, r.sid), edgeKind: r.k, shown: limits.maxFanOut, total: r.total });
    }
  };
  // Subject and data categories point into the activities, so their edges are kept before the walk.
  const inbound = (k: GraphEdgeKind) => k === GraphEdgeKind.SUBJECT_OF || k === GraphEdgeKind.DATA_OF;
  for (const r of rows) if (inbound(r.k) && reached.has(id(r.tk, r.tid))) take(r);
  for (const r of kept) if (!reached.has(id(r.sk, r.sid))) reached.add(id(r.sk, r.sid));
  while (queue.length) {
    for (const r of out.get(queue.pop()!) ?? []) {
      if (inbound(r.k)) continue;
      take(r);
      const t = id(r.tk, r.tid);
      if (!reached.has(t)) { reached.add(t); queue.push(t); }
    }
  }
  truncations.push(...cut.values());

  const byKind = new Map<string, number[]>(NODE_KINDS_WITH_ROWS.map((k) => [k, []]));
  for (const n of reached) {
    const [kind, key] = n.split(':');
    byKind.get(kind)?.push(Number(key));
  }
  const labelled = await labelsOf(byKind);
  for (const r of labelled) {
    const flags: GraphNodeFlag[] = [];
    // A data category's row carries its kind where the others carry a country.
    if (r.kind === GraphNodeKind.DATA_CATEGORY) {
      if (r.country === 'SPECIAL_CARE') flags.push(GraphNodeFlag.SPECIAL_CARE);
      if (r.country === 'PERSONALLY_REFERABLE') flags.push(GraphNodeFlag.PERSONALLY_REFERABLE);
    } else if (r.country && r.country !== HOME_COUNTRY) flags.push(GraphNodeFlag.ABROAD);
    if (r.excluded) flags.push(GraphNodeFlag.EXCLUDED);
    if (r.illustrative) flags.push(GraphNodeFlag.ILLUSTRATIVE);
    nodes.set(id(r.kind, r.id), { id: id(r.kind, r.id), kind: r.kind, recordId: r.id, code: r.code, label: r.name, flags });
  }
  for (const n of reached) {
    if (!n.startsWith('COUNTRY:')) continue;
    const code = n.slice('COUNTRY:'.length);
    nodes.set(n, { id: n, kind: GraphNodeKind.COUNTRY, recordId: null, code, label: { ja: countryName(code, 'ja') ?? code, en: countryName(code, 'en') ?? code }, flags: code === HOME_COUNTRY ? [] : [GraphNodeFlag.ABROAD] });
  }
  const sorted = [...nodes.values()].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.code.localeCompare(b.code) || a.id.localeCompare(b.id));
  return {
    nodes: sorted,
    edges: kept.map((r) => ({ source: id(r.sk, r.sid), target: id(r.tk, r.tid), kind: r.k })),
    truncations,
    notReconstructed,
  };
}

type Rec = Record<string, unknown>;
const AS_OF_ENTITIES = ['ProcessingActivity', 'SubjectCategory', 'Processor', 'JointUseArrangement', 'ThirdPartyRecipient', 'ForeignTransfer', 'StorageLocation', 'DataCategory', 'LegalBasis'];
/** Filters whose meaning needs tables the audit trail does not rebuild (datasets, text search, the category tree). */
const NOT_AS_OF: Array<keyof ProcessingActivityFilter> = ['search', 'countries', 'dataCategoryIds'];

/**
 * The graph as the register stood at `at`: the activities and what they name rebuilt from the audit
 * trail (see inventoryAsOf), then the same edges, ranking, cuts and labels as today's graph. Datasets
 * and systems are not in the trail and are left out, which `notReconstructed` says. One statement
 * per entity and one over the trail, whatever the inventory's size.
 */
export async function dataFlowGraphAsOf(ctx: Context, at: Date, filter: ProcessingActivityFilter | undefined, limits: GraphLimits): Promise<DataFlowGraph> {
  if (ownSystem(ctx) !== null) throw new GraphQLError('the data map as of a date is read by people, not by an integration', { extensions: { code: 'FORBIDDEN', field: 'asOf' } });
  const unusable = NOT_AS_OF.filter((f) => filter?.[f] != null);
  if (unusable.length) throw badInput(unusable.map((f) => ({ path: `filter.${f}`, message: 'cannot be applied with asOf: it reads datasets, texts or the category tree as they are today' })));
  const recs = await recordsAsOf(ctx, at, AS_OF_ENTITIES);
  const byId = (entity: string) => new Map(recs.get(entity)!.map((r) => [Number(r.id), r]));
  const [subjects, processors, jointUses, recipients, transfers, locations, categories, bases] = AS_OF_ENTITIES.slice(1).map(byId);
  const live = (r: Rec | undefined): r is Rec => !!r && r.archivedAt == null;
  const idsOf = (r: Rec, key: string) => ((r[key] as number[] | undefined) ?? []).map(Number);
  const overlaps = (r: Rec, key: string, wanted?: string[] | null) => !wanted || idsOf(r, key).some((i) => wanted.includes(String(i)));

  const chosen = recs.get('ProcessingActivity')!
    .filter((a) => (filter?.includeArchived || a.archivedAt == null)
      && (!filter?.ids || filter.ids.includes(String(a.id)))
      && overlaps(a, 'subjectCategoryIds', filter?.subjectCategoryIds) && overlaps(a, 'purposeIds', filter?.purposeIds)
      && overlaps(a, 'processorIds', filter?.processorIds) && overlaps(a, 'legalBasisIds', filter?.legalBasisIds)
      && overlaps(a, 'recipientIds', filter?.recipientIds)
      && (!filter?.status || a.status === filter.status) && (!filter?.role || a.role === filter.role))
    .sort((a, b) => Number(a.id) - Number(b.id));
  const page = chosen.slice(0, limits.maxActivities);
  const kindIn = (a: Rec, kind: string) => idsOf(a, 'dataCategoryIds').some((c) => categories.get(c)?.kind === kind);
  const abroad = (a: Rec) => idsOf(a, 'storageLocationIds').some((l) => live(locations.get(l)) && locations.get(l)!.country !== HOME_COUNTRY)
    || idsOf(a, 'foreignTransferIds').some((t) => live(transfers.get(t)) && transfers.get(t)!.country !== HOME_COUNTRY);
  // A name too large for the trail is kept there only as a digest: the code stands in for it.
  const text = (v: unknown, code: unknown) => (v && typeof v === 'object' && !('digest' in v) ? (v as LocalizedText) : { ja: String(code), en: String(code) });
  const acts: ActivityRow[] = page.map((a) => ({
    id: Number(a.id), code: String(a.code), name: text(a.name, a.code), excluded: a.role === 'PROCESSOR', archived: a.archivedAt != null, illustrative: !!a.illustrative,
    special: kindIn(a, 'SPECIAL_CARE'), referable: kindIn(a, 'PERSONALLY_REFERABLE'), abroad: abroad(a), total: chosen.length,
  }));

  const edgesOf = async (activityIds: number[]): Promise<EdgeRow[]> => {
    const all = new Map<string, EdgeRow & { ord: string }>();
    const add = (sk: string, sid: unknown, tk: string, tid: unknown, k: GraphEdgeKind, ord: unknown) => {
      const e = { sk, sid: String(sid), tk, tid: String(tid), k, ord: String(ord), total: 0 };
      all.set(`${e.sk}|${e.sid}|${e.tk}|${e.tid}|${e.k}|${e.ord}`, e);
    };
    const chainFrom = new Set<number>();
    const pageById = new Map(page.map((a) => [Number(a.id), a]));
    for (const id of activityIds) {
      const a = pageById.get(id)!;
      for (const i of idsOf(a, 'subjectCategoryIds')) if (live(subjects.get(i))) add('SUBJECT_CATEGORY', i, 'ACTIVITY', id, GraphEdgeKind.SUBJECT_OF, a.code);
      for (const i of idsOf(a, 'processorIds')) {
        chainFrom.add(i);
        if (live(processors.get(i))) add('ACTIVITY', id, 'PROCESSOR', i, GraphEdgeKind.ENTRUSTS, processors.get(i)!.code);
      }
      for (const i of idsOf(a, 'storageLocationIds')) if (live(locations.get(i))) add('ACTIVITY', id, 'COUNTRY', locations.get(i)!.country, GraphEdgeKind.STORED_IN, locations.get(i)!.country);
      for (const i of idsOf(a, 'dataCategoryIds')) if (live(categories.get(i))) add('DATA_CATEGORY', i, 'ACTIVITY', id, GraphEdgeKind.DATA_OF, a.code);
      for (const i of idsOf(a, 'legalBasisIds')) if (live(bases.get(i))) add('ACTIVITY', id, 'LEGAL_BASIS', i, GraphEdgeKind.BASED_ON, bases.get(i)!.code);
      for (const i of idsOf(a, 'jointUseIds')) if (live(jointUses.get(i))) add('ACTIVITY', id, 'JOINT_USE', i, GraphEdgeKind.JOINT_USE, jointUses.get(i)!.code);
      for (const i of idsOf(a, 'recipientIds')) if (live(recipients.get(i))) add('ACTIVITY', id, 'RECIPIENT', i, GraphEdgeKind.PROVIDES, recipients.get(i)!.code);
      for (const i of idsOf(a, 'foreignTransferIds')) {
        const g = transfers.get(i);
        if (!live(g)) continue;
        const [p, j, r] = [g.processorId, g.jointUseId, g.recipientId].map((x) => (x == null ? null : Number(x)));
        if (p != null) chainFrom.add(p);
        if (p != null && live(processors.get(p))) add('ACTIVITY', id, 'PROCESSOR', p, GraphEdgeKind.ENTRUSTS, processors.get(p)!.code);
        if (j != null && live(jointUses.get(j))) add('ACTIVITY', id, 'JOINT_USE', j, GraphEdgeKind.JOINT_USE, jointUses.get(j)!.code);
        if (r != null && live(recipients.get(r))) add('ACTIVITY', id, 'RECIPIENT', r, GraphEdgeKind.PROVIDES, recipients.get(r)!.code);
        const [sk, sid] = p != null ? ['PROCESSOR', p] : j != null ? ['JOINT_USE', j] : r != null ? ['RECIPIENT', r] : ['ACTIVITY', id];
        add(sk as string, sid, 'COUNTRY', g.country, GraphEdgeKind.TRANSFERS_TO, g.country);
      }
    }
    // Sub-processors from every processor reached, however deep the chain.
    const seen = new Set<number>();
    const queue = [...chainFrom];
    while (queue.length) {
      const p = queue.pop()!;
      if (seen.has(p)) continue;
      seen.add(p);
      for (const sp of idsOf(processors.get(p) ?? {}, 'subProcessorIds')) {
        if (live(processors.get(sp))) add('PROCESSOR', p, 'PROCESSOR', sp, GraphEdgeKind.SUB_PROCESSES, processors.get(sp)!.code);
        queue.push(sp);
      }
    }
    // Ranked per fan-out as the SQL ranks them: by the target's code, then its id.
    const groups = new Map<string, Array<EdgeRow & { ord: string }>>();
    for (const e of all.values()) {
      const key = `${e.sk}|${e.sid}|${e.k}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = []));
      g.push(e);
    }
    const out: EdgeRow[] = [];
    const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
    for (const key of [...groups.keys()].sort(cmp)) {
      const g = groups.get(key)!.sort((x, y) => cmp(x.ord, y.ord) || cmp(x.tid, y.tid));
      for (const e of g.slice(0, limits.maxFanOut)) out.push({ sk: e.sk, sid: e.sid, tk: e.tk, tid: e.tid, k: e.k, total: g.length });
    }
    return out;
  };

  const labelsOf = async (byKind: Map<string, number[]>): Promise<LabelRow[]> => {
    const out: LabelRow[] = [];
    const label = (kind: GraphNodeKind, source: Map<number, Rec>, country: (r: Rec) => unknown, name: (r: Rec) => unknown = (r) => r.name) => {
      for (const i of byKind.get(kind) ?? []) {
        const r = source.get(i);
        if (r) out.push({ kind, id: String(i), code: String(r.code), name: text(name(r), r.code), country: (country(r) as string | null) ?? null, excluded: kind === GraphNodeKind.SUBJECT_CATEGORY && r.role === 'PROCESSOR', illustrative: !!r.illustrative });
      }
    };
    label(GraphNodeKind.SUBJECT_CATEGORY, subjects, () => null);
    label(GraphNodeKind.PROCESSOR, processors, (r) => r.country);
    label(GraphNodeKind.JOINT_USE, jointUses, () => null);
    label(GraphNodeKind.RECIPIENT, recipients, (r) => r.country);
    label(GraphNodeKind.DATA_CATEGORY, categories, (r) => r.kind);
    label(GraphNodeKind.LEGAL_BASIS, bases, () => null, (r) => r.title);
    return out;
  };
  return assemble(acts, limits, edgesOf, labelsOf, [GraphNodeKind.DATASET, GraphNodeKind.SYSTEM]);
}
