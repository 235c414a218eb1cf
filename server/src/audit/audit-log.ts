import { createHash } from 'node:crypto';
import pg from 'pg';
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

/** Who recorded a set of events, in which request. */
interface Caller {
  principal: Principal;
  requestId: string;
  entries: AuditEntry[];
}

/** One statement for any number of events of any number of callers, each row with its own caller. */
const INSERT = `insert into "audit_event" ("actor_sub", "actor_roles", "actor_system", "request_id", "operation", "outcome", "entity_type", "entity_id", "before", "after", "reason")
  select s, ro::jsonb, sy, q, o, oc, et, ei, b::jsonb, a::jsonb, r
  from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[]) as u(s, ro, sy, q, o, oc, et, ei, b, a, r)`;

/** The statement's eleven columns, one array each, in its order. */
function params(callers: Caller[]): unknown[][] {
  const rows = callers.flatMap((c) => c.entries.map((e) => ({ c, e })));
  return [
    rows.map((x) => x.c.principal.sub), rows.map((x) => JSON.stringify(x.c.principal.roles)), rows.map((x) => x.c.principal.system ?? null), rows.map((x) => x.c.requestId),
    rows.map((x) => x.e.operation), rows.map((x) => x.e.outcome), rows.map((x) => x.e.entityType ?? null),
    rows.map((x) => (x.e.entityId == null ? null : String(x.e.entityId))), rows.map((x) => json(x.e.before)), rows.map((x) => json(x.e.after)),
    rows.map((x) => x.e.reason ?? null),
  ];
}

/**
 * Appends events on a `pg` connection, inside its transaction if it has one. On a pool (an access
 * recorded outside any transaction: a lookup, a reveal, a failed sign-in) the events of concurrent
 * requests are written together: each event's link in the hash chain is made at commit under one
 * lock (see the audit chain's migration), so one commit per request made that lock and the commit's
 * WAL flush the limit of every audited read. Each caller still returns only once its events are
 * committed.
 */
export async function appendAuditEvents(client: pg.PoolClient | pg.Pool, principal: Principal, requestId: string, entries: AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  if (client instanceof pg.Pool) return groupCommit(client, { principal, requestId, entries });
  await client.query(INSERT, params([{ principal, requestId, entries }]));
}

interface Waiting extends Caller {
  resolve: () => void;
  reject: (e: unknown) => void;
}
const queues = new WeakMap<pg.Pool, { waiting: Waiting[]; writing: boolean }>();
/** Rows per statement: a burst larger than this is written in several. */
const GROUP_MAX_EVENTS = 500;

function groupCommit(pool: pg.Pool, w: Caller): Promise<void> {
  let q = queues.get(pool);
  if (!q) queues.set(pool, (q = { waiting: [], writing: false }));
  const queue = q;
  const done = new Promise<void>((resolve, reject) => queue.waiting.push({ ...w, resolve, reject }));
  if (!queue.writing) void writeQueued(pool, queue);
  return done;
}

async function writeQueued(pool: pg.Pool, q: { waiting: Waiting[]; writing: boolean }): Promise<void> {
  q.writing = true;
  // The requests running in this turn of the event loop join the first group; after that a group
  // is whatever arrived while the previous one was being written.
  await new Promise((r) => setImmediate(r));
  try {
    while (q.waiting.length) {
      const group: Waiting[] = [];
      let events = 0;
      while (q.waiting.length && (group.length === 0 || events + q.waiting[0].entries.length <= GROUP_MAX_EVENTS)) {
        const w = q.waiting.shift()!;
        group.push(w);
        events += w.entries.length;
      }
      try {
        await pool.query(INSERT, params(group));
        for (const w of group) w.resolve();
      } catch (e) {
        // One caller's events must not fail another's: alone, each succeeds or fails on its own.
        if (group.length === 1) group[0].reject(e);
        else {
          await Promise.all(group.map(async (w) => {
            try {
              await pool.query(INSERT, params([w]));
              w.resolve();
            } catch (e1) {
              w.reject(e1);
            }
          }));
        }
      }
    }
  } finally {
    q.writing = false;
  }
}

/** Appends one event through MikroORM, within `em`'s transaction when there is one. */
export async function appendAudit(em: EntityManager, principal: Principal, requestId: string, e: AuditEntry): Promise<void> {
  // knex expands array bindings, so this path binds the one event as scalars.
  await em.execute(
    `insert into "audit_event" ("actor_sub", "actor_roles", "actor_system", "request_id", "operation", "outcome", "entity_type", "entity_id", "before", "after", "reason")
     values (?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)`,
    params([{ principal, requestId, entries: [e] }]).map((column) => column[0]),
  );
}
