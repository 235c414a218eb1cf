import fs from 'node:fs/promises';
import path from 'node:path';
import Mustache from 'mustache';
import type { Context } from '../graphql/context.js';
import type { Row } from '../graphql/loaders.js';
import { hasText, pick, type Localized } from '../graphql/localized-text.js';
import { countryName } from '../graphql/validators.js';
import { HOME_COUNTRY, repoRoot } from '../config.js';
import { escapeHtml, markdownToSafeHtml } from './safe-html.js';
import { channelReach, type DeskRow } from '../organization/contact-desk.js';

export type NoticeLanguage = 'JA' | 'EN';
export type NoticeFormat = 'MARKDOWN' | 'HTML';

const templates = new Map<string, string>();
async function template(language: NoticeLanguage): Promise<string> {
  const name = `notice.${language.toLowerCase()}.md.mustache`;
  let t = templates.get(name);
  if (!t) {
    t = await fs.readFile(path.join(repoRoot, 'server/templates', name), 'utf8');
    templates.set(name, t);
  }
  return t;
}

const MEASURE_HEADINGS: Record<string, { ja: string; en: string }> = {
  BASIC_POLICY: { ja: '基本方針の策定', en: 'Basic policy' },
  INTERNAL_RULES: { ja: '個人情報の取扱いに係る社内規程の整備', en: 'Internal rules' },
  ORGANIZATIONAL: { ja: '組織的安全管理措置', en: 'Organizational security measures' },
  HUMAN: { ja: '人的安全管理措置', en: 'Human security measures' },
  PHYSICAL: { ja: '物理的安全管理措置', en: 'Physical security measures' },
  TECHNICAL: { ja: '技術的安全管理措置', en: 'Technical security measures' },
  CONTRACTOR_OVERSIGHT: { ja: '委託先の監督', en: 'Supervision of processors' },
  EXTERNAL_ENVIRONMENT: { ja: '外的環境の把握', en: 'Understanding the external environment' },
};

/**
 * The notice APPI Art. 21, 27 and 32 require, rendered from the inventory alone with the
 * templates in server/templates: what the records say is what the notice says.
 */
export async function renderPublicNotice(ctx: Context, language: NoticeLanguage, format: NoticeFormat): Promise<string> {
  const t = (l: unknown) => pick(l, language);
  const m = ctx.loaders.model;
  const q = (entity: string, where = '') => ctx.loaders.query(`select ${m.select(entity)} from ${m.table(entity)} t where t."archived_at" is null ${where} order by ${m.order(entity)}`);
  const [[org], categories, purposes, measures, jointUses, foreign] = await Promise.all([
    q('Organization', ''),
    q('SubjectCategory'),
    q('Purpose'),
    q('SecurityMeasure'),
    q('JointUseArrangement'),
    ctx.loaders.query<{ country: string; regime: Localized | null }>(
      `select distinct s."country", ca."regime" from "storage_location" s left join "country_assessment" ca on ca."country" = s."country" and ca."archived_at" is null
       where s."archived_at" is null and s."country" <> ? order by s."country"`,
      [HOME_COUNTRY],
    ),
  ]);
  const juPurposes = await ctx.loaders.relation('JointUseArrangement', 'purposes').loadMany(jointUses.map((j) => Number(j.id)));
  // Where a statement is printed is the organization's data (placement), never read from its code.
  const statements = (org?.statements as Array<{ code: string; text: Localized; placement?: string | null; subjectCategoryCode?: string | null }> | undefined) ?? [];
  const categoryStatement = (code: string) => statements.filter((s) => s.placement === 'SUBJECT_CATEGORY' && s.subjectCategoryCode === code).map((s) => t(s.text)).filter(Boolean).join('\n\n');
  const byCategory = new Map<number, Row[]>();
  for (const p of purposes) if (p.subjectCategory != null) byCategory.set(Number(p.subjectCategory), [...(byCategory.get(Number(p.subjectCategory)) ?? []), p]);
  const groups: Array<{ name: string; categories: unknown[] }> = [];
  for (const c of categories) {
    const name = t(c.group);
    let g = groups.find((x) => x.name === name);
    if (!g) groups.push((g = { name, categories: [] }));
    const own = byCategory.get(Number(c.id)) ?? [];
    g.categories.push({
      number: c.number ?? '',
      name: t(c.name),
      purposes: own.filter((p) => p.kind === 'CATEGORY').map((p) => ({ text: t(p.text), channelNote: t(p.channelNote) || null })),
      cookiePurposes: own.filter((p) => p.kind === 'COOKIE_LINKED').map((p) => ({ text: t(p.text) })),
      cookieStatement: categoryStatement(String(c.code)) || null,
      notes: null,
    });
  }
  const proc = org?.requestProcedure as {
    requestTypes?: Array<{ label: Localized; declinedByPolicy?: Localized | null }>; channels?: Array<{ label: Localized; phone?: string; hours?: Localized; deskCode?: string; condition?: Localized; identityVerification?: Localized; instructions?: Localized }>;
    disclosureMethodNote?: Localized; notes?: Localized[]; refusalGrounds?: Array<{ text: Localized }>; fee?: { status: string; amountJpy?: number; note?: Localized };
  } | null;
  // A currency is printed only next to an amount: a fee without one is said to be charged, with the notice's note.
  const fee = proc?.fee?.status === 'CHARGED' && proc.fee.amountJpy != null
    ? `${proc.fee.amountJpy.toLocaleString('ja-JP')}${language === 'JA' ? '円' : ' JPY'} ${t(proc.fee.note)}`.trim()
    : proc?.fee?.status === 'CHARGED' || proc?.fee?.status === 'CHARGED_AMOUNT_NOT_STATED' ? t(proc.fee.note) || (language === 'JA' ? '有料' : 'charged')
    : proc?.fee?.status === 'FREE' ? (language === 'JA' ? '無料' : 'free') : null;
  const reach = (c: Parameters<typeof channelReach>[1]) => {
    const r = channelReach(org?.contactDesks as DeskRow[] | undefined, c, t);
    return { phone: r.phone, hours: r.hours, email: r.email };
  };
  const rep = org?.representative as { name?: Localized; title?: Localized } | null;
  const pm = org?.privacyManager as { organization?: Localized; title?: Localized; name?: Localized } | null;
  const notice = org?.notice as { title?: Localized; statutoryBasis?: Localized; changePolicy?: Localized; revisions?: Array<{ effectiveDate: string; version?: string | null; summary?: Localized | null }> | null } | null;
  const date = (iso: string) => {
    const [y, mo, d] = iso.split('-').map(Number);
    return language === 'JA' ? `${y}年${mo}月${d}日` : iso;
  };
  // Measures the notice does not classify come last, under no heading, rather than vanishing.
  const measureGroups = [...Object.entries(MEASURE_HEADINGS), [null, null] as const]
    .map(([cat, heading]) => {
      const list = measures.filter((s) => (s.category ?? null) === cat);
      const head = heading ? (language === 'JA' ? heading.ja : heading.en) : null;
      return {
        heading: head,
        measures: list.map((s) => ({ numbered: s.number != null, number: s.number, title: t(s.title), showTitle: !!t(s.title) && (list.length > 1 || t(s.title) !== head), description: t(s.description) })),
      };
    })
    .filter((g) => g.measures.length);
  const view = {
    title: t(notice?.title) || (language === 'JA' ? '個人情報の取り扱いについて' : 'Handling of Personal Information'),
    org: { name: t(org?.name), address: t(org?.address) || null, representative: [t(rep?.title), t(rep?.name)].filter(Boolean).join(' ') || null },
    statutoryBasis: t(notice?.statutoryBasis) || null,
    groups,
    generalPurposes: purposes.filter((p) => p.subjectCategory == null && (p.kind === 'GENERAL' || p.kind === 'WEB_BEACON')).map((p) => ({ text: t(p.text) })),
    statements: statements.filter((s) => s.placement === 'PURPOSES').map((s) => ({ text: t(s.text) })),
    provisionRules: ((org?.provisionRules as Array<{ text: Localized }> | undefined) ?? []).map((r) => ({ text: t(r.text) })),
    jointUses: jointUses.map((j, i) => {
      const man = j.responsibleManager as { name?: Localized; address?: Localized; representative?: Localized };
      return {
        name: t(j.name), rationale: t(j.rationale) || null, itemsText: t(j.itemsText), scope: t(j.scope),
        purposes: ((juPurposes[i] as Row[]) ?? []).map((p) => ({ text: t(p.text) })),
        manager: { name: t(man?.name), address: t(man?.address), representative: t(man?.representative) },
        acquisitionMethods: ((j.acquisitionMethods as Localized[]) ?? []).map((a) => ({ text: t(a) })),
      };
    }),
    outsourcingPolicy: t(org?.outsourcingPolicy) || null,
    excluded: categories.filter((c) => c.requestsAccepted === false).map((c) => ({ name: t(c.name) })),
    requestTypes: (proc?.requestTypes ?? []).filter((r) => !hasText(r.declinedByPolicy)).map((r) => ({ label: t(r.label) })),
    declinedTypes: (proc?.requestTypes ?? []).filter((r) => hasText(r.declinedByPolicy)).map((r) => ({ label: t(r.label), wording: t(r.declinedByPolicy) })),
    channels: (proc?.channels ?? []).map((c) => ({ label: t(c.label), ...reach(c), condition: t(c.condition) || null, identityVerification: t(c.identityVerification) || null, instructions: t(c.instructions) || null })),
    disclosureNote: t(proc?.disclosureMethodNote) || null,
    procedureNotes: (proc?.notes ?? []).map((n) => ({ text: t(n) })),
    refusalGrounds: (proc?.refusalGrounds ?? []).map((r) => ({ text: t(r.text) })),
    fee,
    complaintChannels: (((org?.complaintContact as { channels?: Array<{ label?: Localized; phone?: string; hours?: Localized; deskCode?: string }> } | null)?.channels) ?? []).map((c) => ({ label: t(c.label), ...reach(c) })),
    privacyManager: [t(pm?.organization), t(pm?.title), t(pm?.name)].filter(Boolean).join(' ') || null,
    measureGroups,
    foreignCountries: foreign.map((f) => ({ name: countryName(f.country, language === 'JA' ? 'ja' : 'en') ?? f.country, regime: t(f.regime) || null })),
    changePolicy: t(notice?.changePolicy) || null,
    revisions: (notice?.revisions ?? []).map((r) => ({ date: date(r.effectiveDate), version: r.version || null, summary: t(r.summary) || null })),
  };
  const html = format === 'HTML';
  // Markdown keeps the texts verbatim; for HTML every value is escaped before Markdown is converted.
  const markdown = Mustache.render(await template(language), view, {}, { escape: html ? escapeHtml : (s: string) => String(s) }).replace(/\n{3,}/g, '\n\n');
  if (!html) return markdown;
  return `<!doctype html>\n<html lang="${language === 'JA' ? 'ja' : 'en'}"><head><meta charset="utf-8"><title>${escapeHtml(view.title)}</title></head>\n<body>\n${markdownToSafeHtml(markdown)}</body></html>\n`;
}

export interface NoticeChange {
  entityType: string;
  code: string;
  change: string;
  at: Date;
}

const NOTICE_TABLES: Array<[string, string, string]> = [
  ['Organization', 'organization', 'code'], ['SubjectCategory', 'subject_category', 'code'], ['Purpose', 'purpose', 'code'],
  ['JointUseArrangement', 'joint_use_arrangement', 'code'], ['SecurityMeasure', 'security_measure', 'code'],
  ['StorageLocation', 'storage_location', 'code'], ['CountryAssessment', 'country_assessment', 'country'],
  ['ThirdPartyRecipient', 'third_party_recipient', 'code'], ['ForeignTransfer', 'foreign_transfer', 'code'],
];

/** What changed in the records the notice is made of since a time (and before `until`): what the privacy team must announce. */
export async function noticeChangesSince(ctx: Context, since: Date, until?: Date): Promise<NoticeChange[]> {
  const sql = NOTICE_TABLES.map(
    ([type, table, key]) => `select '${type}' as "entityType", t."${key}" as "code",
       case when t."archived_at" is not null and t."archived_at" >= $1 then 'ARCHIVED' when t."created_at" >= $1 then 'CREATED' else 'UPDATED' end as "change",
       greatest(t."created_at", t."updated_at", coalesce(t."archived_at", t."created_at")) as "at"
     from "${table}" t where t."updated_at" >= $1 or t."created_at" >= $1 or t."archived_at" >= $1`,
  ).join(' union all ');
  return ctx.db.pool.query(`select * from (${sql}) c where $2::timestamptz is null or c."at" < $2 order by "at", "entityType", "code"`, [since, until ?? null]).then((r) => r.rows);
}
