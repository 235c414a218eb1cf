import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import type { Row } from '../graphql/loaders.js';
import { LocalizedText } from '../graphql/localized-text.js';
import { countryName } from '../graphql/validators.js';
import { StorageLocation } from './storage-location.entity.js';
import { CountryAssessment } from './country-assessment.entity.js';
import { ForeignTransfer } from '../parties/foreign-transfer.entity.js';

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


@Resolver(() => StorageLocation)
export class StorageLocationFields {
  @FieldResolver(() => CountryAssessment, { nullable: true, description: "The assessment of the servers' country." })
  assessment(@Root() r: Row, @Ctx() ctx: Context) {
    return assessmentFor(ctx, r.country);
  }

  @FieldResolver(() => LocalizedText, { nullable: true })
  countryName(@Root() r: Row) {
    return localizedCountry(r.country);
  }
}

@Resolver(() => ForeignTransfer)
export class ForeignTransferFields {
  @FieldResolver(() => CountryAssessment, { nullable: true, description: "The assessment of the recipient's country." })
  assessment(@Root() r: Row, @Ctx() ctx: Context) {
    return assessmentFor(ctx, r.country);
  }

  @FieldResolver(() => LocalizedText, { nullable: true })
  countryName(@Root() r: Row) {
    return localizedCountry(r.country);
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
  @FieldResolver(() => LocalizedText, { nullable: true })
  countryName(@Root() r: Row) {
    return localizedCountry(r.country);
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

