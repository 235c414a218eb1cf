import { createHash } from 'node:crypto';
import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type pg from 'pg';

/**
 * Retried requests (a push whose answer was lost, an intake form sent twice) carry an
 * `Idempotency-Key` header: the first request with a key runs, and every later one from the same
 * principal with the same key gets the first one's answer instead of doing it again.
 */
@Entity({ tableName: 'idempotency_key' })
export class IdempotencyKey {
  /** Token subject (and system of an integration): keys of different callers never meet. */
  @PrimaryKey({ type: 'text' })
  principal!: string;

  @PrimaryKey({ type: 'text' })
  key!: string;

  /** SHA-256 of the request body: a key reused for another request is refused, not replayed. */
  @Property({ type: 'text' })
  requestHash!: string;

  /** Null while the first request runs. */
  @Property({ type: 'int', nullable: true })
  status?: number | null;

  @Property({ type: 'text', nullable: true })
  body?: string | null;

  @Property({ columnType: 'timestamptz', defaultRaw: 'now()', index: true })
  createdAt: Date = new Date();
}

export const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,200}$/;

/** Far past the longest a request can run (bulk statement timeout, queues, drain). */
const ABANDONED_AFTER_MINUTES = 15;

export type Claim =
  | { kind: 'new' }
  | { kind: 'replay'; status: number; body: string }
  | { kind: 'mismatch' }
  | { kind: 'pending' }
  | { kind: 'unknown' };

export class Idempotency {
  constructor(private readonly pool: pg.Pool, private readonly ttlHours = 24) {}

  static hash(body: string): string {
    return createHash('sha256').update(body).digest('hex');
  }

  /** Claims a key for a request, or tells what became of the request that claimed it first. */
  async claim(principal: string, key: string, requestHash: string): Promise<Claim> {
    const inserted = await this.pool.query(
      `insert into "idempotency_key" ("principal", "key", "request_hash") values ($1, $2, $3) on conflict do nothing returning 1`,
      [principal, key, requestHash],
    );
    if (inserted.rowCount) return { kind: 'new' };
    // An expired claim is taken over (its row may be gone by the time this runs: then claim again).
    const renewed = await this.pool.query(
      `update "idempotency_key" set "request_hash" = $3, "status" = null, "body" = null, "created_at" = now()
       where "principal" = $1 and "key" = $2 and "created_at" < now() - make_interval(hours => $4) returning 1`,
      [principal, key, requestHash, this.ttlHours],
    );
    if (renewed.rowCount) return { kind: 'new' };
    const { rows } = await this.pool.query<{ request_hash: string; status: number | null; body: string | null; abandoned: boolean }>(
      `select "request_hash", "status", "body", "created_at" < now() - make_interval(mins => $3) as "abandoned"
       from "idempotency_key" where "principal" = $1 and "key" = $2`, [principal, key, ABANDONED_AFTER_MINUTES]);
    if (!rows.length) return this.claim(principal, key, requestHash);
    if (rows[0].request_hash !== requestHash) return { kind: 'mismatch' };
    // Unanswered long after any request can run: its process died mid-way, and whether it
    // committed is unknown. Running it again could do it twice; saying "retry" would be false.
    if (rows[0].status === null || rows[0].body === null) return { kind: rows[0].abandoned ? 'unknown' : 'pending' };
    return { kind: 'replay', status: rows[0].status, body: rows[0].body };
  }

  /** Keeps the answer for replays. */
  async complete(principal: string, key: string, status: number, body: string): Promise<void> {
    await this.pool.query(`update "idempotency_key" set "status" = $3, "body" = $4 where "principal" = $1 and "key" = $2`, [principal, key, status, body]);
  }

  /** The request did nothing (refused, or failed in a way worth retrying): the key is free again. */
  async release(principal: string, key: string): Promise<void> {
    await this.pool.query(`delete from "idempotency_key" where "principal" = $1 and "key" = $2 and "status" is null`, [principal, key]);
  }

  async expire(): Promise<number> {
    const r = await this.pool.query(`delete from "idempotency_key" where "created_at" < now() - make_interval(hours => $1)`, [this.ttlHours]);
    return r.rowCount ?? 0;
  }
}

/**
 * Whether an answer says that nothing was done, so the key is freed for a corrected or later
 * request: refusals (4xx, 429, 503), and GraphQL answers with errors and no data. An internal
 * error is kept and replayed: whether it happened before or after a commit is unknown, and a
 * duplicate is the worse outcome.
 */
export function nothingDone(status: number, body: string): boolean {
  if (status >= 400) return true;
  try {
    const parsed = JSON.parse(body) as { data?: Record<string, unknown> | null; errors?: Array<{ extensions?: { code?: string } }> };
    if (!parsed.errors?.length) return false;
    if (parsed.errors.some((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR')) return false;
    return parsed.data == null || Object.values(parsed.data).every((v) => v === null);
  } catch {
    return false;
  }
}
