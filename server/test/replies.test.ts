import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Role } from '../src/auth/roles.js';
import { readManifests } from '../src/manifest/importer.js';
import { seedDirs } from '../src/manifest/seed.js';
import { ForeignTransferBasis, ResponseMethod, FeeStatus, IdentityType } from '../src/graphql/enums.js';
import { RequestStatus, RequestType } from '../src/requests/request.entity.js';
import { DatasetMatch } from '../src/requests/resolution.types.js';
import { settlePossible, startTestServer, token, type TestServer } from './helpers.js';

/**
 * The reply a privacy officer would send (issue 14): one letter for every outcome, request type,
 * framework and language, with the sections the law asks of it, subject-facing wording only, and
 * every inventory value escaped in Markdown and HTML.
 */
let s: TestServer;
let analyst: string;
let groundCodes: string[] = [];
before(async () => {
  s = await startTestServer({ docs: [...(await readManifests(seedDirs('demo')))] });
  analyst = await token(Role.PRIVACY_ANALYST, { sub: 'analyst-1' });
  const hr = await token(Role.INTEGRATION, { system: 'hr-ats' });
  const push = `mutation { registerDatasets(input: { systemKey: "hr-ats", datasets: [
      { key: "interviews", name: "Interview notes INTERNAL", activityCodes: ["pa-demo-recruiting-ats"], fields: [{ path: "email", identityType: EMAIL, dataCategoryCodes: ["contact.email"] }] },
      { key: "essays", name: "Essay store INTERNAL", publicDescription: { ja: "ご提出いただいた作文", en: "The essays you submitted" }, activityCodes: ["pa-demo-recruiting-ats"], fields: [{ path: "email", identityType: EMAIL, dataCategoryCodes: ["contact.email"] }] }
    ] }) { results { key status } } }`;
  const reg = await s.gql(push, {}, { token: hr });
  assert.equal(reg.errors, undefined, JSON.stringify(reg.errors));
  const again = await s.gql(push, {}, { token: hr });
  assert.deepEqual(again.data.registerDatasets.results.map((r: any) => r.status), ['UNCHANGED', 'UNCHANGED'], 'a public description pushed again is no change');
  for (const ds of ['interviews', 'essays']) {
    const rep = await s.gql(`mutation { reportSubjects(input: { systemKey: "hr-ats", datasetKey: "${ds}", identityType: EMAIL, values: ["held@example.com"], op: ADD }) { added } }`, {}, { token: hr });
    assert.equal(rep.errors, undefined, JSON.stringify(rep.errors));
  }
  groundCodes = (await s.gql('{ organization { requestProcedure { refusalGrounds { code } } } }')).data.organization.requestProcedure.refusalGrounds.map((g: any) => g.code);
});
after(() => s?.close());

const T = `mutation T($input: TransitionDataSubjectRequestInput!) { transitionDataSubjectRequest(input: $input) { request { id status } } }`;
async function request(framework: string, type: string, email: string, outcome: 'OPEN' | 'COMPLETED' | 'REFUSED', claim?: string[]): Promise<string> {
  const c = await s.gql(`mutation C($input: CreateDataSubjectRequestInput!) { createDataSubjectRequest(input: $input) { request { id } } }`, {
    input: { framework, type, channel: 'WEB', requester: { kind: 'SELF' }, responseMethod: 'ELECTRONIC', identities: [{ type: 'EMAIL', value: email }], subjectCategoryCodes: claim },
  }, { token: analyst });
  assert.equal(c.errors, undefined, JSON.stringify(c.errors));
  const id = c.data.createDataSubjectRequest.request.id;
  if (outcome === 'REFUSED') {
    const r = await s.gql(T, { input: { id, to: 'REFUSED', refusalGround: groundCodes[0], note: 'not retained' } }, { token: analyst });
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  } else if (outcome === 'COMPLETED') {
    await s.gql(T, { input: { id, to: 'VERIFYING' } }, { token: analyst });
    await s.gql(T, { input: { id, to: 'IN_PROGRESS', verificationMethod: 'email' } }, { token: analyst });
    await settlePossible(s, id, 'NOT_HELD', analyst);
    const w = await s.gql('query W($id: ID!) { dataSubjectRequest(id: $id) { resolution { actions { key } } } }', { id }, { token: analyst });
    const keys = w.data.dataSubjectRequest.resolution.actions.map((a: any) => a.key);
    if (keys.length) await s.gql('mutation A($input: SetRequestActionStatusInput!) { setRequestActionStatus(input: $input) { request { id } } }', { input: { requestId: id, actionKeys: keys, status: 'DONE' } }, { token: analyst });
    const done = await s.gql(T, { input: { id, to: 'COMPLETED', note: 'searched the paper files and the systems without datasets by name and e-mail: no record' } }, { token: analyst });
    assert.equal(done.errors, undefined, JSON.stringify(done.errors));
  }
  return id;
}
async function reply(id: string, language: 'JA' | 'EN', format = 'JSON'): Promise<string> {
  const r = await s.gql('query R($id: ID!, $l: ReportLanguage!, $f: ReportFormat!) { disclosureReport(requestId: $id, language: $l, format: $f) { content } }', { id, l: language, f: format }, { token: analyst });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return r.data.disclosureReport.content;
}

/** Outcome × type × framework → the section headings each reply must have (ja and en) and must not have. */
const TABLE: Array<{ name: string; framework: string; type: string; outcome: 'OPEN' | 'COMPLETED' | 'REFUSED'; email: string; claim?: string[]; ja: string[]; en: string[]; notJa?: string[] }> = [
  { name: 'APPI disclosure of held data', framework: 'APPI', type: 'DISCLOSE', outcome: 'COMPLETED', email: 'held@example.com',
    ja: ['開示する保有個人データの項目', '利用目的', '保存期間', '開示の方法', 'お問い合わせ先'], en: ['Personal data we hold about you', 'Purposes of use', 'Retention', 'Where to ask further'] },
  { name: 'APPI disclosure, nothing held', framework: 'APPI', type: 'DISCLOSE', outcome: 'COMPLETED', email: 'nobody@example.com',
    ja: ['保有個人データ', 'お問い合わせ先'], en: ['Personal data held'], notJa: ['開示する保有個人データの項目', '利用目的'] },
  { name: 'GDPR access', framework: 'GDPR', type: 'ACCESS', outcome: 'COMPLETED', email: 'held@example.com',
    ja: ['(a) 取扱いの目的', '(b) 個人データの種類', '(c) 個人データの受領者', '(d) 保存期間', '(e) 訂正・消去・制限・異議の権利', '(f) 監督機関への苦情申立ての権利', '(h) プロファイリングを含む自動化された意思決定', '第三国への移転に関する保護措置（第15条第2項）'],
    en: ['(a) Purposes of the processing', '(b) Categories of personal data', '(c) Recipients', '(d) Retention period', '(f) Right to lodge a complaint', '(h) Automated decision-making, including profiling', 'Safeguards for transfers to third countries (Art. 15(2))'] },
  { name: 'APPI refusal', framework: 'APPI', type: 'DISCLOSE', outcome: 'REFUSED', email: 'held@example.com',
    ja: ['ご請求の内容', 'ご請求に応じられない理由', '本件措置に関するご説明'], en: ['Why the request is refused', 'Explanation'], notJa: ['開示する保有個人データの項目', '利用目的', '委託先'] },
  { name: 'APPI erasure done', framework: 'APPI', type: 'ERASE', outcome: 'COMPLETED', email: 'held@example.com', ja: ['実施した措置'], en: ['What we have done'], notJa: ['開示する保有個人データの項目'] },
  { name: 'APPI purposes', framework: 'APPI', type: 'NOTIFY_PURPOSE', outcome: 'COMPLETED', email: 'held@example.com', ja: ['利用目的'], en: ['Purposes of use'], notJa: ['開示する保有個人データの項目'] },
  { name: 'APPI provision records', framework: 'APPI', type: 'DISCLOSE_PROVISION_RECORDS', outcome: 'COMPLETED', email: 'held@example.com', ja: ['提供の記録'], en: ['Records of provision'] },
  { name: 'APPI correction (draft)', framework: 'APPI', type: 'CORRECT', outcome: 'OPEN', email: 'held@example.com', ja: ['実施した措置'], en: ['What we have done'] },
];

/** Every enum value an output could leak, and the organization's own ground codes. */
function codes(): RegExp {
  const all = [ForeignTransferBasis, ResponseMethod, FeeStatus, IdentityType, RequestStatus, RequestType, DatasetMatch].flatMap((e) => Object.values(e) as string[]);
  return new RegExp(`(?<![A-Za-z_])(${[...all, ...groundCodes].filter((c) => c.length > 2).join('|')})(?![A-Za-z_])`);
}

test('each outcome × request type × framework × language has the sections it must, and a JA reply holds no codes or internal names', async () => {
  for (const row of TABLE) {
    const id = await request(row.framework, row.type, row.email, row.outcome, row.claim);
    for (const lang of ['JA', 'EN'] as const) {
      const json = JSON.parse(await reply(id, lang));
      const headings = json.sections.map((x: any) => x.heading);
      for (const h of lang === 'JA' ? row.ja : row.en) assert.ok(headings.includes(h), `${row.name} ${lang}: missing "${h}" in ${JSON.stringify(headings)}`);
      if (lang === 'JA') for (const h of row.notJa ?? []) assert.ok(!headings.includes(h), `${row.name}: "${h}" must not be there`);
      assert.equal(json.title.startsWith(lang === 'JA' ? '【案】' : '[DRAFT]'), row.outcome === 'OPEN', `${row.name} ${lang}: draft mark while open only`);
      assert.ok(json.sender.length >= 1 && json.addressee && json.date, `${row.name}: a letter has sender, addressee and date`);
    }
    const ja = await reply(id, 'JA', 'MARKDOWN');
    assert.doesNotMatch(ja, codes(), `${row.name}: an enum or ground code in the Japanese reply`);
    assert.doesNotMatch(ja, /Interview notes|INTERNAL|hr-ats/, `${row.name}: internal dataset or system names`);
    assert.match(ja, /\d{4}年\d{1,2}月\d{1,2}日/, 'a Japanese date');
    if (row.name === 'APPI disclosure of held data') assert.match(ja, /- ご提出いただいた作文\n/, 'a dataset is named by its public description');
    assert.match(ja, /敬具\n\n以上/, 'a formal close');
    if (row.outcome !== 'REFUSED' && row.framework === 'APPI') assert.match(ja, /個人情報の保護に関する法律第3\d条/, `${row.name}: the article it answers under`);
  }
});

test('a refused request lists no data; a GDPR refusal tells of the supervisory authority and judicial remedy (Art. 12(4))', async () => {
  const id = await request('GDPR', 'ACCESS', 'held@example.com', 'REFUSED');
  const en = JSON.parse(await reply(id, 'EN'));
  assert.ok(en.sections.some((x: any) => x.items.some((i: string) => /supervisory authority/.test(i) && /judicial remedy/.test(i))));
  assert.ok(!en.sections.some((x: any) => /^\([a-f]\)/.test(x.heading)), 'no Art. 15 items in a refusal');
  const md = await reply(id, 'EN', 'MARKDOWN');
  assert.doesNotMatch(md, /Email address|メールアドレス/, 'no data category of the person');
});

test('inventory values are escaped in Markdown and HTML: planted markup stays text', async () => {
  const id = await request('APPI', 'DISCLOSE', 'held@example.com', 'OPEN');
  const res = await s.gql('query($id: ID!) { dataSubjectRequest(id: $id) { resolution { activities { activity { id version code } } } } }', { id }, { token: analyst });
  const act = res.data.dataSubjectRequest.resolution.activities.find((a: any) => a.activity.code === 'pa-demo-recruiting-ats').activity;
  const planted = '<img src=x onerror=alert(1)> [click](javascript:alert(2)) *bold* # heading &lt;b&gt; A&B';
  const u = await s.gql('mutation($id: ID!, $v: Int!, $t: String!) { updateProcessingActivity(input: { id: $id, version: $v, retention: { ja: $t, en: $t } }) { processingActivity { id } } }', { id: act.id, v: act.version, t: planted });
  assert.equal(u.errors, undefined, JSON.stringify(u.errors));
  const md = await reply(id, 'JA', 'MARKDOWN');
  assert.ok(md.includes('\\<img src=x onerror=alert(1)\\> \\[click\\](javascript:alert(2)) \\*bold\\* # heading \\&lt;b\\&gt; A&B'), md);
  assert.doesNotMatch(md, /(?<!\\)<img|(?<!\\)\]\(javascript/);
  const html = await reply(id, 'EN', 'HTML');
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
  assert.doesNotMatch(html, /<img|<a\b/);
  assert.match(html, /@page \{ size: A4/);
  assert.match(await reply(id, 'JA', 'HTML'), /Noto Serif CJK JP/, 'the Japanese fonts are named');
});

test('four eyes: a reply is a draft until another privacy admin approves it; sent, it is frozen whatever the inventory says later', async () => {
  const admin2 = await token(Role.PRIVACY_ADMIN, { sub: 'admin-2' });
  const DRAFT = 'mutation($input: DraftReplyInput!) { draftReply(input: $input) { request { id } } }';
  const APPROVE = 'mutation($input: ApproveReplyInput!) { approveReply(input: $input) { request { reply { status approvedBy contentHash markdown } } } }';
  const SENT = 'mutation($input: MarkReplySentInput!) { markReplySent(input: $input) { request { reply { status sentBy sentAt method contentHash } timeline { kind } } } }';
  const open = await request('APPI', 'DISCLOSE', 'held@example.com', 'OPEN');
  assert.equal((await s.gql(DRAFT, { input: { requestId: open, language: 'JA' } })).errors, undefined);
  const undecided = await s.gql(APPROVE, { input: { requestId: open } }, { token: admin2 });
  assert.equal(undecided.errors?.[0].extensions.code, 'BAD_USER_INPUT', 'an open request has no outcome to reply with');

  const id = await request('APPI', 'DISCLOSE', 'held@example.com', 'COMPLETED');
  const noDraft = await s.gql(APPROVE, { input: { requestId: id } }, { token: admin2 });
  assert.equal(noDraft.errors?.[0].extensions.field, 'input.requestId');
  assert.equal((await s.gql(DRAFT, { input: { requestId: id, language: 'JA' } })).errors, undefined); // drafted by test-admin
  const self = await s.gql(APPROVE, { input: { requestId: id } });
  assert.equal(self.errors?.[0].extensions.code, 'FORBIDDEN', 'the drafter cannot approve their own reply');
  const byAnalyst = await s.gql(APPROVE, { input: { requestId: id } }, { token: analyst });
  assert.equal(byAnalyst.errors?.[0].extensions.code, 'FORBIDDEN', 'only a privacy admin approves');
  const early = await s.gql(SENT, { input: { requestId: id, method: 'WRITTEN' } }, { token: analyst });
  assert.equal(early.errors?.[0].extensions.code, 'BAD_USER_INPUT', 'a draft is not sent');

  const ok = await s.gql(APPROVE, { input: { requestId: id } }, { token: admin2 });
  assert.equal(ok.errors, undefined, JSON.stringify(ok.errors));
  const approved = ok.data.approveReply.request.reply;
  assert.equal(approved.status, 'APPROVED');
  assert.equal(approved.approvedBy, 'admin-2');
  assert.match(approved.contentHash, /^[0-9a-f]{64}$/);
  assert.match(approved.markdown, /^# 保有個人データの開示について（回答）/, 'the approved letter, not a draft');
  const sent = await s.gql(SENT, { input: { requestId: id, method: 'WRITTEN' } }, { token: analyst });
  assert.equal(sent.errors, undefined, JSON.stringify(sent.errors));
  const r = sent.data.markReplySent.request;
  assert.deepEqual([r.reply.status, r.reply.sentBy, r.reply.method, r.reply.contentHash], ['SENT', 'analyst-1', 'WRITTEN', approved.contentHash]);
  assert.deepEqual(r.timeline.map((e: any) => e.kind).filter((k: string) => k.startsWith('REPLY_')), ['REPLY_DRAFTED', 'REPLY_APPROVED', 'REPLY_SENT']);

  // The inventory changes; the sent letter does not.
  const acts = await s.gql('query($id: ID!) { dataSubjectRequest(id: $id) { resolution { activities { activity { id version code } } } } }', { id }, { token: analyst });
  const act = acts.data.dataSubjectRequest.resolution.activities[0].activity;
  const live = (await s.gql('query($id: ID!) { processingActivity(id: $id) { version } }', { id: act.id })).data.processingActivity;
  assert.equal((await s.gql('mutation($id: ID!, $v: Int!) { updateProcessingActivity(input: { id: $id, version: $v, retention: { ja: "変更後の保存期間", en: "changed" } }) { processingActivity { id } } }', { id: act.id, v: live.version })).errors, undefined);
  assert.equal(await reply(id, 'JA', 'MARKDOWN'), approved.markdown);
  const redraft = await s.gql(DRAFT, { input: { requestId: id, language: 'EN' } });
  assert.equal(redraft.errors?.[0].extensions.code, 'BAD_USER_INPUT', 'a sent reply is final');
});

test('partial disclosure: an item withheld on one of the organization\'s grounds is listed apart with the ground, the rest disclosed', async () => {
  const id = await request('APPI', 'DISCLOSE', 'held@example.com', 'OPEN');
  const w = await s.gql('query($id: ID!) { dataSubjectRequest(id: $id) { resolution { actions { key action targetCode targetId } } } }', { id }, { token: analyst });
  const actions = w.data.dataSubjectRequest.resolution.actions;
  const essays = actions.find((a: any) => a.action === 'DISCLOSE' && a.targetCode === 'hr-ats/essays');
  assert.ok(essays?.targetId, JSON.stringify(actions));
  const grounds = (await s.gql('{ organization { requestProcedure { refusalGrounds { code appliesTo text { ja en } } } } }')).data.organization.requestProcedure.refusalGrounds;
  const ground = grounds.find((g: any) => !g.appliesTo?.length || g.appliesTo.includes('DISCLOSE'));
  const SET = 'mutation($input: SetRequestActionStatusInput!) { setRequestActionStatus(input: $input) { request { id } } }';
  const done = await s.gql(SET, { input: { requestId: id, actionKeys: [essays.key], status: 'DONE', refusalGround: ground.code } }, { token: analyst });
  assert.equal(done.errors?.[0].extensions.field, 'input.refusalGround', 'a ground goes with a waiver only');
  const other = actions.find((a: any) => a.action !== 'DISCLOSE');
  if (other) {
    const wrong = await s.gql(SET, { input: { requestId: id, actionKeys: [other.key], status: 'WAIVED', note: 'x', refusalGround: ground.code } }, { token: analyst });
    assert.equal(wrong.errors?.[0].extensions.field, 'input.actionKeys[0]');
  }
  const unknown = await s.gql(SET, { input: { requestId: id, actionKeys: [essays.key], status: 'WAIVED', note: 'x', refusalGround: 'NO_SUCH_GROUND' } }, { token: analyst });
  assert.equal(unknown.errors?.[0].extensions.field, 'input.refusalGround');
  const ok = await s.gql(SET, { input: { requestId: id, actionKeys: [essays.key], status: 'WAIVED', note: 'would reveal an assessor\'s notes', refusalGround: ground.code } }, { token: analyst });
  assert.equal(ok.errors, undefined, JSON.stringify(ok.errors));
  const json = JSON.parse(await reply(id, 'JA'));
  const items = json.sections.find((x: any) => x.heading === '開示する保有個人データの項目').items;
  const withheld = json.sections.find((x: any) => x.heading === '開示しない項目とその理由')?.items ?? [];
  assert.ok(!items.includes('ご提出いただいた作文'), 'the withheld item is not disclosed');
  assert.equal(withheld.length, 1);
  assert.ok(withheld[0].startsWith('ご提出いただいた作文：') && withheld[0].includes(ground.text.ja), withheld[0]);
  assert.ok(items.length >= 1, 'the other datasets are still disclosed');
});

const ACTIONS = 'mutation A($input: SetRequestActionStatusInput!) { setRequestActionStatus(input: $input) { request { id } } }';
/** An open request taken to IN_PROGRESS with its unchecked datasets settled not held. */
async function inProgress(framework: string, type: string, email: string, claim?: string[], settle: 'NOT_HELD' | 'HELD' | false = 'NOT_HELD'): Promise<{ id: string; actions: any[] }> {
  const id = await request(framework, type, email, 'OPEN', claim);
  await s.gql(T, { input: { id, to: 'VERIFYING' } }, { token: analyst });
  await s.gql(T, { input: { id, to: 'IN_PROGRESS', verificationMethod: 'email' } }, { token: analyst });
  if (settle) await settlePossible(s, id, settle, analyst);
  const w = await s.gql('query W($id: ID!) { dataSubjectRequest(id: $id) { resolution { actions { key action targetKind targetCode targetId } datasets { dataset { id key } match } } } }', { id }, { token: analyst });
  return { id, actions: w.data.dataSubjectRequest.resolution.actions };
}
async function setActions(id: string, keys: string[], status: 'DONE' | 'WAIVED', note?: string, refusalGround?: string) {
  if (!keys.length) return;
  const r = await s.gql(ACTIONS, { input: { requestId: id, actionKeys: keys, status, note, refusalGround } }, { token: analyst });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
}
async function complete(id: string) {
  const r = await s.gql(T, { input: { id, to: 'COMPLETED', note: 'searched the paper files and the systems without datasets by name and e-mail: no record' } }, { token: analyst });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
}
const section = (letter: any, heading: string): string[] | undefined => letter.sections.find((x: any) => x.heading === heading)?.items;

test('a waived measure is never reported as taken: the letter says what was done, and what was not and why', async () => {
  const { id, actions } = await inProgress('APPI', 'ERASE', 'held@example.com');
  const essays = actions.find((a) => a.targetCode === 'hr-ats/essays');
  const forward = actions.filter((a) => a.action === 'FORWARD_TO_PROCESSOR');
  assert.ok(essays && forward.length, JSON.stringify(actions.map((a) => a.key)));
  await setActions(id, [essays.key, ...forward.map((a) => a.key)], 'WAIVED', '法令に基づき保存が必要なため');
  await setActions(id, actions.filter((a) => a !== essays && !forward.includes(a)).map((a) => a.key), 'DONE');
  await complete(id);
  const ja = JSON.parse(await reply(id, 'JA'));
  const done = section(ja, '実施した措置')!.join('\n');
  assert.doesNotMatch(done, /ご提出いただいた作文/, 'the waived dataset is not reported as erased');
  assert.match(done, /メールアドレス|Email/, 'the dataset erased is');
  assert.doesNotMatch(done, /委託している事業者/, 'no processor was asked');
  const notTaken = section(ja, '実施しなかった措置とその理由');
  assert.ok(notTaken?.some((i) => /ご提出いただいた作文：法令に基づき保存が必要なため/.test(i)), JSON.stringify(notTaken));
  assert.ok(notTaken?.some((i) => /^委託先（.+）への同様の措置の依頼：法令に基づき/.test(i)), JSON.stringify(notTaken));
  assert.doesNotMatch(JSON.stringify(ja), /保有しておりません/);

  // Everything waived: nothing is reported done, and nothing reads as "no data held".
  const all = await inProgress('APPI', 'ERASE', 'held@example.com');
  await setActions(all.id, all.actions.map((a) => a.key), 'WAIVED', 'retention required by law');
  await complete(all.id);
  const en = JSON.parse(await reply(all.id, 'EN'));
  assert.deepEqual(section(en, 'What we have done'), ['We have not taken the measure requested, for the reasons under "Measures not taken, and why" below.']);
  assert.ok(section(en, 'Measures not taken, and why')!.every((i) => /: retention required by law$/.test(i)));
  assert.doesNotMatch(JSON.stringify(en), /We hold no retained personal data/);
  assert.doesNotMatch(en.title, /completion/);
});

test('data held is never answered as "no data": uncategorized data, everything withheld; a GDPR negative answer describes no processing', async () => {
  const hr = await token(Role.INTEGRATION, { system: 'hr-ats' });
  const reg = await s.gql(`mutation { registerDatasets(input: { systemKey: "hr-ats", datasets: [
      { key: "blank", name: "Uncategorized INTERNAL", activityCodes: ["pa-demo-recruiting-ats"], fields: [{ path: "email", identityType: EMAIL }] }
    ] }) { results { key status } } }`, {}, { token: hr });
  assert.equal(reg.errors, undefined, JSON.stringify(reg.errors));
  const rep = await s.gql(`mutation { reportSubjects(input: { systemKey: "hr-ats", datasetKey: "blank", identityType: EMAIL, values: ["blank@example.com"], op: ADD }) { added } }`, {}, { token: hr });
  assert.equal(rep.errors, undefined, JSON.stringify(rep.errors));
  const blank = await inProgress('APPI', 'DISCLOSE', 'blank@example.com');
  await setActions(blank.id, blank.actions.map((a) => a.key), 'DONE');
  await complete(blank.id);
  const ja = JSON.parse(await reply(blank.id, 'JA'));
  assert.doesNotMatch(JSON.stringify(ja), /保有しておりません/);
  assert.ok(section(ja, '開示する保有個人データの項目')?.includes('その他の個人データ'), JSON.stringify(ja.sections));
  assert.ok(section(ja, '利用目的')?.length && section(ja, '保存期間')?.length, 'the activity holding the person is described though its fields are not categorized');

  // GDPR access with every held item withheld on a ground: (b) points to the withheld items.
  const withheld = await inProgress('GDPR', 'ACCESS', 'held@example.com');
  const disclose = withheld.actions.filter((a) => a.action === 'DISCLOSE' && a.targetKind === 'Dataset');
  await setActions(withheld.id, disclose.map((a) => a.key), 'WAIVED', 'third-party rights', groundCodes[0]);
  await setActions(withheld.id, withheld.actions.filter((a) => !disclose.includes(a)).map((a) => a.key), 'DONE');
  await complete(withheld.id);
  const en = JSON.parse(await reply(withheld.id, 'EN'));
  assert.deepEqual(section(en, '(b) Categories of personal data'), ['See "Items not disclosed, and why" below.']);
  assert.ok(section(en, 'Items not disclosed, and why')?.length);
  assert.doesNotMatch(JSON.stringify(en), /We hold no retained personal data/);

  // Nothing held: the negative confirmation with the rights that remain, and no one else's processing.
  const none = await inProgress('GDPR', 'ACCESS', 'nobody@example.com');
  await setActions(none.id, none.actions.map((a) => a.key), 'DONE');
  await complete(none.id);
  const neg = JSON.parse(await reply(none.id, 'EN'));
  assert.deepEqual(neg.sections.map((x: any) => x.heading).filter((h: string) => h !== 'Where to ask further'),
    ['Your personal data', '(e) Rights to rectification, erasure, restriction and objection', '(f) Right to lodge a complaint', 'Personal data we process on behalf of another company']);
  // Nothing narrows the request, so the activities run for other companies are among its scope: the person is told where to ask.
  assert.match(section(neg, 'Personal data we process on behalf of another company')![0], /Please address requests about it to that company \(.+\)\.$/);
  assert.deepEqual(section(neg, 'Your personal data'), ['We do not process any personal data concerning you as a controller (Art. 15(1)).'], 'in the GDPR\'s terms, not the APPI\'s retained personal data');
  assert.equal(neg.title, 'Access to your personal data');
  // A GDPR refusal in Japanese does not cite the APPI.
  const refused = await request('GDPR', 'ACCESS', 'held@example.com', 'REFUSED');
  assert.doesNotMatch(JSON.stringify(JSON.parse(await reply(refused, 'JA'))), /個人情報の保護に関する法律第36条/);
});

test('records of provision: a record withheld on a ground is named with the ground, not printed; the method is stated', async () => {
  // Nothing narrows it (no claim, not indexed) and records of provision need no settling: every
  // recipient of the organization may have received the person's data.
  const { id, actions } = await inProgress('APPI', 'DISCLOSE_PROVISION_RECORDS', 'nobody@example.com', undefined, false);
  const records = actions.filter((a) => a.action === 'DISCLOSE' && a.targetKind === 'ThirdPartyRecipient');
  assert.ok(records.length >= 2, `the demo provides the person's data to several recipients: ${JSON.stringify(actions.map((a) => a.key))}`);
  const q = await s.gql('query R($id: ID!) { dataSubjectRequest(id: $id) { resolution { thirdPartyRecipients { code name { ja en } } } } }', { id }, { token: analyst });
  const nameOf = (code: string) => q.data.dataSubjectRequest.resolution.thirdPartyRecipients.find((r: any) => r.code === code).name.ja;
  const [kept, withheld] = records;
  await setActions(id, [withheld.key], 'WAIVED', 'third-party rights', groundCodes[0]);
  await setActions(id, actions.filter((a) => a !== withheld).map((a) => a.key), 'DONE');
  await complete(id);
  const ja = JSON.parse(await reply(id, 'JA'));
  const shown = section(ja, '提供の記録')!;
  assert.ok(shown.includes(nameOf(kept.targetCode)), JSON.stringify(shown));
  assert.ok(!shown.includes(nameOf(withheld.targetCode)), 'the withheld record is not printed');
  assert.ok(section(ja, '開示しない項目とその理由')?.some((i) => i.startsWith(`${nameOf(withheld.targetCode)}：`)), JSON.stringify(ja.sections));
  assert.ok(section(ja, '開示の方法')?.length, 'Art. 33(5) applies the method of 33(2)');
});

test('a GDPR access answer names the recipients the APPI\'s Art. 27(1) exceptions keep out, except public authorities in an inquiry (Art. 4(9))', async () => {
  // A hospital the call centre provides to in an emergency (Art. 27(1)(ii)), beside the police (27(1)(i)).
  const bases = await s.gql('{ legalBases { id code } }');
  const basisId = bases.data?.legalBases.find((b: any) => b.code === 'appi-27-1-ii')?.id;
  assert.ok(basisId, JSON.stringify(bases.errors ?? bases.data).slice(0, 300));
  const made = await s.gql(`mutation C($input: CreateThirdPartyRecipientInput!) { createThirdPartyRecipient(input: $input) { thirdPartyRecipient { id } } }`,
    { input: { code: 'tpr-hospital', name: { ja: 'エグザンプル救急病院', en: 'Example Emergency Hospital' }, kind: 'BUSINESS_PARTNER', country: 'JP', basisId } });
  assert.equal(made.errors, undefined, JSON.stringify(made.errors));
  const acts = await s.gql('{ processingActivities(first: 100) { edges { node { id code version recipients { id } } } } }');
  const centre = acts.data.processingActivities.edges.map((e: any) => e.node).find((a: any) => a.code === 'pa-demo-call-centre');
  const upd = await s.gql('mutation U($input: UpdateProcessingActivityInput!) { updateProcessingActivity(input: $input) { processingActivity { id } } }',
    { input: { id: centre.id, version: centre.version, recipientIds: [...centre.recipients.map((r: any) => r.id), made.data.createThirdPartyRecipient.thirdPartyRecipient.id] } });
  assert.equal(upd.errors, undefined, JSON.stringify(upd.errors));

  // The call centre, which no dataset serves, was found holding the person's calls.
  const { id, actions } = await inProgress('GDPR', 'ACCESS', 'held@example.com', ['hc-04-inquiries'], 'HELD');
  const r = await s.gql('query R($id: ID!) { dataSubjectRequest(id: $id) { resolution { withheldRecipients { recipient { name { en } kind } } } } }', { id }, { token: analyst });
  const withheld = r.data.dataSubjectRequest.resolution.withheldRecipients.map((w: any) => w.recipient);
  assert.deepEqual(withheld.map((w: any) => w.name.en).sort(), ['Example Emergency Hospital', 'Example Police Station']);
  await setActions(id, actions.map((a) => a.key), 'DONE');
  await complete(id);
  const c = section(JSON.parse(await reply(id, 'EN')), '(c) Recipients')!;
  assert.ok(c.includes('Example Emergency Hospital'), `a recipient under the GDPR: ${JSON.stringify(c)}`);
  assert.ok(!c.includes('Example Police Station'), 'a public authority receiving data in an inquiry is not a recipient (Art. 4(9))');
  // Neither is disclosed under the APPI, whose exception it is.
  const appi = await inProgress('APPI', 'DISCLOSE', 'held@example.com', ['hc-04-inquiries'], 'HELD');
  await setActions(appi.id, appi.actions.map((a) => a.key), 'DONE');
  await complete(appi.id);
  const letter = JSON.stringify(JSON.parse(await reply(appi.id, 'EN')));
  for (const w of withheld) assert.ok(!letter.includes(w.name.en), `${w.name.en} is not disclosed under the APPI`);
});

test("a letter describes the processing the person's data reaches: records reached only through datasets that do not hold them are left out", async () => {
  const { id, actions } = await inProgress('APPI', 'DISCLOSE', 'held@example.com', ['hc-01-service-users']);
  const r = await s.gql(`query R($id: ID!) { dataSubjectRequest(id: $id) { resolution {
    processors { processor { id name { ja } } } links { source target kind match } } } }`, { id }, { token: analyst });
  const res = r.data.dataSubjectRequest.resolution;
  const rank: Record<string, number> = { NOT_HELD: 0, POSSIBLE: 1, HELD: 2 };
  const best = new Map<string, string>();
  for (const l of res.links) if (!best.has(l.target) || rank[l.match] > rank[best.get(l.target)!]) best.set(l.target, l.match);
  const others = res.processors.filter((p: any) => best.get(`Processor:${p.processor.id}`) === 'NOT_HELD').map((p: any) => p.processor.name.ja);
  const theirs = res.processors.filter((p: any) => best.get(`Processor:${p.processor.id}`) === 'HELD').map((p: any) => p.processor.name.ja);
  assert.ok(others.length && theirs.length, `the claim reaches processors of data the person is not in, and the index processors of data they are: ${JSON.stringify({ others, theirs })}`);
  // The same whether or not the query reads the datasets' categories (which add category links).
  const detailed = await s.gql('query R($id: ID!) { dataSubjectRequest(id: $id) { resolution { datasets { dataCategories { id } } links { source target kind match } } } }', { id }, { token: analyst });
  const bestOf = (links: any[]) => {
    const m = new Map<string, string>();
    for (const l of links) if (/^(ProcessingActivity|Processor|ThirdPartyRecipient|JointUseArrangement):/.test(l.target) && (!m.has(l.target) || rank[l.match] > rank[m.get(l.target)!])) m.set(l.target, l.match);
    return Object.fromEntries([...m].sort());
  };
  assert.deepEqual(bestOf(detailed.data.dataSubjectRequest.resolution.links), bestOf(res.links));
  await setActions(id, actions.map((a) => a.key), 'DONE');
  await complete(id);
  const listed = section(JSON.parse(await reply(id, 'JA')), '委託先')!;
  for (const name of theirs) assert.ok(listed.includes(name), `${name} processes the person's data: listed`);
  for (const name of others.filter((n: string) => !theirs.includes(n))) assert.ok(!listed.includes(name), `${name} only processes data the person is not in: not listed`);
});

test('stopping provision and stopping use report what was stopped, recipient by recipient and activity by activity', async () => {
  // Found in every system and file of those activities: each recipient received the person's data.
  const stop = await inProgress('APPI', 'STOP_THIRD_PARTY_PROVISION', 'held@example.com', ['hc-01-service-users'], 'HELD');
  const stops = stop.actions.filter((a) => a.action === 'STOP_PROVISION' && a.targetKind === 'ThirdPartyRecipient');
  assert.ok(stops.length >= 2, JSON.stringify(stops.map((a) => a.key)));
  // Waive every stop the letter describes; mark done those of recipients the person's data never reached.
  await setActions(stop.id, stops.map((a) => a.key), 'WAIVED', '提供は本人の同意に基づくため');
  await setActions(stop.id, stop.actions.filter((a) => !stops.includes(a)).map((a) => a.key), 'DONE');
  await complete(stop.id);
  const ja = JSON.parse(await reply(stop.id, 'JA'));
  assert.deepEqual(section(ja, '実施した措置'), ['ご請求の措置は、下記「実施しなかった措置とその理由」のとおり、実施しておりません。'], JSON.stringify(ja.sections));
  const notTaken = section(ja, '実施しなかった措置とその理由')!;
  assert.ok(notTaken.length >= 1 && notTaken.every((i) => /への第三者提供の停止：提供は本人の同意に基づくため$/.test(i)), JSON.stringify(notTaken));
  assert.ok(notTaken.every((i) => !/^への/.test(i)), 'every line names its recipient');
  assert.doesNotMatch(JSON.stringify(ja), /ご請求の措置を実施いたしました/, 'the data is not reported stopped');

  const use = await inProgress('APPI', 'STOP_USE', 'held@example.com', ['hc-07-job-applicants']);
  const names = await s.gql('query R($id: ID!) { dataSubjectRequest(id: $id) { resolution { activities { activity { code name { ja } } } } } }', { id: use.id }, { token: analyst });
  const activity = use.actions.find((a) => a.action === 'STOP_USE' && a.targetKind === 'ProcessingActivity' && a.targetCode === 'pa-demo-recruiting-ats');
  assert.ok(activity, JSON.stringify(use.actions.map((a) => a.key)));
  const name = names.data.dataSubjectRequest.resolution.activities.find((a: any) => a.activity.code === 'pa-demo-recruiting-ats').activity.name.ja;
  await setActions(use.id, [activity.key], 'WAIVED', '選考中のため利用を継続します');
  await setActions(use.id, use.actions.filter((a) => a !== activity).map((a) => a.key), 'DONE');
  await complete(use.id);
  const letter = JSON.parse(await reply(use.id, 'JA'));
  assert.ok(section(letter, '実施しなかった措置とその理由')?.includes(`「${name}」における利用の停止：選考中のため利用を継続します`), JSON.stringify(letter.sections));
});

test('a purpose notification waived for an activity says so with the reason, and leaves out the purposes only that activity has', async () => {
  // Purposes are notified from the inventory: nothing is settled, every activity may concern the person.
  const { id, actions } = await inProgress('APPI', 'NOTIFY_PURPOSE', 'held@example.com', ['hc-07-job-applicants'], false);
  const q = await s.gql('query R($id: ID!) { dataSubjectRequest(id: $id) { resolution { activities { activity { id code name { ja } } } purposes { text { ja } activities { id } } } } }', { id }, { token: analyst });
  const res = q.data.dataSubjectRequest.resolution;
  const inRes = new Set(res.activities.map((a: any) => a.activity.id));
  // An activity with a purpose of its own among those of the request.
  const own = (actId: string) => res.purposes.filter((p: any) => p.activities.filter((a: any) => inRes.has(a.id)).every((a: any) => a.id === actId));
  const target = res.activities.find((a: any) => own(a.activity.id).length);
  assert.ok(target, 'an activity of the request has a purpose no other of its activities has');
  const notice = actions.find((a) => a.action === 'NOTIFY_PURPOSES' && a.targetCode === target.activity.code);
  await setActions(id, [notice.key], 'WAIVED', '利用目的が明らかであるため（第21条第4項第4号）');
  await setActions(id, actions.filter((a) => a !== notice).map((a) => a.key), 'DONE');
  await complete(id);
  const ja = JSON.parse(await reply(id, 'JA'));
  const told = section(ja, '利用目的')!;
  for (const p of own(target.activity.id)) assert.ok(!told.includes(p.text.ja), `"${p.text.ja}" belongs to the waived activity only`);
  assert.ok(told.length, 'the other activities\' purposes are still notified');
  assert.deepEqual(section(ja, '実施しなかった措置とその理由'), [`「${target.activity.name.ja}」の利用目的の通知：利用目的が明らかであるため（第21条第4項第4号）`]);
});
