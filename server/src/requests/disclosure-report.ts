import type { Context } from '../graphql/context.js';
import type { Row } from '../graphql/loaders.js';
import { pickMarked, type Localized } from '../graphql/localized-text.js';
import { FEE_STATUS, FOREIGN_LOCATION_KIND, FOREIGN_TRANSFER_BASIS, REQUEST_TYPE, RESPONSE_METHOD, enumLabel } from '../graphql/enum-labels.js';
import { countryName } from '../graphql/validators.js';
import { ActionStatus, DatasetHolding, DatasetMatch, type Resolution, type ResolvedDataset } from './resolution.types.js';
import { ReportFormat, ReportLanguage } from './request.types.js';
import { channelReach, type DeskRow } from '../organization/contact-desk.js';
import type { PrivacyManager, RequestProcedure } from '../organization/organization.types.js';
import { declinedByPolicy } from './request.service.js';
import { dataAction } from './resolution.service.js';
import { FeeStatus, Framework, ResponseMethod } from '../graphql/enums.js';
import { RequestStatus, RequestType } from './request.entity.js';

type Lang = 'ja' | 'en';
type Pair = { ja: string; en: string };

/** What a reply answers, which decides its title, its legal basis and its sections. */
type ReplyKind = 'REFUSAL' | 'WITHDRAWN' | 'DISCLOSURE' | 'PURPOSES' | 'PROVISION_RECORDS' | 'CORRECTION' | 'STOP' | 'STOP_PROVISION';

/** The GDPR speaks of personal data, not of the APPI's retained personal data. */
const GDPR_TITLES: Partial<Record<RequestType, Pair>> = {
  ACCESS: { ja: '個人データへのアクセスについて（回答）', en: 'Access to your personal data' },
  PORT: { ja: '個人データのポータビリティについて（回答）', en: 'Portability of your personal data' },
  RECTIFY: { ja: '個人データの訂正について（通知）', en: 'Rectification of your personal data: our notice' },
  ERASE: { ja: '個人データの消去について（通知）', en: 'Erasure of your personal data: our notice' },
  RESTRICT: { ja: '個人データの取扱いの制限について（通知）', en: 'Restriction of processing of your personal data: our notice' },
  OBJECT: { ja: '個人データの取扱いへの異議について（通知）', en: 'Your objection to the processing of your personal data: our notice' },
};
const TITLES: Record<ReplyKind, Pair> = {
  REFUSAL: { ja: 'ご請求について（回答）', en: 'Your request: our decision' },
  WITHDRAWN: { ja: 'ご請求の取下げについて', en: 'Withdrawal of your request' },
  DISCLOSURE: { ja: '保有個人データの開示について（回答）', en: 'Disclosure of retained personal data' },
  PURPOSES: { ja: '保有個人データの利用目的の通知について', en: 'Notification of the purposes of use' },
  PROVISION_RECORDS: { ja: '第三者提供記録の開示について（回答）', en: 'Disclosure of the records of provision to third parties' },
  CORRECTION: { ja: '保有個人データの訂正等について（通知）', en: 'Correction of retained personal data: our notice' },
  STOP: { ja: '保有個人データの利用停止等について（通知）', en: 'Cessation of use or erasure: our notice' },
  STOP_PROVISION: { ja: '保有個人データの第三者提供の停止について（通知）', en: 'Cessation of provision to third parties: our notice' },
};

/** The article a reply answers under, as a person reading it would cite it. */
const APPI_BASIS: Partial<Record<RequestType, Pair>> = {
  NOTIFY_PURPOSE: { ja: '個人情報の保護に関する法律第32条第2項', en: 'Article 32(2) of the Act on the Protection of Personal Information' },
  DISCLOSE: { ja: '個人情報の保護に関する法律第33条第1項', en: 'Article 33(1) of the Act on the Protection of Personal Information' },
  DISCLOSE_PROVISION_RECORDS: { ja: '個人情報の保護に関する法律第33条第5項', en: 'Article 33(5) of the Act on the Protection of Personal Information' },
  CORRECT: { ja: '個人情報の保護に関する法律第34条第1項', en: 'Article 34(1) of the Act on the Protection of Personal Information' },
  ADD: { ja: '個人情報の保護に関する法律第34条第1項', en: 'Article 34(1) of the Act on the Protection of Personal Information' },
  DELETE: { ja: '個人情報の保護に関する法律第34条第1項', en: 'Article 34(1) of the Act on the Protection of Personal Information' },
  STOP_USE: { ja: '個人情報の保護に関する法律第35条第1項又は第5項', en: 'Article 35(1) or (5) of the Act on the Protection of Personal Information' },
  ERASE: { ja: '個人情報の保護に関する法律第35条第1項又は第5項', en: 'Article 35(1) or (5) of the Act on the Protection of Personal Information' },
  STOP_THIRD_PARTY_PROVISION: { ja: '個人情報の保護に関する法律第35条第3項又は第5項', en: 'Article 35(3) or (5) of the Act on the Protection of Personal Information' },
};
const GDPR_BASIS: Partial<Record<RequestType, Pair>> = {
  ACCESS: { ja: '一般データ保護規則（GDPR）第15条', en: 'Article 15 of the General Data Protection Regulation (GDPR)' },
  RECTIFY: { ja: '一般データ保護規則（GDPR）第16条', en: 'Article 16 of the General Data Protection Regulation (GDPR)' },
  ERASE: { ja: '一般データ保護規則（GDPR）第17条', en: 'Article 17 of the General Data Protection Regulation (GDPR)' },
  RESTRICT: { ja: '一般データ保護規則（GDPR）第18条', en: 'Article 18 of the General Data Protection Regulation (GDPR)' },
  PORT: { ja: '一般データ保護規則（GDPR）第20条', en: 'Article 20 of the General Data Protection Regulation (GDPR)' },
  OBJECT: { ja: '一般データ保護規則（GDPR）第21条', en: 'Article 21 of the General Data Protection Regulation (GDPR)' },
};

const L = {
  ja: {
    draft: '【案】', reference: '受付番号', date: '日付', addresseeSelf: 'ご請求者　様', agent: '（代理人）', dear: '', none: 'なし',
    opening: (basis: string, type: string) => `拝啓　時下ますますご清祥のこととお慶び申し上げます。\n貴殿から${basis}に基づき受け付けました${type}のご請求について、下記のとおり回答いたします。`,
    openingOwn: (type: string) => `拝啓　時下ますますご清祥のこととお慶び申し上げます。\n貴殿から当社の定める手続に基づき受け付けました${type}のご請求について、下記のとおり回答いたします。`,
    ki: '記', close: '敬具', end: '以上',
    items: '開示する保有個人データの項目', noData: '保有個人データ', noDataText: '貴殿を本人とする保有個人データは、当社において保有しておりません。',
    gdprNoData: '貴殿の個人データ', gdprNoDataText: '当社は、管理者として貴殿に関する個人データを取り扱っておりません（第15条第1項）。',
    methodInstead: (asked: string, used: string) => `ご請求の方法（${asked}）による開示は当社では困難であるため、${used}により開示いたします。`,
    withheld: '開示しない項目とその理由', purposes: '利用目的', recipients: '第三者提供先', jointUse: '共同利用', processors: '委託先', foreign: '外国における取扱い', retention: '保存期間',
    method: '開示の方法', fee: '手数料', further: 'お問い合わせ先', complaints: '苦情のお申出', refused: 'ご請求に応じられない理由', request: 'ご請求の内容',
    explain: '本件措置に関するご説明', explainText: '上記の理由により、ご請求の措置をとらないことといたしました（個人情報の保護に関する法律第36条）。ご不明な点は下記お問い合わせ先までご連絡ください。',
    explainTextGdpr: '上記の理由により、ご請求の措置をとらないことといたしました。ご不明な点は下記お問い合わせ先までご連絡ください。',
    notTaken: '実施しなかった措置とその理由', noneDone: 'ご請求の措置は、下記「実施しなかった措置とその理由」のとおり、実施しておりません。',
    notTakenProcessor: (n: string) => `委託先（${n}）への同様の措置の依頼`, notTakenJoint: '共同利用者との調整', notTakenJointStop: '共同利用の停止', notTakenProvision: (n: string) => `${n}への第三者提供の停止`,
    notTakenActivity: (n: string) => `「${n}」における利用の停止`, notTakenPurposes: (n: string) => `「${n}」の利用目的の通知`, noProvision: '当社は、貴殿の保有個人データを第三者に提供しておりません。',
    entrusted: '他の事業者から委託を受けて取り扱う個人データ', entrustedText: (to: string) => `当社が他の事業者から委託を受けて取り扱う貴殿の個人データについては、当社は委託元の指示に従って取り扱っております。これに関するご請求は、委託元${to ? `（${to}）` : ''}にお申し出ください。`,
    uncategorized: 'その他の個人データ', allWithheld: '下記「開示しない項目とその理由」のとおりです。',
    done: '実施した措置', doneData: (items: string) => `当社が保有する貴殿の個人データ（${items}）について、ご請求の措置を実施いたしました。`,
    doneProcessors: '当社が取扱いを委託している事業者に対しても、同様の措置を求めました。', doneJoint: '共同利用者に対しても、同様の措置をとるよう調整いたしました。',
    doneProvision: (n: string) => `次の提供先への第三者提供を停止いたしました：${n}`,
    withdrawn: 'ご請求は取り下げられました。', records: '提供の記録', manager: '管理責任者',
    feeAmount: (n: number) => `${n.toLocaleString('ja-JP')}円`, feeNotStated: '手数料を申し受けます（金額は別途ご案内いたします）',
    gdprA: '(a) 取扱いの目的', gdprB: '(b) 個人データの種類', gdprC: '(c) 個人データの受領者', gdprD: '(d) 保存期間', gdprE: '(e) 訂正・消去・制限・異議の権利',
    gdprEText: '貴殿は、個人データの訂正（第16条）、消去（第17条）、取扱いの制限（第18条）を求め、また取扱いに異議を述べる（第21条）権利を有します。',
    gdprF: '(f) 監督機関への苦情申立ての権利', gdprFText: '貴殿は、監督機関に苦情を申し立てる権利を有します（第77条）。',
    gdprG: '(g) 個人データの取得元', gdprH: '(h) プロファイリングを含む自動化された意思決定',
    gdprHYes: '貴殿の個人データは、プロファイリング（属性・関心の分析）に利用されています。', gdprHNo: '当社の記録上、貴殿の個人データについてプロファイリングを含む自動化された意思決定は行われていません。',
    gdpr152: '第三国への移転に関する保護措置（第15条第2項）',
    gdpr124: '貴殿は、監督機関に苦情を申し立て、また司法上の救済を求めることができます（第12条第4項）。', remedies: '救済手段',
  },
  en: {
    draft: '[DRAFT] ', reference: 'Reference', date: 'Date', addresseeSelf: 'Dear requester,', agent: ' (agent)', dear: 'Dear ', none: 'None',
    opening: (basis: string, type: string) => `We have received your request for ${type} under ${basis}. Our reply is set out below.`,
    openingOwn: (type: string) => `We have received your request for ${type} under our own procedure. Our reply is set out below.`,
    ki: '', close: 'Yours faithfully,', end: '',
    items: 'Personal data we hold about you', noData: 'Personal data held', noDataText: 'We hold no retained personal data about you.',
    gdprNoData: 'Your personal data', gdprNoDataText: 'We do not process any personal data concerning you as a controller (Art. 15(1)).',
    methodInstead: (asked: string, used: string) => `Disclosure by the method you asked for (${asked}) is not one we can provide; we disclose by ${used}.`,
    withheld: 'Items not disclosed, and why', purposes: 'Purposes of use', recipients: 'Third parties provided to', jointUse: 'Joint use', processors: 'Processors (entrusted parties)', foreign: 'Handling in foreign countries', retention: 'Retention',
    method: 'Method of disclosure', fee: 'Fee', further: 'Where to ask further', complaints: 'Complaints', refused: 'Why the request is refused', request: 'Your request',
    explain: 'Explanation', explainText: 'For the reason above we have decided not to take the measure requested. Please contact us at the address below with any question.',
    explainTextGdpr: 'For the reason above we have decided not to take the measure requested. Please contact us at the address below with any question.',
    notTaken: 'Measures not taken, and why', noneDone: 'We have not taken the measure requested, for the reasons under "Measures not taken, and why" below.',
    notTakenProcessor: (n: string) => `Asking the processor (${n}) to take the same measure`, notTakenJoint: 'Coordinating with the joint users', notTakenJointStop: 'Stopping the joint use', notTakenProvision: (n: string) => `Stopping provision to ${n}`,
    notTakenActivity: (n: string) => `Stopping the use in "${n}"`, notTakenPurposes: (n: string) => `Notifying the purposes of use of "${n}"`, noProvision: 'We do not provide your retained personal data to third parties.',
    entrusted: 'Personal data we process on behalf of another company', entrustedText: (to: string) => `Personal data about you that we process on behalf of another company is handled on that company's instructions. Please address requests about it to that company${to ? ` (${to})` : ''}.`,
    uncategorized: 'other personal data about you', allWithheld: 'See "Items not disclosed, and why" below.',
    done: 'What we have done', doneData: (items: string) => `We have taken the measure you requested on the personal data we hold about you (${items}).`,
    doneProcessors: 'We have asked the parties processing the data on our behalf to take the same measure.', doneJoint: 'We have coordinated with the joint users so that they take the same measure.',
    doneProvision: (n: string) => `We have stopped providing your data to: ${n}`,
    withdrawn: 'Your request has been withdrawn.', records: 'Records of provision', manager: 'responsible manager',
    feeAmount: (n: number) => `JPY ${n.toLocaleString('en-US')}`, feeNotStated: 'a fee is charged; we will tell you the amount',
    gdprA: '(a) Purposes of the processing', gdprB: '(b) Categories of personal data', gdprC: '(c) Recipients', gdprD: '(d) Retention period', gdprE: '(e) Rights to rectification, erasure, restriction and objection',
    gdprEText: 'You have the right to request rectification (Art. 16) or erasure (Art. 17) of your personal data, restriction of its processing (Art. 18), and to object to its processing (Art. 21).',
    gdprF: '(f) Right to lodge a complaint', gdprFText: 'You have the right to lodge a complaint with a supervisory authority (Art. 77).',
    gdprG: '(g) Source of the personal data', gdprH: '(h) Automated decision-making, including profiling',
    gdprHYes: 'Your personal data is used for profiling (analysis of your attributes or interests).', gdprHNo: 'Our records show no automated decision-making, including profiling, on your personal data.',
    gdpr152: 'Safeguards for transfers to third countries (Art. 15(2))',
    gdpr124: 'You may lodge a complaint with a supervisory authority and seek a judicial remedy (Art. 12(4)).', remedies: 'Remedies',
  },
} as const;

interface Section {
  heading: string;
  items: string[];
}

/** HTML text: every interpolated value goes through it. */
const escHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** Markdown text: inline syntax and raw HTML become literal characters (CommonMark backslash escapes). */
export const escMarkdown = (s: string) =>
  s.replace(/\n/g, ' ')
    .replace(/[\\`*_[\]<>~|]/g, (c) => `\\${c}`)
    // An ampersand matters only where it would start an entity: a company name's "&" stays readable.
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&')
    // What only starts a block: a heading, a list item, a thematic break, a numbered item.
    .replace(/^(\s*)([#+=-]|\d+[.)])/, (_m, sp: string, lead: string) => `${sp}${lead.replace(/([#+=\-.)])/, '\\$1')}`);

/** A date in Japan's calendar: 2026年11月28日, or 28 November 2026. */
function letterDate(d: Date, lang: Lang): string {
  const [y, m, day] = new Date(d.getTime() + 9 * 3_600_000).toISOString().slice(0, 10).split('-').map(Number);
  if (lang === 'ja') return `${y}年${m}月${day}日`;
  return `${day} ${['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'][m - 1]} ${y}`;
}

function replyKind(request: Row): ReplyKind {
  if (request.status === RequestStatus.REFUSED) return 'REFUSAL';
  if (request.status === RequestStatus.WITHDRAWN) return 'WITHDRAWN';
  switch (request.type as RequestType) {
    case RequestType.NOTIFY_PURPOSE: return 'PURPOSES';
    case RequestType.DISCLOSE_PROVISION_RECORDS: return 'PROVISION_RECORDS';
    case RequestType.CORRECT: case RequestType.ADD: case RequestType.DELETE: case RequestType.RECTIFY: return 'CORRECTION';
    case RequestType.STOP_THIRD_PARTY_PROVISION: return 'STOP_PROVISION';
    case RequestType.STOP_USE: case RequestType.ERASE: case RequestType.RESTRICT: case RequestType.OBJECT: return 'STOP';
    default: return 'DISCLOSURE';
  }
}

/** HELD by the index, or POSSIBLE and confirmed HELD by the privacy team: what the reply may disclose. */
export function disclosable(d: ResolvedDataset): boolean {
  return d.match === DatasetMatch.HELD || (d.match === DatasetMatch.POSSIBLE && d.confirmation?.holding === DatasetHolding.HELD);
}

const unique = (xs: string[]) => [...new Set(xs.filter((x) => x.trim()))];

const RANK = { [DatasetMatch.NOT_HELD]: 0, [DatasetMatch.POSSIBLE]: 1, [DatasetMatch.HELD]: 2 } as const;

/**
 * The resolution narrowed to what the person's data reaches. Its links say how sure it is that the
 * data flows to each record (the match of the datasets it comes through, settled findings
 * included): an activity, processor, joint use, recipient or country reached only through datasets
 * that do not hold the person is someone else's processing, and a letter to the person does not
 * describe it. What nothing links (an activity without datasets) stays, as possibly applicable;
 * evidence frozen before links were recorded is used whole.
 */
export function concerningThePerson(res: Resolution): Resolution {
  if (!res.links?.length) return res;
  const best = new Map<string, DatasetMatch>();
  for (const l of res.links) {
    const m = best.get(l.target);
    if (m === undefined || RANK[l.match] > RANK[m]) best.set(l.target, l.match);
  }
  const concerns = (kind: string, id: unknown) => best.get(`${kind}:${String(id)}`) !== DatasetMatch.NOT_HELD;
  const idOf = (row: unknown) => (row as Row).id;
  return {
    ...res,
    activities: res.activities.filter((a) => concerns('ProcessingActivity', idOf(a.activity))),
    // A purpose stays while one of its activities concerns the person (evidence frozen before
    // purposes carried their activities keeps them all).
    purposes: (res.purposes as Array<Row & { __activities?: number[] }>).filter((p) => !p.__activities || p.__activities.some((a) => concerns('ProcessingActivity', a))),
    processors: res.processors.filter((p) => concerns('Processor', idOf(p.processor))),
    jointUsers: res.jointUsers.filter((j) => concerns('JointUseArrangement', idOf(j.arrangement))),
    thirdPartyRecipients: (res.thirdPartyRecipients as Row[]).filter((r) => concerns('ThirdPartyRecipient', r.id)),
    withheldRecipients: (res.withheldRecipients ?? []).filter((w) => concerns('ThirdPartyRecipient', idOf(w.recipient))),
    foreignLocations: res.foreignLocations.filter((f) => concerns('Country', f.country)),
  };
}

/**
 * The reply a privacy team sends for any request and outcome, generated from the frozen (or live)
 * resolution and the organization's own records: a letter with date, reference, addressee, sender and
 * legal basis, in the subject's language, naming data by its categories — never by internal dataset
 * or system names or codes.
 */
export async function renderDisclosure(ctx: Context, request: Row, resolution: Resolution, language: ReportLanguage, format: ReportFormat): Promise<string> {
  const res = concerningThePerson(resolution);
  const lang: Lang = language === ReportLanguage.JA ? 'ja' : 'en';
  const T = L[lang];
  // An inventory text in the other language only is printed with a mark, never passed off as a translation.
  const t = (l: unknown): string => pickMarked(l, lang);
  const pair = (p: Pair) => p[lang];
  const [org] = await ctx.loaders.query(`select "name", "address", "postal_code" as "postalCode", "privacy_manager" as pm, "request_procedure" as rp,
    "complaint_contact" as cc, "contact_desks" as desks from "organization" where "archived_at" is null order by "id" limit 1`);
  const rp = org?.rp as RequestProcedure | null;
  const kind = replyKind(request);
  const type = request.type as RequestType;
  const gdpr = request.framework === Framework.GDPR;
  const closed = [RequestStatus.COMPLETED, RequestStatus.REFUSED, RequestStatus.WITHDRAWN].includes(request.status as RequestStatus);

  // Where the person's data is: datasets the index or the team found holding it, and activities no
  // dataset serves where the team found it (paper files, systems not integrated), each keyed as its
  // actions target it and described by what the person can recognize.
  const foundIn = res.activities.filter((a) => a.confirmation?.holding === DatasetHolding.HELD);
  // Held but described by nothing: still data held, never "no data".
  const described = (items: string[]) => (items.length ? items : [T.uncategorized]);
  const disclosed: Array<{ key: string; items: string[] }> = [
    ...res.datasets.filter(disclosable).map((d) => ({
      key: `Dataset:${String((d.dataset as Row).id)}`,
      // A dataset's public description where it has one, else the names of its data categories.
      items: t((d.dataset as Row).publicDescription) ? [t((d.dataset as Row).publicDescription)] : described((d.dataCategories as Row[]).map((c) => t(c.name)).filter(Boolean)),
    })),
    ...foundIn.map((a) => ({
      key: `ProcessingActivity:${String((a.activity as Row).id)}`,
      items: described(((a.foundCategories ?? []) as Row[]).map((c) => t(c.name)).filter(Boolean)),
    })),
  ];
  const itemsOf = (d: { items: string[] }) => d.items;
  // Items withheld on one of the organization's grounds (a partial disclosure), by what they are in.
  const withheldOn = new Map(res.actions
    .filter((a) => a.action === 'DISCLOSE' && a.status === ActionStatus.WAIVED && a.refusalGround && a.targetId)
    .map((a) => [`${a.targetKind}:${String(a.targetId)}`, a.refusalGround!]));
  const held = disclosed.filter((d) => !withheldOn.has(d.key));
  const dataItems = unique(held.flatMap(itemsOf));
  const groundText = (code: string) => {
    const g = rp?.refusalGrounds?.find((x) => x.code === code);
    return g ? `${t(g.text)}${g.article ? `${lang === 'ja' ? '（' : ' ('}${g.article}${lang === 'ja' ? '）' : ')'}` : ''}` : '';
  };
  const withheldItems = unique(disclosed.filter((d) => withheldOn.has(d.key))
    .flatMap((d) => itemsOf(d).map((item) => `${item}${lang === 'ja' ? '：' : ': '}${groundText(withheldOn.get(d.key)!)}`)));
  const purposes = unique(((res.purposes ?? []) as Row[]).map((p) => t(p.text)));
  const recipients = unique((res.thirdPartyRecipients as Row[]).map((r) => t(r.name)));
  const processors = unique(res.processors.map((p) => t((p.processor as Row).name)));
  const jointUse = res.jointUsers.map((j) => {
    const a = j.arrangement as Row;
    const manager = t((j.responsibleManager as { name?: unknown })?.name);
    return [t(a.itemsText), t(a.scope), t(a.rationale), manager ? `${T.manager}: ${manager}` : ''].filter(Boolean).join(lang === 'ja' ? '／' : ' / ');
  });
  const foreign = unique(res.foreignLocations.map((f) => {
    const name = countryName(f.country, lang) ?? f.country;
    const regime = t((f.assessment as Row | null)?.regime);
    const basis = f.basis ? enumLabel(FOREIGN_TRANSFER_BASIS, f.basis, lang) : '';
    return `${name}${lang === 'ja' ? '（' : ' ('}${enumLabel(FOREIGN_LOCATION_KIND, f.kind, lang)}${basis ? `${lang === 'ja' ? '、' : '; '}${basis}` : ''}${lang === 'ja' ? '）' : ')'}${regime ? `${lang === 'ja' ? '：' : ': '}${regime}` : ''}`;
  }));
  const retention = unique(res.activities.map((a) => t((a.activity as Row).retention)));
  const further = [
    ...(rp?.channels ?? []).map((c) => {
      const r = channelReach(org?.desks as DeskRow[], c, t);
      // Every way the person can reach the desk: a channel named without them cannot be used.
      return [t(c.label), r.phone, r.hours, r.email, r.url ?? (c as { formUrl?: string | null }).formUrl].filter(Boolean).join(' ');
    }),
    // The complaint desk's channels are named as such: without it they read as the request channels again.
    ...((org?.cc as { channels?: Array<{ label?: Localized; phone?: string; deskCode?: string }> } | null)?.channels ?? [])
      .map((c) => [t(c.label), channelReach(org?.desks as DeskRow[], c, t).phone].filter(Boolean).join(' '))
      .filter(Boolean)
      .map((reach) => `${T.complaints}${lang === 'ja' ? '：' : ': '}${reach}`),
  ].filter(Boolean);

  // The requested method when offered, else the first offered one of the fallback order (APPI Art. 33(2)).
  const offeredMethods = new Set((rp?.disclosureMethods ?? []).map((m) => m.method));
  const requested = request.responseMethod as ResponseMethod;
  const method = !offeredMethods.size || offeredMethods.has(requested) ? requested : (rp?.methodFallbackOrder ?? []).find((m) => offeredMethods.has(m));
  const labelOf = (m: ResponseMethod | undefined) => {
    const offered = rp?.disclosureMethods?.find((x) => x.method === m);
    return offered ? t(offered.label) : m ? enumLabel(RESPONSE_METHOD, m, lang) : '';
  };
  // Another method than the one asked for is said as such (APPI Art. 33(3)), never substituted silently.
  const methodText = method && method !== requested ? T.methodInstead(labelOf(requested), labelOf(method)) : labelOf(method);
  // APPI Art. 38: a fee only for purpose notification and disclosure; never a currency without an amount.
  const fee = rp?.fee;
  const feeText = !fee || fee.status === FeeStatus.UNKNOWN ? ''
    : fee.status === FeeStatus.FREE ? enumLabel(FEE_STATUS, fee.status, lang)
      : fee.status === FeeStatus.CHARGED && fee.amountJpy != null ? T.feeAmount(fee.amountJpy)
        : T.feeNotStated;

  const sections: Section[] = [];
  const sec = (heading: string, items: string[]) => sections.push({ heading, items });
  if (kind === 'REFUSAL') {
    const ground = rp?.refusalGrounds?.find((g) => g.code === request.refusalGround);
    const reason = ground
      ? `${t(ground.text)}${ground.article ? `${lang === 'ja' ? '（' : ' ('}${ground.article}${lang === 'ja' ? '）' : ')'}` : ''}`
      : t(declinedByPolicy(rp, String(type))) || String(request.refusalReason ?? '');
    sec(T.request, [enumLabel(REQUEST_TYPE, type, lang)]);
    sec(T.refused, [reason].filter(Boolean));
    sec(T.explain, [gdpr ? T.explainTextGdpr : T.explainText]);
    if (gdpr) sec(T.remedies, [T.gdpr124]);
  } else if (kind === 'WITHDRAWN') {
    sec(T.request, [enumLabel(REQUEST_TYPE, type, lang), T.withdrawn]);
  } else if (kind === 'PURPOSES') {
    // An activity whose notification was waived (APPI Art. 32(2) exceptions) is said as such with the
    // reason (Art. 32(3)); its purposes are listed only where another activity shares them.
    const describedActivities = new Set(res.activities.map((a) => String((a.activity as Row).id)));
    const waivedNotice = res.actions.filter((a) => a.action === 'NOTIFY_PURPOSES' && a.status === ActionStatus.WAIVED && a.targetId && describedActivities.has(String(a.targetId)));
    const off = new Set(waivedNotice.map((a) => Number(a.targetId)));
    const told = unique(((res.purposes ?? []) as Array<Row & { __activities?: number[] }>)
      .filter((p) => !p.__activities || p.__activities.some((a) => !off.has(Number(a)))).map((p) => t(p.text)));
    const notTold = waivedNotice.map((a) => `${T.notTakenPurposes(t((res.activities.find((x) => String((x.activity as Row).id) === String(a.targetId))?.activity as Row | undefined)?.name))}${lang === 'ja' ? '：' : ': '}${a.note ?? ''}`);
    sec(T.purposes, told.length || !notTold.length ? told : [T.noneDone]);
    if (notTold.length) sec(T.notTaken, unique(notTold));
    if (feeText) sec(T.fee, [feeText]);
  } else if (kind === 'PROVISION_RECORDS') {
    // A record withheld on one of the organization's grounds (APPI Art. 33(5) applying 33(2)) is not
    // printed; it is named with the ground instead, as a withheld dataset is in a disclosure.
    const withheldRecipients = new Map(res.actions
      .filter((a) => a.action === 'DISCLOSE' && a.targetKind === 'ThirdPartyRecipient' && a.status === ActionStatus.WAIVED && a.refusalGround)
      .map((a) => [a.targetCode, a.refusalGround!]));
    const rows = res.thirdPartyRecipients as Row[];
    const shown = unique(rows.filter((r) => !withheldRecipients.has(String(r.code))).map((r) => t(r.name)));
    const notShown = unique(rows.filter((r) => withheldRecipients.has(String(r.code))).map((r) => `${t(r.name)}${lang === 'ja' ? '：' : ': '}${groundText(withheldRecipients.get(String(r.code))!)}`));
    sec(T.records, shown.length || !notShown.length ? shown : [T.allWithheld]);
    if (notShown.length) sec(T.withheld, notShown);
    if (methodText) sec(T.method, [methodText]);
    if (feeText) sec(T.fee, [feeText]);
  } else if (kind === 'DISCLOSURE' && gdpr && !disclosed.length) {
    // Art. 15(1): the confirmation that no personal data is processed, and the rights that remain;
    // the processing of others is not described to someone whose data it does not hold.
    sec(T.gdprNoData, [T.gdprNoDataText]);
    sec(T.gdprE, [T.gdprEText]);
    sec(T.gdprF, [T.gdprFText]);
  } else if (kind === 'DISCLOSURE' && gdpr) {
    sec(T.gdprA, purposes);
    sec(T.gdprB, dataItems.length ? dataItems : [T.allWithheld]);
    if (withheldItems.length) sec(T.withheld, withheldItems);
    // Art. 15(1)(c) names the recipients the APPI's Art. 27(1) exceptions keep out of an APPI
    // disclosure too, except public authorities receiving data in a particular inquiry, which are
    // not recipients (GDPR Art. 4(9)).
    const excepted = (res.withheldRecipients ?? []).map((w) => w.recipient as Row).filter((r) => r.kind !== 'PUBLIC_AUTHORITY');
    sec(T.gdprC, unique([...recipients, ...excepted.map((r) => t(r.name)), ...processors]));
    sec(T.gdprD, retention);
    sec(T.gdprE, [T.gdprEText]);
    sec(T.gdprF, [T.gdprFText]);
    // (g) applies where the data was not collected from the person: the activities' recorded sources.
    const sources = unique(res.activities.flatMap((a) => (((a.activity as Row).sources as Localized[] | undefined) ?? []).map((x) => t(x))));
    if (sources.length) sec(T.gdprG, sources);
    sec(T.gdprH, [res.activities.some((a) => (a.activity as Row).profiling === true) ? T.gdprHYes : T.gdprHNo]);
    if (jointUse.length) sec(T.jointUse, jointUse);
    sec(T.gdpr152, foreign);
    if (methodText) sec(T.method, [methodText]);
  } else if (kind === 'DISCLOSURE') {
    const none = !disclosed.length;
    if (none) {
      sec(T.noData, [T.noDataText]);
    } else {
      sec(T.items, dataItems);
      if (withheldItems.length) sec(T.withheld, withheldItems);
      sec(T.purposes, purposes);
      sec(T.recipients, recipients);
      if (jointUse.length) sec(T.jointUse, jointUse);
      sec(T.processors, processors);
      sec(T.foreign, foreign);
      sec(T.retention, retention);
    }
    if (methodText && !none) sec(T.method, [methodText]);
    if (feeText) sec(T.fee, [feeText]);
  } else {
    // What was done, and apart from it what was waived and why (APPI Arts. 34(3), 35(7), 36): a
    // waived action is never reported as taken. Only actions on what the letter describes count
    // (the work list also holds records the person's data does not reach). Evidence without action
    // states counts as done.
    const sep = lang === 'ja' ? '、' : ', ';
    const because = (what: string, a: { note?: string | null }) => `${what}${lang === 'ja' ? '：' : ': '}${a.note ?? ''}`;
    const codes = (rows: unknown[]) => new Set(rows.map((r) => String((r as Row).code)));
    const described: Record<string, Set<string>> = {
      Processor: codes(res.processors.map((p) => p.processor)),
      JointUseArrangement: codes(res.jointUsers.map((j) => j.arrangement)),
      ThirdPartyRecipient: codes(res.thirdPartyRecipients),
      ProcessingActivity: codes(res.activities.map((a) => a.activity)),
    };
    const actionsOn = (action: string, targetKind: string) => res.actions.filter((a) => a.action === action && a.targetKind === targetKind
      && (targetKind === 'Dataset' || described[targetKind]?.has(a.targetCode)));
    const waived = (xs: typeof res.actions) => xs.filter((a) => a.status === ActionStatus.WAIVED);
    const anyTaken = (xs: typeof res.actions) => !xs.length || xs.some((a) => a.status !== ActionStatus.WAIVED);
    const nameOf = (rows: unknown[], code: string) => t((rows as Row[]).find((r) => String(r.code) === code)?.name);
    const done: string[] = [];
    const notTaken: string[] = [];
    if (kind === 'STOP_PROVISION') {
      // The measure is the provision stopped, recipient by recipient and joint use by joint use.
      const stops = actionsOn('STOP_PROVISION', 'ThirdPartyRecipient');
      const off = new Set(waived(stops).map((a) => a.targetCode));
      const stopped = unique((res.thirdPartyRecipients as Row[]).filter((r) => !off.has(String(r.code))).map((r) => t(r.name)));
      if (stopped.length) done.push(T.doneProvision(stopped.join(sep)));
      for (const a of waived(stops)) notTaken.push(because(T.notTakenProvision(nameOf(res.thirdPartyRecipients, a.targetCode)), a));
      const joint = actionsOn('STOP_PROVISION', 'JointUseArrangement');
      if (jointUse.length && anyTaken(joint)) done.push(T.doneJoint);
      for (const a of waived(joint)) notTaken.push(because(T.notTakenJointStop, a));
      if (!done.length && !notTaken.length && disclosed.length) done.push(T.noProvision);
    } else {
      // The measure on the data, where it is: a dataset, or an activity where the team found it.
      const onData = dataAction(type);
      const off = new Map(waived(onData ? [...actionsOn(onData, 'Dataset'), ...res.actions.filter((a) => a.action === onData && a.targetKind === 'ProcessingActivity')] : [])
        .map((a) => [`${a.targetKind}:${String(a.targetId)}`, a]));
      const doneData = unique(held.filter((d) => !off.has(d.key)).flatMap(itemsOf));
      if (doneData.length) done.push(T.doneData(doneData.join(sep)));
      for (const [key, a] of off) {
        const d = held.find((x) => x.key === key);
        // An item already reported done elsewhere is not listed again as not done (unless that is all it holds).
        const left = d ? itemsOf(d).filter((i) => !doneData.includes(i)) : [];
        if (d) notTaken.push(because((left.length ? left : itemsOf(d)).join(sep), a));
      }
      // Stopping use is also decided activity by activity.
      const found = new Set(held.map((d) => d.key));
      for (const a of waived(actionsOn('STOP_USE', 'ProcessingActivity')).filter((a) => !found.has(`ProcessingActivity:${String(a.targetId)}`))) {
        notTaken.push(because(T.notTakenActivity(nameOf(res.activities.map((x) => x.activity), a.targetCode)), a));
      }
      const forward = actionsOn('FORWARD_TO_PROCESSOR', 'Processor');
      if (processors.length && anyTaken(forward)) done.push(T.doneProcessors);
      for (const a of waived(forward)) notTaken.push(because(T.notTakenProcessor(nameOf(res.processors.map((p) => p.processor), a.targetCode)), a));
      const coordinate = actionsOn('COORDINATE_WITH_JOINT_USER', 'JointUseArrangement');
      if (jointUse.length && anyTaken(coordinate)) done.push(T.doneJoint);
      for (const a of waived(coordinate)) notTaken.push(because(T.notTakenJoint, a));
    }
    sec(T.done, done.length ? done : notTaken.length ? [T.noneDone] : [gdpr ? T.gdprNoDataText : T.noDataText]);
    if (notTaken.length) sec(T.notTaken, unique(notTaken));
    if (gdpr && notTaken.length) sec(T.remedies, [T.gdpr124]);
  }
  // Data held for another controller is not answered here: the person is told where to ask.
  if (res.excludedActivities.length && kind !== 'REFUSAL' && kind !== 'WITHDRAWN') {
    sec(T.entrusted, [T.entrustedText(unique(res.excludedActivities.map((e) => t(e.routeTo))).join(lang === 'ja' ? '、' : ', '))]);
  }
  if (further.length || kind !== 'WITHDRAWN') sec(T.further, further);

  const gdprTitle = gdpr && kind !== 'REFUSAL' && kind !== 'WITHDRAWN' ? GDPR_TITLES[type] : undefined;
  const title = `${closed ? '' : T.draft}${pair(gdprTitle ?? TITLES[kind])}`;
  const date = letterDate(request.closedAt ? new Date(String(request.closedAt)) : new Date(), lang);
  const addressee = request.agentName
    ? `${lang === 'en' ? T.dear : ''}${String(request.agentName)}${lang === 'ja' ? '　様' : ''}${T.agent}`
    : T.addresseeSelf;
  const pm = org?.pm as PrivacyManager | null;
  const sender = unique([
    [t(org?.address), org?.postalCode ? `${lang === 'ja' ? '〒' : ''}${String(org.postalCode)}` : ''].filter(Boolean).join(' '),
    t(org?.name),
    [t(pm?.organization), t(pm?.title), t(pm?.name)].filter(Boolean).join(' '),
  ]);
  const basis = (gdpr ? GDPR_BASIS : APPI_BASIS)[type];
  const typeText = enumLabel(REQUEST_TYPE, type, lang);
  const opening = kind === 'WITHDRAWN' ? '' : basis ? T.opening(pair(basis), typeText) : T.openingOwn(typeText);
  const reference = String(request.reference);

  if (format === ReportFormat.JSON) {
    return JSON.stringify({ title, reference, type, date, addressee, sender, legalBasis: basis ? pair(basis) : null, opening, sections, closing: T.close }, null, 2);
  }
  if (format === ReportFormat.MARKDOWN) {
    const md = escMarkdown;
    return [
      `# ${md(title)}`, '',
      `${md(date)}  `, `${md(T.reference)}: ${md(reference)}`, '',
      md(addressee), '',
      ...sender.map((s) => `${md(s)}  `), '',
      ...opening.split('\n').map((p) => `${md(p)}\n`),
      ...(T.ki ? [T.ki, ''] : []),
      ...sections.flatMap((s) => [`## ${md(s.heading)}`, '', ...(s.items.length ? s.items.map((i) => `- ${md(i)}`) : [`- ${md(T.none)}`]), '']),
      T.close, ...(T.end ? ['', T.end] : []), '',
    ].join('\n');
  }
  const e = escHtml;
  const fonts = lang === 'ja'
    ? `"Noto Serif CJK JP", "Noto Sans CJK JP", "Hiragino Mincho ProN", "Yu Mincho", "MS Mincho", serif`
    : `"Noto Serif", "Times New Roman", serif`;
  return [
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${e(title)}</title>`,
    `<style>@page { size: A4; margin: 20mm 18mm; } body { font-family: ${fonts}; font-size: 10.5pt; line-height: 1.7; max-width: 174mm; margin: 0 auto; }`,
    ` .date, .sender { text-align: right; } h1 { font-size: 14pt; text-align: center; margin: 1.2em 0; } h2 { font-size: 11pt; margin: 1em 0 0.3em; }`,
    ` .ki, .end { text-align: center; } .close { text-align: right; } ul { margin: 0; } @media print { h2 { break-after: avoid; } li { break-inside: avoid; } }</style></head><body>`,
    `<p class="date">${e(date)}<br>${e(T.reference)}: ${e(reference)}</p>`,
    `<p class="addressee">${e(addressee)}</p>`,
    `<p class="sender">${sender.map(e).join('<br>')}</p>`,
    `<h1>${e(title)}</h1>`,
    ...opening.split('\n').filter(Boolean).map((p) => `<p>${e(p)}</p>`),
    ...(T.ki ? [`<p class="ki">${e(T.ki)}</p>`] : []),
    ...sections.map((s) => `<h2>${e(s.heading)}</h2><ul>${(s.items.length ? s.items : [T.none]).map((i) => `<li>${e(i)}</li>`).join('')}</ul>`),
    `<p class="close">${e(T.close)}</p>`,
    ...(T.end ? [`<p class="end">${e(T.end)}</p>`] : []),
    '</body></html>',
  ].join('\n');
}
