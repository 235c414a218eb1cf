import { GraphQLError, TypeInfo, getNamedType, isObjectType, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { Principal } from '../graphql/context.js';
import { Role } from './roles.js';

const { PRIVACY_ADMIN: ADMIN, PRIVACY_ANALYST: ANALYST, AUDITOR, INTEGRATION } = Role;

/** Who reads each entity through root queries. INTEGRATION reads what it needs to tag its datasets. */
const READ: Record<string, Role[]> = {
  Organization: [ADMIN, ANALYST, AUDITOR],
  SubjectCategory: [ADMIN, ANALYST, AUDITOR, INTEGRATION],
  DataCategory: [ADMIN, ANALYST, AUDITOR, INTEGRATION],
  Purpose: [ADMIN, ANALYST, AUDITOR, INTEGRATION],
  LegalBasis: [ADMIN, ANALYST, AUDITOR, INTEGRATION],
  SecurityMeasure: [ADMIN, ANALYST, AUDITOR],
  CountryAssessment: [ADMIN, ANALYST, AUDITOR],
  Processor: [ADMIN, ANALYST, AUDITOR, INTEGRATION],
  ProcessorAudit: [ADMIN, ANALYST, AUDITOR],
  StorageLocation: [ADMIN, ANALYST, AUDITOR, INTEGRATION],
  JointUseArrangement: [ADMIN, ANALYST, AUDITOR],
  ThirdPartyRecipient: [ADMIN, ANALYST, AUDITOR],
  ProvisionRecord: [ADMIN, ANALYST, AUDITOR],
  ForeignTransfer: [ADMIN, ANALYST, AUDITOR],
  ProcessingActivity: [ADMIN, ANALYST, AUDITOR, INTEGRATION],
  System: [ADMIN, ANALYST, AUDITOR, INTEGRATION],
  Dataset: [ADMIN, ANALYST, AUDITOR, INTEGRATION],
  DatasetField: [ADMIN, ANALYST, AUDITOR, INTEGRATION],
};

/**
 * Who writes each entity. Analysts curate the records of processing but not the taxonomy, the
 * processors or the organization; integrations write datasets and fields of their own system
 * (ownership is checked again in the write service); auditors write nothing.
 */
const WRITE: Record<string, Role[]> = {
  Organization: [ADMIN],
  SubjectCategory: [ADMIN],
  DataCategory: [ADMIN],
  Purpose: [ADMIN],
  LegalBasis: [ADMIN],
  SecurityMeasure: [ADMIN],
  CountryAssessment: [ADMIN],
  Processor: [ADMIN],
  ProcessorAudit: [ADMIN],
  StorageLocation: [ADMIN, ANALYST],
  JointUseArrangement: [ADMIN, ANALYST],
  ThirdPartyRecipient: [ADMIN, ANALYST],
  ProvisionRecord: [ADMIN, ANALYST],
  ForeignTransfer: [ADMIN, ANALYST],
  ProcessingActivity: [ADMIN, ANALYST],
  System: [ADMIN, ANALYST],
  Dataset: [ADMIN, ANALYST, INTEGRATION],
  DatasetField: [ADMIN, ANALYST, INTEGRATION],
};

/** Who downloads records of processing (GraphQL and GET /exports/…). */
export const EXPORT_READERS: Role[] = [ADMIN, ANALYST, AUDITOR];

/** Root fields written by hand (the generated ones are derived from READ and WRITE). */
const CUSTOM_ROOT: Record<string, Role[]> = {
  'Query.organization': READ.Organization,
  'Query.refusalGroundCatalogue': READ.Organization,
  'Query.processingActivities': READ.ProcessingActivity,
  'Query.dataFlowGraph': READ.ProcessingActivity,
  'Query.transferMap': READ.ForeignTransfer,
  'Query.processors': READ.Processor,
  'Query.provisionRecordsOfPeriod': READ.ProvisionRecord,
  'Query.systems': READ.System,
  'Query.datasets': READ.Dataset,
  'Query.auditEvents': [ADMIN, AUDITOR],
  'Query.verifyAuditTrail': [ADMIN, AUDITOR],
  'Query.inventoryAsOf': [ADMIN, ANALYST, AUDITOR],
  // Ownership (an integration writes only its own system) is checked again in the services.
  'Mutation.registerDatasets': [ADMIN, INTEGRATION],
  'Mutation.reportSubjects': [ADMIN, INTEGRATION],
  'Query.subjectLookup': [ADMIN, ANALYST],
  'Query.whoami': [ADMIN, ANALYST, AUDITOR, INTEGRATION],
  // Its answer names which codes of every section exist: for those who read them all.
  'Query.manifestProblems': [ADMIN, ANALYST, AUDITOR],
  'Mutation.createDataSubjectRequest': [ADMIN, ANALYST],
  'Mutation.transitionDataSubjectRequest': [ADMIN, ANALYST],
  'Mutation.extendDataSubjectRequest': [ADMIN, ANALYST],
  'Mutation.settleDatasetHolding': [ADMIN, ANALYST],
  'Mutation.settleHoldings': [ADMIN, ANALYST],
  'Mutation.setRequestActionStatus': [ADMIN, ANALYST],
  'Mutation.draftReply': [ADMIN, ANALYST],
  'Mutation.approveReply': [ADMIN],
  'Mutation.markReplySent': [ADMIN, ANALYST],
  'Mutation.revealRequestContact': [ADMIN, ANALYST],
  'Query.dataSubjectRequestSla': [ADMIN, ANALYST, AUDITOR],
  'Query.dataSubjectRequest': [ADMIN, ANALYST, AUDITOR],
  'Query.dataSubjectRequests': [ADMIN, ANALYST, AUDITOR],
  'Query.disclosureReport': [ADMIN, ANALYST],
  'Query.processorAudit': [ADMIN, AUDITOR],
  'Query.processorAudits': [ADMIN, AUDITOR],
  'Query.upcomingAudits': [ADMIN, AUDITOR],
  'Mutation.recordAudit': [ADMIN],
  'Query.ropaExport': EXPORT_READERS,
  'Query.provisionRecordsExport': EXPORT_READERS,
  'Query.foreignTransferStatement': EXPORT_READERS,
  'Query.publicNotice': EXPORT_READERS,
  'Query.publicNoticeDiff': EXPORT_READERS,
  // Built from the audit trail: for those who read it.
  'Query.noticeChangeChecklist': [ADMIN, AUDITOR],
  'Query.countryReferences': READ.CountryAssessment,
};

/**
 * Fields an INTEGRATION token may not select anywhere in a query: they lead to other systems'
 * datasets, to processors' contracts and audits, or to the organization's records.
 */
const INTEGRATION_DENIED_FIELDS = new Set([
  'Processor.contract', 'Processor.nextAuditDue', 'Processor.audits', 'Processor.datasets', 'Processor.foreignTransfers',
  'DataCategory.fields', 'DataCategory.jointUses', 'DataCategory.foreignTransfers',
  'ProcessingActivity.datasets', 'ProcessingActivity.recipients', 'ProcessingActivity.foreignTransfers', 'ProcessingActivity.jointUses', 'ProcessingActivity.completeness',
  'StorageLocation.datasets', 'StorageLocation.assessment', 'CountryAssessment.foreignTransfers', 'Purpose.jointUses', 'SubjectCategory.jointUses', 'LegalBasis.activities',
]);

const lists: Record<string, string> = {
  SubjectCategory: 'subjectCategories', DataCategory: 'dataCategories', Purpose: 'purposes', LegalBasis: 'legalBases',
  SecurityMeasure: 'securityMeasures', JointUseArrangement: 'jointUseArrangements', ThirdPartyRecipient: 'thirdPartyRecipients',
  ProvisionRecord: 'provisionRecords', ForeignTransfer: 'foreignTransfers', StorageLocation: 'storageLocations',
  CountryAssessment: 'countryAssessments',
};

/** The policy of every root field, from the entity tables; a root field missing here is denied. */
export function rootPolicy(entities: Array<{ entityName: string; graphqlName: string }>): Map<string, Role[]> {
  const policy = new Map<string, Role[]>(Object.entries(CUSTOM_ROOT));
  for (const { entityName, graphqlName } of entities) {
    const read = READ[entityName];
    const write = WRITE[entityName];
    if (!read || !write) continue; // no decision: denied
    const lower = graphqlName[0].toLowerCase() + graphqlName.slice(1);
    if (entityName !== 'Organization') policy.set(`Query.${lower}`, read);
    if (lists[entityName]) policy.set(`Query.${lists[entityName]}`, read);
    for (const verb of ['create', 'update', 'archive']) policy.set(`Mutation.${verb}${graphqlName}`, write);
  }
  return policy;
}

/** Entities whose GraphQL type has another name. */
const GRAPHQL_NAMES: Record<string, string> = { DatasetField: 'Field', ProcessorAudit: 'ProcessorAuditRecord' };

/** Readers of each GraphQL object type that is an entity: a nested field leading to it needs the same role. */
const TYPE_READERS = new Map<string, Role[]>([
  ...Object.entries(READ).map(([entity, roles]) => [GRAPHQL_NAMES[entity] ?? entity, roles] as [string, Role[]]),
  ['AuditEvent', [ADMIN, AUDITOR]],
  ['DataSubjectRequest', [ADMIN, ANALYST, AUDITOR]],
  ['RequestEvent', [ADMIN, ANALYST, AUDITOR]],
  ['ProcessorAudit', [ADMIN, AUDITOR]],
]);

/** Fields a role may not select even where it reads the type: the reply contact and the agent's details are for the privacy team only. */
const ROLE_DENIED_FIELDS: Record<string, Role[]> = {
  'DataSubjectRequest.contact': [AUDITOR, INTEGRATION],
  'DataSubjectRequest.agentName': [AUDITOR, INTEGRATION],
};

export const forbidden = (message: string) => new GraphQLError(message, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });

export interface Denial {
  field: string;
  reason: string;
}

// Decisions already made, per policy and parsed document: Apollo hands the same document object for
// the same operation text, and a decision depends on nothing else but the operation and the roles.
const decided = new WeakMap<Map<string, Role[]>, WeakMap<DocumentNode, Map<string, Denial | null>>>();

/**
 * Decides a whole operation before it runs, once: every root field needs a policy that admits one
 * of the caller's roles, and an INTEGRATION-only caller may not select the fields that lead to
 * other systems' data. No per-field middleware on the hot path, and no second walk of a document
 * already decided for the same roles.
 */
export function checkOperation(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, principal: Principal, policy: Map<string, Role[]>): Denial | null {
  let byDocument = decided.get(policy);
  if (!byDocument) decided.set(policy, (byDocument = new WeakMap()));
  let byCaller = byDocument.get(document);
  if (!byCaller) byDocument.set(document, (byCaller = new Map()));
  const key = `${operationName ?? ''}\n${[...principal.roles].sort().join(',')}`;
  const known = byCaller.get(key);
  if (known !== undefined) return known;
  const denial = decide(schema, document, operationName, principal.roles, policy);
  byCaller.set(key, denial);
  return denial;
}

function decide(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, roles: readonly Role[], policy: Map<string, Role[]>): Denial | null {
  const integrationOnly = roles.length > 0 && roles.every((r) => r === INTEGRATION);
  const typeInfo = new TypeInfo(schema);
  let denial: Denial | null = null;
  let inOperation = false;
  visit(document, visitWithTypeInfo(typeInfo, {
    OperationDefinition: {
      enter(node) {
        inOperation = !operationName || node.name?.value === operationName;
        return inOperation ? undefined : false;
      },
    },
    // Fragments are checked whether used or not: a denied field hidden in one is found.
    FragmentDefinition: { enter: () => void (inOperation = true) },
    Field(node) {
      if (denial || !inOperation) return;
      const parent = typeInfo.getParentType();
      if (!parent) return;
      const name = node.name.value;
      if (name.startsWith('__')) return;
      const key = `${parent.name}.${name}`;
      if (parent === schema.getQueryType() || parent === schema.getMutationType()) {
        const allowed = policy.get(key);
        if (!allowed) denial = { field: key, reason: 'no authorization decision for this field' };
        else if (!roles.some((r) => allowed.includes(r))) denial = { field: key, reason: `needs one of ${allowed.join(', ')}` };
      } else if (ROLE_DENIED_FIELDS[key] && roles.every((r) => ROLE_DENIED_FIELDS[key].includes(r))) {
        denial = { field: key, reason: 'not visible to this role' };
      } else if (integrationOnly) {
        const named = getNamedType(typeInfo.getType());
        const readers = named && isObjectType(named) ? TYPE_READERS.get(named.name) : undefined;
        if (INTEGRATION_DENIED_FIELDS.has(key) || (readers && !readers.includes(INTEGRATION))) {
          denial = { field: key, reason: 'not visible to integrations' };
        }
      }
    },
  }));
  return denial;
}
