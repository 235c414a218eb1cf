import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parse } from 'graphql';
import { Role } from '../src/auth/roles.js';
import { checkOperation, rootPolicy } from '../src/auth/policy.js';
import { startTestServer, token, type TestServer } from './helpers.js';

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
const tokens = new Map<Role, string>();
let mutations: Array<{ name: string; inputType: string }> = [];
before(async () => {
  s = await startTestServer();
  for (const role of Object.values(Role)) tokens.set(role, await token(role, { system: 'crm', sub: `table-${role}` }));
  const intro = await s.gql('{ __schema { mutationType { fields { name args { name type { ofType { name } } } } } } }');
  mutations = intro.data.__schema.mutationType.fields.map((f: any) => ({ name: f.name, inputType: f.args[0].type.ofType.name }));
});
after(() => s?.close());

test('every role × every mutation: allowed roles reach the resolver, the others get FORBIDDEN', async () => {
  assert.ok(mutations.length >= 50, `${mutations.length} mutations`);
  const wrong: string[] = [];
  for (const m of mutations) {
    for (const role of Object.values(Role)) {
      // An empty input passes authorization and then fails variable coercion: BAD_USER_INPUT means "allowed".
      const r = await s.gql(`mutation M($input: ${m.inputType}!) { ${m.name}(input: $input) { __typename } }`, { input: {} }, { token: tokens.get(role) });
      const code = r.errors?.[0]?.extensions.code;
      const allowed = code !== 'FORBIDDEN';
      if (allowed !== expectedAllowed(role, m.name)) wrong.push(`${role} ${m.name}: got ${code}`);
    }
  }
  assert.deepEqual(wrong, []);
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
