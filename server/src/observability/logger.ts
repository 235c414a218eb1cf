/**
 * Structured JSON logs on stderr, one object a line. Callers pass ids and codes, never tokens or
 * personal data.
 */
type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
let threshold: Level = (process.env.LOG_LEVEL as Level) in order ? (process.env.LOG_LEVEL as Level) : 'info';

function serialize(v: unknown): unknown {
  if (v instanceof Error) return { type: v.name, message: v.message, stack: v.stack };
  return v;
}

function write(level: Level, fields: Record<string, unknown>, msg: string): void {
  if (order[level] < order[threshold]) return;
  const out: Record<string, unknown> = { level, time: new Date().toISOString(), msg };
  for (const [k, v] of Object.entries(fields)) out[k] = serialize(v);
  process.stderr.write(JSON.stringify(out) + '\n');
}

export const logger = {
  setLevel: (l: Level) => (threshold = l),
  debug: (f: Record<string, unknown>, m: string) => write('debug', f, m),
  info: (f: Record<string, unknown>, m: string) => write('info', f, m),
  warn: (f: Record<string, unknown>, m: string) => write('warn', f, m),
  error: (f: Record<string, unknown>, m: string) => write('error', f, m),
};
