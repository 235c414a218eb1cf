import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import { Role } from '../src/auth/roles.js';
import { exportManifest } from '../src/manifest/exporter.js';
import { doc, startTestServer, token, type TestServer } from './helpers.js';

let s: TestServer;
before(async () => {
  s = await startTestServer({
    docs: [doc({
      securityMeasures: [
        { code: 'sm-titled', category: 'ORGANIZATIONAL', title: { ja: '組織体制の整備', en: 'Organization' }, description: { ja: '責任者を定めています。', en: 'A manager is appointed.' } },
        { code: 'sm-untitled', description: { ja: '従業者に定期的な研修を行っています。', en: 'Staff are trained regularly.' } },
        { code: 'sm-ja-title', category: 'PHYSICAL', title: { ja: '入退室管理' }, description: { ja: '入退室を記録しています。', en: 'Entry to the office is logged.' } },
      ],
      processingActivities: [{ code: 'pa', name: { ja: '顧客管理', en: 'Customers' }, securityMeasures: ['sm-titled', 'sm-untitled', 'sm-ja-title'] }],
    })],
  });
});
after(() => s?.close());

test('a security measure without title or category is kept and printed by its text in the RoPA and the notice', async () => {
  const auditor = await token(Role.AUDITOR);
  const r = await s.gql('{ securityMeasures { code title { ja } category } ropa: ropaExport(format: JSON, framework: APPI, language: JA) { content } notice: publicNotice(language: JA) }', {}, { token: auditor });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  assert.deepEqual(r.data.securityMeasures.find((m: any) => m.code === 'sm-untitled'), { code: 'sm-untitled', title: null, category: null });
  assert.match(r.data.ropa.content, /従業者に定期的な研修を行っています。/);
  assert.match(r.data.notice, /従業者に定期的な研修を行っています。/);
  assert.doesNotMatch(r.data.notice, /#### \(\)/, 'no empty heading for an untitled measure');
});

test('every RoPA (both frameworks, both languages, every format) lists the untitled measure by its text, next to the titled ones', async () => {
  const auditor = await token(Role.AUDITOR);
  for (const framework of ['APPI', 'GDPR']) {
    for (const [language, untitled, titled, jaOnlyTitle] of [['JA', '従業者に定期的な研修を行っています。', '組織体制の整備', '入退室管理'], ['EN', 'Staff are trained regularly.', 'Organization', 'Entry to the office is logged.']]) {
      for (const format of ['JSON', 'CSV', 'XLSX']) {
        const r = await s.gql(`{ ropaExport(format: ${format}, framework: ${framework}, language: ${language}) { content } }`, {}, { token: auditor });
        assert.equal(r.errors, undefined, JSON.stringify(r.errors));
        let cell: string;
        if (format === 'JSON') cell = JSON.parse(r.data.ropaExport.content).rows.find((x: any) => x.code === 'pa').security;
        else if (format === 'CSV') cell = r.data.ropaExport.content;
        else {
          const book = new ExcelJS.Workbook();
          await book.xlsx.load(Buffer.from(r.data.ropaExport.content, 'base64') as never);
          const sheet = book.worksheets[0];
          const header = (sheet.getRow(1).values as unknown[]).map(String);
          const col = header.findIndex((h) => /安全管理措置|security/i.test(h));
          cell = String(sheet.getRow(2).getCell(col).value);
        }
        const where = `${framework} ${language} ${format}`;
        assert.ok(cell.includes(untitled), `${where}: the untitled measure by its text`);
        assert.ok(cell.includes(titled), `${where}: the titled measure by its title`);
        // A title in the other language only gives way to the measure's text in this one.
        assert.ok(cell.includes(jaOnlyTitle), `${where}: ${jaOnlyTitle}`);
      }
    }
  }
});

test('the inventory export keeps the untitled, unclassified measure as it is, with its text', async () => {
  const manifest = await exportManifest(s.orm) as { securityMeasures: Array<Record<string, unknown>> };
  const m = manifest.securityMeasures.find((x) => x.code === 'sm-untitled');
  assert.deepEqual(m, { code: 'sm-untitled', description: { ja: '従業者に定期的な研修を行っています。', en: 'Staff are trained regularly.' } });
});
