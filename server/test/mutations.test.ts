import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { doc, roleUrl, startTestServer, type TestServer } from './helpers.js';

let s: TestServer;
before(async () => {
  s = await startTestServer({
    docs: [doc({
      purposes: [{ code: 'p1', text: { ja: '目的1' } }, { code: 'p2', text: { ja: '目的2' } }],
      processors: [{ code: 'host', name: { en: 'Host' }, country: 'JP' }],
      processingActivities: [{ code: 'act', name: { en: 'Activity' }, purposes: ['p1'] }],
    })],
  });
});
after(() => s?.close());

const count = async (table: string) => Number((await s.orm.em.getConnection().execute(`select count(*) as n from "${table}"`))[0].n);

test('create validates ISO country codes, required texts and references, and writes nothing when rejected', async () => {
  const before = await count('storage_location');
  const r = await s.gql(`mutation { createStorageLocation(input: { code: "x", name: { ja: " " }, country: "XX" }) { storageLocation { id } } }`);
  assert.equal(r.errors?.[0].extensions.code, 'BAD_USER_INPUT');
  const paths = r.errors![0].extensions.problems.map((p: any) => p.path).sort();
  assert.deepEqual(paths, ['input.country', 'input.name']);
  const lower = await s.gql(`mutation { createStorageLocation(input: { code: "x", name: { en: "X" }, country: "jp" }) { storageLocation { id } } }`);
  assert.equal(lower.errors?.[0].extensions.field, 'input.country');
  const ref = await s.gql(`mutation { createStorageLocation(input: { code: "x", name: { en: "X" }, country: "JP", hostingProcessorId: "999" }) { storageLocation { id } } }`);
  assert.equal(ref.errors?.[0].extensions.code, 'BAD_USER_INPUT');
  assert.equal(ref.errors?.[0].extensions.field, 'input.hostingProcessorId');
  const enumBad = await s.gql(`mutation { createStorageLocation(input: { code: "x", name: { en: "X" }, country: "JP", purpose: SIDEWAYS }) { storageLocation { id } } }`);
  assert.equal(enumBad.errors?.[0].extensions.code, 'GRAPHQL_VALIDATION_FAILED');
  assert.equal(await count('storage_location'), before);
});

test('create, update with the current version, archive; a stale version gets CONFLICT', async () => {
  const c = await s.gql(`mutation { createStorageLocation(input: { code: "tokyo", name: { ja: "東京" }, country: "JP", region: "ap-northeast-1", hostingProcessorId: "1" }) { storageLocation { id version country hostingProcessor { code } assessment { country } } } }`);
  assert.equal(c.errors, undefined, JSON.stringify(c.errors));
  const loc = c.data.createStorageLocation.storageLocation;
  assert.equal(loc.version, 1);
  assert.equal(loc.hostingProcessor.code, 'host');
  const u = await s.gql(`mutation($id: ID!) { updateStorageLocation(input: { id: $id, version: 1, region: "Tokyo" }) { storageLocation { version region name { ja } } } }`, { id: loc.id });
  assert.equal(u.errors, undefined, JSON.stringify(u.errors));
  assert.deepEqual(u.data.updateStorageLocation.storageLocation, { version: 2, region: 'Tokyo', name: { ja: '東京' } });
  const stale = await s.gql(`mutation($id: ID!) { updateStorageLocation(input: { id: $id, version: 1, region: "Osaka" }) { storageLocation { region } } }`, { id: loc.id });
  assert.equal(stale.errors?.[0].extensions.code, 'CONFLICT');
  const a = await s.gql(`mutation($id: ID!) { archiveStorageLocation(input: { id: $id, version: 2 }) { storageLocation { archivedAt version } } }`, { id: loc.id });
  assert.ok(a.data.archiveStorageLocation.storageLocation.archivedAt);
  const list = await s.gql('{ storageLocations { code } all: storageLocations(includeArchived: true) { code } }');
  assert.deepEqual(list.data.storageLocations, []);
  assert.deepEqual(list.data.all, [{ code: 'tokyo' }]);
});

test('unknown ids get NOT_FOUND, duplicate codes CONFLICT', async () => {
  const nf = await s.gql('mutation { updateProcessor(input: { id: "424242", version: 1, country: "US" }) { processor { id } } }');
  assert.equal(nf.errors?.[0].extensions.code, 'NOT_FOUND');
  const junk = await s.gql('mutation { archiveProcessor(input: { id: "abc", version: 1 }) { processor { id } } }');
  assert.equal(junk.errors?.[0].extensions.code, 'NOT_FOUND');
  const dup = await s.gql('mutation { createProcessor(input: { code: "host", name: { en: "Again" } }) { processor { id } } }');
  assert.equal(dup.errors?.[0].extensions.code, 'CONFLICT');
});

test('an update with one bad reference changes nothing, not even the valid fields', async () => {
  const act = (await s.gql('{ processingActivities { edges { node { id version name { en } purposes { code } } } } }')).data.processingActivities.edges[0].node;
  const r = await s.gql(`mutation($id: ID!, $v: Int!) { updateProcessingActivity(input: { id: $id, version: $v, name: { en: "Renamed" }, purposeIds: ["2", "999"] }) { processingActivity { id } } }`, { id: act.id, v: act.version });
  assert.equal(r.errors?.[0].extensions.code, 'BAD_USER_INPUT');
  assert.equal(r.errors?.[0].extensions.field, 'input.purposeIds[1]');
  const again = (await s.gql(`{ processingActivity(id: "${act.id}") { version name { en } purposes { code } } }`)).data.processingActivity;
  assert.deepEqual(again, { version: act.version, name: { en: 'Activity' }, purposes: [{ code: 'p1' }] });
  const ok = await s.gql(`mutation($id: ID!, $v: Int!) { updateProcessingActivity(input: { id: $id, version: $v, purposeIds: ["1", "2"] }) { processingActivity { version purposes { code } } } }`, { id: act.id, v: act.version });
  assert.deepEqual(ok.data.updateProcessingActivity.processingActivity.purposes.map((p: any) => p.code), ['p1', 'p2']);
});

test('the taxonomy and the processor graph refuse cycles', async () => {
  const a = (await s.gql('mutation { createDataCategory(input: { code: "a", name: { en: "A" } }) { dataCategory { id version } } }')).data.createDataCategory.dataCategory;
  const b = (await s.gql(`mutation { createDataCategory(input: { code: "a.b", name: { en: "B" }, parentId: "${a.id}" }) { dataCategory { id } } }`)).data.createDataCategory.dataCategory;
  const cyc = await s.gql(`mutation { updateDataCategory(input: { id: "${a.id}", version: ${a.version}, parentId: "${b.id}" }) { dataCategory { id } } }`);
  assert.equal(cyc.errors?.[0].extensions.code, 'BAD_USER_INPUT');
  assert.equal(cyc.errors?.[0].extensions.field, 'input.parentId');
  const self = await s.gql('mutation { updateProcessor(input: { id: "1", version: 1, subProcessorIds: ["1"] }) { processor { id } } }');
  assert.equal(self.errors?.[0].extensions.field, 'input.subProcessorIds[0]');
});

test('unexpected failures are masked: no SQL, stack or library message reaches the client', async () => {
  // Break the database under the server for a moment, so that a query fails for real (as the
  // owner: the server's role cannot alter tables).
  const owner = new pg.Client({ connectionString: roleUrl('owner', s.orm.config.get('clientUrl')) });
  await owner.connect();
  await owner.query('alter table "security_measure" rename to "security_measure_away"');
  try {
    const r = await s.gql('{ securityMeasures { code } }');
    assert.equal(r.errors?.[0].extensions.code, 'INTERNAL_SERVER_ERROR');
    assert.ok(r.errors?.[0].extensions.requestId, 'a request id to find the logged detail');
    assert.equal(r.errors?.[0].message, 'Internal server error');
    assert.doesNotMatch(JSON.stringify(r), /security_measure|relation|select|stack|node_modules|\.js:/i);
  } finally {
    await owner.query('alter table "security_measure_away" rename to "security_measure"');
    await owner.end();
  }
});

test('a change of links alone bumps the version, so a second writer with the old version gets CONFLICT', async () => {
  const act = (await s.gql('{ processingActivities { edges { node { id version } } } }')).data.processingActivities.edges[0].node;
  const first = await s.gql(`mutation { updateProcessingActivity(input: { id: "${act.id}", version: ${act.version}, purposeIds: ["1"] }) { processingActivity { version } } }`);
  assert.equal(first.data.updateProcessingActivity.processingActivity.version, act.version + 1);
  const second = await s.gql(`mutation { updateProcessingActivity(input: { id: "${act.id}", version: ${act.version}, purposeIds: ["2"] }) { processingActivity { version } } }`);
  assert.equal(second.errors?.[0].extensions.code, 'CONFLICT');
});

test('over-long texts, empty required texts, bad URLs and out-of-range ids are bad input, not server errors', async () => {
  const long = await s.gql(`mutation { createSystem(input: { key: "k1", name: "${'a'.repeat(300)}" }) { system { id } } }`);
  assert.equal(long.errors?.[0].extensions.field, 'input.name');
  const empty = await s.gql('mutation { createSystem(input: { key: "k2", name: "" }) { system { id } } }');
  assert.equal(empty.errors?.[0].extensions.field, 'input.name');
  const manager = await s.gql('mutation { createJointUseArrangement(input: { code: "ju", name: { en: "JU" }, itemsText: { en: "Name" }, scope: { en: "Group" }, responsibleManager: { name: {} } }) { jointUseArrangement { id } } }');
  assert.equal(manager.errors?.[0].extensions.code, 'BAD_USER_INPUT');
  assert.equal(manager.errors?.[0].extensions.field, 'input.responsibleManager.name');
  const url = await s.gql('mutation { createJointUseArrangement(input: { code: "ju", name: { en: "JU" }, itemsText: { en: "Name" }, scope: { en: "Group" }, responsibleManager: { name: { en: "M" } }, memberListUrl: "javascript:alert(1)" }) { jointUseArrangement { id } } }');
  assert.equal(url.errors?.[0].extensions.field, 'input.memberListUrl');
  const big = await s.gql('{ processingActivity(id: "99999999999") { id } processingActivities(filter: { purposeIds: ["99999999999"] }) { totalCount } }');
  assert.equal(big.errors, undefined, JSON.stringify(big.errors));
  assert.equal(big.data.processingActivity, null);
  const cursor = Buffer.from('c:123456789012345').toString('base64url');
  const after = await s.gql(`{ processingActivities(after: "${cursor}") { totalCount } }`);
  assert.equal(after.errors, undefined, JSON.stringify(after.errors));
});

test('URL fields take absolute https URLs only; anything else is BAD_USER_INPUT on the field and writes nothing', async () => {
  const create = (code: string, url: string) => s.gql(`mutation($u: String) { createJointUseArrangement(input: { code: "${code}", name: { en: "JU" }, itemsText: { en: "Name" }, scope: { en: "Group" }, responsibleManager: { name: { en: "M" } }, memberListUrl: $u }) { jointUseArrangement { id memberListUrl } } }`, { u: url });
  const before = await count('joint_use_arrangement');
  for (const bad of ['http://members.example/list', 'javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'ftp://members.example/list', '//members.example/list', '/relative/path', 'https://user:secret@members.example/', 'http://localhost:8080/list', 'https://exa mple.com/']) {
    const r = await create('ju-bad', bad);
    assert.equal(r.errors?.[0].extensions.code, 'BAD_USER_INPUT', bad);
    assert.equal(r.errors?.[0].extensions.field, 'input.memberListUrl', bad);
  }
  assert.equal(await count('joint_use_arrangement'), before, 'nothing written');
  const ok = await create('ju-ok', 'https://members.example/list');
  assert.equal(ok.errors, undefined, JSON.stringify(ok.errors));
  assert.equal(ok.data.createJointUseArrangement.jointUseArrangement.memberListUrl, 'https://members.example/list');
});

test('a read forks no EntityManager (Apollo copies the context per operation); a mutation forks one and sees it across its resolvers', async () => {
  const em = s.orm.em as unknown as { fork: (...a: unknown[]) => unknown };
  const fork = em.fork;
  let forks = 0;
  em.fork = function (this: unknown, ...a: unknown[]) {
    forks++;
    return fork.apply(this, a);
  };
  try {
    const read = await s.gql('query R($f: Int!) { processingActivities(first: $f) { edges { node { code purposes { code } } } } }', { f: 5 });
    assert.equal(read.errors, undefined);
    assert.equal(forks, 0, 'a read forks no EntityManager');
    const made = await s.gql('mutation { createStorageLocation(input: { code: "fork-check", name: { ja: "確認" }, country: "JP" }) { storageLocation { id code } } }');
    assert.equal(made.errors, undefined, JSON.stringify(made.errors));
    assert.equal(made.data.createStorageLocation.storageLocation.code, 'fork-check');
    assert.ok(forks >= 1 && forks <= 2, `${forks} forks for one mutation`);
  } finally {
    em.fork = fork;
  }
});
