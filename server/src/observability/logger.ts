import pino from 'pino';

/**
 * Structured JSON logs on stderr (pino). Callers pass ids and codes; tokens, contacts and other
 * personal data never go in, and the redaction below is a second line of defence.
 */
export const logger = pino(
  {
    level: process.env.LOG_LEVEL ?? 'info',
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['authorization', '*.authorization', 'headers.authorization', 'token', '*.token', 'contact', '*.contact'], censor: '[redacted]' },
  },
  pino.destination({ fd: 2, sync: false }),
);

export function setLogLevel(level: string): void {
  logger.level = level;
}

/**
 * An error as it may be logged: database errors carry SQL with bound values and row details
 * (personal data), so only their class and codes are kept.
 */
export function safeError(e: unknown): Record<string, unknown> | undefined {
  if (!e || typeof e !== 'object') return e === undefined ? undefined : { value: String(e) };
  const err = e as { name?: string; message?: string; stack?: string; code?: string; constraint?: string; table?: string; severity?: string; sql?: string };
  const type = (e as object).constructor?.name ?? err.name;
  const fromDatabase = 'sql' in err || 'severity' in err || /Exception$/.test(type ?? '');
  if (fromDatabase) return { type, code: err.code, constraint: err.constraint, table: err.table };
  return { type, message: err.message, stack: err.stack };
}
