import 'reflect-metadata';
import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { allowHttpLocalhostUrls } from './graphql/validators.js';
import type { Config } from './config.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded.js';
import { migrateUp, openOrm, pendingMigrationNames } from './db/orm.js';
import { sessionParameters } from './db/pool.js';
import { auditBypassRisk, grantAppPrivileges } from './db/roles.js';
import { seedIfEmpty } from './manifest/seed.js';
import { applyShippedCountries } from './locations/country-reference.js';
import { logger } from './observability/logger.js';

export interface Runtime {
  orm: MikroORM;
  embedded?: EmbeddedDatabase;
  databaseUrl: string;
  seeded: string | null;
  /**
   * Refreshes the planner's statistics (ANALYZE) as the tables' owner when there is an owner
   * connection: after a bulk load, until autovacuum gets to the tables, reads are planned on
   * empty-table estimates.
   */
  analyze(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * config → database (embedded or DATABASE_URL) → migrations → seed when empty. Shared by the
 * server, the CLI and the tests, so that all three run the same path. With an owner connection
 * (embedded, or MIGRATION_DATABASE_URL) the migrations run as the owner, which then grants the
 * application's role its row access; the ORM returned connects as the application's role.
 */
export async function bootstrap(config: Config, opts: { seed?: boolean; as?: 'server' | 'command' } = {}): Promise<Runtime> {
  allowHttpLocalhostUrls(config.httpLocalhostUrls);
  let embedded: EmbeddedDatabase | undefined;
  let url = config.databaseUrl;
  let ownerUrl = config.migrationDatabaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      port: config.pgPort,
      as: opts.as,
      onLog: (m) => logger.debug({ source: 'postgres' }, m.trim()),
    });
    url = embedded.url;
    ownerUrl = embedded.ownerUrl;
  }
  let orm: MikroORM | undefined;
  try {
    const appRole = await withClient(url, async (c) => (await c.query('select current_user as role')).rows[0].role as string);
    if (ownerUrl && ownerUrl !== url) await migrateAsOwner(ownerUrl, appRole);
    // The ORM's connections get the same bounds as the plain pools (config.db); imports and
    // migrations without an owner connection run on them too, hence the bulk statement timeout.
    const d = config.db;
    orm = await openOrm(url, {
      driverOptions: { connection: sessionParameters({ statementMs: d.bulkStatementTimeoutMs, lockMs: d.lockTimeoutMs, idleInTransactionMs: d.idleInTransactionTimeoutMs }) },
      pool: { min: 0, max: 20, acquireTimeoutMillis: d.poolWaitMs },
    });
    if (!ownerUrl || ownerUrl === url) await migrateUp(orm);
    // A release may ship newer country reference data than the database holds.
    await applyShippedCountries(orm.em.getConnection());
    const risk = await withClient(url, auditBypassRisk);
    if (risk) logger.warn({ role: appRole }, `${risk}: it could rewrite the audit trail; give DATABASE_URL a role without ownership and run migrations through MIGRATION_DATABASE_URL (README, Database roles)`);
    const seeded = opts.seed === false ? null : await seedIfEmpty(orm, config.seed);
    const o = orm;
    return {
      orm: o,
      embedded,
      databaseUrl: url,
      seeded,
      analyze: () => withClient(ownerUrl ?? url, async (c) => void (await c.query('analyze'))),
      shutdown: async () => {
        await o.close(true);
        await embedded?.stop();
      },
    };
  } catch (e) {
    await orm?.close(true).catch(() => {});
    await embedded?.stop().catch(() => {});
    throw e;
  }
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function migrateAsOwner(ownerUrl: string, appRole: string): Promise<void> {
  // Asked on a plain connection first: an ORM (its entity discovery) only when there is work.
  if ((await withClient(ownerUrl, async (c) => pendingMigrationNames(async (sql) => (await c.query(sql)).rows))).length) {
    const owner = await openOrm(ownerUrl, { pool: { min: 0, max: 1 } });
    try {
      await migrateUp(owner);
    } finally {
      await owner.close(true);
    }
  }
  await withClient(ownerUrl, async (c) => {
    // Two URLs for one role: granting to itself would revoke its own rights on the audit tables.
    if ((await c.query('select current_user as role')).rows[0].role !== appRole) await grantAppPrivileges(c, appRole);
  });
}
