import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Role } from '../src/auth/roles.js';
import { doc, startTestServer, token, type TestServer } from './helpers.js';
import { Loaders, ReadModel } from '../src/graphql/loaders.js';

/** Each finding code raised by a processor built for it, and by no other. */
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const clean = (code: string, extra: Record<string, unknown> = {}) => ({
  code, name: { en: code }, country: 'JP', auditIntervalMonths: 12,
  contract: { signedAt: '2025-01-01', expiresAt: day(3650), subProcessingAllowed: true },
  audits: [{ code: `aud-${code}`, auditedAt: day(-30), method: 'REMOTE', result: 'SATISFACTORY' }],
  ...extra,
});

const said = (ja: string, en: string) => ({ state: 'STATED', text: { ja, en } });
const none = { state: 'NONE', text: { ja: '特にありません。', en: 'None in particular.' } };
/** All seven PPC Rules Art. 18(3) items, answered the way a notice does, "none" included. */
const sevenItems = (extra: Record<string, unknown> = {}) => ({
  establishment: said('提供先との間で契約を締結しています。', 'We have concluded a contract with the recipient.'),
  measuresOutline: said('利用目的の範囲内で取り扱い、安全管理措置を講じることを契約で定めています。', 'The contract limits use to the purpose and requires security measures.'),
  checkFrequencyAndMethod: said('年1回、書面により確認しています。', 'Once a year, in writing.'),
  countryName: said('米国', 'the United States'),
  regime: none,
  impediments: none,
  impedimentMeasures: none,
  ...extra,
});
const equivalent = (code: string, processor: string, extra: Record<string, unknown> = {}) => ({
  code, recipientName: { ja: `受領者${code}`, en: code }, recipientKind: 'PROCESSOR', processor, country: 'US', basis: 'EQUIVALENT_MEASURES_CONTRACT',
  periodicCheck: { frequencyMonths: 12, lastCheckedAt: day(-30) }, equivalentMeasuresItems: sevenItems(), ...extra,
});

const EXPECTED: Record<string, string[]> = {
  clean: [],
  'no-contract': ['NO_CONTRACT'],
  expired: ['CONTRACT_EXPIRED'],
  soon: ['CONTRACT_EXPIRES_SOON'],
  overdue: ['AUDIT_OVERDUE'],
  never: ['NEVER_AUDITED'],
  'no-assessment': ['FOREIGN_LOCATION_WITHOUT_ASSESSMENT'],
  stale: ['ASSESSMENT_STALE'],
  special: ['SPECIAL_CARE_DATA_ABROAD'],
  'sub-not-allowed': ['SUBPROCESSOR_NOT_ALLOWED'],
  undeclared: ['UNDECLARED_DATA_CATEGORIES'],
  'no-basis': ['FOREIGN_TRANSFER_WITHOUT_BASIS'],
  'check-due': ['PERIODIC_CHECK_OVERDUE'],
  impediment: ['IMPEDIMENT_WITHOUT_MEASURE'],
  'contract-undated': ['CONTRACT_UNDATED'],
  'equivalent-complete': [],
  'check-undated': ['PERIODIC_CHECK_UNDATED'],
  'items-missing': ['STATEMENT_ITEM_NOT_RECORDED'],
  'impediment-none': ['IMPEDIMENT_WITHOUT_MEASURE'],
  // Abroad, linked to an activity declaring health data, but hosts none of it and receives none by transfer.
  'abroad-no-special': [],
  'host-special': ['SPECIAL_CARE_DATA_ABROAD'],
  'receives-special': ['SPECIAL_CARE_DATA_ABROAD'],
  // Consent asked with the country's name and regime told but not the recipient's measures.
  'art28-missing': ['ART28_INFORMATION_NOT_RECORDED'],
  'gov-law': ['GOVERNMENT_ACCESS_LAW_WITHOUT_OUTLINE'],
  // CBPR route to a country neither the assessment nor the reference data places in the CBPR.
  'fact-unknown': ['COUNTRY_FACT_UNKNOWN'],
  // The same route where the assessment states it (LK) or the reference data does (SG).
  'fact-stated': [],
  'fact-reference': [],
};

let s: TestServer;
before(async () => {
  s = await startTestServer({
    docs: [doc({
      dataCategories: [{ code: 'health', name: { en: 'Health' }, kind: 'SPECIAL_CARE' }, { code: 'email', name: { en: 'Email' } }, { code: 'cookie', name: { en: 'Cookie' }, kind: 'PERSONALLY_REFERABLE' }],
      countryAssessments: [
        { country: 'IE', reviewedAt: '2020-01-01' },
        { country: 'DE', reviewedAt: day(-10) },
        { country: 'US', reviewedAt: day(-10) },
        { country: 'CN', reviewedAt: day(-10), impediments: { en: 'National intelligence law' } },
        { country: 'KR', reviewedAt: day(-10), governmentAccessLaws: [{ name: { en: 'Telecommunications Business Act' }, outline: { en: 'Providers may hand subscriber data to investigators.' } }, { name: { ja: '通信秘密保護法', en: 'Protection of Communications Secrets Act' } }] },
        { country: 'LK', reviewedAt: day(-10), cbprParticipation: 'YES' },
      ],
      processors: [
        clean('clean'),
        clean('no-contract', { contract: null }),
        clean('expired', { contract: { signedAt: '2020-01-01', expiresAt: day(-5) } }),
        clean('soon', { contract: { signedAt: '2020-01-01', expiresAt: day(30) } }),
        clean('overdue', { audits: [{ code: 'aud-overdue', auditedAt: day(-800), method: 'REMOTE', result: 'SATISFACTORY' }] }),
        clean('never', { audits: [] }),
        clean('no-assessment'),
        clean('stale'),
        clean('special'),
        clean('sub-not-allowed', { contract: { signedAt: '2025-01-01', expiresAt: day(3650), subProcessingAllowed: false }, subProcessors: ['clean'] }),
        clean('undeclared'),
        clean('no-basis', { country: 'US' }),
        clean('check-due', { country: 'US' }),
        clean('impediment', { country: 'CN' }),
        clean('contract-undated', { contract: { concluded: true } }),
        clean('equivalent-complete', { country: 'US' }),
        clean('check-undated', { country: 'US' }),
        clean('items-missing', { country: 'US' }),
        clean('impediment-none', { country: 'US' }),
        clean('abroad-no-special', { country: 'DE' }),
        clean('host-special', { country: 'DE' }),
        clean('receives-special', { country: 'US' }),
        clean('art28-missing', { country: 'US' }),
        clean('gov-law', { country: 'KR' }),
        clean('fact-unknown', { country: 'BD' }),
        clean('fact-stated', { country: 'LK' }),
        clean('fact-reference', { country: 'SG' }),
      ],
      storageLocations: [
        { code: 'sg', name: { en: 'SG' }, country: 'SG', hostingProcessor: 'no-assessment' },
        { code: 'ie', name: { en: 'IE' }, country: 'IE', hostingProcessor: 'stale' },
        { code: 'de', name: { en: 'DE' }, country: 'DE', hostingProcessor: 'special' },
      ],
      foreignTransfers: [
        equivalent('ft-check', 'check-due', { periodicCheck: { frequencyMonths: 12, lastCheckedAt: day(-800) } }),
        equivalent('ft-complete', 'equivalent-complete'),
        equivalent('ft-undated', 'check-undated', { periodicCheck: { frequencyMonths: 12, performed: true } }),
        equivalent('ft-missing', 'items-missing', { equivalentMeasuresItems: (({ measuresOutline: _, ...rest }) => rest)(sevenItems({ regime: { state: 'NOT_RECORDED' } })) }),
        // A published "none" answers item (vii) but is no measure against a stated impediment.
        equivalent('ft-none', 'impediment-none', { equivalentMeasuresItems: sevenItems({ impediments: said('現地法により政府が情報を取得する可能性があります。', 'Local law may give the government access.') }) }),
        equivalent('ft-care', 'receives-special', { dataCategories: ['health'] }),
        equivalent('ft-plain', 'abroad-no-special', { country: 'DE', basis: 'ADEQUATE_COUNTRY' }),
        equivalent('ft-host', 'host-special', { country: 'DE', basis: 'ADEQUATE_COUNTRY' }),
        { code: 'ft-imp', recipientName: { en: 'Imp' }, recipientKind: 'PROCESSOR', processor: 'impediment', country: 'CN', basis: 'CONSENT_WITH_INFORMATION',
          consentInformation: { regime: { en: 'PIPL' }, recipientMeasures: { en: 'All eight OECD principles' } } },
        { code: 'ft-art28', recipientName: { en: 'Art28' }, recipientKind: 'PROCESSOR', processor: 'art28-missing', country: 'US', basis: 'CONSENT_WITH_INFORMATION',
          consentInformation: { countryName: { ja: '米国' }, regime: { ja: '包括的な連邦法はありません。' } } },
        equivalent('ft-law', 'gov-law', { country: 'KR' }),
        equivalent('ft-unknown', 'fact-unknown', { country: 'BD', basis: 'EQUIVALENT_MEASURES_CBPR' }),
        equivalent('ft-stated', 'fact-stated', { country: 'LK', basis: 'EQUIVALENT_MEASURES_CBPR' }),
        equivalent('ft-reference', 'fact-reference', { country: 'SG', basis: 'EQUIVALENT_MEASURES_CBPR' }),
      ],
      processingActivities: [
        { code: 'care', name: { en: 'Care' }, processors: ['special', 'abroad-no-special'], dataCategories: ['health'] },
        { code: 'mail', name: { en: 'Mail' }, processors: ['undeclared', 'clean'], dataCategories: ['email'] },
      ],
      systems: [{ key: 'web', name: 'Web', datasets: [{ key: 'visits', name: 'Visits', processor: 'undeclared', activities: ['mail'], fields: [{ path: 'cookie', dataCategories: ['cookie'] }] },
        { key: 'charts', name: 'Charts', processor: 'host-special', storageLocation: 'de', activities: ['care'], fields: [{ path: 'diagnosis', dataCategories: ['health'] }] }] }],
    })],
  });
});
after(() => s?.close());

const AUDITS = '{ processorAudits(first: 100) { totalCount edges { node { processor { code } riskScore findings { code severity evidence } } } } }';

test('each finding code is raised by the processor built for it and by no other', async () => {
  const r = await s.gql(AUDITS);
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  const got = Object.fromEntries(r.data.processorAudits.edges.map((e: any) => [e.node.processor.code, e.node.findings.map((f: any) => f.code).sort()]));
  assert.deepEqual(got, EXPECTED);
  const scores = r.data.processorAudits.edges.map((e: any) => e.node.riskScore);
  assert.deepEqual(scores, [...scores].sort((a: number, b: number) => b - a), 'riskiest first');
  const findings = r.data.processorAudits.edges.flatMap((e: any) => e.node.findings);
  assert.ok(findings.length >= Object.keys(EXPECTED).filter((k) => EXPECTED[k].length).length, `${findings.length} findings`);
  assert.ok(findings.every((f: any) => f.evidence), 'every finding with its evidence');
});

test('each finding reads in Japanese when asked: the code in words and the evidence, with no code and no English phrase', async () => {
  const r = await s.gql('{ processorAudits(first: 100) { edges { node { findings { code label(language: JA) evidence(language: JA) en: evidence enLabel: label } } } } }');
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  const findings = r.data.processorAudits.edges.flatMap((e: any) => e.node.findings);
  assert.deepEqual([...new Set(findings.map((f: any) => f.code))].sort(), [...new Set(Object.values(EXPECTED).flat())].sort(), 'every finding code is read');
  for (const f of findings) {
    for (const text of [f.label, f.evidence]) {
      assert.match(text, /[\u3040-\u30ff\u4e00-\u9fff]/, `${f.code}: ${text}`);
      assert.doesNotMatch(text, /\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/, `${f.code}: no code in ${text}`);
      assert.doesNotMatch(text, /[A-Za-z]{2,}(?:,? [A-Za-z]{2,}){2,}/, `${f.code}: no English phrase in ${text}`);
    }
    assert.notEqual(f.en, f.evidence);
    assert.doesNotMatch(f.enLabel, /_/, `${f.code}: the English label is words`);
  }
  const missing = findings.find((f: any) => f.code === 'STATEMENT_ITEM_NOT_RECORDED');
  // The Rules' own wording of the missing items, never the field names.
  assert.match(missing.evidence, /当該第三者が実施する相当措置の概要/);
  assert.match(missing.en, /Outline of the equivalent measures the recipient implements/);
  assert.doesNotMatch(missing.en, /measuresOutline/);
});

test('every finding names the records it concerns as typed references', async () => {
  const r = await s.gql('{ processorAudits(first: 100) { edges { node { processor { code } findings { code records { type code } } } } } }');
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  const records = (p: string, code: string) => r.data.processorAudits.edges.find((e: any) => e.node.processor.code === p).node.findings.find((f: any) => f.code === code).records;
  assert.deepEqual(records('host-special', 'SPECIAL_CARE_DATA_ABROAD'), [{ type: 'DATA_CATEGORY', code: 'health' }, { type: 'DATASET', code: 'web/charts' }]);
  assert.deepEqual(records('special', 'SPECIAL_CARE_DATA_ABROAD'), [{ type: 'DATA_CATEGORY', code: 'health' }, { type: 'DATASET', code: 'web/charts' }], 'a dataset stored at a location it hosts');
  assert.deepEqual(records('receives-special', 'SPECIAL_CARE_DATA_ABROAD'), [{ type: 'DATA_CATEGORY', code: 'health' }, { type: 'FOREIGN_TRANSFER', code: 'ft-care' }]);
  assert.deepEqual(records('sub-not-allowed', 'SUBPROCESSOR_NOT_ALLOWED'), [{ type: 'PROCESSOR', code: 'clean' }]);
  assert.deepEqual(records('undeclared', 'UNDECLARED_DATA_CATEGORIES'), [{ type: 'DATA_CATEGORY', code: 'cookie' }], 'listed when only the records are asked for');
  assert.deepEqual(records('no-assessment', 'FOREIGN_LOCATION_WITHOUT_ASSESSMENT'), [{ type: 'STORAGE_LOCATION', code: 'sg' }, { type: 'COUNTRY', code: 'SG' }]);
  assert.deepEqual(records('check-due', 'PERIODIC_CHECK_OVERDUE'), [{ type: 'FOREIGN_TRANSFER', code: 'ft-check' }]);
  assert.deepEqual(records('gov-law', 'GOVERNMENT_ACCESS_LAW_WITHOUT_OUTLINE'), [{ type: 'FOREIGN_TRANSFER', code: 'ft-law' }, { type: 'COUNTRY', code: 'KR' }]);
  assert.deepEqual(records('fact-unknown', 'COUNTRY_FACT_UNKNOWN'), [{ type: 'FOREIGN_TRANSFER', code: 'ft-unknown' }, { type: 'COUNTRY', code: 'BD' }]);
  const all = r.data.processorAudits.edges.flatMap((e: any) => e.node.findings);
  assert.ok(all.every((f: any) => f.records.length > 0), 'no finding without a record');
});

test('without the evidence asked for, the findings and scores are the same (undeclared categories and special-care data only checked, not listed)', async () => {
  const full = await s.gql(AUDITS);
  const lean = await s.gql('{ processorAudits(first: 100) { edges { node { processor { code } riskScore findings { code severity } } } } }');
  assert.equal(lean.errors, undefined, JSON.stringify(lean.errors));
  const shape = (r: any) => r.data.processorAudits.edges.map((e: any) => [e.node.processor.code, e.node.riskScore, e.node.findings.map((f: any) => `${f.code}/${f.severity}`).sort()]);
  assert.deepEqual(shape(lean), shape(full));
  const undeclared = full.data.processorAudits.edges.flatMap((e: any) => e.node.findings).find((f: any) => f.code === 'UNDECLARED_DATA_CATEGORIES');
  assert.match(undeclared.evidence, /declares: \S/, 'the evidence lists the categories');
});

test('one processor\'s audit shows what it touches, its chain and its history; recordAudit schedules the next', async () => {
  const ids = await s.gql('{ processors(first: 100) { edges { node { id code } } } }');
  const id = (c: string) => ids.data.processors.edges.find((e: any) => e.node.code === c).node.id;
  const one = await s.gql(`{ processorAudit(processorId: "${id('sub-not-allowed')}") { processor { code } contract { subProcessingAllowed } subProcessorChain { chain audit { processor { code } findings { code } } } } }`);
  assert.deepEqual(one.data.processorAudit.subProcessorChain, [{ chain: ['sub-not-allowed', 'clean'], audit: { processor: { code: 'clean' }, findings: [] } }]);
  const special = await s.gql(`{ processorAudit(processorId: "${id('special')}") { activities { code } dataCategories { code kind } storageLocations { country assessment { country } } audits { auditedAt } } }`);
  assert.deepEqual(special.data.processorAudit.dataCategories, [{ code: 'health', kind: 'SPECIAL_CARE' }]);
  assert.deepEqual(special.data.processorAudit.storageLocations, [{ country: 'DE', assessment: { country: 'DE' } }]);
  const upcoming = await s.gql('{ upcomingAudits(days: 400) { processor { code } dueAt overdue } }');
  const overdue = upcoming.data.upcomingAudits.find((u: any) => u.processor.code === 'overdue');
  assert.equal(overdue.overdue, true);
  const never = upcoming.data.upcomingAudits.find((u: any) => u.processor.code === 'never');
  assert.deepEqual(never, { processor: { code: 'never' }, dueAt: new Date().toISOString().slice(0, 10), overdue: true }, 'a never-audited processor with an interval is on the calendar');
  const rec = await s.gql(`mutation { recordAudit(input: { processorCode: "overdue", auditedAt: "${day(0)}", method: ON_SITE, result: MINOR_FINDINGS, findings: { en: "Access logs kept 30 days only" } }) { processor { code } findings { code } nextAuditDue } }`);
  assert.equal(rec.errors, undefined, JSON.stringify(rec.errors));
  assert.deepEqual(rec.data.recordAudit.findings, []);
  assert.ok(rec.data.recordAudit.nextAuditDue > day(300));
  const again = await s.gql(`mutation { recordAudit(input: { processorCode: "overdue", auditedAt: "${day(0)}", method: REMOTE, result: SATISFACTORY }) { processor { code } } }`);
  assert.equal(again.errors, undefined, 'a second audit on the same day is a second record');
});

test('the auditor reads processor audits; analysts and integrations do not', async () => {
  const q = '{ processorAudits(first: 1) { totalCount } }';
  assert.equal((await s.gql(q, {}, { token: await token(Role.AUDITOR) })).errors, undefined);
  assert.equal((await s.gql(q, {}, { token: await token(Role.PRIVACY_ANALYST) })).errors?.[0].extensions.code, 'FORBIDDEN');
  assert.equal((await s.gql(q, {}, { token: await token(Role.INTEGRATION, { system: 'web' }) })).errors?.[0].extensions.code, 'FORBIDDEN');
  const rec = await s.gql('mutation { recordAudit(input: { processorCode: "clean", auditedAt: "2026-01-01", method: REMOTE, result: SATISFACTORY }) { riskScore } }', {}, { token: await token(Role.AUDITOR) });
  assert.equal(rec.errors?.[0].extensions.code, 'FORBIDDEN');
});

test('the PPC Rules Art. 18(3) statement prints the seven items under the Rules\' labels, "none" as published, no enum codes in Japanese', async () => {
  const ids = await s.gql('{ foreignTransfers { id code equivalentMeasuresItems { regime { state text { ja } } } } }');
  assert.equal(ids.errors, undefined, JSON.stringify(ids.errors));
  const ft = (c: string) => ids.data.foreignTransfers.find((f: any) => f.code === c);
  assert.deepEqual(ft('ft-complete').equivalentMeasuresItems.regime, { state: 'NONE', text: { ja: '特にありません。' } });
  const auditor = await token(Role.AUDITOR);
  const r = await s.gql(`{ ja: foreignTransferStatement(transferId: "${ft('ft-complete').id}", language: JA) en: foreignTransferStatement(transferId: "${ft('ft-complete').id}", language: EN)
    missing: foreignTransferStatement(transferId: "${ft('ft-missing').id}", language: JA) }`, {}, { token: auditor });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  const lines = (t: string) => t.split('\n').filter((l) => /^\d\. /.test(l));
  assert.deepEqual(lines(r.data.ja), [
    '1. 当該第三者による相当措置の整備の方法: 提供先との間で契約を締結しています。',
    '2. 当該第三者が実施する相当措置の概要: 利用目的の範囲内で取り扱い、安全管理措置を講じることを契約で定めています。',
    '3. 確認の頻度及び方法: 年1回、書面により確認しています。',
    '4. 当該外国の名称: 米国',
    '5. 当該第三者による相当措置の実施に影響を及ぼすおそれのある当該外国の制度の有無及びその概要: 特にありません。',
    '6. 当該第三者による相当措置の実施に関する支障の有無及びその概要: 特にありません。',
    '7. 前号の支障に関して講ずる措置の概要: 特にありません。',
  ]);
  assert.doesNotMatch(r.data.ja, /[A-Z]{2,}_[A-Z_]+|\b(NONE|STATED|NOT_RECORDED)\b/, 'no enum code in the Japanese text');
  assert.equal(lines(r.data.en).length, 7);
  assert.match(r.data.en, /5\. Whether the foreign country has a system that may affect the implementation of the measures, and its outline: None in particular\./);
  assert.match(r.data.en, /4\. Name of the foreign country: the United States/);
  assert.match(r.data.missing, /2\. 当該第三者が実施する相当措置の概要: 記録なし/, 'an item not recorded says so instead of "none"');
  assert.match(r.data.missing, /5\. [^\n]*: 記録なし/);
});

/** A transaction that takes a transaction id and commits: later snapshots differ, as after any write. */
const commit = () => s.orm.em.fork().getConnection().execute('select txid_current()');

test('the dashboard\'s three views of every processor\'s audit cost one audit in one request', async () => {
  const statements = async (operationName: string, query: string) => {
    const labels = { operation_name: operationName };
    const before = await s.metric('kiroku_sql_statements_per_operation_sum', labels);
    const r = await s.gql(query, {}, { operationName });
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    return { data: r.data, n: (await s.metric('kiroku_sql_statements_per_operation_sum', labels)) - before };
  };
  // Each request after a commit, so that neither takes the audit another request made (see below).
  await commit();
  const one = await statements('AuditOnce', 'query AuditOnce { processorAudits(first: 5, orderBy: RISK) { edges { node { riskScore processor { code } findings { code } } } } }');
  await commit();
  const three = await statements('AuditThrice', `query AuditThrice {
    riskiest: processorAudits(first: 5, orderBy: RISK) { edges { node { riskScore processor { code } findings { code } } } }
    expiring: processorAudits(first: 8, filter: { findings: [CONTRACT_EXPIRED, CONTRACT_EXPIRES_SOON] }) { edges { node { processor { code } } } }
    upcomingAudits(days: 3660) { dueAt processor { code } } }`);
  assert.ok(one.n >= 1);
  assert.equal(three.n, one.n, `one view ${one.n} statements, three views ${three.n}`);
  assert.deepEqual(three.data.riskiest, one.data.processorAudits, 'the shared audit is not reordered or filtered by another view');
  assert.ok(three.data.upcomingAudits.length > 0);
});

test('relation rows are grouped by their owner without the key column, in one shape; narrow and wide selections agree', async () => {
  const loaders = new Loaders(s.app.pool, new ReadModel(s.orm));
  const [p] = await loaders.query<{ id: number }>('select "id" from "processor" where "code" = ?', ['special']);
  const [a, b] = await Promise.all([loaders.relation('Processor', 'activities').load(p.id), loaders.relation('Processor', 'activities', new Set(['code'])).load(p.id)]);
  assert.ok(a.length > 0);
  for (const row of [...a, ...b]) assert.ok(!('__k' in row), 'the owner key is not on the row');
  assert.deepEqual(b.map((r) => [r.id, r.code]), a.map((r) => [r.id, r.code]));
  assert.ok(Object.keys(b[0]).length < Object.keys(a[0]).length, 'the narrow rows hold fewer columns');
  // Two owners in one batch get their own rows, in the order of the keys asked.
  const [none, again] = await loaders.grouped('select x."processor_id" as "__k", t."id" from "processing_activity_processors" x join "processing_activity" t on t."id" = x."processing_activity_id" where x."processor_id" = any(?) order by t."id"', [[p.id, -1]], [-1, p.id]);
  assert.deepEqual(none, []);
  assert.deepEqual(again.map((r) => r.id), a.map((r) => r.id));

  const wide = await s.gql('query($id: ID!) { processorAudit(processorId: $id) { dataCategories { id code kind name { en } } subjectCategories { id code name { en } } } }', { id: String(p.id) });
  const narrow = await s.gql('query($id: ID!) { processorAudit(processorId: $id) { dataCategories { id } subjectCategories { id } } }', { id: String(p.id) });
  assert.equal(wide.errors, undefined, JSON.stringify(wide.errors));
  assert.ok(wide.data.processorAudit.dataCategories.length > 0 && wide.data.processorAudit.dataCategories.every((c: any) => c.code && c.kind && c.name));
  assert.deepEqual(narrow.data.processorAudit.dataCategories, wide.data.processorAudit.dataCategories.map((c: any) => ({ id: c.id })));
  assert.deepEqual(narrow.data.processorAudit.subjectCategories, wide.data.processorAudit.subjectCategories.map((c: any) => ({ id: c.id })));
});
