import fs from 'node:fs/promises';
import path from 'node:path';
import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Ajv } from 'ajv';
import { repoRoot } from '../config.js';
import { LocalizedText, type Localized } from '../graphql/localized-text.js';
import { LocalDate } from '../graphql/scalars.js';
import { isAllowedUrl } from '../graphql/validators.js';

/**
 * A fact a notice or an assessment may leave unstated: "not stated" must never read as "no"
 * (a country whose CBPR participation nobody checked is not a country outside the CBPR).
 */
export enum CountryFact {
  YES = 'YES',
  NO = 'NO',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(CountryFact, { name: 'CountryFact', description: 'YES, NO, or UNKNOWN when nobody has established it (never read as NO).' });

export const COUNTRY_FACT_LABELS: Record<CountryFact, { ja: string; en: string }> = {
  YES: { ja: 'あり', en: 'yes' },
  NO: { ja: 'なし', en: 'no' },
  UNKNOWN: { ja: '不明', en: 'unknown' },
};

/** The three indicators a country carries, named as the assessment and the reference data name them. */
export const COUNTRY_FACTS = ['appiDesignation', 'euAdequacyDecision', 'cbprParticipation'] as const;
export type CountryFactKey = (typeof COUNTRY_FACTS)[number];

export const COUNTRY_FACT_NAMES: Record<CountryFactKey, { ja: string; en: string }> = {
  appiDesignation: { ja: '我が国と同等の水準にあると認められる個人情報保護制度を有する外国としての指定（規則第15条）', en: 'Designated by the PPC as having an equivalent system (APPI Art. 28(1))' },
  euAdequacyDecision: { ja: 'EUの十分性認定（GDPR第45条）', en: 'EU adequacy decision (GDPR Art. 45)' },
  cbprParticipation: { ja: 'APEC CBPRシステムへの加盟', en: 'Participation in the APEC CBPR system' },
};

/**
 * Country facts shipped with Kiroku (server/reference/countries.json) or imported since, each with
 * the as-of date of the file it came from. Not an inventory record: no API writes it, only an import.
 */
@ObjectType({ simpleResolvers: true, description: 'Reference facts about a country, shipped with Kiroku or imported (`kiroku countries import`), as of a date.' })
@Entity()
export class CountryReference {
  @Field({ description: 'ISO 3166-1 alpha-2.' })
  @PrimaryKey({ length: 2 })
  country!: string;

  @Field(() => LocalizedText)
  @Property({ type: 'json' })
  name!: LocalizedText;

  @Field(() => CountryFact)
  @Enum({ items: () => CountryFact, default: CountryFact.UNKNOWN })
  appiDesignation: CountryFact = CountryFact.UNKNOWN;

  @Field(() => CountryFact)
  @Enum({ items: () => CountryFact, default: CountryFact.UNKNOWN })
  euAdequacyDecision: CountryFact = CountryFact.UNKNOWN;

  @Field(() => CountryFact)
  @Enum({ items: () => CountryFact, default: CountryFact.UNKNOWN })
  cbprParticipation: CountryFact = CountryFact.UNKNOWN;

  @Field(() => String, { nullable: true, description: "Where the PPC publishes its report on the country's system (https)." })
  @Property({ type: 'text', nullable: true })
  ppcReportUrl?: string | null;

  @Field(() => LocalizedText, { nullable: true })
  @Property({ type: 'json', nullable: true })
  note?: LocalizedText | null;

  @Field(() => LocalDate, { description: 'The date the facts were true of, as the file giving them says.' })
  @Property({ type: 'date' })
  asOf!: string;
}

export interface CountryReferenceFile {
  asOf: string;
  source?: string;
  countries: Array<{ country: string; name: Localized; appiDesignation?: CountryFact; euAdequacyDecision?: CountryFact; cbprParticipation?: CountryFact; ppcReportUrl?: string | null; note?: Localized | null }>;
}

export const SHIPPED_COUNTRIES_FILE = path.join(repoRoot, 'server/reference/countries.json');

const text = { type: 'object', additionalProperties: false, properties: { ja: { type: 'string', minLength: 1 }, en: { type: 'string', minLength: 1 } }, anyOf: [{ required: ['ja'] }, { required: ['en'] }] };
const fact = { enum: Object.values(CountryFact) };
const FILE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['asOf', 'countries'],
  properties: {
    asOf: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    source: { type: 'string' },
    countries: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['country', 'name'],
        properties: {
          country: { type: 'string', pattern: '^[A-Z]{2}$' },
          name: text,
          appiDesignation: fact,
          euAdequacyDecision: fact,
          cbprParticipation: fact,
          ppcReportUrl: { anyOf: [{ type: 'string', format: 'https-url' }, { type: 'null' }] },
          note: { anyOf: [text, { type: 'null' }] },
        },
      },
    },
  },
};

// Compiled on first use: only an import of a reference file needs it, and compiling (with Ajv's
// meta-schema) is 50 ms of every server start otherwise.
let compiled: ReturnType<Ajv['compile']> | undefined;
const validator = () => (compiled ??= new Ajv({ allErrors: true, strict: false }).addFormat('https-url', { type: 'string', validate: isAllowedUrl }).compile(FILE_SCHEMA));

/** The problems of a reference file, each with its JSON path; empty when it can be imported. */
export function countryFileProblems(data: unknown): Array<{ path: string; message: string }> {
  const validate = validator();
  const problems = validate(data) ? [] : (validate.errors ?? []).filter((e) => e.keyword !== 'anyOf').map((e) => ({ path: e.instancePath || '/', message: e.message ?? 'invalid' }));
  const file = data as CountryReferenceFile;
  if (!problems.length) {
    const seen = new Set<string>();
    file.countries.forEach((c, i) => {
      if (seen.has(c.country)) problems.push({ path: `/countries/${i}/country`, message: `${c.country} is listed twice` });
      seen.add(c.country);
    });
    if (Number.isNaN(Date.parse(file.asOf))) problems.push({ path: '/asOf', message: 'not a date' });
  }
  return problems;
}

export class CountryFileError extends Error {
  constructor(readonly problems: Array<{ path: string; message: string }>) {
    super(`the country reference file is refused:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`);
  }
}

interface Sql { execute(sql: string, params?: unknown[]): Promise<unknown> }

/**
 * Upserts every country of the file, all or nothing (one statement). A file older than what is stored
 * for a country does not overwrite it, so an old file never undoes a newer import; countries the file
 * does not list keep their rows. `onlyNewer` also leaves rows of the same date alone (the boot's pass).
 */
export async function importCountryReference(sql: Sql, data: unknown, opts: { onlyNewer?: boolean } = {}): Promise<{ upserted: number; skippedOlder: number }> {
  const problems = countryFileProblems(data);
  if (problems.length) throw new CountryFileError(problems);
  const file = data as CountryReferenceFile;
  const c = file.countries;
  const rows = (await sql.execute(
    `with input as (select * from jsonb_to_recordset(?::jsonb) as x("country" text, "name" jsonb, "appiDesignation" text, "euAdequacyDecision" text, "cbprParticipation" text, "ppcReportUrl" text, "note" jsonb))
     insert into "country_reference" ("country", "name", "appi_designation", "eu_adequacy_decision", "cbpr_participation", "ppc_report_url", "note", "as_of")
     select "country", "name", coalesce("appiDesignation", 'UNKNOWN'), coalesce("euAdequacyDecision", 'UNKNOWN'), coalesce("cbprParticipation", 'UNKNOWN'), "ppcReportUrl", "note", ?::date from input
     on conflict ("country") do update set "name" = excluded."name", "appi_designation" = excluded."appi_designation", "eu_adequacy_decision" = excluded."eu_adequacy_decision",
       "cbpr_participation" = excluded."cbpr_participation", "ppc_report_url" = excluded."ppc_report_url", "note" = excluded."note", "as_of" = excluded."as_of"
     where "country_reference"."as_of" ${opts.onlyNewer ? '<' : '<='} excluded."as_of"
     returning "country"`,
    [JSON.stringify(c), file.asOf],
  )) as unknown[];
  return { upserted: rows.length, skippedOlder: c.length - rows.length };
}

export async function readCountryFile(file: string): Promise<unknown> {
  return JSON.parse(await fs.readFile(file, 'utf8'));
}

/** The shipped file, applied where it is newer than what the database holds (after an upgrade). */
export async function applyShippedCountries(sql: Sql): Promise<void> {
  const data = (await readCountryFile(SHIPPED_COUNTRIES_FILE)) as Partial<CountryReferenceFile>;
  // Most starts find every country of the file held at its date or later: nothing to check or write
  // (checking the file compiles its schema, 50 ms of a start).
  if (Array.isArray(data.countries) && typeof data.asOf === 'string') {
    const codes = data.countries.map((c) => c?.country);
    const [{ held }] = (await sql.execute(`select count(*)::int as "held" from "country_reference" where "country" in (select jsonb_array_elements_text(?::jsonb)) and "as_of" >= ?::date`, [JSON.stringify(codes), data.asOf])) as Array<{ held: number }>;
    if (held === new Set(codes).size) return;
  }
  await importCountryReference(sql, data, { onlyNewer: true });
}

/** The fact that holds: the assessment's own when it states one, else the reference data's. */
export function effectiveFact(own: unknown, reference: unknown): CountryFact {
  if (own === CountryFact.YES || own === CountryFact.NO) return own;
  if (reference === CountryFact.YES || reference === CountryFact.NO) return reference;
  return CountryFact.UNKNOWN;
}
