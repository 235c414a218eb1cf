import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Role } from '../src/auth/roles.js';
import { readManifests } from '../src/manifest/importer.js';
import { seedDirs } from '../src/manifest/seed.js';
import { startTestServer, token, type TestServer } from './helpers.js';

/**
 * The resolution starts from the person (issue 14, resolution semantics): what the subject index
 * holds is kept whatever the claimed categories, an unnarrowed resolution says so, retired datasets
 * still holding the person stay, and recipients under an APPI Art. 27(1) legal exception are apart.
 */
let s: TestServer;
let analyst: string;
before(async () => {
  s = await startTestServer({ docs: [...(await readManifests(seedDirs('demo')))] });
  analyst = await token(Role.PRIVACY_ANALYST, { sub: 'analyst-1' });
  const made = await s.gql('mutation { createSystem(input: { key: "mail-archive", name: "Mail archive" }) { system { id } } }');
  assert.equal(made.errors, undefined, JSON.stringify(made.errors));
  const sys = await token(Role.INTEGRATION, { system: 'mail-archive' });
  const field = '[{ path: "email", identityType: EMAIL, dataCategoryCodes: ["contact.email"] }]';
  // "subscribers" serves the newsletter only: outside the job-applicant category a request may claim.
  const reg = await s.gql(`mutation { registerDatasets(input: { systemKey: "mail-archive", datasets: [
      { key: "subscribers", name: "Subscribers", activityCodes: ["pa-10-newsletter"], fields: ${field} },
      { key: "old-export", name: "Old export", activityCodes: ["pa-10-newsletter"], fields: ${field} }
    ] }) { results { key status } } }`, {}, { token: sys });
  assert.equal(reg.errors, undefined, JSON.stringify(reg.errors));
  for (const [dataset, values] of [['subscribers', ['held@example.com']], ['old-export', ['retired@example.com']]] as const) {
    const r = await s.gql(`mutation($v: [String!]!) { reportSubjects(input: { systemKey: "mail-archive", datasetKey: "${dataset}", identityType: EMAIL, values: $v, op: ADD }) { added } }`, { v: values }, { token: sys });
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  }
  // The export is retired (pruned from the next push) while its index still holds a person.
  const prune = await s.gql(`mutation { registerDatasets(input: { systemKey: "mail-archive", prune: true, datasets: [
      { key: "subscribers", name: "Subscribers", activityCodes: ["pa-10-newsletter"], fields: ${field} }
    ] }) { results { key status } } }`, {}, { token: sys });
  assert.deepEqual(prune.data.registerDatasets.results.find((r: any) => r.key === 'old-export')?.status, 'RETIRED');
});
after(() => s?.close());

const RESOLUTION = `query R($id: ID!) { dataSubjectRequest(id: $id) { resolution { scope warnings
  activities { activity { code } reason }
  datasets { dataset { key status } match }
  thirdPartyRecipients { code }
  withheldRecipients { recipient { code } article reason }
  actions { target action } } } }`;

async function resolve(input: Record<string, unknown>) {
  const c = await s.gql(`mutation C($input: CreateDataSubjectRequestInput!) { createDataSubjectRequest(input: $input) { request { id } } }`,
    { input: { framework: 'APPI', channel: 'WEB', requester: { kind: 'SELF' }, responseMethod: 'ELECTRONIC', ...input } }, { token: analyst });
  assert.equal(c.errors, undefined, JSON.stringify(c.errors));
  const r = await s.gql(RESOLUTION, { id: c.data.createDataSubjectRequest.request.id }, { token: analyst });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return r.data.dataSubjectRequest.resolution;
}
const keys = (res: any) => Object.fromEntries(res.datasets.map((d: any) => [d.dataset.key, d.match]));
const activityCodes = (res: any) => res.activities.map((a: any) => a.activity.code);

test('a dataset the index holds the person in is kept, with its activity, outside the claimed categories', async () => {
  const res = await resolve({ type: 'ERASE', identities: [{ type: 'EMAIL', value: 'held@example.com' }], subjectCategoryCodes: ['hc-07-job-applicants'] });
  assert.equal(res.scope, 'CLAIMED_CATEGORIES');
  assert.equal(keys(res).subscribers, 'HELD');
  assert.ok(activityCodes(res).includes('pa-10-newsletter'), 'the held dataset brings in its activity');
  assert.ok(activityCodes(res).includes('pa-07-job-applicants'), 'the claim still adds its activities');
  assert.ok(res.actions.some((a: any) => a.action === 'ERASE' && a.target === 'Dataset mail-archive/subscribers'));
});

test('without a claim, the index alone narrows the resolution (INDEXED)', async () => {
  const res = await resolve({ type: 'DISCLOSE', identities: [{ type: 'EMAIL', value: 'held@example.com' }] });
  assert.equal(res.scope, 'INDEXED');
  assert.deepEqual(res.warnings, []);
  assert.deepEqual(activityCodes(res), ['pa-10-newsletter']);
  assert.equal(keys(res).subscribers, 'HELD');
});

test('neither a claim nor an index match: UNNARROWED, with a warning', async () => {
  const res = await resolve({ type: 'DISCLOSE', identities: [{ type: 'EMAIL', value: 'nobody-known@example.com' }] });
  assert.equal(res.scope, 'UNNARROWED');
  assert.ok(res.warnings.some((w: string) => w.startsWith('UNNARROWED')), JSON.stringify(res.warnings));
  assert.ok(res.activities.length > 1);
  assert.ok(res.activities.every((a: any) => /possibly applicable/.test(a.reason)), 'nothing is presented as applicable');
});

test('a retired dataset that still holds the person stays, with a warning', async () => {
  const res = await resolve({ type: 'ERASE', identities: [{ type: 'EMAIL', value: 'retired@example.com' }] });
  const d = res.datasets.find((x: any) => x.dataset.key === 'old-export');
  assert.deepEqual(d, { dataset: { key: 'old-export', status: 'RETIRED' }, match: 'HELD' });
  assert.ok(res.warnings.some((w: string) => w.includes('old-export')), JSON.stringify(res.warnings));
  assert.ok(res.actions.some((a: any) => a.action === 'ERASE' && a.target === 'Dataset mail-archive/old-export'));
  const other = await resolve({ type: 'ERASE', identities: [{ type: 'EMAIL', value: 'held@example.com' }] });
  assert.equal(keys(other)['old-export'], undefined, 'a retired dataset that does not hold the person is left out');
});

test('recipients under an APPI Art. 27(1) legal exception are listed apart with the reason, not disclosed', async () => {
  const res = await resolve({ type: 'DISCLOSE', identities: [{ type: 'EMAIL', value: 'caller@example.com' }], subjectCategoryCodes: ['hc-01-service-users'] });
  const withheld = res.withheldRecipients.find((w: any) => w.recipient.code === 'tpr-police');
  assert.ok(withheld, JSON.stringify(res.withheldRecipients));
  assert.equal(withheld.article, 'Art. 27(1)(i)');
  assert.match(withheld.reason, /legal exception/);
  assert.ok(!res.thirdPartyRecipients.some((r: any) => r.code === 'tpr-police'));
  assert.ok(res.withheldRecipients.every((w: any) => w.article.startsWith('Art. 27(1)(')), JSON.stringify(res.withheldRecipients));
  assert.ok(res.thirdPartyRecipients.some((r: any) => r.code === 'tpr-career-partner'), 'consent (Art. 27(1) itself) is no exception: disclosed');
  const stop = await resolve({ type: 'STOP_THIRD_PARTY_PROVISION', identities: [{ type: 'EMAIL', value: 'caller@example.com' }], subjectCategoryCodes: ['hc-01-service-users'] });
  assert.ok(!stop.actions.some((a: any) => a.target.includes('tpr-police')), 'a provision the law requires is not stopped on request');
});

test('coverage is explicit: a system that reports an identity type to the index answers NOT_HELD for its datasets without the person, even empty ones', async () => {
  const made = await s.gql('mutation { createSystem(input: { key: "crm-covered", name: "Covered CRM", indexedIdentityTypes: [EMAIL] }) { system { id indexedIdentityTypes } } }');
  assert.equal(made.errors, undefined, JSON.stringify(made.errors));
  assert.deepEqual(made.data.createSystem.system.indexedIdentityTypes, ['EMAIL']);
  const bad = await s.gql('mutation { createSystem(input: { key: "crm-bad", name: "x", indexedIdentityTypes: [SHOE_SIZE] }) { system { id } } }');
  assert.ok(bad.errors?.length, 'an unknown identity type is refused');
  const sys = await token(Role.INTEGRATION, { system: 'crm-covered' });
  const reg = await s.gql(`mutation { registerDatasets(input: { systemKey: "crm-covered", datasets: [
      { key: "leads", name: "Leads", activityCodes: ["pa-demo-recruiting-ats"], fields: [{ path: "email", identityType: EMAIL, dataCategoryCodes: ["contact.email"] }] }
    ] }) { results { key status } } }`, {}, { token: sys });
  assert.equal(reg.errors, undefined, JSON.stringify(reg.errors));
  // Nothing reported yet: the index is empty, but the system says it would hold every email it has.
  const byEmail = await resolve({ type: 'ERASE', identities: [{ type: 'EMAIL', value: 'not-there@example.com' }], subjectCategoryCodes: ['hc-07-job-applicants'] });
  assert.equal(keys(byEmail).leads, 'NOT_HELD');
  assert.ok(!byEmail.actions.some((a: any) => a.target.includes('crm-covered/leads')), 'nothing to erase where the person is not');
  // A phone number is not covered by an email index: the dataset may still hold the person.
  const byPhone = await resolve({ type: 'ERASE', identities: [{ type: 'PHONE', value: '090-2222-3333' }], subjectCategoryCodes: ['hc-07-job-applicants'] });
  assert.equal(keys(byPhone).leads, 'POSSIBLE');
  const rep = await s.gql('mutation { reportSubjects(input: { systemKey: "crm-covered", datasetKey: "leads", identityType: EMAIL, values: ["lead@example.com"], op: ADD }) { added warnings } }', {}, { token: sys });
  assert.deepEqual(rep.data.reportSubjects, { added: 1, warnings: [] });
  assert.equal(keys(await resolve({ type: 'ERASE', identities: [{ type: 'EMAIL', value: 'lead@example.com' }], subjectCategoryCodes: ['hc-07-job-applicants'] })).leads, 'HELD');
});

test('reportSubjects warns of a retired dataset and of an identity type no field declares, instead of staying silent', async () => {
  const sys = await token(Role.INTEGRATION, { system: 'mail-archive' });
  const undeclared = await s.gql('mutation { reportSubjects(input: { systemKey: "mail-archive", datasetKey: "subscribers", identityType: PHONE, values: ["090-1111-2222"], op: ADD }) { added warnings } }', {}, { token: sys });
  assert.equal(undeclared.errors, undefined, JSON.stringify(undeclared.errors));
  assert.equal(undeclared.data.reportSubjects.warnings.length, 1);
  assert.match(undeclared.data.reportSubjects.warnings[0], /no field .* declares identity type PHONE/);
  const retired = await s.gql('mutation { reportSubjects(input: { systemKey: "mail-archive", datasetKey: "old-export", identityType: EMAIL, values: ["late@example.com"], op: ADD }) { added warnings } }', {}, { token: sys });
  assert.equal(retired.errors, undefined, JSON.stringify(retired.errors));
  assert.ok(retired.data.reportSubjects.warnings.some((w: string) => /retired/.test(w)), JSON.stringify(retired.data));
});
