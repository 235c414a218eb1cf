import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Role } from '../src/auth/roles.js';
import pg from 'pg';
import { doc, roleUrl, startTestServer, token, type TestServer } from './helpers.js';

let s: TestServer;
let crm: string;
before(async () => {
  s = await startTestServer({
    docs: [doc({
      dataCategories: [
        { code: 'contact', name: { en: 'Contact' } },
        { code: 'contact.email', name: { en: 'Email' }, parent: 'contact', identityType: 'EMAIL' },
        { code: 'contact.phone', name: { en: 'Phone' }, parent: 'contact', identityType: 'PHONE' },
        { code: 'health', name: { en: 'Health' }, kind: 'SPECIAL_CARE' },
      ],
      processors: [{ code: 'aws', name: { en: 'Cloud' }, country: 'US' }],
      storageLocations: [{ code: 'tokyo', name: { en: 'Tokyo' }, country: 'JP', region: 'ap-northeast-1' }, { code: 'sg', name: { en: 'Singapore' }, country: 'SG', region: 'Singapore' }],
      processingActivities: [{ code: 'crm-ops', name: { en: 'CRM' }, dataCategories: ['contact'] }],
      systems: [{ key: 'crm', name: 'CRM' }, { key: 'hr', name: 'HR' }],
    })],
  });
  crm = await token(Role.INTEGRATION, { system: 'crm', sub: 'crm-sync' });
});
after(() => s?.close());

const REGISTER = `mutation R($input: RegisterDatasetsInput!) { registerDatasets(input: $input) { results { key status dataset { key status registeredBy lastRegisteredAt version } } } }`;
const sql = async (q: string, p: unknown[] = []) => s.orm.em.getConnection().execute(q, p);
const count = async (table: string) => Number((await sql(`select count(*) as n from "${table}"`))[0].n);

function push(datasets: unknown[], prune = false, systemKey = 'crm') {
  return { input: { systemKey, prune, datasets } };
}
const contacts = (extra: Record<string, unknown> = {}) => ({
  key: 'contacts', name: 'Contacts', location: { code: 'tokyo' }, processorCode: 'aws', activityCodes: ['crm-ops'],
  fields: [
    { path: 'email', dataCategoryCodes: ['contact.email'], identityType: 'EMAIL' },
    { path: 'phone', dataCategoryCodes: ['contact.phone'], identityType: 'PHONE' },
  ],
  ...extra,
});

test('a push creates, an identical re-push changes and audits nothing, a change updates, prune retires', async () => {
  const first = await s.gql(REGISTER, push([contacts(), { key: 'notes', name: 'Notes', location: { country: 'SG', region: 'Singapore' }, fields: [{ path: 'text' }] }]), { token: crm });
  assert.equal(first.errors, undefined, JSON.stringify(first.errors));
  assert.deepEqual(first.data.registerDatasets.results.map((r: any) => [r.key, r.status]), [['contacts', 'CREATED'], ['notes', 'CREATED']]);
  assert.equal(first.data.registerDatasets.results[0].dataset.registeredBy, 'crm-sync');
  const audits = await count('audit_event');
  const fieldsBefore = await sql('select id, version from dataset_field order by id');
  const again = await s.gql(REGISTER, push([contacts(), { key: 'notes', name: 'Notes', location: { country: 'SG', region: 'Singapore' }, fields: [{ path: 'text' }] }]), { token: crm });
  assert.deepEqual(again.data.registerDatasets.results.map((r: any) => r.status), ['UNCHANGED', 'UNCHANGED']);
  assert.equal(await count('audit_event'), audits, 'nothing audited');
  assert.deepEqual(await sql('select id, version from dataset_field order by id'), fieldsBefore, 'nothing written');
  const changed = await s.gql(REGISTER, push([contacts({ fields: [{ path: 'email', dataCategoryCodes: ['contact.email'], identityType: 'EMAIL' }, { path: 'diagnosis', dataCategoryCodes: ['health'] }] })], true), { token: crm });
  assert.deepEqual(changed.data.registerDatasets.results.map((r: any) => [r.key, r.status]), [['contacts', 'UPDATED'], ['notes', 'RETIRED']]);
  assert.equal(changed.data.registerDatasets.results[0].dataset.version, 2);
  const ds = await s.gql('{ datasets(filter: { search: "contacts" }) { edges { node { key fields { path dataCategories { code } } undeclaredDataCategories { code } storageLocation { code } processor { code } activities { code } } } } }');
  const node = ds.data.datasets.edges[0].node;
  assert.deepEqual(node.fields.map((f: any) => f.path).sort(), ['diagnosis', 'email']);
  assert.deepEqual(node.undeclaredDataCategories.map((c: any) => c.code), ['health'], 'contact.email is covered by the activity declaring contact; health is not');
  assert.equal(node.storageLocation.code, 'tokyo');
  const notes = await sql(`select status from dataset where key = 'notes'`);
  assert.equal(notes[0].status, 'RETIRED', 'retired, not deleted');
  const loc = await sql(`select code, country, region from storage_location where id = (select storage_location_id from dataset where key = 'notes')`);
  assert.deepEqual(loc[0], { code: 'sg', country: 'SG', region: 'Singapore' }, 'country + region found the registered location');
});

test('a changed push rewrites only what differs: a rename leaves the fields, a new description touches one field', async () => {
  const base = contacts({ key: 'orders', name: 'Orders' });
  assert.equal((await s.gql(REGISTER, push([base]), { token: crm })).errors, undefined);
  const fields = async () => sql(`select f.id, f.path, f.version, (select array_agg(c.data_category_id order by c.data_category_id) from dataset_field_data_categories c where c.field_id = f.id) as cats
    from dataset_field f join dataset d on d.id = f.dataset_id where d.key = 'orders' order by f.path`);
  const before = await fields();
  const renamed = await s.gql(REGISTER, push([{ ...base, name: 'Orders (renamed)' }]), { token: crm });
  assert.deepEqual(renamed.data.registerDatasets.results.map((r: any) => r.status), ['UPDATED']);
  assert.deepEqual(await fields(), before, 'fields and their categories untouched by a rename');
  const described = await s.gql(REGISTER, push([{ ...base, name: 'Orders (renamed)', fields: [{ ...base.fields[0], description: 'login' }, base.fields[1]] }]), { token: crm });
  assert.deepEqual(described.data.registerDatasets.results.map((r: any) => r.status), ['UPDATED']);
  const after = await fields();
  assert.deepEqual(after.map((f: any) => [f.path, f.id, f.version]), [['email', before[0].id, before[0].version + 1], ['phone', before[1].id, before[1].version]]);
  assert.deepEqual(after.map((f: any) => f.cats), before.map((f: any) => f.cats));
});

test('only the privacy team creates storage locations; an archived dataset comes back when pushed again', async () => {
  const before = await count('storage_location');
  const r = await s.gql(REGISTER, push([{ key: 'eu', name: 'EU copy', location: { country: 'DE', region: 'Frankfurt' } }]), { token: crm });
  assert.equal(r.errors?.[0].extensions.field, 'input.datasets[0].location');
  assert.equal(await count('storage_location'), before, 'a new foreign location would change the published notice');
  const admin = await s.gql(REGISTER, push([{ key: 'eu', name: 'EU copy', location: { country: 'DE', region: 'Frankfurt' } }]));
  assert.equal(admin.errors, undefined, JSON.stringify(admin.errors));
  assert.equal(await count('storage_location'), before + 1);
  const ds = (await s.gql('{ datasets(filter: { search: "eu" }) { edges { node { id key version } } } }')).data.datasets.edges.find((e: any) => e.node.key === 'eu').node;
  await s.gql(`mutation { archiveDataset(input: { id: "${ds.id}", version: ${ds.version} }) { dataset { id } } }`);
  const again = await s.gql(REGISTER, push([{ key: 'eu', name: 'EU copy', location: { country: 'DE', region: 'Frankfurt' } }]));
  assert.deepEqual(again.data.registerDatasets.results.map((x: any) => x.status), ['UPDATED']);
  const [{ archived_at }] = await sql('select archived_at from dataset where id = ?', [ds.id]);
  assert.equal(archived_at, null);
});

test('a push with bad items is rejected whole, listing every bad item and path', async () => {
  const before = await count('dataset');
  const r = await s.gql(REGISTER, push([
    contacts({ key: 'good' }),
    { key: 'bad', name: 'Bad', processorCode: 'nope', location: { country: 'XX' }, activityCodes: ['missing'], fields: [{ path: 'a', dataCategoryCodes: ['no.such'] }, { path: 'a' }] },
    { key: 'good', name: 'Duplicate' },
  ]), { token: crm });
  assert.equal(r.errors?.[0].extensions.code, 'BAD_USER_INPUT');
  const paths = r.errors![0].extensions.problems.map((p: any) => p.path).sort();
  assert.deepEqual(paths, [
    'input.datasets[1].activityCodes[0]',
    'input.datasets[1].fields[0].dataCategoryCodes[0]',
    'input.datasets[1].fields[1].path',
    'input.datasets[1].location.country',
    'input.datasets[1].processorCode',
    'input.datasets[2].key',
  ]);
  assert.equal(await count('dataset'), before);
});

const PUSH = `mutation P($push: RegisterDatasetsPush!) { registerDatasets(push: $push) { results { key status changes dataset { key status version } } } }`;
const problemsOf = (r: any) => (r.errors ?? []).flatMap((e: any) => e.extensions?.problems ?? [{ path: e.extensions?.field, message: e.message }]);

test('a push as one JSON value does what the same push as a typed input does', async () => {
  const datasets = [
    contacts({ key: 'json-a', description: null, publicDescription: { ja: '会員情報', en: null } }),
    { key: 'json-b', name: 'Notes', location: { country: 'SG', region: 'Singapore' }, processorCode: null, activityCodes: [], fields: [{ path: 'text', description: 'free text', dataCategoryCodes: null }] },
  ];
  const created = await s.gql(PUSH, { push: { systemKey: 'crm', datasets } }, { token: crm });
  assert.equal(created.errors, undefined, JSON.stringify(created.errors));
  assert.deepEqual(created.data.registerDatasets.results.map((r: any) => [r.key, r.status, r.dataset.version]), [['json-a', 'CREATED', 1], ['json-b', 'CREATED', 1]]);
  // The typed input of the same push finds nothing to change: both forms read nulls, absent
  // fields and defaults (prune, dryRun) alike.
  const typed = await s.gql(REGISTER, push(datasets), { token: crm });
  assert.deepEqual(typed.data.registerDatasets.results.map((r: any) => r.status), ['UNCHANGED', 'UNCHANGED']);
  const again = await s.gql(PUSH, { push: { systemKey: 'crm', datasets } }, { token: crm });
  assert.deepEqual(again.data.registerDatasets.results.map((r: any) => r.status), ['UNCHANGED', 'UNCHANGED']);

  // A dry run of a change answers what the typed dry run answers, and writes nothing.
  const changed = [{ ...datasets[0], name: 'Renamed', fields: [datasets[0].fields[0]] }, datasets[1]];
  const asJson = await s.gql(PUSH, { push: { systemKey: 'crm', dryRun: true, datasets: changed } }, { token: crm });
  const asTyped = await s.gql(REGISTER.replace('key status', 'key status changes'), { input: { systemKey: 'crm', dryRun: true, datasets: changed } }, { token: crm });
  assert.deepEqual(asJson.data.registerDatasets.results.map((r: any) => [r.key, r.status, r.changes]), [['json-a', 'UPDATED', ['name', 'fields (1 removed)']], ['json-b', 'UNCHANGED', []]]);
  assert.deepEqual(asJson.data.registerDatasets.results.map((r: any) => [r.key, r.status, r.changes]), asTyped.data.registerDatasets.results.map((r: any) => [r.key, r.status, r.changes]));
  assert.equal((await sql(`select name from dataset where key = 'json-a'`))[0].name, 'Contacts', 'a dry run writes nothing');

  // As a literal, enums unquoted as GraphQL writes them.
  const literal = await s.gql('mutation { registerDatasets(push: { systemKey: "crm", datasets: [{ key: "json-lit", name: "Literal", fields: [{ path: "mail", identityType: EMAIL }] }] }) { results { status } } }', {}, { token: crm });
  assert.deepEqual(literal.data?.registerDatasets.results, [{ status: 'CREATED' }], JSON.stringify(literal.errors));
  assert.equal((await sql(`select f.identity_type from dataset_field f join dataset d on d.id = f.dataset_id where d.key = 'json-lit'`))[0].identity_type, 'EMAIL');
});

test('a JSON push is checked before anything runs, with the paths and maxima of the typed input', async () => {
  const before = await count('dataset');
  const audits = await count('audit_event');
  const bad = async (pushValue: unknown) => {
    const r = await s.gql(PUSH, { push: pushValue }, { token: crm });
    assert.equal(r.errors?.[0].extensions.code, 'BAD_USER_INPUT', JSON.stringify(r));
    assert.equal(r.data?.registerDatasets ?? null, null);
    return problemsOf(r);
  };
  const shapes = await bad({ systemKey: 'crm', datasets: [{ key: 'x', nmae: 'X', fields: [{ path: 'p', identityType: 'EMIAL' }] }, { name: 'No key', fields: 'email' }], prune: null });
  assert.deepEqual(shapes.map((p: any) => p.path).sort(), ['push.datasets[0].fields[0].identityType', 'push.datasets[0].name', 'push.datasets[0].nmae', 'push.datasets[1].fields', 'push.datasets[1].key', 'push.prune']);
  const byPath = new Map(shapes.map((p: any) => [p.path, p.message]));
  assert.equal(byPath.get('push.datasets[0].nmae'), 'is not a field of this input (did you mean "name"?)');
  assert.match(byPath.get('push.datasets[0].fields[0].identityType') as string, /^must be one of EMAIL, .* \(did you mean "EMAIL"\?\)$/);
  assert.equal(byPath.get('push.datasets[1].fields'), 'must be a list or null');
  assert.equal(byPath.get('push.prune'), 'must be true or false');
  assert.equal(byPath.get('push.datasets[1].key'), 'is required');

  // Maxima: the same problem, limit and words as for the typed input, under push instead of input.
  const long = { systemKey: 'crm', datasets: [contacts({ key: 'long', name: 'n'.repeat(256) })] };
  const typedLong = await s.gql(REGISTER, { input: long }, { token: crm });
  const jsonLong = await bad(long);
  assert.equal(typedLong.errors?.[0].extensions.code, 'BAD_USER_INPUT');
  assert.deepEqual(jsonLong, problemsOf(typedLong).map((p: any) => ({ ...p, path: p.path.replace(/^input\./, 'push.') })));
  assert.deepEqual(jsonLong, [{ path: 'push.datasets[0].name', message: 'at most 255 characters (code points), got 256', limit: 255 }]);
  // All fields of a push together, a maximum no JSON Schema can state.
  const many = { systemKey: 'crm', datasets: Array.from({ length: 101 }, (_, i) => ({ key: `m${i}`, name: 'M', fields: Array.from({ length: 1_000 }, (_, j) => ({ path: `f${j}` })) })) };
  const typedMany = problemsOf(await s.gql(REGISTER, { input: many }, { token: crm }));
  assert.equal(typedMany.length, 1);
  assert.deepEqual(await bad(many), typedMany.map((p: any) => ({ ...p, path: p.path.replace(/^input\./, 'push.') })));

  // What the service refuses (unknown codes, duplicate keys) is reported as for the typed input.
  const refused = { systemKey: 'crm', datasets: [contacts({ key: 'good' }), { key: 'bad', name: 'Bad', processorCode: 'nope', location: { country: 'XX' }, fields: [{ path: 'a' }, { path: 'a' }] }, { key: 'good', name: 'Duplicate' }] };
  const typedRefused = problemsOf(await s.gql(REGISTER, { input: refused }, { token: crm }));
  assert.equal(typedRefused.length, 4);
  assert.deepEqual(await bad(refused), typedRefused.map((p: any) => ({ ...p, path: p.path.replace(/^input\./, 'push.'), message: p.message.replace('input.datasets', 'push.datasets') })));

  // Variables inside a literal: executors disagree on them, so a literal holds values only.
  const withVariable = await s.gql('mutation V($dry: Boolean!) { registerDatasets(push: { systemKey: "crm", dryRun: $dry, datasets: [] }) { results { status } } }', { dry: true }, { token: crm });
  assert.equal(withVariable.errors?.[0].extensions.code, 'BAD_USER_INPUT', JSON.stringify(withVariable));
  assert.match(withVariable.errors![0].message, /cannot hold variables \(\$dry\)/);
  // push left out or null next to a typed input is the typed form.
  const typedBeside = await s.gql('mutation T($push: RegisterDatasetsPush, $input: RegisterDatasetsInput) { registerDatasets(push: $push, input: $input) { results { status } } }', { push: null, input: { systemKey: 'crm', dryRun: true, datasets: [contacts({ key: 'typed-beside' })] } }, { token: crm });
  assert.deepEqual(typedBeside.data?.registerDatasets.results, [{ status: 'CREATED' }], JSON.stringify(typedBeside.errors));

  // Not an object, both forms, neither.
  assert.deepEqual(await bad([{ systemKey: 'crm' }]), [{ path: 'push', message: 'must be an object' }]);
  const both = await s.gql('mutation B($push: RegisterDatasetsPush, $input: RegisterDatasetsInput) { registerDatasets(push: $push, input: $input) { results { status } } }', { push: { systemKey: 'crm', datasets: [contacts({ key: 'both' })] }, input: { systemKey: 'crm', datasets: [contacts({ key: 'both' })] } }, { token: crm });
  assert.deepEqual(problemsOf(both), [{ path: 'input', message: 'give the push as push or as input, not both' }]);
  const neither = await s.gql('mutation { registerDatasets { results { status } } }', {}, { token: crm });
  assert.deepEqual(problemsOf(neither), [{ path: 'push', message: 'give the push as push or as input' }]);

  assert.equal(await count('dataset'), before, 'nothing written');
  assert.equal(await count('audit_event'), audits, 'nothing audited');
});

test('a re-push trusts a dataset\'s fingerprint only while nothing else has written the dataset, its fields or their links', async () => {
  const FP = `mutation Fp($push: RegisterDatasetsPush!) { registerDatasets(push: $push) { results { key status changes } } }`;
  const items = [contacts({ key: 'fp-a', name: 'Fingerprinted' }), { key: 'fp-b', name: 'Other', fields: [{ path: 'x' }] }];
  const repush = async () => {
    const labels = { operation_name: 'Fp' };
    const before = await s.metric('kiroku_sql_statements_per_operation_sum', labels);
    const r = await s.gql(FP, { push: { systemKey: 'crm', datasets: items } }, { token: crm });
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    return { results: r.data.registerDatasets.results.map((x: any) => [x.key, x.status, x.changes]), statements: (await s.metric('kiroku_sql_statements_per_operation_sum', labels)) - before };
  };
  const digests = async () => Object.fromEntries((await sql(`select d.key, r.digest from dataset d left join dataset_registration r on r.dataset_id = d.id where d.key in ('fp-a', 'fp-b') order by d.key`)).map((r: any) => [r.key, r.digest]));
  await repush();
  const first = await digests();
  assert.ok(first['fp-a'] && first['fp-b'], 'a push leaves a fingerprint on each dataset it writes');
  const trusted = await repush();
  assert.deepEqual(trusted.results, [['fp-a', 'UNCHANGED', []], ['fp-b', 'UNCHANGED', []]]);
  const id = async (table: string, where: string) => (await sql(`select ${table === 'dataset' ? 'id, version' : 'f.id, f.version'} from ${table === 'dataset' ? `dataset where key = 'fp-a'` : `dataset_field f join dataset d on d.id = f.dataset_id where d.key = 'fp-a' and ${where}`}`))[0];

  // Every other way of writing the dataset drops its fingerprint (and only its), and the next push
  // compares it whole, finds what changed and puts it back as pushed.
  const ds = await id('dataset', '');
  const viaApi = await s.gql('mutation ($input: UpdateDatasetInput!) { updateDataset(input: $input) { dataset { name } } }', { input: { id: String(ds.id), version: ds.version, name: 'Renamed in the UI' } });
  assert.equal(viaApi.errors, undefined, JSON.stringify(viaApi.errors));
  assert.deepEqual(await digests(), { 'fp-a': null, 'fp-b': first['fp-b'] });
  const compared = await repush();
  assert.deepEqual(compared.results, [['fp-a', 'UPDATED', ['name']], ['fp-b', 'UNCHANGED', []]]);
  assert.ok(compared.statements > trusted.statements, `a dataset without its fingerprint is read whole (${compared.statements} statements against ${trusted.statements})`);
  assert.deepEqual(await digests(), first);

  const email = await id('dataset_field', `f.path = 'email'`);
  const viaField = await s.gql('mutation ($input: UpdateFieldInput!) { updateField(input: $input) { field { description } } }', { input: { id: String(email.id), version: email.version, description: 'edited' } });
  assert.equal(viaField.errors, undefined, JSON.stringify(viaField.errors));
  assert.equal((await digests())['fp-a'], null, 'a field changed through the API');
  assert.deepEqual((await repush()).results[0], ['fp-a', 'UPDATED', ['fields (1 changed)']]);

  const writes: Array<[string, string, string[]]> = [
    ['a category taken off a field', `delete from dataset_field_data_categories where field_id = (select f.id from dataset_field f join dataset d on d.id = f.dataset_id where d.key = 'fp-a' and f.path = 'phone')`, ['fields (1 changed)']],
    ['an activity unlinked', `delete from dataset_activities where dataset_id = (select id from dataset where key = 'fp-a')`, ['activities']],
    ['a field added', `insert into dataset_field (dataset_id, path, version) select id, 'added', 1 from dataset where key = 'fp-a'`, ['fields (1 removed)']],
    ['the dataset archived', `update dataset set archived_at = now() where key = 'fp-a'`, ['status ARCHIVED → ACTIVE']],
  ];
  for (const [what, statement, changes] of writes) {
    await sql(statement);
    assert.deepEqual(await digests(), { 'fp-a': null, 'fp-b': first['fp-b'] }, what);
    assert.deepEqual((await repush()).results, [['fp-a', 'UPDATED', changes], ['fp-b', 'UNCHANGED', []]], what);
    assert.deepEqual(await digests(), first, `${what}: the fingerprint is back`);
  }

  // A fingerprint that does not match (another normalization, an older version) only costs a comparison.
  await sql(`update dataset_registration set digest = 'stale' where dataset_id = (select id from dataset where key = 'fp-b')`);
  assert.deepEqual((await repush()).results, [['fp-a', 'UNCHANGED', []], ['fp-b', 'UNCHANGED', []]]);
  assert.deepEqual(await digests(), first);

  // TRUNCATE (the owner's; the application may not) fires no delete trigger: it clears every fingerprint itself.
  const owner = new pg.Client({ connectionString: roleUrl('owner', s.orm.config.get('clientUrl')) });
  await owner.connect();
  await owner.query('truncate dataset_activities').finally(() => owner.end());
  assert.deepEqual(await digests(), { 'fp-a': null, 'fp-b': null });
  assert.deepEqual((await repush()).results, [['fp-a', 'UPDATED', ['activities']], ['fp-b', 'UNCHANGED', []]]);
  assert.deepEqual(await digests(), first);

  // Another path's write that commits between a push's read and its fingerprint (it does not take the
  // push's lock) must not be hidden by it. The other connection holds fp-a's fingerprint row, so the push
  // (which compares fp-a whole, its fingerprint being stale) waits at its last write, after every read;
  // the other connection then adds a field and commits.
  await sql(`update dataset_registration set digest = 'stale' where dataset_id = (select id from dataset where key = 'fp-a')`);
  const other = new pg.Client({ connectionString: roleUrl('app', s.orm.config.get('clientUrl')) });
  await other.connect();
  try {
    await other.query('begin');
    await other.query(`select 1 from dataset_registration where dataset_id = (select id from dataset where key = 'fp-a') for update`);
    const racing = s.gql(FP, { push: { systemKey: 'crm', datasets: items } }, { token: crm });
    // Read outside the other connection's transaction, whose view of pg_stat_activity is a snapshot.
    const waiting = async () => Number((await sql(`select count(*) as n from pg_stat_activity where wait_event_type = 'Lock' and query like 'insert into "dataset_registration"%'`))[0].n);
    for (let i = 0; i < 200 && !(await waiting()); i++) await new Promise((r) => setTimeout(r, 25));
    assert.equal(await waiting(), 1, 'the push waits at its fingerprint write');
    await other.query(`insert into dataset_field (dataset_id, path, version) select id, 'raced', 1 from dataset where key = 'fp-a'`);
    await other.query('commit');
    const raced = await racing;
    assert.deepEqual(raced.data.registerDatasets.results.map((x: any) => x.status), ['UNCHANGED', 'UNCHANGED'], 'it compared what it read');
  } finally {
    await other.end();
  }
  assert.equal((await digests())['fp-a'], null, 'the fingerprint written over the other write is refused');
  assert.deepEqual((await repush()).results[0], ['fp-a', 'UPDATED', ['fields (1 removed)']], 'so the next push finds the field');
  assert.deepEqual(await digests(), first);
});

test('an integration pushing to another system gets FORBIDDEN and writes nothing', async () => {
  const before = await count('dataset');
  const r = await s.gql(REGISTER, push([contacts({ key: 'stolen' })], false, 'hr'), { token: crm });
  assert.equal(r.errors?.[0].extensions.code, 'FORBIDDEN');
  assert.equal(await count('dataset'), before);
  const sub = await s.gql('mutation { reportSubjects(input: { systemKey: "hr", datasetKey: "x", identityType: EMAIL, values: ["a@b.c"], op: ADD }) { added } }', {}, { token: crm });
  assert.equal(sub.errors?.[0].extensions.code, 'FORBIDDEN');
  const mixed = await token([Role.INTEGRATION, Role.PRIVACY_ANALYST], { system: 'hr', sub: 'mixed' });
  const viaMixed = await s.gql(REGISTER, push([contacts({ key: 'injected' })], false, 'crm'), { token: mixed });
  assert.equal(viaMixed.errors?.[0].extensions.code, 'UNAUTHENTICATED', 'a token mixing INTEGRATION with a human role is refused outright');
  assert.equal(await count('dataset'), before);
});

test('ten concurrent identical pushes end with one dataset per key and no error', async () => {
  const datasets = Array.from({ length: 20 }, (_, i) => ({ key: `conc-${i}`, name: `Concurrent ${i}`, fields: [{ path: 'id', identityType: 'CUSTOMER_ID' }] }));
  // Left alone, the pushes tend to run one after the other; holding the dataset table makes them
  // all be in their transactions at the same moment, which is the race to survive.
  const gate = await s.app.pool.connect();
  let results: Array<{ data?: any; errors?: unknown[] }>;
  try {
    await gate.query('begin');
    await gate.query('lock table "dataset" in access exclusive mode');
    const pending = Promise.all(Array.from({ length: 10 }, () => s.gql(REGISTER, push(datasets), { token: crm })));
    // Every push a write connection carries (8 at most) is waiting on a lock before the gate opens.
    for (let i = 0; i < 100; i++) {
      // From another connection: inside the gate's transaction the activity view is a frozen snapshot.
      const { rows } = await s.app.pool.query(`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
      if (rows[0].n >= 8) break;
      assert.ok(i < 99, `${rows[0].n} pushes reached the lock`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await gate.query('commit');
    results = await pending;
  } finally {
    gate.release();
  }
  assert.deepEqual(results.flatMap((r) => r.errors ?? []), [], 'pushes of one system are serialized: none fails, not even with a retryable CONFLICT');
  const statuses = results.flatMap((r) => r.data.registerDatasets.results.map((x: any) => x.status));
  assert.equal(statuses.length, 10 * 20);
  assert.equal(statuses.filter((x: string) => x === 'CREATED').length, 20, 'each key created exactly once');
  assert.equal(statuses.filter((x: string) => x === 'UNCHANGED').length, 9 * 20, 'the later pushes find nothing to change');
  const [{ n }] = await sql(`select count(*) as n from dataset where key like 'conc-%'`);
  assert.equal(Number(n), 20);
});

test('subject index: normalized, stored only as HMAC, found by lookup, removable', async () => {
  const raw = ['  Alice.Example@Example.COM ', 'bob@example.com'];
  const add = await s.gql('mutation($v: [String!]!) { reportSubjects(input: { systemKey: "crm", datasetKey: "contacts", identityType: EMAIL, values: $v, op: ADD }) { added removed } }', { v: raw }, { token: crm });
  assert.deepEqual(add.data.reportSubjects, { added: 2, removed: 0 });
  const again = await s.gql('mutation($v: [String!]!) { reportSubjects(input: { systemKey: "crm", datasetKey: "contacts", identityType: EMAIL, values: $v, op: ADD }) { added } }', { v: ['alice.example@example.com'] }, { token: crm });
  assert.equal(again.data.reportSubjects.added, 0, 'the same person normalizes to the same entry');
  const phone = await s.gql('mutation { reportSubjects(input: { systemKey: "crm", datasetKey: "contacts", identityType: PHONE, values: ["03-6386-0245"], op: ADD }) { added } }', {}, { token: crm });
  assert.equal(phone.data.reportSubjects.added, 1);
  const found = await s.gql('{ a: subjectLookup(identityType: EMAIL, value: "ALICE.example@example.com") { key system { key } } p: subjectLookup(identityType: PHONE, value: "+81 3 6386 0245") { key } n: subjectLookup(identityType: EMAIL, value: "nobody@example.com") { key } }');
  assert.equal(found.errors, undefined, JSON.stringify(found.errors));
  assert.deepEqual(found.data.a, [{ key: 'contacts', system: { key: 'crm' } }]);
  assert.deepEqual(found.data.p, [{ key: 'contacts' }]);
  assert.deepEqual(found.data.n, []);
  // A lookup reads only the columns its selection asks for: a wide selection and an ids-only one
  // find the same datasets, and the wide one has every field it asked for.
  const wide = await s.gql('{ subjectLookup(identityType: EMAIL, value: "alice.example@example.com") { id key name status lastRegisteredAt system { key } } }');
  assert.equal(wide.errors, undefined, JSON.stringify(wide.errors));
  const narrow = await s.gql('{ subjectLookup(identityType: EMAIL, value: "alice.example@example.com") { id } }');
  assert.deepEqual(narrow.data.subjectLookup, wide.data.subjectLookup.map((d: any) => ({ id: d.id })));
  const [d] = wide.data.subjectLookup;
  assert.ok(d.key === 'contacts' && d.status === 'ACTIVE' && d.name && d.lastRegisteredAt && d.system.key === 'crm', JSON.stringify(d));
  // The raw values are nowhere in the database: not in the index, not in the audit trail.
  const dump = JSON.stringify(await sql(`select encode(hash, 'escape') as h from subject_index_entry`)) + JSON.stringify(await sql('select * from audit_event'));
  for (const v of ['alice.example', 'Alice.Example', 'bob@example.com', '6386-0245', '+81363860245']) assert.ok(!dump.includes(v), `raw value ${v} stored`);
  const rm = await s.gql('mutation { reportSubjects(input: { systemKey: "crm", datasetKey: "contacts", identityType: EMAIL, values: ["bob@example.com"], op: REMOVE }) { removed } }', {}, { token: crm });
  assert.equal(rm.data.reportSubjects.removed, 1);
  const bad = await s.gql('mutation { reportSubjects(input: { systemKey: "crm", datasetKey: "contacts", identityType: EMAIL, values: ["ok@example.com", "not-an-email"], op: ADD }) { added } }', {}, { token: crm });
  assert.equal(bad.errors?.[0].extensions.field, 'input.values[1]');
  assert.doesNotMatch(JSON.stringify(bad), /not-an-email/, 'the bad value is not echoed');
  const integrationLookup = await s.gql('{ subjectLookup(identityType: EMAIL, value: "bob@example.com") { key } }', {}, { token: crm });
  assert.equal(integrationLookup.errors?.[0].extensions.code, 'FORBIDDEN', 'lookups are for the privacy team');
});
