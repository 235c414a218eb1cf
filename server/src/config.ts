import path from 'node:path';
import type { WebUiConfig } from './http/web-ui.js';
import { fileURLToPath } from 'node:url';
import type { AdmissionConfig } from './http/admission.js';

export type SeedChoice = 'none' | 'notice' | 'demo';

export interface Config {
  /** External PostgreSQL; when absent Kiroku runs embedded PostgreSQL in dataDir. */
  databaseUrl?: string;
  /** The owner role's connection for migrations; DATABASE_URL's role then gets only row access. */
  migrationDatabaseUrl?: string;
  dataDir: string;
  pgPort?: number;
  port: number;
  host: string;
  seed: SeedChoice;
  production: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Upper bound for `first` on every connection. */
  maxPageSize: number;
  auth: AuthConfig;
  /** Origins allowed to call the API from a browser (CORS); empty means none. */
  corsOrigins: string[];
  /** Introspection; off in production unless KIROKU_INTROSPECTION=true. */
  introspection: boolean;
  /** HMAC key of the subject index; generated in the data dir when unset (not in production). */
  subjectKey?: string;
  /** Cap on a request body (a registration push of 10,000 datasets is about 10 MB). */
  maxBodyBytes: number;
  /** Cap on a GraphQL document (the query text), checked before parsing; data travels as variables. */
  maxDocumentBytes: number;
  /** Days after a request closes before its reply contact is erased. */
  contactRetentionDays: number;
  /** Processor audits flag contracts expiring within this many days. */
  contractWindowDays: number;
  /** Processor audits flag country assessments older than this many days. */
  assessmentMaxAgeDays: number;
  /** A reply letter is approved by a privacy admin other than its drafter (four-eyes). */
  replyFourEyes: boolean;
  /** Server processes (node:cluster workers sharing the port); 1 runs a single process. */
  workers: number;
  /** Dev only: URL fields also accept http://localhost (otherwise https only). */
  httpLocalhostUrls: boolean;
  /** The web UI: where its built files are and the identity provider it signs in with. */
  ui: WebUiConfig;
  db: DatabaseLimits;
  admission: AdmissionConfig;
  /** How long a stopping server lets in-flight requests finish before it gives up on them. */
  shutdownGraceMs: number;
}

/** Bounds on every wait for the database (milliseconds; 0 turns a timeout off). */
export interface DatabaseLimits {
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
  /** Statement timeout of the connections that run bulk pushes, imports and exports. */
  bulkStatementTimeoutMs: number;
  /** Lock timeout of those connections: concurrent pushes to one system wait for each other. */
  bulkLockTimeoutMs: number;
  /** Longest wait for a free pooled connection. */
  poolWaitMs: number;
}

export interface AuthConfig {
  /** dev: keys generated in the data dir, tokens from `npm run token`; jwt: configured issuer and keys. */
  mode: 'dev' | 'jwt';
  issuer: string;
  audience: string;
  jwksUrl?: string;
  jwksFile?: string;
  /** Explicitly configured shared secret: only then is HS256 accepted. */
  hs256Secret?: string;
  rolesClaim: string;
  systemClaim: string;
  clockToleranceSeconds: number;
  /** Accepted `typ` header values, lower case without `application/`; `untyped` admits a token without one. */
  acceptedTypes: string[];
  /** When set, a token whose lifetime (exp − iat) exceeds this many seconds is refused. */
  maxTokenAgeSeconds?: number;
}

/** Where the organization is: storage and recipients elsewhere are foreign (APPI Art. 28, 32). */
export const HOME_COUNTRY = 'JP';

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

/** `typ` is a media type: compared case-insensitively, `application/` optional (RFC 7515 §4.1.9). */
export const normalizeTokenType = (t: string) => t.trim().toLowerCase().replace(/^application\//, '');

function tokenTypes(raw: string | undefined): string[] {
  const types = (raw || 'at+jwt,JWT').split(',').map(normalizeTokenType).filter(Boolean);
  if (types.length === 0) throw new ConfigError('JWT_ACCEPTED_TYPES must name at least one token type');
  // A refresh token (or an ID token) presented as an access token is the confusion RFC 8725 §3.11 warns of.
  const refused = types.find((t) => t === 'refresh+jwt' || t === 'id+jwt' || t === 'none');
  if (refused) throw new ConfigError(`JWT_ACCEPTED_TYPES cannot admit "${refused}"`);
  return types;
}

/** Parses every environment variable Kiroku reads, once; fails fast with a message naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  const migrationDatabaseUrl = env.MIGRATION_DATABASE_URL || undefined;
  if (migrationDatabaseUrl && !databaseUrl) throw new ConfigError('MIGRATION_DATABASE_URL needs DATABASE_URL (the embedded database has its own roles)');
  if (migrationDatabaseUrl && !/^postgres(ql)?:\/\//.test(migrationDatabaseUrl)) {
    throw new ConfigError('MIGRATION_DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  const production = env.NODE_ENV === 'production';
  const jwtConfigured = !!(env.JWT_ISSUER || env.JWT_AUDIENCE || env.JWT_JWKS_URL || env.JWT_JWKS_FILE || env.JWT_HS256_SECRET);
  if (!jwtConfigured && (production || databaseUrl) && env.KIROKU_DEV_AUTH !== 'true') {
    throw new ConfigError('JWT settings are required with DATABASE_URL or NODE_ENV=production: set JWT_ISSUER, JWT_AUDIENCE and JWT_JWKS_URL or JWT_JWKS_FILE');
  }
  if (jwtConfigured) {
    for (const name of ['JWT_ISSUER', 'JWT_AUDIENCE']) if (!env[name]) throw new ConfigError(`${name} is required when JWT settings are given`);
    if (!env.JWT_JWKS_URL && !env.JWT_JWKS_FILE && !env.JWT_HS256_SECRET) throw new ConfigError('set JWT_JWKS_URL or JWT_JWKS_FILE (or JWT_HS256_SECRET)');
    if (env.JWT_JWKS_URL && !/^https:\/\//.test(env.JWT_JWKS_URL) && production) throw new ConfigError('JWT_JWKS_URL must be https in production');
    if (env.JWT_HS256_SECRET && Buffer.byteLength(env.JWT_HS256_SECRET) < 32) throw new ConfigError('JWT_HS256_SECRET must be at least 32 bytes');
  }
  if (production && env.KIROKU_HTTP_LOCALHOST_URLS === 'true') throw new ConfigError('KIROKU_HTTP_LOCALHOST_URLS cannot be used with NODE_ENV=production');
  if (production && env.KIROKU_DEV_AUTH === 'true') throw new ConfigError('KIROKU_DEV_AUTH cannot be used with NODE_ENV=production');
  const auth: AuthConfig = {
    mode: jwtConfigured ? 'jwt' : 'dev',
    issuer: env.JWT_ISSUER || 'kiroku-dev',
    audience: env.JWT_AUDIENCE || 'kiroku',
    jwksUrl: env.JWT_JWKS_URL || undefined,
    jwksFile: env.JWT_JWKS_FILE ? path.resolve(env.JWT_JWKS_FILE) : undefined,
    hs256Secret: env.JWT_HS256_SECRET || undefined,
    rolesClaim: env.JWT_ROLES_CLAIM || 'roles',
    systemClaim: env.JWT_SYSTEM_CLAIM || 'system',
    clockToleranceSeconds: int(env, 'JWT_CLOCK_TOLERANCE_SECONDS', 0, 300) ?? 5,
    acceptedTypes: tokenTypes(env.JWT_ACCEPTED_TYPES),
    maxTokenAgeSeconds: int(env, 'JWT_MAX_TOKEN_AGE', 60, 366 * 86400),
  };
  const subjectKey = env.KIROKU_SUBJECT_KEY || undefined;
  if (subjectKey && Buffer.byteLength(subjectKey) < 32) throw new ConfigError('KIROKU_SUBJECT_KEY must be at least 32 bytes');
  if (!subjectKey && production) throw new ConfigError('KIROKU_SUBJECT_KEY is required in production (the subject index HMAC key)');
  return {
    subjectKey,
    maxBodyBytes: int(env, 'KIROKU_MAX_BODY_BYTES', 1024, 512 * 1024 * 1024) ?? 32 * 1024 * 1024,
    maxDocumentBytes: int(env, 'KIROKU_MAX_DOCUMENT_BYTES', 1024, 512 * 1024 * 1024) ?? 100 * 1024,
    contactRetentionDays: int(env, 'KIROKU_CONTACT_RETENTION_DAYS', 0, 3650) ?? 30,
    contractWindowDays: int(env, 'KIROKU_CONTRACT_WINDOW_DAYS', 0, 3650) ?? 60,
    assessmentMaxAgeDays: int(env, 'KIROKU_ASSESSMENT_MAX_AGE_DAYS', 1, 36500) ?? 365,
    replyFourEyes: (oneOf(env, 'KIROKU_REPLY_FOUR_EYES', ['true', 'false'] as const) ?? 'true') === 'true',
    auth,
    corsOrigins: (env.KIROKU_CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    introspection: env.KIROKU_INTROSPECTION ? env.KIROKU_INTROSPECTION === 'true' : !production,
    databaseUrl,
    migrationDatabaseUrl,
    dataDir: path.resolve(env.KIROKU_DATA_DIR || path.join(repoRoot, '.kiroku')),
    pgPort: int(env, 'KIROKU_PG_PORT', 1024, 65535),
    port: int(env, 'PORT', 0, 65535) ?? 4000,
    host: env.HOST || '0.0.0.0',
    seed: oneOf(env, 'KIROKU_SEED', ['none', 'notice', 'demo'] as const) ?? (databaseUrl ? 'none' : 'demo'),
    production,
    logLevel: oneOf(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const) ?? 'info',
    maxPageSize: int(env, 'KIROKU_MAX_PAGE_SIZE', 1, 10000) ?? 500,
    workers: int(env, 'KIROKU_WORKERS', 1, 64) ?? 1,
    db: {
      statementTimeoutMs: int(env, 'KIROKU_STATEMENT_TIMEOUT_MS', 0, 3_600_000) ?? 15_000,
      lockTimeoutMs: int(env, 'KIROKU_LOCK_TIMEOUT_MS', 0, 3_600_000) ?? 5_000,
      idleInTransactionTimeoutMs: int(env, 'KIROKU_IDLE_IN_TRANSACTION_TIMEOUT_MS', 0, 3_600_000) ?? 30_000,
      bulkStatementTimeoutMs: int(env, 'KIROKU_BULK_STATEMENT_TIMEOUT_MS', 0, 3_600_000) ?? 120_000,
      bulkLockTimeoutMs: int(env, 'KIROKU_BULK_LOCK_TIMEOUT_MS', 0, 3_600_000) ?? 30_000,
      poolWaitMs: int(env, 'KIROKU_POOL_WAIT_MS', 100, 600_000) ?? 10_000,
    },
    admission: {
      bodyBudgetBytes: int(env, 'KIROKU_BODY_BUDGET_BYTES', 1024, 4 * 1024 * 1024 * 1024) ?? 48 * 1024 * 1024,
      maxConcurrentWrites: int(env, 'KIROKU_MAX_CONCURRENT_WRITES', 1, 1000) ?? 4,
      costBudget: int(env, 'KIROKU_COST_BUDGET', 1000, 1_000_000_000) ?? 2_000_000,
      maxConcurrentExports: int(env, 'KIROKU_MAX_CONCURRENT_EXPORTS', 1, 100) ?? 2,
      queueWaitMs: int(env, 'KIROKU_QUEUE_WAIT_MS', 0, 600_000) ?? 5_000,
      rateLimitPoints: int(env, 'KIROKU_RATE_LIMIT_POINTS', 0, 1_000_000_000) ?? 20_000,
      rateLimitWindowSeconds: int(env, 'KIROKU_RATE_LIMIT_WINDOW_SECONDS', 1, 86_400) ?? 10,
    },
    shutdownGraceMs: int(env, 'KIROKU_SHUTDOWN_GRACE_MS', 1000, 600_000) ?? 10_000,
    httpLocalhostUrls: env.KIROKU_HTTP_LOCALHOST_URLS === 'true',
    ui: {
      dir: path.resolve(env.KIROKU_WEB_DIR || path.join(repoRoot, 'client/web/dist')),
      oidcIssuer: env.KIROKU_OIDC_ISSUER || undefined,
      oidcClientId: env.KIROKU_OIDC_CLIENT_ID || undefined,
      oidcScope: env.KIROKU_OIDC_SCOPE || undefined,
    },
  };
}

export { ConfigError };

/** For command lines: the config, or a one-line reason and exit code 2. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`kiroku: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
}
