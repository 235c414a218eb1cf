import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, ID, Info, Query, Resolver } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { connectionType, selects, type ConnectionShape } from '../graphql/connection.js';
import { badInput } from '../graphql/errors.js';
import { LocalDate } from '../graphql/scalars.js';
import { PageArgs } from '../inventory/processing-activity.resolver.js';
import { settings } from '../graphql/settings.js';
import { ProvisionDirection } from '../graphql/enums.js';
import { ProvisionRecord } from './provision-record.entity.js';

export const ProvisionRecordConnection = connectionType('ProvisionRecord', ProvisionRecord);

// The cursor carries the date as well as the id: the list goes by date, and a record entered late
// for an earlier provision must land on its date's page, not at the top.
const encode = (date: string, id: number) => Buffer.from(`p:${date}:${id}`).toString('base64url');
function decode(cursor: string): [string, number] {
  const m = /^p:(\d{4}-\d{2}-\d{2}):([0-9]{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw new GraphQLError('after is not a cursor of this list', { extensions: { code: 'BAD_USER_INPUT', field: 'after' } });
  return [m[1], Number(m[2])];
}

@Resolver()
export class ProvisionRecordQueries {
  @Query(() => ProvisionRecordConnection, { description: 'The provision (APPI Art. 29) and receipt (Art. 30) records of a period, both dates included, latest first, paginated.' })
  async provisionRecordsOfPeriod(
    @Args() page: PageArgs,
    @Arg('from', () => LocalDate) from: string,
    @Arg('to', () => LocalDate) to: string,
    @Arg('direction', () => ProvisionDirection, { nullable: true }) direction: ProvisionDirection | undefined,
    @Arg('recipientId', () => ID, { nullable: true }) recipientId: string | undefined,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConnectionShape> {
    if (from > to) throw badInput([{ path: 'to', message: 'to is before from' }]);
    if (recipientId !== undefined && !/^[0-9]{1,15}$/.test(recipientId)) throw badInput([{ path: 'recipientId', message: 'not an id' }]);
    const max = settings().maxPageSize;
    const first = page.first ?? 50;
    if (!Number.isInteger(first) || first < 0 || first > max) throw badInput([{ path: 'first', message: `first must be between 0 and ${max}` }]);
    const where = ['t."archived_at" is null', 't."provided_at" between ?::date and ?::date'];
    const params: unknown[] = [from, to];
    if (direction) { where.push('t."direction" = ?'); params.push(direction); }
    if (recipientId !== undefined) { where.push('t."recipient_id" = ?::bigint'); params.push(recipientId); }
    const pageWhere = [...where];
    const pageParams = [...params];
    if (page.after) {
      pageWhere.push('(t."provided_at", t."id") < (?::date, ?::bigint)');
      pageParams.push(...decode(page.after));
    }
    const model = ctx.loaders.model;
    const rows = await ctx.loaders.prepared(
      `select ${model.select('ProvisionRecord')}, t."provided_at"::text as "__date" from ${model.table('ProvisionRecord')} t
       where ${pageWhere.join(' and ')} order by t."provided_at" desc, t."id" desc limit ?::int`,
      [...pageParams, first + 1],
    );
    const edges = rows.slice(0, first).map(({ __date, ...node }) => ({ node, cursor: encode(String(__date), Number(node.id)) }));
    const result: ConnectionShape = {
      edges,
      pageInfo: { hasNextPage: rows.length > first, hasPreviousPage: !!page.after, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
    };
    if (selects(info, 'totalCount')) {
      const [{ n }] = await ctx.loaders.query<{ n: string }>(`select count(*) as n from ${model.table('ProvisionRecord')} t where ${where.join(' and ')}`, params);
      result.totalCount = Number(n);
    }
    return result;
  }
}
