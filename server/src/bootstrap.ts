import 'reflect-metadata';
import type { MikroORM } from '@mikro-orm/postgresql';
import { allowHttpLocalhostUrls } from './graphql/validators.js';
import type { Config } from './config.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded.js';
import { openOrm } from './db/orm.js';
import { seedIfEmpty } from './manifest/seed.js';
import { logger } from './observability/logger.js';

export interface Runtime {
  orm: MikroORM;
  embedded?: EmbeddedDatabase;
  databaseUrl: string;
  seeded: string | null;
  shutdown(): Promise<void>;
}

/**
 * config → database (embedded or DATABASE_URL) → migrations → seed when empty. Shared by the
 * server, the CLI and the tests, so that all three run the same path.
 */
export async function bootstrap(config: Config, opts: { seed?: boolean } = {}): Promise<Runtime> {
  allowHttpLocalhostUrls(config.httpLocalhostUrls);
  let embedded: EmbeddedDatabase | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      port: config.pgPort,
      onLog: (m) => logger.debug({ source: 'postgres' }, m.trim()),
    });
    url = embedded.url;
  }
  let orm: MikroORM | undefined;
  try {
    orm = await openOrm(url);
    await orm.getMigrator().up();
    const seeded = opts.seed === false ? null : await seedIfEmpty(orm, config.seed);
    const o = orm;
    return {
      orm: o,
      embedded,
      databaseUrl: url,
      seeded,
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
