import { Field, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { IsEnum, IsOptional, ValidateNested } from 'class-validator';
import { LocalizedText } from '../graphql/localized-text.js';
import { hasText, pickMarked, type Localized } from '../graphql/localized-text.js';
import { STATEMENT_ITEM_STATE, enumLabel } from '../graphql/enum-labels.js';
import { countryName } from '../graphql/validators.js';

/**
 * A notice may answer an item with "none" (「特にありません。」); that answer is a fact the organization
 * published and must be told apart from an item nobody has recorded yet, which the audit reports.
 */
export enum StatementItemState {
  STATED = 'STATED',
  NONE = 'NONE',
  NOT_RECORDED = 'NOT_RECORDED',
}
registerEnumType(StatementItemState, {
  name: 'StatementItemState',
  description: 'STATED: the item has content. NONE: the organization states there is none (the text keeps its wording). NOT_RECORDED: no answer is recorded.',
});

@ObjectType({ simpleResolvers: true, description: 'One item of the PPC Rules Art. 18(3) answer, with the wording the notice uses.' })
@InputType('StatementItemInput')
export class StatementItem {
  @Field(() => StatementItemState)
  @IsEnum(StatementItemState)
  state!: StatementItemState;

  @Field(() => LocalizedText, { nullable: true, description: 'Verbatim wording; for NONE the published "none" sentence (e.g. 「特にありません。」).' })
  @IsOptional() @ValidateNested()
  text?: LocalizedText | null;
}

@ObjectType({ simpleResolvers: true, description: 'The seven items a business on the equivalent-measures route gives on request (PPC Rules Art. 18(3)).' })
@InputType('EquivalentMeasuresItemsInput')
export class EquivalentMeasuresItems {
  @Field(() => StatementItem, { nullable: true, description: '(i) How the recipient established its system for the equivalent measures.' })
  @IsOptional() @ValidateNested()
  establishment?: StatementItem | null;

  @Field(() => StatementItem, { nullable: true, description: '(ii) Outline of the equivalent measures the recipient implements.' })
  @IsOptional() @ValidateNested()
  measuresOutline?: StatementItem | null;

  @Field(() => StatementItem, { nullable: true, description: '(iii) Frequency and method of the periodic check (Rules Art. 18(1)(i)).' })
  @IsOptional() @ValidateNested()
  checkFrequencyAndMethod?: StatementItem | null;

  @Field(() => StatementItem, { nullable: true, description: "(iv) The foreign country's name as published; the ISO country's name when not recorded." })
  @IsOptional() @ValidateNested()
  countryName?: StatementItem | null;

  @Field(() => StatementItem, { nullable: true, description: '(v) Whether the country has a regime that may affect the measures, and its outline.' })
  @IsOptional() @ValidateNested()
  regime?: StatementItem | null;

  @Field(() => StatementItem, { nullable: true, description: '(vi) Whether there are impediments to implementing the measures, and their outline.' })
  @IsOptional() @ValidateNested()
  impediments?: StatementItem | null;

  @Field(() => StatementItem, { nullable: true, description: '(vii) Outline of the measures taken against those impediments (Rules Art. 18(1)(ii)).' })
  @IsOptional() @ValidateNested()
  impedimentMeasures?: StatementItem | null;
}

export const ITEM_KEYS = ['establishment', 'measuresOutline', 'checkFrequencyAndMethod', 'countryName', 'regime', 'impediments', 'impedimentMeasures'] as const;
export type ItemKey = (typeof ITEM_KEYS)[number];
export type Item = { state: StatementItemState; text: Localized | null };

/** The Rules' own wording of each item (規則18条3項各号), and an English rendering of it. */
export const ITEM_LABELS: Record<ItemKey, { ja: string; en: string }> = {
  establishment: { ja: '当該第三者による相当措置の整備の方法', en: 'How the recipient established its system for the equivalent measures' },
  measuresOutline: { ja: '当該第三者が実施する相当措置の概要', en: 'Outline of the equivalent measures the recipient implements' },
  checkFrequencyAndMethod: { ja: '確認の頻度及び方法', en: 'Frequency and method of the periodic check' },
  countryName: { ja: '当該外国の名称', en: 'Name of the foreign country' },
  regime: { ja: '当該第三者による相当措置の実施に影響を及ぼすおそれのある当該外国の制度の有無及びその概要', en: 'Whether the foreign country has a system that may affect the implementation of the measures, and its outline' },
  impediments: { ja: '当該第三者による相当措置の実施に関する支障の有無及びその概要', en: 'Whether there are impediments to implementing the measures, and their outline' },
  impedimentMeasures: { ja: '前号の支障に関して講ずる措置の概要', en: 'Outline of the measures taken against those impediments' },
};

/** Items the Rules expect an answer to whatever the facts; (vii) only answers an impediment in (vi). */
export const REQUIRED_ITEMS: readonly ItemKey[] = ['establishment', 'measuresOutline', 'checkFrequencyAndMethod', 'countryName', 'regime', 'impediments'];

type TransferFacts = {
  basis: string;
  country: string;
  equivalentMeasuresItems?: unknown;
  measuresOutline?: unknown;
  implementationProblems?: unknown;
  impediments?: unknown;
  impedimentResponse?: unknown;
  periodicCheck?: unknown;
};

const stated = (text: unknown): Item | null => (hasText(text as Localized) ? { state: StatementItemState.STATED, text: text as Localized } : null);

/**
 * The seven items as the statement prints them and the audit judges them: a recorded item wins; an item
 * not recorded falls back to the pre-item fields (still writable through the API) and to what Kiroku
 * knows anyway (the route, the country code, the country assessment).
 */
export function resolveItems(f: TransferFacts, assessmentImpediments?: unknown): Record<ItemKey, Item> {
  const recorded = (f.equivalentMeasuresItems ?? {}) as Partial<Record<ItemKey, { state?: StatementItemState; text?: Localized | null } | null>>;
  const check = f.periodicCheck as { frequencyMonths?: number | null; method?: Localized | null } | null | undefined;
  const derived: Record<ItemKey, Item | null> = {
    establishment:
      f.basis === 'EQUIVALENT_MEASURES_CBPR'
        ? { state: StatementItemState.STATED, text: { ja: 'APEC/Global CBPR認証の取得', en: 'APEC / Global CBPR certification' } }
        : f.basis === 'EQUIVALENT_MEASURES_CONTRACT'
          ? { state: StatementItemState.STATED, text: { ja: '提供先との契約の締結', en: 'A contract with the recipient' } }
          : null,
    measuresOutline: stated(f.measuresOutline),
    checkFrequencyAndMethod: hasText(check?.method ?? null)
      ? {
          state: StatementItemState.STATED,
          text: {
            ja: `${check?.frequencyMonths ? `${check.frequencyMonths}か月ごと、` : ''}${check?.method?.ja ?? ''}` || undefined,
            en: `${check?.frequencyMonths ? `Every ${check.frequencyMonths} months: ` : ''}${check?.method?.en ?? ''}` || undefined,
          } as Localized,
        }
      : null,
    countryName: countryName(f.country, 'ja')
      ? { state: StatementItemState.STATED, text: { ja: countryName(f.country, 'ja'), en: countryName(f.country, 'en') } as Localized }
      : null,
    regime: stated(f.impediments) ?? stated(assessmentImpediments),
    impediments: stated(f.implementationProblems),
    impedimentMeasures: stated(f.impedimentResponse),
  };
  const out = {} as Record<ItemKey, Item>;
  for (const k of ITEM_KEYS) {
    const r = recorded[k];
    out[k] =
      r?.state && r.state !== StatementItemState.NOT_RECORDED
        ? { state: r.state, text: r.text ?? null }
        : derived[k] ?? { state: StatementItemState.NOT_RECORDED, text: r?.text ?? null };
  }
  return out;
}

/** An item counts as a measure only when stated; a published "none" is not a measure. */
export const isStated = (i: Item | undefined) => i?.state === StatementItemState.STATED;

export function itemText(i: Item, lang: 'ja' | 'en'): string {
  const t = pickMarked(i.text, lang);
  if (i.state === StatementItemState.NOT_RECORDED) return enumLabel(STATEMENT_ITEM_STATE, i.state, lang);
  if (i.state === StatementItemState.NONE) return t || enumLabel(STATEMENT_ITEM_STATE, i.state, lang);
  return t;
}
