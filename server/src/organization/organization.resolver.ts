import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { idOrNull } from '../graphql/errors.js';
import type { Row } from '../graphql/loaders.js';
import { hasText, type Localized } from '../graphql/localized-text.js';
import { Organization } from './organization.entity.js';
import { HOME_COUNTRY } from '../config.js';
import { REFUSAL_GROUND_CATALOGUE, RefusalGroundReference } from './refusal-grounds.js';
import { NoticeGap, type Person, type RequestProcedure, type ComplaintContact } from './organization.types.js';

const gap = (code: string, field: string, law: string, en: string, ja: string): NoticeGap => ({ code, field, law, message: { ja, en } });

/**
 * What APPI Art. 32(1) (and Cabinet Order Art. 10) require a business to make known, checked
 * against what is recorded. An omission is reported, never filled in.
 */
export function noticeGaps(org: Row, counts: { purposes: number; securityMeasures: number; jointUses?: number; storedAbroad?: number }): NoticeGap[] {
  const gaps: NoticeGap[] = [];
  const rep = org.representative as Person | null;
  const proc = org.requestProcedure as RequestProcedure | null;
  const complaint = org.complaintContact as ComplaintContact | null;
  if (!hasText(org.address as Localized)) gaps.push(gap('ADDRESS_MISSING', 'address', 'APPI Art. 32(1)(i)', 'The address of the business is not stated.', '住所が記載されていません。'));
  if (!hasText(rep?.name)) gaps.push(gap('REPRESENTATIVE_MISSING', 'representative.name', 'APPI Art. 32(1)(i)', 'The representative of the corporation is not stated.', '代表者の氏名が記載されていません。'));
  if (counts.purposes === 0) gaps.push(gap('PURPOSES_MISSING', 'purposes', 'APPI Art. 32(1)(ii)', 'No purpose of use is recorded.', '利用目的が登録されていません。'));
  if (!proc || proc.channels.length === 0) gaps.push(gap('REQUEST_PROCEDURE_MISSING', 'requestProcedure.channels', 'APPI Art. 32(1)(iii)', 'No procedure for requests is stated.', '請求手続が記載されていません。'));
  if (proc && proc.fee?.status === 'UNKNOWN') {
    gaps.push(gap('FEE_NOT_STATED', 'requestProcedure.fee', 'APPI Art. 32(1)(iii), Art. 38', 'The notice does not say whether a fee is charged (if one is, its amount must be stated).', '手数料の有無が記載されていません(徴収する場合はその額の記載が必要です)。'));
  }
  if (proc && (proc.fee?.status === 'CHARGED_AMOUNT_NOT_STATED' || (proc.fee?.status === 'CHARGED' && proc.fee.amountJpy == null))) {
    gaps.push(gap('FEE_AMOUNT_NOT_STATED', 'requestProcedure.fee.amountJpy', 'APPI Art. 32(1)(iii), Art. 38(2)', 'A fee is charged but its amount is not stated.', '手数料を徴収するとされていますが、その額が記載されていません。'));
  }
  if (!complaint || complaint.channels.length === 0) gaps.push(gap('COMPLAINT_CONTACT_MISSING', 'complaintContact', 'APPI Art. 32(1)(iv), Cabinet Order Art. 10(ii)', 'No contact for complaints is stated.', '苦情の申出先が記載されていません。'));
  if (counts.securityMeasures === 0) gaps.push(gap('SECURITY_MEASURES_MISSING', 'securityMeasures', 'APPI Art. 32(1)(iv), Cabinet Order Art. 10(i)', 'No security-control measure is published.', '安全管理措置が公表されていません。'));
  // A stored layout decides what the notice prints: records the law wants published but no block prints are a gap too.
  const layout = (org.notice as { layout?: Array<{ kind: string }> | null } | null)?.layout;
  if (layout?.length) {
    const has = (...kinds: string[]) => layout.some((b) => kinds.includes(b.kind));
    const omits = (code: string, kinds: string[], law: string, en: string, ja: string) => {
      if (!has(...kinds)) gaps.push(gap(code, 'notice.layout', law, en, ja));
    };
    if (counts.purposes > 0) omits('NOTICE_OMITS_PURPOSES', ['PURPOSES', 'GENERAL_PURPOSES'], 'APPI Art. 21(1), 32(1)(ii)', 'The notice layout prints no purposes of use.', '公表事項の構成に利用目的がありません。');
    if (proc && proc.channels.length) omits('NOTICE_OMITS_REQUEST_PROCEDURE', ['REQUEST_CHANNELS'], 'APPI Art. 32(1)(iii)', 'The notice layout prints no request procedure.', '公表事項の構成に開示等の請求手続がありません。');
    if (complaint && complaint.channels.length) omits('NOTICE_OMITS_COMPLAINT_CONTACT', ['COMPLAINT_CHANNELS', 'CONTACT_DESKS'], 'APPI Art. 32(1)(iv), Cabinet Order Art. 10(ii)', 'The notice layout prints no contact for complaints.', '公表事項の構成に苦情の申出先がありません。');
    if (counts.securityMeasures > 0) omits('NOTICE_OMITS_SECURITY_MEASURES', ['SECURITY_MEASURES'], 'APPI Art. 32(1)(iv), Cabinet Order Art. 10(i)', 'The notice layout prints no security-control measures.', '公表事項の構成に安全管理措置がありません。');
    if ((counts.jointUses ?? 0) > 0) omits('NOTICE_OMITS_JOINT_USE', ['JOINT_USE'], 'APPI Art. 27(5)(iii)', 'Personal data is used jointly but the notice layout prints no joint-use items.', '共同利用がありますが、公表事項の構成に共同利用の事項がありません。');
    if ((counts.storedAbroad ?? 0) > 0) omits('NOTICE_OMITS_STORAGE_ABROAD', ['STORAGE_ABROAD'], 'APPI Art. 32(1)(iv), PPC Guidelines (General) 10-7', 'Personal data is stored abroad but the notice layout does not name the countries and their regimes.', '外国で個人データを保管していますが、公表事項の構成にその国と制度がありません。');
  }
  return gaps;
}

@Resolver(() => Organization)
export class OrganizationResolver {
  @Query(() => [RefusalGroundReference], { description: "The law's grounds for refusing a request and the procedural ones every procedure implies; an organization's own grounds point here (statutoryGround)." })
  refusalGroundCatalogue(): readonly RefusalGroundReference[] {
    return REFUSAL_GROUND_CATALOGUE;
  }

  @Query(() => Organization, { nullable: true, description: 'The business operator (the first one, or the one with this id).' })
  async organization(@Arg('id', () => ID, { nullable: true }) id: string | undefined, @Ctx() ctx: Context): Promise<Row | null> {
    const m = ctx.loaders.model;
    if (id !== undefined) {
      const n = idOrNull(id);
      return n === null ? null : ctx.loaders.byId('Organization').load(n);
    }
    const [row] = await ctx.loaders.query(`select ${m.select('Organization')} from ${m.table('Organization')} t where t."archived_at" is null order by t."id" limit 1`);
    return row ?? null;
  }

  @FieldResolver(() => [NoticeGap], { description: 'Items the law requires the notice to state that are not recorded (reported, never invented).' })
  async gaps(@Root() org: Row, @Ctx() ctx: Context): Promise<NoticeGap[]> {
    const [c] = await ctx.loaders.query<{ purposes: string; measures: string; joint: string; abroad: string }>(
      `select (select count(*) from "purpose" where "archived_at" is null) as purposes, (select count(*) from "security_measure" where "archived_at" is null) as measures,
         (select count(*) from "joint_use_arrangement" where "archived_at" is null) as joint,
         (select count(*) from "storage_location" where "archived_at" is null and "country" <> ?) as abroad`,
      [HOME_COUNTRY],
    );
    return noticeGaps(org, { purposes: Number(c.purposes), securityMeasures: Number(c.measures), jointUses: Number(c.joint), storedAbroad: Number(c.abroad) });
  }
}

