import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, ArgsType, Ctx, Field, ID, Info, InputType, Int, Query, Resolver } from 'type-graphql';
import { IsOptional, Max, Min } from 'class-validator';
import type { Context } from '../graphql/context.js';
import { idOrNull } from '../graphql/errors.js';
import { connectionType, likePattern, paginate, type ConnectionShape } from '../graphql/connection.js';
import { DATA_CATEGORY_SUBTREE, linkedTo, pivot, textSearch } from '../graphql/sql-fragments.js';
import { ActivityStatus, SubjectRole } from '../graphql/enums.js';
import { ProcessingActivity } from './processing-activity.entity.js';
import { settings } from '../graphql/settings.js';
import type { ReadModel } from '../graphql/loaders.js';

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: 'Page size (default 50, capped).' })
  @IsOptional() @Min(0) @Max(10000)
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge of the previous page.' })
  after?: string | null;
}

@InputType({ description: 'Narrows processing activities; all given conditions must hold.' })
export class ProcessingActivityFilter {
  @Field(() => [ID], { nullable: true }) subjectCategoryIds?: string[];
  @Field(() => [ID], { nullable: true, description: 'Matches these categories and all their descendants.' }) dataCategoryIds?: string[];
  @Field(() => [ID], { nullable: true }) purposeIds?: string[];
  @Field(() => [ID], { nullable: true }) processorIds?: string[];
  @Field(() => [ID], { nullable: true }) legalBasisIds?: string[];
  @Field(() => [ID], { nullable: true, description: 'Activities providing data to one of these third-party recipients.' }) recipientIds?: string[];
  @Field(() => [ID], { nullable: true, description: 'Only these activities (e.g. the rows a page shows, to fetch their heavier fields).' }) ids?: string[];
  @Field(() => [String], { nullable: true, description: 'ISO country codes where the activity stores or sends data (its storage locations, its processors\' and datasets\' locations, its foreign transfers).' })
  countries?: string[];
  @Field(() => ActivityStatus, { nullable: true }) status?: ActivityStatus;
  @Field(() => SubjectRole, { nullable: true }) role?: SubjectRole;
  @Field(() => String, { nullable: true, description: 'Free text over code, name and description, and the text of its purposes and the names and codes of its data and subject categories.' }) search?: string;
  @Field({ defaultValue: false }) includeArchived!: boolean;
}

export const ProcessingActivityConnection = connectionType('ProcessingActivity', ProcessingActivity);

/** Filter ids; one that cannot exist matches nothing. */
export const ids = (xs: string[]) => xs.map((x) => idOrNull(x) ?? -1);

@Resolver()
export class ProcessingActivityQueries {
  @Query(() => ProcessingActivityConnection, { description: 'Records of processing, filtered and paginated.' })
  async processingActivities(
    @Args() page: PageArgs,
    @Arg('filter', () => ProcessingActivityFilter, { nullable: true }) filter: ProcessingActivityFilter | undefined,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConnectionShape> {
    const { where, params } = activityFilterSql(ctx.loaders.model, filter);
    return paginate(ctx, info, 'ProcessingActivity', where, params, page, settings().maxPageSize);
  }
}

/**
 * The conditions (on alias `t`) and their parameters of a `ProcessingActivityFilter`, shared by the
 * list and the data-flow graph so that both always select the same activities.
 */
export function activityFilterSql(m: ReadModel, f: ProcessingActivityFilter | undefined | null): { where: string[]; params: unknown[] } {
    const E = 'ProcessingActivity';
    const where: string[] = [];
    const params: unknown[] = [];
    if (!f?.includeArchived) where.push('t."archived_at" is null');
    if (f?.subjectCategoryIds) { where.push(linkedTo(m, E, 'subjectCategories')); params.push(ids(f.subjectCategoryIds)); }
    if (f?.purposeIds) { where.push(linkedTo(m, E, 'purposes')); params.push(ids(f.purposeIds)); }
    if (f?.processorIds) { where.push(linkedTo(m, E, 'processors')); params.push(ids(f.processorIds)); }
    if (f?.legalBasisIds) { where.push(linkedTo(m, E, 'legalBases')); params.push(ids(f.legalBasisIds)); }
    if (f?.recipientIds) { where.push(linkedTo(m, E, 'recipients')); params.push(ids(f.recipientIds)); }
    if (f?.ids) { where.push('t."id" = any(?)'); params.push(ids(f.ids)); }
    if (f?.dataCategoryIds) {
      const pv = pivot(m, E, 'dataCategories');
      where.push(`exists (select 1 from ${pv.table} x where x.${pv.own} = t."id" and x.${pv.other} in (${DATA_CATEGORY_SUBTREE}))`);
      params.push(ids(f.dataCategoryIds));
    }
    if (f?.countries) {
      const sl = pivot(m, E, 'storageLocations');
      const pr = pivot(m, E, 'processors');
      const ds = pivot(m, 'Dataset', 'activities');
      const ft = pivot(m, E, 'foreignTransfers');
      where.push(`(
        exists (select 1 from ${sl.table} x join "storage_location" s on s."id" = x.${sl.other} where x.${sl.own} = t."id" and s."country" = any(?::text[]))
        or exists (select 1 from ${pr.table} x join "storage_location" s on s."hosting_processor_id" = x.${pr.other} where x.${pr.own} = t."id" and s."country" = any(?::text[]))
        or exists (select 1 from ${ds.table} x join "dataset" d on d."id" = x.${ds.own} join "storage_location" s on s."id" = d."storage_location_id" where x.${ds.other} = t."id" and s."country" = any(?::text[]))
        or exists (select 1 from ${ft.table} x join "foreign_transfer" g on g."id" = x.${ft.other} where x.${ft.own} = t."id" and g."country" = any(?::text[])))`);
      params.push(f.countries, f.countries, f.countries, f.countries);
    }
    if (f?.status) { where.push('t."status" = ?'); params.push(f.status); }
    if (f?.role) { where.push('t."role" = ?'); params.push(f.role); }
    if (f?.search) {
      // People look an activity up by what it is for or what it holds as often as by its name.
      const s = textSearch('t', ['name', 'description'], ['code']);
      const linked = ([prop, table, cols]: [string, string, string[]]) => {
        const pv = pivot(m, E, prop);
        const ts = textSearch('l', cols, ['code']);
        return { sql: `exists (select 1 from ${pv.table} x join "${table}" l on l."id" = x.${pv.other} where x.${pv.own} = t."id" and ${ts.sql})`, count: ts.count };
      };
      const parts = [s, ...([['purposes', 'purpose', ['text']], ['dataCategories', 'data_category', ['name']], ['subjectCategories', 'subject_category', ['name']]] as Array<[string, string, string[]]>).map(linked)];
      where.push(`(${parts.map((x) => x.sql).join(' or ')})`);
      params.push(...Array(parts.reduce((n, x) => n + x.count, 0)).fill(likePattern(f.search)));
    }
    return { where, params };
}
