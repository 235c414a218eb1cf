import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Role } from '../src/auth/roles.js';
import { readManifests } from '../src/manifest/importer.js';
import { seedDirs } from '../src/manifest/seed.js';
import { startTestServer, token, type TestServer } from './helpers.js';

/**
 * The resolution as a flow (issue 17): the links the request page draws join exactly the records
 * of the resolution — nothing drawn that the resolution does not list, nothing listed left
 * unconnected — and carry the dataset's match downstream.
 */
let s: TestServer;
let analyst: string;
before(async () => {
  s = await startTestServer({ docs: [...(await readManifests(seedDirs('demo')))] });
  analyst = await token(Role.PRIVACY_ANALYST, { sub: 'analyst-1' });
  const made = await s.gql('mutation { createSystem(input: { key: "flow-crm", name: "Flow CRM" }) { system { id } } }');
  assert.equal(made.errors, undefined, JSON.stringify(made.errors));
  const sys = await token(Role.INTEGRATION, { system: 'flow-crm' });
  const field = '[{ path: "email", identityType: EMAIL, dataCategoryCodes: ["contact.email"] }]';
  const reg = await s.gql(`mutation { registerDatasets(input: { systemKey: "flow-crm", datasets: [
      { key: "members", name: "Members", activityCodes: ["pa-10-newsletter"], fields: ${field} },
      { key: "leads", name: "Leads", activityCodes: ["pa-10-newsletter"], fields: ${field} }
    ] }) { results { key status } } }`, {}, { token: sys });
  assert.equal(reg.errors, undefined, JSON.stringify(reg.errors));
  for (const [dataset, value] of [['members', 'flow-person@example.com'], ['leads', 'someone-else@example.com']] as const) {
    const r = await s.gql(`mutation($v: [String!]!) { reportSubjects(input: { systemKey: "flow-crm", datasetKey: "${dataset}", identityType: EMAIL, values: $v, op: ADD }) { added } }`, { v: [value] }, { token: sys });
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  }
});
after(() => s?.close());

const RESOLUTION = `query R($id: ID!) { dataSubjectRequest(id: $id) { resolution {
  activities { activity { id } } excludedActivities { activity { id } }
  datasets { dataset { id key } match dataCategories { id } }
  processors { processor { id code } via chain }
  jointUsers { arrangement { id } } thirdPartyRecipients { id } withheldRecipients { recipient { id } }
  foreignLocations { country }
  links { source target kind match } } } }`;

async function resolve(input: Record<string, unknown>) {
  const c = await s.gql(`mutation C($input: CreateDataSubjectRequestInput!) { createDataSubjectRequest(input: $input) { request { id } } }`,
    { input: { framework: 'APPI', channel: 'WEB', requester: { kind: 'SELF' }, responseMethod: 'ELECTRONIC', ...input } }, { token: analyst });
  assert.equal(c.errors, undefined, JSON.stringify(c.errors));
  const r = await s.gql(RESOLUTION, { id: c.data.createDataSubjectRequest.request.id }, { token: analyst });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return r.data.dataSubjectRequest.resolution;
}

/** Every record the resolution lists, by the node id its links use. */
function listed(res: any): Set<string> {
  return new Set([
    'Person',
    ...[...res.activities, ...res.excludedActivities].map((a: any) => `ProcessingActivity:${a.activity.id}`),
    ...res.datasets.map((d: any) => `Dataset:${d.dataset.id}`),
    ...res.datasets.flatMap((d: any) => d.dataCategories.map((c: any) => `DataCategory:${c.id}`)),
    ...res.processors.map((p: any) => `Processor:${p.processor.id}`),
    ...res.jointUsers.map((j: any) => `JointUseArrangement:${j.arrangement.id}`),
    ...[...res.thirdPartyRecipients, ...res.withheldRecipients.map((w: any) => w.recipient)].map((r: any) => `ThirdPartyRecipient:${r.id}`),
    ...res.foreignLocations.map((f: any) => `Country:${f.country}`),
  ]);
}

for (const [name, input] of [
  ['indexed', { type: 'DISCLOSE', identities: [{ type: 'EMAIL', value: 'flow-person@example.com' }] }],
  ['unnarrowed', { type: 'ERASE', identities: [{ type: 'EMAIL', value: 'nobody-known@example.com' }] }],
] as const) {
  test(`${name}: the links join exactly the records the resolution lists`, async () => {
    const res = await resolve(input);
    const nodes = listed(res);
    const ends = new Set<string>(res.links.flatMap((l: any) => [l.source, l.target]));
    assert.deepEqual([...ends].filter((n) => !nodes.has(n)), [], 'a link names a record the resolution does not list');
    assert.deepEqual([...nodes].filter((n) => !ends.has(n)), [], 'a listed record has no link');
    // Every record is reached from the person, following the links forwards.
    const seen = new Set(['Person']);
    for (let grew = true; grew;) {
      grew = false;
      for (const l of res.links) if (seen.has(l.source) && !seen.has(l.target)) { seen.add(l.target); grew = true; }
    }
    assert.deepEqual([...nodes].filter((n) => !seen.has(n)), []);
    // A sub-processor hangs below the processor its chain names, not beside it.
    const byCode = new Map(res.processors.map((p: any) => [p.processor.code, p.processor.id]));
    const subs = res.processors.filter((p: any) => p.via === 'SUB_PROCESSOR');
    // The demo seed's sub-processors are engaged directly too (so via DIRECT): the link is drawn all the same.
    if (name === 'unnarrowed') assert.ok(res.links.some((l: any) => l.kind === 'SUB_PROCESSES'), 'no sub-processing link when nothing narrows the request');
    for (const p of subs) {
      const parent = byCode.get(p.chain[p.chain.length - 2]);
      assert.ok(res.links.some((l: any) => l.kind === 'SUB_PROCESSES' && l.source === `Processor:${parent}` && l.target === `Processor:${p.processor.id}`), p.processor.code);
    }
  });
}

test('a link into a dataset carries its match; a dataset without the person leads on as NOT_HELD', async () => {
  const res = await resolve({ type: 'DISCLOSE', identities: [{ type: 'EMAIL', value: 'flow-person@example.com' }] });
  const match = Object.fromEntries(res.datasets.map((d: any) => [d.dataset.key, d.match]));
  assert.equal(match.members, 'HELD');
  assert.equal(match.leads, 'NOT_HELD');
  for (const d of res.datasets) {
    const into = res.links.filter((l: any) => l.target === `Dataset:${d.dataset.id}`);
    assert.ok(into.length > 0, d.dataset.key);
    for (const l of into) assert.equal(l.match, d.match, `${l.source} → ${d.dataset.key}`);
    for (const l of res.links.filter((x: any) => x.source === `Dataset:${d.dataset.id}`)) assert.equal(l.match, d.match);
  }
  // The person's e-mail category is held through "members" even though "leads" shares it.
  const email = res.datasets.find((d: any) => d.dataset.key === 'members').dataCategories[0].id;
  assert.equal(res.links.find((l: any) => l.source === 'Person' && l.target === `DataCategory:${email}`)?.match, 'HELD');
});

/** The 第三者提供 page lists the records of a period through provisionRecordsOfPeriod. */
const PERIOD = `query P($from: LocalDate!, $to: LocalDate!, $direction: ProvisionDirection, $first: Int, $after: String) {
  provisionRecordsOfPeriod(from: $from, to: $to, direction: $direction, first: $first, after: $after) {
    totalCount edges { node { code providedAt direction } } pageInfo { hasNextPage endCursor } } }`;

test('provision records of a period: both ends included, paged by date, bad periods refused', async () => {
  const all = await s.gql('{ provisionRecords { code providedAt direction } }', {}, { token: analyst });
  const records: Array<{ code: string; providedAt: string; direction: string }> = all.data.provisionRecords;
  assert.ok(records.length >= 3, 'the demo seed has provision records');
  const dates = [...new Set(records.map((r) => r.providedAt))].sort();
  const [from, to] = [dates[0], dates[dates.length - 2]];
  const expected = records.filter((r) => r.providedAt >= from && r.providedAt <= to).map((r) => r.code).sort();
  const seen: string[] = [];
  const seenDates: string[] = [];
  let after: string | null = null;
  for (let i = 0; i < 10; i++) {
    const r: any = await s.gql(PERIOD, { from, to, first: 1, after }, { token: analyst });
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    const c = r.data.provisionRecordsOfPeriod;
    assert.equal(c.totalCount, expected.length);
    seen.push(...c.edges.map((e: any) => e.node.code));
    seenDates.push(...c.edges.map((e: any) => e.node.providedAt));
    if (!c.pageInfo.hasNextPage) break;
    after = c.pageInfo.endCursor;
  }
  assert.deepEqual([...seen].sort(), expected);
  assert.deepEqual(seenDates, [...seenDates].sort().reverse(), 'latest provision first, across pages');
  const received = await s.gql(PERIOD, { from: dates[0], to: dates.at(-1), direction: 'RECEIVED' }, { token: analyst });
  assert.deepEqual(received.data.provisionRecordsOfPeriod.edges.map((e: any) => e.node.code).sort(), records.filter((r) => r.direction === 'RECEIVED').map((r) => r.code).sort());
  const bad = await s.gql(PERIOD, { from: to, to: from === to ? '2000-01-01' : from }, { token: analyst });
  assert.equal(bad.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  assert.equal(bad.errors?.[0]?.extensions?.field, 'to');
  const junk = await s.gql(PERIOD, { from, to, after: 'not-a-cursor' }, { token: analyst });
  assert.equal(junk.errors?.[0]?.extensions?.field, 'after');
  const system = await token(Role.INTEGRATION, { system: 'flow-crm' });
  const denied = await s.gql(PERIOD, { from, to }, { token: system });
  assert.equal(denied.errors?.[0]?.extensions?.code, 'FORBIDDEN');
});

test('an archived processor leaves the flow with the list (run last: it archives one)', async () => {
  const acts = await s.gql('{ processingActivities(first: 100) { edges { node { code processors { id version } } } } }', {}, { token: analyst });
  const engaged = acts.data.processingActivities.edges.find((e: any) => e.node.code === 'pa-10-newsletter')?.node.processors[0]
    ?? acts.data.processingActivities.edges.find((e: any) => e.node.processors.length)?.node.processors[0];
  assert.ok(engaged, 'the demo seed engages a processor on an activity');
  const admin = await token(Role.PRIVACY_ADMIN);
  const archived = await s.gql('mutation($id: ID!, $v: Int!) { archiveProcessor(input: { id: $id, version: $v }) { processor { id } } }', { id: engaged.id, v: engaged.version }, { token: admin });
  assert.equal(archived.errors, undefined, JSON.stringify(archived.errors));
  const res = await resolve({ type: 'ERASE', identities: [{ type: 'EMAIL', value: 'nobody-known@example.com' }] });
  assert.ok(!res.processors.some((p: any) => p.processor.id === engaged.id));
  const ends = new Set<string>(res.links.flatMap((l: any) => [l.source, l.target]));
  assert.ok(!ends.has(`Processor:${engaged.id}`), 'no link to the archived processor');
  assert.deepEqual([...ends].filter((n) => !listed(res).has(n)), []);
});
