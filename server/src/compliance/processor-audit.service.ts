import type { Context } from '../graphql/context.js';
import { HOME_COUNTRY } from '../config.js';
import type { Row } from '../graphql/loaders.js';
import { NEXT_AUDIT_DUE } from '../parties/processor.resolver.js';
import { settings } from '../graphql/settings.js';
import { FindingCode, FindingRecordType as R, Severity, type Finding, type FindingRecord, type ProcessorAudit } from './processor-audit.types.js';
import { ITEM_LABELS, REQUIRED_ITEMS, StatementItemState, isStated, resolveItems } from '../parties/transfer-statement.js';
import { countryName } from '../graphql/validators.js';
import type { Label } from '../graphql/enum-labels.js';
import { renderTransferArt28, type Art28ItemKey, type TransferArt28Input } from '../parties/transfer-art28.js';
import { CountryFact, type CountryFactKey } from '../locations/country-reference.js';
import { pickMarked, type Localized } from '../graphql/localized-text.js';

const WEIGHT: Record<Severity, number> = { HIGH: 10, MEDIUM: 3, LOW: 1 };
/** The country fact each route depends on: a designated country, a CBPR-certified recipient in a participating economy. */
const ROUTE_FACT: Record<string, CountryFactKey | undefined> = { ADEQUATE_COUNTRY: 'appiDesignation', EQUIVALENT_MEASURES_CBPR: 'cbprParticipation' };
const ART28_NAMES: Record<Art28ItemKey, Label> = {
  countryName: { en: 'country name', ja: '当該外国の名称' },
  regime: { en: "outline of the country's regime", ja: '当該外国における個人情報の保護に関する制度' },
  recipientMeasures: { en: "outline of the recipient's measures", ja: '当該第三者が講ずる個人情報の保護のための措置' },
};
const pickText = (l: unknown) => pickMarked(l, 'en');
const EQUIVALENT = new Set(['EQUIVALENT_MEASURES_CONTRACT', 'EQUIVALENT_MEASURES_CBPR']);

interface Facts {
  __nextDue: string | null;
  __audits: number;
  __storage: Array<{ code: string; country: string; assessed: boolean; reviewedAt: string | null }>;
  __subs: string[] | null;
  __special: Array<{ type: 'DATASET' | 'DATA_CATEGORY'; code: string }> | null;
  __undeclared: string[] | null;
  __transfers: Array<{
    code: string; country: string; basis: string; check: { frequencyMonths?: number; lastCheckedAt?: string; performed?: boolean } | null;
    items: unknown; measuresOutline: unknown; implementationProblems: unknown; impediments: unknown; impedimentResponse: unknown; assessmentImpediments: unknown;
    consentInformation: TransferArt28Input['consentInformation']; assessment: TransferArt28Input['assessment']; reference: TransferArt28Input['reference'];
  }> | null;
  __countryImpediments: unknown;
  __snapshot: string;
}

const daysBetween = (from: Date, to: Date) => Math.floor((to.getTime() - from.getTime()) / 86_400_000);
/** A country as a sentence names it: its name in the language and its code, which the records use. */
const nation = (code: unknown): Label => ({ ja: `${countryName(String(code), 'ja') ?? String(code)}（${String(code)}）`, en: `${countryName(String(code), 'en') ?? String(code)} (${String(code)})` });
const hasText = (l: unknown) => !!l && typeof l === 'object' && Object.values(l as object).some((v) => typeof v === 'string' && v.trim());

/** The undeclared categories of a processor's datasets, listed for the finding's evidence. */
const UNDECLARED_LIST = `(with held as (select distinct d."id" as ds, fc."data_category_id" as cat from "dataset" d
                        join "dataset_field" f on f."dataset_id" = d."id" and f."archived_at" is null
                        join "dataset_field_data_categories" fc on fc."field_id" = f."id"
                      where d."processor_id" = t."id" and d."archived_at" is null and d."status" = 'ACTIVE'),
             covered as (select distinct da."dataset_id" as ds, anc.id as cat from "dataset_activities" da
                        join "processing_activity_data_categories" pc on pc."processing_activity_id" = da."processing_activity_id"
                        join anc on anc.ancestor = pc."data_category_id"
                      where da."dataset_id" in (select ds from held))
        select json_agg(distinct dc."code") from held h join "data_category" dc on dc."id" = h.cat
        where not exists (select 1 from covered c where c.ds = h.ds and c.cat = h.cat))`;

/**
 * Whether there is any: stops at the first field whose category no linked activity covers. Used
 * when the query does not ask for the evidence; the finding and the risk score are the same.
 */
const UNDECLARED_EXISTS = `(select json_build_array(null) where exists (
    select 1 from "dataset" d join "dataset_field" f on f."dataset_id" = d."id" and f."archived_at" is null
      join "dataset_field_data_categories" fc on fc."field_id" = f."id"
    where d."processor_id" = t."id" and d."archived_at" is null and d."status" = 'ACTIVE'
      and not exists (select 1 from "dataset_activities" da
        join "processing_activity_data_categories" pc on pc."processing_activity_id" = da."processing_activity_id"
        where da."dataset_id" = d."id" and pc."data_category_id" in (select anc.ancestor from anc where anc.id = fc."data_category_id"))))`;

/**
 * Special-care data that reaches the processor, with the category: fields of datasets it hosts or
 * stores, and what a transfer to it carries (the transfer's categories, else its activities').
 */
const SPECIAL_SOURCES = `select 'DATASET' as type, sy."key" || '/' || d."key" as code, dc."code" as cat
            from (select d0."id" from "dataset" d0 where d0."processor_id" = t."id"
                  union select d1."id" from "dataset" d1 join "storage_location" x on x."id" = d1."storage_location_id" where x."hosting_processor_id" = t."id") mine
                join "dataset" d on d."id" = mine."id" join "system" sy on sy."id" = d."system_id" join "dataset_field" f on f."dataset_id" = d."id" and f."archived_at" is null
                join "dataset_field_data_categories" fc on fc."field_id" = f."id" join "data_category" dc on dc."id" = fc."data_category_id"
                where d."archived_at" is null and dc."kind" = 'SPECIAL_CARE'
          union all select 'FOREIGN_TRANSFER', g."code", dc."code" from "foreign_transfer" g
                left join "foreign_transfer_data_categories" gc on gc."foreign_transfer_id" = g."id"
                left join "processing_activity_foreign_transfers" ga on ga."foreign_transfer_id" = g."id"
                left join "processing_activity_data_categories" pc on pc."processing_activity_id" = ga."processing_activity_id"
                  and not exists (select 1 from "foreign_transfer_data_categories" y where y."foreign_transfer_id" = g."id")
                join "data_category" dc on dc."id" in (gc."data_category_id", pc."data_category_id")
                where g."processor_id" = t."id" and g."archived_at" is null and dc."kind" = 'SPECIAL_CARE'`;

/** The datasets and transfers concerned and their special-care categories, for the finding's evidence. */
const SPECIAL_LIST = `(select json_agg(distinct jsonb_build_object('type', r.type, 'code', r.code)) from (${SPECIAL_SOURCES}) q
    cross join lateral (values (q.type, q.code), ('DATA_CATEGORY', q.cat)) r(type, code))`;

/**
 * Whether there is any: stops at the first special-care field or transfer category. Used when the
 * query does not ask for the evidence; the finding and the risk score are the same. Listing them
 * walked every field of the processor's datasets: 61 of the 69 ms of one processor's audit at size L.
 */
const SPECIAL_EXISTS = `(select json_build_array(null) where exists (${SPECIAL_SOURCES}))`;

/** Today's date in Japan, as a midnight-UTC Date (dates in the inventory are Japanese calendar dates). */
function japanToday(): Date {
  return new Date(`${new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10)}T00:00:00Z`);
}

/**
 * Undeclared categories are computed set-based (hash joins): the categories the datasets' fields
 * hold, minus those their activities cover (a declared category covers its descendants); probing
 * the ancestor CTE per field took half a second for a processor with 2,000 datasets.
 *
 * Special-care data counts only where it reaches the processor: fields of datasets it hosts, or
 * what a transfer to it carries (the transfer's categories, else those of the activities it serves);
 * a category an activity merely declares does not mean every processor of the activity receives it.
 *
 * Every processor's audit in one statement (correlated subqueries over indexed joins), then the
 * rules in memory: the findings do not depend on how many processors are asked for.
 */
export function auditProcessors(ctx: Context, processorIds: number[] | null, opts: { evidence?: boolean; today?: Date } = {}): Promise<ProcessorAudit[]> {
  if (processorIds !== null || opts.today) return auditNow(ctx, processorIds, opts);
  // Every processor's audit, once per request: the dashboard asks for it three times (the riskiest,
  // the expiring contracts, the audit calendar), 1.3-1.5 s each at size L. An audit with its
  // evidence also answers one without. Callers get their own array (they filter and sort it).
  let memo = everyAudit.get(ctx.loaders);
  if (!memo) everyAudit.set(ctx.loaders, (memo = new Map()));
  const evidence = opts.evidence ?? true;
  const pending = memo.get(true) ?? memo.get(evidence) ?? sharedAudit(ctx, evidence);
  memo.set(evidence, pending);
  return pending.then((all) => [...all]);
}

/** Every processor's audit of the current request, with (true) or without (false) the evidence. */
const everyAudit = new WeakMap<object, Map<boolean, Promise<ProcessorAudit[]>>>();

interface SharedAudit {
  /** The day and settings the rules used. */
  key: string;
  evidence: boolean;
  /** The audits and the snapshot their statement read: while being made, a promise of them. */
  made: Promise<{ audits: ProcessorAudit[]; snapshot: string | null }>;
}

/** The last whole-inventory audit of each database (by the app's read pool), shared between requests. */
const lastAudit = new WeakMap<object, SharedAudit>();

/**
 * Every processor's audit, made once for all requests that would read the same data. Ten dashboards
 * opened together each ran the 1.3 s statement at size L, and the last of them ran past the
 * statement timeout.
 *
 * A request reads its snapshot first (`pg_current_snapshot()`: the transactions finished and those
 * in progress, one cheap statement). Two equal snapshots see the same committed data, so an audit
 * whose statement read in an equal snapshot is this request's audit; one being made is waited for
 * and compared when done. Any commit, even one the audit does not read, changes the snapshot and
 * means a new audit: a miss costs what the audit cost before.
 */
async function sharedAudit(ctx: Context, evidence: boolean): Promise<ProcessorAudit[]> {
  const [{ snapshot }] = await ctx.loaders.prepared<{ snapshot: string }>('select pg_current_snapshot()::text as snapshot');
  const { contractWindowDays, assessmentMaxAgeDays } = settings();
  const key = `${japanToday().toISOString()} ${contractWindowDays} ${assessmentMaxAgeDays}`;
  const last = lastAudit.get(ctx.db.pool);
  if (last && last.key === key && (last.evidence || !evidence)) {
    const made = await last.made.catch(() => null);
    if (made && made.snapshot === snapshot) return made.audits;
  }
  const entry: SharedAudit = { key, evidence, made: auditWithSnapshot(ctx, null, { evidence }) };
  lastAudit.set(ctx.db.pool, entry);
  // A failed audit (a timeout, a lost connection) is not kept for the next request.
  entry.made.catch(() => {
    if (lastAudit.get(ctx.db.pool) === entry) lastAudit.delete(ctx.db.pool);
  });
  return (await entry.made).audits;
}

async function auditNow(ctx: Context, processorIds: number[] | null, opts: { evidence?: boolean; today?: Date }): Promise<ProcessorAudit[]> {
  return (await auditWithSnapshot(ctx, processorIds, opts)).audits;
}

/**
 * The audits, and the snapshot (`pg_current_snapshot()`) the statement read them in: null when no
 * processor was read.
 */
async function auditWithSnapshot(ctx: Context, processorIds: number[] | null, opts: { evidence?: boolean; today?: Date }): Promise<{ audits: ProcessorAudit[]; snapshot: string | null }> {
  const today = opts.today ?? japanToday();
  const evidence = opts.evidence ?? true;
  const m = ctx.loaders.model;
  // One processor (processorAudit) is asked by `=`, not `= any`: PostgreSQL then finds the prepared
  // statement's generic plan as cheap as a custom one and stops planning it on every call (3 ms of
  // planning against 2.5 ms of execution at size XS); for an array of unknown length it never does.
  const one = processorIds?.length === 1;
  const rows = await ctx.loaders.prepared<Row & Facts>(
    `with recursive anc(id, ancestor) as (
        select "id", "id" from "data_category"
        union select a.id, c."parent_id" from anc a join "data_category" c on c."id" = a.ancestor where c."parent_id" is not null)
     select ${m.select('Processor')},
       ${NEXT_AUDIT_DUE} as "__nextDue",
       (select count(*)::int from "processor_audit" a where a."processor_id" = t."id" and a."archived_at" is null) as "__audits",
       coalesce((select json_agg(json_build_object('code', s."code", 'country', s."country", 'assessed', ca."id" is not null, 'reviewedAt', ca."reviewed_at"))
         from (select x."id" from "storage_location" x where x."hosting_processor_id" = t."id"
               union select d."storage_location_id" from "dataset" d where d."processor_id" = t."id" and d."archived_at" is null) ids
         join "storage_location" s on s."id" = ids."id"
         left join "country_assessment" ca on ca."country" = s."country" and ca."archived_at" is null
         where s."archived_at" is null), '[]') as "__storage",
       (select json_agg(sp."code" order by sp."code") from "processor_sub_processors" x join "processor" sp on sp."id" = x."sub_processor_id" and sp."archived_at" is null where x."processor_id" = t."id") as "__subs",
       ${evidence ? SPECIAL_LIST : SPECIAL_EXISTS} as "__special",
       ${evidence ? UNDECLARED_LIST : UNDECLARED_EXISTS} as "__undeclared",
       (select json_agg(json_build_object('code', f."code", 'country', f."country", 'basis', f."basis", 'check', f."periodic_check", 'items', f."equivalent_measures_items",
            'measuresOutline', f."measures_outline", 'implementationProblems', f."implementation_problems", 'impediments', f."impediments", 'impedimentResponse', f."impediment_response", 'assessmentImpediments', ca."impediments",
            'consentInformation', f."consent_information",
            'assessment', case when ca."id" is not null then json_build_object('regime', ca."regime", 'governmentAccessLaws', ca."government_access_laws",
              'appiDesignation', ca."appi_designation", 'euAdequacyDecision', ca."eu_adequacy_decision", 'cbprParticipation', ca."cbpr_participation") end,
            'reference', case when cr."country" is not null then json_build_object('appiDesignation', cr."appi_designation", 'euAdequacyDecision', cr."eu_adequacy_decision", 'cbprParticipation', cr."cbpr_participation") end))
          from "foreign_transfer" f left join "country_assessment" ca on ca."country" = f."country" and ca."archived_at" is null
            left join "country_reference" cr on cr."country" = f."country"
          where f."processor_id" = t."id" and f."archived_at" is null) as "__transfers",
       (select ca."impediments" from "country_assessment" ca where ca."country" = t."country" and ca."archived_at" is null) as "__countryImpediments",
       pg_current_snapshot()::text as "__snapshot"
     from "processor" t where t."archived_at" is null ${one ? 'and t."id" = ?' : processorIds ? 'and t."id" = any(?)' : ''} order by t."id"`,
    one ? [processorIds[0]] : processorIds ? [processorIds] : [],
  );
  const { contractWindowDays, assessmentMaxAgeDays } = settings();
  const audits = rows.map((r) => {
    const { __nextDue, __audits, __storage, __subs, __special, __undeclared, __transfers, __countryImpediments, __snapshot, ...processor } = r;
    const findings: Finding[] = [];
    const self: FindingRecord[] = [{ type: R.PROCESSOR, code: String(processor.code) }];
    const add = (code: FindingCode, severity: Severity, text: Label, records: FindingRecord[] = self) => findings.push({ code, severity, text, records });
    const loc = (s: { code: string; country: string }): FindingRecord[] => [{ type: R.STORAGE_LOCATION, code: s.code }, { type: R.COUNTRY, code: s.country }];
    const ft = (code: string): FindingRecord[] => [{ type: R.FOREIGN_TRANSFER, code }];
    const contract = processor.contract as { signedAt?: string; expiresAt?: string; subProcessingAllowed?: boolean; concluded?: boolean } | null;
    if (!contract?.signedAt) {
      if (contract?.concluded) add(FindingCode.CONTRACT_UNDATED, Severity.LOW, { en: 'a processing contract exists but its date is not stated', ja: '委託契約は締結されているが、締結日の記載がない' });
      else add(FindingCode.NO_CONTRACT, Severity.HIGH, { en: 'no signed processing contract is recorded', ja: '締結済みの委託契約の記録がない' });
    }
    if (contract?.expiresAt) {
      const left = daysBetween(today, new Date(`${contract.expiresAt}T00:00:00Z`));
      if (left < 0) add(FindingCode.CONTRACT_EXPIRED, Severity.HIGH, { en: `the contract expired on ${contract.expiresAt}`, ja: `委託契約の期間は${contract.expiresAt}に満了している` });
      else if (left <= contractWindowDays) add(FindingCode.CONTRACT_EXPIRES_SOON, Severity.MEDIUM, { en: `the contract expires on ${contract.expiresAt} (in ${left} days)`, ja: `委託契約の期間は${contract.expiresAt}に満了する（残り${left}日）` });
    }
    if (__audits === 0) add(FindingCode.NEVER_AUDITED, Severity.MEDIUM, { en: 'no audit is recorded', ja: '委託先の監査の記録がない' });
    else if (__nextDue && __nextDue < today.toISOString().slice(0, 10)) add(FindingCode.AUDIT_OVERDUE, Severity.MEDIUM, { en: `the next audit was due on ${__nextDue}`, ja: `次回の監査の期限（${__nextDue}）を過ぎている` });
    const foreignStorage = __storage.filter((s) => s.country !== HOME_COUNTRY);
    for (const s of foreignStorage) {
      if (!s.assessed) add(FindingCode.FOREIGN_LOCATION_WITHOUT_ASSESSMENT, Severity.HIGH, { en: `storage location ${s.code} is in ${s.country}, which has no country assessment`, ja: `保管場所「${s.code}」は${nation(s.country).ja}にあるが、同国の外的環境の把握（制度の調査）の記録がない` }, loc(s));
      else if (!s.reviewedAt || daysBetween(new Date(`${s.reviewedAt}T00:00:00Z`), today) > assessmentMaxAgeDays) {
        add(FindingCode.ASSESSMENT_STALE, Severity.LOW, {
          en: `the assessment of ${s.country} (storage location ${s.code}) was last reviewed ${s.reviewedAt ?? 'never'}`,
          ja: `保管場所「${s.code}」の所在国${nation(s.country).ja}の外的環境の把握は${s.reviewedAt ? `${s.reviewedAt}が最後の見直しである` : '見直されたことがない'}`,
        }, loc(s));
      }
    }
    const abroad = (processor.country && processor.country !== HOME_COUNTRY) || foreignStorage.length > 0;
    if (__special?.length && abroad) {
      const special = evidence ? ([...__special].sort((a, b) => (a.type + a.code).localeCompare(b.type + b.code)) as FindingRecord[]) : [];
      const where = processor.country !== HOME_COUNTRY;
      add(FindingCode.SPECIAL_CARE_DATA_ABROAD, Severity.HIGH, {
        en: `special-care data is handled by a processor ${where ? `in ${processor.country}` : 'storing it abroad'}: ${evidence ? special.map((r) => r.code).join(', ') : '(not listed)'}`,
        ja: `要配慮個人情報を${where ? `${nation(processor.country).ja}にある委託先` : '外国に保管する委託先'}が取り扱っている：${evidence ? special.map((r) => r.code).join('、') : '（一覧は省略）'}`,
      }, evidence ? special : self);
    }
    if (__subs?.length && contract?.subProcessingAllowed === false) add(FindingCode.SUBPROCESSOR_NOT_ALLOWED, Severity.HIGH, { en: `${__subs.length} sub-processor(s) engaged while the contract forbids sub-processing: ${__subs.join(', ')}`, ja: `委託契約は再委託を禁止しているが、再委託先が${__subs.length}件ある：${__subs.join('、')}` }, __subs.map((code) => ({ type: R.PROCESSOR, code })));
    if (__undeclared?.length) add(FindingCode.UNDECLARED_DATA_CATEGORIES, Severity.MEDIUM, {
      en: `its datasets hold categories no linked activity declares: ${evidence ? __undeclared.join(', ') : '(not listed)'}`,
      ja: `データセットが、紐付く取扱業務に記載のない個人データの項目を含んでいる：${evidence ? __undeclared.join('、') : '（一覧は省略）'}`,
    }, evidence ? __undeclared.map((code) => ({ type: R.DATA_CATEGORY, code })) : self);
    const transfers = __transfers ?? [];
    if (processor.country && processor.country !== HOME_COUNTRY && transfers.length === 0) {
      add(FindingCode.FOREIGN_TRANSFER_WITHOUT_BASIS, Severity.HIGH, { en: `the processor is in ${processor.country} but no foreign transfer (APPI Art. 28 basis) is recorded`, ja: `委託先は${nation(processor.country).ja}にあるが、外国にある第三者への提供（法第28条の根拠）の記録がない` }, [...self, { type: R.COUNTRY, code: String(processor.country) }]);
    }
    for (const f of transfers) {
      const items = resolveItems({ ...f, equivalentMeasuresItems: f.items, periodicCheck: f.check }, f.assessmentImpediments);
      if (EQUIVALENT.has(f.basis)) {
        const months = f.check?.frequencyMonths ?? 12;
        const last = f.check?.lastCheckedAt;
        if (!last && f.check?.performed) {
          add(FindingCode.PERIODIC_CHECK_UNDATED, Severity.LOW, { en: `transfer ${f.code}: the periodic check is carried out but no date is recorded`, ja: `提供「${f.code}」：相当措置の定期的な確認は実施されているが、実施日の記録がない` }, ft(f.code));
        } else if (!last || daysBetween(new Date(`${last}T00:00:00Z`), today) > months * 31) {
          add(FindingCode.PERIODIC_CHECK_OVERDUE, Severity.MEDIUM, {
            en: `transfer ${f.code}: the periodic check (every ${months} months) was last done ${last ?? 'never'}`,
            ja: `提供「${f.code}」：相当措置の定期的な確認（${months}か月ごと）は${last ? `${last}が最後の実施である` : '実施の記録がない'}`,
          }, ft(f.code));
        }
        const missing = REQUIRED_ITEMS.filter((k) => items[k].state === StatementItemState.NOT_RECORDED);
        if (missing.length) add(FindingCode.STATEMENT_ITEM_NOT_RECORDED, Severity.MEDIUM, {
          en: `transfer ${f.code}: PPC Rules Art. 18(3) items not recorded: ${missing.map((k) => ITEM_LABELS[k].en).join('; ')}`,
          ja: `提供「${f.code}」：規則第18条第3項の情報提供事項のうち記録がないもの：${missing.map((k) => ITEM_LABELS[k].ja).join('、')}`,
        }, ft(f.code));
      }
      // The Art. 28(2) information as renderTransferArt28 prints it in the statement, the RoPA and the notice.
      const art28 = renderTransferArt28({ ...f, measuresOutline: f.measuresOutline as Localized | null }, 'en');
      if (f.basis === 'CONSENT_WITH_INFORMATION' && art28.missing.length) {
        add(FindingCode.ART28_INFORMATION_NOT_RECORDED, Severity.HIGH, {
          en: `transfer ${f.code}: consent is asked after the Art. 28(2) information, and it has no ${art28.missing.map((k) => ART28_NAMES[k].en).join(' and no ')}`,
          ja: `提供「${f.code}」：本人の同意は法第28条第2項の情報を提供したうえで得るものですが、${art28.missing.map((k) => ART28_NAMES[k].ja).join('及び')}の記録がない`,
        }, ft(f.code));
      }
      const unexplained = (f.assessment?.governmentAccessLaws ?? []).filter((g) => !hasText(g.outline));
      if (unexplained.length) {
        add(FindingCode.GOVERNMENT_ACCESS_LAW_WITHOUT_OUTLINE, Severity.MEDIUM, {
          en: `transfer ${f.code}: ${f.country} has government-access laws recorded with no outline: ${unexplained.map((g) => pickText(g.name)).join(', ')}`,
          ja: `提供「${f.code}」：${countryName(f.country, 'ja') ?? f.country}について、概要の記録がない政府による情報収集に関する法令がある：${unexplained.map((g) => pickMarked(g.name, 'ja')).join('、')}`,
        }, [...ft(f.code), { type: R.COUNTRY, code: f.country }]);
      }
      const needs = ROUTE_FACT[f.basis];
      const fact = needs && art28.indicators.find((i) => i.key === needs);
      if (fact && fact.value === CountryFact.UNKNOWN) {
        const ja = renderTransferArt28({ ...f, measuresOutline: f.measuresOutline as Localized | null }, 'ja').indicators.find((i) => i.key === needs);
        add(FindingCode.COUNTRY_FACT_UNKNOWN, Severity.MEDIUM, {
          en: `transfer ${f.code}: its route rests on ${fact.label.toLowerCase()}, which is not established for ${f.country}`,
          ja: `提供「${f.code}」：提供の根拠が${countryName(f.country, 'ja') ?? f.country}の「${ja?.label ?? needs}」によるが、その事実が確認されていない`,
        }, [...ft(f.code), { type: R.COUNTRY, code: f.country }]);
      }
      // The same resolved items the 18(3) statement prints; a published "none" is never a measure.
      if ((isStated(items.regime) || isStated(items.impediments)) && !isStated(items.impedimentMeasures)) {
        add(FindingCode.IMPEDIMENT_WITHOUT_MEASURE, Severity.HIGH, {
          en: `transfer ${f.code}: a foreign system or impediment may affect the recipient's measures and no measure against it is recorded`,
          ja: `提供「${f.code}」：提供先の相当措置の実施に影響を及ぼすおそれのある外国の制度又は支障があるが、これに対する措置の記録がない`,
        }, ft(f.code));
      }
    }
    if (transfers.length === 0 && hasText(__countryImpediments) && processor.country !== HOME_COUNTRY) {
      add(FindingCode.IMPEDIMENT_WITHOUT_MEASURE, Severity.HIGH, { en: `${processor.country} has laws that may impede protective measures and no response is recorded`, ja: `${nation(processor.country).ja}には保護措置の実施を妨げるおそれのある制度があるが、これに対する措置の記録がない` }, [{ type: R.COUNTRY, code: String(processor.country) }]);
    }
    return {
      processor,
      findings,
      riskScore: findings.reduce((n, f) => n + WEIGHT[f.severity], 0),
      contract: contract as ProcessorAudit['contract'],
      nextAuditDue: __nextDue,
    };
  });
  return { audits, snapshot: rows[0]?.__snapshot ?? null };
}
