import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type SeedChoice = 'none' | 'notice' | 'demo';

export interface Config {
  /** External PostgreSQL; when absent Kiroku runs embedded PostgreSQL in dataDir. */
  databaseUrl?: string;
  dataDir: string;
  pgPort?: number;
  port: number;
  host: string;
  seed: SeedChoice;
  production: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Upper bound for `first` on every connection. */
  maxPageSize: number;
}

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

class ConfigError extends Error {}

function int(env: NodeJS.ProcessEnv, name: string, min: number, max: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return n;
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: readonly T[]): T | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

/** Parses every environment variable Kiroku reads, once; fails fast with a message naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  return {
    databaseUrl,
    dataDir: path.resolve(env.KIROKU_DATA_DIR || path.join(repoRoot, '.kiroku')),
    pgPort: int(env, 'KIROKU_PG_PORT', 1024, 65535),
    port: int(env, 'PORT', 0, 65535) ?? 4000,
    host: env.HOST || '0.0.0.0',
    seed: oneOf(env, 'KIROKU_SEED', ['none', 'notice', 'demo'] as const) ?? (databaseUrl ? 'none' : 'demo'),
    production: env.NODE_ENV === 'production',
    logLevel: oneOf(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const) ?? 'info',
    maxPageSize: int(env, 'KIROKU_MAX_PAGE_SIZE', 1, 10000) ?? 500,
  };
}

export { ConfigError };
