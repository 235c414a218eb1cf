import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { Role } from '../src/auth/roles.js';
import { doc, startTestServer, token, type TestServer } from './helpers.js';

const AS_OF = `query AsOf($at: DateTimeISO!, $includeArchived: Boolean) {
  inventoryAsOf(at: $at, includeArchived: $includeArchived) {
    activities { id code name { ja en } version archived complete record }
    processors { id code name { ja en } version archived complete record }
    foreignTransfers { id code name { ja en } version archived complete record }
    subjectCategories { id code name { ja en } version archived complete record }
  }
}`;

let s: TestServer;
before(async () => {
  s = await startTestServer({
    docs: [doc({
      subjectCategories: [{ code: 'users', name: { en: 'Users' } }, { code: 'staff', name: { en: 'Staff' } }],
      dataCategories: [{ code: 'contact.email', name: { en: 'Email' }, identityType: 'EMAIL' }],
      processors: [{ code: 'p1', name: { en: 'P1' }, country: 'JP' }, { code: 'p2', name: { en: 'P2' }, country: 'US' }],
      countryAssessments: [{ country: 'US' }],
      foreignTransfers: [{ code: 'ft1', recipientName: { en: 'P2' }, recipientKind: 'PROCESSOR', processor: 'p2', country: 'US', basis: 'EQUIVALENT_MEASURES_CONTRACT', purpose: { en: 'Hosting' } }],
      processingActivities: [
        { code: 'a1', name: { en: 'A1' }, subjectCategories: ['users'], processors: ['p1'], dataCategories: ['contact.email'], foreignTransfers: ['ft1'] },
        { code: 'a2', name: { en: 'A2' }, subjectCategories: ['staff'], processors: ['p2'] },
      ],
    })],
  });
});
after(() => s?.close());

async function ok<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const r = await s.gql(query, variables);
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return r.data as T;
}

const byCode = async (list: 'processingActivities' | 'processors', code: string) => {
  const d = await ok(`query($s: String) { ${list}(first: 500, filter: { search: $s }) { edges { node { id version code } } } }`, { s: code });
  return d[list].edges.map((e: any) => e.node).find((n: any) => n.code === code);
};

/** The register now, read through the ordinary queries, in the as-of record's terms. */
async function independent() {
  const d = await ok(`{
    processingActivities(first: 500, filter: { includeArchived: true }) { edges { node { id code version status archivedAt name { ja en } retention { ja en } subjectCategories { id } processors { id } foreignTransfers { id } } } }
    processors(first: 500) { edges { node { id code version country subProcessors { id } } } }
    foreignTransfers { id code version country purpose { ja en } }
  }`);
  const ids = (xs: Array<{ id: string }>) => xs.map((x) => Number(x.id)).sort((a, b) => a - b);
  return {
    activities: d.processingActivities.edges.map(({ node: a }: any) => ({ id: a.id, code: a.code, version: a.version, status: a.status, archived: a.archivedAt !== null, name: a.name, retention: a.retention, subjectCategoryIds: ids(a.subjectCategories), processorIds: ids(a.processors), foreignTransferIds: ids(a.foreignTransfers) })),
    processors: d.processors.edges.map(({ node: p }: any) => ({ id: p.id, code: p.code, version: p.version, country: p.country, subProcessorIds: ids(p.subProcessors) })),
    foreignTransfers: d.foreignTransfers.map((t: any) => ({ id: t.id, code: t.code, version: t.version, country: t.country, purpose: t.purpose })),
  };
}

/** A stored text as GraphQL gives it: both languages, null where missing. */
const lt = (v: any) => (v == null ? null : { ja: v.ja ?? null, en: v.en ?? null });

/** The as-of answer in the same terms (the relation loaders hide archived targets; none is archived here but a2). */
function project(asOf: any) {
  return {
    activities: asOf.activities.map((a: any) => ({ id: a.id, code: a.code, version: a.version, status: a.record.status, archived: a.archived, name: a.name, retention: lt(a.record.retention), subjectCategoryIds: a.record.subjectCategoryIds, processorIds: a.record.processorIds, foreignTransferIds: a.record.foreignTransferIds })),
    processors: asOf.processors.map((p: any) => ({ id: p.id, code: p.code, version: p.version, country: p.record.country, subProcessorIds: p.record.subProcessorIds })),
    foreignTransfers: asOf.foreignTransfers.map((t: any) => ({ id: t.id, code: t.code, version: t.version, country: t.record.country, purpose: lt(t.record.purpose) })),
  };
}

const sortById = <T extends { id: string }>(xs: T[]) => [...xs].sort((a, b) => Number(a.id) - Number(b.id));

test('the register as of each step, rebuilt from the audit trail, is what it said at that step', async () => {
  const steps: Array<{ label: string; at: string; snapshot: any }> = [];
  const mark = async (label: string) => {
    await sleep(30); // the events of the step are strictly before `at`, the next step's strictly after
    const at = new Date().toISOString();
    const snapshot = (await ok(AS_OF, { at, includeArchived: true })).inventoryAsOf;
    // The snapshot (no change after `at` yet) agrees with the ordinary queries at this moment.
    const now = await independent();
    const p = project(snapshot);
    assert.deepEqual(sortById(p.activities), sortById(now.activities), `${label}: activities`);
    assert.deepEqual(sortById(p.processors), sortById(now.processors), `${label}: processors`);
    assert.deepEqual(sortById(p.foreignTransfers), sortById(now.foreignTransfers), `${label}: transfers`);
    steps.push({ label, at, snapshot });
    await sleep(30);
  };
  const ids = async (list: 'subjectCategories', codes: string[]) => {
    const d = await ok(`{ ${list} { id code } }`);
    return codes.map((c) => d[list].find((x: any) => x.code === c).id);
  };
  const [users, staff] = await ids('subjectCategories', ['users', 'staff']);
  await mark('seed');

  const p1 = await byCode('processors', 'p1');
  const p2 = await byCode('processors', 'p2');
  await ok(`mutation($i: CreateProcessingActivityInput!) { createProcessingActivity(input: $i) { processingActivity { id } } }`, { i: { code: 'a3', name: { ja: '三', en: 'A3' }, subjectCategoryIds: [users], processorIds: [p1.id, p2.id] } });
  await mark('created a3');

  let a1 = await byCode('processingActivities', 'a1');
  await ok(`mutation($i: UpdateProcessingActivityInput!) { updateProcessingActivity(input: $i) { processingActivity { version } } }`, { i: { id: a1.id, version: a1.version, name: { ja: '一', en: 'A1 renamed' }, retention: { en: 'One year' }, processorIds: [p2.id] } });
  await mark('a1 renamed, its processors changed');

  await ok(`mutation($i: UpdateProcessorInput!) { updateProcessor(input: $i) { processor { version } } }`, { i: { id: p1.id, version: p1.version, country: 'SG', subProcessorIds: [p2.id] } });
  await mark('p1 moved, sub-processor added');

  const ft = (await ok('{ foreignTransfers { id version code } }')).foreignTransfers.find((t: any) => t.code === 'ft1');
  await ok(`mutation($i: UpdateForeignTransferInput!) { updateForeignTransfer(input: $i) { foreignTransfer { version } } }`, { i: { id: ft.id, version: ft.version, country: 'GB', purpose: { en: 'Support' } } });
  await mark('transfer changed');

  const a2 = await byCode('processingActivities', 'a2');
  await ok(`mutation($i: ArchiveInput!) { archiveProcessingActivity(input: $i) { processingActivity { version } } }`, { i: { id: a2.id, version: a2.version } });
  await mark('a2 archived');

  const a3 = await byCode('processingActivities', 'a3');
  await ok(`mutation($i: UpdateProcessingActivityInput!) { updateProcessingActivity(input: $i) { processingActivity { version } } }`, { i: { id: a3.id, version: a3.version, subjectCategoryIds: [users, staff] } });
  a1 = await byCode('processingActivities', 'a1');
  await ok(`mutation($i: UpdateProcessingActivityInput!) { updateProcessingActivity(input: $i) { processingActivity { version } } }`, { i: { id: a1.id, version: a1.version, status: 'DRAFT' } });
  await ok(`mutation($i: CreateProcessorInput!) { createProcessor(input: $i) { processor { id } } }`, { i: { code: 'p3', name: { en: 'P3' }, country: 'JP' } });
  const sc = (await ok('{ subjectCategories { id version code } }')).subjectCategories.find((x: any) => x.code === 'staff');
  await ok(`mutation($i: UpdateSubjectCategoryInput!) { updateSubjectCategory(input: $i) { subjectCategory { version } } }`, { i: { id: sc.id, version: sc.version, name: { ja: '従業員', en: 'Employees' } } });
  await mark('a3 subjects, a1 status, p3 created, staff renamed');

  // Every earlier snapshot comes back, now that later changes have to be undone to reach it.
  for (const step of steps) {
    const again = (await ok(AS_OF, { at: step.at, includeArchived: true })).inventoryAsOf;
    assert.deepEqual(again, step.snapshot, step.label);
  }
  const before = (d: string) => steps.find((x) => x.label === d)!.snapshot;
  assert.ok(!before('seed').activities.some((a: any) => a.code === 'a3'), 'a3 did not exist yet');
  assert.deepEqual(before('seed').activities.find((a: any) => a.code === 'a1').name, { ja: null, en: 'A1' });
  assert.equal(before('transfer changed').activities.find((a: any) => a.code === 'a2').archived, false);
  assert.equal(before('a2 archived').activities.find((a: any) => a.code === 'a2').archived, true);
  const last = before('a3 subjects, a1 status, p3 created, staff renamed');
  assert.ok(last.processors.some((p: any) => p.code === 'p3') && !before('a2 archived').processors.some((p: any) => p.code === 'p3'));
  assert.deepEqual(last.subjectCategories.find((c: any) => c.code === 'staff').name, { ja: '従業員', en: 'Employees' });
  assert.deepEqual(before('a2 archived').subjectCategories.find((c: any) => c.code === 'staff').name, { ja: null, en: 'Staff' });
  // Without includeArchived, an archived record is left out of the date it was archived on.
  const live = (await ok(AS_OF, { at: steps.at(-1)!.at })).inventoryAsOf;
  assert.deepEqual(live.activities.map((a: any) => a.code).sort(), ['a1', 'a3']);
  const early = (await ok(AS_OF, { at: steps[0].at })).inventoryAsOf;
  assert.deepEqual(early.activities.map((a: any) => a.code).sort(), ['a1', 'a2']);
});

test('a value the trail kept only as a digest comes back as the digest, marked incomplete', async () => {
  const long = 'x'.repeat(5000);
  const created = await ok(`mutation($i: CreateProcessingActivityInput!) { createProcessingActivity(input: $i) { processingActivity { id version } } }`, { i: { code: 'big', name: { en: 'Big' }, description: { en: long } } });
  const { id, version } = created.createProcessingActivity.processingActivity;
  await sleep(30);
  const whileLong = new Date().toISOString();
  await sleep(30);
  await ok(`mutation($i: UpdateProcessingActivityInput!) { updateProcessingActivity(input: $i) { processingActivity { version } } }`, { i: { id, version, description: { en: 'short' } } });
  const at = async (when: string) => (await ok(AS_OF, { at: when })).inventoryAsOf.activities.find((a: any) => a.code === 'big');
  const then = await at(whileLong);
  assert.equal(then.complete, false);
  assert.deepEqual(then.record.description.en, { digest: `sha256:${createHash('sha256').update(long).digest('hex')}`, bytes: 5000 });
  assert.deepEqual(then.name, { ja: null, en: 'Big' }, 'the other fields are rebuilt');
  const now = await at(new Date().toISOString());
  assert.equal(now.complete, true);
  assert.equal(now.record.description.en, 'short');
});

test('auditors and the privacy team read the register as of a date; integrations do not', async () => {
  const at = new Date().toISOString();
  for (const role of [Role.AUDITOR, Role.PRIVACY_ANALYST]) {
    const r = await s.gql('query($at: DateTimeISO!) { inventoryAsOf(at: $at) { processors { code } } }', { at }, { token: await token(role) });
    assert.equal(r.errors, undefined, `${role}: ${JSON.stringify(r.errors)}`);
  }
  const r = await s.gql('query($at: DateTimeISO!) { inventoryAsOf(at: $at) { processors { code } } }', { at }, { token: await token(Role.INTEGRATION, { system: 'x' }) });
  assert.equal(r.errors?.[0].extensions.code, 'FORBIDDEN');
  const bad = await s.gql('query($at: DateTimeISO!) { inventoryAsOf(at: $at) { processors { code } } }', { at: 'yesterday' });
  assert.equal(bad.errors?.[0].extensions.code, 'BAD_USER_INPUT', JSON.stringify(bad.errors));
});
