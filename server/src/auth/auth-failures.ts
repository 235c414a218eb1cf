import type pg from 'pg';
import client from 'prom-client';
import { appendAuditEvents } from '../audit/audit-log.js';
import { AuditOutcome } from '../audit/audit-event.entity.js';
import { logger, safeError } from '../observability/logger.js';
import { registry } from '../observability/metrics.js';
import type { AuthError } from './verify.js';

export const authFailures = new client.Counter({
  name: 'kiroku_auth_failures_total',
  help: 'Requests refused by authentication (401), for a token granting no role (403) or for ambiguous credentials (400), by reason',
  labelNames: ['reason'],
  registers: [registry],
});

/** Audit entries per source and window: a flood of bad tokens is counted in full but cannot flood the trail. */
const WINDOW_MS = 60_000;
const PER_WINDOW = 5;
const MAX_SOURCES = 10_000;

const windows = new Map<string, { start: number; written: number; suppressed: number }>();

/** Who is recorded for a failed authentication: the subject only when the token was genuine. */
const UNAUTHENTICATED = '(unauthenticated)';

/**
 * A refused authentication is a security event: counted in `/metrics` every time, and written to
 * the audit trail (at most PER_WINDOW a minute per source address, the next entry saying how many
 * were left out). The entry holds the reason category, never the token.
 */
export async function recordAuthFailure(pool: pg.Pool, e: AuthError, source: string, requestId: string): Promise<void> {
  authFailures.inc({ reason: e.category });
  const now = Date.now();
  let w = windows.get(source);
  if (w && now - w.start >= WINDOW_MS) {
    w = { start: now, written: 0, suppressed: w.suppressed };
    windows.set(source, w);
  }
  if (!w) {
    if (windows.size >= MAX_SOURCES) windows.delete(windows.keys().next().value!);
    w = { start: now, written: 0, suppressed: 0 };
    windows.set(source, w);
  }
  if (w.written >= PER_WINDOW) {
    w.suppressed++;
    return;
  }
  w.written++;
  const suppressed = w.suppressed;
  w.suppressed = 0;
  try {
    await appendAuditEvents(pool, { sub: e.sub ?? UNAUTHENTICATED, roles: [] }, requestId, [{
      operation: 'authenticate',
      outcome: AuditOutcome.DENIED,
      reason: e.category,
      after: { source, status: e.status, ...(suppressed ? { suppressedBefore: suppressed } : {}) },
    }]);
  } catch (err) {
    // The refusal stands whether or not the trail could be written; the metric has counted it.
    logger.warn({ requestId, err: safeError(err) }, 'could not audit an authentication failure');
  }
}

/** The HTTP answer to a refused authentication. */
export function authFailureResponse(e: AuthError, requestId: string): { status: number; body: string } {
  const code = e.status === 403 ? 'FORBIDDEN' : e.status === 400 ? 'BAD_REQUEST' : 'UNAUTHENTICATED';
  const prefix = e.status === 401 ? 'unauthenticated: ' : '';
  return { status: e.status, body: JSON.stringify({ errors: [{ message: `${prefix}${e.message}`, extensions: { code, reason: e.category, requestId } }] }) };
}
