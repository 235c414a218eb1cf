import type { Context } from '../graphql/context.js';
import type { Row } from '../graphql/loaders.js';
import { hasText, pickMarked, type Localized } from '../graphql/localized-text.js';
import { countryName } from '../graphql/validators.js';
import { HOME_COUNTRY } from '../config.js';
import { escapeHtml, markdownToSafeHtml } from './safe-html.js';
import { channelReach, type DeskRow } from '../organization/contact-desk.js';
import { NoticeBlockKind as K, NoticeTextStyle as S, type NoticeBlock } from '../organization/notice-layout.js';
import { ITEM_KEYS, ITEM_LABELS, itemText, resolveItems } from '../parties/transfer-statement.js';
import { renderTransferArt28, withCountryContext, type TransferArt28Input } from '../parties/transfer-art28.js';
import { FOREIGN_TRANSFER_BASIS, SECURITY_MEASURE_CATEGORY } from '../graphql/enum-labels.js';

export type NoticeLanguage = 'JA' | 'EN';
export type NoticeFormat = 'MARKDOWN' | 'HTML';
type Lang = 'ja' | 'en';
type L = { ja: string; en: string };

/**
 * The wording a block prints where the organization gives none: the law's own terms (APPI and its
 * guidelines), never one notice's. A layout's labels replace them key by key.
 */
const DEFAULT_LABELS: Partial<Record<K, Record<string, L>>> = {
  [K.JOINT_USE]: {
    items: { ja: '共同して利用される個人データの項目', en: 'Items of personal data used jointly' },
    scope: { ja: '共同して利用する者の範囲', en: 'Scope of the joint users' },
    purposes: { ja: '利用する者の利用目的', en: 'Purposes of use of the joint users' },
    manager: { ja: '当該個人データの管理について責任を有する者', en: 'Party responsible for managing the personal data' },
    managerName: { ja: '名称', en: 'Name' },
    managerAddress: { ja: '住所', en: 'Address' },
    managerRepresentative: { ja: '代表者', en: 'Representative' },
    acquisition: { ja: '取得方法', en: 'How the data is acquired' },
  },
  [K.REQUEST_TYPES]: { intro: { ja: '請求をお受けする事項', en: 'Requests accepted' } },
  [K.REFUSAL_GROUNDS]: { intro: { ja: '次の場合には、ご請求に応じられないことがあります。', en: 'A request may be refused in the following cases.' } },
  [K.FEE]: { fee: { ja: '手数料', en: 'Fee' } },
  [K.PRIVACY_MANAGER]: { heading: { ja: '個人情報保護管理者', en: 'Personal information protection manager' } },
  [K.COMPLAINT_CHANNELS]: { accredited: { ja: '認定個人情報保護団体', en: 'Accredited personal information protection organization' } },
  [K.STORAGE_ABROAD]: {
    intro: { ja: '個人データを保管している外国と、その国の個人情報の保護に関する制度', en: 'Countries where personal data is stored, and their personal-information protection regimes' },
  },
  [K.FOREIGN_TRANSFERS]: { basis: { ja: '提供の根拠', en: 'Basis of the provision' }, purpose: { ja: '提供の目的', en: 'Purpose of the provision' } },
  [K.REVISIONS]: { heading: { ja: '改定履歴', en: 'Revision history' } },
  // The PPC guidelines' headings, worded once for every output.
  [K.SECURITY_MEASURES]: SECURITY_MEASURE_CATEGORY,
};
const MEASURE_ORDER = ['BASIC_POLICY', 'INTERNAL_RULES', 'ORGANIZATIONAL', 'HUMAN', 'PHYSICAL', 'TECHNICAL', 'CONTRACTOR_OVERSIGHT', 'EXTERNAL_ENVIRONMENT'];

const heading = (level: number, ja: string, en: string): NoticeBlock => ({ kind: K.HEADING, level, text: { ja, en } });
const drawn = (kind: K, extra: Partial<NoticeBlock> = {}): NoticeBlock => ({ kind, ...extra });

/**
 * The structure of a notice for an organization that stored none: the items of APPI Art. 21, 27, 28
 * and 32 in the order of the law, under neutral headings.
 */
export const DEFAULT_LAYOUT: NoticeBlock[] = [
  drawn(K.ORGANIZATION),
  drawn(K.STATUTORY_BASIS, { style: S.BULLET }),
  heading(1, '1. 個人情報の利用目的', '1. Purposes of use'),
  drawn(K.PURPOSES, { level: 2 }),
  drawn(K.GENERAL_PURPOSES, { level: 2 }),
  drawn(K.STATEMENTS),
  heading(1, '2. 第三者提供・共同利用・外国にある第三者への提供', '2. Provision to third parties, joint use and provision abroad'),
  drawn(K.PROVISION_RULES),
  drawn(K.JOINT_USE, { level: 2 }),
  drawn(K.THIRD_PARTY_RECIPIENTS, { level: 2 }),
  drawn(K.FOREIGN_TRANSFERS, { level: 2 }),
  drawn(K.OUTSOURCING),
  heading(1, '3. 開示等の請求', '3. Requests about your personal data'),
  drawn(K.REQUEST_TYPES),
  drawn(K.REQUEST_CHANNELS, { style: S.BULLET }),
  drawn(K.RESPONSE_METHODS),
  drawn(K.FEE),
  drawn(K.REFUSAL_GROUNDS),
  drawn(K.PROCEDURE_NOTES),
  drawn(K.RETAINED_DATA_DEFINITION),
  heading(2, '苦情・相談', 'Complaints and inquiries'),
  drawn(K.COMPLAINT_CHANNELS, { style: S.BULLET }),
  drawn(K.CONTACT_DESKS),
  drawn(K.PRIVACY_MANAGER),
  heading(1, '4. 安全管理措置', '4. Security measures'),
  drawn(K.SECURITY_MEASURES, { level: 2 }),
  drawn(K.STORAGE_ABROAD, { level: 2 }),
  drawn(K.CHANGE_POLICY),
  drawn(K.REVISIONS, { level: 2 }),
];

type Statement = { code: string; text: Localized; placement?: string | null; subjectCategoryCode?: string | null; position?: number | null; purposeCodes?: string[] | null };
type Procedure = {
  requestTypes?: Array<{ code: string; label: Localized; declinedByPolicy?: Localized | null }>;
  channels?: Array<{ code?: string; label: Localized; phone?: string; hours?: Localized; deskCode?: string; url?: string; condition?: Localized; identityVerification?: Localized; instructions?: Localized; formTitle?: Localized; formUrl?: string; formLinkText?: Localized }>;
  disclosureMethods?: Array<{ method: string; label: Localized; constraint?: Localized | null }>;
  disclosureMethodNote?: Localized; notes?: Localized[]; refusalGrounds?: Array<{ code: string; text: Localized }>;
  fee?: { status: string; amountJpy?: number | null; note?: Localized | null }; retainedDataDefinition?: Localized | null;
};

/**
 * The notice APPI Art. 21, 27, 28 and 32 require, rendered from the inventory alone: the organization's
 * layout (organization.notice.layout) orders headings, its own texts and the parts drawn from the
 * records. Records marked illustrative are left out unless asked for.
 */
/** A joint use's purposes as of a date: its recorded ids, in list order (as the relation loader gives them). */
function purposesOf(jointUse: Row, purposes: Row[]): Row[] {
  const ids = new Set((jointUse.purposeIds as number[] | undefined) ?? []);
  return purposes.filter((p) => ids.has(Number(p.id)));
}

/** The entities the notice is drawn from (for a notice as of a past date, see `asOf`). */
export const NOTICE_ENTITIES = ['Organization', 'SubjectCategory', 'Purpose', 'SecurityMeasure', 'JointUseArrangement', 'ThirdPartyRecipient', 'ForeignTransfer', 'CountryAssessment', 'StorageLocation'];

export async function renderPublicNotice(ctx: Context, language: NoticeLanguage, format: NoticeFormat, opts: { includeIllustrative?: boolean; asOf?: Map<string, Row[]> } = {}): Promise<string> {
  const lang: Lang = language === 'JA' ? 'ja' : 'en';
  const html = format === 'HTML';
  const t = (l: unknown) => pickMarked(l, lang);
  const m = ctx.loaders.model;
  const live = opts.includeIllustrative ? '' : 'and t."illustrative" = false';
  const past = opts.asOf && ((entity: string) => opts.asOf!.get(entity)!.filter((r) => opts.includeIllustrative || !r.illustrative));
  const q = (entity: string) => past ? Promise.resolve(past(entity)) : ctx.loaders.query(`select ${m.select(entity)} from ${m.table(entity)} t where t."archived_at" is null ${live} order by ${m.order(entity)}`);
  const [[org], categories, purposes, measures, jointUses, recipients, transfers, assessments, stored] = await Promise.all([
    q('Organization'), q('SubjectCategory'), q('Purpose'), q('SecurityMeasure'), q('JointUseArrangement'),
    q('ThirdPartyRecipient'), q('ForeignTransfer'), q('CountryAssessment'),
    past
      ? [...new Set(past('StorageLocation').map((l) => String(l.country)).filter((c) => c !== HOME_COUNTRY))].sort().map((country) => ({ country }))
      : ctx.loaders.query<{ country: string }>(`select distinct t."country" from "storage_location" t where t."archived_at" is null ${live} and t."country" <> ? order by t."country"`, [HOME_COUNTRY]),
  ]);
  const art28Input = new Map((await withCountryContext(ctx, transfers)).map((x, i) => [transfers[i], x]));
  const juPurposes = past
    ? jointUses.map((j) => purposesOf(j, opts.asOf!.get('Purpose')!))
    : ((await ctx.loaders.relation('JointUseArrangement', 'purposes').loadMany(jointUses.map((j) => Number(j.id)))) as Row[][]);
  const notice = (org?.notice ?? null) as { title?: Localized; statutoryBasis?: Localized; changePolicy?: Localized; groupPolicyReference?: Localized; revisions?: Array<{ effectiveDate: string; version?: string | null; summary?: Localized | null }> | null; layout?: NoticeBlock[] | null } | null;
  const statements = ((org?.statements as Statement[] | undefined) ?? []);
  const proc = (org?.requestProcedure ?? null) as Procedure | null;
  const desks = org?.contactDesks as DeskRow[] | undefined;
  const assessment = new Map(assessments.map((a) => [String(a.country), a]));
  const statedPurposes = new Set(statements.flatMap((s) => s.purposeCodes ?? []));

  const out: string[] = [];
  // Every value is escaped for HTML before Markdown is converted; Markdown keeps the texts verbatim.
  const v = (s: string) => (html ? escapeHtml(s) : s);
  const blank = () => { if (out.length && out[out.length - 1] !== '') out.push(''); };
  const para = (s: string) => { if (!s) return; blank(); out.push(...v(s).split('\n')); out.push(''); };
  const bullet = (s: string, depth = 0) => {
    if (!s) return;
    const [first, ...rest] = v(s).split('\n');
    const pad = '  '.repeat(depth);
    out.push(`${pad}- ${first}`, ...rest.map((r) => `${pad}  ${r}`));
  };
  const text = (s: string, style: string | null | undefined, depth = 0) => (style === 'BULLET' ? bullet(s, depth) : para(s));
  const head = (level: number, s: string) => {
    if (!s) return;
    blank();
    out.push(`${'#'.repeat(Math.min(6, level + 1))} ${v(s)}`, '');
  };
  const label = (b: NoticeBlock, key: string): string => {
    const own = b.labels?.find((l) => l.key === key);
    if (own) return t(own.text);
    const d = DEFAULT_LABELS[b.kind]?.[key];
    return d ? d[lang] : '';
  };
  const pickCodes = <T,>(rows: T[], b: NoticeBlock): T[] =>
    b.codes?.length ? b.codes.map((c) => rows.find((r) => String((r as { code?: unknown }).code) === c)).filter((r): r is T => !!r) : rows;
  const date = (iso: string) => {
    const [y, mo, d] = iso.split('-').map(Number);
    return lang === 'ja' ? `${y}年${mo}月${d}日` : iso;
  };
  const country = (code: string) => countryName(code, lang) ?? code;
  const reachLine = (c: Parameters<typeof channelReach>[1]) => {
    const r = channelReach(desks, c, t);
    const hours = r.hours ? (lang === 'ja' ? `(${r.hours})` : ` (${r.hours})`) : '';
    return [r.phone ? `${r.phone}${hours}` : hours.trim(), r.email].filter(Boolean).join(' ');
  };
  const link = (s: string, url?: string | null) => (url ? `[${s}](${url})` : s);

  const blocks: Record<K, (b: NoticeBlock) => void> = {
    [K.HEADING]: (b) => head(b.level ?? 1, t(b.text)),
    [K.PARAGRAPH]: (b) => para(t(b.text)),
    [K.BULLET]: (b) => bullet(t(b.text)),
    [K.STATEMENTS]: (b) => {
      const chosen = b.codes?.length ? pickCodes(statements, b) : statements.filter((s) => s.placement === 'PURPOSES');
      chosen.forEach((s) => text(t(s.text), b.style));
    },
    [K.ORGANIZATION]: () => {
      const rep = org?.representative as { name?: Localized; title?: Localized } | null;
      para([t(org?.name), t(org?.address), [t(rep?.title), t(rep?.name)].filter(Boolean).join(' ')].filter(Boolean).join('\n'));
    },
    [K.STATUTORY_BASIS]: (b) => text(t(notice?.statutoryBasis), b.style),
    [K.GROUP_POLICY]: (b) => text(t(notice?.groupPolicyReference), b.style),
    [K.CHANGE_POLICY]: (b) => text(t(notice?.changePolicy), b.style),
    [K.PURPOSES]: (b) => {
      const level = b.level ?? 2;
      let group: string | null = null;
      for (const c of pickCodes(categories, b)) {
        const g = t(c.group);
        if (g && g !== group) head(level, g);
        group = g;
        head(level + (g ? 1 : 0), `${c.number != null ? `${c.number}. ` : ''}${t(c.name)}`);
        type Entry = { at: number; order: number; print: () => void };
        const own: Entry[] = purposes
          .filter((p) => Number(p.subjectCategory) === Number(c.id) && (p.kind === 'CATEGORY' || p.kind === 'COOKIE_LINKED') && !statedPurposes.has(String(p.code)))
          .map((p, i) => ({ at: Number(p.position ?? Number.MAX_SAFE_INTEGER), order: 1 + i, print: () => { bullet(t(p.text)); if (hasText(p.channelNote as Localized)) bullet(t(p.channelNote)); } }));
        const placed: Entry[] = statements
          .filter((s) => s.placement === 'SUBJECT_CATEGORY' && s.subjectCategoryCode === c.code)
          .map((s) => ({ at: s.position ?? Number.MAX_SAFE_INTEGER, order: 0, print: () => bullet(t(s.text)) }));
        for (const e of [...own, ...placed].sort((x, y) => x.at - y.at || x.order - y.order)) e.print();
        if (hasText(c.notes as Localized)) { blank(); bullet(t(c.notes)); }
      }
    },
    [K.GENERAL_PURPOSES]: (b) => {
      const general = purposes.filter((p) => p.subjectCategory == null && (p.kind === 'GENERAL' || p.kind === 'WEB_BEACON') && !statedPurposes.has(String(p.code)));
      if (!general.length) return;
      if (b.labels?.length || !b.codes) head(b.level ?? 2, label(b, 'heading') || (lang === 'ja' ? 'その他の利用目的' : 'Other purposes of use'));
      pickCodes(general, b).forEach((p) => bullet(t(p.text)));
    },
    [K.PROVISION_RULES]: (b) => pickCodes((org?.provisionRules as Array<{ code: string; text: Localized }> | undefined) ?? [], b).forEach((r) => text(t(r.text), b.style)),
    [K.OUTSOURCING]: (b) => text(t(org?.outsourcingPolicy), b.style),
    [K.JOINT_USE]: (b) => {
      for (const j of pickCodes(jointUses, b)) {
        const i = jointUses.indexOf(j);
        if (!b.codes?.length) head(b.level ?? 2, t(j.name));
        para(t(j.rationale));
        para(`**${v(label(b, 'items'))}**`.replace(/^\*\*\*\*$/, ''));
        para(t(j.itemsText));
        para(`**${label(b, 'scope')}**`);
        para(t(j.scope));
        para(`**${label(b, 'purposes')}**`);
        (juPurposes[i] ?? []).forEach((p, n) => {
          if (n === 0) para(t(p.text)); else bullet(t(p.text));
          if (hasText(p.channelNote as Localized)) bullet(t(p.channelNote));
        });
        const man = j.responsibleManager as { name?: Localized; address?: Localized; representative?: Localized } | null;
        para(`**${label(b, 'manager')}**`);
        const sep = lang === 'ja' ? ':' : ': ';
        para([['managerName', man?.name], ['managerAddress', man?.address], ['managerRepresentative', man?.representative]]
          .filter(([, x]) => hasText(x as Localized)).map(([k, x]) => `${label(b, k as string)}${sep}${t(x)}`).join('\n'));
        const methods = ((j.acquisitionMethods as Localized[] | null) ?? []).map((a) => t(a)).filter(Boolean);
        if (methods.length) { para(`**${label(b, 'acquisition')}**`); methods.forEach((a) => bullet(a)); }
      }
    },
    [K.THIRD_PARTY_RECIPIENTS]: (b) => {
      for (const r of pickCodes(recipients, b)) {
        blank();
        bullet([t(r.name), r.country ? `(${country(String(r.country))})` : '', t(r.description)].filter(Boolean).join(' '));
        if (hasText(r.items as Localized)) bullet(t(r.items), 1);
      }
    },
    [K.FOREIGN_TRANSFERS]: (b) => {
      for (const f of pickCodes(transfers, b)) {
        head(b.level ?? 2, `${t(f.recipientName)}${lang === 'ja' ? '(' : ' ('}${country(String(f.country))})`);
        for (const [k, value] of transferLines(f, art28Input.get(f)!, assessment.get(String(f.country)), lang, t, (key) => label(b, key))) {
          para(`**${v(k)}**`);
          para(value);
        }
      }
    },
    [K.REQUEST_TYPES]: (b) => {
      const all = pickCodes(proc?.requestTypes ?? [], b);
      const offered = all.filter((r) => !hasText(r.declinedByPolicy));
      const declined = all.filter((r) => hasText(r.declinedByPolicy));
      if (offered.length) { para(label(b, 'intro')); offered.forEach((r) => bullet(t(r.label))); }
      if (declined.length) {
        if (label(b, 'declined')) para(label(b, 'declined'));
        blank();
        declined.forEach((r) => bullet(`${t(r.label)}${lang === 'ja' ? ':' : ': '}${t(r.declinedByPolicy)}`));
      }
    },
    [K.REQUEST_CHANNELS]: (b) => {
      for (const c of pickCodes(proc?.channels ?? [], b)) {
        blank();
        const line = [t(c.label), reachLine(c)].filter(Boolean).join(' ');
        if (b.style === 'BULLET') bullet(line); else para(line);
        const depth = b.style === 'BULLET' ? 1 : 0;
        if (hasText(c.condition)) bullet(t(c.condition), depth);
        if (hasText(c.identityVerification)) bullet(t(c.identityVerification), depth);
        if (hasText(c.instructions)) para(t(c.instructions));
        const form = t(c.formLinkText) || t(c.formTitle);
        if (form) para(link(form, c.formUrl));
      }
    },
    [K.RESPONSE_METHODS]: (b) => {
      const constraints = (proc?.disclosureMethods ?? []).map((d) => t(d.constraint)).filter(Boolean);
      const note = t(proc?.disclosureMethodNote);
      if (note || constraints.length) text([note, ...constraints].join(''), b.style);
      else if (proc?.disclosureMethods?.length) text((proc.disclosureMethods).map((d) => t(d.label)).join(lang === 'ja' ? '、' : ', '), b.style);
    },
    [K.FEE]: (b) => {
      const f = proc?.fee;
      // A currency is printed only next to an amount: a fee without one is said to be charged, with the notice's note.
      const value = f?.status === 'CHARGED' && f.amountJpy != null
        ? `${f.amountJpy.toLocaleString('ja-JP')}${lang === 'ja' ? '円' : ' JPY'} ${t(f.note)}`.trim()
        : f?.status === 'CHARGED' || f?.status === 'CHARGED_AMOUNT_NOT_STATED' ? t(f.note) || (lang === 'ja' ? '有料' : 'charged')
        : f?.status === 'FREE' ? t(f.note) || (lang === 'ja' ? '無料' : 'free') : '';
      if (!value) return;
      const l = label(b, 'fee');
      text(l ? `${l}${lang === 'ja' ? ':' : ': '}${value}` : value, b.style);
    },
    [K.REFUSAL_GROUNDS]: (b) => {
      const grounds = pickCodes(proc?.refusalGrounds ?? [], b);
      if (!grounds.length) return;
      const nested = b.style === 'BULLET';
      blank();
      if (nested) bullet(label(b, 'intro')); else para(label(b, 'intro'));
      grounds.forEach((g) => bullet(t(g.text), nested ? 1 : 0));
    },
    [K.PROCEDURE_NOTES]: (b) => (proc?.notes ?? []).forEach((n) => text(t(n), b.style ?? 'BULLET')),
    [K.RETAINED_DATA_DEFINITION]: (b) => text(t(proc?.retainedDataDefinition), b.style),
    [K.COMPLAINT_CHANNELS]: (b) => {
      const cc = org?.complaintContact as { channels?: Array<{ code?: string; label?: Localized; linkText?: Localized; url?: string; phone?: string; hours?: Localized; deskCode?: string }>; accreditedOrganization?: Localized } | null;
      for (const c of pickCodes(cc?.channels ?? [], b)) {
        const line = [t(c.label), t(c.linkText) ? link(t(c.linkText), c.url) : '', reachLine(c)].filter(Boolean).join(' ');
        blank();
        text(line, b.style);
      }
      if (hasText(cc?.accreditedOrganization)) text(`${label(b, 'accredited')}${lang === 'ja' ? ':' : ': '}${t(cc?.accreditedOrganization)}`, b.style);
    },
    [K.CONTACT_DESKS]: (b) => {
      for (const d of pickCodes(desks ?? [], b)) {
        const phones = (d.phones ?? []).map((p) => [t(p.label), p.number].filter(Boolean).join(' '));
        para([t(d.name), t(d.address), ...phones, d.email ?? '', d.url ?? '', t(d.hours), t(d.closedDays)].filter(Boolean).join('\n'));
      }
    },
    [K.PRIVACY_MANAGER]: (b) => {
      const pm = org?.privacyManager as { organization?: Localized; title?: Localized; name?: Localized; contact?: Localized; contactUrl?: string } | null;
      const who = [t(pm?.organization), t(pm?.title), t(pm?.name)].filter(Boolean).join(' ');
      if (!who) return;
      para(`**${label(b, 'heading')}**`);
      para([who, hasText(pm?.contact) ? `(${link(t(pm?.contact), pm?.contactUrl)})` : ''].filter(Boolean).join('\n'));
    },
    [K.SECURITY_MEASURES]: (b) => {
      const level = b.level ?? 2;
      for (const cat of [...MEASURE_ORDER, null]) {
        const list = measures.filter((s) => (s.category ?? null) === cat);
        if (!list.length) continue;
        const h = cat ? label(b, cat) : '';
        if (h) head(level, h);
        for (const s of list) {
          const title = t(s.title);
          // A measure without a title prints its text, so that it never vanishes from the notice.
          if (title && (list.length > 1 || !h.includes(title))) para(`${s.number != null ? `(${s.number})` : ''}${title}`);
          para(t(s.description));
        }
      }
    },
    [K.STORAGE_ABROAD]: (b) => {
      if (!stored.length) return;
      para(label(b, 'intro'));
      for (const s of stored) bullet(`${country(s.country)}${hasText(assessment.get(s.country)?.regime as Localized) ? `${lang === 'ja' ? ':' : ': '}${t(assessment.get(s.country)?.regime)}` : ''}`);
    },
    [K.REVISIONS]: (b) => {
      const revs = notice?.revisions ?? [];
      if (!revs.length) return;
      if (b.level != null || b.labels?.some((l) => l.key === 'heading')) head(b.level ?? 2, label(b, 'heading'));
      else para(label(b, 'heading'));
      for (const r of revs) {
        const summary = t(r.summary);
        const line = `${date(r.effectiveDate)}${r.version ? ` ${r.version}` : ''}${summary ? `${r.version ? ':' : ''} ${summary}` : ''}`;
        text(line, b.style ?? 'BULLET');
      }
    },
  };

  out.push(`# ${v(t(notice?.title) || (lang === 'ja' ? '個人情報の取り扱いについて' : 'Handling of Personal Information'))}`, '');
  const layout = notice?.layout?.length ? notice.layout : DEFAULT_LAYOUT;
  for (const b of layout) blocks[b.kind]?.(b);
  const markdown = out.join('\n').replace(/\n{3,}/g, '\n\n').trim() + '\n';
  if (!html) return markdown;
  const title = t(notice?.title) || (lang === 'ja' ? '個人情報の取り扱いについて' : 'Handling of Personal Information');
  return `<!doctype html>\n<html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body>\n${markdownToSafeHtml(markdown)}</body></html>\n`;
}

/**
 * What the notice says about one foreign transfer: on the equivalent-measures route the seven items of
 * PPC Rules Art. 18(3) under the Rules' own labels, otherwise the Art. 28(2) information.
 */
function transferLines(f: Row, input: TransferArt28Input, a: Row | undefined, lang: Lang, t: (l: unknown) => string, label: (k: string) => string): Array<[string, string]> {
  const lines: Array<[string, string]> = [];
  if (hasText(f.purpose as Localized)) lines.push([label('purpose'), t(f.purpose)]);
  const basis = FOREIGN_TRANSFER_BASIS[f.basis as keyof typeof FOREIGN_TRANSFER_BASIS];
  if (basis) lines.push([label('basis'), basis[lang]]);
  if (String(f.basis).startsWith('EQUIVALENT_MEASURES')) {
    const items = resolveItems(f as unknown as Parameters<typeof resolveItems>[0], a?.impediments);
    for (const k of ITEM_KEYS) lines.push([ITEM_LABELS[k][lang], itemText(items[k], lang)]);
  } else {
    // The Art. 28(2) information as the statement and the RoPA print it (one renderer).
    const art28 = renderTransferArt28(input, lang);
    for (const i of art28.items) lines.push([i.label, i.text || (lang === 'ja' ? '記録なし' : 'not recorded')]);
    for (const g of art28.governmentAccessLaws) lines.push([g.name, g.outline]);
  }
  return lines;
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
