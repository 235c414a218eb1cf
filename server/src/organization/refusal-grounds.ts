import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Framework } from '../graphql/enums.js';
import { LocalizedText } from '../graphql/localized-text.js';
import { RequestType } from '../requests/request.entity.js';

export enum RefusalGroundKind { STATUTORY = 'STATUTORY', PROCEDURAL = 'PROCEDURAL' }
registerEnumType(RefusalGroundKind, { name: 'RefusalGroundKind', description: 'STATUTORY: a ground the law itself gives; PROCEDURAL: one every request procedure implies.' });

@ObjectType({ simpleResolvers: true, description: 'A ground for refusing a request as the law (or any procedure) gives it: the reference an organization\'s own ground points to.' })
export class RefusalGroundReference {
  @Field() code!: string;
  @Field(() => RefusalGroundKind) kind!: RefusalGroundKind;
  @Field(() => Framework, { nullable: true, description: 'Empty for procedural grounds, which every framework implies.' }) framework!: Framework | null;
  @Field(() => String, { nullable: true }) article!: string | null;
  @Field(() => LocalizedText) text!: { ja: string; en: string };
  @Field(() => [RequestType], { description: 'The request types the ground can answer.' }) requestTypes!: RequestType[];
}

const APPI_DISCLOSURE = [RequestType.DISCLOSE, RequestType.DISCLOSE_PROVISION_RECORDS];
const APPI_ALL = [RequestType.NOTIFY_PURPOSE, ...APPI_DISCLOSURE, RequestType.CORRECT, RequestType.ADD, RequestType.DELETE, RequestType.STOP_USE, RequestType.ERASE, RequestType.STOP_THIRD_PARTY_PROVISION];
const GDPR_ALL = [RequestType.ACCESS, RequestType.RECTIFY, RequestType.ERASE, RequestType.RESTRICT, RequestType.PORT, RequestType.OBJECT];
const ALL = Object.values(RequestType);

/**
 * The grounds the law gives for refusing (see shared/domain/law.md 1.15–1.17 and the GDPR
 * articles) and the procedural ones every procedure implies. Shipped with Kiroku because they
 * are the law's, not any organization's; an organization's own grounds point here by code.
 */
export const REFUSAL_GROUND_CATALOGUE: readonly RefusalGroundReference[] = [
  { code: 'APPI_16_4', kind: RefusalGroundKind.STATUTORY, framework: Framework.APPI, article: 'APPI Art. 16(4)', requestTypes: APPI_ALL,
    text: { ja: '請求の対象が保有個人データに当たらない場合', en: 'The data requested is not retained personal data' } },
  { code: 'APPI_33_2_I', kind: RefusalGroundKind.STATUTORY, framework: Framework.APPI, article: 'APPI Art. 33(2)(i)', requestTypes: APPI_DISCLOSURE,
    text: { ja: '本人又は第三者の生命、身体、財産その他の権利利益を害するおそれがある場合', en: 'Disclosure may harm the life, body, property or other rights and interests of the person or a third party' } },
  { code: 'APPI_33_2_II', kind: RefusalGroundKind.STATUTORY, framework: Framework.APPI, article: 'APPI Art. 33(2)(ii)', requestTypes: APPI_DISCLOSURE,
    text: { ja: '当該個人情報取扱事業者の業務の適正な実施に著しい支障を及ぼすおそれがある場合', en: 'Disclosure may seriously interfere with the proper conduct of the business' } },
  { code: 'APPI_33_2_III', kind: RefusalGroundKind.STATUTORY, framework: Framework.APPI, article: 'APPI Art. 33(2)(iii)', requestTypes: APPI_DISCLOSURE,
    text: { ja: '他の法令に違反することとなる場合', en: 'Disclosure would violate another law' } },
  { code: 'APPI_34', kind: RefusalGroundKind.STATUTORY, framework: Framework.APPI, article: 'APPI Art. 34(1)–(2)', requestTypes: [RequestType.CORRECT, RequestType.ADD, RequestType.DELETE],
    text: { ja: '調査の結果、保有個人データの内容が事実でないとは認められない場合', en: 'The investigation found the retained personal data not to be untrue' } },
  { code: 'APPI_35', kind: RefusalGroundKind.STATUTORY, framework: Framework.APPI, article: 'APPI Art. 35(1), (3), (5)', requestTypes: [RequestType.STOP_USE, RequestType.ERASE, RequestType.STOP_THIRD_PARTY_PROVISION],
    text: { ja: '利用停止等の請求に理由があると認められない場合', en: 'None of the grounds for cessation of use, erasure or cessation of provision applies' } },
  { code: 'GDPR_12_5', kind: RefusalGroundKind.STATUTORY, framework: Framework.GDPR, article: 'GDPR Art. 12(5)', requestTypes: GDPR_ALL,
    text: { ja: '請求が明らかに根拠を欠く又は過剰である場合', en: 'The request is manifestly unfounded or excessive' } },
  { code: 'GDPR_15_4', kind: RefusalGroundKind.STATUTORY, framework: Framework.GDPR, article: 'GDPR Art. 15(4)', requestTypes: [RequestType.ACCESS],
    text: { ja: '写しの提供が他者の権利及び自由に悪影響を及ぼす場合', en: 'A copy would adversely affect the rights and freedoms of others' } },
  { code: 'GDPR_17_3', kind: RefusalGroundKind.STATUTORY, framework: Framework.GDPR, article: 'GDPR Art. 17(3)', requestTypes: [RequestType.ERASE],
    text: { ja: '表現の自由、法的義務の遵守、公益、法的請求等のために処理が必要な場合', en: 'Processing is necessary for freedom of expression, a legal obligation, the public interest or legal claims' } },
  { code: 'GDPR_21_1', kind: RefusalGroundKind.STATUTORY, framework: Framework.GDPR, article: 'GDPR Art. 21(1)', requestTypes: [RequestType.OBJECT],
    text: { ja: '本人の利益等に優越するやむを得ない正当な根拠がある場合', en: 'Compelling legitimate grounds override the interests, rights and freedoms of the person' } },
  { code: 'IDENTITY_NOT_CONFIRMED', kind: RefusalGroundKind.PROCEDURAL, framework: null, article: null, requestTypes: ALL,
    text: { ja: '本人又は代理人であることが確認できない場合', en: 'The identity of the person or the agent could not be confirmed' } },
  { code: 'REQUEST_INCOMPLETE', kind: RefusalGroundKind.PROCEDURAL, framework: null, article: null, requestTypes: ALL,
    text: { ja: '請求に必要な事項又は書類に不備がある場合', en: 'The request lacks required information or documents' } },
];

export const catalogueGround = (code: string | null | undefined) => REFUSAL_GROUND_CATALOGUE.find((g) => g.code === code) ?? null;
