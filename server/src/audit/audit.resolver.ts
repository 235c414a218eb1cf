import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, Field, Info, InputType, Query, Resolver } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { connectionType, paginate, type ConnectionShape } from '../graphql/connection.js';
import { PageArgs } from '../inventory/processing-activity.resolver.js';
import { settings } from '../graphql/settings.js';
import { AuditEvent, AuditOutcome } from './audit-event.entity.js';
import { AuditTrailVerification, verifyAuditTrail } from './audit-verification.js';

@InputType({ description: 'Narrows the audit trail; all given conditions must hold.' })
export class AuditEventFilter {
  @Field(() => String, { nullable: true, description: 'GraphQL type name, e.g. Processor.' }) entityType?: string;
  @Field(() => String, { nullable: true }) entityId?: string;
  @Field(() => String, { nullable: true, description: 'Token subject of the actor.' }) actor?: string;
  @Field(() => AuditOutcome, { nullable: true }) outcome?: AuditOutcome;
  @Field(() => Date, { nullable: true, description: 'From this time (inclusive).' }) from?: Date;
  @Field(() => Date, { nullable: true, description: 'Before this time (exclusive).' }) to?: Date;
}

export const AuditEventConnection = connectionType('AuditEvent', AuditEvent);

@Resolver()
export class AuditQueries {
  @Query(() => AuditEventConnection, { description: 'The append-only audit trail, newest first.' })
  async auditEvents(
    @Args() page: PageArgs,
    @Arg('filter', () => AuditEventFilter, { nullable: true }) f: AuditEventFilter | undefined,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConnectionShape> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f?.entityType) { where.push('t."entity_type" = ?'); params.push(f.entityType); }
    if (f?.entityId) { where.push('t."entity_id" = ?'); params.push(f.entityId); }
    if (f?.actor) { where.push('t."actor_sub" = ?'); params.push(f.actor); }
    if (f?.outcome) { where.push('t."outcome" = ?'); params.push(f.outcome); }
    if (f?.from) { where.push('t."at" >= ?'); params.push(f.from); }
    if (f?.to) { where.push('t."at" < ?'); params.push(f.to); }
    return paginate(ctx, info, 'AuditEvent', where, params, page, settings().maxPageSize, 'desc');
  }

  @Query(() => AuditTrailVerification, { description: "Recomputes the audit trail's hash chain: ok, or the first event where it is broken." })
  verifyAuditTrail(@Ctx() ctx: Context): Promise<AuditTrailVerification> {
    return verifyAuditTrail(ctx.db.pool);
  }
}
