import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parse } from 'graphql';
import { Role } from '../src/auth/roles.js';
import { checkOperation, rootPolicy } from '../src/auth/policy.js';
import { doc, settlePossible, startTestServer, token, type TestServer } from './helpers.js';

/**
 * Every role against every mutation, over HTTP with real tokens. The expectation is written from
 * the roles' definitions, not read from the policy table, so a policy slip fails here.
 */
const TAXONOMY = ['SubjectCategory', 'DataCategory', 'Purpose', 'LegalBasis', 'SecurityMeasure', 'CountryAssessment'];
const PROCESSORS = ['Processor', 'ProcessorAuditRecord'];
/** Integrations register datasets and report subjects for their own system; admins for any. */
const REGISTRATION = ['registerDatasets', 'reportSubjects'];
function expectedAllowed(role: Role, mutation: string): boolean {
  if (REGISTRATION.includes(mutation)) return role === Role.PRIVACY_ADMIN || role === Role.INTEGRATION;
  // Four eyes: a reply is approved by a privacy admin only.
  if (mutation === 'approveReply') return role === Role.PRIVACY_ADMIN;
  // Recording a processor's audit is a processor edit.
  const type = mutation === 'recordAudit' ? 'Processor' : mutation.replace(/^(create|update|archive)/, '');
  switch (role) {
    case Role.PRIVACY_ADMIN:
      return true;
    case Role.AUDITOR:
      return false;
    case Role.PRIVACY_ANALYST:
      return !TAXONOMY.includes(type) && !PROCESSORS.includes(type) && type !== 'Organization';
    case Role.INTEGRATION:
      return type === 'Dataset' || type === 'Field';
  }
}

let s: TestServer;
let drafter: string;
const tokens = new Map<Role, string>();
let mutations: Array<{ name: string; inputType: string }> = [];
const seed = { systemId: '', processorId: '', recipientId: '' };
before(async () => {
  s = await startTestServer({
    docs: [doc({
      processors: [{ code: 'p0', name: { en: 'Processor' }, country: 'JP' }],
      thirdPartyRecipients: [{ code: 'r0', name: { en: 'Recipient' } }],
      // An activity the dataset serves, so that requests resolve to it (settling, work list, replies).
      processingActivities: [{ code: 'pa0', name: { en: 'Customer care' } }],
      systems: [{ key: 'crm', name: 'CRM', datasets: [{ key: 'ds0', name: 'Contacts', activities: ['pa0'], fields: [{ path: 'email', identityType: 'EMAIL' }] }] }],
    })],
  });
  drafter = await token(Role.PRIVACY_ADMIN, { sub: 'reply-drafter' });
  for (const role of Object.values(Role)) tokens.set(role, await token(role, { system: 'crm', sub: `table-${role}` }));
  const intro = await s.gql('{ __schema { mutationType { fields { name args { name type { name ofType { name } } } } } } }');
  // Every mutation takes `input` (registerDatasets takes it or `push`, so there it may be null).
  mutations = intro.data.__schema.mutationType.fields.map((f: any) => {
    const input = f.args.find((a: any) => a.name === 'input');
    return { name: f.name, inputType: input.type.ofType?.name ?? input.type.name };
  });
  const ids = await s.gql('{ systems { edges { node { id key } } } processors { edges { node { id } } } thirdPartyRecipients { id } }');
  assert.equal(ids.errors, undefined, JSON.stringify(ids.errors));
  seed.systemId = ids.data.systems.edges.find((e: any) => e.node.key === 'crm').node.id;
  seed.processorId = ids.data.processors.edges[0].node.id;
  seed.recipientId = ids.data.thirdPartyRecipients[0].id;
});
after(() => s?.close());

const en = (text: string) => ({ en: text });
const today = new Date().toISOString().slice(0, 10);
let serial = 0;
/** One assessment per country: each call takes the next. */
const COUNTRIES = ['FR', 'DE', 'IT', 'ES', 'NL', 'SE', 'FI', 'DK', 'PL', 'PT', 'AT', 'BE', 'IE', 'CZ', 'GR', 'HU', 'NO', 'CH'];
let countries = 0;
/** A valid create input of each type, unique on every call, with what it refers to already there. */
const CREATE: Record<string, () => Promise<Record<string, unknown>>> = {
  CountryAssessment: async () => ({ country: COUNTRIES[countries++] }),
  DataCategory: async () => ({ code: `dc-${serial++}`, name: en('Category') }),
  Dataset: async () => ({ key: `ds-${serial++}`, name: 'Dataset', systemId: seed.systemId }),
  Field: async () => ({ path: `f${serial++}`, datasetId: (await create('Dataset')).id }),
  ForeignTransfer: async () => ({ code: `ft-${serial++}`, basis: 'STATUTORY_EXCEPTION', country: 'US', recipientKind: 'THIRD_PARTY', recipientName: en('Recipient') }),
  JointUseArrangement: async () => ({ code: `ju-${serial++}`, name: en('Joint use'), itemsText: en('Names'), scope: en('Group companies'), responsibleManager: { name: en('Manager') } }),
  LegalBasis: async () => ({ code: `lb-${serial++}`, framework: 'GDPR', article: 'Art. 6(1)(b)', title: en('Contract') }),
  Organization: async () => ({ code: `org-${serial++}`, name: en('Organization') }),
  ProcessingActivity: async () => ({ code: `pa-${serial++}`, name: en('Activity') }),
  Processor: async () => ({ code: `pr-${serial++}`, name: en('Processor') }),
  ProcessorAuditRecord: async () => ({ code: `au-${serial++}`, processorId: seed.processorId, auditedAt: today, method: 'REMOTE', result: 'SATISFACTORY' }),
  ProvisionRecord: async () => ({ code: `pv-${serial++}`, recipientId: seed.recipientId, items: en('Names'), providedAt: today }),
  Purpose: async () => ({ code: `pu-${serial++}`, text: en('Purpose') }),
  SecurityMeasure: async () => ({ code: `sm-${serial++}`, category: 'TECHNICAL', title: en('Encryption'), description: en('At rest') }),
  StorageLocation: async () => ({ code: `sl-${serial++}`, name: en('Tokyo'), country: 'JP' }),
  SubjectCategory: async () => ({ code: `sc-${serial++}`, name: en('Customers') }),
  System: async () => ({ key: `sys-${serial++}`, name: 'System' }),
  ThirdPartyRecipient: async () => ({ code: `tp-${serial++}`, name: en('Recipient') }),
};
const lowerFirst = (x: string) => x[0].toLowerCase() + x.slice(1);

/** Creates a record as the admin, for a role's update or archive to work on. */
async function create(type: string): Promise<{ id: string; version: number }> {
  const r = await s.gql(`mutation M($input: Create${type}Input!) { create${type}(input: $input) { ${lowerFirst(type)} { id version } } }`, { input: await CREATE[type]() });
  assert.equal(r.errors, undefined, `fixture ${type}: ${JSON.stringify(r.errors)}`);
  return r.data[`create${type}`][lowerFirst(type)];
}

const REQUEST = { framework: 'GDPR', type: 'ACCESS', channel: 'WEB', requester: { kind: 'SELF' }, responseMethod: 'ELECTRONIC', identities: [{ type: 'EMAIL', value: 'person@example.com' }] };
async function newRequest(): Promise<string> {
  const r = await s.gql('mutation M($input: CreateDataSubjectRequestInput!) { createDataSubjectRequest(input: $input) { request { id } } }', { input: REQUEST });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return r.data.createDataSubjectRequest.request.id;
}

/** A completed request with a reply drafted by another admin (and approved by a third when asked). */
async function decidedWithDraft(approved: boolean): Promise<string> {
  const id = await newRequest();
  const T = 'mutation T($input: TransitionDataSubjectRequestInput!) { transitionDataSubjectRequest(input: $input) { request { id } } }';
  assert.equal((await s.gql(T, { input: { id, to: 'VERIFYING' } })).errors, undefined);
  assert.equal((await s.gql(T, { input: { id, to: 'IN_PROGRESS', verificationMethod: 'email' } })).errors, undefined);
  const w = await s.gql('query W($id: ID!) { dataSubjectRequest(id: $id) { resolution { actions { key } } } }', { id });
  const keys = w.data.dataSubjectRequest.resolution.actions.map((a: any) => a.key);
  await settlePossible(s, id, 'HELD');
  if (keys.length) assert.equal((await s.gql('mutation A($input: SetRequestActionStatusInput!) { setRequestActionStatus(input: $input) { request { id } } }', { input: { requestId: id, actionKeys: keys, status: 'DONE' } })).errors, undefined);
  assert.equal((await s.gql(T, { input: { id, to: 'COMPLETED', note: 'searched the paper files and the systems without datasets by name and e-mail: no record' } })).errors, undefined);
  assert.equal((await s.gql('mutation D($input: DraftReplyInput!) { draftReply(input: $input) { request { id } } }', { input: { requestId: id, language: 'EN' } }, { token: drafter })).errors, undefined);
  if (approved) assert.equal((await s.gql('mutation A($input: ApproveReplyInput!) { approveReply(input: $input) { request { id } } }', { input: { requestId: id } })).errors, undefined);
  return id;
}

/** A valid input for the mutation: an allowed caller gets a result, not an error of any kind. */
async function validInput(mutation: string): Promise<Record<string, unknown>> {
  switch (mutation) {
    case 'createDataSubjectRequest': return REQUEST;
    case 'extendDataSubjectRequest': return { id: await newRequest(), months: 1, reason: 'several systems to search' };
    case 'transitionDataSubjectRequest': return { id: await newRequest(), to: 'VERIFYING' };
    case 'setRequestActionStatus': {
      const id = await newRequest();
      await settlePossible(s, id, 'HELD');
      const w = await s.gql('query W($id: ID!) { dataSubjectRequest(id: $id) { resolution { actions { key awaitsSettlement } } } }', { id });
      const keys = w.data.dataSubjectRequest.resolution.actions.filter((a: any) => !a.awaitsSettlement).map((a: any) => a.key);
      assert.ok(keys.length, 'the fixture request has actions, settled');
      return { requestId: id, actionKeys: keys.slice(0, 1), status: 'DONE' };
    }
    case 'settleDatasetHolding': {
      const id = await newRequest();
      const w = await s.gql('query W($id: ID!) { dataSubjectRequest(id: $id) { resolution { datasets { dataset { id } match } } } }', { id });
      const possible = w.data.dataSubjectRequest.resolution.datasets.find((d: any) => d.match === 'POSSIBLE');
      assert.ok(possible, 'the fixture request has a POSSIBLE dataset');
      return { requestId: id, datasetId: possible.dataset.id, holding: 'HELD' };
    }
    case 'settleHoldings': {
      const id = await newRequest();
      const w = await s.gql('query W($id: ID!) { dataSubjectRequest(id: $id) { resolution { datasets { dataset { id } match } } } }', { id });
      const possible = w.data.dataSubjectRequest.resolution.datasets.filter((d: any) => d.match === 'POSSIBLE').map((d: any) => d.dataset.id);
      assert.ok(possible.length, 'the fixture request has a POSSIBLE dataset');
      return { requestId: id, datasetIds: possible, holding: 'NOT_HELD', note: 'searched by e-mail' };
    }
    case 'draftReply': return { requestId: await newRequest(), language: 'EN' };
    // Reading a request's contact is the privacy team's; AUDITOR reads requests but not this.
    case 'revealRequestContact': return { requestId: await newRequest() };
    // Approving and sending need a decided request with a draft by someone else: a fresh one per call.
    case 'approveReply': return { requestId: await decidedWithDraft(false) };
    case 'markReplySent': return { requestId: await decidedWithDraft(true), method: 'ELECTRONIC' };
    case 'recordAudit': return { processorCode: 'p0', auditedAt: today, method: 'REMOTE', result: 'SATISFACTORY' };
    case 'registerDatasets': return { systemKey: 'crm', prune: false, datasets: [{ key: 'ds0', name: 'Contacts', fields: [{ path: 'email', identityType: 'EMAIL' }] }] };
    case 'reportSubjects': return { systemKey: 'crm', datasetKey: 'ds0', identityType: 'EMAIL', values: ['person@example.com'], op: 'ADD' };
  }
  const [, verb, type] = /^(create|update|archive)(.+)$/.exec(mutation)!;
  if (verb === 'create') return CREATE[type]();
  return create(type);
}

test('every role × every mutation with a valid input: allowed roles get a result, the others FORBIDDEN', async () => {
  assert.ok(mutations.length >= 50, `${mutations.length} mutations`);
  const wrong: string[] = [];
  let succeeded = 0;
  for (const m of mutations) {
    for (const role of Object.values(Role)) {
      const r = await s.gql(`mutation M($input: ${m.inputType}!) { ${m.name}(input: $input) { __typename } }`, { input: await validInput(m.name) }, { token: tokens.get(role) });
      const allowed = expectedAllowed(role, m.name);
      if (allowed && (r.errors || !r.data?.[m.name])) wrong.push(`${role} ${m.name}: expected a result, got ${JSON.stringify(r.errors?.[0])}`);
      else if (!allowed && r.errors?.[0]?.extensions.code !== 'FORBIDDEN') wrong.push(`${role} ${m.name}: expected FORBIDDEN, got ${JSON.stringify(r.errors?.[0] ?? r.data)}`);
      if (allowed && !r.errors) succeeded++;
    }
  }
  assert.deepEqual(wrong, []);
  assert.ok(succeeded >= mutations.length, `${succeeded} allowed calls reached their resolver`);
});

test('denied attempts are recorded in the audit trail', async () => {
  await s.gql('mutation M($input: CreateProcessorInput!) { createProcessor(input: $input) { __typename } }', { input: {} }, { token: tokens.get(Role.AUDITOR) });
  const r = await s.gql('{ auditEvents(first: 5, filter: { actor: "table-AUDITOR", outcome: DENIED }) { edges { node { operation outcome reason actorRoles } } } }');
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  const ops = r.data.auditEvents.edges.map((e: any) => e.node.operation);
  assert.ok(ops.includes('Mutation.createProcessor'), JSON.stringify(ops));
});

test('deny by default: every root field of the schema has an authorization decision', async () => {
  const intro = await s.gql('{ __schema { queryType { fields { name } } mutationType { fields { name } } } }');
  const { specs } = await import('../src/graphql/schema.js').then((m) => m.buildKirokuSchema(s.orm.getMetadata()));
  const policy = rootPolicy([...specs.values()]);
  const missing = [
    ...intro.data.__schema.queryType.fields.map((f: any) => `Query.${f.name}`),
    ...intro.data.__schema.mutationType.fields.map((f: any) => `Mutation.${f.name}`),
  ].filter((k) => !policy.has(k));
  assert.deepEqual(missing, [], 'root fields without an authorization decision');
});

test('a root field without a decision is denied at run time', async () => {
  const { schema } = await import('../src/graphql/schema.js').then((m) => m.buildKirokuSchema(s.orm.getMetadata()));
  const denial = checkOperation(schema, parse('{ subjectCategories { code } }'), null, { sub: 'x', roles: [Role.PRIVACY_ADMIN] }, new Map());
  assert.deepEqual(denial, { field: 'Query.subjectCategories', reason: 'no authorization decision for this field' });
});

test('read access: the auditor reads the audit trail, the analyst and integrations do not', async () => {
  const q = '{ auditEvents(first: 1) { totalCount } }';
  assert.equal((await s.gql(q, {}, { token: tokens.get(Role.AUDITOR) })).errors, undefined);
  assert.equal((await s.gql(q, {}, { token: tokens.get(Role.PRIVACY_ANALYST) })).errors?.[0].extensions.code, 'FORBIDDEN');
  assert.equal((await s.gql(q, {}, { token: tokens.get(Role.INTEGRATION) })).errors?.[0].extensions.code, 'FORBIDDEN');
  const hidden = await s.gql('query { x: subjectCategories { code } ...F } fragment F on Query { auditEvents { totalCount } }', {}, { token: tokens.get(Role.PRIVACY_ANALYST) });
  assert.equal(hidden.errors?.[0].extensions.code, 'FORBIDDEN', 'a fragment does not hide a denied field');
  const noRole = await token([] as unknown as Role[], { sub: 'nobody' });
  assert.equal((await s.gql('{ subjectCategories { code } }', {}, { token: noRole })).errors?.[0].extensions.code, 'FORBIDDEN');
});
