import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Role } from '../src/auth/roles.js';
import { repoRoot } from '../src/config.js';
import { buildKirokuSchema } from '../src/graphql/schema.js';
import { declaredLimits } from '../src/graphql/input-limits.js';
import { withInputDefaults } from '../src/graphql/json-input.js';
import { RegisterDatasetsPush } from '../src/systems/registration.types.js';
import { doc, startTestServer, token, type TestServer } from './helpers.js';

let s: TestServer;
let admin: string;
let systemId: string;
before(async () => {
  s = await startTestServer({
    docs: [doc({
      dataCategories: [{ code: 'contact', name: { en: 'Contact' } }],
      storageLocations: [{ code: 'tokyo', name: { en: 'Tokyo' }, country: 'JP', region: 'ap-northeast-1' }],
      systems: [{ key: 'crm', name: 'CRM' }],
    })],
  });
  admin = await token(Role.PRIVACY_ADMIN, { sub: 'limits-admin' });
  systemId = (await s.gql('{ systems { edges { node { id key } } } }')).data.systems.edges[0].node.id;
});
after(() => s?.close());

/** The response as sent: status, size in bytes and body. */
async function post(query: string, variables: Record<string, unknown>, operationName: string) {
  const res = await fetch(`${s.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
    body: JSON.stringify({ query, variables, operationName }),
  });
  const text = await res.text();
  return { status: res.status, bytes: Buffer.byteLength(text), body: JSON.parse(text) as { data?: any; errors?: Array<{ message: string; extensions: Record<string, any> }> } };
}

/** SQL statements the named operation sent (the server's own per-operation histogram). */
async function statementsOf(operationName: string): Promise<{ operations: number; statements: number }> {
  return {
    operations: await s.metric('kiroku_sql_statements_per_operation_count', { operation_name: operationName }),
    statements: await s.metric('kiroku_sql_statements_per_operation_sum', { operation_name: operationName }),
  };
}

const sql = async (q: string, p: unknown[] = []) => s.orm.em.getConnection().execute(q, p);
const count = async (table: string) => Number((await sql(`select count(*) as n from "${table}"`))[0].n);
const ids = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1));
/** `n` code points, each an astral character (two UTF-16 units). */
const emoji = (n: number) => '😀'.repeat(n);

test('100,000 ids are refused before any SQL with a small BAD_USER_INPUT naming the path and the limit', async () => {
  const query = await post('query TooManyIds($ids: [ID!]) { datasets(filter: { includeArchived: false, processorIds: $ids }) { totalCount } }', { ids: ids(100_000) }, 'TooManyIds');
  assert.equal(query.status, 400);
  const e = query.body.errors?.[0];
  assert.equal(e?.extensions.code, 'BAD_USER_INPUT');
  assert.equal(e?.extensions.field, 'filter.processorIds');
  assert.deepEqual(e?.extensions.problems, [{ path: 'filter.processorIds', message: 'at most 1000 items, got 100000', limit: 1_000 }]);
  assert.match(e!.message, /at most 1000 items, got 100000/);
  assert.ok(query.bytes < 2_000, `the error is ${query.bytes} bytes`);
  assert.deepEqual(await statementsOf('TooManyIds'), { operations: 1, statements: 0 });

  const activities = await count('processing_activity');
  const mutation = await post(
    'mutation TooManyLinks($ids: [ID!]) { createProcessingActivity(input: { code: "big", name: { en: "Big" }, processorIds: $ids }) { processingActivity { id } } }',
    { ids: ids(100_000) }, 'TooManyLinks',
  );
  assert.equal(mutation.body.errors?.[0].extensions.field, 'input.processorIds');
  assert.ok(mutation.bytes < 2_000, `the error is ${mutation.bytes} bytes`);
  assert.deepEqual(await statementsOf('TooManyLinks'), { operations: 1, statements: 0 });
  assert.equal(await count('processing_activity'), activities);

  // At the limit the list is accepted (and the ids, none of which exists, are ordinary input errors).
  const atLimit = await post('query AtLimit($ids: [ID!]) { datasets(filter: { includeArchived: false, processorIds: $ids }) { totalCount } }', { ids: ids(1_000) }, 'AtLimit');
  assert.equal(atLimit.body.errors, undefined, JSON.stringify(atLimit.body.errors));
  assert.equal(atLimit.body.data.datasets.totalCount, 0);
});

test('a request with 50,000 identities is refused and nothing is written; 100 are accepted', async () => {
  const CREATE = 'mutation Intake($input: CreateDataSubjectRequestInput!) { createDataSubjectRequest(input: $input) { request { id } } }';
  const input = (n: number) => ({
    framework: 'APPI', type: 'DISCLOSE', channel: 'WEB', requester: { kind: 'SELF' }, responseMethod: 'ELECTRONIC',
    identities: Array.from({ length: n }, (_, i) => ({ type: 'EMAIL', value: `person${i}@example.com` })),
  });
  const before = await count('data_subject_request');
  const many = await post(CREATE, { input: input(50_000) }, 'Intake');
  assert.equal(many.body.errors?.[0].extensions.code, 'BAD_USER_INPUT');
  assert.equal(many.body.errors?.[0].extensions.field, 'input.identities');
  assert.match(many.body.errors![0].message, /at most 100 items/);
  assert.ok(many.bytes < 2_000, `the error is ${many.bytes} bytes`);
  assert.equal(await count('data_subject_request'), before);
  assert.equal(await count('request_identity'), 0);
  const hundred = await post(CREATE, { input: input(100) }, 'Intake');
  assert.equal(hundred.body.errors, undefined, JSON.stringify(hundred.body.errors));
  assert.equal(await count('request_identity'), 100);
});

test('descriptions are limited alike in registerDatasets and createDataset, counted in code points', async () => {
  const REGISTER = 'mutation Push($input: RegisterDatasetsInput!) { registerDatasets(input: $input) { results { key status dataset { id description } } } }';
  const CREATE = 'mutation Create($input: CreateDatasetInput!) { createDataset(input: $input) { dataset { id description } } }';
  const push = (key: string, description: string) => ({ input: { systemKey: 'crm', prune: false, datasets: [{ key, name: key, description, location: { code: 'tokyo' } }] } });
  const create = (key: string, description: string) => ({ input: { systemId, key, name: key, description } });
  const datasets = await count('dataset');

  const mb = 'x'.repeat(1024 * 1024);
  const pushedMb = await post(REGISTER, push('mb', mb), 'Push');
  const createdMb = await post(CREATE, create('mb', mb), 'Create');
  for (const [r, field] of [[pushedMb, 'input.datasets[0].description'], [createdMb, 'input.description']] as const) {
    assert.equal(r.body.errors?.[0].extensions.code, 'BAD_USER_INPUT');
    assert.equal(r.body.errors?.[0].extensions.field, field);
    assert.match(r.body.errors![0].message, /at most 20000 characters \(code points\), got 1048576/);
    assert.ok(r.bytes < 2_000, `the error is ${r.bytes} bytes`);
  }
  assert.equal(await count('dataset'), datasets);

  // 20,000 emoji are 40,000 UTF-16 units: accepted by both, stored whole.
  const pushed = await post(REGISTER, push('astral', emoji(20_000)), 'Push');
  assert.equal(pushed.body.errors, undefined, JSON.stringify(pushed.body.errors));
  assert.equal(pushed.body.data.registerDatasets.results[0].dataset.description, emoji(20_000));
  const created = await post(CREATE, create('astral-2', emoji(20_000)), 'Create');
  assert.equal(created.body.errors, undefined, JSON.stringify(created.body.errors));
  assert.equal(created.body.data.createDataset.dataset.description, emoji(20_000));
  // One more is refused by both, with the same message.
  const pushedOver = await post(REGISTER, push('astral-3', emoji(20_001)), 'Push');
  const createdOver = await post(CREATE, create('astral-3', emoji(20_001)), 'Create');
  assert.equal(pushedOver.body.errors?.[0].extensions.code, 'BAD_USER_INPUT');
  assert.equal(createdOver.body.errors?.[0].extensions.code, 'BAD_USER_INPUT');
  assert.equal(pushedOver.body.errors![0].message.replace('input.datasets[0].', 'input.'), createdOver.body.errors![0].message);

  // A name of 255 astral characters fits varchar(255), through either path.
  const named = await post(REGISTER, { input: { systemKey: 'crm', prune: false, datasets: [{ key: 'named', name: emoji(255) }] } }, 'Push');
  assert.equal(named.body.errors, undefined, JSON.stringify(named.body.errors));
  const namedCreate = await post(CREATE, { input: { systemId, key: 'named-2', name: emoji(255) } }, 'Create');
  assert.equal(namedCreate.body.errors, undefined, JSON.stringify(namedCreate.body.errors));
  const longName = await post(REGISTER, { input: { systemKey: 'crm', prune: false, datasets: [{ key: 'named-3', name: emoji(256) }] } }, 'Push');
  assert.equal(longName.body.errors?.[0].extensions.field, 'input.datasets[0].name');
  assert.equal(await count('dataset'), datasets + 4);
});

test('datasets per push, fields per dataset and per push, subject values per call: refused beyond, reported briefly', async () => {
  const REGISTER = 'mutation BigPush($input: RegisterDatasetsInput!) { registerDatasets(input: $input) { results { status } } }';
  const datasets = (n: number, fields = 0) => Array.from({ length: n }, (_, i) => ({ key: `d${i}`, name: `D${i}`, fields: Array.from({ length: fields }, (_, j) => ({ path: `f${j}` })) }));
  const before = await count('dataset');

  // The largest documented push passes the maxima: the first problem is further on (an unknown system).
  const largest = await post(REGISTER.replace('BigPush', 'LargestPush'), { input: { systemKey: 'no-such-system', prune: false, datasets: datasets(10_000, 10) } }, 'LargestPush');
  assert.equal(largest.body.errors?.[0].extensions.field, 'input.systemKey', JSON.stringify(largest.body.errors?.[0]));
  const tooMany = await post(REGISTER, { input: { systemKey: 'crm', datasets: datasets(10_001) } }, 'BigPush');
  assert.equal(tooMany.body.errors?.[0].extensions.field, 'input.datasets');
  assert.match(tooMany.body.errors![0].message, /at most 10000 items, got 10001/);

  const wide = await post(REGISTER, { input: { systemKey: 'crm', datasets: datasets(1, 1_001) } }, 'BigPush');
  assert.equal(wide.body.errors?.[0].extensions.field, 'input.datasets[0].fields');

  // 1,000 fields each is allowed per dataset, but not 101 such datasets in one push.
  const heavy = await post(REGISTER, { input: { systemKey: 'crm', datasets: datasets(101, 1_000) } }, 'BigPush');
  assert.equal(heavy.body.errors?.[0].extensions.field, 'input.datasets[100].fields');
  assert.match(heavy.body.errors![0].message, /at most 100000 items in all RegisterDatasetInput.fields lists/);

  // Many bad items: only the first ten are reported.
  const names = await post(REGISTER, { input: { systemKey: 'crm', datasets: datasets(500).map((d) => ({ ...d, name: 'n'.repeat(300) })) } }, 'BigPush');
  assert.equal(names.body.errors?.[0].extensions.problems.length, 10);
  assert.ok(names.bytes < 4_000, `the error is ${names.bytes} bytes`);
  assert.deepEqual(await statementsOf('BigPush'), { operations: 4, statements: 0 });

  // Problems found later (unknown codes) are listed up to 100, with their count.
  const unknown = await post(REGISTER, { input: { systemKey: 'crm', prune: false, datasets: datasets(2_000).map((d) => ({ ...d, processorCode: `no-such-processor-${d.key}` })) } }, 'BigPush');
  assert.equal(unknown.body.errors?.[0].extensions.problems.length, 100);
  assert.equal(unknown.body.errors?.[0].extensions.problemCount, 2_000);
  assert.ok(unknown.bytes < 20_000, `the error is ${unknown.bytes} bytes`);
  assert.equal(await count('dataset'), before);

  const SUBJECTS = 'mutation Subjects($v: [String!]!) { reportSubjects(input: { systemKey: "crm", datasetKey: "named", identityType: EMAIL, values: $v, op: ADD }) { added } }';
  const values = await post(SUBJECTS, { v: Array.from({ length: 100_001 }, (_, i) => `p${i}@example.com`) }, 'Subjects');
  assert.equal(values.body.errors?.[0].extensions.field, 'input.values');
  assert.match(values.body.errors![0].message, /at most 100000 items/);
  const longValue = await post(SUBJECTS, { v: ['ok@example.com', `${'a'.repeat(1_000)}@example.com`] }, 'Subjects');
  assert.equal(longValue.body.errors?.[0].extensions.field, 'input.values[1]');
  assert.doesNotMatch(JSON.stringify(longValue.body), /aaaa/, 'the value is not echoed');
  assert.deepEqual(await statementsOf('Subjects'), { operations: 2, statements: 0 });
});

test('literal arguments, plain arguments and lookups are bounded too', async () => {
  const literal = await post(`mutation Lit { createSystem(input: { key: "lit", name: "${'a'.repeat(256)}" }) { system { id } } }`, {}, 'Lit');
  assert.equal(literal.body.errors?.[0].extensions.field, 'input.name');
  assert.match(literal.body.errors![0].message, /at most 255 characters/);
  const lookup = await post('query Look($v: String!) { subjectLookup(identityType: EMAIL, value: $v) { id } }', { v: `${'b'.repeat(1_001)}@example.com` }, 'Look');
  assert.equal(lookup.body.errors?.[0].extensions.field, 'value');
  const id = await post('query Id($id: ID!) { dataset(id: $id) { id } }', { id: '9'.repeat(1_000_000) }, 'Id');
  assert.equal(id.body.errors?.[0].extensions.field, 'id');
  assert.ok(id.bytes < 2_000, `the error is ${id.bytes} bytes`);
  const date = await post('query Since($since: DateTime!) { publicNoticeDiff(since: $since) { __typename } }', { since: `2026-01-01T00:00:00Z${' '.repeat(200)}` }, 'Since');
  assert.equal(date.body.errors?.[0].extensions.field, 'since');
  assert.ok(date.bytes < 2_000, `the error is ${date.bytes} bytes`);
  // A default value of a variable is checked like a value sent.
  const defaulted = await post(`query Def($s: String = "${'c'.repeat(20_001)}") { datasets(filter: { includeArchived: false, search: $s }) { totalCount } }`, {}, 'Def');
  assert.equal(defaulted.body.errors?.[0].extensions.field, 'filter.search');
});

test('the README table names every declared maximum with its figure', async () => {
  const { schema, specs } = await buildKirokuSchema(s.orm.getMetadata());
  // The generated inventory inputs take their columns' lengths; the README states that rule once.
  const generated = new Set([...specs.values()].flatMap((x) => [`Create${x.graphqlName}Input`, `Update${x.graphqlName}Input`]));
  const rows = (await fs.readFile(path.join(repoRoot, 'README.md'), 'utf8')).split('\n').filter((l) => l.startsWith('| `'));
  const limits = declaredLimits(schema).filter((l) => !generated.has(l.coordinate.split('.')[0]));
  assert.ok(limits.length > 30);
  for (const l of limits) {
    const [, type, field, arg] = /^(\w+\.?\w*?)\.(\w+)(?:\((\w+):\))?$/.exec(l.coordinate)!;
    const owner = arg ? `${type}.${field}` : type;
    const name = arg ?? field;
    const row = rows.find((r) => r.startsWith(`| \`${owner}\` |`));
    assert.ok(row, `README.md has no row for ${owner}`);
    const cell = row.split(';').find((c) => c.includes(`\`${name}\``));
    assert.ok(cell, `README.md does not name ${l.coordinate}`);
    for (const n of [l.maxItems, l.maxItemsInTotal, l.maxChars]) {
      if (n !== undefined) assert.ok(cell.includes(n.toLocaleString('en-US')), `README.md gives ${l.coordinate} another maximum than ${n}: ${cell}`);
    }
  }
});

test('a JSON input gets its input type\'s default values where it leaves them out, and its default-free objects as sent', async () => {
  const { schema } = await buildKirokuSchema(s.orm.getMetadata());
  const datasets = [{ key: 'a', name: 'A', fields: [{ path: 'x' }] }];
  const filled = withInputDefaults<Record<string, unknown>>(schema, RegisterDatasetsPush, { systemKey: 'crm', datasets });
  assert.equal(filled.prune, false);
  assert.equal(filled.dryRun, false);
  assert.equal((filled.datasets as unknown[])[0], datasets[0], 'a dataset (no defaults in its type) is not copied');
  const given = withInputDefaults<Record<string, unknown>>(schema, RegisterDatasetsPush, { systemKey: 'crm', prune: true, datasets });
  assert.equal(given.prune, true, 'a value sent is kept');
  assert.equal(given.dryRun, false);
});
