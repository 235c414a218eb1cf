import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Role } from '../src/auth/roles.js';
import { eraseClosedContacts } from '../src/requests/request.service.js';
import { readManifests } from '../src/manifest/importer.js';
import { seedDirs } from '../src/manifest/seed.js';
import { settlePossible, startTestServer, token, type TestServer } from './helpers.js';

/**
 * Data-subject requests on the seeded notice inventory plus the demo and synthetic data: intake,
 * the status machine, the resolution (live and frozen), the reply, and the audit trail.
 */
let s: TestServer;
let analyst: string;
let auditor: string;
before(async () => {
  s = await startTestServer({ docs: [...(await readManifests(seedDirs('demo')))] });
  analyst = await token(Role.PRIVACY_ANALYST, { sub: 'analyst-1' });
  auditor = await token(Role.AUDITOR, { sub: 'auditor-1' });
  // Subject-index data: the applicant is in hr-ats/applicants; another ATS dataset has an index without them.
  const hr = await token(Role.INTEGRATION, { system: 'hr-ats' });
  const reg = await s.gql(`mutation { registerDatasets(input: { systemKey: "hr-ats", datasets: [
      { key: "interviews", name: "Interview notes", activityCodes: ["pa-demo-recruiting-ats"], fields: [{ path: "email", identityType: EMAIL, dataCategoryCodes: ["contact.email"] }] },
      { key: "talent-pool", name: "Talent pool", activityCodes: ["pa-demo-recruiting-ats"], fields: [{ path: "email", identityType: EMAIL, dataCategoryCodes: ["contact.email"] }] },
      { key: "phones", name: "Phone screening", activityCodes: ["pa-demo-recruiting-ats"], fields: [{ path: "phone", identityType: PHONE, dataCategoryCodes: ["contact.phone"] }] }
    ] }) { results { key status } } }`, {}, { token: hr });
  assert.equal(reg.errors, undefined, JSON.stringify(reg.errors));
  // A sub-processor only the ATS vendor engages.
  const sub = await s.gql('mutation { createProcessor(input: { code: "proc-ats-backup", name: { en: "ATS backup vendor" }, country: "DE" }) { processor { id } } }');
  const ats = (await s.gql('{ processors(filter: { search: "proc-ats-us" }) { edges { node { id version subProcessors { id } } } } }')).data.processors.edges[0].node;
  const link = await s.gql(`mutation { updateProcessor(input: { id: "${ats.id}", version: ${ats.version}, subProcessorIds: [${[...ats.subProcessors.map((p: any) => p.id), sub.data.createProcessor.processor.id].map((x: string) => `"${x}"`).join(', ')}] }) { processor { id } } }`);
  assert.equal(link.errors, undefined, JSON.stringify(link.errors));
  for (const [dataset, type, values] of [['interviews', 'EMAIL', ['applicant@example.com']], ['talent-pool', 'EMAIL', ['someone.else@example.com']], ['phones', 'PHONE', ['090-1234-5678']]] as const) {
    const r = await s.gql(`mutation($v: [String!]!) { reportSubjects(input: { systemKey: "hr-ats", datasetKey: "${dataset}", identityType: ${type}, values: $v, op: ADD }) { added } }`, { v: values }, { token: hr });
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  }
});
after(() => s?.close());

const CREATE = `mutation C($input: CreateDataSubjectRequestInput!) { createDataSubjectRequest(input: $input) { request { id reference status dueAt version } } }`;
const TRANSITION = `mutation T($input: TransitionDataSubjectRequestInput!) { transitionDataSubjectRequest(input: $input) { request { id status closedAt verifiedBy } } }`;
const RESOLUTION = `query R($id: ID!) { dataSubjectRequest(id: $id) { reference status resolution { frozen
  activities { activity { code } matchedSubjectCategories { code } reason }
  excludedActivities { activity { code } reason routeTo { ja en } }
  datasets { dataset { key } match fields { path } dataCategories { code } }
  processors { processor { code } via chain instruction }
  jointUsers { arrangement { code } responsibleManager { name { ja } } }
  thirdPartyRecipients { code }
  foreignLocations { country kind basis assessment { country } }
  actions { key target targetKind targetCode systemCode action detail status } } } }`;

async function create(input: Record<string, unknown>, tok = analyst) {
  const r = await s.gql(CREATE, { input: { framework: 'APPI', channel: 'WEB', requester: { kind: 'SELF' }, responseMethod: 'ELECTRONIC', contact: 'applicant@example.com', ...input } }, { token: tok });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return r.data.createDataSubjectRequest.request;
}
const SET_ACTIONS = `mutation A($input: SetRequestActionStatusInput!) { setRequestActionStatus(input: $input) { request { id } } }`;
/** Marks every action of the request's work list done, as the team would before completing it. */
async function finishActions(id: string) {
  await settlePossible(s, id, 'NOT_HELD', analyst);
  const r = await s.gql(`query W($id: ID!) { dataSubjectRequest(id: $id) { resolution { actions { key } } } }`, { id }, { token: analyst });
  const keys = r.data.dataSubjectRequest.resolution.actions.map((a: any) => a.key);
  if (!keys.length) return;
  const m = await s.gql(SET_ACTIONS, { input: { requestId: id, actionKeys: keys, status: 'DONE', note: 'done as instructed' } }, { token: analyst });
  assert.equal(m.errors, undefined, JSON.stringify(m.errors));
}
const resolution = async (id: string) => {
  const r = await s.gql(RESOLUTION, { id });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return r.data.dataSubjectRequest.resolution;
};

test('a job applicant\'s erasure touches the recruiting activities and their processors (sub-processors too), not the newsletter', async () => {
  const req = await create({ type: 'ERASE', identities: [{ type: 'EMAIL', value: ' Applicant@Example.com ' }], subjectCategoryCodes: ['hc-07-job-applicants'] });
  assert.match(req.reference, /^DSR-\d{4}-\d{6}$/);
  assert.equal(req.status, 'RECEIVED');
  const res = await resolution(req.id);
  const codes = res.activities.map((a: any) => a.activity.code);
  assert.ok(codes.includes('pa-07-job-applicants') && codes.includes('pa-demo-recruiting-ats'), codes.join());
  assert.ok(!codes.includes('pa-10-newsletter'));
  assert.deepEqual(res.activities[0].matchedSubjectCategories.map((c: any) => c.code), ['hc-07-job-applicants']);
  const processors = new Map(res.processors.map((p: any) => [p.processor.code, p]));
  assert.equal((processors.get('proc-ats-us') as any)?.via, 'DIRECT');
  assert.equal((processors.get('proc-ats-backup') as any)?.via, 'SUB_PROCESSOR');
  assert.deepEqual((processors.get('proc-ats-backup') as any)?.chain, ['proc-ats-us', 'proc-ats-backup']);
  const matches = Object.fromEntries(res.datasets.map((d: any) => [d.dataset.key, d.match]));
  assert.equal(matches.interviews, 'HELD', 'the subject index holds the applicant there');
  assert.equal(matches['talent-pool'], 'NOT_HELD', 'indexed, but not this person');
  assert.equal(matches.applicants, 'POSSIBLE', 'no index data for that dataset');
  assert.equal(matches.phones, 'POSSIBLE', 'indexed by phone only: an email request cannot rule the person out');
  assert.ok(res.foreignLocations.some((f: any) => f.country === 'US' && f.kind === 'TRANSFER' && f.basis && f.assessment?.country === 'US'));
  assert.ok(res.actions.some((a: any) => a.action === 'ERASE' && a.target === 'Dataset hr-ats/interviews' && a.targetKind === 'Dataset' && a.targetCode === 'hr-ats/interviews' && a.systemCode === 'hr-ats' && a.status === 'OPEN'));
  assert.ok(!res.actions.some((a: any) => a.target === 'Dataset hr-ats/talent-pool'));
  assert.ok(res.actions.some((a: any) => a.action === 'FORWARD_TO_PROCESSOR' && a.target === 'Processor proc-ats-backup'));
});

test('a request claiming category 3 (entrusted data) is excluded with the route to the controller', async () => {
  const req = await create({ type: 'DISCLOSE', identities: [{ type: 'EMAIL', value: 'x@example.com' }], subjectCategoryCodes: ['hc-03-entrusted'] });
  const res = await resolution(req.id);
  assert.deepEqual(res.activities, []);
  assert.ok(res.excludedActivities.length >= 1);
  assert.ok(res.excludedActivities.every((e: any) => e.routeTo && e.reason));
  assert.ok(res.actions.length >= 1, 'routing to the controller is an action to take');
  assert.ok(res.actions.every((a: any) => a.action === 'ROUTE_TO_CONTROLLER'), JSON.stringify(res.actions));
});

test('data the index holds only in activities run as a processor is the entrusting controller\'s: routed there, never disclosed or erased as ours', async () => {
  const crm = await token(Role.INTEGRATION, { system: 'crm' });
  const reg = await s.gql(`mutation { registerDatasets(input: { systemKey: "crm", datasets: [
      { key: "client-records", name: "Records kept for a client", activityCodes: ["pa-03-entrusted"], fields: [{ path: "email", identityType: EMAIL, dataCategoryCodes: ["contact.email"] }] }
    ] }) { results { key status } } }`, {}, { token: crm });
  assert.equal(reg.errors, undefined, JSON.stringify(reg.errors));
  const rep = await s.gql(`mutation { reportSubjects(input: { systemKey: "crm", datasetKey: "client-records", identityType: EMAIL, values: ["client-customer@example.com"], op: ADD }) { added } }`, {}, { token: crm });
  assert.equal(rep.errors, undefined, JSON.stringify(rep.errors));
  for (const type of ['DISCLOSE', 'ERASE']) {
    const req = await create({ type, identities: [{ type: 'EMAIL', value: 'client-customer@example.com' }] });
    const res = await resolution(req.id);
    assert.ok(!res.datasets.some((d: any) => d.dataset.key === 'client-records'), `${type}: not in our datasets`);
    assert.ok(res.excludedActivities.some((e: any) => e.activity.code === 'pa-03-entrusted'), `${type}: the activity is excluded`);
    assert.ok(res.actions.some((a: any) => a.action === 'ROUTE_TO_CONTROLLER' && a.targetCode === 'pa-03-entrusted'));
    assert.ok(!res.actions.some((a: any) => a.targetCode === 'crm/client-records'), `${type}: no action on the client's data`);
  }
});

test('a claimed subject category no activity processes is flagged: an empty resolution says nothing about what is held', async () => {
  const made = await s.gql('mutation C($input: CreateSubjectCategoryInput!) { createSubjectCategory(input: $input) { subjectCategory { code } } }',
    { input: { code: 'hc-99-members', name: { ja: '会員の情報', en: 'Members' } } });
  assert.equal(made.errors, undefined, JSON.stringify(made.errors));
  const req = await create({ type: 'DISCLOSE', identities: [{ type: 'EMAIL', value: 'member@example.com' }], subjectCategoryCodes: ['hc-99-members'] });
  const r = await s.gql('query R($id: ID!) { dataSubjectRequest(id: $id) { resolution { activities { activity { code } } warnings } } }', { id: req.id });
  assert.deepEqual(r.data.dataSubjectRequest.resolution.activities, []);
  assert.ok(r.data.dataSubjectRequest.resolution.warnings.some((w: string) => /^NO_ACTIVITY: .*"hc-99-members"/.test(w)), JSON.stringify(r.data.dataSubjectRequest.resolution.warnings));
  const other = await create({ type: 'DISCLOSE', identities: [{ type: 'EMAIL', value: 'member@example.com' }], subjectCategoryCodes: ['hc-07-job-applicants'] });
  const o = await s.gql('query R($id: ID!) { dataSubjectRequest(id: $id) { resolution { warnings uncoveredSubjectCategoryCodes } } }', { id: other.id });
  assert.ok(!o.data.dataSubjectRequest.resolution.warnings.some((w: string) => /^NO_ACTIVITY/.test(w)), 'a category with activities is not flagged');
  assert.deepEqual(o.data.dataSubjectRequest.resolution.uncoveredSubjectCategoryCodes, []);

  // Completing would answer "no data held" from an inventory that knows nothing of members: refused.
  await s.gql(TRANSITION, { input: { id: req.id, to: 'VERIFYING' } }, { token: analyst });
  await s.gql(TRANSITION, { input: { id: req.id, to: 'IN_PROGRESS', verificationMethod: 'email' } }, { token: analyst });
  const blocked = await s.gql(TRANSITION, { input: { id: req.id, to: 'COMPLETED' } }, { token: analyst });
  assert.equal(blocked.errors?.[0].extensions.field, 'input.to');
  assert.match(blocked.errors?.[0].message ?? '', /no processing activity of the inventory processes the claimed subject category hc-99-members/);
  // The activity is recorded; no dataset serves it yet, so what was found there is settled.
  const cats = await s.gql('{ subjectCategories { id code } }');
  const members = cats.data.subjectCategories.find((c: any) => c.code === 'hc-99-members').id;
  const act = await s.gql('mutation A($input: CreateProcessingActivityInput!) { createProcessingActivity(input: $input) { processingActivity { id } } }',
    { input: { code: 'pa-members', name: { ja: '会員管理', en: 'Member management' }, subjectCategoryIds: [members] } });
  assert.equal(act.errors, undefined, JSON.stringify(act.errors));
  await settlePossible(s, req.id, 'NOT_HELD', analyst);
  const done = await s.gql(TRANSITION, { input: { id: req.id, to: 'COMPLETED' } }, { token: analyst });
  assert.equal(done.errors, undefined, JSON.stringify(done.errors));
});

test('the status machine allows only legal transitions, records verification, and freezes the resolution', async () => {
  const req = await create({ type: 'ERASE', identities: [{ type: 'EMAIL', value: 'applicant@example.com' }], subjectCategoryCodes: ['hc-07-job-applicants'] });
  const illegal = await s.gql(TRANSITION, { input: { id: req.id, to: 'COMPLETED' } }, { token: analyst });
  assert.equal(illegal.errors?.[0].extensions.code, 'BAD_USER_INPUT');
  assert.equal(illegal.errors?.[0].extensions.field, 'input.to');
  assert.equal((await s.gql(TRANSITION, { input: { id: req.id, to: 'VERIFYING', note: 'checking ID' } }, { token: analyst })).errors, undefined);
  const noMethod = await s.gql(TRANSITION, { input: { id: req.id, to: 'IN_PROGRESS' } }, { token: analyst });
  assert.equal(noMethod.errors?.[0].extensions.field, 'input.verificationMethod');
  const verified = await s.gql(TRANSITION, { input: { id: req.id, to: 'IN_PROGRESS', verificationMethod: 'email matched the address on record' } }, { token: analyst });
  assert.equal(verified.data.transitionDataSubjectRequest.request.verifiedBy, 'analyst-1');
  const early = await s.gql(TRANSITION, { input: { id: req.id, to: 'COMPLETED', note: 'erased' } }, { token: analyst });
  assert.equal(early.errors?.[0].extensions.code, 'BAD_USER_INPUT', 'open actions keep the request from completing');
  assert.equal(early.errors?.[0].extensions.field, 'input.to');
  assert.match(early.errors?.[0].message, /ERASE:Dataset:hr-ats\/interviews/);
  await finishActions(req.id);
  const done = await s.gql(TRANSITION, { input: { id: req.id, to: 'COMPLETED', note: 'erased' } }, { token: analyst });
  assert.ok(done.data.transitionDataSubjectRequest.request.closedAt);
  const frozen = await resolution(req.id);
  assert.equal(frozen.frozen, true);
  // The inventory changes afterwards; the evidence does not.
  const act = (await s.gql('{ processingActivities(filter: { search: "pa-demo-recruiting-ats" }) { edges { node { id version } } } }')).data.processingActivities.edges[0].node;
  const archived = await s.gql(`mutation { archiveProcessingActivity(input: { id: "${act.id}", version: ${act.version} }) { processingActivity { archivedAt } } }`);
  assert.equal(archived.errors, undefined);
  const later = await resolution(req.id);
  assert.deepEqual(later, frozen);
  const live = await create({ type: 'ERASE', identities: [{ type: 'EMAIL', value: 'applicant@example.com' }], subjectCategoryCodes: ['hc-07-job-applicants'] });
  assert.ok(!(await resolution(live.id)).activities.some((a: any) => a.activity.code === 'pa-demo-recruiting-ats'), 'a live resolution sees the change');
  const closed = await s.gql(TRANSITION, { input: { id: req.id, to: 'WITHDRAWN' } }, { token: analyst });
  assert.equal(closed.errors?.[0].extensions.code, 'BAD_USER_INPUT', 'a closed request stays closed');
  const timeline = await s.gql(`{ dataSubjectRequest(id: "${req.id}") { timeline { kind fromStatus toStatus actor note } } }`);
  assert.deepEqual(timeline.data.dataSubjectRequest.timeline.map((e: any) => e.kind), ['CREATED', 'TRANSITION', 'VERIFIED', 'DATASET_SETTLED', 'ACTION_DONE', 'TRANSITION']);
  const audit = await s.gql(`{ auditEvents(filter: { entityType: "DataSubjectRequest", entityId: "${req.id}" }) { edges { node { operation actorSub after } } } }`);
  // Reads of the resolution are in the trail too, as access events named by the field.
  const ops = audit.data.auditEvents.edges.map((e: any) => e.node.operation).filter((op: string) => !op.startsWith('DataSubjectRequest.'));
  assert.deepEqual(ops, ['transitionDataSubjectRequest', 'setRequestActionStatus', 'settleHoldings', 'transitionDataSubjectRequest', 'transitionDataSubjectRequest', 'createDataSubjectRequest']);
  assert.doesNotMatch(JSON.stringify(audit), /applicant@example\.com/, 'no contact or identity in the audit trail');
});

test('refusal takes one of the four grounds and a reason; bad intake is bad input', async () => {
  const req = await create({ type: 'STOP_USE', identities: [{ type: 'PHONE', value: '03-6386-0245' }] });
  const noGround = await s.gql(TRANSITION, { input: { id: req.id, to: 'REFUSED', note: 'no' } }, { token: analyst });
  assert.equal(noGround.errors?.[0].extensions.field, 'input.refusalGround');
  const refused = await s.gql(TRANSITION, { input: { id: req.id, to: 'REFUSED', refusalGround: 'NOT_RETAINED_DATA', note: 'we hold nothing on this person' } }, { token: analyst });
  assert.equal(refused.data.transitionDataSubjectRequest.request.status, 'REFUSED');
  const bad = await s.gql(CREATE, { input: { framework: 'GDPR', type: 'STOP_USE', channel: 'WEB', requester: { kind: 'AGENT' }, responseMethod: 'ORAL', identities: [{ type: 'EMAIL', value: 'nope' }], subjectCategoryCodes: ['hc-99'] } }, { token: analyst });
  const paths = bad.errors?.[0].extensions.problems.map((p: any) => p.path).sort();
  assert.deepEqual(paths, ['input.identities[0].value', 'input.requester.agentName', 'input.subjectCategoryCodes[0]', 'input.type']);
  const auditorCreate = await s.gql(CREATE, { input: { framework: 'APPI', type: 'DISCLOSE', channel: 'WEB', requester: { kind: 'SELF' }, responseMethod: 'ORAL', identities: [{ type: 'EMAIL', value: 'a@b.c' }] } }, { token: auditor });
  assert.equal(auditorCreate.errors?.[0].extensions.code, 'FORBIDDEN');
});

test('due dates by policy: APPI organization target, GDPR one month extendable once by up to two months', async () => {
  const appi = await create({ type: 'DISCLOSE', identities: [{ type: 'EMAIL', value: 'a@example.com' }], receivedAt: '2026-03-01T01:00:00Z' });
  assert.equal(appi.dueAt, '2026-03-15');
  const gdpr = await create({ framework: 'GDPR', type: 'ACCESS', identities: [{ type: 'EMAIL', value: 'a@example.com' }], receivedAt: '2026-01-31T01:00:00Z' });
  assert.equal(gdpr.dueAt, '2026-02-28');
  const EXTEND = 'mutation E($input: ExtendDataSubjectRequestInput!) { extendDataSubjectRequest(input: $input) { request { dueAt extensionReason } } }';
  const late = await s.gql(EXTEND, { input: { id: gdpr.id, months: 2, reason: 'too late' } }, { token: analyst });
  assert.equal(late.errors?.[0].extensions.code, 'BAD_USER_INPUT', 'an extension is decided before the deadline');
  const open = await create({ framework: 'GDPR', type: 'ACCESS', identities: [{ type: 'EMAIL', value: 'a@example.com' }] });
  const ext = await s.gql(EXTEND, { input: { id: open.id, months: 2, reason: 'complex request spanning several systems' } }, { token: analyst });
  assert.equal(ext.errors, undefined, JSON.stringify(ext.errors));
  assert.equal(ext.data.extendDataSubjectRequest.request.extensionReason, 'complex request spanning several systems');
  const months = (a: string, b: string) => (Number(b.slice(0, 4)) - Number(a.slice(0, 4))) * 12 + Number(b.slice(5, 7)) - Number(a.slice(5, 7));
  assert.equal(months(open.dueAt, ext.data.extendDataSubjectRequest.request.dueAt), 2, 'one month became three');
  const twice = await s.gql(EXTEND, { input: { id: open.id, months: 1, reason: 'again' } }, { token: analyst });
  assert.equal(twice.errors?.[0].extensions.code, 'BAD_USER_INPUT');
  const appiExt = await s.gql(EXTEND, { input: { id: appi.id, months: 1, reason: 'x' } }, { token: analyst });
  assert.equal(appiExt.errors?.[0].extensions.code, 'BAD_USER_INPUT');
  const overdue = await s.gql('{ dataSubjectRequests(filter: { overdue: true }) { edges { node { reference dueAt } } } }');
  assert.ok(overdue.data.dataSubjectRequests.edges.some((e: any) => e.node.reference === appi.reference));
});

test('the reply contact: privacy team only, erased after closing by the job', async () => {
  const req = await create({ type: 'DISCLOSE', identities: [{ type: 'EMAIL', value: 'applicant@example.com' }], contact: 'reply-to@example.com' });
  const forAuditor = await s.gql(`{ dataSubjectRequest(id: "${req.id}") { reference contact } }`, {}, { token: auditor });
  assert.equal(forAuditor.errors?.[0].extensions.code, 'FORBIDDEN');
  const agent = await s.gql(`{ dataSubjectRequest(id: "${req.id}") { agentName } }`, {}, { token: auditor });
  assert.equal(agent.errors?.[0].extensions.code, 'FORBIDDEN', "the agent's details are personal data too");
  assert.equal((await s.gql(`{ dataSubjectRequest(id: "${req.id}") { reference } }`, {}, { token: auditor })).errors, undefined, 'the auditor reads the request');
  await s.gql(TRANSITION, { input: { id: req.id, to: 'WITHDRAWN', note: 'withdrawn by phone' } }, { token: analyst });
  assert.equal(await eraseClosedContacts(s.app.pool, 30), 0, 'kept during the retention period');
  assert.ok((await eraseClosedContacts(s.app.pool, 0)) >= 1);
  const after = await s.gql(`{ dataSubjectRequest(id: "${req.id}") { contact contactErasedAt } }`);
  assert.equal(after.data.dataSubjectRequest.contact, null);
  assert.ok(after.data.dataSubjectRequest.contactErasedAt);
});

test('the disclosure report is generated from the resolution, in Japanese and English', async () => {
  const req = await create({ type: 'DISCLOSE', identities: [{ type: 'EMAIL', value: 'applicant@example.com' }], subjectCategoryCodes: ['hc-07-job-applicants'] });
  const r = await s.gql(`{ ja: disclosureReport(requestId: "${req.id}", language: JA, format: MARKDOWN) { content } en: disclosureReport(requestId: "${req.id}", language: EN, format: HTML) { content } }`);
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  assert.match(r.data.ja.content, /^# 【案】保有個人データの開示について（回答）/, 'an open request\'s reply is a draft');
  assert.match(r.data.ja.content, /採用に関する選考・決定/, 'purposes of the recruiting activity, verbatim');
  assert.match(r.data.ja.content, /03-6386-0245/, 'how to make further requests');
  // The complaint desk's channels are named as such, not listed as the request channels a second time.
  const further = r.data.ja.content.split('## お問い合わせ先')[1].split('\n\n敬具')[0];
  assert.match(further, /- 苦情のお申出：\S/);
  assert.ok(further.split('\n').filter((l: string) => l.startsWith('- ')).every((l: string) => !/^- (インターネット|電話|郵送)( |$)/.test(l) || /による請求/.test(l)), further);
  assert.match(r.data.en.content, /<li>Complaints: /);
  assert.match(r.data.en.content, /<h2>Handling in foreign countries<\/h2>/);
  assert.doesNotMatch(r.data.ja.content, /Interview notes|Phone screening|hr-ats|interviews/, 'no internal dataset or system names');
  assert.match(r.data.en.content, /United States/);
});

test('the HTML reply shows markup planted in inventory texts as text, never as links, images or script', async () => {
  const req = await create({ type: 'DISCLOSE', identities: [{ type: 'EMAIL', value: 'applicant@example.com' }], subjectCategoryCodes: ['hc-07-job-applicants'] });
  // The person is held, so the reply discloses (and prints the retention the text is planted in).
  const res = await s.gql(`{ dataSubjectRequest(id: "${req.id}") { resolution { activities { activity { id version } } } } }`);
  const { id, version } = res.data.dataSubjectRequest.resolution.activities[0].activity;
  const planted = '[Details](javascript:alert(1)) <img src=x onerror=alert(2)> <script>alert(3)</script>';
  const u = await s.gql('mutation($id: ID!, $v: Int!, $t: String!) { updateProcessingActivity(input: { id: $id, version: $v, retention: { en: $t } }) { processingActivity { id } } }', { id, v: version, t: planted }, { token: analyst });
  assert.equal(u.errors, undefined, JSON.stringify(u.errors));
  const html: string = (await s.gql(`{ disclosureReport(requestId: "${req.id}", language: EN, format: HTML) { content } }`, {}, { token: analyst })).data.disclosureReport.content;
  assert.ok(html.includes('[Details](javascript:alert(1))'), 'the planted text is there, as text');
  assert.doesNotMatch(html, /<a\b|<img|<script|href=/i);
});

test('many requests closing at once do not exhaust the connection pool', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 24; i++) ids.push((await create({ type: 'ERASE', identities: [{ type: 'EMAIL', value: `p${i}@example.com` }] })).id);
  for (const id of ids) {
    await s.gql(TRANSITION, { input: { id, to: 'VERIFYING' } }, { token: analyst });
    await s.gql(TRANSITION, { input: { id, to: 'IN_PROGRESS', verificationMethod: 'email' } }, { token: analyst });
    await finishActions(id);
  }
  const done = await Promise.all(ids.map((id) => s.gql(TRANSITION, { input: { id, to: 'COMPLETED', note: 'searched the paper files and the systems without datasets by name and e-mail: no record' } }, { token: analyst })));
  assert.equal(done.length, 24);
  assert.ok(done.every((r) => !r.errors), JSON.stringify(done.find((r) => r.errors)?.errors));
  assert.deepEqual(new Set(done.map((r) => r.data.transitionDataSubjectRequest.request.status)), new Set(['COMPLETED']));
});
