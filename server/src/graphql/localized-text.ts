import { Field, InputType, ObjectType } from 'type-graphql';
import { IsOptional, IsString, registerDecorator } from 'class-validator';
import { DEFAULT_MAX_CHARS, MaxChars } from './input-limits.js';

/** A text as a notice shows it, in Japanese and English; at least one is present where required. */
export interface Localized {
  ja?: string | null;
  en?: string | null;
}

/** One class serves as output and input type, so that both stay the same shape. */
@ObjectType({ simpleResolvers: true, description: 'A text in Japanese and English, as the notice shows it.' })
@InputType('LocalizedTextInput', { description: 'A text in Japanese and English.' })
export class LocalizedText implements Localized {
  @Field(() => String, { nullable: true, description: 'Japanese (verbatim where the source is Japanese).' })
  @IsOptional()
  @IsString()
  @MaxChars(DEFAULT_MAX_CHARS)
  ja?: string | null;

  @Field(() => String, { nullable: true, description: 'English.' })
  @IsOptional()
  @IsString()
  @MaxChars(DEFAULT_MAX_CHARS)
  en?: string | null;
}

/** The text in the wanted language, the other one when it is missing, '' when there is none. */
export function pick(l: unknown, language: 'JA' | 'EN' | 'ja' | 'en'): string {
  const v = l as Localized | null | undefined;
  return (language.toLowerCase() === 'ja' ? v?.ja ?? v?.en : v?.en ?? v?.ja) ?? '';
}

/**
 * For generated documents: the text in the wanted language; when the inventory has it only in the
 * other language, that text with a mark saying so (「（英語のみ）」, "(Japanese only)"), so a reader
 * never takes one language for a translation into the other. '' when there is none.
 */
export function pickMarked(l: unknown, language: 'JA' | 'EN' | 'ja' | 'en'): string {
  const v = l as Localized | null | undefined;
  const ja = language.toLowerCase() === 'ja';
  const own = (ja ? v?.ja : v?.en)?.trim();
  if (own) return own;
  const other = (ja ? v?.en : v?.ja)?.trim();
  if (!other) return '';
  return ja ? `${other}（英語のみ）` : `${other} (Japanese only)`;
}

export function hasText(t: Localized | null | undefined): boolean {
  return !!t && (!!t.ja?.trim() || !!t.en?.trim());
}

/** A required localized text must have a Japanese or an English text, not only an empty object. */
export function HasText(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'hasText',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property needs a Japanese or an English text' },
      validator: { validate: (v: unknown) => hasText(v as Localized) },
    });
}
