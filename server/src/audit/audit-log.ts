import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../graphql/context.js';
import { AuditOutcome } from './audit-event.entity.js';

export interface AuditEntry {
  operation: string;
  outcome: AuditOutcome;
  entityType?: string | null;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

/** Appends one event with the caller's identity; within `em`'s transaction when there is one. */
export async function appendAudit(em: EntityManager, principal: Principal, requestId: string, e: AuditEntry): Promise<void> {
  await em.execute(
    `insert into "audit_event" ("actor_sub", "actor_roles", "actor_system", "operation", "outcome", "entity_type", "entity_id", "before", "after", "reason", "request_id")
     values (?, ?::jsonb, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?)`,
    [
      principal.sub,
      JSON.stringify(principal.roles),
      principal.system ?? null,
      e.operation,
      e.outcome,
      e.entityType ?? null,
      e.entityId == null ? null : String(e.entityId),
      e.before === undefined ? null : JSON.stringify(e.before),
      e.after === undefined ? null : JSON.stringify(e.after),
      e.reason ?? null,
      requestId,
    ],
  );
}
