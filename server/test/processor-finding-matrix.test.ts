import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { doc, startTestServer, type TestServer } from './helpers.js';

/**
 * The web UI's heat-map (processors × finding codes, evidence in a drawer) reads every processor's
 * findings with their evidence in one query: this pins that it says what processorAudit says for each
 * processor, in both languages, at a cost that does not grow with the number of processors.
 */
const MATRIX = `query Matrix($language: ReportLanguage!) {
  processorAudits(first: 500) { totalCount edges { node { processor { id } findings { code severity label(language: $language) evidence(language: $language) records { type code } } } } }
}`;
const ONE = `query One($id: ID!, $language: ReportLanguage!) {
  processorAudit(processorId: $id) { findings { code severity label(language: $language) evidence(language: $language) records { type code } } }
}`;
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** Processors whose findings vary with their index: no contract, expired, never audited, abroad without assessment, sub-processing not allowed. */
function inventory(n: number) {
  const code = (i: number) => `p${String(i).padStart(4, '0')}`;
  return doc({
    processors: Array.from({ length: n }, (_, i) => ({
      code: code(i), name: { en: `P${i}`, ja: `委託先${i}` }, country: i % 4 === 0 ? 'US' : 'JP', auditIntervalMonths: 12,
      ...(i % 3 === 0 ? {} : { contract: { signedAt: '2024-01-01', expiresAt: day(i % 3 === 1 ? -10 : 400), subProcessingAllowed: i % 5 !== 0 } }),
      ...(i % 2 === 0 ? {} : { audits: [{ code: `aud-${i}`, auditedAt: day(-500), method: 'REMOTE', result: 'SATISFACTORY' }] }),
      subProcessors: i + 1 < n && i % 5 === 0 ? [code(i + 1)] : [],
    })),
    storageLocations: Array.from({ length: n }, (_, i) => ({ code: `l${i}`, name: { en: `L${i}` }, country: i % 2 ? 'JP' : 'SG', hostingProcessor: code(i) })),
  });
}

let small: TestServer;
let large: TestServer;
before(async () => {
  await Promise.all([startTestServer({ docs: [inventory(6)] }).then((s) => (small = s)), startTestServer({ docs: [inventory(120)] }).then((s) => (large = s))]);
});
after(() => Promise.all([small?.close(), large?.close()]));

async function matrix(s: TestServer, language: string) {
  // After a commit, so that the audit is made in this request and not taken from an earlier one
  // that read the same snapshot (the statements counted are the making's).
  await s.orm.em.fork().getConnection().execute('select txid_current()');
  const before = await s.metric('kiroku_sql_statements_per_operation_sum', { operation_name: 'Matrix' });
  const r = await s.gql(MATRIX, { language }, { operationName: 'Matrix' });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  const statements = (await s.metric('kiroku_sql_statements_per_operation_sum', { operation_name: 'Matrix' })) - before;
  return { statements, audits: r.data.processorAudits.edges.map((e: any) => e.node) as Array<{ processor: { id: string }; findings: unknown[] }> };
}

test('each row of the matrix is what processorAudit finds for that processor, in ja and in en', async () => {
  for (const language of ['JA', 'EN']) {
    const { audits } = await matrix(small, language);
    assert.equal(audits.length, 6);
    const codes = new Set(audits.flatMap((a) => a.findings.map((f: any) => f.code)));
    for (const c of ['NO_CONTRACT', 'CONTRACT_EXPIRED', 'NEVER_AUDITED', 'AUDIT_OVERDUE', 'FOREIGN_LOCATION_WITHOUT_ASSESSMENT']) assert.ok(codes.has(c), `${c} among ${[...codes]}`);
    for (const a of audits) {
      const one = await small.gql(ONE, { id: a.processor.id, language });
      assert.equal(one.errors, undefined, JSON.stringify(one.errors));
      assert.deepEqual(a.findings, one.data.processorAudit.findings, `processor ${a.processor.id} in ${language}`);
    }
    for (const f of audits.flatMap((a) => a.findings) as Array<{ label: string; evidence: string }>) {
      assert.equal(/[぀-ヿ一-鿿]/.test(f.evidence), language === 'JA', `${language}: ${f.evidence}`);
      assert.equal(/[぀-ヿ一-鿿]/.test(f.label), language === 'JA', `${language}: ${f.label}`);
    }
  }
});

test('the matrix with its evidence costs the same few statements for 6 and for 120 processors', async () => {
  const a = await matrix(small, 'JA');
  const b = await matrix(large, 'JA');
  assert.equal(b.audits.length, 120);
  assert.equal(b.statements, a.statements, `6 processors: ${a.statements}, 120: ${b.statements}`);
  assert.ok(b.statements <= 3, `${b.statements} statements`);
  console.log(`processor finding matrix: ${b.statements} statements for 6 and for 120 processors`);
});
