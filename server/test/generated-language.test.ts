import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import { doc, startTestServer, token, type TestServer } from './helpers.js';
import { Role } from '../src/auth/roles.js';
import * as E from '../src/graphql/enums.js';
import * as L from '../src/graphql/enum-labels.js';
import { pickMarked } from '../src/graphql/localized-text.js';
import { RequestStatus, RequestType, RequesterKind } from '../src/requests/request.entity.js';
import { StatementItemState } from '../src/parties/transfer-statement.js';
import { FindingCode, FindingRecordType, Severity } from '../src/compliance/processor-audit.types.js';

/** Every enum a generated document prints, with the table that words it. */
const OUTPUT_ENUMS: Array<[string, object, Record<string, L.Label>]> = [
  ['Framework', E.Framework, L.FRAMEWORK], ['SubjectRole', E.SubjectRole, L.SUBJECT_ROLE], ['DataCategoryKind', E.DataCategoryKind, L.DATA_CATEGORY_KIND],
  ['IdentityType', E.IdentityType, L.IDENTITY_TYPE], ['PurposeKind', E.PurposeKind, L.PURPOSE_KIND], ['LegalBasisScope', E.LegalBasisScope, L.LEGAL_BASIS_SCOPE],
  ['SecurityMeasureCategory', E.SecurityMeasureCategory, L.SECURITY_MEASURE_CATEGORY], ['ActivityStatus', E.ActivityStatus, L.ACTIVITY_STATUS],
  ['AuditMethod', E.AuditMethod, L.AUDIT_METHOD], ['AuditResult', E.AuditResult, L.AUDIT_RESULT], ['StoragePurpose', E.StoragePurpose, L.STORAGE_PURPOSE],
  ['RecipientKind', E.RecipientKind, L.RECIPIENT_KIND], ['ProvisionDirection', E.ProvisionDirection, L.PROVISION_DIRECTION],
  ['TransferRecipientKind', E.TransferRecipientKind, L.TRANSFER_RECIPIENT_KIND], ['ForeignTransferBasis', E.ForeignTransferBasis, L.FOREIGN_TRANSFER_BASIS],
  ['DatasetStatus', E.DatasetStatus, L.DATASET_STATUS], ['RequestChannelKind', E.RequestChannelKind, L.REQUEST_CHANNEL_KIND],
  ['ResponseMethod', E.ResponseMethod, L.RESPONSE_METHOD], ['FeeStatus', E.FeeStatus, L.FEE_STATUS], ['ProvisionRoute', E.ProvisionRoute, L.PROVISION_ROUTE],
  ['RequestType', RequestType, L.REQUEST_TYPE], ['RequestStatus', RequestStatus, L.REQUEST_STATUS], ['RequesterKind', RequesterKind, L.REQUESTER_KIND],
  ['StatementItemState', StatementItemState, L.STATEMENT_ITEM_STATE], ['FindingCode', FindingCode, L.FINDING_CODE], ['Severity', Severity, L.SEVERITY],
  ['FindingRecordType', FindingRecordType, L.FINDING_RECORD_TYPE], ['ForeignLocationKind', { STORAGE: 'STORAGE', TRANSFER: 'TRANSFER' }, L.FOREIGN_LOCATION_KIND],
];

const KANA_KANJI = /[\u3040-\u30ff\u4e00-\u9fff]/;

test('every value of every enum a document prints has a Japanese and an English label', () => {
  // Every enum of the shared module is listed: one added there cannot be forgotten here.
  const listed = new Set(OUTPUT_ENUMS.map(([, e]) => e));
  for (const [name, e] of Object.entries(E)) if (typeof e === 'object') assert.ok(listed.has(e), `${name} has no label table`);
  for (const [name, e, labels] of OUTPUT_ENUMS) {
    for (const value of Object.values(e)) {
      const l = labels[value as string];
      assert.ok(l?.ja?.trim() && l.en?.trim(), `${name}.${value} needs a ja and an en label`);
      assert.match(l.ja, KANA_KANJI, `${name}.${value}: the ja label is Japanese`);
      assert.doesNotMatch(l.en, KANA_KANJI, `${name}.${value}: the en label is English`);
    }
    assert.deepEqual(Object.keys(labels).sort(), Object.values(e).map(String).sort(), `${name}: no label for a value the enum does not have`);
  }
  assert.equal(L.enumLabel(L.FOREIGN_TRANSFER_BASIS, 'SOMETHING_NEW', 'JA'), '（不明な区分）', 'an unknown value never prints as its code');
});

test('a text in one language only is printed with a mark in a document of the other', () => {
  assert.equal(pickMarked({ ja: '顧客管理', en: 'Customers' }, 'JA'), '顧客管理');
  assert.equal(pickMarked({ en: 'Customers' }, 'JA'), 'Customers（英語のみ）');
  assert.equal(pickMarked({ ja: '顧客管理', en: ' ' }, 'EN'), '顧客管理 (Japanese only)');
  assert.equal(pickMarked({ ja: '', en: '' }, 'ja'), '');
  assert.equal(pickMarked(null, 'en'), '');
});

const CODE = /\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/;
/**
 * In a Japanese document, raw one-word values too (ORAL, OTHER, PHONE…; in English such a word may be
 * English, like a [DRAFT] mark). The framework names are left out: GDPR and APPI are the laws' own
 * abbreviations, which Japanese documents use as well.
 */
const RAW = new RegExp(`\\b(${[...new Set(OUTPUT_ENUMS.filter(([n]) => n !== 'Framework').flatMap(([, e]) => Object.values(e).map(String)))].join('|')})\\b`);
/** Three Latin words in a row is an English phrase; a text the inventory has in English only is marked and left out. */
const ENGLISH = /[A-Za-z]{2,}(?:,? [A-Za-z]{2,}){2,}/;
const unmarkedJa = (text: string) => text.replace(/[\x20-\x7E]+（英語のみ）/g, '');
const unmarkedEn = (text: string) => text.replace(/[^\x20-\x7E\n\t"]+ \(Japanese only\)/g, '');

/** Every document the seed yields in a language: RoPA (CSV, XLSX cells, JSON cells), 18(3) statements, audit findings, replies. */
async function documents(s: TestServer, seed: 'notice' | 'demo', lang: 'JA' | 'EN'): Promise<Array<[string, string]>> {
  const auditor = await token(Role.AUDITOR);
  const out: Array<[string, string]> = [];
  for (const fw of ['APPI', 'GDPR']) for (const role of ['CONTROLLER', 'PROCESSOR']) for (const format of ['CSV', 'XLSX', 'JSON']) {
    const r = await s.gql(`{ ropaExport(format: ${format}, framework: ${fw}, role: ${role}, language: ${lang}) { content } }`, {}, { token: auditor });
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    let text = r.data.ropaExport.content as string;
    if (format === 'XLSX') {
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(Buffer.from(text, 'base64') as never);
      text = book.worksheets.map((w) => [w.name, ...w.getSheetValues().map((row) => (Array.isArray(row) ? row.slice(1).map((v) => String(v ?? '')).join('\t') : ''))].join('\n')).join('\n');
    }
    if (format === 'JSON') {
      // The envelope (framework, role, language) is for programs; what a reader sees is the columns and cells.
      const j = JSON.parse(text) as { columns: Array<{ label: string }>; rows: Array<Record<string, string>> };
      text = [...j.columns.map((c) => c.label), ...j.rows.flatMap((row) => Object.values(row))].join('\n');
    }
    out.push([`RoPA ${fw} ${role} ${format}`, text]);
  }
  const ft = await s.gql('{ foreignTransfers { id code } }', {}, { token: auditor });
  for (const f of ft.data.foreignTransfers) {
    const r = await s.gql(`{ foreignTransferStatement(transferId: "${f.id}", language: ${lang}) }`, {}, { token: auditor });
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    out.push([`statement ${f.code}`, r.data.foreignTransferStatement]);
  }
  const a = await s.gql(`{ processorAudits(first: 500) { edges { node { processor { code } findings { label(language: ${lang}) evidence(language: ${lang}) } } } } }`, {}, { token: auditor });
  assert.equal(a.errors, undefined, JSON.stringify(a.errors));
  for (const e of a.data.processorAudits.edges) out.push([`findings ${e.node.processor.code}`, e.node.findings.map((f: any) => `${f.label}: ${f.evidence}`).join('\n')]);
  if (seed === 'demo' && lang === 'JA') {
    // The demo's applicant holds data abroad: the reply then names processors, routes and countries.
    const r = await s.gql('mutation { reportSubjects(input: { systemKey: "hr-ats", datasetKey: "applicants", identityType: EMAIL, values: ["hanako@example.com"], op: ADD }) { added } }', {},
      { token: await token(Role.INTEGRATION, { system: 'hr-ats' }) });
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  }
  for (const [framework, type] of [['APPI', 'DISCLOSE'], ['GDPR', 'ACCESS']]) {
    const c = await s.gql(`mutation { createDataSubjectRequest(input: { framework: ${framework}, type: ${type}, channel: WEB, requester: { kind: SELF }, responseMethod: ELECTRONIC,
      identities: [{ type: EMAIL, value: "hanako@example.com" }] }) { request { id } } }`);
    assert.equal(c.errors, undefined, JSON.stringify(c.errors));
    const r = await s.gql(`{ disclosureReport(requestId: "${c.data.createDataSubjectRequest.request.id}", language: ${lang}, format: MARKDOWN) { content } }`);
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    out.push([`reply ${framework} ${type}`, r.data.disclosureReport.content]);
  }
  return out;
}

function assertLanguage(docs: Array<[string, string]>, lang: 'JA' | 'EN') {
  for (const [name, text] of docs) {
    assert.doesNotMatch(text, CODE, `${lang} ${name}: an enum code`);
    if (lang === 'JA') {
      assert.doesNotMatch(text, RAW, `${lang} ${name}: an enum value in its raw form`);
      assert.doesNotMatch(unmarkedJa(text), ENGLISH, `${lang} ${name}: English without the 英語のみ mark`);
    } else assert.doesNotMatch(unmarkedEn(text), KANA_KANJI, `${lang} ${name}: Japanese without the "Japanese only" mark`);
  }
}

for (const seed of ['notice', 'demo'] as const) {
  test(`the ${seed} seed's Japanese documents are Japanese and its English documents carry no codes`, async () => {
    const s = await startTestServer({ seed });
    try {
      for (const lang of ['JA', 'EN'] as const) {
        const docs = await documents(s, seed, lang);
        if (seed === 'demo') {
          assert.ok(docs.some(([n]) => n.startsWith('statement')), 'the demo seed has foreign transfers');
          assert.ok(docs.some(([n, t]) => n.startsWith('findings') && t), 'the demo seed has findings');
        }
        assertLanguage(docs, lang);
      }
    } finally {
      await s.close();
    }
  });
}

let m: TestServer;
before(async () => {
  m = await startTestServer({
    docs: [doc({
      processors: [{ code: 'proc-en', name: { en: 'Northwind Hosting LLC' }, country: 'US' }, { code: 'proc-ja', name: { ja: '北風ホスティング' }, country: 'JP' }],
      foreignTransfers: [{
        code: 'ft-en', recipientName: { en: 'Northwind Hosting LLC' }, recipientKind: 'PROCESSOR', processor: 'proc-en', country: 'US', basis: 'EQUIVALENT_MEASURES_CONTRACT',
        equivalentMeasuresItems: { measuresOutline: { state: 'STATED', text: { en: 'The contract binds the recipient to the OECD principles.' } }, regime: { state: 'NONE', text: { ja: '特にありません。' } } },
      }],
      processingActivities: [{ code: 'pa-mixed', name: { en: 'Hosting operations' }, retention: { ja: '契約終了後5年' }, processors: ['proc-en', 'proc-ja'], foreignTransfers: ['ft-en'] }],
    })],
  });
});
after(() => m?.close());

test('documents mark a text the inventory has in the other language only, and never pass it off silently', async () => {
  const auditor = await token(Role.AUDITOR);
  const r = await m.gql(`{ ja: ropaExport(format: JSON, framework: APPI, language: JA) { content } en: ropaExport(format: JSON, framework: APPI, language: EN) { content }
    foreignTransfers { id } }`, {}, { token: auditor });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  const row = (c: string) => (JSON.parse(c) as { rows: Array<Record<string, string>> }).rows.find((x) => x.code === 'pa-mixed')!;
  const ja = row(r.data.ja.content);
  const en = row(r.data.en.content);
  assert.equal(ja.name, 'Hosting operations（英語のみ）');
  assert.equal(en.name, 'Hosting operations');
  assert.equal(ja.retention, '契約終了後5年');
  assert.equal(en.retention, '契約終了後5年 (Japanese only)');
  assert.match(ja.processors, /^Northwind Hosting LLC（英語のみ） — アメリカ合衆国 \(US\)$/m);
  assert.match(en.processors, /^北風ホスティング \(Japanese only\) — Japan \(JP\)$/m);
  assert.match(ja.foreignTransfers, /Northwind Hosting LLC（英語のみ） — アメリカ合衆国 \(US\): 相当措置を継続的に講ずるための体制の整備（契約等）/);

  const id = r.data.foreignTransfers[0].id;
  const st = await m.gql(`{ ja: foreignTransferStatement(transferId: "${id}", language: JA) en: foreignTransferStatement(transferId: "${id}", language: EN) }`, {}, { token: auditor });
  assert.equal(st.errors, undefined, JSON.stringify(st.errors));
  assert.match(st.data.ja, /^# 外国にある第三者への提供: Northwind Hosting LLC（英語のみ）/);
  assert.match(st.data.ja, /当該第三者が実施する相当措置の概要: The contract binds the recipient to the OECD principles\.（英語のみ）$/m);
  assert.match(st.data.en, /the implementation of the measures, and its outline: 特にありません。 \(Japanese only\)$/m);
  assert.doesNotMatch(st.data.ja, CODE);
  assert.doesNotMatch(st.data.en, CODE);
});
