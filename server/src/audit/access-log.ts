import type { Context } from '../graphql/context.js';
import { appendAuditEvents } from './audit-log.js';
import { AuditOutcome } from './audit-event.entity.js';

/**
 * Records that the caller read personal data of one record (`what` is a schema coordinate such as
 * `DataSubjectRequest.contact`): who, which record, when. Reads of one request are batched into
 * one statement; the data is returned only once the event is written, so an access that cannot be
 * recorded does not happen.
 */
export function recordAccess(ctx: Context, entityType: string, what: string, id: number): Promise<true> {
  return ctx.loaders
    .custom<true>(`access:${what}`, async (ids) => {
      await appendAuditEvents(ctx.db.writePool, ctx.principal, ctx.requestId, ids.map((entityId) => ({ operation: what, outcome: AuditOutcome.SUCCESS, entityType, entityId })));
      return ids.map(() => true as const);
    })
    .load(id);
}
