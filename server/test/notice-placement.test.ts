import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { databaseAt, doc, startTestServer, type TestServer } from './helpers.js';

/**
 * Where the public notice prints a free statement is the statement's placement, whatever its code:
 * another organization's statements appear without any code change.
 */
let s: TestServer;
before(async () => {
  s = await startTestServer({
    docs: [doc({
      organization: {
        code: 'other-co', name: { ja: '別会社株式会社', en: 'Other Co.' },
        statements: [
          { code: 'x-1', placement: 'PURPOSES', text: { ja: '当社は配送状況の通知に位置情報を用います。', en: 'We use location data to notify delivery status.' } },
          { code: 'stmt-web-beacons', text: { ja: '目録にのみ残す記述です。', en: 'Kept in the inventory only.' } },
          { code: 'x-2', placement: 'SUBJECT_CATEGORY', subjectCategoryCode: 'buyers', text: { ja: '購入者の閲覧履歴を取得します。', en: 'We collect the browsing history of buyers.' } },
        ],
      },
      subjectCategories: [{ code: 'buyers', number: 5, name: { ja: '購入者', en: 'Buyers' } }],
      purposes: [{ code: 'ship', subjectCategory: 'buyers', kind: 'CATEGORY', text: { ja: '商品の配送のため', en: 'To ship goods' } }],
    })],
  });
});
after(() => s?.close());

test('statements are printed where their placement says, never chosen by their code', async () => {
  const r = await s.gql('{ ja: publicNotice(language: JA, format: MARKDOWN) en: publicNotice(language: EN, format: MARKDOWN) }');
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  const ja: string = r.data.ja;
  assert.ok(ja.includes('当社は配送状況の通知に位置情報を用います。'), 'a PURPOSES statement with a code of its own');
  assert.ok(!ja.includes('目録にのみ残す記述です。'), 'no placement: not printed, even with a code the seed uses');
  const buyers = ja.indexOf('購入者');
  assert.ok(buyers >= 0 && ja.indexOf('購入者の閲覧履歴を取得します。') > buyers, 'a SUBJECT_CATEGORY statement with its category');
  assert.ok(r.data.en.includes('We use location data to notify delivery status.'));
});

test('the migration gives existing statements the placement the code-based rule gave them', async () => {
  const db = await databaseAt('Migration20261128080419_request_reply');
  try {
    const { sql } = db;
    await sql(`insert into "subject_category" ("code", "name", "number") values ('hc-two', '{"en":"Two"}', 2)`);
    await sql(`insert into "organization" ("code", "name", "statements") values ('o', '{"en":"O"}', ?::jsonb)`, [JSON.stringify([
      { code: 'stmt-preamble', text: { en: 'a' } },
      { code: 'stmt-web-beacons', text: { en: 'b' } },
      { code: 'stmt-cookie-usage-category-2', text: { en: 'c' } },
    ])]);
    await db.migrateRest();
    const [row] = await sql(`select "statements" from "organization" where "code" = 'o'`);
    assert.deepEqual(row.statements, [
      { code: 'stmt-preamble', text: { en: 'a' } },
      { code: 'stmt-web-beacons', text: { en: 'b' }, placement: 'PURPOSES' },
      { code: 'stmt-cookie-usage-category-2', text: { en: 'c' }, placement: 'SUBJECT_CATEGORY', subjectCategoryCode: 'hc-two' },
    ]);
  } finally {
    await db.close();
  }
});
