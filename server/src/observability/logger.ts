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
