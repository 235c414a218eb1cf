import { Arg, Ctx, Field, FieldResolver, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import type { Row } from '../graphql/loaders.js';
import { LocalizedText } from '../graphql/localized-text.js';
import { countryName } from '../graphql/validators.js';
import { StorageLocation } from './storage-location.entity.js';
import { CountryAssessment } from './country-assessment.entity.js';
import { ForeignTransfer } from '../parties/foreign-transfer.entity.js';
import { COUNTRY_FACTS, CountryFact, CountryReference, effectiveFact } from './country-reference.js';
import { Art28InformationType, renderTransferArt28, type TransferArt28Input } from '../parties/transfer-art28.js';
import { ReportLanguage } from '../requests/request.types.js';

function referenceFor(ctx: Context, country: unknown): Promise<Row | null> | null {
  if (typeof country !== 'string') return null;
  return ctx.loaders
    .byString<Row | null>('countryReference', async (codes) => {
      const m = ctx.loaders.model;
      const rows = await ctx.loaders.query(`select ${m.select('CountryReference')} from ${m.table('CountryReference')} t where t."country" = any(?)`, [codes]);
      const byCode = new Map(rows.map((r) => [r.country as string, r]));
      return codes.map((c) => byCode.get(c) ?? null);
    })
    .load(country);
}

@ObjectType({ simpleResolvers: true, description: "A country's indicators as they hold: the assessment's own answer, else the reference data's, else UNKNOWN." })
export class CountryFacts {
  @Field(() => CountryFact) appiDesignation!: CountryFact;
  @Field(() => CountryFact) euAdequacyDecision!: CountryFact;
  @Field(() => CountryFact) cbprParticipation!: CountryFact;
}

async function factsOf(ctx: Context, r: Row): Promise<CountryFacts> {
  const ref = await referenceFor(ctx, r.country);
  return Object.fromEntries(COUNTRY_FACTS.map((k) => [k, effectiveFact(r[k], ref?.[k])])) as unknown as CountryFacts;
}

function assessmentFor(ctx: Context, country: unknown): Promise<Row | null> | null {
  if (typeof country !== 'string') return null;
  return ctx.loaders
    .byString<Row | null>('assessmentByCountry', async (codes) => {
      const m = ctx.loaders.model;
      const rows = await ctx.loaders.query(`select ${m.select('CountryAssessment')} from ${m.table('CountryAssessment')} t where t."country" = any(?) and t."archived_at" is null`, [codes]);
      const byCode = new Map(rows.map((r) => [r.country as string, r]));
      return codes.map((c) => byCode.get(c) ?? null);
    })
    .load(country);
}

function localizedCountry(code: unknown): LocalizedText | null {
  if (typeof code !== 'string') return null;
  return { ja: countryName(code, 'ja') ?? null, en: countryName(code, 'en') ?? null };
}

/** The reference data's name, else the ISO name; the notice's own spelling is `publishedName`. */
async function referenceName(ctx: Context, code: unknown): Promise<LocalizedText | null> {
  const ref = await referenceFor(ctx, code);
  return (ref?.name as LocalizedText | undefined) ?? localizedCountry(code);
}


@Resolver(() => StorageLocation)
export class StorageLocationFields {
  @FieldResolver(() => CountryAssessment, { nullable: true, description: "The assessment of the servers' country." })
  assessment(@Root() r: Row, @Ctx() ctx: Context) {
    return assessmentFor(ctx, r.country);
  }

  @FieldResolver(() => LocalizedText, { nullable: true })
  countryName(@Root() r: Row, @Ctx() ctx: Context) {
    return referenceName(ctx, r.country);
  }
}

@Resolver(() => ForeignTransfer)
export class ForeignTransferFields {
  @FieldResolver(() => CountryAssessment, { nullable: true, description: "The assessment of the recipient's country." })
  assessment(@Root() r: Row, @Ctx() ctx: Context) {
    return assessmentFor(ctx, r.country);
  }

  @FieldResolver(() => LocalizedText, { nullable: true, description: 'The reference name of the country (the name as published is consentInformation.countryName).' })
  countryName(@Root() r: Row, @Ctx() ctx: Context) {
    return referenceName(ctx, r.country);
  }

  @FieldResolver(() => Art28InformationType, { description: 'The Art. 28(2) information as the outputs print it, with what is missing.' })
  async art28Information(@Root() r: Row, @Arg('language', () => ReportLanguage, { defaultValue: ReportLanguage.JA }) language: ReportLanguage, @Ctx() ctx: Context) {
    const [assessment, reference] = await Promise.all([assessmentFor(ctx, r.country), referenceFor(ctx, r.country)]);
    return renderTransferArt28({ ...(r as unknown as TransferArt28Input), assessment: assessment as TransferArt28Input['assessment'], reference: reference as TransferArt28Input['reference'] }, language === ReportLanguage.JA ? 'ja' : 'en');
  }

  @FieldResolver(() => Int, { description: 'How many contract clauses are recorded.' })
  contractClauseCount(@Root() r: Row) {
    return ((r.contractClauses as unknown[] | null) ?? []).length;
  }

  @FieldResolver(() => CountryReference, { nullable: true, description: "The reference data of the recipient's country." })
  countryReference(@Root() r: Row, @Ctx() ctx: Context) {
    return referenceFor(ctx, r.country);
  }
}

/** Live rows of `entityName` whose `country` is one of the keys, grouped by country. */
function byCountry(ctx: Context, entityName: string, country: unknown): Promise<Row[]> | [] {
  if (typeof country !== 'string') return [];
  return ctx.loaders
    .byString<Row[]>(`${entityName}ByCountry`, async (codes) => {
      const m = ctx.loaders.model;
      const rows = await ctx.loaders.query(`select ${m.select(entityName)} from ${m.table(entityName)} t where t."country" = any(?) and t."archived_at" is null order by t."id"`, [codes]);
      return codes.map((c) => rows.filter((r) => r.country === c));
    })
    .load(country);
}

@Resolver(() => CountryAssessment)
export class CountryAssessmentFields {
  @FieldResolver(() => LocalizedText, { nullable: true, description: 'The reference name of the country; the notice\'s own spelling is publishedName.' })
  countryName(@Root() r: Row, @Ctx() ctx: Context) {
    return referenceName(ctx, r.country);
  }

  @FieldResolver(() => CountryReference, { nullable: true, description: 'The reference data shipped with Kiroku or imported, with its as-of date.' })
  reference(@Root() r: Row, @Ctx() ctx: Context) {
    return referenceFor(ctx, r.country);
  }

  @FieldResolver(() => CountryFacts, { description: 'The indicators as they hold: the assessment\'s answer, else the reference data\'s.' })
  effectiveFacts(@Root() r: Row, @Ctx() ctx: Context) {
    return factsOf(ctx, r);
  }

  @FieldResolver(() => Boolean, { deprecationReason: 'use appiDesignation / effectiveFacts (YES, NO, UNKNOWN)' })
  async appiAdequate(@Root() r: Row, @Ctx() ctx: Context) {
    return (await factsOf(ctx, r)).appiDesignation === CountryFact.YES;
  }

  @FieldResolver(() => Boolean, { deprecationReason: 'use euAdequacyDecision / effectiveFacts (YES, NO, UNKNOWN)' })
  async euAdequacy(@Root() r: Row, @Ctx() ctx: Context) {
    return (await factsOf(ctx, r)).euAdequacyDecision === CountryFact.YES;
  }

  @FieldResolver(() => Boolean, { deprecationReason: 'use cbprParticipation / effectiveFacts (YES, NO, UNKNOWN)' })
  async cbpr(@Root() r: Row, @Ctx() ctx: Context) {
    return (await factsOf(ctx, r)).cbprParticipation === CountryFact.YES;
  }

  @FieldResolver(() => Int, { description: 'How many government-access laws are recorded.' })
  governmentAccessLawCount(@Root() r: Row) {
    return ((r.governmentAccessLaws as unknown[] | null) ?? []).length;
  }

  @FieldResolver(() => [StorageLocation], { description: 'Storage locations whose servers are in this country.' })
  storageLocations(@Root() r: Row, @Ctx() ctx: Context) {
    return byCountry(ctx, 'StorageLocation', r.country);
  }

  @FieldResolver(() => [ForeignTransfer], { description: 'Foreign transfers to recipients in this country.' })
  foreignTransfers(@Root() r: Row, @Ctx() ctx: Context) {
    return byCountry(ctx, 'ForeignTransfer', r.country);
  }
}


@Resolver()
export class CountryReferenceQueries {
  @Query(() => [CountryReference], { description: 'The country reference data (shipped with Kiroku, updated by `kiroku countries import`), by country code; each row has its as-of date.' })
  countryReferences(@Arg('countries', () => [String], { nullable: true, description: 'Only these ISO codes.' }) countries: string[] | undefined, @Ctx() ctx: Context) {
    const m = ctx.loaders.model;
    return countries
      ? ctx.loaders.query(`select ${m.select('CountryReference')} from ${m.table('CountryReference')} t where t."country" = any(?) order by t."country"`, [countries])
      : ctx.loaders.query(`select ${m.select('CountryReference')} from ${m.table('CountryReference')} t order by t."country"`);
  }
}
