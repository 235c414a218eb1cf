import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { repoRoot } from '../src/config.js';
import { startTestServer, type TestServer } from './helpers.js';

/**
 * The privacy notice must be representable in Kiroku and come out of it again: these tests read
 * the notice itself and check the seeded inventory against it.
 */
// A copy of the notice as published, kept beside the manifests it was modelled into.
const notice = readFileSync(path.join(repoRoot, 'seeds/notice/source-notice.txt'), 'utf8');

let s: TestServer;
before(async () => {
  s = await startTestServer({ seed: 'notice' });
});
after(() => s?.close());

/** Section 1 of the notice: bullets are purposes, except the channel notes and the Cookie paragraphs. */
function purposeBullets(text: string): string[] {
  const start = text.indexOf('1. 個人情報の利用目的');
  const end = text.indexOf('なお、当社が、個別の個人情報の収集に際し');
  return text
    .slice(start, end)
    .split('\n')
    .filter((l) => /^\s+•/.test(l))
    .map((l) => l.replace(/^\s+•\s*/, '').trim())
    .filter((l) => !l.startsWith('ご案内') && !l.includes('Cookie') && !l.includes('利用ログ情報') && !l.startsWith('パーソルグループ各社が共同で利用'));
}

test('the twelve holder categories come back with their purposes, category 3 as PROCESSOR', async () => {
  const r = await s.gql('{ subjectCategories { number code role requestsAccepted name { ja en } purposes { text { ja en } kind } } }');
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  const cats = r.data.subjectCategories;
  assert.equal(cats.length, 12);
  assert.deepEqual(cats.map((c: any) => c.number), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  const three = cats.find((c: any) => c.number === 3);
  assert.equal(three.role, 'PROCESSOR');
  assert.equal(three.requestsAccepted, false);
  assert.equal(three.name.ja, '当社が業務の委託を受けることに伴って取得した情報');
  assert.ok(cats.filter((c: any) => c.number !== 3).every((c: any) => c.role === 'CONTROLLER'));
  for (const c of cats) {
    assert.ok(c.purposes.length > 0, `category ${c.number} has purposes`);
    assert.ok(c.purposes.every((p: any) => p.text.ja && p.text.en), `category ${c.number}: every purpose in Japanese and English`);
  }
});

test('every purpose of the notice appears verbatim in Japanese', async () => {
  const bullets = purposeBullets(notice);
  assert.ok(bullets.length >= 45, `found ${bullets.length} purpose bullets in the notice`);
  const r = await s.gql('{ purposes { text { ja } } }');
  const texts = new Set(r.data.purposes.map((p: any) => p.text.ja));
  const missing = bullets.filter((b) => !texts.has(b));
  assert.deepEqual(missing, [], 'purposes missing or not verbatim');
  // the cookie-linked purposes are there too, as their own kind
  const cookie = await s.gql('{ purposes { kind } }');
  assert.ok(cookie.data.purposes.filter((p: any) => p.kind === 'COOKIE_LINKED').length >= 7);
});

test('the joint-use arrangement states every item APPI Art. 27(5)(iii) requires', async () => {
  const r = await s.gql(`{ jointUseArrangements { code itemsText { ja } scope { ja } dataCategories { code kind }
    purposes { text { ja } } subjectCategories { number }
    responsibleManager { name { ja } address { ja } representative { ja } } acquisitionMethods { ja } } }`);
  const [ju] = r.data.jointUseArrangements;
  assert.deepEqual(ju.responsibleManager, {
    name: { ja: 'パーソルホールディングス株式会社' },
    address: { ja: '東京都渋谷区代々木2-1-1' },
    representative: { ja: '代表取締役社長CEO 和田 孝雄' },
  });
  assert.match(ju.itemsText.ja, /氏名、所属組織の名称・部署名・所在地・役職名・メールアドレス・電話番号・FAX番号/);
  assert.match(ju.scope.ja, /個人情報の保護に関する法律第27条第5項第3号/);
  assert.ok(ju.purposes.length >= 1);
  assert.deepEqual(ju.subjectCategories.map((c: any) => c.number), [2]);
  assert.ok(ju.dataCategories.some((c: any) => c.kind === 'PERSONALLY_REFERABLE'), 'the Cookie等 items are jointly used');
  assert.equal(ju.acquisitionMethods.length, 3);
});

test('Cookie and behaviour-log items are personally referable; disability information is special-care', async () => {
  const r = await s.gql('{ dataCategories { code kind name { ja } } }');
  const byName = (ja: string) => r.data.dataCategories.find((c: any) => c.name.ja === ja);
  for (const ja of ['Cookie', '端末情報', 'IPアドレス', '広告識別子']) assert.equal(byName(ja)?.kind, 'PERSONALLY_REFERABLE', ja);
  assert.ok(r.data.dataCategories.filter((c: any) => c.kind === 'SPECIAL_CARE').length >= 1);
  const seven = await s.gql('{ processingActivities(first: 100) { edges { node { subjectCategories { number } dataCategories { kind } } } } }');
  const recruiting = seven.data.processingActivities.edges.map((e: any) => e.node).find((a: any) => a.subjectCategories.some((c: any) => c.number === 7));
  assert.ok(recruiting.dataCategories.some((c: any) => c.kind === 'SPECIAL_CARE'), 'the recruiting activity collects special-care data');
});

test('the organization carries the request procedure, the security measures, and reports what the notice omits', async () => {
  const r = await s.gql(`{ organization { name { ja } representative { name { ja } title { ja } }
    requestProcedure { requestTypes { code } channels { kind phone hours { ja } deskCode } disclosureMethods { method } refusalGrounds { code text { ja } statutoryGround } fee { status } }
    contactDesks { code phones { number } hours { ja } }
    complaintContact { channels { kind phone deskCode } } provisionRules { route } gaps { code law } }
    securityMeasures { category } }`);
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  const org = r.data.organization;
  assert.equal(org.name.ja, 'パーソル&サーバーワークス株式会社');
  assert.equal(org.representative.name.ja, '植木 順也');
  assert.equal(org.representative.title, null, 'no title is invented');
  const proc = org.requestProcedure;
  assert.deepEqual(proc.channels.map((c: any) => c.kind).sort(), ['MAIL', 'PHONE', 'WEB']);
  // One desk holds the number and hours; the request and complaint telephone channels both reach it.
  assert.deepEqual(org.contactDesks, [{ code: 'privacy-desk', phones: [{ number: '03-6386-0245' }], hours: { ja: '受付時間:平日10:00-17:00' } }]);
  assert.equal(proc.channels.find((c: any) => c.kind === 'PHONE').deskCode, 'privacy-desk');
  assert.equal(org.complaintContact.channels.find((c: any) => c.kind === 'PHONE').deskCode, 'privacy-desk');
  assert.deepEqual(proc.refusalGrounds.map((g: any) => g.statutoryGround), ['APPI_16_4', 'APPI_33_2_III', 'APPI_33_2_I', 'APPI_33_2_II']);
  assert.deepEqual(proc.disclosureMethods.map((m: any) => m.method).sort(), ['ELECTRONIC', 'ORAL', 'WRITTEN']);
  assert.equal(proc.refusalGrounds.length, 4);
  assert.equal(proc.fee.status, 'UNKNOWN', 'an unstated fee is unknown, not free');
  assert.ok(proc.requestTypes.length >= 6);
  assert.ok(org.provisionRules.some((p: any) => p.route === 'CONSENT'));
  assert.ok(org.provisionRules.some((p: any) => p.route === 'LEGAL_EXCEPTION'));
  assert.deepEqual(org.gaps.map((g: any) => g.code), ['FEE_NOT_STATED']);
  assert.equal(r.data.securityMeasures.length, 18);
});
