import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import { Role } from '../src/auth/roles.js';
import { doc, startTestServer, token, type TestServer } from './helpers.js';

/**
 * The documents Kiroku hands out, read back and checked for what they say: every text below is in
 * the inventory in both languages, so a reply in one language that carries the other's text, or
 * drops an item, fails here.
 */
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
let s: TestServer;
let auditor: string;
let requestId: string;
let reference: string;
before(async () => {
  s = await startTestServer({
    docs: [doc({
      organization: { code: 'org', name: { ja: '記録テスト株式会社', en: 'Kiroku Test K.K.' } },
      subjectCategories: [{ code: 'customers', name: { ja: '顧客', en: 'Customers' } }],
      dataCategories: [{ code: 'contact.email', name: { ja: 'メールアドレス', en: 'Email address' }, identityType: 'EMAIL' }],
      purposes: [{ code: 'billing', text: { ja: '料金の請求のため', en: 'To bill for the service' } }],
      legalBases: [{ code: 'appi-consent', framework: 'APPI', article: 'Art. 27(1)', title: { ja: '本人の同意', en: 'Consent of the person' } }],
      countryAssessments: [{ country: 'US', regime: { ja: '包括的な連邦法はない', en: 'No comprehensive federal law' }, reviewedAt: day(-5) }],
      processors: [{ code: 'mailer', name: { ja: 'メール配信社', en: 'Mailer Inc.' }, country: 'US' }],
      storageLocations: [{ code: 'us-east', name: { ja: '米国東部', en: 'US East' }, country: 'US', hostingProcessor: 'mailer' }],
      thirdPartyRecipients: [{
        code: 'partner', name: { ja: '提携先 & 子会社', en: 'Partner & Co' }, kind: 'BUSINESS_PARTNER', country: 'JP', basis: 'appi-consent',
        provisionRecords: [
          { code: 'pr-recent', direction: 'PROVIDED', providedAt: day(-10), items: { ja: '氏名、メールアドレス', en: 'Name, email address' }, subjects: { ja: '応募者', en: 'Entrants' }, basis: 'appi-consent', notes: { en: 'Quarterly, "batch" file' } },
          { code: 'pr-formula', direction: 'RECEIVED', providedAt: day(-3), items: { en: 'Order ids' }, notes: { en: '=1+1' } },
          { code: 'pr-old', direction: 'PROVIDED', providedAt: '2001-01-01', items: { en: 'Old list' } },
        ],
      }],
      processingActivities: [{
        code: 'pa-billing', name: { ja: '請求業務', en: 'Billing' }, subjectCategories: ['customers'], dataCategories: ['contact.email'], purposes: ['billing'],
        processors: ['mailer'], recipients: ['partner'], storageLocations: ['us-east'], retention: { ja: '契約終了後5年', en: 'Five years after the contract ends' },
      }],
      systems: [{ key: 'crm', name: 'CRM', datasets: [{ key: 'customers', name: 'Customer DB', storageLocation: 'us-east', activities: ['pa-billing'], fields: [{ path: 'email', identityType: 'EMAIL', dataCategories: ['contact.email'] }] }] }],
    })],
  });
  auditor = await token(Role.AUDITOR);
  const held = await s.gql('mutation { reportSubjects(input: { systemKey: "crm", datasetKey: "customers", identityType: EMAIL, values: ["person@example.com"], op: ADD }) { added } }');
  assert.equal(held.errors, undefined, JSON.stringify(held.errors));
  const r = await s.gql('mutation($input: CreateDataSubjectRequestInput!) { createDataSubjectRequest(input: $input) { request { id reference } } }', {
    input: { framework: 'APPI', type: 'DISCLOSE', channel: 'WEB', requester: { kind: 'SELF' }, responseMethod: 'ELECTRONIC', identities: [{ type: 'EMAIL', value: 'person@example.com' }], subjectCategoryCodes: ['customers'] },
  });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  ({ id: requestId, reference } = r.data.createDataSubjectRequest.request);
});
after(() => s?.close());

type Sections = Array<{ heading: string; items: string[] }>;
const EXPECTED: Record<'JA' | 'EN', { title: string; none: string; sections: Sections; foreign: RegExp; other: string[] }> = {
  JA: {
    // Open, so a draft; data named by its categories, never by the internal dataset name.
    title: '【案】保有個人データの開示について（回答）',
    none: 'なし',
    sections: [
      { heading: '開示する保有個人データの項目', items: ['メールアドレス'] },
      { heading: '利用目的', items: ['料金の請求のため'] },
      { heading: '第三者提供先', items: ['提携先 & 子会社'] },
      { heading: '委託先', items: ['メール配信社'] },
      { heading: '外国における取扱い', items: [] },
      { heading: '保存期間', items: ['契約終了後5年'] },
      { heading: '開示の方法', items: ['電磁的記録の提供'] },
      { heading: 'お問い合わせ先', items: [] },
    ],
    foreign: /^アメリカ合衆国（(保管|提供).*）：包括的な連邦法はない$/,
    other: ['To bill for the service', 'Email address', 'Partner & Co', 'Mailer Inc.', 'Five years', 'United States'],
  },
  EN: {
    title: '[DRAFT] Disclosure of retained personal data',
    none: 'None',
    sections: [
      { heading: 'Personal data we hold about you', items: ['Email address'] },
      { heading: 'Purposes of use', items: ['To bill for the service'] },
      { heading: 'Third parties provided to', items: ['Partner & Co'] },
      { heading: 'Processors (entrusted parties)', items: ['Mailer Inc.'] },
      { heading: 'Handling in foreign countries', items: [] },
      { heading: 'Retention', items: ['Five years after the contract ends'] },
      { heading: 'Method of disclosure', items: ['as an electronic record'] },
      { heading: 'Where to ask further', items: [] },
    ],
    foreign: /^United States of America \((stored|provided).*\): No comprehensive federal law$/,
    other: ['料金の請求のため', 'メールアドレス', '提携先', 'メール配信社', '契約終了後', 'アメリカ'],
  },
};

/** Markdown back into sections: `## heading` then `- item` lines. */
function fromMarkdown(md: string, none: string): { title: string; reference: string; sections: Sections } {
  const un = (x: string) => x.replace(/\\([\\`*_[\]<>&~|#+=\-.)])/g, '$1');
  const lines = md.split('\n').map(un);
  const sections: Sections = [];
  for (const line of lines.slice(1)) {
    if (line.startsWith('## ')) sections.push({ heading: line.slice(3), items: [] });
    else if (line.startsWith('- ') && sections.length) sections[sections.length - 1].items.push(line.slice(2));
  }
  for (const sec of sections) if (sec.items.length === 1 && sec.items[0] === none) sec.items = [];
  return { title: lines[0].replace(/^# /, ''), reference: lines.find((l) => /: DSR-/.test(l))!.split(': ')[1], sections };
}

/** HTML back into sections, entities decoded. */
function fromHtml(html: string, none: string): { title: string; sections: Sections } {
  const un = (x: string) => x.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  const sections = [...html.matchAll(/<h2>(.*?)<\/h2><ul>(.*?)<\/ul>/g)].map((m) => {
    const items = [...m[2].matchAll(/<li>(.*?)<\/li>/g)].map((li) => un(li[1]));
    return { heading: un(m[1]), items: items.length === 1 && items[0] === none ? [] : items };
  });
  return { title: un(/<h1>(.*?)<\/h1>/.exec(html)![1]), sections };
}

test('the disclosure report says the same, complete thing in JSON, Markdown and HTML, in Japanese and in English', async () => {
  for (const language of ['JA', 'EN'] as const) {
    const want = EXPECTED[language];
    const r = await s.gql(`{ json: disclosureReport(requestId: "${requestId}", language: ${language}, format: JSON) { content } md: disclosureReport(requestId: "${requestId}", language: ${language}, format: MARKDOWN) { content } html: disclosureReport(requestId: "${requestId}", language: ${language}, format: HTML) { content } }`);
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    const json = JSON.parse(r.data.json.content);
    assert.equal(json.title, want.title);
    assert.equal(json.reference, reference);
    assert.equal(json.type, 'DISCLOSE');
    const foreign = json.sections.find((x: any) => x.heading === want.sections[4].heading);
    assert.ok(foreign.items.length >= 1 && foreign.items.every((i: string) => want.foreign.test(i)), `${language} foreign: ${JSON.stringify(foreign.items)}`);
    const withoutForeign = (secs: Sections) => secs.map((x) => (x.heading === want.sections[4].heading ? { ...x, items: [] } : x));
    assert.deepEqual(withoutForeign(json.sections), want.sections, `${language} JSON sections`);

    const md = fromMarkdown(r.data.md.content, want.none);
    assert.equal(md.title, want.title);
    assert.equal(md.reference, reference);
    assert.deepEqual(md.sections, json.sections, `${language} Markdown says what JSON says`);

    assert.match(r.data.html.content, new RegExp(`^<!doctype html><html lang="${language.toLowerCase()}">`));
    const html = fromHtml(r.data.html.content, want.none);
    assert.equal(html.title, want.title);
    assert.ok(r.data.html.content.includes(reference));
    assert.deepEqual(html.sections, json.sections, `${language} HTML says what JSON says`);
    assert.ok(!/<li>[^<]*&(?!amp;|lt;|gt;|quot;|#39;)/.test(r.data.html.content), 'text is escaped in HTML');

    for (const content of [r.data.json.content, r.data.md.content, r.data.html.content]) {
      for (const other of want.other) assert.ok(!content.includes(other), `${language} report carries "${other}"`);
    }
  }
});

test('the Japanese APPI RoPA as XLSX, read back: Japanese headers, and each cell what the JSON export says', async () => {
  const r = await s.gql('{ x: ropaExport(format: XLSX, framework: APPI, role: CONTROLLER, language: JA) { filename encoding content } j: ropaExport(format: JSON, framework: APPI, role: CONTROLLER, language: JA) { content } }', {}, { token: auditor });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  assert.equal(r.data.x.filename, 'ropa-appi-controller-ja.xlsx');
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(r.data.x.content, 'base64') as never);
  assert.deepEqual(book.worksheets.map((w) => w.name), ['APPI', '不備'], 'the record, then its gaps');
  const sheet = book.worksheets[0];
  const header = (sheet.getRow(1).values as unknown[]).slice(1);
  assert.deepEqual(header, ['コード', '取扱業務', '本人の区分', '個人データの項目', '要配慮個人情報', '個人関連情報', '利用目的', '取得方法', '保存期間', '委託先',
    '共同利用(項目・範囲・目的・管理責任者)', '第三者提供と根拠', '外国にある第三者への提供(国・根拠・情報提供/定期確認)', '保管場所(国)', '安全管理措置', '不備(記録に欠けている事項)']);
  assert.equal(sheet.rowCount, 2, 'one row per activity');
  const cell = (label: string) => {
    const v = sheet.getRow(2).getCell(header.indexOf(label) + 1).value;
    return v == null ? '' : String(v);
  };
  assert.equal(cell('コード'), 'pa-billing');
  assert.equal(cell('取扱業務'), '請求業務');
  assert.equal(cell('本人の区分'), '顧客');
  assert.equal(cell('個人データの項目'), 'メールアドレス');
  assert.equal(cell('利用目的'), '料金の請求のため');
  assert.equal(cell('保存期間'), '契約終了後5年');
  assert.equal(cell('委託先'), 'メール配信社 — アメリカ合衆国 (US)');
  assert.equal(cell('第三者提供と根拠'), '提携先 & 子会社: 本人の同意');
  assert.equal(cell('保管場所(国)'), '米国東部 — アメリカ合衆国 (US)');
  // Every cell, not just the ones named above, matches the JSON export of the same view.
  const json = JSON.parse(r.data.j.content);
  assert.deepEqual(json.columns.map((c: any) => c.label), header);
  assert.deepEqual(header.map((_, i) => { const v = sheet.getRow(2).getCell(i + 1).value; return v == null ? '' : String(v); }), json.columns.map((c: any) => json.rows[0][c.key]));
});

test('provision records of a period: only that period, oldest first, every field, CSV safe for spreadsheets', async () => {
  const q = (from: string, to: string, format: string) => s.gql(`{ provisionRecordsExport(from: "${from}", to: "${to}", format: ${format}) { filename contentType content } }`, {}, { token: auditor });
  const j = await q(day(-30), day(0), 'JSON');
  assert.equal(j.errors, undefined, JSON.stringify(j.errors));
  assert.deepEqual(JSON.parse(j.data.provisionRecordsExport.content), [
    { code: 'pr-recent', direction: 'PROVIDED', providedAt: day(-10), recipient: 'partner', recipientName: '提携先 & 子会社 / Partner & Co', country: 'JP', basis: 'appi-consent', items: '氏名、メールアドレス / Name, email address', subjects: '応募者 / Entrants', notes: 'Quarterly, "batch" file' },
    { code: 'pr-formula', direction: 'RECEIVED', providedAt: day(-3), recipient: 'partner', recipientName: '提携先 & 子会社 / Partner & Co', country: 'JP', basis: '', items: 'Order ids', subjects: '', notes: '=1+1' },
  ]);
  const c = await q(day(-30), day(0), 'CSV');
  assert.equal(c.data.provisionRecordsExport.filename, `provision-records-${day(-30)}-${day(0)}.csv`);
  assert.equal(c.data.provisionRecordsExport.contentType, 'text/csv; charset=utf-8');
  assert.deepEqual(c.data.provisionRecordsExport.content.split('\r\n'), [
    'code,direction,providedAt,recipient,recipientName,country,basis,items,subjects,notes',
    `pr-recent,PROVIDED,${day(-10)},partner,提携先 & 子会社 / Partner & Co,JP,appi-consent,"氏名、メールアドレス / Name, email address",応募者 / Entrants,"Quarterly, ""batch"" file"`,
    `pr-formula,RECEIVED,${day(-3)},partner,提携先 & 子会社 / Partner & Co,JP,,Order ids,,'=1+1`,
    '',
  ]);
  const all = await q('2000-01-01', day(0), 'JSON');
  assert.deepEqual(JSON.parse(all.data.provisionRecordsExport.content).map((x: any) => x.code), ['pr-old', 'pr-recent', 'pr-formula']);
  const backwards = await q(day(0), day(-30), 'JSON');
  assert.equal(backwards.errors?.[0].extensions.code, 'BAD_USER_INPUT');
});
