export { KirokuClient, KirokuError } from './sdk/client.js';
export * from './sdk/generated/graphql.js';
export { readManifest } from './manifest.js';
//# sourceMappingURL=index.js.map