import { createHash } from 'node:crypto';
import type pg from 'pg';
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

/** A text longer than this is kept as its digest and size: the trail proves what, not stores it. */
export const AUDIT_MAX_TEXT_BYTES = 4096;
/** An event's before or after larger than this, once texts are bounded, is kept as a digest too. */
export const AUDIT_MAX_VALUE_BYTES = 64 * 1024;

const sha256 = (text: string) => 'sha256:' + createHash('sha256').update(text).digest('hex');

function boundTexts(v: unknown): unknown {
  if (typeof v === 'string') {
    const bytes = Buffer.byteLength(v);
    return bytes > AUDIT_MAX_TEXT_BYTES ? { digest: sha256(v), bytes } : v;
  }
  if (Array.isArray(v)) return v.map(boundTexts);
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = boundTexts(x);
    return out;
  }
  return v;
}

/**
 * A before/after value as stored: personal data and bulk content (a 1 MB description, a push of
 * thousands of fields) would otherwise be copied whole into a table nobody may ever delete from.
 */
export function boundedJson(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  const text = JSON.stringify(boundTexts(v));
  if (Buffer.byteLength(text) <= AUDIT_MAX_VALUE_BYTES) return text;
  const whole = JSON.stringify(v);
  return JSON.stringify({ digest: sha256(whole), bytes: Buffer.byteLength(whole) });
}

const json = boundedJson;

/** One statement for any number of events of one caller (bulk writes audit each record). */
const INSERT = `insert into "audit_event" ("actor_sub", "actor_roles", "actor_system", "operation", "outcome", "entity_type", "entity_id", "before", "after", "reason", "request_id")
  select $1, $2::jsonb, $3, o, oc, et, ei, b::jsonb, a::jsonb, r, $4
  from unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[]) as u(o, oc, et, ei, b, a, r)`;

function params(principal: Principal, requestId: string, entries: AuditEntry[]): unknown[] {
  return [
    principal.sub, JSON.stringify(principal.roles), principal.system ?? null, requestId,
    entries.map((e) => e.operation), entries.map((e) => e.outcome), entries.map((e) => e.entityType ?? null),
    entries.map((e) => (e.entityId == null ? null : String(e.entityId))), entries.map((e) => json(e.before)), entries.map((e) => json(e.after)),
    entries.map((e) => e.reason ?? null),
  ];
}

/** Appends events on a `pg` connection (inside its transaction, if it has one). */
export async function appendAuditEvents(client: pg.PoolClient | pg.Pool, principal: Principal, requestId: string, entries: AuditEntry[]): Promise<void> {
  if (entries.length) await client.query(INSERT, params(principal, requestId, entries));
}

/** Appends one event through MikroORM, within `em`'s transaction when there is one. */
export async function appendAudit(em: EntityManager, principal: Principal, requestId: string, e: AuditEntry): Promise<void> {
  // knex expands array bindings, so this path binds the one event as scalars.
  const [sub, roles, system, req, ...columns] = params(principal, requestId, [e]);
  await em.execute(
    `insert into "audit_event" ("actor_sub", "actor_roles", "actor_system", "request_id", "operation", "outcome", "entity_type", "entity_id", "before", "after", "reason")
     values (?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)`,
    [sub, roles, system, req, ...(columns as unknown[][]).map((c) => c[0])],
  );
}
