/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Where a dataset is stored: a known storage-location code, or a country (ISO 3166-1 alpha-2) and region. */
export type DatasetLocationInput = {
  code?: string | null | undefined;
  country?: string | null | undefined;
  region?: string | null | undefined;
};

/** A retired dataset keeps its history. */
export type DatasetStatus =
  | 'ACTIVE'
  | 'RETIRED';

/** The kind of identifier an item is, when it identifies a person. */
export type IdentityType =
  | 'AD_ID'
  | 'COOKIE_ID'
  | 'CUSTOMER_ID'
  | 'DEVICE_ID'
  | 'EMAIL'
  | 'EMPLOYEE_ID'
  | 'IP_ADDRESS'
  | 'NAME'
  | 'OTHER'
  | 'PHONE'
  | 'POSTAL_ADDRESS';

/** A text in Japanese and English. */
export type LocalizedTextInput = {
  /** English. */
  en?: string | null | undefined;
  /** Japanese (verbatim where the source is Japanese). */
  ja?: string | null | undefined;
};

export type RegisterDatasetInput = {
  /** Codes of the processing activities the dataset serves. */
  activityCodes?: Array<string> | null | undefined;
  description?: string | null | undefined;
  fields?: Array<RegisterFieldInput> | null | undefined;
  /** Stable key within the system. */
  key: string;
  location?: DatasetLocationInput | null | undefined;
  name: string;
  /** Code of the hosting processor. */
  processorCode?: string | null | undefined;
  /** What a reply to the person calls the data held here (subject-facing; without it the names of its data categories are used). */
  publicDescription?: LocalizedTextInput | null | undefined;
};

/** A system's datasets as they are now; upserted by key in one transaction. */
export type RegisterDatasetsInput = {
  datasets: Array<RegisterDatasetInput>;
  /** Answer what the push would do (and every problem it would meet) without writing anything. */
  dryRun?: boolean;
  /** Retire the system's datasets absent from this push (they are kept, not deleted). */
  prune?: boolean;
  systemKey: string;
};

export type RegisterFieldInput = {
  /** Data-category codes. */
  dataCategoryCodes?: Array<string> | null | undefined;
  description?: string | null | undefined;
  identityType?: IdentityType | null | undefined;
  path: string;
};

/** What a push did to a dataset. */
export type RegistrationStatus =
  | 'CREATED'
  | 'RETIRED'
  | 'UNCHANGED'
  | 'UPDATED';

/** Identifiers a dataset holds (or no longer holds); stored only as HMAC-SHA256. */
export type ReportSubjectsInput = {
  datasetKey: string;
  /** Check the values (every invalid one reported by index) and the dataset, and write nothing. */
  dryRun?: boolean;
  identityType: IdentityType;
  op: SubjectOp;
  systemKey: string;
  /** Up to 100,000 identifiers. */
  values: Array<string>;
};

/** What a token may do: PRIVACY_ADMIN everything; PRIVACY_ANALYST reads and curates; AUDITOR reads everything, changes nothing; INTEGRATION writes its own system only. */
export type Role =
  | 'AUDITOR'
  | 'INTEGRATION'
  | 'PRIVACY_ADMIN'
  | 'PRIVACY_ANALYST';

/** Add identifiers to or remove them from the subject index. */
export type SubjectOp =
  | 'ADD'
  | 'REMOVE';

export type WhoamiQueryVariables = Exact<{ [key: string]: never; }>;


export type WhoamiQuery = { whoami: { sub: string, roles: Array<Role>, system: string | null } };

export type RegisterDatasetsMutationVariables = Exact<{
  push: RegisterDatasetsInput;
}>;


export type RegisterDatasetsMutation = { registerDatasets: { results: Array<{ key: string, status: RegistrationStatus, changes: Array<string> }> } };

export type RegisterDatasetsTypedMutationVariables = Exact<{
  input: RegisterDatasetsInput;
}>;


export type RegisterDatasetsTypedMutation = { registerDatasets: { results: Array<{ key: string, status: RegistrationStatus, changes: Array<string> }> } };

export type ReportSubjectsMutationVariables = Exact<{
  input: ReportSubjectsInput;
}>;


export type ReportSubjectsMutation = { reportSubjects: { added: number, removed: number, warnings: Array<string> } };

export type SubjectLookupQueryVariables = Exact<{
  identityType: IdentityType;
  value: string;
}>;


export type SubjectLookupQuery = { subjectLookup: Array<{ id: string, key: string, name: string, system: { key: string } }> };

export type SystemDatasetsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type SystemDatasetsQuery = { datasets: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { key: string, name: string, status: DatasetStatus, lastRegisteredAt: string | null, registeredBy: string | null, system: { key: string }, undeclaredDataCategories: Array<{ code: string }> } }> } };

export type ManifestProblemsQueryVariables = Exact<{
  manifest: string;
}>;


export type ManifestProblemsQuery = { manifestProblems: Array<{ path: string, message: string }> };


export const WhoamiDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Whoami"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"whoami"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sub"}},{"kind":"Field","name":{"kind":"Name","value":"roles"}},{"kind":"Field","name":{"kind":"Name","value":"system"}}]}}]}}]} as unknown as DocumentNode<WhoamiQuery, WhoamiQueryVariables>;
export const RegisterDatasetsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RegisterDatasets"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"push"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RegisterDatasetsPush"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"registerDatasets"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"push"},"value":{"kind":"Variable","name":{"kind":"Name","value":"push"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"results"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"changes"}}]}}]}}]}}]} as unknown as DocumentNode<RegisterDatasetsMutation, RegisterDatasetsMutationVariables>;
export const RegisterDatasetsTypedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RegisterDatasetsTyped"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RegisterDatasetsInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"registerDatasets"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"results"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"changes"}}]}}]}}]}}]} as unknown as DocumentNode<RegisterDatasetsTypedMutation, RegisterDatasetsTypedMutationVariables>;
export const ReportSubjectsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ReportSubjects"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ReportSubjectsInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reportSubjects"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"added"}},{"kind":"Field","name":{"kind":"Name","value":"removed"}},{"kind":"Field","name":{"kind":"Name","value":"warnings"}}]}}]}}]} as unknown as DocumentNode<ReportSubjectsMutation, ReportSubjectsMutationVariables>;
export const SubjectLookupDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SubjectLookup"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"identityType"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"IdentityType"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"value"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"subjectLookup"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"identityType"},"value":{"kind":"Variable","name":{"kind":"Name","value":"identityType"}}},{"kind":"Argument","name":{"kind":"Name","value":"value"},"value":{"kind":"Variable","name":{"kind":"Name","value":"value"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"system"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}}]}}]}}]}}]} as unknown as DocumentNode<SubjectLookupQuery, SubjectLookupQueryVariables>;
export const SystemDatasetsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SystemDatasets"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"datasets"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"lastRegisteredAt"}},{"kind":"Field","name":{"kind":"Name","value":"registeredBy"}},{"kind":"Field","name":{"kind":"Name","value":"system"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}}]}},{"kind":"Field","name":{"kind":"Name","value":"undeclaredDataCategories"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<SystemDatasetsQuery, SystemDatasetsQueryVariables>;
export const ManifestProblemsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ManifestProblems"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"manifest"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"manifestProblems"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"manifest"},"value":{"kind":"Variable","name":{"kind":"Name","value":"manifest"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]} as unknown as DocumentNode<ManifestProblemsQuery, ManifestProblemsQueryVariables>;