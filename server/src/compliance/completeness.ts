import { Arg, Ctx, Field, FieldResolver, Int, ObjectType, Resolver, Root } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { Framework } from '../graphql/enums.js';
import type { Row } from '../graphql/loaders.js';
import { ProcessingActivity } from '../inventory/processing-activity.entity.js';
import { ReportLanguage } from '../requests/request.types.js';
import { forFramework, gapChecks, resolveRows, type ResolvedRow, type RopaRole } from './ropa.js';

@ObjectType({ simpleResolvers: true, description: 'An item the record lacks.' })
export class MissingItem {
  @Field({ description: 'The item (PURPOSE, RETENTION, FOREIGN_ROUTE, …); an item may be missing more than once (one per processor, recipient or transfer concerned).' }) code!: string;
  @Field(() => Framework, { description: 'The framework whose record asks for it (APPI items include the PPC data-mapping toolkit items).' }) framework!: Framework;
  @Field({ description: 'Whether the law asks for it (false: a PPC data-mapping toolkit item, good practice).' }) law!: boolean;
  en!: string;
  ja!: string;
}

@ObjectType({ simpleResolvers: true, description: 'How complete the record is: the PPC data-mapping toolkit items, and the GDPR Art. 30 columns where GDPR applies.' })
export class Completeness {
  @Field(() => Int, { description: '0–100: the share of the items that apply to this record and are filled in.' }) score!: number;
  @Field(() => [MissingItem]) missing!: MissingItem[];
}

/**
 * The items are the RoPA's gap checks (compliance/ropa.ts), so the register's score and the
 * export's gap column cannot disagree. An item counts once whatever the number of its gaps.
 */
export function completenessOf(r: ResolvedRow, en: ResolvedRow): Completeness {
  const role = String(r.activity.role) as RopaRole;
  const frameworks = r.gdprApplies ? (['APPI', 'GDPR'] as const) : (['APPI'] as const);
  let applicable = 0;
  let complete = 0;
  const missing: MissingItem[] = [];
  for (const fw of frameworks) {
    const row = forFramework(r.row, fw);
    const enRow = forFramework(en.row, fw);
    for (const check of gapChecks(fw, role)) {
      const gaps = check.judge(row, r.facts);
      if (gaps === null) continue;
      applicable++;
      if (gaps.length === 0) complete++;
      // The names a gap quotes (a processor, a recipient) are in each language's own resolution.
      const enGaps = check.judge(enRow, en.facts) ?? [];
      gaps.forEach((g, i) => missing.push({ code: g.code, framework: fw as Framework, law: check.law, en: enGaps[i]?.en ?? g.en, ja: g.ja }));
    }
  }
  return { score: applicable ? Math.floor((100 * complete) / applicable) : 100, missing };
}

@Resolver(() => ProcessingActivity)
export class CompletenessResolver {
  @FieldResolver(() => Completeness, { description: 'What the record lacks, and a score; computed for a page of activities in one batch.' })
  completeness(@Root() a: Row, @Ctx() ctx: Context): Promise<Completeness> {
    return ctx.loaders.custom<Completeness>('activity-completeness', async (ids) => {
      const rows = (await ctx.loaders.byId('ProcessingActivity').loadMany([...ids])).filter((x): x is Row => !!x && !(x instanceof Error));
      // The second resolution reads the relations from the loaders' cache; only the organization and country look-ups run again.
      const [ja, en] = await Promise.all([resolveRows(ctx, rows, 'JA'), resolveRows(ctx, rows, 'EN')]);
      const byId = new Map(ja.map((r, i) => [Number(r.activity.id), completenessOf(r, en[i])]));
      return ids.map((id) => byId.get(id) ?? { score: 0, missing: [] });
    }).load(Number(a.id));
  }
}

@Resolver(() => MissingItem)
export class MissingItemResolver {
  @FieldResolver(() => String, { description: 'What is missing and the article or toolkit item asking for it, in the language asked for (Japanese by default).' })
  label(@Root() m: MissingItem, @Arg('language', () => ReportLanguage, { defaultValue: ReportLanguage.JA }) language: ReportLanguage): string {
    return language === ReportLanguage.EN ? m.en : m.ja;
  }
}
