export { KirokuClient, KirokuError, type KirokuClientOptions, type KirokuGraphQLError } from './sdk/client.js';
export * from './sdk/generated/graphql.js';
export { readManifest, type ManifestIssue, type ParsedManifest } from './manifest.js';
