import { Arg, Ctx, Field, ID, ObjectType, Query, Resolver, registerEnumType } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import type { Row } from '../graphql/loaders.js';
import { pickMarked, type Localized } from '../graphql/localized-text.js';
import { FOREIGN_TRANSFER_BASIS, STATEMENT_ITEM_STATE, enumLabel } from '../graphql/enum-labels.js';
import { badInput, idOrNull } from '../graphql/errors.js';
import { ITEM_KEYS, ITEM_LABELS, itemText, resolveItems } from '../parties/transfer-statement.js';
import { art28Lines, renderTransferArt28, withCountryContext } from '../parties/transfer-art28.js';
import { DateTime, LocalDate } from '../graphql/scalars.js';
import { ReportLanguage } from '../requests/request.types.js';
import { RopaExport, RopaFormat } from './ropa.resolver.js';
import { csvCell } from './ropa.js';
import { NOTICE_ENTITIES, noticeChangesSince, renderPublicNotice } from './public-notice.js';
import { liveRowsAsOf } from '../audit/as-of.js';

export enum NoticeFormat { MARKDOWN = 'MARKDOWN', HTML = 'HTML' }
registerEnumType(NoticeFormat, { name: 'NoticeFormat' });

@ObjectType({ simpleResolvers: true, description: 'A record the public notice is made of that changed.' })
export class NoticeChange {
  @Field() entityType!: string;
  @Field() code!: string;
  @Field({ description: 'CREATED, UPDATED or ARCHIVED.' }) change!: string;
  @Field() at!: Date;
}

@Resolver()
export class NoticeResolver {
  @Query(() => String, { description: "The notice APPI Art. 21, 27, 28 and 32 require, generated from the inventory in the structure of organization.notice.layout (or the law's order when none is stored)." })
  async publicNotice(
    @Arg('language', () => ReportLanguage, { defaultValue: ReportLanguage.JA }) language: ReportLanguage,
    @Arg('format', () => NoticeFormat, { defaultValue: NoticeFormat.MARKDOWN }) format: NoticeFormat,
    @Arg('includeIllustrative', { defaultValue: false, description: 'Also print records marked illustrative (demo data), which a published notice leaves out.' }) includeIllustrative: boolean,
    @Arg('asOf', () => DateTime, { nullable: true, description: 'The notice as the register stood at this time, rebuilt from the audit trail (see inventoryAsOf).' }) asOf: Date | undefined,
    @Ctx() ctx: Context,
  ): Promise<string> {
    return renderPublicNotice(ctx, language, format, { includeIllustrative, asOf: asOf ? await liveRowsAsOf(ctx, asOf, NOTICE_ENTITIES) : undefined });
  }

  @Query(() => [NoticeChange], { description: 'What changed in the notice records since a time, or between two versions of organization.notice.revisions (from the effective date of fromVersion to that of toVersion, or to now) (APPI Art. 27(6): joint-use changes must be notified).' })
  async publicNoticeDiff(
    @Arg('since', () => DateTime, { nullable: true }) since: Date | undefined,
    @Arg('fromVersion', () => String, { nullable: true }) fromVersion: string | undefined,
    @Arg('toVersion', () => String, { nullable: true }) toVersion: string | undefined,
    @Ctx() ctx: Context,
  ): Promise<NoticeChange[]> {
    if ((since == null) === (fromVersion == null)) throw badInput([{ path: since == null ? 'since' : 'fromVersion', message: 'give either since or fromVersion' }]);
    if (toVersion != null && fromVersion == null) throw badInput([{ path: 'toVersion', message: 'toVersion compares with fromVersion' }]);
    if (since != null) return noticeChangesSince(ctx, since);
    const [org] = await ctx.loaders.query<{ notice: { revisions?: Array<{ version?: string; effectiveDate: string }> } | null }>(
      'select "notice" from "organization" where "archived_at" is null order by "id" limit 1',
    );
    const revisions = org?.notice?.revisions ?? [];
    const effective = (version: string, path: string) => {
      const r = revisions.find((x) => x.version === version);
      if (!r) throw badInput([{ path, message: `no revision "${version}" (versions: ${revisions.map((x) => x.version).filter(Boolean).join(', ') || 'none recorded'})` }]);
      // A notice takes effect on its date in Japan, whatever the server's zone.
      return new Date(`${r.effectiveDate}T00:00:00+09:00`);
    };
    const from = effective(fromVersion!, 'fromVersion');
    const to = toVersion != null ? effective(toVersion, 'toVersion') : undefined;
    if (to && to < from) throw badInput([{ path: 'toVersion', message: 'toVersion is older than fromVersion' }]);
    return noticeChangesSince(ctx, from, to);
  }

  @Query(() => String, { nullable: true, description: 'For a foreign transfer: the seven items of PPC Rules Art. 18(3) (equivalent measures) or the Art. 28(2) information (consent), generated from the data.' })
  async foreignTransferStatement(
    @Arg('transferId', () => ID) transferId: string,
    @Arg('language', () => ReportLanguage, { defaultValue: ReportLanguage.JA }) language: ReportLanguage,
    @Ctx() ctx: Context,
  ): Promise<string | null> {
    const id = idOrNull(transferId);
    const f = id === null ? null : await ctx.loaders.byId('ForeignTransfer').load(id);
    if (!f) return null;
    const [input] = await withCountryContext(ctx, [f]);
    const a = input.assessment as Row | null;
    const ja = language === ReportLanguage.JA;
    const lang = ja ? 'ja' : 'en';
    const t = (l: unknown) => pickMarked(l, language);
    const none = enumLabel(STATEMENT_ITEM_STATE, 'NOT_RECORDED', language);
    const info = f.consentInformation as { providedAt?: string; method?: Localized } | null;
    // The Art. 28(2) information is shown whatever the route, from the one renderer the notice uses too.
    const art28 = renderTransferArt28(input, lang);
    const country = art28.items[0].text;
    const title = ja ? `外国にある第三者への提供: ${t(f.recipientName)}（${country}）` : `Provision to a third party in a foreign country: ${t(f.recipientName)} (${country})`;
    let items: Array<[string, string]>;
    let more: string[] = art28Lines(art28, lang);
    // What is provided and about whom, as the transfer itself words them (like a joint use).
    const subjects = (await ctx.loaders.relation('ForeignTransfer', 'subjectCategories').load(Number(f.id))).map((c) => pickMarked(c.name, lang)).filter(Boolean);
    const scope = [
      ...(f.itemsText ? [`${ja ? '提供する個人データの項目' : 'Items provided'}: ${pickMarked(f.itemsText, lang)}`] : []),
      ...(subjects.length ? [`${ja ? '本人の区分' : 'Categories of persons'}: ${subjects.join(ja ? '、' : ', ')}`] : []),
    ];
    if (String(f.basis).startsWith('EQUIVALENT_MEASURES')) {
      const resolved = resolveItems(f as unknown as Parameters<typeof resolveItems>[0], a?.impediments);
      // Item (iv) not recorded: the name the person is told elsewhere, not a bare ISO name.
      const own = (f.equivalentMeasuresItems as { countryName?: { state?: string } } | null)?.countryName?.state;
      if (!own || own === 'NOT_RECORDED') resolved.countryName = { state: resolved.countryName.state, text: { [lang]: country } };
      items = ITEM_KEYS.map((k) => [ITEM_LABELS[k][lang], itemText(resolved[k], lang)]);
    } else if (f.basis === 'CONSENT_WITH_INFORMATION') {
      items = [
        ...art28.items.map((i) => [i.label, i.text] as [string, string]),
        [ja ? '情報提供日・方法' : 'When and how the information was given', `${info?.providedAt ?? none}${t(info?.method) ? ` / ${t(info?.method)}` : ''}`],
      ];
      more = more.slice(art28.items.length);
    } else {
      items = [[ja ? '根拠' : 'Basis', enumLabel(FOREIGN_TRANSFER_BASIS, f.basis, language)], [art28.items[0].label, country]];
    }
    const section = more.length ? ['', `## ${ja ? '法第28条第2項の情報' : 'The Art. 28(2) information'}`, '', ...more.map((l) => (l.startsWith('  ') ? l : `- ${l}`))] : [];
    return [`# ${title}`, '', ...(scope.length ? [...scope, ''] : []), ...items.map(([k, v], i) => `${i + 1}. ${k}: ${v}`), ...section, ''].join('\n');
  }

  @Query(() => RopaExport, { description: 'The provision and receipt records (APPI Art. 29, 30) of a period, as CSV or JSON.' })
  async provisionRecordsExport(
    @Arg('from', () => LocalDate) from: string,
    @Arg('to', () => LocalDate) to: string,
    @Arg('format', () => RopaFormat, { defaultValue: RopaFormat.CSV }) format: RopaFormat,
    @Ctx() ctx: Context,
  ): Promise<RopaExport> {
    if (from > to) throw badInput([{ path: 'to', message: 'to is before from' }]);
    if (format === RopaFormat.XLSX) throw badInput([{ path: 'format', message: 'CSV or JSON' }]);
    const rows = await ctx.loaders.query<Row>(
      `select p."code", p."direction", p."provided_at"::text as "providedAt", r."code" as "recipient", r."name" as "recipientName", r."country",
         b."code" as "basis", p."items", p."subjects", p."notes"
       from "provision_record" p join "third_party_recipient" r on r."id" = p."recipient_id" left join "legal_basis" b on b."id" = p."basis_id"
       where p."archived_at" is null and p."provided_at" between ?::date and ?::date order by p."provided_at", p."id"`,
      [from, to],
    );
    const text = (l: unknown) => [(l as Localized | null)?.ja, (l as Localized | null)?.en].filter(Boolean).join(' / ');
    const flat = rows.map((r) => ({ code: r.code, direction: r.direction, providedAt: r.providedAt, recipient: r.recipient, recipientName: text(r.recipientName), country: r.country ?? '', basis: r.basis ?? '', items: text(r.items), subjects: text(r.subjects), notes: text(r.notes) }));
    const filename = `provision-records-${from}-${to}`;
    if (format === RopaFormat.JSON) return { filename: `${filename}.json`, contentType: 'application/json; charset=utf-8', encoding: 'UTF8', content: JSON.stringify(flat, null, 2) };
    const keys = ['code', 'direction', 'providedAt', 'recipient', 'recipientName', 'country', 'basis', 'items', 'subjects', 'notes'] as const;
    const csv = [keys.join(','), ...flat.map((r) => keys.map((k) => csvCell(r[k])).join(','))].join('\r\n') + '\r\n';
    return { filename: `${filename}.csv`, contentType: 'text/csv; charset=utf-8', encoding: 'UTF8', content: csv };
  }
}
