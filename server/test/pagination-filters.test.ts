import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { doc, startTestServer, type TestServer } from './helpers.js';

/**
 * Audit dates relative to today ("overdue" is judged on the database's current date): a day in
 * the month `monthsAgo` before this one, the 10th so that adding months never meets a month end.
 */
const monthsAgo = (n: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - n, 10)).toISOString().slice(0, 10);
};
const recentAudit = monthsAgo(1);
const lateAudit = monthsAgo(36);

let s: TestServer;
before(async () => {
  s = await startTestServer({
    docs: [doc({
      subjectCategories: [{ code: 'users', name: { en: 'Users' } }, { code: 'staff', name: { en: 'Staff' } }],
      dataCategories: [
        { code: 'health', name: { en: 'Health' }, kind: 'SPECIAL_CARE' },
        { code: 'health.disability', name: { en: 'Disability' }, kind: 'SPECIAL_CARE', parent: 'health' },
        { code: 'health.disability.grade', name: { en: 'Grade' }, kind: 'SPECIAL_CARE', parent: 'health.disability' },
        { code: 'contact.email', name: { en: 'Email' } },
      ],
      purposes: [{ code: 'p-news', text: { en: 'Sending newsletters', ja: 'メールマガジンの配信' } }],
      processors: [
        { code: 'ok', name: { en: 'Audited' }, country: 'JP', services: ['hosting'], auditIntervalMonths: 12, audits: [{ code: 'a1', auditedAt: recentAudit, method: 'REMOTE', result: 'SATISFACTORY' }] },
        { code: 'late', name: { en: 'Late' }, country: 'US', services: ['email'], auditIntervalMonths: 12, audits: [{ code: 'a2', auditedAt: lateAudit, method: 'REMOTE', result: 'MINOR_FINDINGS' }] },
        { code: 'never', name: { en: 'Never audited' }, country: 'SG', auditIntervalMonths: 12 },
      ],
      storageLocations: [{ code: 'us-east', name: { en: 'US East' }, country: 'US', hostingProcessor: 'late' }],
      processingActivities: Array.from({ length: 7 }, (_, i) => ({
        code: `act-${i}`,
        name: { en: i === 3 ? 'Recruiting with disability data' : `Activity ${i}`, ja: i === 3 ? '採用' : undefined },
        subjectCategories: [i % 2 ? 'staff' : 'users'],
        dataCategories: i === 3 ? ['health.disability.grade'] : ['contact.email'],
        processors: i === 5 ? ['late'] : [],
        purposes: i === 6 ? ['p-news'] : [],
      })),
      systems: [{ key: 'crm', name: 'CRM', datasets: [
        { key: 'contacts', name: 'Contacts', storageLocation: 'us-east', processor: 'late', fields: [{ path: 'email', dataCategories: ['contact.email'], identityType: 'EMAIL' }] },
        { key: 'notes', name: 'Notes', fields: [{ path: 'grade', dataCategories: ['health.disability.grade'] }] },
      ] }],
    })],
  });
});
after(() => s?.close());

const ids = async (q: string) => {
  const r = await s.gql(q);
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return r.data;
};

test('connections page with first/after and report totalCount and pageInfo', async () => {
  const p1 = await ids('{ processingActivities(first: 3) { totalCount pageInfo { hasNextPage endCursor } edges { node { code } } } }');
  assert.equal(p1.processingActivities.totalCount, 7);
  assert.deepEqual(p1.processingActivities.edges.map((e: any) => e.node.code), ['act-0', 'act-1', 'act-2']);
  assert.equal(p1.processingActivities.pageInfo.hasNextPage, true);
  const cursor = p1.processingActivities.pageInfo.endCursor;
  const p3 = await ids(`{ processingActivities(first: 10, after: "${cursor}") { pageInfo { hasNextPage hasPreviousPage } edges { node { code } } } }`);
  assert.deepEqual(p3.processingActivities.edges.map((e: any) => e.node.code), ['act-3', 'act-4', 'act-5', 'act-6']);
  assert.equal(p3.processingActivities.pageInfo.hasNextPage, false);
  const bad = await s.gql('{ processingActivities(after: "nope") { totalCount } }');
  assert.equal(bad.errors?.[0].extensions.code, 'BAD_USER_INPUT');
  const tooMany = await s.gql('{ processingActivities(first: 100000) { totalCount } }');
  assert.equal(tooMany.errors?.[0].extensions.code, 'BAD_USER_INPUT');
});

test('activities filter by a data category includes its descendants', async () => {
  const cats = await ids('{ dataCategories { id code } }');
  const health = cats.dataCategories.find((c: any) => c.code === 'health').id;
  const r = await ids(`{ processingActivities(filter: { dataCategoryIds: ["${health}"] }) { edges { node { code } } } }`);
  assert.deepEqual(r.processingActivities.edges.map((e: any) => e.node.code), ['act-3']);
});

test('activities filter by subject category, processor, country and free text', async () => {
  const base = await ids('{ subjectCategories { id code } processors(first: 10) { edges { node { id code } } } }');
  const staff = base.subjectCategories.find((c: any) => c.code === 'staff').id;
  const late = base.processors.edges.find((e: any) => e.node.code === 'late').node.id;
  const bySubject = await ids(`{ processingActivities(filter: { subjectCategoryIds: ["${staff}"] }) { totalCount } }`);
  assert.equal(bySubject.processingActivities.totalCount, 3);
  const byProcessor = await ids(`{ processingActivities(filter: { processorIds: ["${late}"] }) { edges { node { code } } } }`);
  assert.deepEqual(byProcessor.processingActivities.edges.map((e: any) => e.node.code), ['act-5']);
  const byCountry = await ids('{ processingActivities(filter: { countries: ["US"] }) { edges { node { code } } } }');
  assert.deepEqual(byCountry.processingActivities.edges.map((e: any) => e.node.code), ['act-5']);
  const bySearch = await ids('{ a: processingActivities(filter: { search: "disability" }) { totalCount } b: processingActivities(filter: { search: "採用" }) { totalCount } c: processingActivities(filter: { search: "%" }) { totalCount } }');
  assert.equal(bySearch.a.totalCount, 1);
  assert.equal(bySearch.b.totalCount, 1);
  assert.equal(bySearch.c.totalCount, 0, 'a % in the search is literal');
  const linked = await ids('{ p: processingActivities(filter: { search: "メールマガジン" }) { edges { node { code } } } d: processingActivities(filter: { search: "contact.email" }) { totalCount } sc: processingActivities(filter: { search: "staff" }) { totalCount } }');
  assert.deepEqual(linked.p.edges.map((e: any) => e.node.code), ['act-6'], "found by its purpose's text");
  assert.equal(linked.d.totalCount, 6, 'found by a data category code');
  assert.equal(linked.sc.totalCount, 3, 'found by a subject category name');
});

test('processors filter by overdue audit, service and country; next audit due is derived', async () => {
  const r = await ids('{ overdue: processors(filter: { auditOverdue: true }) { edges { node { code nextAuditDue } } } email: processors(filter: { service: "email" }) { edges { node { code } } } sg: processors(filter: { countries: ["SG"] }) { edges { node { code } } } }');
  assert.deepEqual(r.overdue.edges.map((e: any) => e.node.code).sort(), ['late', 'never']);
  assert.equal(r.overdue.edges.find((e: any) => e.node.code === 'late').node.nextAuditDue, monthsAgo(24), 'twelve months after the last audit');
  assert.equal(r.overdue.edges.find((e: any) => e.node.code === 'never').node.nextAuditDue, null);
  assert.deepEqual(r.email.edges.map((e: any) => e.node.code), ['late']);
  assert.deepEqual(r.sg.edges.map((e: any) => e.node.code), ['never']);
});

test('datasets filter by country, data category subtree, processor and key', async () => {
  const r = await ids('{ us: datasets(filter: { countries: ["US"] }) { edges { node { key system { key } storageLocation { country } processor { code } fields { path dataCategories { code } } } } } s: datasets(filter: { search: "not" }) { totalCount } }');
  assert.deepEqual(r.us.edges.map((e: any) => e.node.key), ['contacts']);
  assert.equal(r.us.edges[0].node.system.key, 'crm');
  assert.equal(r.us.edges[0].node.fields[0].dataCategories[0].code, 'contact.email');
  assert.equal(r.s.totalCount, 1);
  const cats = await ids('{ dataCategories { id code } }');
  const health = cats.dataCategories.find((c: any) => c.code === 'health').id;
  const h = await ids(`{ datasets(filter: { dataCategoryIds: ["${health}"] }) { edges { node { key } } } }`);
  assert.deepEqual(h.datasets.edges.map((e: any) => e.node.key), ['notes']);
});
