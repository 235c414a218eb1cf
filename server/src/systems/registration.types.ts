import { LocalizedText } from '../graphql/localized-text.js';
import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { IdentityType } from '../graphql/enums.js';
import { Dataset } from './dataset.entity.js';
import { MAX_CODE_CHARS, MAX_IDENTIFIER_CHARS, MaxChars, MaxItems } from '../graphql/input-limits.js';
import { jsonInputScalar } from '../graphql/json-input.js';

export enum RegistrationStatus { CREATED = 'CREATED', UPDATED = 'UPDATED', UNCHANGED = 'UNCHANGED', RETIRED = 'RETIRED' }
export enum SubjectOp { ADD = 'ADD', REMOVE = 'REMOVE' }
registerEnumType(RegistrationStatus, { name: 'RegistrationStatus', description: 'What a push did to a dataset.' });
registerEnumType(SubjectOp, { name: 'SubjectOp', description: 'Add identifiers to or remove them from the subject index.' });

// Registration inputs are validated in one pass by the registration service (every bad item and
// path reported together), not by per-object decorators: a push holds up to 100,000 fields. Their
// maxima (below, as the columns they fill) are checked before the resolver runs.

/** Datasets per push: the documented largest push (about 10 MB). */
export const MAX_DATASETS_PER_PUSH = 10_000;
/** Fields of one dataset, and of all datasets of a push together. */
export const MAX_FIELDS_PER_DATASET = 1_000;
export const MAX_FIELDS_PER_PUSH = 100_000;
/** Identifiers per reportSubjects call. */
export const MAX_VALUES_PER_CALL = 100_000;

@InputType({ description: 'Where a dataset is stored: a known storage-location code, or a country (ISO 3166-1 alpha-2) and region.' })
export class DatasetLocationInput {
  @Field(() => String, { nullable: true }) @MaxChars(MAX_CODE_CHARS) code?: string | null;
  @Field(() => String, { nullable: true }) @MaxChars(2) country?: string | null;
  @Field(() => String, { nullable: true }) @MaxChars(255) region?: string | null;
}

@InputType()
export class RegisterFieldInput {
  @Field() @MaxChars(500) path!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => [String], { nullable: true, description: 'Data-category codes.' }) @MaxItems(100) @MaxChars(MAX_CODE_CHARS) dataCategoryCodes?: string[] | null;
  @Field(() => IdentityType, { nullable: true }) identityType?: IdentityType | null;
}

@InputType()
export class RegisterDatasetInput {
  @Field({ description: 'Stable key within the system.' }) @MaxChars(300) key!: string;
  @Field() @MaxChars(255) name!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => LocalizedText, { nullable: true, description: 'What a reply to the person calls the data held here (subject-facing; without it the names of its data categories are used).' })
  publicDescription?: LocalizedText | null;
  @Field(() => DatasetLocationInput, { nullable: true }) location?: DatasetLocationInput | null;
  @Field(() => String, { nullable: true, description: 'Code of the hosting processor.' }) @MaxChars(MAX_CODE_CHARS) processorCode?: string | null;
  @Field(() => [String], { nullable: true, description: 'Codes of the processing activities the dataset serves.' }) @MaxItems(1_000) @MaxChars(MAX_CODE_CHARS) activityCodes?: string[] | null;
  @Field(() => [RegisterFieldInput], { nullable: true }) @MaxItems(MAX_FIELDS_PER_DATASET, { inTotal: MAX_FIELDS_PER_PUSH }) fields?: RegisterFieldInput[] | null;
}

@InputType({ description: "A system's datasets as they are now; upserted by key in one transaction." })
export class RegisterDatasetsInput {
  @Field() @MaxChars(MAX_CODE_CHARS) systemKey!: string;
  @Field({ defaultValue: false, description: "Retire the system's datasets absent from this push (they are kept, not deleted)." }) prune!: boolean;
  @Field({ defaultValue: false, description: 'Answer what the push would do (and every problem it would meet) without writing anything.' }) dryRun!: boolean;
  @Field(() => [RegisterDatasetInput]) @MaxItems(MAX_DATASETS_PER_PUSH) datasets!: RegisterDatasetInput[];
}

/** The push as one JSON value: what the SDK and the CLI send (see jsonInputScalar for why). */
export const RegisterDatasetsPush = jsonInputScalar(
  'RegisterDatasetsPush',
  'RegisterDatasetsInput',
  'A whole push (the fields of RegisterDatasetsInput) as one JSON value, checked in one pass instead of converted object by object: an identical re-push of 1,000 datasets is about 1.5 to 2.5 times as fast as with the typed input.',
);

@ObjectType({ simpleResolvers: true })
export class DatasetRegistrationResult {
  @Field() key!: string;
  @Field(() => RegistrationStatus) status!: RegistrationStatus;
  @Field(() => Dataset, { nullable: true, description: 'The dataset; null for one a dry run would create.' }) dataset?: unknown;
  @Field(() => [String], { description: 'For UPDATED: what changed (name, description, publicDescription, storageLocation, processor, activities, fields (n added, n removed, n changed), status).' })
  changes!: string[];
}

@ObjectType({ simpleResolvers: true })
export class RegisterDatasetsPayload {
  @Field(() => [DatasetRegistrationResult]) results!: DatasetRegistrationResult[];
}

@InputType({ description: 'Identifiers a dataset holds (or no longer holds); stored only as HMAC-SHA256.' })
export class ReportSubjectsInput {
  @Field() @MaxChars(MAX_CODE_CHARS) systemKey!: string;
  @Field() @MaxChars(300) datasetKey!: string;
  @Field(() => IdentityType) identityType!: IdentityType;
  @Field(() => [String], { description: 'Up to 100,000 identifiers.' }) @MaxItems(MAX_VALUES_PER_CALL) @MaxChars(MAX_IDENTIFIER_CHARS) values!: string[];
  @Field(() => SubjectOp) op!: SubjectOp;
  @Field({ defaultValue: false, description: 'Check the values (every invalid one reported by index) and the dataset, and write nothing.' }) dryRun!: boolean;
}

@ObjectType({ simpleResolvers: true })
export class ReportSubjectsPayload {
  @Field(() => Int, { description: 'Entries newly added to the index.' }) added!: number;
  @Field(() => Int, { description: 'Entries removed from the index.' }) removed!: number;
  @Field(() => [String], { description: 'What the index will not answer as the caller may expect: a retired dataset (its entries are kept until removed, and keep it in resolutions), or an identity type no field of the dataset declares.' })
  warnings!: string[];
}
