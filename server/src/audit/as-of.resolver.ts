import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Info, Query, Resolver } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { selects } from '../graphql/connection.js';
import { AS_OF_LISTS, InventoryAsOf, inventoryAsOf, type AsOfList } from './as-of.js';

@Resolver()
export class InventoryAsOfQueries {
  @Query(() => InventoryAsOf, {
    description: 'What the register said at a past time (activities with their relations, processors, foreign transfers, joint uses, recipients, storage locations, and the categories, purposes and legal bases they refer to), rebuilt from the audit trail. Changes made outside the audited API (a manifest import) are not in the trail and count as always made.',
  })
  inventoryAsOf(
    @Arg('at', () => Date) at: Date,
    @Arg('includeArchived', () => Boolean, { defaultValue: false, description: 'Also the records archived at that time.' }) includeArchived: boolean,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<InventoryAsOf> {
    const lists = (Object.keys(AS_OF_LISTS) as AsOfList[]).filter((l) => selects(info, l));
    return inventoryAsOf(ctx, at, lists, includeArchived);
  }
}
