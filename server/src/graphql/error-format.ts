import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ArgumentValidationError } from 'type-graphql';
import type { ValidationError } from 'class-validator';
import type { Problem } from './errors.js';

const DELIBERATE = new Set([
  'UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT',
  'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE', 'QUERY_TOO_COMPLEX', 'SERVICE_UNAVAILABLE',
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
  const pgCode = (original as { code?: string } | undefined)?.code ?? ((original as { cause?: { code?: string } } | undefined)?.cause?.code);
  if (pgCode === '40P01' || pgCode === '40001') {
    return { message: 'a concurrent change got in the way; retry', locations: formatted.locations, path: formatted.path, extensions: { code: 'CONFLICT', retryable: true } };
  }
  if (databaseUnavailable(original)) {
    return { message: 'the database is unavailable; retry later', locations: formatted.locations, path: formatted.path, extensions: { code: 'SERVICE_UNAVAILABLE' } };
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

const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006']);

/** PostgreSQL is down or restarting: a state to retry, not a bug to mask. */
export function databaseUnavailable(e: unknown): boolean {
  for (let cur = e as { code?: string; name?: string; message?: string; cause?: unknown } | undefined, i = 0; cur && i < 5; cur = cur.cause as typeof cur, i++) {
    if (cur.code && UNAVAILABLE_CODES.has(cur.code)) return true;
    if (cur.name === 'ConnectionException') return true;
    if (typeof cur.message === 'string' && /Connection terminated|connect ECONNREFUSED|the database system is (shutting down|starting up)/.test(cur.message)) return true;
  }
  return false;
}
