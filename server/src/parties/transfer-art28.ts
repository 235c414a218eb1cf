import { Field, ObjectType } from 'type-graphql';
import { ForeignTransferBasis } from '../graphql/enums.js';
import { countryName } from '../graphql/validators.js';
import type { Localized } from '../graphql/localized-text.js';
import type { Context } from '../graphql/context.js';
import type { Row } from '../graphql/loaders.js';
import { FOREIGN_TRANSFER_BASIS } from '../graphql/enum-labels.js';
import { pickMarked } from '../graphql/localized-text.js';

const textIn = (l: unknown, lang: Lang) => pickMarked(l, lang);
import { COUNTRY_FACTS, COUNTRY_FACT_LABELS, COUNTRY_FACT_NAMES, CountryFact, effectiveFact, type CountryFactKey } from '../locations/country-reference.js';

export type Lang = 'ja' | 'en';

/** One label per route and language, so no generator prints the enum code itself in a notice. */
export const FOREIGN_TRANSFER_BASIS_LABELS: Record<ForeignTransferBasis, Record<Lang, string>> = FOREIGN_TRANSFER_BASIS;

type Facts = Partial<Record<CountryFactKey, unknown>>;

export interface TransferArt28Input {
  country: string;
  basis: ForeignTransferBasis | string;
  consentInformation?: { countryName?: Localized | null; regime?: Localized | null; recipientMeasures?: Localized | null } | null;
  /** Pre-item outline of the recipient's measures (equivalent-measures route), used when the Art. 28(2) text has none. */
  measuresOutline?: Localized | null;
  contractClauses?: Array<{ text: Localized; reference?: string | null }> | null;
  /** The country's assessment, when the caller has it: its published name, regime, laws and facts. */
  assessment?: (Facts & { publishedName?: Localized | null; regime?: Localized | null; governmentAccessLaws?: Array<{ name: Localized; outline?: Localized | null }> | null }) | null;
  /** The country reference data (shipped or imported). */
  reference?: (Facts & { name?: Localized | null; ppcReportUrl?: string | null; asOf?: string | null }) | null;
}

export type Art28ItemKey = 'countryName' | 'regime' | 'recipientMeasures';

export interface TransferArt28Text {
  heading: string;
  basis: string;
  /** The three items of APPI Art. 28(2) / PPC Rules Art. 17(2), each with its label; "not recorded" when absent. */
  items: Array<{ key: Art28ItemKey; label: string; text: string }>;
  /** Indicators of the country's system (PPC guideline: EU adequacy, CBPR), with the value that holds. */
  indicators: Array<{ key: CountryFactKey; label: string; value: CountryFact; text: string }>;
  governmentAccessLaws: Array<{ name: string; outline: string }>;
  contractClauses: Array<{ text: string; reference: string | null }>;
  /** The PPC's country report, where the reference data has one. */
  ppcReportUrl: string | null;
  /** Items with nothing recorded: the caller flags them rather than printing a gap silently. */
  missing: Art28ItemKey[];
  incomplete: boolean;
}

const LABELS: Record<Lang, { countryName: string; regime: string; recipientMeasures: string; notRecorded: string; heading: string; noOutline: string }> = {
  ja: { heading: '外国にある第三者への提供', countryName: '提供先の外国の名称', regime: '当該外国における個人情報の保護に関する制度', recipientMeasures: '提供先の第三者が講ずる個人情報の保護のための措置', notRecorded: '記録なし', noOutline: '概要の記録なし' },
  en: { heading: 'Transfer to a third party in a foreign country', countryName: 'Name of the foreign country', regime: "The country's personal-information protection system", recipientMeasures: 'Measures the recipient takes to protect personal information', notRecorded: 'not recorded', noOutline: 'outline not recorded' },
};

/**
 * The Art. 28(2) information of one transfer, structured for the public notice, the RoPA and the
 * statement alike so all three print the same words, and the audit judges the same values. The
 * name the person was told wins: the transfer's own, then the assessment's published spelling,
 * then the reference data's, then the ISO name.
 */
export function renderTransferArt28(transfer: TransferArt28Input, lang: Lang): TransferArt28Text {
  const l = LABELS[lang];
  const info = transfer.consentInformation ?? null;
  const a = transfer.assessment ?? null;
  const ref = transfer.reference ?? null;
  const name = textIn(info?.countryName, lang) || textIn(a?.publishedName, lang) || textIn(ref?.name, lang) || countryName(transfer.country, lang) || transfer.country;
  const regime = textIn(info?.regime, lang) || textIn(a?.regime, lang);
  const measures = textIn(info?.recipientMeasures, lang) || textIn(transfer.measuresOutline, lang);
  const missing: Art28ItemKey[] = [];
  if (!regime) missing.push('regime');
  if (!measures) missing.push('recipientMeasures');
  return {
    heading: l.heading,
    basis: FOREIGN_TRANSFER_BASIS_LABELS[transfer.basis as ForeignTransferBasis]?.[lang] ?? '',
    items: [
      { key: 'countryName', label: l.countryName, text: name },
      { key: 'regime', label: l.regime, text: regime || l.notRecorded },
      { key: 'recipientMeasures', label: l.recipientMeasures, text: measures || l.notRecorded },
    ],
    indicators: COUNTRY_FACTS.map((k) => {
      const value = effectiveFact(a?.[k], ref?.[k]);
      return { key: k, label: COUNTRY_FACT_NAMES[k][lang], value, text: COUNTRY_FACT_LABELS[value][lang] };
    }),
    governmentAccessLaws: (a?.governmentAccessLaws ?? []).map((g) => ({ name: textIn(g.name, lang), outline: textIn(g.outline, lang) || l.noOutline })),
    contractClauses: (transfer.contractClauses ?? []).map((c) => ({ text: textIn(c.text, lang), reference: c.reference ?? null })),
    ppcReportUrl: ref?.ppcReportUrl ?? null,
    missing,
    incomplete: missing.length > 0,
  };
}

/** The structured text as plain lines (statement, RoPA cell): items, indicators, laws, clauses. */
export function art28Lines(t: TransferArt28Text, lang: Lang): string[] {
  const ja = lang === 'ja';
  const lines = t.items.map((i) => `${i.label}: ${i.text}`);
  lines.push(...t.indicators.map((i) => `${i.label}: ${i.text}`));
  if (t.governmentAccessLaws.length) {
    lines.push(ja ? 'ガバメントアクセスを可能とする法令:' : 'Laws that may give the government access:');
    lines.push(...t.governmentAccessLaws.map((g) => `  - ${g.name}${ja ? '：' : ': '}${g.outline}`));
  }
  if (t.contractClauses.length) {
    lines.push(ja ? '契約条項:' : 'Contract clauses:');
    lines.push(...t.contractClauses.map((c, i) => `  ${i + 1}. ${c.text}${c.reference ? ` (${c.reference})` : ''}`));
  }
  if (t.ppcReportUrl) lines.push(`${ja ? '個人情報保護委員会の調査' : "PPC's country report"}: ${t.ppcReportUrl}`);
  return lines;
}

/**
 * The renderer's input for each transfer row: the row with its country's assessment and reference
 * data attached, read in two statements whatever the number of transfers.
 */
export async function withCountryContext(ctx: Context, transfers: Row[]): Promise<TransferArt28Input[]> {
  const m = ctx.loaders.model;
  const countries = [...new Set(transfers.map((f) => String(f.country)))];
  const [assessments, references] = countries.length
    ? await Promise.all([
        ctx.loaders.query(`select ${m.select('CountryAssessment')} from ${m.table('CountryAssessment')} t where t."country" = any(?) and t."archived_at" is null`, [countries]),
        ctx.loaders.query(`select ${m.select('CountryReference')} from ${m.table('CountryReference')} t where t."country" = any(?)`, [countries]),
      ])
    : [[], []];
  const assessmentOf = new Map(assessments.map((r) => [String(r.country), r]));
  const referenceOf = new Map(references.map((r) => [String(r.country), r]));
  return transfers.map((f) => ({
    ...(f as unknown as TransferArt28Input),
    assessment: (assessmentOf.get(String(f.country)) ?? null) as TransferArt28Input['assessment'],
    reference: (referenceOf.get(String(f.country)) ?? null) as TransferArt28Input['reference'],
  }));
}

@ObjectType('Art28Item', { simpleResolvers: true, description: 'One item of the Art. 28(2) information: countryName, regime or recipientMeasures.' })
class Art28ItemType { @Field() key!: string; @Field() label!: string; @Field() text!: string; }

@ObjectType('Art28Indicator', { simpleResolvers: true, description: "An indicator of the country's system with the value that holds." })
class Art28IndicatorType { @Field() key!: string; @Field() label!: string; @Field(() => CountryFact) value!: CountryFact; @Field() text!: string; }

@ObjectType('Art28Law', { simpleResolvers: true })
class Art28LawType { @Field() name!: string; @Field() outline!: string; }

@ObjectType('Art28Clause', { simpleResolvers: true })
class Art28ClauseType { @Field() text!: string; @Field(() => String, { nullable: true }) reference!: string | null; }

@ObjectType('Art28Information', { simpleResolvers: true, description: 'The Art. 28(2) information of a transfer as renderTransferArt28 gives it to the statement, the RoPA, the notice and the audit.' })
export class Art28InformationType {
  @Field() heading!: string;
  @Field({ description: 'The route, labelled in the language asked for.' }) basis!: string;
  @Field(() => [Art28ItemType]) items!: Art28ItemType[];
  @Field(() => [Art28IndicatorType]) indicators!: Art28IndicatorType[];
  @Field(() => [Art28LawType]) governmentAccessLaws!: Art28LawType[];
  @Field(() => [Art28ClauseType]) contractClauses!: Art28ClauseType[];
  @Field(() => String, { nullable: true }) ppcReportUrl!: string | null;
  @Field(() => [String], { description: 'Items with nothing recorded (regime, recipientMeasures).' }) missing!: string[];
  @Field() incomplete!: boolean;
}
