import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import { Role } from '../src/auth/roles.js';
import { readManifests } from '../src/manifest/importer.js';
import { seedDirs } from '../src/manifest/seed.js';
import { startTestServer, token, type TestServer } from './helpers.js';

let s: TestServer;
let auditor: string;
before(async () => {
  s = await startTestServer({ docs: await readManifests(seedDirs('demo')) });
  auditor = await token(Role.AUDITOR);
});
after(() => s?.close());

test('XLSX of the GDPR Art. 30(1) record opens with the right headers, frozen panes and one row per activity', async () => {
  const r = await s.gql('{ ropaExport(format: XLSX, framework: GDPR, role: CONTROLLER, language: EN) { filename contentType encoding content } processingActivities(first: 500, filter: { role: CONTROLLER, status: ACTIVE }) { totalCount } }', {}, { token: auditor });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  const x = r.data.ropaExport;
  assert.equal(x.filename, 'ropa-gdpr-controller-en.xlsx');
  assert.equal(x.encoding, 'BASE64');
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(x.content, 'base64') as never);
  const sheet = book.worksheets[0];
  const header = (sheet.getRow(1).values as unknown[]).slice(1);
  assert.deepEqual(header.slice(0, 8), ['Code', 'Processing activity', 'Controller (name and contact)', 'Joint controllers', "Controller's representative", 'Data protection officer', 'Purposes of the processing', 'Categories of data subjects']);
  assert.ok(header.includes('Transfers to third countries (country, safeguard)') && header.includes('Envisaged time limits for erasure'));
  assert.equal(sheet.rowCount - 1, r.data.processingActivities.totalCount);
  assert.equal((sheet.views[0] as { state?: string }).state, 'frozen');
  assert.ok((sheet.getColumn(7).width ?? 0) >= 40);
  const recruiting = sheet.getRows(2, sheet.rowCount - 1)!.find((row) => row.getCell(1).value === 'pa-demo-recruiting-ats')!;
  assert.match(String(recruiting.getCell(header.indexOf('Transfers to third countries (country, safeguard)') + 1).value), /United States of America \(US\)/);
});

test('CSV and JSON downloads over HTTP carry the content type, file name and APPI columns', async () => {
  const res = await fetch(`${s.url}/exports/ropa.csv?framework=APPI&role=CONTROLLER&language=JA`, { headers: { authorization: `Bearer ${auditor}` } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.equal(res.headers.get('content-disposition'), 'attachment; filename="ropa-appi-controller-ja.csv"');
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a UTF-8 BOM for spreadsheet programs');
  const csv = bytes.subarray(3).toString('utf8');
  assert.ok(csv.startsWith('コード,取扱業務,本人の区分,個人データの項目'), csv.slice(0, 80));
  assert.match(csv, /共同利用/);
  assert.match(csv, /採用に関する選考・決定/);
  const json = await (await fetch(`${s.url}/exports/ropa.json?framework=GDPR&role=PROCESSOR&language=EN`, { headers: { authorization: `Bearer ${auditor}` } })).json() as any;
  assert.deepEqual(json.columns.map((c: any) => c.ref).filter(Boolean).slice(0, 4), ['30(2)(b)', '30(2)(a)', '30(2)(a)', '30(2)(a)']);
  assert.ok(json.rows.some((r: any) => r.code === 'pa-03-entrusted' && r.controllers), 'the entrusted activity names its controller');
  const integration = await token(Role.INTEGRATION, { system: 'crm' });
  assert.equal((await fetch(`${s.url}/exports/ropa.csv`, { headers: { authorization: `Bearer ${integration}` } })).status, 403);
  assert.equal((await fetch(`${s.url}/exports/ropa.csv`)).status, 401);
  assert.equal((await s.gql('{ ropaExport(format: JSON, framework: APPI) { content } }', {}, { token: integration })).errors?.[0].extensions.code, 'FORBIDDEN');
});

test('the Japanese record names each foreign-transfer route in Japanese, never by its enum code', async () => {
  const r = await s.gql('{ ja: ropaExport(format: JSON, framework: APPI, language: JA) { content } en: ropaExport(format: JSON, framework: APPI, language: EN) { content } }', {}, { token: auditor });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  assert.doesNotMatch(r.data.ja.content, /ADEQUATE_COUNTRY|EQUIVALENT_MEASURES_\w+|CONSENT_WITH_INFORMATION|STATUTORY_EXCEPTION/);
  assert.match(r.data.ja.content, /相当措置を継続的に講ずるための体制の整備|本人の同意（法第28条第2項の情報提供）/);
  assert.match(r.data.en.content, /Equivalent measures|consent, with the Art. 28\(2\) information/);
});

const readBook = async (content: string) => {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(content, 'base64') as never);
  return book;
};
const cells = (sheet: ExcelJS.Worksheet) => sheet.getRows(2, sheet.rowCount - 1)!.map((row) => (row.values as unknown[]).slice(1).map((v) => String(v ?? '')));

test('the XLSX names each row\'s gaps with their article, in a column and a gaps sheet, with an autofilter on the header', async () => {
  const r = await s.gql('{ en: ropaExport(format: XLSX, framework: GDPR, role: CONTROLLER, language: EN) { content } ja: ropaExport(format: XLSX, framework: APPI, language: JA) { content } }', {}, { token: auditor });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  const book = await readBook(r.data.en.content);
  const [main, gaps] = book.worksheets;
  const header = (main.getRow(1).values as unknown[]).slice(1).map(String);
  assert.ok(main.autoFilter, 'the header row carries an autofilter');
  const col = (label: string) => header.indexOf(label);
  const gapCol = col('Gaps (what the record lacks)');
  assert.ok(gapCol > 0);
  const rows = cells(main);
  // Every empty required cell is reported with its article, and nothing is reported for a filled one.
  for (const [label, article] of [['Article 6 lawful basis', 'Art. 6(1)'], ['Envisaged time limits for erasure', 'Art. 30(1)(f)'], ['Data protection officer', 'Art. 30(1)(a), 37']] as const) {
    for (const row of rows) assert.equal(row[gapCol].includes(article), !row[col(label)].trim(), `${row[0]}: ${label} / ${row[gapCol]}`);
  }
  const flagged = rows.filter((row) => row[gapCol]);
  assert.ok(flagged.length > 0, 'the seed has gaps to show');
  assert.equal(gaps.name, 'Gaps');
  assert.deepEqual((gaps.getRow(1).values as unknown[]).slice(1), ['Code', 'Processing activity', 'Gap']);
  assert.equal(gaps.rowCount - 1, flagged.reduce((n, row) => n + row[gapCol].split('\n').length, 0), 'one gaps-sheet line per gap');
  assert.ok(gaps.autoFilter);

  const ja = await readBook(r.data.ja.content);
  const appi = ja.worksheets[0];
  const jh = (appi.getRow(1).values as unknown[]).slice(1).map(String);
  assert.equal(ja.worksheets[1].name, '不備');
  const items = jh.indexOf('個人データの項目');
  const referable = jh.indexOf('個人関連情報');
  const japRows = cells(appi);
  const withReferable = japRows.filter((row) => row[referable]);
  assert.ok(withReferable.length > 0, 'the seed has personally referable information');
  for (const row of withReferable) {
    for (const name of row[referable].split('\n')) assert.ok(!row[items].split('\n').includes(name), `${row[0]}: ${name} is listed once, as 個人関連情報`);
  }
  assert.ok(japRows.every((row) => !row[jh.indexOf('不備(記録に欠けている事項)')] || /法第\d+条/.test(row[jh.indexOf('不備(記録に欠けている事項)')])), 'Japanese gaps cite the APPI article');
});
