import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { IsArray, IsEnum, IsInt, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import { HasText, LocalizedText } from '../graphql/localized-text.js';
import { IsAllowedUrl } from '../graphql/validators.js';

import { LocalDate } from '../graphql/scalars.js';
import { MaxChars } from '../graphql/input-limits.js';
import { FeeStatus, ProvisionRoute, RequestChannelKind, ResponseMethod } from '../graphql/enums.js';
import { RequestType } from '../requests/request.entity.js';
import { NoticeBlock } from './notice-layout.js';

// The structures of an organization's notice are documents, stored as JSON on the organization;
// each class is both the output type and (suffixed Input) the input type, so they cannot drift.

@ObjectType({ simpleResolvers: true, description: 'A person named with a title (e.g. the representative).' })
@InputType('PersonInput')
export class Person {
  @Field(() => LocalizedText, { nullable: true }) @IsOptional() @ValidateNested() name?: LocalizedText | null;
  @Field(() => LocalizedText, { nullable: true }) @IsOptional() @ValidateNested() title?: LocalizedText | null;
}

@ObjectType({ simpleResolvers: true, description: '個人情報保護管理者 — the personal-information protection manager.' })
@InputType('PrivacyManagerInput')
export class PrivacyManager {
  @Field(() => LocalizedText, { nullable: true }) @IsOptional() @ValidateNested() organization?: LocalizedText | null;
  @Field(() => LocalizedText, { nullable: true }) @IsOptional() @ValidateNested() title?: LocalizedText | null;
  @Field(() => LocalizedText, { nullable: true, description: 'Personal name; empty where the notice gives only the title.' })
  @IsOptional() @ValidateNested() name?: LocalizedText | null;
  @Field(() => LocalizedText, { nullable: true, description: 'How to reach the manager.' })
  @IsOptional() @ValidateNested() contact?: LocalizedText | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsAllowedUrl() @MaxChars(2000) contactUrl?: string | null;
  @Field(() => String, { nullable: true, description: 'The contact desk inquiries to the manager go to.' }) @IsOptional() @IsString() @MaxChars(100) deskCode?: string | null;
}

@ObjectType({ simpleResolvers: true, description: 'A telephone number with what it is for (e.g. domestic, from abroad).' })
@InputType('LabelledPhoneInput')
export class LabelledPhone {
  @Field(() => LocalizedText, { nullable: true }) @IsOptional() @ValidateNested() label?: LocalizedText | null;
  @Field() @IsString() @MaxChars(100) number!: string;
}

@ObjectType({ simpleResolvers: true, description: 'A contact desk (窓口): the one place the inquiry, complaint and request channels point to by deskCode.' })
@InputType('ContactDeskInput')
export class ContactDesk {
  @Field({ description: 'Unique within the organization; what channels name as deskCode.' }) @IsString() @MaxChars(100) code!: string;
  @Field(() => LocalizedText, { nullable: true }) @IsOptional() @ValidateNested() name?: LocalizedText | null;
  @Field(() => LocalizedText, { nullable: true }) @IsOptional() @ValidateNested() address?: LocalizedText | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxChars(20) postalCode?: string | null;
  @Field(() => [LabelledPhone]) @IsArray() @ValidateNested({ each: true }) phones: LabelledPhone[] = [];
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxChars(320) email?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsAllowedUrl() @MaxChars(2000) url?: string | null;
  @Field(() => LocalizedText, { nullable: true, description: 'Opening hours.' }) @IsOptional() @ValidateNested() hours?: LocalizedText | null;
  @Field(() => LocalizedText, { nullable: true, description: 'Days the desk is closed.' }) @IsOptional() @ValidateNested() closedDays?: LocalizedText | null;
}

@ObjectType({ simpleResolvers: true, description: 'A way to reach the organization.' })
@InputType('ContactChannelInput')
export class ContactChannel {
  @Field(() => RequestChannelKind) @IsEnum(RequestChannelKind) kind!: RequestChannelKind;
  @Field(() => LocalizedText, { nullable: true }) @IsOptional() @ValidateNested() label?: LocalizedText | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxChars(100) phone?: string | null;
  @Field(() => LocalizedText, { nullable: true, description: 'Opening hours.' }) @IsOptional() @ValidateNested() hours?: LocalizedText | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsAllowedUrl() @MaxChars(2000) url?: string | null;
  @Field(() => LocalizedText, { nullable: true, description: 'The text of the link to url as the notice shows it (e.g. the name of an inquiry form).' }) @IsOptional() @ValidateNested() linkText?: LocalizedText | null;
  @Field(() => LocalizedText, { nullable: true }) @IsOptional() @ValidateNested() address?: LocalizedText | null;
  @Field(() => String, { nullable: true, description: 'The contact desk this channel reaches; its phones and hours apply where the channel states none of its own.' })
  @IsOptional() @IsString() @MaxChars(100) deskCode?: string | null;
}

@ObjectType({ simpleResolvers: true, description: 'A request type the organization accepts.' })
@InputType('AcceptedRequestTypeInput')
export class AcceptedRequestType {
  @Field({ description: 'Request type code (NOTIFY_PURPOSE, DISCLOSE, CORRECT, …).' }) @IsString() @MaxChars(100) code!: string;
  @Field(() => LocalizedText) @ValidateNested() @HasText() label!: LocalizedText;
  @Field(() => String, { nullable: true, description: 'APPI article; empty for a right the notice grants beyond the law.' }) @IsOptional() @IsString() @MaxChars(100) article?: string | null;
  @Field(() => LocalizedText, { nullable: true, description: "Set when the organization declines this type by policy: the notice's wording, which answers such a request. Empty: offered." })
  @IsOptional() @ValidateNested() declinedByPolicy?: LocalizedText | null;
  @Field(() => Boolean, { nullable: true, description: 'A right the notice grants beyond what the law requires (e.g. an objection right under APPI wording).' })
  @IsOptional() beyondLaw?: boolean | null;
}

@ObjectType({ simpleResolvers: true, description: 'A channel through which requests are accepted, with how identity is verified there.' })
@InputType('RequestChannelInput')
export class RequestChannel {
  @Field(() => RequestChannelKind) @IsEnum(RequestChannelKind) kind!: RequestChannelKind;
  @Field(() => LocalizedText) @ValidateNested() @HasText() label!: LocalizedText;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxChars(100) phone?: string | null;
  @Field(() => LocalizedText, { nullable: true }) @IsOptional() @ValidateNested() hours?: LocalizedText | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsAllowedUrl() @MaxChars(2000) url?: string | null;
  @Field(() => LocalizedText, { nullable: true, description: 'A condition for accepting a request on this channel.' })
  @IsOptional() @ValidateNested() condition?: LocalizedText | null;
  @Field(() => LocalizedText, { nullable: true }) @IsOptional() @ValidateNested() identityVerification?: LocalizedText | null;
  @Field(() => LocalizedText, { nullable: true }) @IsOptional() @ValidateNested() instructions?: LocalizedText | null;
  @Field(() => LocalizedText, { nullable: true, description: 'Title of the request form, for mail.' }) @IsOptional() @ValidateNested() formTitle?: LocalizedText | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsAllowedUrl() @MaxChars(2000) formUrl?: string | null;
  @Field(() => LocalizedText, { nullable: true, description: 'The text of the link to the form as the notice shows it (e.g. with file type and size); formTitle when empty.' }) @IsOptional() @ValidateNested() formLinkText?: LocalizedText | null;
  @Field(() => String, { nullable: true, description: 'The contact desk this channel reaches; its phones and hours apply where the channel states none of its own.' })
  @IsOptional() @IsString() @MaxChars(100) deskCode?: string | null;
}

@ObjectType({ simpleResolvers: true, description: 'A method by which a notification or disclosure is given.' })
@InputType('DisclosureMethodInput')
export class DisclosureMethod {
  @Field(() => ResponseMethod) @IsEnum(ResponseMethod) method!: ResponseMethod;
  @Field(() => LocalizedText) @ValidateNested() @HasText() label!: LocalizedText;
  @Field(() => LocalizedText, { nullable: true, description: 'A restriction, e.g. electronic records only as an email attachment.' })
  @IsOptional() @ValidateNested() constraint?: LocalizedText | null;
}

@ObjectType({ simpleResolvers: true, description: "A ground on which the organization refuses a request: its own list, each pointing to the law's ground (refusalGroundCatalogue) or to none." })
@InputType('RefusalGroundInput')
export class RefusalGround {
  @Field({ description: 'Unique within the procedure; what transitionDataSubjectRequest takes as refusalGround.' }) @IsString() @MaxChars(100) code!: string;
  @Field(() => LocalizedText) @ValidateNested() @HasText() text!: LocalizedText;
  @Field(() => String, { nullable: true, description: 'The article as the notice cites it.' }) @IsOptional() @IsString() @MaxChars(100) article?: string | null;
  @Field(() => String, { nullable: true, description: "Code of the statutory or procedural ground in refusalGroundCatalogue; empty for the organization's own ground." })
  @IsOptional() @IsString() @MaxChars(100) statutoryGround?: string | null;
  @Field(() => [RequestType], { nullable: true, description: 'The request types it applies to; empty: every type.' })
  @IsOptional() @IsArray() @IsEnum(RequestType, { each: true }) appliesTo?: RequestType[] | null;
}

@ObjectType({ simpleResolvers: true, description: 'Fee for requests (APPI Art. 38). UNKNOWN means the notice does not say; it is not FREE. CHARGED needs amountJpy; a fee whose amount the notice does not state is CHARGED_AMOUNT_NOT_STATED.' })
@InputType('FeeInput')
export class Fee {
  @Field(() => FeeStatus) @IsEnum(FeeStatus) status!: FeeStatus;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) amountJpy?: number | null;
  @Field(() => LocalizedText, { nullable: true }) @IsOptional() @ValidateNested() note?: LocalizedText | null;
}

@ObjectType({ simpleResolvers: true, description: 'How a person makes a request about their own data (APPI Art. 32(1)(iii), 37).' })
@InputType('RequestProcedureInput')
export class RequestProcedure {
  @Field(() => [AcceptedRequestType]) @IsArray() @ValidateNested({ each: true }) requestTypes: AcceptedRequestType[] = [];
  @Field(() => LocalizedText, { nullable: true, description: 'Who may request (the person or an agent).' })
  @IsOptional() @ValidateNested() requesters?: LocalizedText | null;
  @Field(() => [RequestChannel]) @IsArray() @ValidateNested({ each: true }) channels: RequestChannel[] = [];
  @Field(() => [DisclosureMethod]) @IsArray() @ValidateNested({ each: true }) disclosureMethods: DisclosureMethod[] = [];
  @Field(() => LocalizedText, { nullable: true }) @IsOptional() @ValidateNested() disclosureMethodNote?: LocalizedText | null;
  @Field(() => [ResponseMethod], { nullable: true, description: 'The order in which methods are fallen back on when the requested one is impossible or very costly (APPI Art. 33(2)); each one of disclosureMethods.' })
  @IsOptional() @IsArray() @IsEnum(ResponseMethod, { each: true }) methodFallbackOrder?: ResponseMethod[] | null;
  @Field(() => [RefusalGround]) @IsArray() @ValidateNested({ each: true }) refusalGrounds: RefusalGround[] = [];
  @Field(() => Fee) @ValidateNested() fee!: Fee;
  @Field(() => LocalizedText, { nullable: true, description: 'Response time; empty where not stated.' }) @IsOptional() @ValidateNested() responseTime?: LocalizedText | null;
  @Field(() => [LocalizedText], { description: 'Further notes of the procedure.' }) @IsArray() @ValidateNested({ each: true }) notes: LocalizedText[] = [];
  @Field(() => LocalizedText, { nullable: true, description: '保有個人データ as the notice defines it.' }) @IsOptional() @ValidateNested() retainedDataDefinition?: LocalizedText | null;
}

@ObjectType({ simpleResolvers: true, description: 'Where complaints about the handling of personal information go.' })
@InputType('ComplaintContactInput')
export class ComplaintContact {
  @Field(() => [ContactChannel]) @IsArray() @ValidateNested({ each: true }) channels: ContactChannel[] = [];
  @Field(() => LocalizedText, { nullable: true, description: 'Accredited personal information protection organization (認定個人情報保護団体), if any.' })
  @IsOptional() @ValidateNested() accreditedOrganization?: LocalizedText | null;
}

@ObjectType({ simpleResolvers: true, description: 'A rule for giving personal data to others, as the notice states it.' })
@InputType('ProvisionRuleInput')
export class ProvisionRule {
  @Field() @IsString() @MaxChars(200) code!: string;
  @Field(() => ProvisionRoute) @IsEnum(ProvisionRoute) route!: ProvisionRoute;
  @Field(() => LocalizedText) @ValidateNested() @HasText() text!: LocalizedText;
  @Field(() => [String], { description: 'Legal-basis codes.' }) @IsArray() @IsString({ each: true }) legalBasisCodes: string[] = [];
  @Field(() => [String], { description: 'Subject-category codes it applies to; empty means all.' }) @IsArray() @IsString({ each: true }) appliesTo: string[] = [];
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxChars(50) sourceRef?: string | null;
}

export enum NoticePlacement { PURPOSES = 'PURPOSES', SUBJECT_CATEGORY = 'SUBJECT_CATEGORY' }
registerEnumType(NoticePlacement, {
  name: 'NoticePlacement',
  description: 'Where the generated public notice prints a statement: PURPOSES after the purposes of use common to every category; SUBJECT_CATEGORY with the purposes of the subject category named by subjectCategoryCode. Without a placement the statement is kept in the inventory only.',
});

@ObjectType({ simpleResolvers: true, description: 'A statement of the notice kept verbatim (web beacons, voluntary provision, …).' })
@InputType('NoticeStatementInput')
export class NoticeStatement {
  @Field() @IsString() @MaxChars(200) code!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxChars(50) sourceRef?: string | null;
  @Field(() => LocalizedText) @ValidateNested() @HasText() text!: LocalizedText;
  @Field(() => NoticePlacement, { nullable: true }) @IsOptional() @IsEnum(NoticePlacement) placement?: NoticePlacement | null;
  @Field(() => String, { nullable: true, description: 'With placement SUBJECT_CATEGORY: the code of the subject category.' }) @IsOptional() @IsString() @MaxChars(200) subjectCategoryCode?: string | null;
  @Field(() => Int, { nullable: true, description: 'With placement SUBJECT_CATEGORY: where among the purposes of the category (their position) the statement stands; after them when empty.' })
  @IsOptional() @IsInt() position?: number | null;
  @Field(() => [String], { nullable: true, description: 'Codes of the purposes this statement states in its own words: the notice prints them here and not again on their own.' })
  @IsOptional() @IsArray() @IsString({ each: true }) @MaxChars(200) purposeCodes?: string[] | null;
}

@ObjectType({ simpleResolvers: true, description: 'A dated revision of the notice.' })
@InputType('NoticeRevisionInput')
export class NoticeRevision {
  @Field(() => LocalDate) effectiveDate!: string;
  @Field(() => String, { nullable: true, description: 'Version label, unique within the notice.' }) @IsOptional() @IsString() @MaxChars(100) version?: string | null;
  @Field(() => LocalizedText, { nullable: true, description: 'What changed.' }) @IsOptional() @ValidateNested() summary?: LocalizedText | null;
}

@ObjectType({ simpleResolvers: true, description: 'The published notice itself.' })
@InputType('NoticeInfoInput')
export class NoticeInfo {
  @Field(() => LocalizedText, { nullable: true }) @IsOptional() @ValidateNested() title?: LocalizedText | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxChars(100) version?: string | null;
  @Field(() => LocalDate, { nullable: true }) @IsOptional() effectiveDate?: string | null;
  @Field(() => LocalizedText, { nullable: true }) @IsOptional() @ValidateNested() statutoryBasis?: LocalizedText | null;
  @Field(() => LocalizedText, { nullable: true }) @IsOptional() @ValidateNested() changePolicy?: LocalizedText | null;
  @Field(() => LocalizedText, { nullable: true }) @IsOptional() @ValidateNested() groupPolicyReference?: LocalizedText | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsAllowedUrl() @MaxChars(2000) url?: string | null;
  @Field(() => [NoticeRevision], { nullable: true, description: 'Dated revisions, oldest first; the effective-date history the notice renders.' })
  @IsOptional() @IsArray() @ValidateNested({ each: true }) revisions?: NoticeRevision[] | null;
  @Field(() => [NoticeBlock], { nullable: true, description: "The notice's structure as published: ordered blocks of headings, the organization's own texts and parts drawn from the inventory. Empty: a structure following the articles of the law." })
  @IsOptional() @IsArray() @ValidateNested({ each: true }) layout?: NoticeBlock[] | null;
}

@ObjectType({ simpleResolvers: true, description: 'An item the law requires the notice to state that the organization has not recorded.' })
export class NoticeGap {
  @Field({ description: 'Stable code of the gap.' }) code!: string;
  @Field({ description: 'Field of the organization (or inventory) that is empty.' }) field!: string;
  @Field({ description: 'Article that requires it.' }) law!: string;
  @Field(() => LocalizedText) message!: LocalizedText;
}
