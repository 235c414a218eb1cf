import { ForeignTransferBasis } from '../graphql/enums.js';
import { countryName } from '../graphql/validators.js';
import { textIn } from './transfer-statement.js';
import type { ConsentInformation } from './foreign-transfer.types.js';

export type Lang = 'ja' | 'en';

/** One label per route and language, so no generator prints the enum code itself in a notice. */
export const FOREIGN_TRANSFER_BASIS_LABELS: Record<ForeignTransferBasis, Record<Lang, string>> = {
  [ForeignTransferBasis.ADEQUATE_COUNTRY]: { ja: '個人の権利利益を保護する上で我が国と同等の水準にあると認められる外国', en: 'Country recognised as having an equivalent level of protection' },
  [ForeignTransferBasis.EQUIVALENT_MEASURES_CONTRACT]: { ja: '相当措置（契約等）', en: 'Equivalent measures (contract)' },
  [ForeignTransferBasis.EQUIVALENT_MEASURES_CBPR]: { ja: '相当措置（APEC CBPR認証）', en: 'Equivalent measures (APEC CBPR certification)' },
  [ForeignTransferBasis.CONSENT_WITH_INFORMATION]: { ja: '本人の同意（法第28条第2項の情報提供）', en: 'Consent after the information of Art. 28(2)' },
  [ForeignTransferBasis.STATUTORY_EXCEPTION]: { ja: '法令に基づく場合等（法第27条第1項各号）', en: 'Statutory exception (Art. 27(1))' },
};

export interface TransferArt28Input {
  country: string;
  basis: ForeignTransferBasis;
  consentInformation?: ConsentInformation | null;
}

export interface TransferArt28Text {
  heading: string;
  basis: string;
  /** The three items of APPI Art. 28(2) / PPC Rules Art. 17(2), each with its label; '' when not recorded. */
  items: Array<{ label: string; text: string }>;
  /** True when any of the three items is missing, so the caller can flag it rather than print a gap silently. */
  incomplete: boolean;
}

const LABELS: Record<Lang, { country: string; regime: string; measures: string; notRecorded: string; heading: string }> = {
  ja: { heading: '外国にある第三者への提供', country: '提供先の外国の名称', regime: '当該外国の個人情報の保護に関する制度', measures: '提供先の第三者が講ずる個人情報の保護のための措置', notRecorded: '記録なし' },
  en: { heading: 'Transfer to a third party in a foreign country', country: 'Name of the foreign country', regime: "The country's personal-information protection regime", measures: 'Measures the recipient takes to protect personal information', notRecorded: 'not recorded' },
};

/**
 * The Art. 28(2) information of one transfer, structured for the public notice, the RoPA and the
 * statement alike so all three print the same words. The country name as published wins over the
 * ISO name, because the law asks for the name the person was told.
 */
export function renderTransferArt28(transfer: TransferArt28Input, lang: Lang): TransferArt28Text {
  const l = LABELS[lang];
  const info = transfer.consentInformation ?? null;
  const name = textIn(info?.countryName, lang) || countryName(transfer.country, lang) || transfer.country;
  const regime = textIn(info?.regime, lang);
  const measures = textIn(info?.recipientMeasures, lang);
  return {
    heading: l.heading,
    basis: FOREIGN_TRANSFER_BASIS_LABELS[transfer.basis]?.[lang] ?? '',
    items: [
      { label: l.country, text: name },
      { label: l.regime, text: regime || l.notRecorded },
      { label: l.measures, text: measures || l.notRecorded },
    ],
    incomplete: !regime || !measures,
  };
}
