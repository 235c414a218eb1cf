import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { doc, startTestServer, type TestServer } from './helpers.js';

const PAGE = `query Page($filter: ProcessingActivityFilter) {
  processingActivities(first: 50, filter: $filter) { edges { node { id code version completeness { score missing { code framework law ja: label(language: JA) en: label(language: EN) } } } } }
}`;

/** `n` filler activities that are complete for APPI, and the ones the tests look at. */
function inventory(n: number) {
  return doc({
    organization: { code: 'org', name: { ja: 'テスト株式会社', en: 'Test K.K.' } },
    subjectCategories: [{ code: 'customers', name: { ja: '顧客', en: 'Customers' } }],
    dataCategories: [
      { code: 'contact.email', name: { ja: 'メールアドレス', en: 'Email address' }, identityType: 'EMAIL' },
      { code: 'health', name: { ja: '健康情報', en: 'Health' }, kind: 'SPECIAL_CARE' },
      { code: 'cookie', name: { ja: 'クッキーID', en: 'Cookie id' }, kind: 'PERSONALLY_REFERABLE' },
    ],
    purposes: [{ code: 'billing', text: { ja: '料金の請求のため', en: 'To bill' } }],
    legalBases: [
      { code: 'appi-consent', framework: 'APPI', article: 'Art. 27(1)', title: { ja: '本人の同意', en: 'Consent' } },
      { code: 'gdpr-contract', framework: 'GDPR', scope: 'PROCESSING', article: 'Art. 6(1)(b)', title: { ja: '契約の履行', en: 'Contract' } },
    ],
    securityMeasures: [{ code: 'sec', title: { ja: 'アクセス制御', en: 'Access control' }, description: { ja: '権限を限定', en: 'Least privilege' } }],
    processors: [{ code: 'mailer', name: { ja: 'メール配信社', en: 'Mailer Inc.' }, country: 'US' }],
    storageLocations: [{ code: 'tokyo', name: { ja: '東京', en: 'Tokyo' }, country: 'JP' }],
    thirdPartyRecipients: [{ code: 'partner', name: { ja: '提携先', en: 'Partner' }, kind: 'BUSINESS_PARTNER', country: 'JP', basis: 'appi-consent' }],
    processingActivities: [
      {
        code: 'a-no-retention', name: { ja: '保存期間なし', en: 'No retention' }, owner: 'Sales', subjectCategories: ['customers'], dataCategories: ['contact.email'],
        purposes: ['billing'], securityMeasures: ['sec'], storageLocations: ['tokyo'],
      },
      {
        code: 'a-gdpr', name: { ja: 'GDPR', en: 'GDPR' }, owner: 'EU desk', subjectCategories: ['customers'], dataCategories: ['contact.email', 'health'],
        purposes: ['billing'], securityMeasures: ['sec'], storageLocations: ['tokyo'], legalBases: ['gdpr-contract'], retention: { en: 'One year' },
        processors: ['mailer'], recipients: ['partner'],
      },
      ...Array.from({ length: n }, (_, i) => ({
        code: `f${String(i).padStart(3, '0')}`, name: { en: `F${i}` }, owner: 'Ops', subjectCategories: ['customers'], dataCategories: ['contact.email', 'cookie'],
        purposes: ['billing'], securityMeasures: ['sec'], storageLocations: ['tokyo'], retention: { en: 'One year' }, recipients: ['partner'],
      })),
    ],
  });
}

let small: TestServer;
let large: TestServer;
before(async () => {
  await Promise.all([startTestServer({ docs: [inventory(3)] }).then((s) => (small = s)), startTestServer({ docs: [inventory(48)] }).then((s) => (large = s))]);
});
after(() => Promise.all([small?.close(), large?.close()]));

async function page(s: TestServer, filter: Record<string, unknown> = {}) {
  const r = await s.gql(PAGE, { filter }, { operationName: 'Page' });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return new Map<string, any>(r.data.processingActivities.edges.map((e: any) => [e.node.code, e.node]));
}

test('an activity missing its retention lists that item, labelled in ja and en, and scores lower; filling it raises the score', async () => {
  const rows = await page(small);
  const lacking = rows.get('a-no-retention');
  const complete = rows.get('f000');
  assert.equal(complete.completeness.score, 100, JSON.stringify(complete.completeness));
  assert.deepEqual(complete.completeness.missing, []);
  const retention = lacking.completeness.missing.find((m: any) => m.code === 'RETENTION');
  assert.ok(retention, JSON.stringify(lacking.completeness));
  assert.equal(retention.framework, 'APPI');
  assert.equal(retention.law, false, 'retention is a toolkit item under APPI');
  assert.match(retention.ja, /保存期間/);
  assert.match(retention.en, /retention/);
  assert.ok(lacking.completeness.score < 100);

  const u = await small.gql('mutation($i: UpdateProcessingActivityInput!) { updateProcessingActivity(input: $i) { processingActivity { completeness { score missing { code } } } } }',
    { i: { id: lacking.id, version: lacking.version, retention: { ja: '契約終了後5年', en: 'Five years after the contract ends' } } });
  assert.equal(u.errors, undefined, JSON.stringify(u.errors));
  const after = u.data.updateProcessingActivity.processingActivity.completeness;
  assert.ok(after.score > lacking.completeness.score, `${lacking.completeness.score} → ${after.score}`);
  assert.equal(after.score, 100);
  assert.deepEqual(after.missing, []);
});

test('where GDPR applies, the Art. 30(1) columns count too: the special category without an Art. 9 condition is missing', async () => {
  const rows = await page(small);
  const gdpr = rows.get('a-gdpr').completeness;
  const codes = gdpr.missing.map((m: any) => `${m.framework}:${m.code}`);
  assert.ok(codes.includes('GDPR:ARTICLE_9'), codes.join(' '));
  assert.ok(codes.includes('GDPR:DPO'), 'the organization names no DPO');
  assert.ok(codes.includes('APPI:FOREIGN_ROUTE'), 'a processor abroad without an Art. 28 route');
  assert.ok(!codes.includes('GDPR:RETENTION') && !codes.includes('GDPR:LAWFUL_BASIS'), codes.join(' '));
  const route = gdpr.missing.find((m: any) => m.code === 'FOREIGN_ROUTE');
  assert.match(route.en, /Mailer Inc\./);
  assert.match(route.ja, /メール配信社/);
  // An activity without a GDPR basis is judged on APPI items only.
  assert.ok(rows.get('f000').completeness.missing.every((m: any) => m.framework === 'APPI'));
  // The export's gap column reads the same checks: what the score misses for the law, the RoPA flags.
  const ropa = await small.gql('{ ropaExport(format: JSON, framework: GDPR, language: EN) { content } }');
  const row = JSON.parse(ropa.data.ropaExport.content).rows.find((r: any) => r.code === 'a-gdpr');
  for (const m of gdpr.missing.filter((x: any) => x.framework === 'GDPR')) assert.ok(row.gaps.split('\n').includes(m.en), `${m.en} in ${row.gaps}`);
});

test('the score of a page is one batch: the same statements for 5 and for 50 activities', async () => {
  const count = async (s: TestServer) => {
    const labels = { operation_name: 'Page' };
    const before = await s.metric('kiroku_sql_statements_per_operation_sum', labels);
    const rows = await page(s);
    return { statements: (await s.metric('kiroku_sql_statements_per_operation_sum', labels)) - before, rows: rows.size };
  };
  const a = await count(small);
  const b = await count(large);
  assert.deepEqual([a.rows, b.rows], [5, 50]);
  assert.equal(b.statements, a.statements, `5 rows: ${a.statements}, 50 rows: ${b.statements}`);
  assert.ok(b.statements <= 20, `${b.statements} statements`);
  console.log(`completeness: ${b.statements} statements for a page of 50`);
});

test('the filter takes ids and recipients; a bad id matches nothing', async () => {
  const rows = await page(small);
  const id = rows.get('a-gdpr').id;
  assert.deepEqual([...(await page(small, { ids: [id, 'nope'] })).keys()], ['a-gdpr']);
  const recipients = await small.gql('{ thirdPartyRecipients { id } }');
  const withPartner = await page(small, { recipientIds: [recipients.data.thirdPartyRecipients[0].id] });
  assert.deepEqual([...withPartner.keys()].sort(), ['a-gdpr', 'f000', 'f001', 'f002']);
});

test('dataFlowGraph adds data categories and legal bases only when asked, with their flags and edges', async () => {
  const q = `query G($include: [GraphNodeKind!]) { dataFlowGraph(include: $include) { nodes { id kind code flags } edges { source target kind } } }`;
  const plain = await small.gql(q, {});
  assert.equal(plain.errors, undefined, JSON.stringify(plain.errors));
  assert.ok(plain.data.dataFlowGraph.nodes.every((n: any) => n.kind !== 'DATA_CATEGORY' && n.kind !== 'LEGAL_BASIS'), 'the map graph is unchanged');
  const r = await small.gql(q, { include: ['DATA_CATEGORY', 'LEGAL_BASIS'] });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  const g = r.data.dataFlowGraph;
  const byCode = new Map<string, any>(g.nodes.map((n: any) => [`${n.kind}:${n.code}`, n]));
  assert.deepEqual(byCode.get('DATA_CATEGORY:health').flags, ['SPECIAL_CARE']);
  assert.deepEqual(byCode.get('DATA_CATEGORY:cookie').flags, ['PERSONALLY_REFERABLE']);
  assert.deepEqual(byCode.get('DATA_CATEGORY:contact.email').flags, []);
  const gdprAct = byCode.get('ACTIVITY:a-gdpr').id;
  const edges = new Set(g.edges.map((e: any) => `${e.source} ${e.kind} ${e.target}`));
  assert.ok(edges.has(`${byCode.get('DATA_CATEGORY:health').id} DATA_OF ${gdprAct}`));
  assert.ok(edges.has(`${gdprAct} BASED_ON ${byCode.get('LEGAL_BASIS:gdpr-contract').id}`));
  assert.equal(g.edges.filter((e: any) => e.kind === 'DATA_OF').length, 1 + 2 + 3 * 2, 'one per activity and category');
  assert.ok(!byCode.has('LEGAL_BASIS:appi-consent'), 'a basis no activity records is not drawn');
  const onlyData = await small.gql(q, { include: ['DATA_CATEGORY'] });
  assert.ok(onlyData.data.dataFlowGraph.nodes.every((n: any) => n.kind !== 'LEGAL_BASIS'));
  const bad = await small.gql(q, { include: ['PROCESSOR'] });
  assert.equal(bad.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(bad.errors));
});
