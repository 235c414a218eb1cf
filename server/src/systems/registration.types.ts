import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { IdentityType } from '../graphql/enums.js';
import { Dataset } from './dataset.entity.js';

export enum RegistrationStatus { CREATED = 'CREATED', UPDATED = 'UPDATED', UNCHANGED = 'UNCHANGED', RETIRED = 'RETIRED' }
export enum SubjectOp { ADD = 'ADD', REMOVE = 'REMOVE' }
registerEnumType(RegistrationStatus, { name: 'RegistrationStatus', description: 'What a push did to a dataset.' });
registerEnumType(SubjectOp, { name: 'SubjectOp', description: 'Add identifiers to or remove them from the subject index.' });

// Registration inputs are validated in one pass by the registration service (every bad item and
// path reported together), not by per-object decorators: a push holds up to 100,000 fields.

@InputType({ description: 'Where a dataset is stored: a known storage-location code, or a country (ISO 3166-1 alpha-2) and region.' })
export class DatasetLocationInput {
  @Field(() => String, { nullable: true }) code?: string | null;
  @Field(() => String, { nullable: true }) country?: string | null;
  @Field(() => String, { nullable: true }) region?: string | null;
}

@InputType()
export class RegisterFieldInput {
  @Field() path!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => [String], { nullable: true, description: 'Data-category codes.' }) dataCategoryCodes?: string[] | null;
  @Field(() => IdentityType, { nullable: true }) identityType?: IdentityType | null;
}

@InputType()
export class RegisterDatasetInput {
  @Field({ description: 'Stable key within the system.' }) key!: string;
  @Field() name!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => DatasetLocationInput, { nullable: true }) location?: DatasetLocationInput | null;
  @Field(() => String, { nullable: true, description: 'Code of the hosting processor.' }) processorCode?: string | null;
  @Field(() => [String], { nullable: true, description: 'Codes of the processing activities the dataset serves.' }) activityCodes?: string[] | null;
  @Field(() => [RegisterFieldInput], { nullable: true }) fields?: RegisterFieldInput[] | null;
}

@InputType({ description: "A system's datasets as they are now; upserted by key in one transaction." })
export class RegisterDatasetsInput {
  @Field() systemKey!: string;
  @Field({ defaultValue: false, description: "Retire the system's datasets absent from this push (they are kept, not deleted)." }) prune!: boolean;
  @Field(() => [RegisterDatasetInput]) datasets!: RegisterDatasetInput[];
}

@ObjectType({ simpleResolvers: true })
export class DatasetRegistrationResult {
  @Field() key!: string;
  @Field(() => RegistrationStatus) status!: RegistrationStatus;
  @Field(() => Dataset, { nullable: true }) dataset?: unknown;
}

@ObjectType({ simpleResolvers: true })
export class RegisterDatasetsPayload {
  @Field(() => [DatasetRegistrationResult]) results!: DatasetRegistrationResult[];
}

@InputType({ description: 'Identifiers a dataset holds (or no longer holds); stored only as HMAC-SHA256.' })
export class ReportSubjectsInput {
  @Field() systemKey!: string;
  @Field() datasetKey!: string;
  @Field(() => IdentityType) identityType!: IdentityType;
  @Field(() => [String], { description: 'Up to 100,000 identifiers.' }) values!: string[];
  @Field(() => SubjectOp) op!: SubjectOp;
}

@ObjectType({ simpleResolvers: true })
export class ReportSubjectsPayload {
  @Field(() => Int, { description: 'Entries newly added to the index.' }) added!: number;
  @Field(() => Int, { description: 'Entries removed from the index.' }) removed!: number;
}
