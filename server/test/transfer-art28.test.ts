import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ForeignTransferBasis } from '../src/graphql/enums.js';
import { FOREIGN_TRANSFER_BASIS_LABELS, renderTransferArt28 } from '../src/parties/transfer-art28.js';

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
  assert.equal(ja.items[1].text, '（英語のみ）No comprehensive federal law');
  assert.equal(ja.items[2].text, '記録なし');
  assert.equal(ja.incomplete, true);
  assert.doesNotMatch(JSON.stringify(ja), /CONSENT_WITH_INFORMATION/);
  const en = renderTransferArt28({ country: 'SG', basis: ForeignTransferBasis.EQUIVALENT_MEASURES_CONTRACT,
    consentInformation: { regime: { en: 'PDPA' }, recipientMeasures: { en: 'Encryption' } } }, 'en');
  assert.equal(en.items[0].text, 'Singapore');
  assert.equal(en.incomplete, false);
});
