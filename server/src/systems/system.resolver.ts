import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, Field, ID, Info, InputType, Query, Resolver } from 'type-graphql';
import { ownSystem, type Context } from '../graphql/context.js';
import { connectionType, likePattern, paginate, type ConnectionShape } from '../graphql/connection.js';
import { DATA_CATEGORY_SUBTREE } from '../graphql/sql-fragments.js';
import { DatasetStatus } from '../graphql/enums.js';
import { PageArgs, ids } from '../inventory/processing-activity.resolver.js';
import { settings } from '../graphql/settings.js';
import { System } from './system.entity.js';
import { Dataset } from './dataset.entity.js';

@InputType({ description: 'Narrows systems.' })
export class SystemFilter {
  @Field(() => String, { nullable: true, description: 'Key or name contains.' }) search?: string;
  @Field({ defaultValue: false }) includeArchived!: boolean;
}

@InputType({ description: 'Narrows datasets; all given conditions must hold.' })
export class DatasetFilter {
  @Field(() => [ID], { nullable: true }) systemIds?: string[];
  @Field(() => [ID], { nullable: true, description: 'Datasets with a field in these categories or their descendants.' }) dataCategoryIds?: string[];
  @Field(() => [ID], { nullable: true, description: 'Hosting processor.' }) processorIds?: string[];
  @Field(() => [String], { nullable: true, description: 'ISO country codes of the storage location.' }) countries?: string[];
  @Field(() => DatasetStatus, { nullable: true }) status?: DatasetStatus;
  @Field(() => String, { nullable: true, description: 'Key or name contains.' }) search?: string;
  @Field({ defaultValue: false }) includeArchived!: boolean;
}

export const SystemConnection = connectionType('System', System);
export const DatasetConnection = connectionType('Dataset', Dataset);

@Resolver()
export class SystemQueries {
  @Query(() => SystemConnection, { description: 'Integrating systems.' })
  async systems(
    @Args() page: PageArgs,
    @Arg('filter', () => SystemFilter, { nullable: true }) f: SystemFilter | undefined,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConnectionShape> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (!f?.includeArchived) where.push('t."archived_at" is null');
    if (f?.search) { where.push('(t."key" ilike ? or t."name" ilike ?)'); params.push(likePattern(f.search), likePattern(f.search)); }
    const own = ownSystem(ctx);
    if (own !== null) { where.push('t."key" = ?'); params.push(own); }
    return paginate(ctx, info, 'System', where, params, page, settings().maxPageSize);
  }

  @Query(() => DatasetConnection, { description: 'Datasets registered by systems.' })
  async datasets(
    @Args() page: PageArgs,
    @Arg('filter', () => DatasetFilter, { nullable: true }) f: DatasetFilter | undefined,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConnectionShape> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (!f?.includeArchived) where.push('t."archived_at" is null');
    if (f?.systemIds) { where.push('t."system_id" = any(?)'); params.push(ids(f.systemIds)); }
    if (f?.processorIds) { where.push('t."processor_id" = any(?)'); params.push(ids(f.processorIds)); }
    if (f?.countries) {
      where.push('exists (select 1 from "storage_location" s where s."id" = t."storage_location_id" and s."country" = any(?::text[]))');
      params.push(f.countries);
    }
    if (f?.dataCategoryIds) {
      where.push(`exists (select 1 from "dataset_field" fl join "dataset_field_data_categories" fc on fc."field_id" = fl."id" where fl."dataset_id" = t."id" and fc."data_category_id" in (${DATA_CATEGORY_SUBTREE}))`);
      params.push(ids(f.dataCategoryIds));
    }
    if (f?.status) { where.push('t."status" = ?'); params.push(f.status); }
    if (f?.search) { where.push('(t."key" ilike ? or t."name" ilike ?)'); params.push(likePattern(f.search), likePattern(f.search)); }
    const own = ownSystem(ctx);
    if (own !== null) { where.push('exists (select 1 from "system" s where s."id" = t."system_id" and s."key" = ?)'); params.push(own); }
    return paginate(ctx, info, 'Dataset', where, params, page, settings().maxPageSize);
  }
}
