import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, ID, Info, Query, Resolver } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { connectionType, paginate, type ConnectionShape } from '../graphql/connection.js';
import { badInput } from '../graphql/errors.js';
import { LocalDate } from '../graphql/scalars.js';
import { PageArgs } from '../inventory/processing-activity.resolver.js';
import { settings } from '../graphql/settings.js';
import { ProvisionDirection } from '../graphql/enums.js';
import { ProvisionRecord } from './provision-record.entity.js';

export const ProvisionRecordConnection = connectionType('ProvisionRecord', ProvisionRecord);

@Resolver()
export class ProvisionRecordQueries {
  @Query(() => ProvisionRecordConnection, { description: 'The provision (APPI Art. 29) and receipt (Art. 30) records of a period, both dates included, paginated in the order they were recorded, latest first.' })
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
    const where = ['t."archived_at" is null', 't."provided_at" between ?::date and ?::date'];
    const params: unknown[] = [from, to];
    if (direction) { where.push('t."direction" = ?'); params.push(direction); }
    if (recipientId !== undefined) { where.push('t."recipient_id" = ?::bigint'); params.push(recipientId); }
    // Keyset pagination goes by id, so the pages are in recording order; a backdated record is still in its period.
    return paginate(ctx, info, 'ProvisionRecord', where, params, page, settings().maxPageSize, 'desc');
  }
}
