import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ManifestError, importManifests } from '../src/manifest/importer.js';
import { databaseAt, doc, startTestServer, type TestServer } from './helpers.js';

/**
 * The request procedure of an organization other than the seed's, said entirely in a manifest:
 * its own refusal grounds (statutory and procedural), a type declined by policy, a fee without an
 * amount, a fallback order of methods and dated revisions of its notice.
 */
const procedure = {
  requestTypes: [
    { code: 'DISCLOSE', label: { ja: '開示', en: 'Disclosure' }, article: 'Art. 33(1)' },
    { code: 'ERASE', label: { ja: '消去', en: 'Erasure' }, article: 'Art. 35(1)' },
    { code: 'STOP_USE', label: { ja: '利用停止', en: 'Cessation of use' }, article: 'Art. 35(1)',
      declinedByPolicy: { ja: '送金記録は法令により保存が義務付けられているため、利用停止のご請求には応じておりません。', en: 'Remittance records must be kept by law, so requests to stop their use are not accepted.' } },
    { code: 'OBJECT', label: { ja: 'ダイレクトマーケティングへの異議', en: 'Objection to direct marketing' }, beyondLaw: true },
  ],
  channels: [{ kind: 'MAIL', label: { ja: '郵送', en: 'By post' } }, { kind: 'PHONE', label: { ja: '電話による請求', en: 'By telephone' }, deskCode: 'desk' }],
  disclosureMethods: [
    { method: 'ELECTRONIC', label: { ja: '電子メール', en: 'By email' } },
    { method: 'WRITTEN', label: { ja: '書面の郵送', en: 'By letter' } },
    { method: 'OTHER', label: { ja: '窓口での閲覧', en: 'Inspection at the counter' } },
  ],
  methodFallbackOrder: ['WRITTEN', 'OTHER'],
  notes: [],
  refusalGrounds: [
    { code: 'G1', text: { ja: 'ご本人または代理人であることが確認できない場合', en: 'Identity not confirmed' }, statutoryGround: 'IDENTITY_NOT_CONFIRMED' },
    { code: 'G2', text: { ja: '所定の書類に不備がある場合', en: 'Documents incomplete' }, statutoryGround: 'REQUEST_INCOMPLETE' },
    { code: 'G3', text: { ja: '保有個人データに該当しない場合', en: 'Not retained personal data' }, statutoryGround: 'APPI_16_4' },
    { code: 'G4', text: { ja: '第三者の権利利益を害するおそれがある場合', en: 'Harms a third party' }, statutoryGround: 'APPI_33_2_I', appliesTo: ['DISCLOSE'] },
    { code: 'G5', text: { ja: '他の法令に違反する場合', en: 'Violates another law' }, statutoryGround: 'APPI_33_2_III', appliesTo: ['DISCLOSE'] },
    { code: 'G6', text: { ja: '資金決済に関する法令により保存を要する場合', en: 'Retention required by payment-services law' }, appliesTo: ['ERASE'] },
  ],
  fee: { status: 'CHARGED_AMOUNT_NOT_STATED', note: { ja: '開示の請求には所定の手数料をいただきます。', en: 'A prescribed fee is charged for disclosure.' } },
};

const organization = {
  code: 'remit',
  name: { ja: '架空送金株式会社', en: 'Fictional Remit K.K.' },
  address: { ja: '東京都千代田区架空1-1' },
  representative: { name: { ja: '山田 太郎' } },
  requestProcedure: procedure,
  contactDesks: [{
    code: 'desk', name: { ja: 'お客様相談室' }, email: 'privacy@remit.example',
    phones: [{ label: { ja: '国内', en: 'Domestic' }, number: '0120-000-000' }, { label: { ja: '海外から', en: 'From abroad' }, number: '+81-3-0000-0000' }],
    hours: { ja: '平日9:00-18:00', en: 'Weekdays 9:00-18:00' }, closedDays: { ja: '年末年始を除く', en: 'except New Year holidays' },
  }],
  complaintContact: { channels: [{ kind: 'PHONE', label: { ja: '苦情・相談', en: 'Complaints' }, deskCode: 'desk' }] },
  notice: {
    title: { ja: '個人情報保護方針' },
    revisions: [
      { effectiveDate: '2021-04-01', version: '1.0', summary: { ja: '制定' } },
      { effectiveDate: '2023-10-01', version: '2.0', summary: { ja: '外国にある第三者への提供を追記' } },
      { effectiveDate: '2025-07-01', version: '3.0', summary: { ja: '手数料を改定' } },
    ],
  },
};

let s: TestServer;
before(async () => {
  s = await startTestServer({
    docs: [doc({
      organization,
      subjectCategories: [{ code: 'customers', name: { ja: '送金サービスのお客様', en: 'Remittance customers' }, role: 'CONTROLLER' }],
      purposes: [{ code: 'p-remit', text: { ja: '送金サービスの提供のため', en: 'To provide remittance services' }, subjectCategory: 'customers' }],
    })],
  });
});
after(() => s?.close());

const CREATE = `mutation C($input: CreateDataSubjectRequestInput!) { createDataSubjectRequest(input: $input) { request { id status declinedByPolicy { ja } } } }`;
const TRANSITION = `mutation T($input: TransitionDataSubjectRequestInput!) { transitionDataSubjectRequest(input: $input) {
  request { id status version refusalGround refusalReason refusal { code statutoryGround text { ja } } } } }`;
const STATE = `query S($id: ID!) { dataSubjectRequest(id: $id) { status version refusalGround } }`;

async function create(type: string): Promise<string> {
  const r = await s.gql(CREATE, { input: { framework: 'APPI', type, identities: [{ type: 'EMAIL', value: 'customer@example.com' }], channel: 'MAIL', requester: { kind: 'SELF' }, responseMethod: 'OTHER' } });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return r.data.createDataSubjectRequest.request.id;
}

test('the catalogue holds the statutory grounds of APPI and GDPR and the procedural ones', async () => {
  const r = await s.gql('{ refusalGroundCatalogue { code kind framework article requestTypes } }');
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  const codes = r.data.refusalGroundCatalogue.map((g: any) => g.code);
  for (const c of ['APPI_33_2_I', 'APPI_33_2_II', 'APPI_33_2_III', 'APPI_34', 'APPI_35', 'GDPR_12_5', 'GDPR_15_4', 'GDPR_17_3', 'GDPR_21_1', 'IDENTITY_NOT_CONFIRMED', 'REQUEST_INCOMPLETE']) assert.ok(codes.includes(c), c);
  const incomplete = r.data.refusalGroundCatalogue.find((g: any) => g.code === 'REQUEST_INCOMPLETE');
  assert.equal(incomplete.kind, 'PROCEDURAL');
  assert.equal(incomplete.framework, null);
  assert.deepEqual(r.data.refusalGroundCatalogue.find((g: any) => g.code === 'GDPR_17_3').requestTypes, ['ERASE']);
});

test("a request is refused on any of the organization's own grounds, and on no other", async () => {
  const id = await create('ERASE');
  const unknown = await s.gql(TRANSITION, { input: { id, to: 'REFUSED', refusalGround: 'HINDERS_BUSINESS', note: 'no' } });
  assert.equal(unknown.errors?.[0].extensions.code, 'BAD_USER_INPUT');
  assert.equal(unknown.errors?.[0].extensions.field, 'input.refusalGround');
  assert.match(unknown.errors![0].message, /G1, G2, G3, G4, G5, G6/);
  const wrongType = await s.gql(TRANSITION, { input: { id, to: 'REFUSED', refusalGround: 'G4', note: 'no' } });
  assert.equal(wrongType.errors?.[0].extensions.field, 'input.refusalGround', 'G4 applies to disclosure only');
  assert.match(wrongType.errors![0].message, /DISCLOSE, not to ERASE/);
  const unchanged = await s.gql(STATE, { id });
  assert.deepEqual(unchanged.data.dataSubjectRequest, { status: 'RECEIVED', version: 1, refusalGround: null }, 'a refused input changes nothing');

  const own = await s.gql(TRANSITION, { input: { id, to: 'REFUSED', refusalGround: 'G6', note: 'kept under the payment-services law' } });
  assert.equal(own.errors, undefined, JSON.stringify(own.errors));
  assert.equal(own.data.transitionDataSubjectRequest.request.status, 'REFUSED');
  assert.deepEqual(own.data.transitionDataSubjectRequest.request.refusal, { code: 'G6', statutoryGround: null, text: { ja: '資金決済に関する法令により保存を要する場合' } });

  // The ground was an enum: a bare name written inline, as clients did then, is still accepted.
  const id2 = await create('DISCLOSE');
  const literal = await s.gql(`mutation { transitionDataSubjectRequest(input: { id: "${id2}", to: REFUSED, refusalGround: G2, note: "form incomplete" }) { request { refusalGround refusal { statutoryGround } } } }`);
  assert.equal(literal.errors, undefined, JSON.stringify(literal.errors));
  assert.deepEqual(literal.data.transitionDataSubjectRequest.request, { refusalGround: 'G2', refusal: { statutoryGround: 'REQUEST_INCOMPLETE' } });
  const reply = await s.gql('query D($id: ID!) { disclosureReport(requestId: $id, language: JA) { content } }', { id: id2 });
  assert.match(reply.data.disclosureReport.content, /## ご請求に応じられない理由\n\n- 所定の書類に不備がある場合/, 'the reply states the ground in the organization\'s words');
});

test('a request of a type declined by policy is recorded and answered with the notice wording, not forced onto a ground', async () => {
  const id = await create('STOP_USE');
  const wording = procedure.requestTypes[2].declinedByPolicy!.ja;
  const read = await s.gql('query Q($id: ID!) { dataSubjectRequest(id: $id) { status declinedByPolicy { ja en } } }', { id });
  assert.equal(read.data.dataSubjectRequest.status, 'RECEIVED');
  assert.equal(read.data.dataSubjectRequest.declinedByPolicy.ja, wording);
  const refused = await s.gql(TRANSITION, { input: { id, to: 'REFUSED' } });
  assert.equal(refused.errors, undefined, JSON.stringify(refused.errors));
  assert.equal(refused.data.transitionDataSubjectRequest.request.refusalGround, null);
  assert.equal(refused.data.transitionDataSubjectRequest.request.refusalReason, wording);
  // An offered type still needs a ground.
  const erase = await create('ERASE');
  const noGround = await s.gql(TRANSITION, { input: { id: erase, to: 'REFUSED', note: 'no' } });
  assert.equal(noGround.errors?.[0].extensions.field, 'input.refusalGround');
});

test('a right the notice grants beyond the law is recordable as a request; others of a foreign framework are not', async () => {
  const objection = await create('OBJECT');
  assert.ok(objection);
  const restrict = await s.gql(CREATE, { input: { framework: 'APPI', type: 'RESTRICT', identities: [{ type: 'EMAIL', value: 'customer@example.com' }], channel: 'MAIL', requester: { kind: 'SELF' }, responseMethod: 'WRITTEN' } });
  assert.equal(restrict.errors?.[0].extensions.field, 'input.type');
});

test('a method the organization does not offer falls back in its order', async () => {
  const q = 'query Q($id: ID!) { dataSubjectRequest(id: $id) { responseMethod plannedResponseMethod } }';
  const offered = await create('DISCLOSE');
  assert.deepEqual((await s.gql(q, { id: offered })).data.dataSubjectRequest, { responseMethod: 'OTHER', plannedResponseMethod: 'OTHER' });
  const oral = await s.gql(CREATE, { input: { framework: 'APPI', type: 'DISCLOSE', identities: [{ type: 'EMAIL', value: 'customer@example.com' }], channel: 'MAIL', requester: { kind: 'SELF' }, responseMethod: 'ORAL' } });
  const id = oral.data.createDataSubjectRequest.request.id;
  assert.deepEqual((await s.gql(q, { id })).data.dataSubjectRequest, { responseMethod: 'ORAL', plannedResponseMethod: 'WRITTEN' });
});

test('a fee charged without an amount is a gap, and the notice prints no currency for it', async () => {
  const r = await s.gql('{ organization { requestProcedure { fee { status amountJpy } methodFallbackOrder requestTypes { code beyondLaw } } gaps { code law } } }');
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  assert.deepEqual(r.data.organization.requestProcedure.fee, { status: 'CHARGED_AMOUNT_NOT_STATED', amountJpy: null });
  assert.deepEqual(r.data.organization.requestProcedure.methodFallbackOrder, ['WRITTEN', 'OTHER']);
  assert.equal(r.data.organization.requestProcedure.requestTypes.find((t: any) => t.code === 'OBJECT').beyondLaw, true);
  const gap = r.data.organization.gaps.find((g: any) => g.code === 'FEE_AMOUNT_NOT_STATED');
  assert.ok(gap, JSON.stringify(r.data.organization.gaps));
  assert.match(gap.law, /Art\. 38\(2\)/);
  for (const lang of ['JA', 'EN']) {
    const notice: string = (await s.gql(`{ publicNotice(language: ${lang}) }`)).data.publicNotice;
    const feeLine = notice.split('\n').find((l) => /手数料:|Fee:/.test(l));
    assert.ok(feeLine, notice);
    assert.doesNotMatch(feeLine!, /円|JPY/);
    assert.match(feeLine!, lang === 'JA' ? /所定の手数料をいただきます/ : /prescribed fee/);
  }
});

test('one contact desk with two phones serves the request and the complaint channels', async () => {
  const ja: string = (await s.gql('{ publicNotice(language: JA) }')).data.publicNotice;
  const reach = '0120-000-000 / 海外から +81-3-0000-0000(平日9:00-18:00 年末年始を除く) privacy@remit.example';
  assert.ok(ja.includes(`- 電話による請求 国内 ${reach}`), ja);
  assert.ok(ja.includes(`- 苦情・相談 国内 ${reach}`), ja);
  const org = (await s.gql('{ organization { id version } }')).data.organization;
  const bad = await s.gql('mutation U($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { organization { version } } }',
    { input: { id: org.id, version: org.version, complaintContact: { channels: [{ kind: 'PHONE', deskCode: 'nowhere' }] } } });
  assert.equal(bad.errors?.[0].extensions.field, 'input.complaintContact.channels[0].deskCode', JSON.stringify(bad));
});

test('the notice lists the declined type with its wording and the dated revisions in order', async () => {
  const ja: string = (await s.gql('{ publicNotice(language: JA) }')).data.publicNotice;
  assert.match(ja, /- 利用停止:送金記録は法令により保存が義務付けられているため/);
  assert.doesNotMatch(ja, /^- 利用停止$/m, 'a declined type is not listed among the offered ones');
  const dates = ['2021年4月1日 1.0: 制定', '2023年10月1日 2.0: 外国にある第三者への提供を追記', '2025年7月1日 3.0: 手数料を改定'].map((d) => ja.indexOf(d));
  assert.ok(dates.every((i) => i >= 0), ja);
  assert.deepEqual([...dates].sort((a, b) => a - b), dates);
});

test('publicNoticeDiff compares two versions of the notice as well as since a date', async () => {
  const between = await s.gql('{ publicNoticeDiff(fromVersion: "1.0", toVersion: "2.0") { code } }');
  assert.equal(between.errors, undefined, JSON.stringify(between.errors));
  assert.deepEqual(between.data.publicNoticeDiff, [], 'nothing was recorded between 2021 and 2023');
  const sinceLast = await s.gql('{ publicNoticeDiff(fromVersion: "3.0") { entityType code change } }');
  assert.ok(sinceLast.data.publicNoticeDiff.some((c: any) => c.entityType === 'Purpose' && c.code === 'p-remit'), JSON.stringify(sinceLast.data));
  const unknown = await s.gql('{ publicNoticeDiff(fromVersion: "9.9") { code } }');
  assert.equal(unknown.errors?.[0].extensions.code, 'BAD_USER_INPUT');
  assert.equal(unknown.errors?.[0].extensions.field, 'fromVersion');
  const neither = await s.gql('{ publicNoticeDiff { code } }');
  assert.equal(neither.errors?.[0].extensions.code, 'BAD_USER_INPUT');
  const backwards = await s.gql('{ publicNoticeDiff(fromVersion: "3.0", toVersion: "1.0") { code } }');
  assert.equal(backwards.errors?.[0].extensions.field, 'toVersion');
});

test('a procedure that contradicts itself is bad input through GraphQL and the manifest, and changes nothing', async () => {
  const org = (await s.gql('{ organization { id version } }')).data.organization;
  const bad = { ...procedure, fee: { status: 'CHARGED' }, refusalGrounds: [...procedure.refusalGrounds, { code: 'G1', text: { ja: '重複' } }, { code: 'G7', text: { ja: 'x' }, statutoryGround: 'APPI_99' }], methodFallbackOrder: ['ORAL'] };
  const r = await s.gql('mutation U($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { organization { version } } }', { input: { id: org.id, version: org.version, requestProcedure: bad } });
  assert.equal(r.errors?.[0].extensions.code, 'BAD_USER_INPUT', JSON.stringify(r));
  const fields = JSON.stringify(r.errors?.[0]);
  for (const f of ['input.requestProcedure.fee.amountJpy', 'input.requestProcedure.refusalGrounds[6].code', 'input.requestProcedure.refusalGrounds[7].statutoryGround', 'input.requestProcedure.methodFallbackOrder[0]']) assert.ok(fields.includes(f), `${f} in ${fields}`);
  const after = (await s.gql('{ organization { version requestProcedure { fee { status } refusalGrounds { code } } } }')).data.organization;
  assert.equal(after.version, org.version);
  assert.equal(after.requestProcedure.refusalGrounds.length, 6);

  const imported = await importManifests(s.orm, [doc({ organization: { ...organization, requestProcedure: bad } })]).then(() => null, (e: ManifestError) => e);
  assert.ok(imported instanceof ManifestError, 'the manifest is refused');
  const paths = imported.problems.map((p) => p.path);
  assert.ok(paths.includes('/organization/requestProcedure/fee/amountJpy'), JSON.stringify(paths));
  assert.ok(paths.includes('/organization/requestProcedure/refusalGrounds/7/statutoryGround'), JSON.stringify(paths));
  assert.equal((await s.gql('{ organization { version } }')).data.organization.version, org.version);
});

test('the migration carries refused requests and fees forward onto the organization\'s records', async () => {
  const db = await databaseAt('Migration20261128042445_idempotency_keys');
  try {
    const { sql } = db;
    // Data as it stood under the enum: one ground recorded on the organization, another only on requests.
    await sql(`insert into "organization" ("code", "name", "request_procedure") values ('old', '{"en":"Old"}', ?::jsonb)`, [JSON.stringify({
      requestTypes: [], channels: [], disclosureMethods: [], notes: [], fee: { status: 'CHARGED' },
      refusalGrounds: [{ code: 'HINDERS_BUSINESS', text: { ja: '業務に著しい支障' } }, { code: 'OWN', text: { ja: '独自' } }],
    })]);
    for (const [i, ground] of ['HINDERS_BUSINESS', 'VIOLATES_LAWS'].entries()) {
      await sql(`insert into "data_subject_request" ("reference", "framework", "type", "status", "channel", "response_method", "due_at", "refusal_ground")
        values (?, 'APPI', 'DISCLOSE', 'REFUSED', 'MAIL', 'WRITTEN', '2026-01-01', ?)`, [`DSR-OLD-${i}`, ground]);
    }
    await db.migrateRest();
    const [org] = await sql(`select "request_procedure" as p from "organization" where "code" = 'old'`);
    const grounds = org.p.refusalGrounds.map((g: any) => [g.code, g.statutoryGround ?? null]);
    assert.deepEqual(grounds, [['HINDERS_BUSINESS', 'APPI_33_2_II'], ['OWN', null], ['VIOLATES_LAWS', 'APPI_33_2_III']]);
    assert.equal(org.p.fee.status, 'CHARGED_AMOUNT_NOT_STATED');
    const [req] = await sql(`select "refusal_ground" from "data_subject_request" where "reference" = 'DSR-OLD-1'`);
    assert.equal(req.refusal_ground, 'VIOLATES_LAWS');
    await sql(`insert into "data_subject_request" ("reference", "framework", "type", "channel", "response_method", "due_at", "refusal_ground") values ('DSR-NEW', 'APPI', 'DISCLOSE', 'MAIL', 'OTHER', '2026-01-01', 'ANY_CODE')`);
  } finally {
    await db.close();
  }
});

test('a method the organization does not offer is answered as such: the reply names the one asked for and the one used instead', async () => {
  // Records of provision state the method whatever the person's data (a disclosure of no data states none).
  const r = await s.gql(CREATE, { input: { framework: 'APPI', type: 'DISCLOSE_PROVISION_RECORDS', identities: [{ type: 'EMAIL', value: 'customer@example.com' }], channel: 'MAIL', requester: { kind: 'SELF' }, responseMethod: 'ORAL' } });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  const id = r.data.createDataSubjectRequest.request.id;
  const ja = (await s.gql('query D($id: ID!) { disclosureReport(requestId: $id, language: JA) { content } }', { id })).data.disclosureReport.content;
  assert.match(ja, /## 開示の方法\n\n- ご請求の方法（口頭）による開示は当社では困難であるため、書面の郵送により開示いたします。/, ja);
  const asked = await create('DISCLOSE_PROVISION_RECORDS'); // OTHER, which is offered
  const en = (await s.gql('query D($id: ID!) { disclosureReport(requestId: $id, language: EN) { content } }', { id: asked })).data.disclosureReport.content;
  assert.match(en, /## Method of disclosure\n\n- Inspection at the counter\n/);
});
