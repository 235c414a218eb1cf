import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';

type CryptoKeyLike = Parameters<SignJWT['sign']>[0];
import pg from 'pg';

/**
 * The real server process (`server/dist/bin/main.js`) in production-like configuration: an
 * external PostgreSQL (DATABASE_URL), JWTs verified against a JWKS file, as an identity provider
 * would issue them.
 */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ISSUER = 'https://idp.example.test/';
export const AUDIENCE = 'kiroku-e2e';

export interface ServerProcess {
  url: string;
  /** The connection the server was given (DATABASE_URL). */
  databaseUrl: string;
  /** The identity provider's signing key and its published JWK. */
  signingKey: CryptoKeyLike;
  publicJwk: JWK;
  child: ChildProcess;
  output: () => string;
  token(roles: string[], opts?: { system?: string; sub?: string }): Promise<string>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * A database of its own, cloned from the migrated template of the test run, or from the run's
 * template already holding `seed` (the server then finds its seed there and imports nothing).
 */
export async function freshDatabase(adminUrl = process.env.KIROKU_TEST_ADMIN_URL, seed?: string): Promise<string> {
  if (!adminUrl || !process.env.KIROKU_TEST_TEMPLATE) throw new Error('run with `npm test`');
  const prepared = JSON.parse(process.env.KIROKU_TEST_SEEDED_TEMPLATES || '{}') as Record<string, string>;
  const template = (seed && prepared[seed]) || process.env.KIROKU_TEST_TEMPLATE;
  const name = `e2e_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`create database "${name}" template "${template}" owner kiroku_owner`);
  } finally {
    await client.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** The test cluster's superuser, owner or application role (`npm test` gives their URLs) on the database of `url`. */
export function asRole(url: string, role: 'admin' | 'owner' | 'app'): string {
  const base = process.env[{ admin: 'KIROKU_TEST_ADMIN_URL', owner: 'KIROKU_TEST_OWNER_URL', app: 'KIROKU_TEST_APP_URL' }[role]];
  if (!base) throw new Error('run with `npm test`');
  const u = new URL(base);
  u.pathname = new URL(url).pathname;
  return u.toString();
}

/**
 * Without a database given, a fresh one used as production should: the application's role in
 * DATABASE_URL, the owner's in MIGRATION_DATABASE_URL.
 */
export async function startServerProcess(opts: { databaseUrl?: string; migrationDatabaseUrl?: string; env?: Record<string, string>; nodeArgs?: string[] } = {}): Promise<ServerProcess> {
  const seed = opts.env?.KIROKU_SEED ?? 'notice';
  const fresh = opts.databaseUrl ? undefined : await freshDatabase(undefined, seed);
  const databaseUrl = opts.databaseUrl ?? asRole(fresh!, 'app');
  const migrationDatabaseUrl = opts.migrationDatabaseUrl ?? (fresh ? asRole(fresh, 'owner') : '');
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiroku-e2e-'));
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const kid = 'e2e-key-1';
  const jwksFile = path.join(dir, 'jwks.json');
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  await fs.writeFile(jwksFile, JSON.stringify({ keys: [publicJwk] }));
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), path.join(repoRoot, 'server/dist/bin/main.js')], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      MIGRATION_DATABASE_URL: migrationDatabaseUrl,
      KIROKU_DATA_DIR: dir,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
      JWT_JWKS_FILE: jwksFile,
      PORT: '0',
      HOST: '127.0.0.1',
      KIROKU_SEED: seed,
      KIROKU_SUBJECT_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'warn',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stderr!.on('data', (d) => (out += d));
  // A start that fails (a refused configuration, a timeout) takes its directory with it.
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('not ready in 60 s:\n' + out));
    }, 60_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /GraphQL\s+(http:\/\/\S+)\/graphql/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${out}`));
    });
  }).catch(async (e: unknown) => {
    await fs.rm(dir, { recursive: true, force: true });
    throw e;
  });
  return {
    url,
    databaseUrl,
    signingKey: privateKey,
    publicJwk,
    child,
    output: () => out,
    token: (roles, o = {}) =>
      new SignJWT({ roles, ...(o.system ? { system: o.system } : {}) })
        .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setSubject(o.sub ?? 'e2e')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(privateKey),
    // The process's own directory (its keys, its data dir) goes with it, also when it had already
    // exited; awaited, so that a test process ending right after leaves nothing in /tmp.
    stop: async (signal = 'SIGTERM') => {
      const code = await new Promise<number | null>((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (c) => resolve(c));
        child.kill(signal);
      });
      await fs.rm(dir, { recursive: true, force: true });
      return code;
    },
  };
}
