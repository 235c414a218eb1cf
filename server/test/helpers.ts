import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { ensureDatabase } from '../src/db/embedded.js';
import { openOrm } from '../src/db/orm.js';
import { createApp, type App } from '../src/app.js';
import { importManifests, readManifests, type ManifestDoc } from '../src/manifest/importer.js';
import { seedDirs } from '../src/manifest/seed.js';
import type { SeedChoice } from '../src/config.js';

/** A database of its own for a suite, cloned from the migrated template `npm test` prepared. */
export async function freshDatabaseUrl(): Promise<string> {
  const admin = process.env.KIROKU_TEST_ADMIN_URL;
  const template = process.env.KIROKU_TEST_TEMPLATE;
  if (!admin || !template) throw new Error('run the tests with `npm test` (it starts the test database)');
  const name = `t_${randomBytes(6).toString('hex')}`;
  await ensureDatabase(admin, name, template);
  return admin.replace(/\/postgres$/, `/${name}`);
}

export interface TestServer {
  url: string;
  orm: MikroORM;
  app: App;
  gql<T = any>(query: string, variables?: Record<string, unknown>, opts?: { operationName?: string }): Promise<{ data?: T; errors?: Array<{ message: string; extensions: Record<string, any>; path?: string[] }> }>;
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  close(): Promise<void>;
}

/** The real server on a random port over a fresh database, optionally seeded. */
export async function startTestServer(opts: { seed?: SeedChoice; docs?: ManifestDoc[] } = {}): Promise<TestServer> {
  const orm = await openOrm(await freshDatabaseUrl());
  await orm.getMigrator().up();
  if (opts.seed && opts.seed !== 'none') await importManifests(orm, await readManifests(seedDirs(opts.seed)));
  if (opts.docs) await importManifests(orm, opts.docs);
  const app = await createApp(orm, { maxPageSize: 500, production: false });
  const port = await app.listen(0);
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    orm,
    app,
    async gql(query, variables, o) {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables, operationName: o?.operationName }),
      });
      return res.json() as Promise<any>;
    },
    async metric(name, labels = {}) {
      const text = await (await fetch(`${url}/metrics`)).text();
      const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
      let total = 0;
      for (const line of text.split('\n')) {
        if (!line.startsWith(name)) continue;
        const m = /^([a-z_]+)(\{[^}]*\})? ([0-9.e+-]+)$/.exec(line);
        if (!m || m[1] !== name) continue;
        if (want.every((w) => (m[2] ?? '').includes(w))) total += Number(m[3]);
      }
      return total;
    },
    async close() {
      await app.close();
      await orm.close(true);
    },
  };
}

export function doc(data: Record<string, unknown>, file = 'test.yaml'): ManifestDoc {
  return { file, data: { apiVersion: 'kiroku/v1', kind: 'Inventory', ...data } };
}
