import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { doc, startTestServer, type TestServer } from './helpers.js';

// run-tests: own process: it reads the process-wide metrics by operation name.

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
