import type pg from 'pg';
import { HOME_COUNTRY } from '../config.js';
import type { ReadModel, Row } from '../graphql/loaders.js';
import { numbered, statementName } from '../graphql/loaders.js';
import type { Localized } from '../graphql/localized-text.js';
import { ActionStatus, DatasetHolding, DatasetMatch, ResolutionScope, type ForeignLocation, type HoldingConfirmation, type Resolution, type RequestAction, type WithheldRecipient } from './resolution.types.js';
import { RequestType } from './request.entity.js';
import { resolutionLinks } from './resolution-flow.js';


export interface ResolutionInput {
  type: RequestType;
  claimedSubjectCategoryCodes: string[];
  identities: Array<{ identityType: string; hash: Buffer }>;
  /** The privacy team's findings on POSSIBLE datasets, by dataset id. */
  confirmations?: Map<number, HoldingConfirmation>;
  /** Its findings on activities no dataset serves, by activity id. */
  activityConfirmations?: Map<number, HoldingConfirmation>;
}

const ERASING = new Set([RequestType.ERASE, RequestType.DELETE]);
const STOPPING = new Set([RequestType.STOP_USE, RequestType.RESTRICT, RequestType.OBJECT]);
const CORRECTING = new Set([RequestType.CORRECT, RequestType.ADD, RequestType.RECTIFY]);
const DISCLOSING = new Set([RequestType.DISCLOSE, RequestType.ACCESS, RequestType.PORT]);
const RECIPIENT_TYPES = new Set([RequestType.STOP_THIRD_PARTY_PROVISION, RequestType.DISCLOSE_PROVISION_RECORDS, RequestType.ACCESS, RequestType.DISCLOSE]);

const text = (l: unknown) => (l as Localized | null)?.en ?? (l as Localized | null)?.ja ?? '';

/**
 * The datasets come from the activities' links (index on the activity side); the index is then
 * probed per dataset, LIMIT 1 keeping the planner from hashing the whole subject index. The
 * "indexed for these types" probe is ordered by the key's next column: unordered, a LIMIT 1 was
 * planned as a sequential scan stopped at the first match, which on a freshly loaded index (no
 * visibility map yet, and 0.1 entries per dataset where the statistics say 100) read the whole
 * table for each dataset: 72–86 ms against 2.1 ms at size XS (inside an EXISTS the order and the
 * limit are dropped, and so is the probe). The system's declared types are read from the joined
 * row: a subquery per dataset scanned the systems table each time (27 of 112 ms at size L).
 * Parameters: included activity ids, held dataset ids, identity types and hashes, then the types twice.
 */
export function resolutionDatasetsSql(model: ReadModel, fields?: ReadonlySet<string> | null): string {
  return `select ${model.select('Dataset', 't', fields)},
     case when held.x is not null then 'HELD' when indexed.x is not null then 'NOT_HELD' else 'POSSIBLE' end as "__match",
     sy."key" as "__system",
     coalesce((select array_agg(da."processing_activity_id") from "dataset_activities" da where da."dataset_id" = t."id"), '{}') as "__activities"
   from (select da."dataset_id" from "dataset_activities" da where da."processing_activity_id" = any(?::int[])
     union select unnest(?::int[])) l
   join "dataset" t on t."id" = l."dataset_id"
   join "system" sy on sy."id" = t."system_id"
   left join lateral (select 1 as x from unnest(?::text[], ?::bytea[]) as r(it, h)
     join "subject_index_entry" e on e."dataset_id" = t."id" and e."identity_type" = r.it and e."hash" = r.h limit 1) held on true
   left join lateral (select 1 as x where jsonb_exists_any(sy."indexed_identity_types", ?::text[])
     union all (select 1 from "subject_index_entry" e where e."dataset_id" = t."id" and e."identity_type" = any(?::text[]) order by e."identity_type" limit 1)
     limit 1) indexed on true
   where t."archived_at" is null and (t."status" = 'ACTIVE' or held.x is not null)
   order by t."id"`;
}

/**
 * `fieldDetail` false skips the datasets' fields and categories and the actions. `columns` narrows
 * the dataset and processor rows to the scalars a query reads (see ReadModel.narrow; null or
 * absent: every column). At size L a request reaches ~1,800 of each, and parsing every column of
 * them (names, descriptions, contracts, four timestamps) was most of the server's time on it.
 */
export interface ResolveOptions {
  fieldDetail: boolean;
  columns?: { Dataset?: ReadonlySet<string> | null; Processor?: ReadonlySet<string> | null };
}

/** The scalars the resolution itself reads from its dataset and processor rows (ids and foreign keys always come). */
const OWN_COLUMNS = { Dataset: ['key', 'status'], Processor: ['code'] } as const;
const withOwn = (entity: keyof typeof OWN_COLUMNS, fields: ReadonlySet<string> | null | undefined) => (fields ? new Set([...fields, ...OWN_COLUMNS[entity]]) : null);

/**
 * Resolves a request to what it touches with a fixed number of set-based statements (about ten),
 * whatever the size of the inventory: activities, exclusions, datasets with their index match,
 * processors with sub-processors (cycle-safe), joint users, recipients, foreign locations, actions.
 */
export async function resolveRequest(db: pg.Pool | pg.PoolClient, model: ReadModel, req: ResolutionInput, opts: ResolveOptions = { fieldDetail: true }): Promise<Resolution> {
  // Prepared statements: planning these set-based statements cost more than running them on a small inventory.
  const q = async <T = Row>(sql: string, params: unknown[] = []) => {
    const text = numbered(sql);
    const name = statementName(text);
    return (await db.query(name ? { name, text, values: params } : { text, values: params })).rows as T[];
  };
  const sel = (e: string, alias = 't') => model.select(e, alias);

  const types = req.identities.map((i) => i.identityType);
  const hashes = req.identities.map((i) => i.hash);
  // The person first: the datasets where the subject index holds one of the identities, whatever
  // the category (retired ones too: the entry stays until the erasure is reported with op REMOVE).
  // Read in the same statement as the claimed categories — one row per category, or one row of
  // nulls — so the statement count stays within the bound the scale test sets.
  const firstRows = await q<Row & { __held: Array<{ dataset: number; activities: number[] }> }>(
    `select ${sel('SubjectCategory')}, h.held as "__held"
     from (select coalesce(json_agg(json_build_object('dataset', p."dataset_id",
             'activities', coalesce((select array_agg(da."processing_activity_id") from "dataset_activities" da where da."dataset_id" = p."dataset_id"), '{}'))), '[]') as held
       from (select distinct e."dataset_id" from unnest(?::text[], ?::bytea[]) as r(it, h)
         join "subject_index_entry" e on e."identity_type" = r.it and e."hash" = r.h
         join "dataset" d on d."id" = e."dataset_id" and d."archived_at" is null) p) h
     left join "subject_category" t on t."code" = any(?::text[])`,
    [types, hashes, req.claimedSubjectCategoryCodes],
  );
  const claimed = firstRows.filter((r) => r.id != null).map(({ __held: _h, ...c }) => c);
  const claimedIds = claimed.map((c) => Number(c.id));
  const held = firstRows[0]?.__held ?? [];
  const heldDatasetIds = held.map((r) => Number(r.dataset));
  const heldActivityIds = [...new Set(held.flatMap((r) => r.activities.map(Number)))];
  const scope = claimedIds.length ? ResolutionScope.CLAIMED_CATEGORIES : heldDatasetIds.length ? ResolutionScope.INDEXED : ResolutionScope.UNNARROWED;
  const warnings: string[] = [];
  if (scope === ResolutionScope.UNNARROWED) {
    warnings.push('UNNARROWED: no subject category was claimed and the subject index holds none of the identities; every activity the organization controls is listed as possibly applicable, not as applicable. Ask the requester for their relationship with the organization or check the unindexed systems before replying.');
  }

  type ActivityRow = Row & { __subjects: Array<{ id: number; role: string; accepted: boolean; route: Localized | null }> };
  const activityRows = await q<ActivityRow>(
    `select ${sel('ProcessingActivity')},
       coalesce((select json_agg(json_build_object('id', sc."id", 'role', sc."role", 'accepted', sc."requests_accepted", 'route', sc."entrusting_controller"))
         from "processing_activity_subject_categories" x join "subject_category" sc on sc."id" = x."subject_category_id"
         where x."processing_activity_id" = t."id"), '[]') as "__subjects"
     from "processing_activity" t
     where t."archived_at" is null and t."status" <> 'RETIRED'
       and (? = 'UNNARROWED' or t."id" = any(?::int[])
         or exists (select 1 from "processing_activity_subject_categories" x where x."processing_activity_id" = t."id" and x."subject_category_id" = any(?::int[])))
     order by t."id"`,
    [scope, heldActivityIds, claimedIds],
  );

  const claimedById = new Map(claimed.map((c) => [Number(c.id), c]));
  const reachedClaims = new Set<number>();
  const heldActivity = new Set(heldActivityIds);
  const activities: Resolution['activities'] = [];
  const excludedActivities: Resolution['excludedActivities'] = [];
  for (const { __subjects, ...a } of activityRows) {
    const byClaim = __subjects.filter((s) => claimedById.has(s.id));
    for (const c of byClaim) reachedClaims.add(c.id);
    const byIndex = heldActivity.has(Number(a.id));
    // Reached through the index only, every subject category of the activity may be the person's.
    const relevant = byClaim.length ? byClaim : __subjects;
    const entrusted = relevant.length > 0 && relevant.every((s) => s.role === 'PROCESSOR' || !s.accepted);
    if (a.role === 'PROCESSOR' || entrusted) {
      excludedActivities.push({
        activity: a,
        reason: 'the organization holds this data as a processor for another controller (entrusted data): the request goes to that controller',
        routeTo: relevant.find((s) => s.route)?.route ?? null,
      });
      continue;
    }
    activities.push({
      activity: a,
      matchedSubjectCategories: byClaim.map((s) => claimedById.get(s.id)).filter(Boolean),
      reason: byIndex
        ? 'the subject index holds the person in one of its datasets'
        : claimedIds.length ? 'its subject categories include a claimed category' : 'no category was claimed and the index holds nothing: every activity the organization controls, possibly applicable',
    });
  }
  const included = activities.map((a) => Number((a.activity as Row).id));
  // A category the notice names but no activity of the inventory processes: an empty resolution
  // here says nothing about what is held about the person.
  const uncovered = claimed.filter((c) => !reachedClaims.has(Number(c.id))).map((c) => String(c.code));
  for (const code of uncovered) warnings.push(`NO_ACTIVITY: no processing activity of the inventory processes the claimed subject category "${code}"; nothing here shows what is held about the person in it. Record its activities and datasets, or check by hand, before replying.`);
  if (scope === ResolutionScope.UNNARROWED && !activityRows.length) {
    uncovered.push('*');
    warnings.push('NO_ACTIVITY: the inventory records no processing activity; nothing here shows what is held about the person. Record the activities and datasets, or check by hand, before replying.');
  }
  // Held only in activities the organization runs as a processor: the data is the entrusting
  // controller's, not retained personal data of ours; the request is routed there (excludedActivities).
  const excludedIds = new Set(excludedActivities.map((e) => Number((e.activity as Row).id)));
  const ownHeldIds = held.filter((h) => !(h.activities.length && h.activities.every((a) => excludedIds.has(Number(a))))).map((h) => Number(h.dataset));

  const datasetRows = await q<Row & { __match: DatasetMatch; __system: string; __activities: number[] }>(
    resolutionDatasetsSql(model, withOwn('Dataset', opts.columns?.Dataset)),
    [included, ownHeldIds, types, hashes, types, types],
  );
  const datasetIds = datasetRows.map((d) => Number(d.id));
  const fieldRows = datasetIds.length && opts.fieldDetail
    ? await q<Row & { __cats: number[] }>(
        `select ${sel('DatasetField')}, coalesce((select array_agg(c."data_category_id") from "dataset_field_data_categories" c where c."field_id" = t."id"), '{}') as "__cats"
         from "dataset_field" t where t."dataset_id" = any(?) and t."archived_at" is null
           and (t."identity_type" is not null or exists (select 1 from "dataset_field_data_categories" c where c."field_id" = t."id"))
         order by t."id"`,
        [datasetIds],
      )
    : [];
  const catIds = [...new Set(fieldRows.flatMap((f) => f.__cats.map(Number)))];
  const categories = catIds.length ? await q(`select ${sel('DataCategory')} from "data_category" t where t."id" = any(?)`, [catIds]) : [];
  const catById = new Map(categories.map((c) => [Number(c.id), c]));
  const fieldsOf = new Map<number, typeof fieldRows>();
  for (const f of fieldRows) fieldsOf.set(Number(f.dataset), [...(fieldsOf.get(Number(f.dataset)) ?? []), f]);
  for (const d of datasetRows) {
    if (d.status === 'RETIRED') warnings.push(`RETIRED_DATASET_HOLDS_PERSON: dataset ${String(d.key)} is retired but the subject index still holds the person; it stays in the resolution until the erasure is reported.`);
  }
  const systemOf = new Map<number, string>();
  const datasetActivities = new Map(datasetRows.map((d) => [Number(d.id), d.__activities.map(Number)]));
  const served = new Set([...datasetActivities.values()].flat());
  for (const a of activities) {
    const id = Number((a.activity as Row).id);
    a.confirmation = served.has(id) ? null : req.activityConfirmations?.get(id) ?? null;
  }
  // What the data found in such an activity is, frozen with the evidence like a dataset's
  // categories (one statement, only when the team found some).
  const found = activities.filter((a) => a.confirmation?.holding === DatasetHolding.HELD).map((a) => Number((a.activity as Row).id));
  if (found.length) {
    const rows = await q<Row & { __activity: number }>(`select ${sel('DataCategory')}, x."processing_activity_id" as "__activity" from "processing_activity_data_categories" x
      join "data_category" t on t."id" = x."data_category_id" where x."processing_activity_id" = any(?) order by t."id"`, [found]);
    const byActivity = new Map<number, Row[]>(found.map((id) => [id, []]));
    for (const { __activity, ...c } of rows) byActivity.get(Number(__activity))!.push(c);
    for (const a of activities) {
      const cats = byActivity.get(Number((a.activity as Row).id));
      if (cats) a.foundCategories = cats;
    }
  }
  const datasets: Resolution['datasets'] = datasetRows.map(({ __match, __system, __activities: _a, ...d }) => {
    const fields = fieldsOf.get(Number(d.id)) ?? [];
    const cats = [...new Set(fields.flatMap((f) => f.__cats.map(Number)))].map((id) => catById.get(id)).filter(Boolean);
    systemOf.set(Number(d.id), __system);
    // A finding settles only what the index could not answer; HELD and NOT_HELD stand as the index says.
    const confirmation = __match === DatasetMatch.POSSIBLE ? req.confirmations?.get(Number(d.id)) ?? null : null;
    return { dataset: d, match: __match, fields: fields.map(({ __cats: _c, ...f }) => f), dataCategories: cats, confirmation };
  });

  // Processors engaged on the activities or hosting the datasets, and every sub-processor below
  // them: the reachable set by a deduplicating recursion (linear in the graph, cycle-safe), then
  // the shortest chain to each by breadth-first search over the edges among them. The included
  // activities of each processor are grouped once (engaged): probed per reached processor, the
  // activity list was searched in the index 1,770 times (122 of 137 ms at size L).
  const reach = await q<{ id: number; direct: boolean; edges: Array<[number, number]> | null; activities: number[] }>(
    `with recursive direct as (
        select x."processor_id" as id from "processing_activity_processors" x where x."processing_activity_id" = any(?::int[])
        union select d."processor_id" from "dataset" d where d."id" = any(?::int[]) and d."processor_id" is not null),
      reach(id) as (select id from direct union select s."sub_processor_id" from reach r join "processor_sub_processors" s on s."processor_id" = r.id),
      engaged as (select x."processor_id" as id, array_agg(x."processing_activity_id") as activities
        from "processing_activity_processors" x where x."processing_activity_id" = any(?::int[]) group by x."processor_id")
     select r.id, r.id in (select id from direct) as direct, coalesce(e.activities, '{}') as activities,
       (select json_agg(json_build_array(s."processor_id", s."sub_processor_id")) from "processor_sub_processors" s where s."processor_id" = r.id) as edges
     from reach r left join engaged e on e.id = r.id`,
    [included, datasetIds, included],
  );
  const chains = shortestChains(reach);
  const processorRows = chains.size
    ? await q(`select ${model.select('Processor', 't', withOwn('Processor', opts.columns?.Processor))} from "processor" t where t."id" = any(?) and t."archived_at" is null`, [[...chains.keys()]])
    : [];
  const processorCode = new Map(processorRows.map((p) => [Number(p.id), String(p.code)]));
  const processorIds = processorRows.map((p) => Number(p.id));
  const processors: Resolution['processors'] = processorRows
    .map((p) => ({ p, path: chains.get(Number(p.id))! }))
    .sort((a, b) => a.path.length - b.path.length || Number(a.p.id) - Number(b.p.id))
    .map(({ p, path }) => {
      const via = path.length === 1 ? 'DIRECT' : 'SUB_PROCESSOR';
      return { processor: p, via, chain: path.map((id) => processorCode.get(id) ?? String(id)), instruction: processorInstruction(req.type, via) };
    });

  const purposes = included.length
    ? await q(`select ${sel('Purpose')}, array_agg(x."processing_activity_id" order by x."processing_activity_id") as "__activities"
        from "purpose" t join "processing_activity_purposes" x on x."purpose_id" = t."id" where x."processing_activity_id" = any(?) and t."archived_at" is null group by t."id" order by t."id"`, [included])
    : [];
  const jointLinked = await q<Row & { __activities: number[] }>(
    `select ${sel('JointUseArrangement')}, coalesce((select array_agg(x."processing_activity_id") from "processing_activity_joint_uses" x where x."joint_use_arrangement_id" = t."id" and x."processing_activity_id" = any(?::int[])), '{}') as "__activities" from "joint_use_arrangement" t where t."archived_at" is null
       and exists (select 1 from "processing_activity_joint_uses" x where x."joint_use_arrangement_id" = t."id" and x."processing_activity_id" = any(?)) order by t."id"`,
    [included, included],
  );
  const jointUseActivities = new Map(jointLinked.map((j) => [Number(j.id), j.__activities.map(Number)]));
  const jointRows = jointLinked.map(({ __activities: _a, ...j }) => j);
  const jointUsers: Resolution['jointUsers'] = jointRows.map((j) => ({
    arrangement: j,
    responsibleManager: j.responsibleManager,
    instruction: `inform the responsible manager (${text((j.responsibleManager as { name?: unknown })?.name)}) so that every joint user acts on the request`,
  }));

  // Provisions under an APPI Art. 27(1) exception (laws, life and property, public health, state
  // agencies, …) are not disclosed by default: listed apart so the privacy team decides case by case.
  const recipientRows = RECIPIENT_TYPES.has(req.type)
    ? await q<Row & { __exception: { article: string; title: Localized } | null; __activities: number[] }>(
        `select ${sel('ThirdPartyRecipient')}, coalesce((select array_agg(x."processing_activity_id") from "processing_activity_recipients" x where x."third_party_recipient_id" = t."id" and x."processing_activity_id" = any(?::int[])), '{}') as "__activities",
           (select json_build_object('article', lb."article", 'title', lb."title") from "legal_basis" lb
             where lb."id" = t."basis_id" and lb."framework" = 'APPI' and lb."article" like 'Art. 27(1)(%') as "__exception"
         from "third_party_recipient" t where t."archived_at" is null
           and exists (select 1 from "processing_activity_recipients" x where x."third_party_recipient_id" = t."id" and x."processing_activity_id" = any(?)) order by t."id"`,
        [included, included],
      )
    : [];
  const recipients: Row[] = [];
  const withheldRecipients: WithheldRecipient[] = [];
  const recipientActivities = new Map(recipientRows.map((r) => [Number(r.id), r.__activities.map(Number)]));
  for (const { __exception, __activities: _a, ...r } of recipientRows) {
    if (!__exception) recipients.push(r);
    else withheldRecipients.push({ recipient: r, article: __exception.article, reason: `provided under an APPI ${__exception.article} legal exception (${text(__exception.title)}): not disclosed by default` });
  }

  // The included activities' links are grouped once per location or transfer (linked): probed per
  // row, the activity list was searched in the index for each (35 of 45 ms for 272 locations at
  // size L).
  const storageLinked = await q<Row & { __activities: number[] }>(
    `with linked as (select x."storage_location_id" as id, array_agg(x."processing_activity_id") as activities
       from "processing_activity_storage_locations" x where x."processing_activity_id" = any(?::int[]) group by x."storage_location_id")
     select ${sel('StorageLocation')}, coalesce(l.activities, '{}') as "__activities" from "storage_location" t left join linked l on l.id = t."id"
     where t."archived_at" is null and t."country" <> ?
       and (l.id is not null
         or t."id" in (select d."storage_location_id" from "dataset" d where d."id" = any(?::int[]))
         or t."hosting_processor_id" = any(?::int[]))
     order by t."id"`,
    [included, HOME_COUNTRY, datasetIds, processorIds],
  );
  const storage = storageLinked.map(({ __activities: _a, ...s }) => s);
  const transfersLinked = await q<Row & { __activities: number[] }>(
    `with linked as (select x."foreign_transfer_id" as id, array_agg(x."processing_activity_id") as activities
       from "processing_activity_foreign_transfers" x where x."processing_activity_id" = any(?::int[]) group by x."foreign_transfer_id")
     select ${sel('ForeignTransfer')}, coalesce(l.activities, '{}') as "__activities" from "foreign_transfer" t left join linked l on l.id = t."id"
     where t."archived_at" is null and t."country" <> ?
       and (l.id is not null
         or t."processor_id" = any(?::int[]) or t."joint_use_id" = any(?::int[])
         or t."recipient_id" in (select x."third_party_recipient_id" from "processing_activity_recipients" x where x."processing_activity_id" = any(?::int[])))
     order by t."id"`,
    [included, HOME_COUNTRY, processorIds, jointRows.map((j) => Number(j.id)), included],
  );
  const transfers = transfersLinked.map(({ __activities: _a, ...f }) => f);
  const countries = [...new Set([...storage, ...transfers].map((r) => String(r.country)))];
  const assessments = countries.length ? await q(`select ${sel('CountryAssessment')} from "country_assessment" t where t."country" = any(?) and t."archived_at" is null`, [countries]) : [];
  const assessmentOf = new Map(assessments.map((a) => [String(a.country), a]));
  const foreignLocations: ForeignLocation[] = [
    ...storage.map((s) => ({ country: String(s.country), kind: 'STORAGE', storageLocation: s, foreignTransfer: null, basis: null, assessment: assessmentOf.get(String(s.country)) ?? null })),
    ...transfers.map((f) => ({ country: String(f.country), kind: 'TRANSFER', storageLocation: null, foreignTransfer: f, basis: f.basis as never, assessment: assessmentOf.get(String(f.country)) ?? null })),
  ];

  const opt = (v: unknown) => (v == null ? null : Number(v));
  const links = resolutionLinks({
    resolution: { activities, excludedActivities, datasets, processors, jointUsers, thirdPartyRecipients: recipients, withheldRecipients },
    heldActivityIds: heldActivity,
    datasetActivities,
    processorActivities: new Map(reach.filter((r) => r.activities.length).map((r) => [Number(r.id), r.activities.map(Number)])),
    subProcessing: reach.flatMap((r) => (r.edges ?? []).map(([p, sp]) => [Number(p), Number(sp)] as [number, number])),
    jointUseActivities,
    recipientActivities,
    storage: storageLinked.map((s) => ({ id: Number(s.id), country: String(s.country), activities: s.__activities.map(Number), hostingProcessor: opt(s.hostingProcessor) })),
    transfers: transfersLinked.map((t) => ({ country: String(t.country), activities: t.__activities.map(Number), processor: opt(t.processor), jointUse: opt(t.jointUse), recipient: opt(t.recipient) })),
  });

  return {
    frozen: false,
    computedAt: new Date(),
    links,
    activities,
    purposes,
    excludedActivities,
    datasets,
    processors,
    jointUsers,
    thirdPartyRecipients: recipients,
    withheldRecipients,
    scope,
    warnings,
    foreignLocations,
    actions: !opts.fieldDetail ? [] : actionsFor(req.type, { activities, excludedActivities, datasets, processors, jointUsers, recipients, systemOf, served }),
    settlementRequired: settlementRequired(req.type),
    uncoveredSubjectCategoryCodes: uncovered,
    unindexedActivityCodes: activities.filter((a) => !served.has(Number((a.activity as Row).id))).map((a) => String((a.activity as Row).code)),
  };
}

/**
 * Whether the reply answers for the data held about the person, and so may not be sent while a
 * dataset that may hold them is unchecked: it would say "no data" of data nobody looked at. The
 * purposes of use and the records of provision are answered from the inventory alone.
 */
export function settlementRequired(type: RequestType): boolean {
  return type !== RequestType.NOTIFY_PURPOSE && type !== RequestType.DISCLOSE_PROVISION_RECORDS;
}

/** POSSIBLE datasets nobody has settled yet. */
export function unsettledDatasets(datasets: Resolution['datasets']): Resolution['datasets'] {
  return datasets.filter((d) => d.match === DatasetMatch.POSSIBLE && !d.confirmation);
}

/** Activities no dataset serves that nobody has settled yet. */
export function unsettledActivities(res: Pick<Resolution, 'activities' | 'unindexedActivityCodes'>): Resolution['activities'] {
  const unindexed = new Set(res.unindexedActivityCodes ?? []);
  return res.activities.filter((a) => unindexed.has(String((a.activity as Row).code)) && !a.confirmation);
}

/** Shortest chain (direct processor → … → this one) to every reachable processor. */
export function shortestChains(reach: Array<{ id: number; direct: boolean; edges: Array<[number, number]> | null }>): Map<number, number[]> {
  const next = new Map<number, number[]>();
  for (const r of reach) next.set(Number(r.id), (r.edges ?? []).map((e) => Number(e[1])));
  const chains = new Map<number, number[]>();
  const queue: number[] = [];
  for (const r of reach) if (r.direct) {
    chains.set(Number(r.id), [Number(r.id)]);
    queue.push(Number(r.id));
  }
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i];
    for (const sub of next.get(id) ?? []) {
      if (chains.has(sub)) continue;
      chains.set(sub, [...chains.get(id)!, sub]);
      queue.push(sub);
    }
  }
  return chains;
}

function processorInstruction(type: RequestType, via: string): string {
  const pass = via === 'SUB_PROCESSOR' ? ' (reached through its engaging processor)' : ' and have it pass the instruction to its sub-processors';
  if (ERASING.has(type)) return `erase the person's data it processes for us and confirm${pass}`;
  if (STOPPING.has(type)) return `stop using the person's data${pass}`;
  if (CORRECTING.has(type)) return `apply the correction to the person's data${pass}`;
  if (DISCLOSING.has(type)) return `provide the person's data it processes for the disclosure${pass}`;
  return `no action needed unless asked; keep for the record${pass}`;
}

/** What a request of this type does to the person's data where it is found (a dataset, or an activity no dataset serves). */
export function dataAction(type: RequestType): 'ERASE' | 'STOP_USE' | 'CORRECT' | 'EXPORT' | 'DISCLOSE' | null {
  return ERASING.has(type) ? 'ERASE' : STOPPING.has(type) ? 'STOP_USE' : CORRECTING.has(type) ? 'CORRECT' : type === RequestType.PORT ? 'EXPORT' : DISCLOSING.has(type) ? 'DISCLOSE' : null;
}

/** What is done with the data found in an activity no dataset serves, by the request's dataset action. */
const FOUND_DATA: Record<string, string> = {
  ERASE: 'erase the data found there', STOP_USE: 'stop using the data found there', CORRECT: 'correct the data found there',
  EXPORT: 'export the data found there', DISCLOSE: 'disclose the data found there',
};

function actionsFor(
  type: RequestType,
  r: { activities: Resolution['activities']; excludedActivities: Resolution['excludedActivities']; datasets: Resolution['datasets']; processors: Resolution['processors']; jointUsers: Resolution['jointUsers']; recipients: Row[]; systemOf: Map<number, string>; served: Set<number> },
): RequestAction[] {
  const out: RequestAction[] = [];
  const code = (row: unknown) => String((row as Row).code ?? (row as Row).key);
  const add = (action: string, targetKind: string, targetCode: string, detail: string, systemCode: string | null = null, targetId: unknown = null, awaitsSettlement = false) => {
    out.push({ key: `${action}:${targetKind}:${targetCode}`, target: `${targetKind} ${targetCode}`, targetKind, targetCode, targetId: targetId == null ? null : String(targetId), systemCode, action, detail, status: ActionStatus.OPEN, awaitsSettlement, note: null, refusalGround: null, decidedBy: null, decidedAt: null });
  };
  const datasetAction = dataAction(type);
  if (type === RequestType.NOTIFY_PURPOSE) {
    for (const a of r.activities) add('NOTIFY_PURPOSES', 'ProcessingActivity', code(a.activity), `notify the purposes of use of "${text((a.activity as Row).name)}"`, null, (a.activity as Row).id);
  }
  if (datasetAction) {
    for (const d of r.datasets) {
      if (d.match === DatasetMatch.NOT_HELD || d.confirmation?.holding === DatasetHolding.NOT_HELD) continue;
      const row = d.dataset as Row;
      const system = r.systemOf.get(Number(row.id)) ?? null;
      const cats = (d.dataCategories as Row[]).map((c) => String(c.code)).join(', ') || 'no categorized fields';
      const held = d.match === DatasetMatch.HELD ? 'holds the person' : d.confirmation ? 'confirmed to hold the person' : 'may hold the person (no subject index): settle it first';
      add(datasetAction, 'Dataset', system ? `${system}/${String(row.key)}` : String(row.key), `${held}: ${cats}`, system, row.id, d.match === DatasetMatch.POSSIBLE && !d.confirmation);
    }
    // Data found where no dataset serves the activity (paper files, systems not integrated) is acted
    // on there; until someone has looked, the activity's actions wait (done before the finding, a
    // stop would cover data nobody had seen). One found empty needs nothing.
    const unchecked = (a: Resolution['activities'][number]) => !r.served.has(Number((a.activity as Row).id)) && !a.confirmation;
    const emptied = (a: Resolution['activities'][number]) => a.confirmation?.holding === DatasetHolding.NOT_HELD;
    for (const a of r.activities) {
      if (a.confirmation?.holding === DatasetHolding.HELD) add(datasetAction, 'ProcessingActivity', code(a.activity), `confirmed to hold the person outside the inventory's datasets: ${FOUND_DATA[datasetAction] ?? 'act on the data found there'}`, null, (a.activity as Row).id);
    }
    if (STOPPING.has(type)) {
      for (const a of r.activities) {
        if (!emptied(a)) add('STOP_USE', 'ProcessingActivity', code(a.activity), unchecked(a) ? 'no dataset serves this activity: settle whether it holds the person first' : 'stop processing the person\'s data for this activity', null, (a.activity as Row).id, unchecked(a));
      }
    }
    for (const p of r.processors) add('FORWARD_TO_PROCESSOR', 'Processor', code(p.processor), p.instruction);
    for (const j of r.jointUsers) add('COORDINATE_WITH_JOINT_USER', 'JointUseArrangement', code(j.arrangement), j.instruction);
  }
  if (type === RequestType.STOP_THIRD_PARTY_PROVISION) {
    for (const rc of r.recipients) add('STOP_PROVISION', 'ThirdPartyRecipient', code(rc), `stop providing the person's data to ${text(rc.name)}`);
    for (const j of r.jointUsers) add('STOP_PROVISION', 'JointUseArrangement', code(j.arrangement), 'stop joint use of the person\'s data');
  }
  if (type === RequestType.DISCLOSE_PROVISION_RECORDS) {
    for (const rc of r.recipients) add('DISCLOSE', 'ThirdPartyRecipient', code(rc), 'disclose the provision records (APPI Art. 33(5))');
  }
  for (const e of r.excludedActivities) add('ROUTE_TO_CONTROLLER', 'ProcessingActivity', code(e.activity), `route to ${text(e.routeTo) || 'the entrusting controller'}`);
  // One entry per key: the same target can be reached twice (e.g. a joint use on two activities).
  return [...new Map(out.map((a) => [a.key, a])).values()];
}

export interface ActionState { actionKey: string; status: string; note: string | null; refusalGround?: string | null; decidedBy: string; decidedAt: Date | string }

/** Lays the recorded states over the derived actions; an action with no state is OPEN. */
export function withActionStates(actions: RequestAction[], states: ActionState[]): RequestAction[] {
  const byKey = new Map(states.map((s) => [s.actionKey, s]));
  return actions.map((a) => {
    const s = byKey.get(a.key);
    return s ? { ...a, status: s.status as ActionStatus, note: s.note, refusalGround: s.refusalGround ?? null, decidedBy: s.decidedBy, decidedAt: new Date(s.decidedAt) } : a;
  });
}
