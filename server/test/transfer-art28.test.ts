import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ForeignTransferBasis } from '../src/graphql/enums.js';
import { FOREIGN_TRANSFER_BASIS_LABELS, art28Lines, renderTransferArt28 } from '../src/parties/transfer-art28.js';

test('every transfer route has a ja and an en label, and the ja one is no ASCII code', () => {
  for (const v of Object.values(ForeignTransferBasis)) {
    const l = FOREIGN_TRANSFER_BASIS_LABELS[v];
    assert.ok(l?.ja && l?.en, `label missing for ${v}`);
    assert.doesNotMatch(l.ja, /[A-Z]{2,}_[A-Z_]+/, `ja label of ${v} is a code`);
  }
});

test('renderTransferArt28 prints the published name, marks one-language texts and flags missing items', () => {
  const ja = renderTransferArt28({
    country: 'US', basis: ForeignTransferBasis.CONSENT_WITH_INFORMATION,
    consentInformation: { countryName: { ja: 'アメリカ合衆国' }, regime: { en: 'No comprehensive federal law' } },
  }, 'ja');
  assert.equal(ja.items[0].text, 'アメリカ合衆国');
  assert.equal(ja.items[1].text, 'No comprehensive federal law（英語のみ）');
  assert.equal(ja.items[2].text, '記録なし');
  assert.equal(ja.incomplete, true);
  assert.doesNotMatch(JSON.stringify(ja), /CONSENT_WITH_INFORMATION/);
  const en = renderTransferArt28({ country: 'SG', basis: ForeignTransferBasis.EQUIVALENT_MEASURES_CONTRACT,
    consentInformation: { regime: { en: 'PDPA' }, recipientMeasures: { en: 'Encryption' } } }, 'en');
  assert.equal(en.items[0].text, 'Singapore');
  assert.equal(en.incomplete, false);
});

test('renderTransferArt28: the published spelling wins, UNKNOWN defers to the reference data, laws without outline and clauses in order', () => {
  const input = {
    country: 'US', basis: ForeignTransferBasis.CONSENT_WITH_INFORMATION,
    consentInformation: { recipientMeasures: { ja: '全ての原則に対応' } },
    contractClauses: [{ text: { ja: '第一条項' }, reference: '1条' }, { text: { ja: '第二条項' } }],
    assessment: { publishedName: { ja: '米国' }, regime: { ja: '州法' }, cbprParticipation: 'UNKNOWN', euAdequacyDecision: 'NO', governmentAccessLaws: [{ name: { ja: 'FISA' } }] },
    reference: { name: { ja: 'アメリカ', en: 'United States' }, cbprParticipation: 'YES', euAdequacyDecision: 'YES' },
  };
  const ja = renderTransferArt28(input, 'ja');
  assert.deepEqual(ja.items.map((i) => i.text), ['米国', '州法', '全ての原則に対応']);
  assert.deepEqual(ja.missing, []);
  assert.deepEqual(ja.indicators.map((i) => [i.key, i.value, i.text]), [['appiDesignation', 'UNKNOWN', '不明'], ['euAdequacyDecision', 'NO', 'なし'], ['cbprParticipation', 'YES', 'あり']]);
  assert.deepEqual(ja.governmentAccessLaws, [{ name: 'FISA', outline: '概要の記録なし' }]);
  assert.deepEqual(ja.contractClauses, [{ text: '第一条項', reference: '1条' }, { text: '第二条項', reference: null }]);
  const lines = art28Lines(ja, 'ja').join('\n');
  assert.doesNotMatch(lines, /\b(YES|NO|UNKNOWN)\b|[A-Z]{2,}_[A-Z_]+/, 'no enum code in Japanese');
  // Without the assessment's spelling, the reference name; the recipient's measures missing is listed.
  const en = renderTransferArt28({ ...input, consentInformation: null, assessment: null }, 'en');
  assert.equal(en.items[0].text, 'United States');
  assert.deepEqual(en.missing, ['regime', 'recipientMeasures']);
});
