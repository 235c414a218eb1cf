import type { Context } from '../graphql/context.js';
import type { Row } from '../graphql/loaders.js';
import { pick, type Localized } from '../graphql/localized-text.js';
import { countryName } from '../graphql/validators.js';
import { DatasetMatch, type Resolution } from './resolution.types.js';
import { ReportFormat, ReportLanguage } from './request.types.js';
import { channelReach, type DeskRow } from '../organization/contact-desk.js';
import type { RequestProcedure } from '../organization/organization.types.js';
import { declinedByPolicy } from './request.service.js';

const LABELS = {
  JA: {
    title: '保有個人データの開示', reference: '受付番号', held: '保有している個人データの項目', possible: '（保有の可能性あり）', purposes: '利用目的',
    recipients: '第三者提供先', processors: '委託先', foreign: '外国における取扱い', retention: '保存期間', further: '追加のご請求・お問い合わせ', none: 'なし',
    notStated: '定めなし', storage: '保管', transfer: '提供', refused: 'ご請求に応じられない理由',
  },
  EN: {
    title: 'Disclosure of retained personal data', reference: 'Reference', held: 'Personal data held', possible: '(possibly held)', purposes: 'Purposes of use',
    recipients: 'Third parties provided to', processors: 'Processors (entrusted parties)', foreign: 'Handling in foreign countries', retention: 'Retention',
    further: 'Further requests and enquiries', none: 'None', notStated: 'not stated', storage: 'stored', transfer: 'provided', refused: 'Why the request is refused',
  },
} as const;

interface Section {
  heading: string;
  items: string[];
}

/**
 * The reply a privacy team sends for DISCLOSE / ACCESS / NOTIFY_PURPOSE, generated from the
 * resolution and the inventory: nothing is typed by hand, so the reply says what the records say.
 */
export async function renderDisclosure(ctx: Context, request: Row, res: Resolution, language: ReportLanguage, format: ReportFormat): Promise<string> {
  const L = LABELS[language];
  const t = (l: unknown) => pick(l, language);
  // Everything about the person comes from the resolution, so a closed request's reply is its evidence.
  const purposes = (res.purposes ?? []) as Row[];
  const recipients = res.thirdPartyRecipients as Row[];
  const [org] = await ctx.loaders.query('select "name", "request_procedure" as rp, "complaint_contact" as cc, "contact_desks" as desks from "organization" where "archived_at" is null order by "id" limit 1');

  // APPI Art. 33(3): a refusal is notified, in the organization's own words for its ground or for
  // the type it declines by policy.
  const rp = org?.rp as RequestProcedure | null;
  const refusal = request.status === 'REFUSED'
    ? t(rp?.refusalGrounds?.find((g) => g.code === request.refusalGround)?.text) || t(declinedByPolicy(rp, String(request.type))) || String(request.refusalReason ?? '')
    : '';
  const sections: Section[] = [
    ...(refusal ? [{ heading: L.refused, items: [refusal] }] : []),
    {
      heading: L.held,
      items: res.datasets
        .filter((d) => d.match !== DatasetMatch.NOT_HELD)
        .map((d) => `${(d.dataset as Row).name}: ${(d.dataCategories as Row[]).map((c) => t(c.name)).join(', ') || '—'}${d.match === DatasetMatch.POSSIBLE ? ` ${L.possible}` : ''}`),
    },
    { heading: L.purposes, items: purposes.map((p) => t(p.text)) },
    { heading: L.recipients, items: recipients.map((r) => t(r.name)) },
    { heading: L.processors, items: res.processors.map((p) => `${t((p.processor as Row).name)}${(p.processor as Row).country ? ` (${(p.processor as Row).country})` : ''}`) },
    {
      heading: L.foreign,
      items: res.foreignLocations.map((f) => {
        const name = countryName(f.country, language === ReportLanguage.JA ? 'ja' : 'en') ?? f.country;
        const regime = t((f.assessment as Row | null)?.regime);
        return `${name} — ${f.kind === 'STORAGE' ? L.storage : L.transfer}${f.basis ? ` (${f.basis})` : ''}${regime ? `: ${regime}` : ''}`;
      }),
    },
    { heading: L.retention, items: res.activities.map((a) => `${t((a.activity as Row).name)}: ${t((a.activity as Row).retention) || L.notStated}`) },
    {
      heading: L.further,
      items: [
        ...((org?.rp as { channels?: Array<{ label: Localized; phone?: string; hours?: Localized; deskCode?: string }> } | null)?.channels ?? []).map((c) => {
          const r = channelReach(org?.desks as DeskRow[], c, t);
          return [t(c.label), r.phone, r.hours].filter(Boolean).join(' ');
        }),
        ...((org?.cc as { channels?: Array<{ label?: Localized; phone?: string; deskCode?: string }> } | null)?.channels ?? []).map((c) => [t(c.label), channelReach(org?.desks as DeskRow[], c, t).phone].filter(Boolean).join(' ')),
      ],
    },
  ];
  const title = `${L.title} — ${t(org?.name)}`;
  if (format === ReportFormat.JSON) {
    return JSON.stringify({ title, reference: request.reference, type: request.type, sections }, null, 2);
  }
  if (format === ReportFormat.MARKDOWN) {
    return [`# ${title}`, '', `${L.reference}: ${request.reference}`, '', ...sections.flatMap((s) => [`## ${s.heading}`, '', ...(s.items.length ? s.items.map((i) => `- ${i}`) : [`- ${L.none}`]), ''])].join('\n');
  }
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
  return [
    `<!doctype html><html lang="${language === ReportLanguage.JA ? 'ja' : 'en'}"><head><meta charset="utf-8"><title>${esc(title)}</title></head><body>`,
    `<h1>${esc(title)}</h1><p>${esc(L.reference)}: ${esc(String(request.reference))}</p>`,
    ...sections.map((s) => `<h2>${esc(s.heading)}</h2><ul>${(s.items.length ? s.items : [L.none]).map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`),
    '</body></html>',
  ].join('\n');
}
