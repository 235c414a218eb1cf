// The floor: what answering Q1–Q3 costs with nothing but node `http`, `pg` and one hand-written
// SQL statement per request that builds the whole JSON answer in PostgreSQL (json_agg). No auth,
// no GraphQL, no validation: the cheapest server that returns the same data. Kiroku is measured
// against it in the same run, on the same database.
//   node bench/floor.mjs <database-url> [port]
import http from 'node:http';
import pg from 'pg';

const HOME = 'JP';
const today = `(now() at time zone 'Asia/Tokyo')::date`;
/**
 * One PPC Rules Art. 18(3) item of a transfer, as Kiroku resolves it: a recorded state (other than
 * NOT_RECORDED) wins, else STATED where the older fields or the facts answer it.
 */
const item = (key, derived) => `case when f."equivalent_measures_items"->'${key}'->>'state' is not null and f."equivalent_measures_items"->'${key}'->>'state' <> 'NOT_RECORDED'
  then f."equivalent_measures_items"->'${key}'->>'state' when ${derived} then 'STATED' else 'NOT_RECORDED' end`;
const hasText = (x) => `coalesce((select bool_or(btrim(v) <> '') from jsonb_each_text(case when jsonb_typeof(${x}) = 'object' then ${x} else '{}'::jsonb end) as e(k, v)), false)`;
const ids = (sql) => `coalesce((select json_agg(x order by x."id") from (${sql}) x), '[]')`;

// Q1: a page of processing activities with purposes, data and subject categories, processors and
// each processor's storage locations.
const Q1 = `
select coalesce(json_agg(a order by a."id"), '[]')::text as body from (
  select t."id", t."code", t."name",
    ${ids(`select p."id", p."code" from "processing_activity_purposes" x join "purpose" p on p."id" = x."purpose_id" where x."processing_activity_id" = t."id" and p."archived_at" is null`)} as "purposes",
    ${ids(`select c."id", c."code", c."kind" from "processing_activity_data_categories" x join "data_category" c on c."id" = x."data_category_id" where x."processing_activity_id" = t."id" and c."archived_at" is null`)} as "dataCategories",
    ${ids(`select s."id", s."code" from "processing_activity_subject_categories" x join "subject_category" s on s."id" = x."subject_category_id" where x."processing_activity_id" = t."id" and s."archived_at" is null`)} as "subjectCategories",
    ${ids(`select p."id", p."code", ${ids(`select l."id", l."country" from "storage_location" l where l."hosting_processor_id" = p."id" and l."archived_at" is null`)} as "storageLocations"
          from "processing_activity_processors" x join "processor" p on p."id" = x."processor_id" where x."processing_activity_id" = t."id" and p."archived_at" is null`)} as "processors"
  from "processing_activity" t where t."archived_at" is null order by t."id" limit $1) a`;

// Q2: the audit view of one processor, findings included (the same rules as Kiroku's, in SQL).
const Q2 = `
with recursive anc(id, ancestor) as (
  select "id", "id" from "data_category" union select a.id, c."parent_id" from anc a join "data_category" c on c."id" = a.ancestor where c."parent_id" is not null),
t as (select * from "processor" where "id" = $1 and "archived_at" is null),
storage as (
  select s."code", s."country", ca."id" is not null as assessed, ca."reviewed_at"
  from (select x."id" from t, "storage_location" x where x."hosting_processor_id" = t."id" union select d."storage_location_id" from t, "dataset" d where d."processor_id" = t."id" and d."archived_at" is null) ids
  join "storage_location" s on s."id" = ids."id" left join "country_assessment" ca on ca."country" = s."country" and ca."archived_at" is null
  where s."archived_at" is null),
transfers as (
  select f.*, ${item('establishment', `f."basis" in ('EQUIVALENT_MEASURES_CONTRACT', 'EQUIVALENT_MEASURES_CBPR')`)} as i_establishment,
    ${item('measuresOutline', hasText('f."measures_outline"'))} as i_outline,
    ${item('checkFrequencyAndMethod', hasText(`f."periodic_check"->'method'`))} as i_check,
    ${item('countryName', `f."country" ~ '^[A-Z]{2}$'`)} as i_country,
    ${item('regime', `(${hasText('f."impediments"')} or ${hasText('ca."impediments"')})`)} as i_regime,
    ${item('impediments', hasText('f."implementation_problems"'))} as i_impediments,
    ${item('impedimentMeasures', hasText('f."impediment_response"'))} as i_measures,
    (${hasText(`f."consent_information"->'regime'`)} or ${hasText('ca."regime"')}) and (${hasText(`f."consent_information"->'recipientMeasures'`)} or ${hasText('f."measures_outline"')}) as art28_complete,
    exists (select 1 from jsonb_array_elements(coalesce(ca."government_access_laws", '[]')) g where not ${hasText(`g->'outline'`)}) as law_without_outline,
    coalesce(nullif(ca."appi_designation", 'UNKNOWN'), cr."appi_designation", 'UNKNOWN') as appi_fact,
    coalesce(nullif(ca."cbpr_participation", 'UNKNOWN'), cr."cbpr_participation", 'UNKNOWN') as cbpr_fact
  from t, "foreign_transfer" f left join "country_assessment" ca on ca."country" = f."country" and ca."archived_at" is null
    left join "country_reference" cr on cr."country" = f."country"
  where f."processor_id" = t."id" and f."archived_at" is null),
facts as (
  select t."id", t."country", t."contract",
    (select coalesce(a."next_due_at", (a."audited_at" + make_interval(months => coalesce(t."audit_interval_months", 12)))::date) from "processor_audit" a where a."processor_id" = t."id" and a."archived_at" is null order by a."audited_at" desc limit 1) as next_due,
    (select count(*) from "processor_audit" a where a."processor_id" = t."id" and a."archived_at" is null) as audits,
    (select count(*) from "processor_sub_processors" x join "processor" sp on sp."id" = x."sub_processor_id" and sp."archived_at" is null where x."processor_id" = t."id") as subs,
    (exists (select 1 from "dataset" d join "dataset_field" f on f."dataset_id" = d."id" and f."archived_at" is null join "dataset_field_data_categories" fc on fc."field_id" = f."id" join "data_category" dc on dc."id" = fc."data_category_id"
        where d."archived_at" is null and dc."kind" = 'SPECIAL_CARE' and (d."processor_id" = t."id" or d."storage_location_id" in (select x."id" from "storage_location" x where x."hosting_processor_id" = t."id")))
      or exists (select 1 from "foreign_transfer" g left join "foreign_transfer_data_categories" gc on gc."foreign_transfer_id" = g."id"
        left join "processing_activity_foreign_transfers" ga on ga."foreign_transfer_id" = g."id"
        left join "processing_activity_data_categories" pc on pc."processing_activity_id" = ga."processing_activity_id" and not exists (select 1 from "foreign_transfer_data_categories" y where y."foreign_transfer_id" = g."id")
        join "data_category" dc on dc."id" in (gc."data_category_id", pc."data_category_id")
        where g."processor_id" = t."id" and g."archived_at" is null and dc."kind" = 'SPECIAL_CARE')) as special,
    exists (select 1 from "dataset" d join "dataset_field" f on f."dataset_id" = d."id" and f."archived_at" is null join "dataset_field_data_categories" fc on fc."field_id" = f."id"
      where d."processor_id" = t."id" and d."archived_at" is null and d."status" = 'ACTIVE'
        and not exists (select 1 from "dataset_activities" da join "processing_activity_data_categories" pc on pc."processing_activity_id" = da."processing_activity_id" join anc on anc.id = fc."data_category_id" and anc.ancestor = pc."data_category_id" where da."dataset_id" = d."id")) as undeclared,
    (select count(*) from transfers) as transfers,
    (select ca."impediments" from "country_assessment" ca where ca."country" = t."country" and ca."archived_at" is null) as country_impediments,
    (t."contract"->>'expiresAt')::date - ${today} as days_left
  from t),
findings as (
  select 'NO_CONTRACT' as code from facts where facts."contract"->>'signedAt' is null and (facts."contract"->>'concluded') is distinct from 'true'
  union all select 'CONTRACT_UNDATED' from facts where facts."contract"->>'signedAt' is null and facts."contract"->>'concluded' = 'true'
  union all select 'CONTRACT_EXPIRED' from facts where days_left < 0
  union all select 'CONTRACT_EXPIRES_SOON' from facts where days_left between 0 and $2
  union all select 'NEVER_AUDITED' from facts where audits = 0
  union all select 'AUDIT_OVERDUE' from facts where audits > 0 and next_due < ${today}
  union all select 'FOREIGN_LOCATION_WITHOUT_ASSESSMENT' from storage where "country" <> '${HOME}' and not assessed
  union all select 'ASSESSMENT_STALE' from storage where "country" <> '${HOME}' and assessed and ("reviewed_at" is null or ${today} - "reviewed_at" > $3)
  union all select 'SPECIAL_CARE_DATA_ABROAD' from facts where special and (facts."country" <> '${HOME}' or exists (select 1 from storage where "country" <> '${HOME}'))
  union all select 'SUBPROCESSOR_NOT_ALLOWED' from facts where subs > 0 and (facts."contract"->>'subProcessingAllowed')::boolean is false
  union all select 'UNDECLARED_DATA_CATEGORIES' from facts where undeclared
  union all select 'FOREIGN_TRANSFER_WITHOUT_BASIS' from facts where facts."country" <> '${HOME}' and transfers = 0
  union all select 'PERIODIC_CHECK_UNDATED' from transfers where "basis" in ('EQUIVALENT_MEASURES_CONTRACT', 'EQUIVALENT_MEASURES_CBPR')
    and ("periodic_check"->>'lastCheckedAt') is null and "periodic_check"->>'performed' = 'true'
  union all select 'PERIODIC_CHECK_OVERDUE' from transfers where "basis" in ('EQUIVALENT_MEASURES_CONTRACT', 'EQUIVALENT_MEASURES_CBPR')
    and (("periodic_check"->>'lastCheckedAt') is null and ("periodic_check"->>'performed') is distinct from 'true'
      or ${today} - ("periodic_check"->>'lastCheckedAt')::date > coalesce(("periodic_check"->>'frequencyMonths')::int, 12) * 31)
  union all select 'STATEMENT_ITEM_NOT_RECORDED' from transfers where "basis" in ('EQUIVALENT_MEASURES_CONTRACT', 'EQUIVALENT_MEASURES_CBPR')
    and 'NOT_RECORDED' in (i_establishment, i_outline, i_check, i_country, i_regime, i_impediments)
  union all select 'IMPEDIMENT_WITHOUT_MEASURE' from transfers where (i_regime = 'STATED' or i_impediments = 'STATED') and i_measures <> 'STATED'
  union all select 'ART28_INFORMATION_NOT_RECORDED' from transfers where "basis" = 'CONSENT_WITH_INFORMATION' and not art28_complete
  union all select 'GOVERNMENT_ACCESS_LAW_WITHOUT_OUTLINE' from transfers where law_without_outline
  union all select 'COUNTRY_FACT_UNKNOWN' from transfers where ("basis" = 'ADEQUATE_COUNTRY' and appi_fact = 'UNKNOWN') or ("basis" = 'EQUIVALENT_MEASURES_CBPR' and cbpr_fact = 'UNKNOWN')
  union all select 'IMPEDIMENT_WITHOUT_MEASURE' from facts where transfers = 0 and facts."country" <> '${HOME}' and ${hasText('country_impediments')})
select json_build_object(
  'id', t."id", 'code', t."code",
  'findings', (select coalesce(json_agg(code order by code), '[]') from findings),
  'activities', ${ids(`select a."id", a."code" from "processing_activity_processors" x join "processing_activity" a on a."id" = x."processing_activity_id" where x."processor_id" = t."id" and a."archived_at" is null`)},
  'dataCategories', ${ids(`select distinct c."id", c."code", c."kind" from "processing_activity_processors" x join "processing_activity_data_categories" p on p."processing_activity_id" = x."processing_activity_id" join "data_category" c on c."id" = p."data_category_id" where x."processor_id" = t."id" and c."archived_at" is null`)},
  'subjectCategories', ${ids(`select distinct c."id", c."code" from "processing_activity_processors" x join "processing_activity_subject_categories" p on p."processing_activity_id" = x."processing_activity_id" join "subject_category" c on c."id" = p."subject_category_id" where x."processor_id" = t."id" and c."archived_at" is null`)},
  'datasets', ${ids(`select d."id", d."key" from "dataset" d where d."processor_id" = t."id" and d."archived_at" is null`)},
  'storageLocations', ${ids(`select l."id", l."country" from "storage_location" l where l."hosting_processor_id" = t."id" and l."archived_at" is null`)}
)::text as body from t`;

// Q3: the resolution of a data-subject request, starting from the person: datasets the subject index
// holds them in, activities reached from those or from the claimed categories (entrusted data excluded),
// their datasets with the subject-index match, processors and their sub-processors, foreign locations.
const Q3 = `
with recursive req as (select r."id", r."claimed_subject_category_codes" as codes from "data_subject_request" r where r."id" = $1),
claimed as (select sc."id" from "subject_category" sc where sc."code" in (select jsonb_array_elements_text(codes) from req)),
-- The person first: datasets the subject index holds one of the identities in (retired ones too).
held_ds as (select distinct e."dataset_id" as id from "request_identity" ri
  join "subject_index_entry" e on e."identity_type" = ri."identity_type" and e."hash" = ri."hash"
  join "dataset" d on d."id" = e."dataset_id" and d."archived_at" is null where ri."request_id" = $1),
held_acts as (select distinct da."processing_activity_id" as id from "dataset_activities" da where da."dataset_id" in (select id from held_ds)),
scope as (select case when exists (select 1 from claimed) then 'CLAIMED_CATEGORIES' when exists (select 1 from held_ds) then 'INDEXED' else 'UNNARROWED' end as s),
acts as (
  select t."id" from "processing_activity" t
  where t."archived_at" is null and t."status" <> 'RETIRED' and t."role" <> 'PROCESSOR'
    and ((select s from scope) = 'UNNARROWED' or t."id" in (select id from held_acts)
      or exists (select 1 from "processing_activity_subject_categories" x where x."processing_activity_id" = t."id" and x."subject_category_id" in (select "id" from claimed)))
    -- entrusted data (every relevant category PROCESSOR or not accepting requests) is excluded;
    -- the relevant categories are the claimed ones the activity has, else all of its own.
    and (case when exists (select 1 from "processing_activity_subject_categories" x where x."processing_activity_id" = t."id" and x."subject_category_id" in (select "id" from claimed))
      then exists (select 1 from "processing_activity_subject_categories" x join "subject_category" s on s."id" = x."subject_category_id"
                   where x."processing_activity_id" = t."id" and s."id" in (select "id" from claimed) and s."role" <> 'PROCESSOR' and s."requests_accepted")
      else not exists (select 1 from "processing_activity_subject_categories" x where x."processing_activity_id" = t."id")
        or exists (select 1 from "processing_activity_subject_categories" x join "subject_category" s on s."id" = x."subject_category_id" where x."processing_activity_id" = t."id" and s."role" <> 'PROCESSOR' and s."requests_accepted") end)),
ds as (
  select d."id", d."processor_id", d."storage_location_id",
    case when held.x is not null then 'HELD' when indexed.x is not null then 'NOT_HELD' else 'POSSIBLE' end as "match"
  from (select da."dataset_id" from "dataset_activities" da where da."processing_activity_id" in (select "id" from acts) union select id from held_ds) l
  join "dataset" d on d."id" = l."dataset_id"
  left join lateral (select 1 as x from "request_identity" ri join "subject_index_entry" e on e."dataset_id" = d."id" and e."identity_type" = ri."identity_type" and e."hash" = ri."hash" where ri."request_id" = $1 limit 1) held on true
  left join lateral (select 1 as x from (select 1 from "subject_index_entry" e where e."dataset_id" = d."id" and e."identity_type" in (select "identity_type" from "request_identity" where "request_id" = $1)
      order by e."identity_type" limit 1) i
    union all select 1 from "system" s where s."id" = d."system_id" and jsonb_exists_any(s."indexed_identity_types", array(select "identity_type" from "request_identity" where "request_id" = $1)) limit 1) indexed on true
  where d."archived_at" is null and (d."status" = 'ACTIVE' or held.x is not null)),
direct as (select x."processor_id" as id from "processing_activity_processors" x where x."processing_activity_id" in (select "id" from acts) union select "processor_id" from ds where "processor_id" is not null),
reach(id) as (select id from direct union select s."sub_processor_id" from reach r join "processor_sub_processors" s on s."processor_id" = r.id),
procs as (select p."id", case when p."id" in (select id from direct) then 'DIRECT' else 'SUB_PROCESSOR' end as via from "processor" p where p."id" in (select id from reach) and p."archived_at" is null),
storage as (
  select l."id", l."country" from "storage_location" l where l."archived_at" is null and l."country" <> '${HOME}'
    and (exists (select 1 from "processing_activity_storage_locations" x where x."storage_location_id" = l."id" and x."processing_activity_id" in (select "id" from acts))
      or l."id" in (select "storage_location_id" from ds) or l."hosting_processor_id" in (select "id" from procs))),
transfers as (
  select f."id", f."country" from "foreign_transfer" f where f."archived_at" is null and f."country" <> '${HOME}'
    and (exists (select 1 from "processing_activity_foreign_transfers" x where x."foreign_transfer_id" = f."id" and x."processing_activity_id" in (select "id" from acts))
      or f."processor_id" in (select "id" from procs)
      or f."joint_use_id" in (select x."joint_use_arrangement_id" from "processing_activity_joint_uses" x where x."processing_activity_id" in (select "id" from acts))
      or f."recipient_id" in (select x."third_party_recipient_id" from "processing_activity_recipients" x where x."processing_activity_id" in (select "id" from acts))))
select json_build_object(
  'activities', ${ids('select "id" from acts')},
  'datasets', ${ids('select "id", "match" from ds')},
  'processors', ${ids('select "id", via from procs')},
  'foreignLocations', (select coalesce(json_agg(x order by x.kind, x."id"), '[]') from (select 'STORAGE' as kind, "id", "country" from storage union all select 'TRANSFER', "id", "country" from transfers) x)
)::text as body`;

// Q4: the data-flow graph of the first $1 activities, every fan-out cut at $2 edges of one kind per
// node (ranked by the target's code), the nodes the activities reach over the kept edges, their
// labels and flags, and the cuts (as Kiroku's dataFlowGraph).
const Q4 = `
with recursive acts as (
  select t."id", count(*) over () as total from "processing_activity" t where t."archived_at" is null order by t."id" limit $1),
tr as (select x."processing_activity_id" as a, g.* from "processing_activity_foreign_transfers" x join "foreign_transfer" g on g."id" = x."foreign_transfer_id" and g."archived_at" is null
  where x."processing_activity_id" in (select id from acts)),
chain(p, s) as (
  select y."processor_id", y."sub_processor_id" from "processor_sub_processors" y
   where y."processor_id" in (select x."processor_id" from "processing_activity_processors" x where x."processing_activity_id" in (select id from acts) union select "processor_id" from tr where "processor_id" is not null)
  union select y."processor_id", y."sub_processor_id" from "processor_sub_processors" y join chain c on y."processor_id" = c.s),
da as (select x."processing_activity_id" as a, d."id", d."key", d."storage_location_id", y."id" as sys, y."key" as syskey from "dataset_activities" x
  join "dataset" d on d."id" = x."dataset_id" and d."archived_at" is null join "system" y on y."id" = d."system_id" where x."processing_activity_id" in (select id from acts)),
e as (select distinct * from (
  select 'SUBJECT_CATEGORY' sk, s."id"::text sid, 'ACTIVITY' tk, a."id"::text tid, 'SUBJECT_OF' k, a."code" ord from "processing_activity_subject_categories" x
    join "subject_category" s on s."id" = x."subject_category_id" and s."archived_at" is null join "processing_activity" a on a."id" = x."processing_activity_id" where x."processing_activity_id" in (select id from acts)
  union all select 'ACTIVITY', x."processing_activity_id"::text, 'PROCESSOR', p."id"::text, 'ENTRUSTS', p."code" from "processing_activity_processors" x join "processor" p on p."id" = x."processor_id" and p."archived_at" is null where x."processing_activity_id" in (select id from acts)
  union all select 'ACTIVITY', x."processing_activity_id"::text, 'COUNTRY', s."country", 'STORED_IN', s."country" from "processing_activity_storage_locations" x join "storage_location" s on s."id" = x."storage_location_id" and s."archived_at" is null where x."processing_activity_id" in (select id from acts)
  union all select 'PROCESSOR', c.p::text, 'PROCESSOR', c.s::text, 'SUB_PROCESSES', p."code" from chain c join "processor" p on p."id" = c.s and p."archived_at" is null
  union all select 'ACTIVITY', da.a::text, 'DATASET', da."id"::text, 'USES_DATASET', da.syskey || '/' || da."key" from da
  union all select 'DATASET', da."id"::text, 'SYSTEM', da.sys::text, 'PART_OF', da.syskey from da
  union all select 'DATASET', da."id"::text, 'COUNTRY', s."country", 'STORED_IN', s."country" from da join "storage_location" s on s."id" = da."storage_location_id" and s."archived_at" is null
  union all select 'ACTIVITY', x."processing_activity_id"::text, 'JOINT_USE', j."id"::text, 'JOINT_USE', j."code" from "processing_activity_joint_uses" x join "joint_use_arrangement" j on j."id" = x."joint_use_arrangement_id" and j."archived_at" is null where x."processing_activity_id" in (select id from acts)
  union all select 'ACTIVITY', x."processing_activity_id"::text, 'RECIPIENT', r."id"::text, 'PROVIDES', r."code" from "processing_activity_recipients" x join "third_party_recipient" r on r."id" = x."third_party_recipient_id" and r."archived_at" is null where x."processing_activity_id" in (select id from acts)
  union all select 'ACTIVITY', tr.a::text, 'PROCESSOR', p."id"::text, 'ENTRUSTS', p."code" from tr join "processor" p on p."id" = tr."processor_id" and p."archived_at" is null
  union all select 'ACTIVITY', tr.a::text, 'JOINT_USE', j."id"::text, 'JOINT_USE', j."code" from tr join "joint_use_arrangement" j on j."id" = tr."joint_use_id" and j."archived_at" is null
  union all select 'ACTIVITY', tr.a::text, 'RECIPIENT', r."id"::text, 'PROVIDES', r."code" from tr join "third_party_recipient" r on r."id" = tr."recipient_id" and r."archived_at" is null
  union all select case when tr."processor_id" is not null then 'PROCESSOR' when tr."joint_use_id" is not null then 'JOINT_USE' when tr."recipient_id" is not null then 'RECIPIENT' else 'ACTIVITY' end,
    coalesce(tr."processor_id", tr."joint_use_id", tr."recipient_id", tr.a)::text, 'COUNTRY', tr."country", 'TRANSFERS_TO', tr."country" from tr
  ) u(sk, sid, tk, tid, k, ord)),
kept as (select * from (select e.*, row_number() over (partition by sk, sid, k order by ord, tid) rn, count(*) over (partition by sk, sid, k) total from e) r where rn <= $2),
reach(n) as (
  select 'ACTIVITY:' || id from acts
  union select k.tk || ':' || k.tid from kept k join reach r on r.n = k.sk || ':' || k.sid where k.k <> 'SUBJECT_OF'),
-- A join, not "in (select n from reach)": PostgreSQL ran that as a scan of reach per kept edge (5.5 s at size L).
final as (select k.* from kept k left join (select distinct n from reach) r on r.n = k.sk || ':' || k.sid where k.k = 'SUBJECT_OF' or r.n is not null),
nodes as (select n, split_part(n, ':', 1) kind, split_part(n, ':', 2) key, case when split_part(n, ':', 1) <> 'COUNTRY' then split_part(n, ':', 2)::int end rid from (select n from reach union select sk || ':' || sid from final where k = 'SUBJECT_OF') x),
labelled as (
  select n.n as id, n.kind, coalesce(a."code", s."code", p."code", j."code", r."code", y."key" || '/' || d."key", sy."key", n.key) as code,
    coalesce(a."name", s."name", p."name", j."name", r."name", jsonb_build_object('ja', d."name", 'en', d."name"), jsonb_build_object('ja', sy."name", 'en', sy."name"), jsonb_build_object('ja', n.key, 'en', n.key)) as label,
    array_remove(array[
      case when a."id" is not null and exists (select 1 from "processing_activity_data_categories" x join "data_category" c on c."id" = x."data_category_id" where x."processing_activity_id" = a."id" and c."kind" = 'SPECIAL_CARE') then 'SPECIAL_CARE' end,
      case when a."id" is not null and exists (select 1 from "processing_activity_data_categories" x join "data_category" c on c."id" = x."data_category_id" where x."processing_activity_id" = a."id" and c."kind" = 'PERSONALLY_REFERABLE') then 'PERSONALLY_REFERABLE' end,
      case when a."id" is not null and (exists (select 1 from "processing_activity_storage_locations" x join "storage_location" l on l."id" = x."storage_location_id" and l."archived_at" is null where x."processing_activity_id" = a."id" and l."country" <> '${HOME}')
          or exists (select 1 from "processing_activity_foreign_transfers" x join "foreign_transfer" g on g."id" = x."foreign_transfer_id" and g."archived_at" is null where x."processing_activity_id" = a."id" and g."country" <> '${HOME}')
          or exists (select 1 from "dataset_activities" x join "dataset" d2 on d2."id" = x."dataset_id" and d2."archived_at" is null join "storage_location" l on l."id" = d2."storage_location_id" and l."archived_at" is null where x."processing_activity_id" = a."id" and l."country" <> '${HOME}'))
        or coalesce(p."country", r."country", dl."country", case when n.kind = 'COUNTRY' then n.key end) <> '${HOME}' then 'ABROAD' end,
      case when a."role" = 'PROCESSOR' or s."role" = 'PROCESSOR' then 'EXCLUDED' end,
      case when coalesce(a."illustrative", s."illustrative", p."illustrative", j."illustrative", r."illustrative", d."illustrative", sy."illustrative") then 'ILLUSTRATIVE' end], null) as flags
  from nodes n
  left join "processing_activity" a on n.kind = 'ACTIVITY' and a."id" = n.rid
  left join "subject_category" s on n.kind = 'SUBJECT_CATEGORY' and s."id" = n.rid
  left join "processor" p on n.kind = 'PROCESSOR' and p."id" = n.rid
  left join "joint_use_arrangement" j on n.kind = 'JOINT_USE' and j."id" = n.rid
  left join "third_party_recipient" r on n.kind = 'RECIPIENT' and r."id" = n.rid
  left join "dataset" d on n.kind = 'DATASET' and d."id" = n.rid left join "system" y on y."id" = d."system_id"
  left join "storage_location" dl on dl."id" = d."storage_location_id" and dl."archived_at" is null
  left join "system" sy on n.kind = 'SYSTEM' and sy."id" = n.rid)
select json_build_object(
  'nodes', (select coalesce(json_agg(json_build_object('id', id, 'kind', kind, 'code', code, 'label', label, 'flags', flags)), '[]') from labelled),
  'edges', (select coalesce(json_agg(json_build_object('source', sk || ':' || sid, 'target', tk || ':' || tid, 'kind', k)), '[]') from final),
  'truncations', (select coalesce(jsonb_agg(x), '[]'::jsonb) from (
    select null::text as source, null::text as "edgeKind", (select count(*) from acts) as shown, total from acts where total > $1 limit 1) x)
    || (select coalesce(jsonb_agg(distinct jsonb_build_object('source', sk || ':' || sid, 'edgeKind', k, 'shown', $2::int, 'total', total)), '[]'::jsonb) from final where total > $2)
)::text as body`;

export const FLOOR_SQL = { Q1, Q2, Q3, Q4 };

export function startFloor(databaseUrl, port = 0, { contractWindowDays = 60, assessmentMaxAgeDays = 365 } = {}) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 20 });
  const send = (res, status, body) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://floor');
    try {
      const arg = Number(url.searchParams.get('id') ?? url.searchParams.get('first'));
      let r;
      if (url.pathname === '/q1') r = await pool.query({ name: 'q1', text: Q1, values: [arg] });
      else if (url.pathname === '/q2') r = await pool.query({ name: 'q2', text: Q2, values: [arg, contractWindowDays, assessmentMaxAgeDays] });
      else if (url.pathname === '/q3') r = await pool.query({ name: 'q3', text: Q3, values: [arg] });
      else if (url.pathname === '/q4') r = await pool.query({ name: 'q4', text: Q4, values: [Number(url.searchParams.get('activities') ?? 200), Number(url.searchParams.get('fanOut') ?? 50)] });
      else return send(res, 404, '{"error":"not found"}');
      send(res, 200, r.rows[0]?.body ?? 'null');
    } catch (e) {
      send(res, 500, JSON.stringify({ error: e.message }));
    }
  });
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${server.address().port}`, close: async () => { await new Promise((r) => server.close(r)); await pool.end(); } }),
    ),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const floor = await startFloor(process.argv[2], Number(process.argv[3] ?? 0));
  console.log(`floor listening on ${floor.url} (GET /q1?first=50, /q2?id=<processor id>, /q3?id=<request id>, /q4?activities=200&fanOut=50)`);
}
