import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { LocalizedText } from '../graphql/localized-text.js';
import { ForeignTransferBasis } from '../graphql/enums.js';
import { ProcessingActivity } from '../inventory/processing-activity.entity.js';
import { Purpose } from '../inventory/purpose.entity.js';
import { SubjectCategory } from '../inventory/subject-category.entity.js';
import { DataCategory } from '../inventory/data-category.entity.js';
import { Dataset } from '../systems/dataset.entity.js';
import { DatasetField } from '../systems/field.entity.js';
import { Processor } from '../parties/processor.entity.js';
import { JointUseArrangement } from '../parties/joint-use-arrangement.entity.js';
import { ResponsibleManager } from '../parties/joint-use.types.js';
import { ThirdPartyRecipient } from '../parties/third-party-recipient.entity.js';
import { StorageLocation } from '../locations/storage-location.entity.js';
import { ForeignTransfer } from '../parties/foreign-transfer.entity.js';
import { CountryAssessment } from '../locations/country-assessment.entity.js';

export enum DatasetMatch { HELD = 'HELD', POSSIBLE = 'POSSIBLE', NOT_HELD = 'NOT_HELD' }
registerEnumType(DatasetMatch, {
  name: 'DatasetMatch',
  description: "HELD: the subject index has one of the request's identities; POSSIBLE: the dataset reports no index; NOT_HELD: its index has data but not this person.",
});

export enum ResolutionScope { INDEXED = 'INDEXED', CLAIMED_CATEGORIES = 'CLAIMED_CATEGORIES', UNNARROWED = 'UNNARROWED' }
registerEnumType(ResolutionScope, {
  name: 'ResolutionScope',
  description: 'INDEXED: narrowed by the subject index alone; CLAIMED_CATEGORIES: the claimed subject categories plus what the index holds; UNNARROWED: neither a claim nor an index match — everything the organization controls, only possibly applicable.',
});

@ObjectType({ simpleResolvers: true })
export class ResolvedActivity {
  @Field(() => ProcessingActivity) activity!: unknown;
  @Field(() => [SubjectCategory], { description: 'The claimed subject categories it matched (empty when none was claimed).' }) matchedSubjectCategories!: unknown[];
  @Field({ description: 'Why the activity is touched.' }) reason!: string;
  @Field(() => HoldingConfirmation, { nullable: true, description: "The privacy team's finding on an activity no dataset serves (settleHoldings): the person's data is HELD there or NOT_HELD." }) confirmation?: HoldingConfirmation | null;
  /** The data categories of an activity found holding the person, frozen with the evidence (what the reply names). */
  foundCategories?: unknown[];
}

@ObjectType({ simpleResolvers: true })
export class ExcludedActivity {
  @Field(() => ProcessingActivity) activity!: unknown;
  @Field() reason!: string;
  @Field(() => LocalizedText, { nullable: true, description: 'The entrusting controller to route the request to.' }) routeTo?: LocalizedText | null;
}

export enum DatasetHolding { HELD = 'HELD', NOT_HELD = 'NOT_HELD' }
registerEnumType(DatasetHolding, { name: 'DatasetHolding', description: "The privacy team's finding on a POSSIBLE dataset." });

@ObjectType({ simpleResolvers: true, description: 'Who settled a POSSIBLE dataset, or an activity no dataset serves, when, and how.' })
export class HoldingConfirmation {
  @Field(() => DatasetHolding) holding!: DatasetHolding;
  @Field({ description: 'Token subject of who settled it.' }) confirmedBy!: string;
  @Field() confirmedAt!: Date;
  @Field(() => String, { nullable: true }) note?: string | null;
}

@ObjectType({ simpleResolvers: true })
export class ResolvedDataset {
  @Field(() => Dataset) dataset!: unknown;
  @Field(() => DatasetMatch) match!: DatasetMatch;
  @Field(() => [DatasetField], { description: 'Fields holding personal data.' }) fields!: unknown[];
  @Field(() => [DataCategory]) dataCategories!: unknown[];
  @Field(() => HoldingConfirmation, { nullable: true, description: 'The privacy team\'s finding when the index could not answer (settleDatasetHolding); the reply discloses HELD datasets and POSSIBLE ones confirmed HELD.' })
  confirmation?: HoldingConfirmation | null;
}

@ObjectType({ simpleResolvers: true })
export class ResolvedProcessor {
  @Field(() => Processor) processor!: unknown;
  @Field({ description: 'DIRECT (engaged on an activity or hosting a dataset) or SUB_PROCESSOR.' }) via!: string;
  @Field(() => [String], { description: 'Processor codes from the direct processor down to this one.' }) chain!: string[];
  @Field({ description: 'What to pass on to this processor.' }) instruction!: string;
}

@ObjectType({ simpleResolvers: true })
export class ResolvedJointUse {
  @Field(() => JointUseArrangement) arrangement!: unknown;
  @Field(() => ResponsibleManager) responsibleManager!: unknown;
  @Field() instruction!: string;
}

@ObjectType({ simpleResolvers: true, description: 'A recipient provided to under an APPI Art. 27(1) legal exception: not disclosed by default.' })
export class WithheldRecipient {
  @Field(() => ThirdPartyRecipient) recipient!: unknown;
  @Field({ description: 'The Art. 27(1) item of its legal basis, e.g. "Art. 27(1)(i)".' }) article!: string;
  @Field() reason!: string;
}

@ObjectType({ simpleResolvers: true })
export class ForeignLocation {
  @Field({ description: 'ISO 3166-1 alpha-2.' }) country!: string;
  @Field({ description: 'STORAGE (servers abroad) or TRANSFER (a recipient abroad, APPI Art. 28).' }) kind!: string;
  @Field(() => StorageLocation, { nullable: true }) storageLocation?: unknown;
  @Field(() => ForeignTransfer, { nullable: true }) foreignTransfer?: unknown;
  @Field(() => ForeignTransferBasis, { nullable: true }) basis?: ForeignTransferBasis | null;
  @Field(() => CountryAssessment, { nullable: true }) assessment?: unknown;
}

export enum ActionStatus { OPEN = 'OPEN', DONE = 'DONE', WAIVED = 'WAIVED' }
registerEnumType(ActionStatus, { name: 'ActionStatus', description: 'Where an action of the work list stands; completing a request needs every action DONE or WAIVED.' });

@ObjectType({ simpleResolvers: true, description: 'One item of the work list a request resolves to.' })
export class RequestAction {
  @Field({ description: 'Stable key of the action within the request (action:targetKind:targetCode); setRequestActionStatus takes it.' }) key!: string;
  @Field({ description: 'What the action applies to, e.g. "Dataset crm/contacts" or "Processor proc-ma-us".' }) target!: string;
  @Field({ description: 'Dataset, ProcessingActivity, Processor, JointUseArrangement or ThirdPartyRecipient.' }) targetKind!: string;
  @Field({ description: 'The target\'s code (a dataset\'s system/dataset key).' }) targetCode!: string;
  @Field(() => String, { nullable: true, description: 'For a dataset: the code of its system.' }) systemCode?: string | null;
  @Field(() => ID, { nullable: true, description: 'For a dataset: its id.' }) targetId?: string | null;
  @Field({ description: 'DISCLOSE, CORRECT, ERASE, STOP_USE, STOP_PROVISION, NOTIFY_PURPOSES, FORWARD_TO_PROCESSOR, COORDINATE_WITH_JOINT_USER, ROUTE_TO_CONTROLLER, EXPORT.' }) action!: string;
  @Field() detail!: string;
  @Field(() => ActionStatus) status!: ActionStatus;
  @Field({ description: 'True while the action\'s dataset is POSSIBLE and unsettled: whether the person is there must be settled (settleDatasetHolding) before the action is done or waived, and before the request completes.' }) awaitsSettlement!: boolean;
  @Field(() => String, { nullable: true, description: 'Why it was waived, or how it was done.' }) note?: string | null;
  @Field(() => String, { nullable: true, description: "A DISCLOSE action waived on one of the organization's refusal grounds: the item is withheld from the reply, which states the ground (partial disclosure)." }) refusalGround?: string | null;
  @Field(() => String, { nullable: true, description: 'Token subject of who marked it done or waived.' }) decidedBy?: string | null;
  @Field(() => Date, { nullable: true }) decidedAt?: Date | null;
}

@ObjectType({ simpleResolvers: true, description: 'One link of the resolution drawn as a flow (person → data categories → activities → datasets → processors → sub-processors → joint users / recipients → countries).' })
export class ResolutionLink {
  @Field({ description: 'Node id: "Person", "<kind>:<id>" for DataCategory, ProcessingActivity, Dataset, Processor, JointUseArrangement and ThirdPartyRecipient (the ids of the records in this resolution), or "Country:<ISO code>".' }) source!: string;
  @Field() target!: string;
  @Field({ description: 'HAS_CATEGORY, PROCESSED_IN, SUBJECT_OF, USES_DATASET, ENTRUSTS, SUB_PROCESSES, JOINT_USE, PROVIDES, STORED_IN or TRANSFERS_TO.' }) kind!: string;
  @Field(() => DatasetMatch, { description: 'How sure it is that the person\'s data flows along the link: the match of the dataset it comes through (a settled POSSIBLE one as settled), downstream the best of what leads to its source.' }) match!: DatasetMatch;
}

@ObjectType({
  simpleResolvers: true,
  description: 'What a request touches, computed live while open and frozen as evidence when it closes. The lists and the fields of the records in them are the evidence; relations reached further from those records (e.g. dataset.system) are current values.',
})
export class Resolution {
  @Field({ description: 'True once frozen (the request completed or was refused).' }) frozen!: boolean;
  @Field() computedAt!: Date;
  @Field(() => [ResolvedActivity]) activities!: ResolvedActivity[];
  @Field(() => [Purpose], { description: 'The purposes of the touched activities.' }) purposes!: unknown[];
  @Field(() => [ExcludedActivity]) excludedActivities!: ExcludedActivity[];
  @Field(() => [ResolvedDataset]) datasets!: ResolvedDataset[];
  @Field(() => [ResolvedProcessor]) processors!: ResolvedProcessor[];
  @Field(() => [ResolvedJointUse]) jointUsers!: ResolvedJointUse[];
  @Field(() => [ThirdPartyRecipient], { description: 'Recipients to disclose; those under an APPI Art. 27(1) legal exception are in withheldRecipients instead.' }) thirdPartyRecipients!: unknown[];
  @Field(() => [WithheldRecipient], { description: 'Recipients under an APPI Art. 27(1) legal exception, with the reason; not disclosed by default.' }) withheldRecipients!: WithheldRecipient[];
  @Field(() => ResolutionScope, { description: 'What narrowed the resolution to the person.' }) scope!: ResolutionScope;
  @Field(() => [String], { description: 'What the privacy team must check before replying (e.g. an UNNARROWED scope, a retired dataset still holding the person).' }) warnings!: string[];
  @Field(() => [ForeignLocation]) foreignLocations!: ForeignLocation[];
  @Field(() => [RequestAction]) actions!: RequestAction[];
  @Field(() => [String], { description: 'Codes of the activities in the resolution that no dataset of the inventory serves (paper files, systems not integrated): nothing here can say whether they hold the person, so the privacy team records what it found there (settleHoldings, activityIds; activities[].confirmation) before a request whose reply answers for the data held completes.' }) unindexedActivityCodes!: string[];
  @Field(() => [String], { description: 'Claimed subject categories no processing activity of the inventory processes ("*" when nothing was claimed and the inventory has no activity at all): the inventory cannot answer for them, so a request whose reply answers for the data held does not complete until their activities are recorded.' }) uncoveredSubjectCategoryCodes!: string[];
  @Field({ description: "True when the request's reply answers for the data held about the person (every type but purpose notification and provision records): then every POSSIBLE dataset must be settled before the request completes." }) settlementRequired!: boolean;
  @Field(() => [ResolutionLink], { description: 'The resolution as a flow, for drawing; empty in evidence frozen before links were recorded.' }) links!: ResolutionLink[];
}
