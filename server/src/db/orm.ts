import path from 'node:path';
import fs from 'node:fs/promises';
import { MikroORM, type IMigrator, type Options } from '@mikro-orm/postgresql';
import { repoRoot } from '../config.js';
import { entities } from './entities.js';

// From the repository root, not from this module: the server also runs bundled (server/dist/bin).
const migrationsDir = path.join(repoRoot, 'server/dist/src/db/migrations');

export function ormOptions(clientUrl: string, extra: Partial<Options> = {}): Options {
  // MikroORM takes the host from the URL's authority only; libpq's `host` parameter (a socket
  // directory, as the embedded default gives, or an external server's /var/run/postgresql) wins.
  const socket = new URL(clientUrl).searchParams.get('host');
  return {
    clientUrl,
    ...(socket ? { host: socket } : {}),
    entities,
    // Resolvers must use the request's forked EntityManager; a slip into the global one throws.
    allowGlobalContext: false,
    forceUtcTimezone: true,
    discovery: { warnWhenNoEntities: true },
    pool: { min: 0, max: 20 },
    // The audit trail's hash chain and the datasets' push fingerprints are kept by SQL, not by entities (see their migrations).
    schemaGenerator: { skipTables: ['audit_chain', 'dataset_registration'] },
    migrations: {
      path: migrationsDir,
      pathTs: path.join(repoRoot, 'server/src/db/migrations'),
      glob: '!(*.d).{js,ts}',
      silent: true,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      emit: 'ts',
      fileName: (timestamp: string, name?: string) => `Migration${timestamp}${name ? '_' + name : ''}`,
    },
    ...extra,
  };
}

export async function openOrm(clientUrl: string, extra: Partial<Options> = {}): Promise<MikroORM> {
  return MikroORM.init(ormOptions(clientUrl, extra));
}

/**
 * The ORM's migrator, its module loaded on first use: with umzug and its command-line parser it is
 * a fifth of the server's start-up, and only a start on a database behind the code needs it.
 */
export async function migrator(orm: MikroORM): Promise<IMigrator> {
  const { Migrator } = await import('@mikro-orm/migrations');
  if (!migratorRegistered.has(orm)) {
    Migrator.register(orm);
    migratorRegistered.add(orm);
  }
  return orm.getMigrator();
}
const migratorRegistered = new WeakSet<MikroORM>();

/**
 * Names of the shipped migrations the database has not recorded, read as the migrator reads them
 * (its table against the compiled files) without loading it.
 */
export async function pendingMigrationNames(query: (sql: string) => Promise<Array<{ name: string }>>): Promise<string[]> {
  const shipped = (await fs.readdir(migrationsDir)).filter((f) => /^Migration.*\.js$/.test(f)).map((f) => f.slice(0, -'.js'.length));
  const applied = await query(`select "name" from "mikro_orm_migrations"`).catch((e: { code?: string }) => {
    if (e.code === '42P01') return [];
    throw e;
  });
  const done = new Set(applied.map((r) => r.name.replace(/\.[jt]s$/, '')));
  return shipped.filter((n) => !done.has(n)).sort();
}

/** Applies the pending migrations; the migrator is loaded only when there are some. */
export async function migrateUp(orm: MikroORM): Promise<void> {
  if ((await pendingMigrationNames((sql) => orm.em.getConnection().execute(sql))).length) await (await migrator(orm)).up();
}
