import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, Field, FieldResolver, Info, InputType, Query, Resolver, Root } from 'type-graphql';
import { ownSystem, type Context } from '../graphql/context.js';
import { forbidden } from '../auth/policy.js';
import type { Row } from '../graphql/loaders.js';
import { connectionType, likePattern, paginate, type ConnectionShape } from '../graphql/connection.js';
import { textSearch } from '../graphql/sql-fragments.js';
import { LocalDate } from '../graphql/scalars.js';
import { PageArgs } from '../inventory/processing-activity.resolver.js';
import { settings } from '../graphql/settings.js';
import { Processor } from './processor.entity.js';

@InputType({ description: 'Narrows processors; all given conditions must hold.' })
export class ProcessorFilter {
  @Field(() => [String], { nullable: true, description: 'ISO country codes of the legal entity or of its storage locations.' }) countries?: string[];
  @Field(() => String, { nullable: true, description: 'A service it performs (exact).' }) service?: string;
  @Field(() => Boolean, { nullable: true, description: 'Only processors whose next audit is past due (or never audited although an interval is set).' }) auditOverdue?: boolean;
  @Field(() => String, { nullable: true }) search?: string;
  @Field({ defaultValue: false }) includeArchived!: boolean;
}

export const ProcessorConnection = connectionType('Processor', Processor);

/** Next audit due: the latest audit's own due date, else its date plus the interval. */
export const NEXT_AUDIT_DUE = `(select coalesce(a."next_due_at", (a."audited_at" + make_interval(months => coalesce(t."audit_interval_months", 12)))::date)
  from "processor_audit" a where a."processor_id" = t."id" and a."archived_at" is null order by a."audited_at" desc limit 1)`;

@Resolver(() => Processor)
export class ProcessorResolver {
  @Query(() => ProcessorConnection, { description: 'Processors (委託先), filtered and paginated.' })
  async processors(
    @Args() page: PageArgs,
    @Arg('filter', () => ProcessorFilter, { nullable: true }) f: ProcessorFilter | undefined,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConnectionShape> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (!f?.includeArchived) where.push('t."archived_at" is null');
    if (f?.countries) {
      where.push('(t."country" = any(?::text[]) or exists (select 1 from "storage_location" s where s."hosting_processor_id" = t."id" and s."country" = any(?::text[])))');
      params.push(f.countries, f.countries);
    }
    if (f?.service) { where.push('t."services" @> jsonb_build_array(?::text)'); params.push(f.service); }
    if (f?.auditOverdue != null) {
      if (ownSystem(ctx) !== null) throw forbidden('audit status is not visible to integrations');
      const overdue = `(${NEXT_AUDIT_DUE} < current_date or (t."audit_interval_months" is not null and not exists (select 1 from "processor_audit" a where a."processor_id" = t."id" and a."archived_at" is null)))`;
      where.push(f.auditOverdue ? overdue : `not coalesce(${overdue}, false)`);
    }
    if (f?.search) {
      const s = textSearch('t', ['name', 'description'], ['code']);
      where.push(s.sql);
      params.push(...Array(s.count).fill(likePattern(f.search)));
    }
    return paginate(ctx, info, 'Processor', where, params, page, settings().maxPageSize);
  }

  @FieldResolver(() => LocalDate, { nullable: true, description: 'When the next audit is due (from the latest audit and the interval).' })
  nextAuditDue(@Root() p: Row, @Ctx() ctx: Context): Promise<string | null> {
    return ctx.loaders
      .custom<string | null>('processor.nextAuditDue', async (keys) => {
        const rows = await ctx.loaders.query<{ id: number; due: string | null }>(`select t."id", ${NEXT_AUDIT_DUE} as due from "processor" t where t."id" = any(?)`, [keys]);
        const m = new Map(rows.map((r) => [Number(r.id), r.due]));
        return keys.map((k) => m.get(k) ?? null);
      })
      .load(Number(p.id));
  }
}

