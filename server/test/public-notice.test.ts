import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { repoRoot } from '../src/config.js';
import { Role } from '../src/auth/roles.js';
import { readManifests } from '../src/manifest/importer.js';
import { seedDirs } from '../src/manifest/seed.js';
import { startTestServer, token, type TestServer } from './helpers.js';

/** The notice generated from the inventory, compared text by text with the notice it was modelled on. */
const notice = readFileSync(path.join(repoRoot, 'seeds/notice/source-notice.txt'), 'utf8');
const norm = (s: string) => s.replace(/\s+/g, '');

let s: TestServer;
let demo: TestServer;
before(async () => {
  [s, demo] = await Promise.all([startTestServer({ seed: 'notice' }), startTestServer({ docs: await readManifests(seedDirs('demo')) })]);
});
after(() => Promise.all([s?.close(), demo?.close()]));

function expectedTexts(): string[] {
  const section1 = notice.slice(notice.indexOf('1. 個人情報の利用目的'), notice.indexOf('なお、当社が、個別の個人情報の収集に際し'));
  const purposes = section1.split('\n').filter((l) => /^\s+•/.test(l)).map((l) => l.replace(/^\s+•\s*/, '').trim())
    .filter((l) => !l.startsWith('ご案内') && !l.includes('利用ログ情報') && !l.startsWith('パーソルグループ各社が共同で利用'));
  const itemsAt = notice.indexOf('共同して利用する個人情報の項目');
  const items = notice.slice(itemsAt, notice.indexOf('共同して利用する者の範囲')).replace('共同して利用する個人情報の項目', '').split('\n').map((l) => l.trim()).filter(Boolean);
  const section4 = notice.slice(notice.indexOf('4. 個人情報の安全管理措置'));
  const headings = section4.split('\n').map((l) => l.trim()).map((l) => /^\((.+)\)$/.exec(l)?.[1] ?? /^\(\d\)(.+)$/.exec(l)?.[1]).filter((x): x is string => !!x && !x.startsWith('個人情報の保護に関する法律'));
  return [...purposes, ...items, ...headings];
}

test('the Japanese notice contains every purpose, joint-use item and security-measure heading of the seed notice', async () => {
  const r = await s.gql('{ publicNotice(language: JA, format: MARKDOWN) }');
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  const rendered = norm(r.data.publicNotice);
  const expected = expectedTexts();
  assert.ok(expected.length > 60, `${expected.length} texts to find`);
  const missing = expected.filter((x) => !rendered.includes(norm(x)));
  assert.deepEqual(missing, [], 'missing from the generated notice');
  for (const must of ['東京都渋谷区代々木2-1-1', '代表取締役社長CEO 和田 孝雄', '03-6386-0245', '当社が業務の委託を受けることに伴って取得した情報']) assert.ok(rendered.includes(norm(must)), must);
});

test('a change to the inventory shows in the next rendering and in publicNoticeDiff', async () => {
  await new Promise((r) => setTimeout(r, 50));
  const since = new Date().toISOString();
  const c = await s.gql('mutation { createPurpose(input: { code: "p-new", text: { ja: "新しいサービスのご案内", en: "Information on a new service" }, subjectCategoryId: "1" }) { purpose { id } } createStorageLocation(input: { code: "sg-new", name: { en: "Singapore" }, country: "SG" }) { storageLocation { id } } }');
  assert.equal(c.errors, undefined, JSON.stringify(c.errors));
  const ja = (await s.gql('{ publicNotice(language: JA) }')).data.publicNotice;
  assert.match(ja, /新しいサービスのご案内/);
  assert.match(ja, /シンガポール/, 'the new foreign storage country is announced (外的環境の把握)');
  const diff = await s.gql(`{ publicNoticeDiff(since: "${since}") { entityType code change } }`);
  assert.deepEqual(diff.data.publicNoticeDiff.map((d: any) => `${d.entityType}:${d.code}:${d.change}`).sort(), ['Purpose:p-new:CREATED', 'StorageLocation:sg-new:CREATED']);
  const html = (await s.gql('{ publicNotice(language: EN, format: HTML) }')).data.publicNotice;
  assert.match(html, /^<!doctype html>/);
  assert.match(html, /<h2>1\. Purposes of use of personal information<\/h2>/, "the organization's own heading");
  assert.match(html, /PERSOL &amp; SERVERWORKS/, 'values are escaped in HTML');
});

test('the HTML notice is sanitized: no script URLs, data URLs, images or raw HTML planted through inventory texts', async () => {
  const analyst = await token(Role.PRIVACY_ANALYST, { sub: 'analyst-xss' });
  const [ju] = (await s.gql('{ jointUseArrangements { id version } }')).data.jointUseArrangements;
  const planted = [
    '[Details](javascript:alert(document.cookie))',
    '[Obfuscated](jav&#x09;ascript:alert(1))',
    '[Data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '[Relative scheme](//tracker.example/x)',
    '![pixel](https://tracker.example/p.png)',
    '<https://autolinked.example/ok>',
    '<img src=x onerror=alert(1)> <script>alert(2)</script>',
    '[Members](https://members.example/list)',
  ].join(' ');
  const u = await s.gql(`mutation($id: ID!, $v: Int!, $t: String!) { updateJointUseArrangement(input: { id: $id, version: $v, rationale: { en: $t } }) { jointUseArrangement { id } } }`, { id: ju.id, v: ju.version, t: planted }, { token: analyst });
  assert.equal(u.errors, undefined, JSON.stringify(u.errors));
  const html: string = (await s.gql('{ publicNotice(language: EN, format: HTML) }', {}, { token: analyst })).data.publicNotice;
  assert.ok(html.includes('Details'), 'the planted text is in the notice');
  assert.doesNotMatch(html, /javascript:|jav&#x09;ascript|data:text|href="\/\//i, 'no script, data or protocol-relative links');
  assert.doesNotMatch(html, /<img|<script|<[^>]*onerror|tracker\.example\/p\.png"/i, 'no images, raw HTML or event handlers');
  assert.match(html, /<a href="https:\/\/members\.example\/list" rel="noopener noreferrer nofollow">Members<\/a>/, 'https links stay');
  assert.match(html, /<a href="https:\/\/autolinked\.example\/ok"/);
  const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
  assert.ok(hrefs.length > 0 && hrefs.every((h) => /^(https:|mailto:)/.test(h)), `only https and mailto links: ${hrefs.join(' ')}`);
  // Markdown is the source text: it keeps what was typed.
  assert.match((await s.gql('{ publicNotice(language: EN, format: MARKDOWN) }')).data.publicNotice, /\[Details\]\(javascript:/);
});

test('foreign-transfer statements and provision records come from the data; auditors read, integrations do not', async () => {
  const ft = await demo.gql('{ foreignTransfers { id basis } }');
  const equivalent = ft.data.foreignTransfers.find((f: any) => f.basis === 'EQUIVALENT_MEASURES_CONTRACT');
  const consent = ft.data.foreignTransfers.find((f: any) => f.basis === 'CONSENT_WITH_INFORMATION');
  const auditor = await token(Role.AUDITOR);
  const st = await demo.gql(`{ e: foreignTransferStatement(transferId: "${equivalent.id}", language: JA) c: foreignTransferStatement(transferId: "${consent.id}", language: EN) }`, {}, { token: auditor });
  assert.equal(st.errors, undefined, JSON.stringify(st.errors));
  assert.equal(st.data.e.split('\n').filter((l: string) => /^\d\. /.test(l)).length, 7, 'the seven items of PPC Rules Art. 18(3)');
  assert.match(st.data.e, /確認の頻度及び方法/);
  assert.match(st.data.c, /The country's personal-information protection system/);
  const pr = await demo.gql('{ provisionRecordsExport(from: "2000-01-01", to: "2100-12-31", format: CSV) { filename content } }', {}, { token: auditor });
  assert.equal(pr.errors, undefined, JSON.stringify(pr.errors));
  const lines = pr.data.provisionRecordsExport.content.trim().split('\r\n');
  assert.equal(lines[0], 'code,direction,providedAt,recipient,recipientName,country,basis,items,subjects,notes');
  assert.ok(lines.length > 1);
  const none = await demo.gql('{ provisionRecordsExport(from: "1990-01-01", to: "1990-12-31", format: JSON) { content } }', {}, { token: auditor });
  assert.equal(none.data.provisionRecordsExport.content, '[]');
  const integration = await token(Role.INTEGRATION, { system: 'crm' });
  assert.equal((await demo.gql('{ publicNotice(language: JA) }', {}, { token: integration })).errors?.[0].extensions.code, 'FORBIDDEN');
});
