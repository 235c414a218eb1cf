import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { doc, startTestServer, type TestServer } from './helpers.js';

/** An inventory of n activities, each with purposes, data categories and processors that have storage locations and sub-processors. */
function inventory(n: number) {
  // Every activity's processors engage one of five sub-processors that no activity uses directly,
  // so each relation level is one batch for any page size.
  const subs = Array.from({ length: 5 }, (_, i) => ({ code: `sub-${i}`, name: { en: `Sub-processor ${i}` }, country: 'IE' }));
  const processors = [
    ...subs,
    ...Array.from({ length: 20 }, (_, i) => ({ code: `proc-${i}`, name: { en: `Processor ${i}` }, country: i % 2 ? 'US' : 'JP', subProcessors: [`sub-${i % 5}`] })),
  ];
  return doc({
    subjectCategories: [{ code: 'users', name: { en: 'Users' } }],
    dataCategories: [
      { code: 'contact', name: { en: 'Contact' } },
      { code: 'contact.email', name: { en: 'Email' }, parent: 'contact', identityType: 'EMAIL' },
      { code: 'online.cookie_id', name: { en: 'Cookie' }, kind: 'PERSONALLY_REFERABLE' },
    ],
    purposes: Array.from({ length: 5 }, (_, i) => ({ code: `purpose-${i}`, text: { en: `Purpose ${i}` }, subjectCategory: 'users' })),
    processors,
    storageLocations: processors.map((p, i) => ({ code: `loc-${i}`, name: { en: `Location ${i}` }, country: p.country, hostingProcessor: p.code })),
    processingActivities: Array.from({ length: n }, (_, i) => ({
      code: `act-${i}`,
      name: { en: `Activity ${i}` },
      subjectCategories: ['users'],
      purposes: [`purpose-${i % 5}`, `purpose-${(i + 1) % 5}`],
      dataCategories: i % 2 ? ['contact.email'] : ['contact.email', 'online.cookie_id'],
      processors: [`proc-${i % 20}`, `proc-${(i + 7) % 20}`],
    })),
  });
}

const DEEP = `query Deep($first: Int!) {
  processingActivities(first: $first) {
    totalCount
    edges { node {
      code
      purposes { code text { en } subjectCategory { code } }
      dataCategories { code kind parent { code } }
      subjectCategories { code role }
      processors { code country storageLocations { code country assessment { country } } subProcessors { code storageLocations { country } } }
    } }
  }
}`;

let small: TestServer;
let large: TestServer;
before(async () => {
  await Promise.all([startTestServer({ docs: [inventory(10)] }).then((s) => (small = s)), startTestServer({ docs: [inventory(100)] }).then((s) => (large = s))]);
});
after(async () => {
  await Promise.all([small?.close(), large?.close()]);
});

async function statementsFor(server: TestServer, first: number): Promise<{ statements: number; ms: number; count: number }> {
  const labels = { operation_name: 'Deep' };
  const before = await server.metric('kiroku_sql_statements_per_operation_sum', labels);
  const t0 = performance.now();
  const res = await server.gql(DEEP, { first }, { operationName: 'Deep' });
  const ms = performance.now() - t0;
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  const afterSum = await server.metric('kiroku_sql_statements_per_operation_sum', labels);
  return { statements: afterSum - before, ms, count: res.data.processingActivities.edges.length };
}

test('the deep activity query issues the same number of SQL statements for 10 and for 100 activities', async () => {
  const s = await statementsFor(small, 10);
  const l = await statementsFor(large, 100);
  assert.equal(s.count, 10);
  assert.equal(l.count, 100);
  assert.ok(s.statements > 0, 'statements are counted');
  assert.equal(l.statements, s.statements, `10 activities: ${s.statements} statements, 100 activities: ${l.statements}`);
  // A loader per relation and level: page + count + 4 relations + storage + assessment + sub-processors + their storage + purpose categories + parents.
  assert.ok(l.statements <= 14, `at most one statement per relation level, got ${l.statements}`);
  console.log(`deep query: ${l.statements} statements; 10 activities ${s.ms.toFixed(1)} ms, 100 activities ${l.ms.toFixed(1)} ms`);
});

test('the deep query returns the linked records both ways', async () => {
  const ids = await large.gql('{ processors(first: 100) { edges { node { id code } } } }');
  const id = ids.data.processors.edges.find((e: any) => e.node.code === 'proc-0').node.id;
  const res = await large.gql(`{ processor(id: "${id}") { code activities { code } engagedBy { code } subProcessors { code } storageLocations { code } }
    dataCategories { code children { code } activities { code } } }`);
  assert.equal(res.errors, undefined);
  assert.equal(res.data.processor.code, 'proc-0');
  assert.equal(res.data.processor.activities.length, 10);
  assert.deepEqual(res.data.processor.subProcessors.map((p: any) => p.code), ['sub-0']);
  assert.deepEqual(res.data.processor.storageLocations.map((p: any) => p.code), ['loc-5']);
  const contact = res.data.dataCategories.find((c: any) => c.code === 'contact');
  assert.deepEqual(contact.children.map((c: any) => c.code), ['contact.email']);
  assert.equal(res.data.dataCategories.find((c: any) => c.code === 'contact.email').activities.length, 100);
});

test('/metrics reports SQL statements in Prometheus text format', async () => {
  const text = await (await fetch(`${large.url}/metrics`)).text();
  assert.match(text, /# TYPE kiroku_sql_statements_total counter/);
  assert.match(text, /kiroku_sql_statements_per_operation_bucket\{le="[0-9]+",operation_type="query",operation_name="Deep"\}/);
});
