import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { repoRoot } from '../src/config.js';
import { readManifests } from '../src/manifest/importer.js';
import { compareNotice } from '../src/compliance/notice-roundtrip.js';
import { startTestServer, type TestServer } from './helpers.js';

/**
 * Round trip: each notice modelled as a manifest comes out of Kiroku again, sentence for sentence and
 * in order — the seed's and a second organization's written with constructs the seed does not use.
 */
const fixtures = [
  { name: 'seed notice', dirs: [path.join(repoRoot, 'seeds/notice')], source: path.join(repoRoot, 'seeds/notice/source-notice.txt') },
  { name: 'second notice', dirs: [path.join(repoRoot, 'seeds/acceptance/kakehashi')], source: path.join(repoRoot, 'seeds/acceptance/kakehashi/source-notice.txt') },
];

const servers = new Map<string, TestServer>();
before(async () => {
  await Promise.all(fixtures.map(async (f) => servers.set(f.name, await startTestServer({ docs: await readManifests(f.dirs) }))));
});
after(() => Promise.all([...servers.values()].map((s) => s.close())));

for (const f of fixtures) {
  test(`the regenerated Japanese ${f.name} has every sentence of the source, in order, and no other`, async () => {
    const r = await servers.get(f.name)!.gql('{ publicNotice(language: JA, format: MARKDOWN) }');
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    if (process.env.NOTICE_DUMP) await fs.writeFile(path.join(process.env.NOTICE_DUMP, `${f.name.replace(/ /g, '-')}.md`), r.data.publicNotice);
    const c = compareNotice(await fs.readFile(f.source, 'utf8'), r.data.publicNotice);
    const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
    console.log(`# ${f.name}: ${c.sourceSentences} source sentences, coverage ${pct(c.coverage)}, order agreement ${pct(c.orderAgreement)}, ${c.extra.length} generated sentences not in the source`);
    assert.deepEqual(c.missing, [], 'sentences of the source missing from the generated notice');
    assert.deepEqual(c.outOfOrder, [], 'sentences out of the source order');
    assert.deepEqual(c.extra, [], 'generated sentences the source does not have');
    assert.equal(c.coverage, 1);
    assert.equal(c.orderAgreement, 1);
  });
}

test('the comparison fails a notice that drops, reorders or adds a sentence', () => {
  const source = '見出し\n一つ目の文です。二つ目の文です。\n- 箇条書き\n';
  assert.equal(compareNotice(source, '# 見出し\n\n一つ目の文です。\n二つ目の文です。\n\n- 箇条書き\n').coverage, 1);
  const dropped = compareNotice(source, '# 見出し\n\n一つ目の文です。\n- 箇条書き\n');
  assert.deepEqual(dropped.missing, ['二つ目の文です。']);
  const reordered = compareNotice(source, '# 見出し\n\n二つ目の文です。一つ目の文です。\n- 箇条書き\n');
  assert.equal(reordered.coverage, 1);
  assert.ok(reordered.orderAgreement < 1);
  assert.deepEqual(compareNotice(source, '見出し\n一つ目の文です。二つ目の文です。三つ目の文です。\n- 箇条書き').extra, ['三つ目の文です。']);
  // full and half width, spaces and Markdown markup do not count
  assert.equal(compareNotice('電話 03-1234-5678(平日)', '**電話** ０３-1234-5678（平日）').coverage, 1);
});

test('records marked illustrative stay out of the published notice unless asked for', async () => {
  const s = servers.get('second notice')!;
  const r = await s.gql('{ published: publicNotice(language: JA) demo: publicNotice(language: JA, includeIllustrative: true) }');
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  assert.ok(!r.data.published.includes('架空のキャンペーンのご案内'));
  assert.ok(r.data.demo.includes('架空のキャンペーンのご案内'));
});

test('the English notice follows the same layout with the English texts', async () => {
  const en: string = (await servers.get('second notice')!.gql('{ publicNotice(language: EN) }')).data.publicNotice;
  const order = ['# Privacy Policy', '## Article 1 Purposes of use', '### PH Remit Payout Inc. (Philippines)', 'Outline of the equivalent measures the recipient implements', '## Article 4', 'Erasure: Remittance records must be kept by law', 'Fee: A prescribed fee is charged', 'From abroad +81-3-0000-0123', '2024-10-01 Revised (fee wording changed)'];
  const at = order.map((x) => en.indexOf(x));
  assert.ok(at.every((i) => i >= 0), `${order.filter((_, i) => at[i] < 0).join(' | ')}\n${en}`);
  assert.deepEqual([...at].sort((a, b) => a - b), at);
  assert.doesNotMatch(en, /[ぁ-んァ-ン]/, 'no Japanese left unmarked in the English notice');
});

test('a layout naming a statement, ground or desk that does not exist is refused, and changes nothing', async () => {
  const s = servers.get('second notice')!;
  const org = (await s.gql('{ organization { id version notice { layout { kind } } } }')).data.organization;
  const bad = await s.gql('mutation U($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { organization { version } } }', {
    input: { id: org.id, version: org.version, notice: { layout: [{ kind: 'HEADING', text: { ja: '見出し' } }, { kind: 'STATEMENTS', codes: ['intro', 'no-such-statement'] }, { kind: 'PARAGRAPH' }] } },
  });
  assert.equal(bad.errors?.[0].extensions.code, 'BAD_USER_INPUT', JSON.stringify(bad));
  const fields = JSON.stringify(bad.errors);
  assert.match(fields, /input\.notice\.layout\[1\]\.codes\[1\]/);
  assert.match(fields, /input\.notice\.layout\[2\]\.text/);
  const after = (await s.gql('{ organization { version notice { layout { kind } } } }')).data.organization;
  assert.equal(after.version, org.version);
  assert.equal(after.notice.layout.length, org.notice.layout.length);
});

test('a layout that leaves out what the law wants published is a gap; the seed and the second notice have none of these', async () => {
  for (const f of fixtures) {
    const g = await servers.get(f.name)!.gql('{ organization { gaps { code } } }');
    assert.deepEqual(g.data.organization.gaps.map((x: any) => x.code).filter((c: string) => c.startsWith('NOTICE_OMITS')), [], f.name);
  }
  const s = servers.get('second notice')!;
  const org = (await s.gql('{ organization { id version } }')).data.organization;
  const layout = [{ kind: 'ORGANIZATION' }, { kind: 'HEADING', level: 1, text: { ja: '利用目的' } }, { kind: 'PURPOSES' }, { kind: 'REQUEST_CHANNELS' }, { kind: 'CONTACT_DESKS' }];
  const u = await s.gql('mutation U($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { organization { gaps { code law } } } }',
    { input: { id: org.id, version: org.version, notice: { title: { ja: 'プライバシーポリシー' }, layout } } });
  assert.equal(u.errors, undefined, JSON.stringify(u.errors));
  const codes = u.data.updateOrganization.organization.gaps.map((x: any) => x.code);
  assert.ok(codes.includes('NOTICE_OMITS_SECURITY_MEASURES'), codes.join());
  assert.ok(!codes.includes('NOTICE_OMITS_PURPOSES'));
  const loc = await s.gql('mutation { createStorageLocation(input: { code: "sg-dc", name: { en: "Singapore DC" }, country: "SG" }) { storageLocation { id } } }');
  assert.equal(loc.errors, undefined, JSON.stringify(loc.errors));
  const after = (await s.gql('{ organization { gaps { code } } }')).data.organization.gaps.map((x: any) => x.code);
  assert.ok(after.includes('NOTICE_OMITS_STORAGE_ABROAD'), after.join());
});
