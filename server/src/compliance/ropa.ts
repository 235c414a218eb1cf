import type { Context } from '../graphql/context.js';
import { Loaders, type Row } from '../graphql/loaders.js';
import { PassThrough } from 'node:stream';
import { pickMarked, type Localized } from '../graphql/localized-text.js';
import { FOREIGN_TRANSFER_BASIS, enumLabel } from '../graphql/enum-labels.js';
import { countryName } from '../graphql/validators.js';
import { HOME_COUNTRY } from '../config.js';
import { channelReach, type DeskRow } from '../organization/contact-desk.js';
import { art28Lines, renderTransferArt28, withCountryContext, type TransferArt28Input } from '../parties/transfer-art28.js';

export type RopaFramework = 'APPI' | 'GDPR';
export type RopaRole = 'CONTROLLER' | 'PROCESSOR';
export type RopaLanguage = 'JA' | 'EN';
export type RopaFormat = 'CSV' | 'XLSX' | 'JSON';

interface Column {
  key: string;
  en: string;
  ja: string;
  /** GDPR Art. 30 paragraph or APPI article the column answers. */
  ref: string;
  width: number;
}

const c = (key: string, en: string, ja: string, ref: string, width = 30): Column => ({ key, en, ja, ref, width });

/** What the row lacks for its framework, each gap with the article that asks for it. */
const GAPS = c('gaps', 'Gaps (what the record lacks)', '不備(記録に欠けている事項)', '', 50);

/** A gap: `code` names the item (stable, for tools), en/ja say what is lacking and which article asks for it. */
export type Gap = { code: string; en: string; ja: string };
const gap = (code: string, en: string, ja: string): Gap => ({ code, en, ja });

/** What the cells alone do not say about a row, gathered while resolving it. */
export interface RowFacts {
  foreignProcessorsWithoutRoute: string[];
  /** Transfers on the consent route without the information given, or on equivalent measures without a periodic check. */
  transfersWithoutArt28Record: string[];
  processorsWithoutCountry: string[];
  recipientsWithoutBasis: string[];
  hasDatasets: boolean;
  hasTransfers: boolean;
  hasProcessors: boolean;
  hasRecipients: boolean;
}

/**
 * One check per item: null where the item does not apply to the row, else the gaps (none = complete).
 * `law` items are what the RoPA's gap column reports for the framework; the others are the PPC
 * data-mapping toolkit's items (データマッピング・ツールキット), good practice rather than law, which only the
 * completeness score counts.
 */
export interface GapCheck { code: string; framework: RopaFramework; law: boolean; judge: (row: Record<string, string>, facts: RowFacts) => Gap[] | null }

const ck = (code: string, framework: RopaFramework, law: boolean, en: string, ja: string, lacks: (empty: (k: string) => boolean, row: Record<string, string>, facts: RowFacts) => boolean | null): GapCheck => ({
  code, framework, law,
  judge: (row, facts) => {
    const r = lacks((k) => !row[k]?.trim(), row, facts);
    return r === null ? null : r ? [gap(code, en, ja)] : [];
  },
});
const each = (code: string, framework: RopaFramework, law: boolean, pick: (f: RowFacts) => string[] | null, en: (x: string) => string, ja: (x: string) => string): GapCheck => ({
  code, framework, law,
  judge: (_row, facts) => pick(facts)?.map((x) => gap(code, en(x), ja(x))) ?? null,
});

/**
 * The rules read the resolved cells, so a gap and the empty cell it points to cannot disagree.
 * DPO: the record names one where one is designated (Art. 30(1)(a), 30(2)(a)); a blank is flagged
 * so that "none required" is a decision someone recorded, not an omission.
 */
const APPI_CHECKS: GapCheck[] = [
  ck('PURPOSE', 'APPI', true, 'no purpose of use specified (APPI Art. 17(1), 21)', '利用目的が特定されていない(法第17条第1項・第21条)', (e) => e('purposes')),
  ck('DATA_ITEMS', 'APPI', true, 'no personal data items (APPI Art. 32)', '個人データの項目がない(法第32条)', (e) => e('dataCategories') && e('specialCategories') && e('personallyReferable')),
  ck('SUBJECTS', 'APPI', true, 'no holder category (APPI Art. 32)', '本人の区分がない(法第32条)', (e) => e('subjects')),
  ck('SECURITY', 'APPI', true, 'no security-control measures (APPI Art. 23)', '安全管理措置がない(法第23条)', (e) => e('security')),
  each('FOREIGN_ROUTE', 'APPI', true, (f) => (f.hasProcessors || f.foreignProcessorsWithoutRoute.length ? f.foreignProcessorsWithoutRoute : null),
    (p) => `processor ${p} is abroad and no Art. 28 route is recorded (APPI Art. 28)`, (p) => `委託先${p}は外国にあり、第28条の根拠が記録されていない(法第28条)`),
  ck('STORAGE', 'APPI', false, 'no storage location or system recorded (PPC data-mapping toolkit: where it is stored)', '保管場所・システムが記録されていない(データマッピング・ツールキット:保管場所)', (e, _r, f) => e('locations') && !f.hasDatasets),
  ck('DEPARTMENT', 'APPI', false, 'no department or owner handling it (PPC data-mapping toolkit: handling department)', '取扱部署(責任者)が記録されていない(データマッピング・ツールキット:取扱部署)', (e) => e('owner')),
  ck('RETENTION', 'APPI', false, 'no retention or deletion rule (PPC data-mapping toolkit: retention period)', '保存期間・削除方法が記録されていない(データマッピング・ツールキット:保存期間)', (e) => e('retention')),
  each('PROCESSOR_COUNTRY', 'APPI', false, (f) => (f.hasProcessors ? f.processorsWithoutCountry : null),
    (p) => `processor ${p} has no country, so whether it is a transfer abroad is unknown (PPC data-mapping toolkit: processors)`, (p) => `委託先${p}の所在国が記録されておらず、外国移転か判断できない(データマッピング・ツールキット:委託先)`),
  each('PROVISION_BASIS', 'APPI', false, (f) => (f.hasRecipients ? f.recipientsWithoutBasis : null),
    (r) => `third-party provision to ${r} without its basis (APPI Art. 27)`, (r) => `第三者提供先${r}への提供根拠が記録されていない(法第27条)`),
  each('TRANSFER_INFO', 'APPI', false, (f) => (f.hasTransfers ? f.transfersWithoutArt28Record : null),
    (r) => `transfer to ${r}: the information given (consent route) or the periodic check (equivalent measures) is not recorded (APPI Art. 28)`, (r) => `${r}への移転:情報提供(同意)又は定期確認(相当措置)が記録されていない(法第28条)`),
];

const GDPR_PROCESSOR_CHECKS: GapCheck[] = [
  ck('CONTROLLERS', 'GDPR', true, 'no controller on whose behalf it is processed (GDPR Art. 30(2)(a))', '委託元の管理者がない(GDPR第30条第2項(a))', (e) => e('controllers')),
  ck('DPO', 'GDPR', true, 'no data protection officer named (GDPR Art. 30(2)(a), 37)', 'データ保護責任者の記載がない(GDPR第30条第2項(a)・第37条)', (e) => e('dpo')),
  ck('SECURITY', 'GDPR', true, 'no security measures (GDPR Art. 30(2)(d), 32)', '安全管理措置がない(GDPR第30条第2項(d)・第32条)', (e) => e('security')),
];

const GDPR_CONTROLLER_CHECKS: GapCheck[] = [
  ck('PURPOSE', 'GDPR', true, 'no purpose (GDPR Art. 30(1)(b))', '処理の目的がない(GDPR第30条第1項(b))', (e) => e('purposes')),
  ck('SUBJECTS', 'GDPR', true, 'no category of data subjects (GDPR Art. 30(1)(c))', 'データ主体の区分がない(GDPR第30条第1項(c))', (e) => e('subjects')),
  ck('DATA_ITEMS', 'GDPR', true, 'no category of personal data (GDPR Art. 30(1)(c))', '個人データの項目がない(GDPR第30条第1項(c))', (e) => e('dataCategories')),
  ck('LAWFUL_BASIS', 'GDPR', true, 'no Art. 6 lawful basis (GDPR Art. 6(1))', '第6条の適法根拠がない(GDPR第6条第1項)', (e) => e('lawfulBasis')),
  ck('ARTICLE_9', 'GDPR', true, 'special categories without an Art. 9(2) condition (GDPR Art. 9)', '特別な種類の個人データに第9条第2項の要件がない(GDPR第9条)', (e) => (e('specialCategories') ? null : e('article9'))),
  ck('RETENTION', 'GDPR', true, 'no time limit for erasure (GDPR Art. 30(1)(f))', '消去までの期間がない(GDPR第30条第1項(f))', (e) => e('retention')),
  ck('SECURITY', 'GDPR', true, 'no security measures (GDPR Art. 30(1)(g), 32)', '安全管理措置がない(GDPR第30条第1項(g)・第32条)', (e) => e('security')),
  ck('DPO', 'GDPR', true, 'no data protection officer named (GDPR Art. 30(1)(a), 37)', 'データ保護責任者の記載がない(GDPR第30条第1項(a)・第37条)', (e) => e('dpo')),
  ck('CONTROLLER_CONTACT', 'GDPR', true, 'no controller name and contact details (GDPR Art. 30(1)(a))', '管理者の名称・連絡先がない(GDPR第30条第1項(a))', (e) => e('controller')),
];

export function gapChecks(framework: RopaFramework, role: RopaRole): GapCheck[] {
  return framework === 'APPI' ? APPI_CHECKS : role === 'PROCESSOR' ? GDPR_PROCESSOR_CHECKS : GDPR_CONTROLLER_CHECKS;
}

/** The RoPA's gap column: the legal items only, in their order. */
function gapsOf(framework: RopaFramework, role: RopaRole, row: Record<string, string>, facts: RowFacts): Gap[] {
  return gapChecks(framework, role).filter((c) => c.law).flatMap((c) => c.judge(row, facts) ?? []);
}

/** GDPR Art. 30(1): the controller's record (with the ICO template's useful extras). */
const GDPR_CONTROLLER: Column[] = [
  c('code', 'Code', 'コード', '', 18), c('name', 'Processing activity', '処理活動', '', 32),
  c('controller', 'Controller (name and contact)', '管理者(名称・連絡先)', '30(1)(a)'), c('jointControllers', 'Joint controllers', '共同管理者', '30(1)(a)'),
  c('representative', "Controller's representative", '代理人', '30(1)(a)'), c('dpo', 'Data protection officer', 'データ保護責任者', '30(1)(a)'),
  c('purposes', 'Purposes of the processing', '処理の目的', '30(1)(b)', 60), c('subjects', 'Categories of data subjects', 'データ主体の区分', '30(1)(c)', 40),
  c('dataCategories', 'Categories of personal data', '個人データの項目', '30(1)(c)', 40), c('specialCategories', 'Special categories (Art. 9)', '特別な種類の個人データ', 'Art. 9', 30),
  c('recipients', 'Categories of recipients', '提供先・受領者', '30(1)(d)', 40), c('transfers', 'Transfers to third countries (country, safeguard)', '第三国移転(国・保護措置)', '30(1)(e)', 40),
  c('retention', 'Envisaged time limits for erasure', '消去までの期間', '30(1)(f)'), c('security', 'Technical and organisational security measures', '技術的・組織的安全管理措置', '30(1)(g)', 50),
  c('lawfulBasis', 'Article 6 lawful basis', '第6条の適法根拠', 'Art. 6'), c('article9', 'Article 9 condition', '第9条の要件', 'Art. 9'),
  c('sources', 'Source of the personal data', '取得元', 'Art. 14'), c('profiling', 'Profiling / automated decision-making', 'プロファイリング', 'Art. 22', 14),
  c('locations', 'Location of personal data', '保管場所', 'ICO 20'),
  GAPS,
];

/** GDPR Art. 30(2): the record of processing carried out on behalf of controllers. */
const GDPR_PROCESSOR: Column[] = [
  c('code', 'Code', 'コード', '', 18), c('name', 'Categories of processing', '処理の種類', '30(2)(b)', 32),
  c('processor', 'Processor (name and contact)', '処理者(名称・連絡先)', '30(2)(a)'), c('controllers', 'Controllers on whose behalf', '委託元の管理者', '30(2)(a)', 40),
  c('representative', "Processor's representative", '代理人', '30(2)(a)'), c('dpo', 'Data protection officer', 'データ保護責任者', '30(2)(a)'),
  c('purposes', 'Processing carried out for each controller', '委託を受けた処理', '30(2)(b)', 50), c('subProcessors', 'Sub-processors', '再委託先', 'Art. 28(2)', 40),
  c('transfers', 'Transfers to third countries (country, safeguard)', '第三国移転(国・保護措置)', '30(2)(c)', 40), c('security', 'Technical and organisational security measures', '技術的・組織的安全管理措置', '30(2)(d)', 50),
  GAPS,
];

/** APPI view: what Art. 21, 27, 28, 29 and 32 ask an organization to know about each activity. */
const APPI: Column[] = [
  c('code', 'Code', 'コード', '', 18), c('name', 'Processing activity', '取扱業務', '', 32),
  c('subjects', 'Holder categories', '本人の区分', 'Art. 32', 40), c('dataCategories', 'Personal data items', '個人データの項目', 'Art. 32', 40),
  c('specialCategories', 'Special-care-required information', '要配慮個人情報', 'Art. 20(2)', 30), c('personallyReferable', 'Personally referable information', '個人関連情報', 'Art. 31', 30),
  c('purposes', 'Purposes of use', '利用目的', 'Art. 21', 60), c('sources', 'Acquisition methods', '取得方法', 'Art. 20', 40), c('retention', 'Retention', '保存期間', '', 30),
  c('processors', 'Processors (outsourcing)', '委託先', 'Art. 25, 27(5)(i)', 40), c('jointUse', 'Joint use (items, scope, purposes, responsible manager)', '共同利用(項目・範囲・目的・管理責任者)', 'Art. 27(5)(iii)', 60),
  c('provisionBases', 'Third-party provision and its basis', '第三者提供と根拠', 'Art. 27, 29', 40), c('foreignTransfers', 'Recipients abroad (country, Art. 28 route, information / periodic check)', '外国にある第三者への提供(国・根拠・情報提供/定期確認)', 'Art. 28', 60),
  c('locations', 'Storage locations (country)', '保管場所(国)', 'Art. 32 (external environment)', 40), c('security', 'Security-control measures', '安全管理措置', 'Art. 23, 32', 50),
  GAPS,
];

export function ropaColumns(framework: RopaFramework, role: RopaRole): Column[] {
  return framework === 'APPI' ? APPI : role === 'PROCESSOR' ? GDPR_PROCESSOR : GDPR_CONTROLLER;
}

/**
 * One row per processing activity with every cell resolved from the inventory through the batched
 * loaders (a statement per relation, whatever the number of activities).
 */
/**
 * Activities per batch. Each batch's relations are read by loaders of its own, dropped with the
 * batch: at size L (10,000 activities, 100,000 datasets) one pass over everything ran the server out
 * of heap.
 */
const ROPA_BATCH = 500;

/** The RoPA rows in batches of activities, in activity order. */
export async function* ropaRowBatches(ctx: Context, framework: RopaFramework, role: RopaRole, language: RopaLanguage): AsyncGenerator<Array<Record<string, string>>> {
  const m = ctx.loaders.model;
  const cols = ropaColumns(framework, role);
  const ids = (await ctx.loaders.query<{ id: number }>(`select t."id" from "processing_activity" t where t."archived_at" is null and t."status" = 'ACTIVE' and t."role" = ? order by t."id"`, [role])).map((r) => Number(r.id));
  for (let i = 0; i < ids.length; i += ROPA_BATCH) {
    // The request's context with fresh loaders (its prototype keeps the rest, getters included).
    const batch = Object.create(ctx, { loaders: { value: new Loaders(ctx.db.pool, m) } }) as Context;
    const activities = await batch.loaders.query(`select ${m.select('ProcessingActivity')} from "processing_activity" t where t."id" = any(?) order by t."id"`, [ids.slice(i, i + ROPA_BATCH)]);
    yield (await resolveRows(batch, activities, language)).map(({ row: resolved, facts }) => {
      const row = forFramework(resolved, framework);
      row.gaps = gapsOf(framework, role, row, facts).map((g) => (language === 'JA' ? g.ja : g.en)).join('\n');
      return Object.fromEntries(cols.map((col) => [col.key, row[col.key] ?? '']));
    });
  }
}

export async function ropaRows(ctx: Context, framework: RopaFramework, role: RopaRole, language: RopaLanguage): Promise<Array<Record<string, string>>> {
  const out: Array<Record<string, string>> = [];
  for await (const rows of ropaRowBatches(ctx, framework, role, language)) out.push(...rows);
  return out;
}

/** APPI keeps 個人関連情報 apart from personal data (Art. 2(7), 31): it has its own column there. */
export function forFramework(row: Record<string, string>, framework: RopaFramework): Record<string, string> {
  return { ...row, dataCategories: framework === 'APPI' ? row.personalDataItems : row.allDataItems };
}

export interface ResolvedRow {
  activity: Row;
  row: Record<string, string>;
  facts: RowFacts;
  /** GDPR applies where the record names a GDPR legal basis: the register has no other marker of it. */
  gdprApplies: boolean;
}

/**
 * Every cell of the given activities, whatever the framework (see `forFramework`), and the facts
 * the checks need beyond the cells.
 */
export async function resolveRows(ctx: Context, activities: Row[], language: RopaLanguage): Promise<ResolvedRow[]> {
  // A text the inventory has in the other language only is printed with a mark, not passed off as a translation.
  const t = (l: unknown) => pickMarked(l, language);
  const own = (l: unknown) => (l as Localized | null | undefined)?.[language === 'JA' ? 'ja' : 'en']?.trim() ?? '';
  const join = (xs: string[]) => [...new Set(xs.filter(Boolean))].join('\n');
  const ja = language === 'JA';
  const lang = ja ? 'ja' : 'en';
  const basisLabel = (b: unknown) => enumLabel(FOREIGN_TRANSFER_BASIS, b, lang);
  const country = (code: unknown) => (typeof code === 'string' ? `${countryName(code, language === 'JA' ? 'ja' : 'en') ?? code} (${code})` : '');
  const ids = activities.map((a) => Number(a.id));
  const rel = (name: string) => ctx.loaders.relation('ProcessingActivity', name).loadMany(ids) as Promise<Row[][]>;
  const [purposes, subjects, categories, bases, processors, joint, recipients, transfers, locations, measures, datasets] = await Promise.all(
    ['purposes', 'subjectCategories', 'dataCategories', 'legalBases', 'processors', 'jointUses', 'recipients', 'foreignTransfers', 'storageLocations', 'securityMeasures', 'datasets'].map(rel),
  );
  const subs = await ctx.loaders.relation('Processor', 'subProcessors').loadMany([...new Set(processors.flat().map((p) => Number(p.id)))]) as Row[][];
  const subsOf = new Map([...new Set(processors.flat().map((p) => Number(p.id)))].map((id, i) => [id, subs[i]]));
  const recipientBases = await ctx.loaders.byId('LegalBasis').loadMany([...new Set(recipients.flat().map((r) => r.basis).filter((b) => b != null).map(Number))]);
  const basisById = new Map((recipientBases.filter((b) => b && !(b instanceof Error)) as Row[]).map((b) => [Number(b.id), b]));
  const flatTransfers = transfers.flat();
  const withContext = await withCountryContext(ctx, flatTransfers);
  const art28Input = new Map<Row, TransferArt28Input>(flatTransfers.map((f, i) => [f, withContext[i]]));
  const inputOf = (f: Row) => art28Input.get(f)!;
  const transferSubjects = new Map<Row, Row[]>();
  (await ctx.loaders.relation('ForeignTransfer', 'subjectCategories').loadMany(flatTransfers.map((f) => Number(f.id))) as Row[][]).forEach((cs, i) => transferSubjects.set(flatTransfers[i], cs));
  const [org] = await ctx.loaders.query('select "name", "address", "dpo", "eu_representative" as rep, "complaint_contact" as cc, "contact_desks" as desks from "organization" where "archived_at" is null order by "id" limit 1');
  const orgText = org ? join([t(org.name), t(org.address), ...(((org.cc as { channels?: Array<{ phone?: string; url?: string; deskCode?: string }> })?.channels ?? []).map((ch) => { const r = channelReach(org.desks as DeskRow[], ch, t); return r.phone ?? r.url ?? ''; }))]).replace(/\n/g, ', ') : '';

  return activities.map((a, i) => {
    const cats = categories[i];
    const byFramework = (fw: string) => bases[i].filter((b) => b.framework === fw);
    const row: Record<string, string> = {
      code: String(a.code),
      name: t(a.name),
      controller: orgText,
      processor: orgText,
      jointControllers: join(joint[i].map((j) => t((j.responsibleManager as { name?: unknown })?.name))),
      representative: t(org?.rep),
      dpo: t(org?.dpo),
      purposes: join(purposes[i].map((p) => t(p.text))),
      subjects: join(subjects[i].map((s) => t(s.name))),
      controllers: join(subjects[i].map((s) => t(s.entrustingController))),
      allDataItems: join(cats.map((d) => t(d.name))),
      personalDataItems: join(cats.filter((d) => d.kind !== 'PERSONALLY_REFERABLE').map((d) => t(d.name))),
      owner: String(a.owner ?? ''),
      specialCategories: join(cats.filter((d) => d.kind === 'SPECIAL_CARE').map((d) => t(d.name))),
      personallyReferable: join(cats.filter((d) => d.kind === 'PERSONALLY_REFERABLE').map((d) => t(d.name))),
      recipients: join([...processors[i].map((p) => t(p.name)), ...recipients[i].map((r) => t(r.name)), ...joint[i].map((j) => t(j.name))]),
      processors: join(processors[i].map((p) => `${t(p.name)}${p.country ? ` — ${country(p.country)}` : ''}`)),
      subProcessors: join(processors[i].flatMap((p) => (subsOf.get(Number(p.id)) ?? []).map((s) => `${t(s.name)} (${t(p.name)})`))),
      transfers: join(transfers[i].map((f) => `${country(f.country)}: ${basisLabel(f.basis)}`)),
      foreignTransfers: join(transfers[i].map((f) => {
        const ci = f.consentInformation as { providedAt?: string; countryName?: Localized; regime?: Localized; recipientMeasures?: Localized } | null;
        const check = f.periodicCheck as { lastCheckedAt?: string; performed?: boolean } | null;
        const lastCheck = check?.lastCheckedAt ?? (check?.performed ? (ja ? '実施済み(日付不明)' : 'done, date not stated') : '—');
        const info = f.basis === 'CONSENT_WITH_INFORMATION' ? `${ja ? '情報提供' : 'information given'} ${ci?.providedAt ?? '—'}`
          : String(f.basis).startsWith('EQUIVALENT') ? `${ja ? '定期確認' : 'periodic check'} ${lastCheck}` : '';
        // The Art. 28(2) information is shown whatever the route, as the statement and the notice print it.
        const r = renderTransferArt28(inputOf(f), lang);
        const recorded = [ci?.countryName, ci?.regime, ci?.recipientMeasures].some((l) => pickMarked(l, lang)) || r.contractClauses.length > 0 || r.governmentAccessLaws.length > 0;
        const art28 = recorded ? art28Lines(r, lang).map((x) => x.trim()).join(' / ') : '';
        const items = [pickMarked(f.itemsText, lang), ...(transferSubjects.get(f) ?? []).map((c) => pickMarked(c.name, lang))].filter(Boolean).join(ja ? '／' : ' / ');
        return `${t(f.recipientName)} — ${country(f.country)}: ${basisLabel(f.basis)}${info ? ` (${info})` : ''}${items ? ` {${items}}` : ''}${art28 ? ` [${art28}]` : ''}`;
      })),
      jointUse: join(joint[i].map((j) => `${t(j.name)}: ${t(j.itemsText)} / ${t(j.scope)} / ${t((j.responsibleManager as { name?: unknown })?.name)}`)),
      provisionBases: join(recipients[i].map((r) => `${t(r.name)}: ${r.basis != null ? t(basisById.get(Number(r.basis))?.title) : '—'}`)),
      retention: t(a.retention),
      // A measure is named by its title; one the notice gives no title (or none in this language) by its text.
      security: join(measures[i].map((s) => own(s.title) || own(s.description) || t(s.title) || t(s.description))),
      lawfulBasis: join(byFramework('GDPR').filter((b) => b.scope === 'PROCESSING').map((b) => `${b.article} ${t(b.title)}`)),
      article9: join(byFramework('GDPR').filter((b) => b.scope === 'SPECIAL_CATEGORY').map((b) => `${b.article} ${t(b.title)}`)),
      sources: join((a.sources as Localized[]).map(t)),
      profiling: a.profiling ? (language === 'JA' ? 'あり' : 'yes') : language === 'JA' ? 'なし' : 'no',
      locations: join(locations[i].map((l) => `${t(l.name)} — ${country(l.country)}`)),
    };
    const routed = new Set(transfers[i].map((f) => String(f.country)));
    const facts: RowFacts = {
      foreignProcessorsWithoutRoute: processors[i].filter((p) => typeof p.country === 'string' && p.country !== HOME_COUNTRY && !routed.has(p.country)).map((p) => t(p.name)),
      transfersWithoutArt28Record: transfers[i].filter((f) => {
        const ci = f.consentInformation as { providedAt?: string } | null;
        const check = f.periodicCheck as { lastCheckedAt?: string; performed?: boolean } | null;
        if (f.basis === 'CONSENT_WITH_INFORMATION') return !ci?.providedAt;
        if (String(f.basis).startsWith('EQUIVALENT')) return !check?.lastCheckedAt && !check?.performed;
        return false;
      }).map((f) => `${t(f.recipientName) || country(f.country)}`),
      processorsWithoutCountry: processors[i].filter((p) => typeof p.country !== 'string' || !p.country).map((p) => t(p.name)),
      recipientsWithoutBasis: recipients[i].filter((r) => r.basis == null).map((r) => t(r.name)),
      hasDatasets: datasets[i].length > 0,
      hasTransfers: transfers[i].length > 0,
      hasProcessors: processors[i].length > 0,
      hasRecipients: recipients[i].length > 0,
    };
    return { activity: a, row, facts, gdprApplies: byFramework('GDPR').length > 0 };
  });
}

/** RFC 4180 quoting; a leading = + - @ is neutralized so that spreadsheets do not run it as a formula. */
export const csvCell = (raw: unknown) => {
  const v = /^[=+\-@\t\r]/.test(String(raw)) ? `'${String(raw)}` : String(raw);
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
};

export interface RopaFile {
  filename: string;
  contentType: string;
  body: Buffer;
}

export async function renderRopa(ctx: Context, format: RopaFormat, framework: RopaFramework, role: RopaRole, language: RopaLanguage): Promise<RopaFile> {
  const cols = ropaColumns(framework, role);
  const header = cols.map((col) => (language === 'JA' ? col.ja : col.en));
  const base = `ropa-${framework.toLowerCase()}-${role.toLowerCase()}-${language.toLowerCase()}`;
  if (format === 'JSON') {
    const rows = await ropaRows(ctx, framework, role, language);
    const body = JSON.stringify({ framework, role, language, columns: cols.map((col) => ({ key: col.key, label: language === 'JA' ? col.ja : col.en, ref: col.ref })), rows }, null, 2);
    return { filename: `${base}.json`, contentType: 'application/json; charset=utf-8', body: Buffer.from(body) };
  }
  if (format === 'CSV') {
    // A BOM so that spreadsheet programs read the Japanese as UTF-8.
    const parts = ['\ufeff' + header.map(csvCell).join(',') + '\r\n'];
    for await (const rows of ropaRowBatches(ctx, framework, role, language)) {
      parts.push(rows.map((r) => cols.map((col) => csvCell(r[col.key])).join(',') + '\r\n').join(''));
    }
    return { filename: `${base}.csv`, contentType: 'text/csv; charset=utf-8', body: Buffer.from(parts.join('')) };
  }
  // Loaded here, not at start: exceljs and its zip stack are some 400 modules that only this export uses.
  const { default: ExcelJS } = await import('exceljs');
  // The streaming writer: rows are zipped as they are committed, not held as cell objects (an
  // in-memory workbook of the L inventory did not fit the heap).
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => sink.on('end', resolve).on('error', reject));
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: true });
  book.creator = 'Kiroku';
  const sheet = book.addWorksheet(framework === 'APPI' ? 'APPI' : role === 'PROCESSOR' ? 'Art. 30(2)' : 'Art. 30(1)', { views: [{ state: 'frozen', xSplit: 2, ySplit: 1 }] });
  sheet.columns = cols.map((col, i) => ({ header: header[i], key: col.key, width: col.width }));
  const head = sheet.getRow(1);
  head.font = { bold: true };
  head.alignment = { vertical: 'middle', wrapText: true };
  head.commit();
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: cols.length } };
  // One line per gap, so that a reviewer can filter and assign them: kept (three short texts a
  // gap) until the main sheet is done, as the writer finishes one sheet before the next.
  const gaps: Array<{ code: string; name: string; gap: string }> = [];
  for await (const rows of ropaRowBatches(ctx, framework, role, language)) {
    for (const r of rows) {
      const row = sheet.addRow(r);
      row.alignment = { vertical: 'top', wrapText: true };
      row.commit();
      for (const g of r.gaps ? r.gaps.split('\n') : []) gaps.push({ code: r.code, name: r.name, gap: g });
    }
  }
  await sheet.commit();
  const gapSheet = book.addWorksheet(language === 'JA' ? '不備' : 'Gaps', { views: [{ state: 'frozen', ySplit: 1 }] });
  gapSheet.columns = [
    { header: header[0], key: 'code', width: 18 }, { header: header[1], key: 'name', width: 32 },
    { header: language === 'JA' ? '不備' : 'Gap', key: 'gap', width: 70 },
  ];
  gapSheet.getRow(1).font = { bold: true };
  gapSheet.getRow(1).commit();
  gapSheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: 3 } };
  for (const g of gaps) gapSheet.addRow(g).commit();
  await gapSheet.commit();
  await book.commit();
  await ended;
  return { filename: `${base}.xlsx`, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', body: Buffer.concat(chunks) };
}
