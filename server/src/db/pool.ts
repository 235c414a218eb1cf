import pg from 'pg';
import { logger, safeError } from '../observability/logger.js';
import { databaseConnectionErrors } from '../observability/metrics.js';

/**
 * Bounds on every database session, so that one held lock, one runaway statement or one client
 * that left a transaction open cannot stall the server (milliseconds; 0 turns one off).
 */
export interface SessionTimeouts {
  statementMs: number;
  lockMs: number;
  idleInTransactionMs: number;
}

/** The session parameters `pg` (and knex on top of it) send in the startup packet. */
export function sessionParameters(t: SessionTimeouts): Pick<pg.ClientConfig, 'statement_timeout' | 'lock_timeout' | 'idle_in_transaction_session_timeout'> {
  return { statement_timeout: t.statementMs, lock_timeout: t.lockMs, idle_in_transaction_session_timeout: t.idleInTransactionMs };
}

export interface PoolOptions {
  name: string;
  max: number;
  /** Longest wait for a free connection before the caller gets an error instead of a hang. */
  waitMs: number;
  timeouts: SessionTimeouts;
  /** Run a read (see readOnly) again when its connection was lost under it. */
  retryLostReads?: boolean;
}

/** The connection died (terminated backend, failover, reset), as opposed to a timeout or an SQL error. */
export function connectionLost(e: unknown): boolean {
  const err = e as { code?: string; message?: string } | undefined;
  return !!err && (['57P01', '57P02', '57P03', '08003', '08006', 'ECONNRESET', 'EPIPE'].includes(err.code ?? '') || /Connection terminated/.test(err.message ?? ''));
}

/**
 * A statement safe to run twice: a `select`, or a `with` query whose common table expressions
 * only read (the set-based reads start with one; a data-modifying CTE names its verb).
 */
export function readOnly(sql: string): boolean {
  if (/^\s*select\b/i.test(sql)) return true;
  return /^\s*with\b/i.test(sql) && !/\b(insert|update|delete|merge)\b/i.test(sql.replace(/"[^"]*"|'[^']*'/g, ''));
}

/**
 * A `pg` pool that survives a database that drops connections (failover, `pg_terminate_backend`,
 * an idle-session timeout): `pg` emits `error` on a client whose socket dies, and an `error`
 * event without a listener takes the whole process down. The pool listens while a client is
 * idle; while it is checked out nobody does, so every client gets a listener of its own. The
 * query in flight still fails (and is answered as retryable); the pool discards the dead client
 * on release.
 */
export function createPool(connectionString: string, o: PoolOptions): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: o.max, connectionTimeoutMillis: o.waitMs, ...sessionParameters(o.timeouts) });
  pool.on('error', (err) => {
    databaseConnectionErrors.inc({ pool: o.name });
    logger.warn({ err: safeError(err), pool: o.name }, 'idle database connection failed');
  });
  pool.on('connect', (client) => {
    client.on('error', (err) => {
      databaseConnectionErrors.inc({ pool: o.name });
      logger.warn({ err: safeError(err), pool: o.name }, 'database connection failed while in use');
    });
  });
  if (o.retryLostReads) {
    // A pooled connection whose backend was just terminated can still be handed out before the
    // pool hears of it: a read that lost its connection is run again rather than failing the
    // request. When every backend went at once (an operator's pg_terminate_backend, a failover),
    // each idle connection may be dead, so the read goes on until it runs on a live one or has
    // been tried on as many connections as the pool holds, plus a new one. Each dead connection
    // fails at once and is discarded; a database that refuses connections is not a lost
    // connection and ends the loop. Writes are never repeated here (their transactions decide).
    const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<pg.QueryResult>;
    pool.query = (async (...args: unknown[]) => {
      const first = args[0] as string | { text?: string } | undefined;
      const text = typeof first === 'string' ? first : first?.text ?? '';
      const repeatable = typeof args[args.length - 1] !== 'function' && readOnly(text);
      for (let attempt = 1; ; attempt++) {
        try {
          return await query(...args);
        } catch (e) {
          if (!repeatable || !connectionLost(e) || attempt > o.max) throw e;
          logger.warn({ err: safeError(e), pool: o.name, attempt }, 'read lost its database connection; running it again');
        }
      }
    }) as typeof pool.query;
  }
  return pool;
}
