import { Arg, Ctx, Field, ID, Int, ObjectType, Query, registerEnumType, Resolver } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import type { Row } from '../graphql/loaders.js';
import { LocalizedText } from '../graphql/localized-text.js';
import { LocalDate } from '../graphql/scalars.js';
import { pivot } from '../graphql/sql-fragments.js';
import { settings } from '../graphql/settings.js';
import { countryName, isCountryCode } from '../graphql/validators.js';
import { badInput } from '../graphql/errors.js';
import { ForeignTransferBasis } from '../graphql/enums.js';
import { HOME_COUNTRY } from '../config.js';
import { CountryAssessment } from './country-assessment.entity.js';
import { StorageLocation } from './storage-location.entity.js';
import { ForeignTransfer } from '../parties/foreign-transfer.entity.js';

export enum TransferCountryState {
  ASSESSED = 'ASSESSED',
  STALE = 'STALE',
  MISSING = 'MISSING',
}
registerEnumType(TransferCountryState, {
  name: 'TransferCountryState',
  description: 'Where the APPI Art. 28 assessment of a foreign country stands (外的環境の把握).',
  valuesConfig: {
    ASSESSED: { description: 'A current country assessment: reviewed within the review interval, and the reference data has not changed since.' },
    STALE: { description: 'An assessment exists but is out of date (see staleReasons).' },
    MISSING: { description: 'Data goes there (a transfer or a storage location) but the country has no assessment.' },
  },
});

export enum AssessmentStaleReason {
  NEVER_REVIEWED = 'NEVER_REVIEWED',
  REVIEW_OVERDUE = 'REVIEW_OVERDUE',
  REFERENCE_CHANGED = 'REFERENCE_CHANGED',
}
registerEnumType(AssessmentStaleReason, {
  name: 'AssessmentStaleReason',
  description: 'Why a country assessment is out of date.',
  valuesConfig: {
    NEVER_REVIEWED: { description: 'The assessment has no review date.' },
    REVIEW_OVERDUE: { description: 'Last reviewed longer ago than the review interval (KIROKU_ASSESSMENT_MAX_AGE_DAYS).' },
    REFERENCE_CHANGED: { description: "The country's reference data is dated after the last review." },
  },
});

@ObjectType({ simpleResolvers: true, description: 'A line of the transfer map: from the home country to a destination, for one transfer basis.' })
export class TransferMapArc {
  @Field() country!: string;
  @Field(() => ForeignTransferBasis) basis!: ForeignTransferBasis;
  @Field(() => Int, { description: 'How many transfers to this country have this basis.' }) transfers!: number;
}

@ObjectType({ description: 'A foreign country data goes to (a recipient there, or servers there), with the state of its assessment.' })
export class TransferMapCountry {
  @Field({ description: 'ISO 3166-1 alpha-2.' }) code!: string;
  @Field(() => LocalizedText, { description: "The reference data's name, else the ISO name." }) name!: LocalizedText;
  @Field(() => TransferCountryState) state!: TransferCountryState;
  @Field(() => [AssessmentStaleReason], { description: 'Empty unless the state is STALE.' }) staleReasons!: AssessmentStaleReason[];
  @Field(() => LocalDate, { nullable: true, description: 'When the assessment is due for review (last review + the review interval).' }) reviewDue!: string | null;
  @Field({ description: 'Special-care-required data (要配慮個人情報) goes there: a transfer of it, or a storage location holding it.' }) specialCare!: boolean;
  @Field(() => CountryAssessment, { nullable: true }) assessment!: Row | null;
  @Field(() => [ForeignTransfer], { description: 'Transfers to recipients in this country (those the basis filter keeps), in notice order.' }) transfers!: Row[];
  @Field(() => [ID], { description: 'Of transfers, those carrying special-care data (their own data categories, else their activities\').' }) specialCareTransferIds!: string[];
  @Field(() => [StorageLocation], { description: 'Storage locations whose servers are in this country.' }) storageLocations!: Row[];
}

@ObjectType({ description: 'Foreign transfers and storage abroad by country, for a map: the home country, each foreign country with its Art. 28 state, and the lines between them.' })
export class TransferMap {
  @Field({ description: "The organization's country (Organization.country), where the lines start." }) homeCountry!: string;
  @Field(() => LocalizedText) homeCountryName!: LocalizedText;
  @Field(() => [TransferMapCountry], { description: 'By ISO code.' }) countries!: TransferMapCountry[];
  @Field(() => [TransferMapArc], { description: 'One per destination and basis, by country then basis.' }) arcs!: TransferMapArc[];
}

const DAY = 86_400_000;

function isoName(code: string): LocalizedText {
  return { ja: countryName(code, 'ja') ?? code, en: countryName(code, 'en') ?? code };
}

/**
 * The map in five statements whatever the inventory's size: the home country, the transfers and
 * the storage locations abroad (each with whether special-care data goes with it), then the
 * assessments and reference data of the countries found.
 */
export async function transferMap(ctx: Context, filter: { basis?: ForeignTransferBasis[] | null; states?: TransferCountryState[] | null; countries?: string[] | null }): Promise<TransferMap> {
  const m = ctx.loaders.model;
  const [org] = await ctx.loaders.query<{ country: string }>(`select t."country" from ${m.table('Organization')} t where t."archived_at" is null order by t."id" limit 1`);
  const home = org?.country ?? HOME_COUNTRY;
  const special = (table: string, own: string, other: string, key: string) =>
    `exists (select 1 from ${table} x join "data_category" c on c."id" = x.${other} where x.${own} = ${key} and c."kind" = 'SPECIAL_CARE')`;
  const ftc = pivot(m, 'ForeignTransfer', 'dataCategories');
  const aft = pivot(m, 'ProcessingActivity', 'foreignTransfers');
  const adc = pivot(m, 'ProcessingActivity', 'dataCategories');
  const asl = pivot(m, 'ProcessingActivity', 'storageLocations');
  const fdc = pivot(m, 'DatasetField', 'dataCategories');
  const basis = filter.basis?.length ? filter.basis : null;
  // A transfer that names no data categories of its own carries those of its activities (as the audit reads it).
  const [transfers, locations] = await Promise.all([
    ctx.loaders.query(
      `select ${m.select('ForeignTransfer')}, (${special(ftc.table, ftc.own, ftc.other, 't."id"')}
          or (not exists (select 1 from ${ftc.table} y where y.${ftc.own} = t."id")
              and exists (select 1 from ${aft.table} a join ${m.table('ProcessingActivity')} p on p."id" = a.${aft.own} and p."archived_at" is null
                          where a.${aft.other} = t."id" and ${special(adc.table, adc.own, adc.other, 'p."id"')}))) as "__special"
         from ${m.table('ForeignTransfer')} t where t."archived_at" is null and t."country" <> ? ${basis ? 'and t."basis" = any(?)' : ''}
         order by ${m.order('ForeignTransfer')}`,
      basis ? [home, basis] : [home],
    ),
    ctx.loaders.query(
      `select ${m.select('StorageLocation')}, (
          exists (select 1 from ${m.table('Dataset')} d join ${m.table('DatasetField')} f on f."dataset_id" = d."id" and f."archived_at" is null
                  where d."storage_location_id" = t."id" and d."archived_at" is null and ${special(fdc.table, fdc.own, fdc.other, 'f."id"')})
          or exists (select 1 from ${asl.table} a join ${m.table('ProcessingActivity')} p on p."id" = a.${asl.own} and p."archived_at" is null
                     where a.${asl.other} = t."id" and ${special(adc.table, adc.own, adc.other, 'p."id"')})) as "__special"
         from ${m.table('StorageLocation')} t where t."archived_at" is null and t."country" <> ?
         order by ${m.order('StorageLocation')}`,
      [home],
    ),
  ]);
  // With a basis filter the map answers "where do transfers on this basis go": storage alone does not place a country on it.
  const codes = [...new Set([...transfers.map((t) => String(t.country)), ...(basis ? [] : locations.map((l) => String(l.country)))])]
    .filter((c) => !filter.countries?.length || filter.countries.includes(c))
    .sort();
  const [assessments, references] = await Promise.all([
    ctx.loaders.query(`select ${m.select('CountryAssessment')} from ${m.table('CountryAssessment')} t where t."archived_at" is null and t."country" = any(?)`, [codes]),
    ctx.loaders.query<{ country: string; name: LocalizedText; asOf: string }>(
      `select t."country", t."name", t."as_of" as "asOf" from ${m.table('CountryReference')} t where t."country" = any(?)`,
      [[...codes, home]],
    ),
  ]);
  const assessmentOf = new Map(assessments.map((a) => [String(a.country), a]));
  const referenceOf = new Map(references.map((r) => [r.country, r]));
  const nameOf = (code: string) => referenceOf.get(code)?.name ?? isoName(code);
  const { assessmentMaxAgeDays } = settings();
  const today = new Date().toISOString().slice(0, 10);
  const countries: TransferMapCountry[] = [];
  for (const code of codes) {
    const assessment = assessmentOf.get(code) ?? null;
    const reviewedAt = (assessment?.reviewedAt as string | null | undefined) ?? null;
    const reviewDue = reviewedAt ? new Date(Date.parse(`${reviewedAt}T00:00:00Z`) + assessmentMaxAgeDays * DAY).toISOString().slice(0, 10) : null;
    const staleReasons: AssessmentStaleReason[] = [];
    if (assessment) {
      if (!reviewedAt) staleReasons.push(AssessmentStaleReason.NEVER_REVIEWED);
      else if (reviewDue! < today) staleReasons.push(AssessmentStaleReason.REVIEW_OVERDUE);
      const refAsOf = referenceOf.get(code)?.asOf;
      if (reviewedAt && refAsOf && refAsOf > reviewedAt) staleReasons.push(AssessmentStaleReason.REFERENCE_CHANGED);
    }
    const state = !assessment ? TransferCountryState.MISSING : staleReasons.length ? TransferCountryState.STALE : TransferCountryState.ASSESSED;
    if (filter.states?.length && !filter.states.includes(state)) continue;
    const mine = transfers.filter((t) => t.country === code);
    const stored = locations.filter((l) => l.country === code);
    const specialCareTransferIds = mine.filter((t) => t.__special).map((t) => String(t.id));
    countries.push({
      code, name: nameOf(code), state, staleReasons, reviewDue, assessment, transfers: mine, specialCareTransferIds, storageLocations: stored,
      specialCare: specialCareTransferIds.length > 0 || stored.some((l) => l.__special),
    });
  }
  const arcs: TransferMapArc[] = [];
  for (const c of countries) {
    const byBasis = new Map<ForeignTransferBasis, number>();
    for (const t of c.transfers) byBasis.set(t.basis as ForeignTransferBasis, (byBasis.get(t.basis as ForeignTransferBasis) ?? 0) + 1);
    for (const [b, n] of [...byBasis].sort(([a], [b]) => a.localeCompare(b))) arcs.push({ country: c.code, basis: b, transfers: n });
  }
  return { homeCountry: home, homeCountryName: nameOf(home), countries, arcs };
}

@Resolver()
export class TransferMapQueries {
  @Query(() => TransferMap, {
    description: 'Where personal data goes abroad, by country: each foreign country with a transfer to a recipient there or servers there, the state of its Art. 28 assessment (assessed, stale, missing), whether special-care data goes there, and one line from the home country per destination and transfer basis.',
  })
  transferMap(
    @Arg('basis', () => [ForeignTransferBasis], { nullable: true, description: 'Only transfers on these bases, and only the countries they go to.' }) basis: ForeignTransferBasis[] | undefined,
    @Arg('states', () => [TransferCountryState], { nullable: true, description: 'Only countries in these states.' }) states: TransferCountryState[] | undefined,
    @Arg('countries', () => [String], { nullable: true, description: 'Only these ISO codes (a country panel).' }) countries: string[] | undefined,
    @Ctx() ctx: Context,
  ): Promise<TransferMap> {
    const bad = (countries ?? []).flatMap((c, i) => (isCountryCode(c) ? [] : [{ path: `countries.${i}`, message: 'must be an ISO 3166-1 alpha-2 country code (e.g. JP, US)' }]));
    if (bad.length) throw badInput(bad);
    return transferMap(ctx, { basis, states, countries });
  }
}
