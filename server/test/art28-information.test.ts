import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { Role } from '../src/auth/roles.js';
import { exportManifest } from '../src/manifest/exporter.js';
import { CountryFileError, SHIPPED_COUNTRIES_FILE, importCountryReference } from '../src/locations/country-reference.js';
import { doc, startTestServer, token, type TestServer } from './helpers.js';

const clauses = [
  { text: { ja: '利用目的の範囲内でのみ取り扱う。', en: 'Use only within the purpose.' }, reference: '第3条' },
  { text: { ja: '第三者に提供しない。', en: 'No provision to third parties.' } },
];

let s: TestServer;
before(async () => {
  s = await startTestServer({
    docs: [doc({
      subjectCategories: [{ code: 'customers', name: { ja: '顧客', en: 'Customers' } }, { code: 'staff', name: { en: 'Staff' } }],
      countryAssessments: [
        { country: 'US', publishedName: { ja: 'アメリカ合衆国（米国）' }, regime: { ja: '包括的な連邦法はなく、州法による。', en: 'No comprehensive federal law; state laws.' },
          governmentAccessLaws: [{ name: { ja: 'FISA第702条', en: 'FISA Section 702' }, outline: { ja: '通信事業者に情報提供を命じ得る。', en: 'Providers may be compelled to disclose.' } }, { name: { en: 'CLOUD Act' } }] },
      ],
      foreignTransfers: [
        // The Art. 28(2) information recorded on a route that does not need it before consent.
        { code: 'ft-eq', recipientName: { ja: '米国受領者', en: 'US recipient' }, recipientKind: 'THIRD_PARTY', country: 'US', basis: 'EQUIVALENT_MEASURES_CONTRACT',
          consentInformation: { recipientMeasures: { ja: 'OECD8原則に対応する措置を全て講じている。', en: 'All eight OECD principles.' } },
          contractClauses: clauses, itemsText: { ja: '氏名、メールアドレス' }, subjectCategories: ['staff', 'customers'] },
        { code: 'ft-adequate', recipientName: { en: 'DE recipient' }, recipientKind: 'THIRD_PARTY', country: 'DE', basis: 'ADEQUATE_COUNTRY',
          consentInformation: { countryName: { ja: 'ドイツ連邦共和国' } } },
      ],
      processingActivities: [{ code: 'act', name: { ja: '顧客管理', en: 'Customer care' }, foreignTransfers: ['ft-eq', 'ft-adequate'] }],
    })],
  });
});
after(() => s?.close());

test('a transfer carries the Art. 28(2) information whatever its route, its contract clauses in order, its own subject categories and items text', async () => {
  const r = await s.gql(`{ foreignTransfers { code contractClauseCount consentInformation { recipientMeasures { en } countryName { ja } } contractClauses { text { ja en } reference } itemsText { ja }
    subjectCategories { code } countryName { ja en } countryReference { asOf cbprParticipation euAdequacyDecision appiDesignation ppcReportUrl }
    assessment { publishedName { ja } governmentAccessLaws { name { en } outline { en } } governmentAccessLawCount effectiveFacts { cbprParticipation euAdequacyDecision } cbpr euAdequacy } } }`);
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  const eq = r.data.foreignTransfers.find((f: any) => f.code === 'ft-eq');
  assert.deepEqual(eq.contractClauses, [{ ...clauses[0] }, { ...clauses[1], reference: null }]);
  assert.deepEqual(eq.itemsText, { ja: '氏名、メールアドレス' });
  assert.equal(eq.contractClauseCount, 2);
  assert.deepEqual(eq.subjectCategories.map((c: any) => c.code).sort(), ['customers', 'staff']);
  assert.equal(eq.consentInformation.recipientMeasures.en, 'All eight OECD principles.');
  const shipped = JSON.parse(await fs.readFile(SHIPPED_COUNTRIES_FILE, 'utf8'));
  assert.deepEqual(eq.countryReference, { asOf: shipped.asOf, cbprParticipation: 'YES', euAdequacyDecision: 'NO', appiDesignation: 'NO', ppcReportUrl: shipped.countries.find((c: any) => c.country === 'US').ppcReportUrl });
  assert.equal(eq.assessment.governmentAccessLawCount, 2);
  assert.deepEqual(eq.assessment.governmentAccessLaws[1], { name: { en: 'CLOUD Act' }, outline: null });
  // The assessment states nothing (UNKNOWN): the reference data's answer holds, and the old boolean follows it.
  assert.deepEqual(eq.assessment.effectiveFacts, { cbprParticipation: 'YES', euAdequacyDecision: 'NO' });
  assert.equal(eq.assessment.cbpr, true);
  assert.equal(eq.assessment.euAdequacy, false);
  const info = await s.gql('{ foreignTransfers { code art28Information(language: EN) { items { key text } missing incomplete indicators { key value } governmentAccessLaws { name outline } } } }');
  assert.equal(info.errors, undefined, JSON.stringify(info.errors));
  const de = info.data.foreignTransfers.find((f: any) => f.code === 'ft-adequate').art28Information;
  assert.deepEqual(de.missing, ['regime', 'recipientMeasures']);
  assert.equal(de.incomplete, true);
  assert.deepEqual(de.indicators.find((i: any) => i.key === 'appiDesignation').value, 'YES', 'from the reference data: DE has no assessment');
  const us = info.data.foreignTransfers.find((f: any) => f.code === 'ft-eq').art28Information;
  assert.deepEqual(us.missing, []);
  assert.deepEqual(us.governmentAccessLaws[1], { name: 'CLOUD Act', outline: 'outline not recorded' });
  const refs = await s.gql('{ countryReferences(countries: ["DE", "KR"]) { country name { ja en } appiDesignation euAdequacyDecision cbprParticipation } }');
  assert.deepEqual(refs.data.countryReferences.map((c: any) => [c.country, c.appiDesignation, c.euAdequacyDecision, c.cbprParticipation]), [['DE', 'YES', 'YES', 'NO'], ['KR', 'NO', 'YES', 'YES']]);
});

test('the statement prints the Art. 28(2) information on every route: published name, regime, measures, indicators, laws and clauses', async () => {
  const ids = await s.gql('{ foreignTransfers { id code } }');
  const id = (c: string) => ids.data.foreignTransfers.find((f: any) => f.code === c).id;
  const r = await s.gql(`{ ja: foreignTransferStatement(transferId: "${id('ft-eq')}", language: JA) en: foreignTransferStatement(transferId: "${id('ft-eq')}", language: EN)
    de: foreignTransferStatement(transferId: "${id('ft-adequate')}", language: JA) }`, {}, { token: await token(Role.AUDITOR) });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  const ja: string = r.data.ja;
  assert.equal(ja.split('\n').filter((l) => /^\d\. /.test(l)).length, 7, 'the seven 18(3) items stay numbered on their own');
  assert.match(ja, /\n4\. 当該外国の名称: アメリカ合衆国（米国）\n/, 'item (iv) not recorded: the published name, as in the Art. 28(2) section');
  assert.match(ja, /## 法第28条第2項の情報/);
  assert.match(ja, /\n提供する個人データの項目: 氏名、メールアドレス\n本人の区分: (顧客、Staff（英語のみ）|Staff（英語のみ）、顧客)\n/, 'the transfer\'s own items text and holder categories');
  assert.match(ja, /- 提供先の外国の名称: アメリカ合衆国（米国）/, 'the assessment\'s published spelling');
  assert.match(ja, /- 当該外国における個人情報の保護に関する制度: 包括的な連邦法はなく、州法による。/);
  assert.match(ja, /- 提供先の第三者が講ずる個人情報の保護のための措置: OECD8原則に対応する措置を全て講じている。/);
  assert.match(ja, /- APEC CBPRシステムへの加盟: あり/);
  assert.match(ja, / {2}- FISA第702条：通信事業者に情報提供を命じ得る。\n {2}- CLOUD Act（英語のみ）：概要の記録なし/);
  assert.match(ja, / {2}1\. 利用目的の範囲内でのみ取り扱う。 \(第3条\)\n {2}2\. 第三者に提供しない。/);
  assert.doesNotMatch(ja, /\b(YES|NO|UNKNOWN|EQUIVALENT_MEASURES_CONTRACT)\b/, 'no enum code in the Japanese text');
  assert.match(r.data.en, /- Participation in the APEC CBPR system: yes/);
  assert.match(r.data.de, /2\. 提供先の外国の名称: ドイツ連邦共和国/, 'the name as published on the adequate-country route');
  assert.match(r.data.de, /- 当該外国における個人情報の保護に関する制度: 記録なし/, 'a missing item says so');
});

test('the RoPA shows the Art. 28(2) information, the items text and the clauses of each transfer', async () => {
  const r = await s.gql('{ ropaExport(format: JSON, framework: APPI, language: JA) { content } }', {}, { token: await token(Role.AUDITOR) });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  const row = JSON.parse(r.data.ropaExport.content).rows.find((x: any) => x.code === 'act');
  const cell = row.foreignTransfers.split('\n').find((l: string) => l.startsWith('米国受領者'));
  assert.match(cell, /\{氏名、メールアドレス／(顧客／Staff（英語のみ）|Staff（英語のみ）／顧客)\}/, 'items text and the transfer\'s holder categories');
  assert.match(cell, /提供先の外国の名称: アメリカ合衆国（米国）/);
  assert.match(cell, /1\. 利用目的の範囲内でのみ取り扱う。 \(第3条\)/);
  assert.match(cell, /FISA第702条/);
});

test('the manifest exports what it imported: clauses, items text, subject categories, laws, facts and the published name', async () => {
  const m = await exportManifest(s.orm) as any;
  const eq = m.foreignTransfers.find((f: any) => f.code === 'ft-eq');
  assert.deepEqual(eq.contractClauses, clauses);
  assert.deepEqual(eq.subjectCategories, ['customers', 'staff']);
  assert.deepEqual(eq.itemsText, { ja: '氏名、メールアドレス' });
  const us = m.countryAssessments.find((a: any) => a.country === 'US');
  assert.equal(us.governmentAccessLaws.length, 2);
  assert.deepEqual(us.publishedName, { ja: 'アメリカ合衆国（米国）' });
  assert.equal(us.cbprParticipation, 'UNKNOWN', 'the assessment\'s own answer, not the reference data\'s');
});

test('bad clauses, laws or facts are refused with the field at fault and change nothing', async () => {
  const ids = await s.gql('{ foreignTransfers { id code version } countryAssessments { id country version } }');
  const ft = ids.data.foreignTransfers.find((f: any) => f.code === 'ft-eq');
  const us = ids.data.countryAssessments.find((a: any) => a.country === 'US');
  const bad = await s.gql(`mutation($i: UpdateForeignTransferInput!) { updateForeignTransfer(input: $i) { foreignTransfer { id } } }`, { i: { id: ft.id, version: ft.version, contractClauses: [{ text: { ja: '有効' } }, { text: {}, reference: 'x' }] } });
  assert.equal(bad.errors?.[0].extensions.code, 'BAD_USER_INPUT', JSON.stringify(bad.errors));
  assert.match(JSON.stringify(bad.errors[0].extensions), /contractClauses/);
  const badLaw = await s.gql(`mutation($i: UpdateCountryAssessmentInput!) { updateCountryAssessment(input: $i) { countryAssessment { id } } }`, { i: { id: us.id, version: us.version, governmentAccessLaws: [{ name: { en: ' ' } }] } });
  assert.equal(badLaw.errors?.[0].extensions.code, 'BAD_USER_INPUT', JSON.stringify(badLaw.errors));
  assert.match(JSON.stringify(badLaw.errors[0].extensions), /governmentAccessLaws/);
  const badFact = await s.gql(`mutation($i: UpdateCountryAssessmentInput!) { updateCountryAssessment(input: $i) { countryAssessment { id } } }`, { i: { id: us.id, version: us.version, cbprParticipation: 'MAYBE' } });
  assert.equal(badFact.errors?.[0].extensions.code, 'BAD_USER_INPUT', JSON.stringify(badFact.errors));
  const after = await s.gql('{ foreignTransfers { code version contractClauses { reference } } countryAssessments { country version governmentAccessLawCount cbprParticipation } }');
  assert.equal(after.data.foreignTransfers.find((f: any) => f.code === 'ft-eq').version, ft.version);
  assert.equal(after.data.foreignTransfers.find((f: any) => f.code === 'ft-eq').contractClauses.length, 2);
  const usAfter = after.data.countryAssessments.find((a: any) => a.country === 'US');
  assert.deepEqual([usAfter.version, usAfter.governmentAccessLawCount, usAfter.cbprParticipation], [us.version, 2, 'UNKNOWN']);
  const ok = await s.gql(`mutation($i: UpdateCountryAssessmentInput!) { updateCountryAssessment(input: $i) { countryAssessment { cbprParticipation effectiveFacts { cbprParticipation } cbpr } } }`, { i: { id: us.id, version: us.version, cbprParticipation: 'NO' } });
  assert.equal(ok.errors, undefined, JSON.stringify(ok.errors));
  assert.deepEqual(ok.data.updateCountryAssessment.countryAssessment, { cbprParticipation: 'NO', effectiveFacts: { cbprParticipation: 'NO' }, cbpr: false }, 'the assessment\'s own answer wins over the reference data');
});

test('country reference data is updated by import: a bad file changes nothing, an older one never undoes a newer one', async () => {
  const sql = s.orm.em.getConnection();
  const read = async () => (await s.gql('{ countryReferences(countries: ["BD", "US"]) { country asOf cbprParticipation name { en } } }')).data.countryReferences;
  const before = await read();
  await assert.rejects(importCountryReference(sql, { asOf: '2030-01-01', countries: [
    { country: 'US', name: { en: 'US' }, cbprParticipation: 'MAYBE', ppcReportUrl: 'http://example.com/x' },
    { country: 'us', name: {} },
    { country: 'US', name: { en: 'again' } },
  ] }), (e: unknown) => {
    assert.ok(e instanceof CountryFileError);
    const paths = e.problems.map((p) => p.path);
    for (const p of ['/countries/0/cbprParticipation', '/countries/0/ppcReportUrl', '/countries/1/country', '/countries/1/name']) assert.ok(paths.includes(p), `${p} in ${paths.join(', ')}`);
    return true;
  });
  assert.deepEqual(await read(), before, 'nothing changed');
  const r = await importCountryReference(sql, { asOf: '2030-01-01', countries: [{ country: 'US', name: { ja: '米国', en: 'United States' }, cbprParticipation: 'NO' }, { country: 'BD', name: { en: 'Bangladesh' } }] });
  assert.deepEqual(r, { upserted: 2, skippedOlder: 0 });
  assert.deepEqual(await read(), [
    { country: 'BD', asOf: '2030-01-01', cbprParticipation: 'UNKNOWN', name: { en: 'Bangladesh' } },
    { country: 'US', asOf: '2030-01-01', cbprParticipation: 'NO', name: { en: 'United States' } },
  ]);
  const old = await importCountryReference(sql, { asOf: '2020-01-01', countries: [{ country: 'US', name: { en: 'Old' }, cbprParticipation: 'YES' }] });
  assert.deepEqual(old, { upserted: 0, skippedOlder: 1 });
  assert.equal((await read())[1].cbprParticipation, 'NO');
});
