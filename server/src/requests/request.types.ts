import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Framework, IdentityType, RequestChannelKind, ResponseMethod } from '../graphql/enums.js';
import { MAX_CODE_CHARS, MAX_IDENTIFIER_CHARS, MaxChars, MaxItems } from '../graphql/input-limits.js';
import { DataSubjectRequest, RequesterKind, RequestStatus, RequestType } from './request.entity.js';
import { RefusalGroundCodeScalar } from './refusal-ground-code.js';
import { ActionStatus, DatasetHolding } from './resolution.types.js';

export enum ReportLanguage { JA = 'JA', EN = 'EN' }
export enum ReportFormat { JSON = 'JSON', MARKDOWN = 'MARKDOWN', HTML = 'HTML' }
registerEnumType(ReportLanguage, { name: 'ReportLanguage' });
registerEnumType(ReportFormat, { name: 'ReportFormat' });

@InputType()
export class RequestIdentityInput {
  @Field(() => IdentityType) type!: IdentityType;
  @Field({ description: 'Matched through the subject index and kept only as HMAC.' }) @MaxChars(MAX_IDENTIFIER_CHARS) value!: string;
}

@InputType()
export class RequesterInput {
  @Field(() => RequesterKind) kind!: RequesterKind;
  @Field(() => String, { nullable: true, description: "The agent's name and details, for AGENT." }) agentName?: string | null;
}

@InputType()
export class CreateDataSubjectRequestInput {
  @Field(() => Framework) framework!: Framework;
  @Field(() => RequestType) type!: RequestType;
  @Field(() => [RequestIdentityInput]) @MaxItems(100) identities!: RequestIdentityInput[];
  @Field(() => [String], { nullable: true, description: 'Codes of the subject categories the requester claims (none: all).' }) @MaxItems(1_000) @MaxChars(MAX_CODE_CHARS) subjectCategoryCodes?: string[] | null;
  @Field(() => RequestChannelKind) channel!: RequestChannelKind;
  @Field(() => RequesterInput) requester!: RequesterInput;
  @Field(() => ResponseMethod) responseMethod!: ResponseMethod;
  @Field(() => String, { nullable: true, description: 'Where to send the reply (email or postal address).' }) @MaxChars(1_000) contact?: string | null;
  @Field(() => Date, { nullable: true, description: 'When the request was received (default now).' }) receivedAt?: Date | null;
}

@InputType()
export class TransitionDataSubjectRequestInput {
  @Field(() => ID) id!: string;
  @Field(() => RequestStatus) to!: RequestStatus;
  @Field(() => String, { nullable: true, description: 'Note on the timeline; the reason text when refusing.' }) note?: string | null;
  @Field(() => RefusalGroundCodeScalar, { nullable: true, description: "Code of one of the organization's refusal grounds that applies to the request's type; required when refusing, unless the organization declines the type by policy." })
  @MaxChars(100) refusalGround?: string | null;
  @Field(() => String, { nullable: true, description: 'How identity was verified; required to move from VERIFYING to IN_PROGRESS.' }) verificationMethod?: string | null;
}

@InputType()
export class ExtendDataSubjectRequestInput {
  @Field(() => ID) id!: string;
  @Field(() => Int, { description: 'Further months (1 or 2; GDPR Art. 12(3), once).' }) months!: number;
  @Field() reason!: string;
}

@InputType()
export class DataSubjectRequestFilter {
  @Field(() => RequestStatus, { nullable: true }) status?: RequestStatus;
  @Field(() => RequestType, { nullable: true }) type?: RequestType;
  @Field(() => Boolean, { nullable: true, description: 'Open and past the due date.' }) overdue?: boolean;
  @Field(() => Date, { nullable: true, description: 'Due before this time.' }) dueBefore?: Date;
  @Field(() => Int, { nullable: true, description: 'Open and due within this many days from today (0–3650), overdue ones included.' }) dueWithinDays?: number;
}

@InputType()
export class SettleDatasetHoldingInput {
  @Field(() => ID) requestId!: string;
  @Field(() => ID, { description: 'A dataset the resolution lists as POSSIBLE.' }) datasetId!: string;
  @Field(() => DatasetHolding) holding!: DatasetHolding;
  @Field(() => String, { nullable: true, description: 'How it was checked; required for NOT_HELD.' }) @MaxChars(2_000) note?: string | null;
}

@InputType({ description: 'One finding for several POSSIBLE datasets and activities no dataset serves (resolution.unindexedActivityCodes) of an open request, checked the same way (e.g. every HR system and the paper files searched by the e-mail address and the name).' })
export class SettleHoldingsInput {
  @Field(() => ID) requestId!: string;
  @Field(() => [ID], { defaultValue: [], description: 'Datasets the resolution lists as POSSIBLE.' }) @MaxItems(10_000) datasetIds!: string[];
  @Field(() => [ID], { defaultValue: [], description: 'Activities of the resolution that no dataset serves.' }) @MaxItems(10_000) activityIds!: string[];
  @Field({ defaultValue: false, description: 'Change findings already recorded (a correction); without it, a dataset or activity already settled is refused, so one finding for many never overwrites a colleague\'s.' }) replace!: boolean;
  @Field(() => DatasetHolding) holding!: DatasetHolding;
  @Field(() => String, { nullable: true, description: 'How it was checked; required for NOT_HELD.' }) @MaxChars(2_000) note?: string | null;
}

@InputType()
export class SetRequestActionStatusInput {
  @Field(() => ID) requestId!: string;
  @Field(() => [String], { description: 'Keys (RequestAction.key) of the actions to set, one or more.' }) @MaxItems(10_000) @MaxChars(1_000) actionKeys!: string[];
  @Field(() => ActionStatus) status!: ActionStatus;
  @Field(() => String, { nullable: true, description: 'The reason when waiving (required), or how it was done.' }) @MaxChars(2_000) note?: string | null;
  @Field(() => RefusalGroundCodeScalar, { nullable: true, description: "With WAIVED on DISCLOSE actions: the organization's refusal ground the item is withheld on; the reply lists it as not disclosed, with the ground (partial disclosure)." })
  refusalGround?: string | null;
}

@ObjectType({ simpleResolvers: true, description: 'Open requests by deadline state, for dashboards (days in the organization\'s time zone).' })
export class RequestSlaCounts {
  @Field(() => Int, { description: 'Open, due in more than 3 days.' }) onTrack!: number;
  @Field(() => Int, { description: 'Open, due today or within 3 days.' }) dueSoon!: number;
  @Field(() => Int, { description: 'Open and past the due date.' }) overdue!: number;
}

@ObjectType({ simpleResolvers: true })
export class DataSubjectRequestPayload {
  @Field(() => DataSubjectRequest) request!: unknown;
}

@ObjectType({ simpleResolvers: true, description: 'The reply document for DISCLOSE / ACCESS / NOTIFY_PURPOSE.' })
export class DisclosureReport {
  @Field(() => ReportFormat) format!: ReportFormat;
  @Field(() => ReportLanguage) language!: ReportLanguage;
  @Field({ description: 'The document (JSON text, Markdown or HTML).' }) content!: string;
}

@InputType()
export class RevealRequestContactInput {
  @Field(() => ID) requestId!: string;
}

@ObjectType({ simpleResolvers: true, description: 'What the privacy team needs to answer the person, shown on demand; each reveal is an audit event.' })
export class RequestContactReveal {
  @Field(() => ID) requestId!: string;
  @Field(() => String, { nullable: true, description: 'Where to send the reply; null once erased after closing.' }) contact?: string | null;
  @Field(() => Date, { nullable: true }) contactErasedAt?: Date | null;
  @Field(() => String, { nullable: true, description: "The agent's name and details, for AGENT." }) agentName?: string | null;
  @Field(() => [IdentityType], { description: 'The identity types given; their values are kept only as HMACs and cannot be revealed.' }) identityTypes!: IdentityType[];
  @Field({ description: 'When this reveal was recorded in the audit trail.' }) revealedAt!: Date;
}
