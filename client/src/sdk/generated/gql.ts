/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query Whoami {\n  whoami {\n    sub\n    roles\n    system\n  }\n}\n\nmutation RegisterDatasets($push: RegisterDatasetsPush!) {\n  registerDatasets(push: $push) {\n    results {\n      key\n      status\n      changes\n    }\n  }\n}\n\nmutation RegisterDatasetsTyped($input: RegisterDatasetsInput!) {\n  registerDatasets(input: $input) {\n    results {\n      key\n      status\n      changes\n    }\n  }\n}\n\nmutation ReportSubjects($input: ReportSubjectsInput!) {\n  reportSubjects(input: $input) {\n    added\n    removed\n    warnings\n  }\n}\n\nquery SubjectLookup($identityType: IdentityType!, $value: String!) {\n  subjectLookup(identityType: $identityType, value: $value) {\n    id\n    key\n    name\n    system {\n      key\n    }\n  }\n}\n\nquery SystemDatasets($first: Int, $after: String) {\n  datasets(first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        key\n        name\n        status\n        lastRegisteredAt\n        registeredBy\n        system {\n          key\n        }\n        undeclaredDataCategories {\n          code\n        }\n      }\n    }\n  }\n}\n\nquery ManifestProblems($manifest: String!) {\n  manifestProblems(manifest: $manifest) {\n    path\n    message\n  }\n}": typeof types.WhoamiDocument,
};
const documents: Documents = {
    "query Whoami {\n  whoami {\n    sub\n    roles\n    system\n  }\n}\n\nmutation RegisterDatasets($push: RegisterDatasetsPush!) {\n  registerDatasets(push: $push) {\n    results {\n      key\n      status\n      changes\n    }\n  }\n}\n\nmutation RegisterDatasetsTyped($input: RegisterDatasetsInput!) {\n  registerDatasets(input: $input) {\n    results {\n      key\n      status\n      changes\n    }\n  }\n}\n\nmutation ReportSubjects($input: ReportSubjectsInput!) {\n  reportSubjects(input: $input) {\n    added\n    removed\n    warnings\n  }\n}\n\nquery SubjectLookup($identityType: IdentityType!, $value: String!) {\n  subjectLookup(identityType: $identityType, value: $value) {\n    id\n    key\n    name\n    system {\n      key\n    }\n  }\n}\n\nquery SystemDatasets($first: Int, $after: String) {\n  datasets(first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        key\n        name\n        status\n        lastRegisteredAt\n        registeredBy\n        system {\n          key\n        }\n        undeclaredDataCategories {\n          code\n        }\n      }\n    }\n  }\n}\n\nquery ManifestProblems($manifest: String!) {\n  manifestProblems(manifest: $manifest) {\n    path\n    message\n  }\n}": types.WhoamiDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Whoami {\n  whoami {\n    sub\n    roles\n    system\n  }\n}\n\nmutation RegisterDatasets($push: RegisterDatasetsPush!) {\n  registerDatasets(push: $push) {\n    results {\n      key\n      status\n      changes\n    }\n  }\n}\n\nmutation RegisterDatasetsTyped($input: RegisterDatasetsInput!) {\n  registerDatasets(input: $input) {\n    results {\n      key\n      status\n      changes\n    }\n  }\n}\n\nmutation ReportSubjects($input: ReportSubjectsInput!) {\n  reportSubjects(input: $input) {\n    added\n    removed\n    warnings\n  }\n}\n\nquery SubjectLookup($identityType: IdentityType!, $value: String!) {\n  subjectLookup(identityType: $identityType, value: $value) {\n    id\n    key\n    name\n    system {\n      key\n    }\n  }\n}\n\nquery SystemDatasets($first: Int, $after: String) {\n  datasets(first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        key\n        name\n        status\n        lastRegisteredAt\n        registeredBy\n        system {\n          key\n        }\n        undeclaredDataCategories {\n          code\n        }\n      }\n    }\n  }\n}\n\nquery ManifestProblems($manifest: String!) {\n  manifestProblems(manifest: $manifest) {\n    path\n    message\n  }\n}"): (typeof documents)["query Whoami {\n  whoami {\n    sub\n    roles\n    system\n  }\n}\n\nmutation RegisterDatasets($push: RegisterDatasetsPush!) {\n  registerDatasets(push: $push) {\n    results {\n      key\n      status\n      changes\n    }\n  }\n}\n\nmutation RegisterDatasetsTyped($input: RegisterDatasetsInput!) {\n  registerDatasets(input: $input) {\n    results {\n      key\n      status\n      changes\n    }\n  }\n}\n\nmutation ReportSubjects($input: ReportSubjectsInput!) {\n  reportSubjects(input: $input) {\n    added\n    removed\n    warnings\n  }\n}\n\nquery SubjectLookup($identityType: IdentityType!, $value: String!) {\n  subjectLookup(identityType: $identityType, value: $value) {\n    id\n    key\n    name\n    system {\n      key\n    }\n  }\n}\n\nquery SystemDatasets($first: Int, $after: String) {\n  datasets(first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        key\n        name\n        status\n        lastRegisteredAt\n        registeredBy\n        system {\n          key\n        }\n        undeclaredDataCategories {\n          code\n        }\n      }\n    }\n  }\n}\n\nquery ManifestProblems($manifest: String!) {\n  manifestProblems(manifest: $manifest) {\n    path\n    message\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;