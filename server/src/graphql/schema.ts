import type { MetadataStorage } from '@mikro-orm/core';
import { assertValidSchema, lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import './enums.js';
import { DateTimeISO } from './scalars.js';
import { buildWriteSpecs, crudResolvers, WriteService, type WriteSpec } from './crud.js';
import { relationResolvers } from './relations.js';
import { readResolvers } from './read-resolvers.js';
import { ownershipRules, writeRules } from './write-rules.js';
import { ProcessingActivityQueries } from '../inventory/processing-activity.resolver.js';
import { DataFlowGraphQueries } from '../inventory/data-flow-graph.resolver.js';
import { TransferMapQueries } from '../locations/transfer-map.js';
import { ProcessorResolver } from '../parties/processor.resolver.js';
import { ProvisionRecordQueries } from '../parties/provision-record.resolver.js';
import { SystemQueries } from '../systems/system.resolver.js';
import { CountryAssessmentFields, CountryReferenceQueries, ForeignTransferFields, StorageLocationFields } from '../locations/location.resolver.js';
import { OrganizationResolver } from '../organization/organization.resolver.js';
import { AuditQueries } from '../audit/audit.resolver.js';
import { InventoryAsOfQueries } from '../audit/as-of.resolver.js';
import { WhoamiResolver } from '../auth/whoami.resolver.js';
import { DataSubjectRequestResolver } from '../requests/request.resolver.js';
import { FindingResolver, ProcessorAuditResolver } from '../compliance/processor-audit.resolver.js';
import { RopaResolver } from '../compliance/ropa.resolver.js';
import { CompletenessResolver, MissingItemResolver } from '../compliance/completeness.js';
import { NoticeResolver } from '../compliance/notice.resolver.js';
import { NoticeChecklistQueries } from '../compliance/notice-checklist.js';
import { DatasetDriftResolver, DatasetRegistrationResultResolver, RegistrationResolver } from '../systems/registration.resolver.js';
import { ManifestResolver } from '../manifest/manifest.resolver.js';

export interface BuiltSchema {
  schema: GraphQLSchema;
  specs: Map<string, WriteSpec>;
  writes: WriteService;
}

let built: BuiltSchema | undefined;

/**
 * Builds the GraphQL schema from the entity model; memoized because type-graphql keeps its
 * metadata globally and the generated input classes must be created once.
 */
export async function buildKirokuSchema(metadata: MetadataStorage): Promise<BuiltSchema> {
  if (built) return built;
  const specs = buildWriteSpecs(metadata);
  const writes = new WriteService(specs, writeRules, ownershipRules);
  const schema = await buildSchema({
    resolvers: [
      OrganizationResolver,
      AuditQueries,
      InventoryAsOfQueries,
      WhoamiResolver,
      DataSubjectRequestResolver,
      ProcessorAuditResolver,
      FindingResolver,
      RopaResolver,
      CompletenessResolver,
      MissingItemResolver,
      NoticeResolver,
      NoticeChecklistQueries,
      RegistrationResolver,
      DatasetDriftResolver,
      DatasetRegistrationResultResolver,
      ManifestResolver,
      ProcessingActivityQueries,
      DataFlowGraphQueries,
      TransferMapQueries,
      ProcessorResolver,
      ProvisionRecordQueries,
      SystemQueries,
      StorageLocationFields,
      ForeignTransferFields,
      CountryAssessmentFields,
      CountryReferenceQueries,
      ...readResolvers(specs),
      ...relationResolvers(metadata),
      ...crudResolvers(specs, () => writes),
    ] as unknown as [Function, ...Function[]],
    validate: { forbidUnknownValues: false, stopAtFirstError: false },
    scalarsMap: [{ type: Date, scalar: DateTimeISO }],
    emitSchemaFile: false,
    // type-graphql's check runs graphql-js's whole introspection query over the schema: 60 ms of each
    // start. graphql-js's own validation finds the same faults, once; the committed SDL's test prints
    // every default value.
    skipCheck: true,
  });
  assertValidSchema(schema);
  built = { schema, specs, writes };
  return built;
}

/** The committed `schema/schema.graphql`: sorted, so that it only changes when the API does. */
export function printKirokuSchema(schema: GraphQLSchema): string {
  return printSchema(lexicographicSortSchema(schema)) + '\n';
}
