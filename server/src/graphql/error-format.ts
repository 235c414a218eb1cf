import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ArgumentValidationError } from 'type-graphql';
import type { ValidationError } from 'class-validator';
import type { Problem } from './errors.js';

const DELIBERATE = new Set([
  'UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT',
  'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE', 'QUERY_TOO_COMPLEX', 'SERVICE_UNAVAILABLE', 'RATE_LIMITED',
]);

function flatten(errors: ValidationError[], prefix: string, out: Problem[]): Problem[] {
  for (const e of errors) {
    const path = /^\d+$/.test(e.property) ? `${prefix}[${e.property}]` : `${prefix}.${e.property}`;
    for (const message of Object.values(e.constraints ?? {})) out.push({ path, message });
    if (e.children?.length) flatten(e.children, path, out);
  }
  return out;
}

/**
 * Deliberate errors keep their code; input validation becomes BAD_USER_INPUT with the path of every
 * bad field; anything else is masked (the detail is logged with the request id, never returned).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof ArgumentValidationError) {
    const first = original.extensions.validationErrors as ValidationError[] | undefined;
    const target = first?.[0]?.target?.constructor?.name ?? '';
    const prefix = target.endsWith('Input') ? 'input' : '';
    const problems = flatten(first ?? [], prefix, []).map((p) => ({ ...p, path: p.path.replace(/^\./, '') }));
    return {
      message: problems.length ? `${problems[0].path}: ${problems[0].message}` : 'invalid input',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'BAD_USER_INPUT', field: problems[0]?.path, problems },
    };
  }
  // A scalar refusing a literal is reported by validation; it stays the caller's bad input.
  const cause = (error as { originalError?: unknown } | undefined)?.originalError;
  if (formatted.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' && cause instanceof GraphQLError && cause.extensions.code === 'BAD_USER_INPUT') {
    return { message: formatted.message, locations: formatted.locations, extensions: { code: 'BAD_USER_INPUT', field: formatted.extensions.field } };
  }
  const pgCode = (original as { code?: string } | undefined)?.code ?? ((original as { cause?: { code?: string } } | undefined)?.cause?.code);
  if (pgCode === '40P01' || pgCode === '40001') {
    return { message: 'a concurrent change got in the way; retry', locations: formatted.locations, path: formatted.path, extensions: { code: 'CONFLICT', retryable: true } };
  }
  if (pgCode === '55P03') {
    return { message: 'a record is locked by another change; retry', locations: formatted.locations, path: formatted.path, extensions: { code: 'CONFLICT', retryable: true } };
  }
  if (databaseUnavailable(original)) {
    return { message: 'the database is unavailable; retry later', locations: formatted.locations, path: formatted.path, extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true } };
  }
  const code = formatted.extensions?.code as string | undefined;
  if (code && DELIBERATE.has(code) && (original instanceof GraphQLError || !(original instanceof Error) || formatted.path === undefined)) {
    const { stacktrace: _s, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  return { message: 'Internal server error', locations: formatted.locations, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/**
 * Production: the same, minus what helps an attacker more than a client — schema suggestions
 * ("Did you mean …", from validation and from variable coercion alike) and the server's name.
 */
export function formatProductionError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const f = formatError(formatted, error);
  let message = f.message.replace(/ ?Did you mean .+?\?$/s, '');
  if (f.extensions?.code === 'BAD_REQUEST' && message.includes('Cross-Site Request Forgery')) {
    message = 'request blocked as a possible cross-site request forgery: send it with content-type application/json, or with the preflight header the API documentation names';
  }
  return message === f.message ? f : { ...f, message };
}

// Connection lost or refused (over a Unix socket a stopped server's socket file is gone: ENOENT on
// connect), server shutting down or restarting, too many connections, a statement or
// idle-transaction timeout (the bounds of db/pool.ts): all pass, and are worth a retry.
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03', '57014', '25P03', '53300', '08000', '08001', '08003', '08006']);
const UNAVAILABLE_MESSAGES = /Connection terminated|connect (ECONNREFUSED|ENOENT)|the database system is (shutting down|starting up)|not queryable|timeout exceeded when trying to connect|Timeout acquiring a connection/;

/** PostgreSQL is down, restarting, or out of time or connections: a state to retry, not a bug to mask. */
export function databaseUnavailable(e: unknown): boolean {
  for (let cur = e as { code?: string; syscall?: string; name?: string; message?: string; cause?: unknown } | undefined, i = 0; cur && i < 5; cur = cur.cause as typeof cur, i++) {
    if (cur.code && UNAVAILABLE_CODES.has(cur.code)) return true;
    if (cur.code === 'ENOENT' && cur.syscall === 'connect') return true;
    if (cur.name === 'ConnectionException' || cur.name === 'KnexTimeoutError') return true;
    if (typeof cur.message === 'string' && UNAVAILABLE_MESSAGES.test(cur.message)) return true;
  }
  return false;
}
