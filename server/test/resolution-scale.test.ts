import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { Role } from '../src/auth/roles.js';
import { numbered, ReadModel } from '../src/graphql/loaders.js';
import { resolutionDatasetsSql, resolveRequest } from '../src/requests/resolution.service.js';
import { RequestType } from '../src/requests/request.entity.js';
import { doc, roleUrl, startTestServer, token, type TestServer } from './helpers.js';

/** The resolution runs the same number of SQL statements on a small and on a large inventory. */
function inventory(n: number) {
  return doc({
    subjectCategories: [{ code: 'users', name: { en: 'Users' } }, { code: 'staff', name: { en: 'Staff' } }],
    dataCategories: [{ code: 'contact.email', name: { en: 'Email' }, identityType: 'EMAIL' }],
    processors: Array.from({ length: n }, (_, i) => ({ code: `p${i}`, name: { en: `P${i}` }, country: i % 3 ? 'JP' : 'US', subProcessors: i + 1 < n ? [`p${i + 1}`] : [] })),
    storageLocations: Array.from({ length: n }, (_, i) => ({ code: `l${i}`, name: { en: `L${i}` }, country: i % 2 ? 'JP' : 'SG', hostingProcessor: `p${i}` })),
    countryAssessments: [{ country: 'US' }, { country: 'SG' }],
    processingActivities: Array.from({ length: n }, (_, i) => ({ code: `a${i}`, name: { en: `A${i}` }, subjectCategories: [i % 2 ? 'users' : 'staff'], processors: [`p${i}`], dataCategories: ['contact.email'] })),
    systems: [{ key: 's', name: 'S', datasets: Array.from({ length: n }, (_, i) => ({ key: `d${i}`, name: `D${i}`, processor: `p${i}`, activities: [`a${i}`], fields: [{ path: 'email', identityType: 'EMAIL', dataCategories: ['contact.email'] }] })) }],
  });
}

let small: TestServer;
let large: TestServer;
before(async () => {
  [small, large] = await Promise.all([startTestServer({ docs: [inventory(5)] }), startTestServer({ docs: [inventory(200)] })]);
});
after(() => Promise.all([small?.close(), large?.close()]));

async function resolve(s: TestServer): Promise<{ statements: number; activities: number; processors: number }> {
  const c = await s.gql('mutation { createDataSubjectRequest(input: { framework: APPI, type: ERASE, channel: WEB, requester: { kind: SELF }, responseMethod: ELECTRONIC, identities: [{ type: EMAIL, value: "a@example.com" }], subjectCategoryCodes: ["users"] }) { request { id } } }');
  const id = c.data.createDataSubjectRequest.request.id;
  const labels = { operation_name: 'Resolve' };
  const before = await s.metric('kiroku_sql_statements_per_operation_sum', labels);
  const r = await s.gql(`query Resolve { dataSubjectRequest(id: "${id}") { resolution { activities { activity { code } } datasets { match } processors { via } foreignLocations { country } actions { action } } } }`, {}, { operationName: 'Resolve' });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  const res = r.data.dataSubjectRequest.resolution;
  return { statements: (await s.metric('kiroku_sql_statements_per_operation_sum', labels)) - before, activities: res.activities.length, processors: res.processors.length };
}

test('a request resolves with a bounded number of statements, independent of inventory size', async () => {
  const a = await resolve(small);
  const b = await resolve(large);
  assert.ok(b.activities === 100 && a.activities === 2, `${a.activities} / ${b.activities} activities`);
  assert.ok(b.processors >= 150, 'the sub-processor chains are followed');
  assert.equal(b.statements, a.statements, `small ${a.statements}, large ${b.statements}`);
  assert.ok(b.statements <= 15, `${b.statements} statements`);
});

test('on a freshly loaded subject index the datasets statement probes it by key, not by a scan per dataset', async () => {
  // The state right after a bulk report: no visibility map yet (autovacuum has not run) and
  // statistics saying 100 entries per dataset, where most datasets have none. An unordered LIMIT 1
  // probe was then planned as a sequential scan of the index table for every dataset.
  const url = large.orm.config.get('clientUrl');
  const owner = new pg.Client({ connectionString: roleUrl('owner', url) });
  await owner.connect();
  try {
    await owner.query('alter table "subject_index_entry" set (autovacuum_enabled = false)');
    const integration = await token(Role.INTEGRATION, { system: 's' });
    for (let d = 0; d < 20; d++) {
      const values = Array.from({ length: 100 }, (_, i) => `p${d}-${i}@example.com`);
      const r = await large.gql('mutation($v: [String!]!, $d: String!) { reportSubjects(input: { systemKey: "s", datasetKey: $d, identityType: EMAIL, values: $v, op: ADD }) { added } }', { v: values, d: `d${d * 10}` }, { token: integration });
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    }
    await owner.query('analyze "subject_index_entry"');
    const stats = (await owner.query(`select relallvisible, (select n_distinct from pg_stats where tablename = 'subject_index_entry' and attname = 'dataset_id') as nd from pg_class where relname = 'subject_index_entry'`)).rows[0];
    assert.equal(stats.relallvisible, 0, 'the state under test: no page marked all-visible');
    const activities = (await owner.query('select array_agg("id") as ids from "processing_activity"')).rows[0].ids;
    const plan = (await owner.query(`explain (format json) ${numbered(resolutionDatasetsSql(new ReadModel(large.orm)))}`,
      [activities, [], ['EMAIL'], [Buffer.from('00', 'hex')], ['EMAIL'], ['EMAIL']])).rows[0]['QUERY PLAN'];
    const scans: string[] = [];
    const walk = (n: any) => {
      if (n['Relation Name'] === 'subject_index_entry') scans.push(n['Node Type']);
      for (const c of n.Plans ?? []) walk(c);
    };
    walk(plan[0].Plan);
    assert.ok(scans.length >= 2, `both probes read the index table: ${scans.join(', ')}`);
    assert.deepEqual(scans.filter((t) => t === 'Seq Scan'), [], `probes: ${scans.join(', ')} (n_distinct of dataset_id ${stats.nd})`);
  } finally {
    await owner.query('alter table "subject_index_entry" reset (autovacuum_enabled)').catch(() => undefined);
    await owner.end();
  }
});

test('a resolution read for ids reads only the ids and keys of its datasets and processors, and answers as the full read does', async () => {
  const c = await large.gql('mutation { createDataSubjectRequest(input: { framework: APPI, type: ERASE, channel: WEB, requester: { kind: SELF }, responseMethod: ELECTRONIC, identities: [{ type: EMAIL, value: "b@example.com" }], subjectCategoryCodes: ["users"] }) { request { id } } }');
  const id = c.data.createDataSubjectRequest.request.id;
  const lean = await large.gql(`{ dataSubjectRequest(id: "${id}") { resolution { datasets { match dataset { id key } } processors { via chain processor { ... on Processor { id code } } } actions { key } } } }`);
  const full = await large.gql(`{ dataSubjectRequest(id: "${id}") { resolution { datasets { match dataset { id key name description status system { key } processor { code } } } processors { via chain processor { id code name { en } country contract { concluded } } } actions { key } } } }`);
  assert.equal(lean.errors, undefined, JSON.stringify(lean.errors));
  assert.equal(full.errors, undefined, JSON.stringify(full.errors));
  const a = lean.data.dataSubjectRequest.resolution;
  const b = full.data.dataSubjectRequest.resolution;
  assert.ok(a.datasets.length >= 100 && a.processors.length >= 100, `${a.datasets.length} datasets, ${a.processors.length} processors`);
  assert.deepEqual(a.datasets, b.datasets.map((d: any) => ({ match: d.match, dataset: { id: d.dataset.id, key: d.dataset.key } })));
  assert.deepEqual(a.processors, b.processors.map((p: any) => ({ via: p.via, chain: p.chain, processor: { id: p.processor.id, code: p.processor.code } })));
  assert.deepEqual(a.actions, b.actions);
  assert.ok(b.datasets.every((d: any) => d.dataset.name && d.dataset.system.key === 's'), 'the full read has the other columns');
  assert.ok(b.processors.every((p: any) => p.processor.name.en), 'and the processors theirs');

  // What the service reads when told the columns: ids, foreign keys and its own keys, nothing else.
  const pool = new pg.Pool({ connectionString: large.orm.config.get('clientUrl') });
  try {
    const r = await resolveRequest(pool, new ReadModel(large.orm), { type: RequestType.ERASE, claimedSubjectCategoryCodes: ['users'], identities: [] },
      { fieldDetail: false, columns: { Dataset: new Set(['id']), Processor: new Set() } });
    assert.ok(r.datasets.length >= 100);
    assert.deepEqual(Object.keys(r.datasets[0].dataset as object).sort(), ['id', 'key', 'processor', 'status', 'storageLocation', 'system']);
    assert.deepEqual(Object.keys(r.processors[0].processor as object).sort(), ['code', 'id']);
    const whole = await resolveRequest(pool, new ReadModel(large.orm), { type: RequestType.ERASE, claimedSubjectCategoryCodes: ['users'], identities: [] }, { fieldDetail: false });
    assert.ok('description' in (whole.datasets[0].dataset as object) && 'contract' in (whole.processors[0].processor as object), 'without columns, every column');
  } finally {
    await pool.end();
  }
});
