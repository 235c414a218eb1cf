import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importJWK, SignJWT } from 'jose';
import { ensureDevKeys, DEV_ALG } from '../src/auth/dev-keys.js';
import { Role } from '../src/auth/roles.js';
import type { AuthConfig } from '../src/config.js';
import type { MikroORM } from '@mikro-orm/postgresql';
import { ensureDatabase } from '../src/db/embedded.js';
import { migrateUp, migrator, openOrm } from '../src/db/orm.js';
import { OWNER_ROLE, withDatabase } from '../src/db/roles.js';
import { createApp, type App } from '../src/app.js';
import { importManifests, readManifests, type ManifestDoc } from '../src/manifest/importer.js';
import { seedDirs } from '../src/manifest/seed.js';
import type { SeedChoice } from '../src/config.js';
import { templateFor } from './seeded-templates.js';

/**
 * A database of its own for a suite, cloned from the migrated template `npm test` prepared; the
 * URL connects as the application's least-privilege role, as the server does.
 */
export async function freshDatabaseUrl(template = templateFor(undefined).template): Promise<string> {
  const admin = process.env.KIROKU_TEST_ADMIN_URL;
  if (!admin) throw new Error('run the tests with `npm test` (it starts the test database)');
  const name = `t_${randomBytes(6).toString('hex')}`;
  await ensureDatabase(admin, name, template, OWNER_ROLE);
  return withDatabase(roleUrl('app'), name);
}

/** The test cluster's superuser, the owner role or the application role, on the database of `url`. */
export function roleUrl(role: 'admin' | 'owner' | 'app', url?: string): string {
  const base = { admin: process.env.KIROKU_TEST_ADMIN_URL, owner: process.env.KIROKU_TEST_OWNER_URL, app: process.env.KIROKU_TEST_APP_URL }[role];
  if (!base) throw new Error('run the tests with `npm test` (it starts the test database)');
  return url ? withDatabase(base, new URL(url).pathname.slice(1)) : base;
}

/** Dev-mode signing keys of this test process, shared by the suites it runs (run-tests groups them). */
export const keyDir = mkdtempSync(path.join(os.tmpdir(), 'kiroku-keys-'));
process.on('exit', () => rmSync(keyDir, { recursive: true, force: true }));
export const testAuth: AuthConfig = { mode: 'dev', issuer: 'kiroku-dev', audience: 'kiroku', rolesClaim: 'roles', systemClaim: 'system', clockToleranceSeconds: 5, acceptedTypes: ['at+jwt', 'jwt'] };

/** A real signed token, as `npm run token` makes it. */
export async function token(roles: Role[] | Role, opts: { system?: string; sub?: string; expiresIn?: string } = {}): Promise<string> {
  const { privateJwk } = await ensureDevKeys(keyDir);
  const list = Array.isArray(roles) ? roles : [roles];
  return new SignJWT({ roles: list, ...(opts.system ? { system: opts.system } : {}) })
    .setProtectedHeader({ alg: DEV_ALG, kid: privateJwk.kid, typ: 'at+jwt' })
    .setIssuer(testAuth.issuer)
    .setAudience(testAuth.audience)
    .setSubject(opts.sub ?? `test-${list[0].toLowerCase()}`)
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? '1h')
    .sign(await importJWK(privateJwk, DEV_ALG));
}

export interface TestServer {
  url: string;
  orm: MikroORM;
  app: App;
  /** As PRIVACY_ADMIN unless another token is given. */
  gql<T = any>(query: string, variables?: Record<string, unknown>, opts?: { operationName?: string; token?: string }): Promise<{ data?: T; errors?: Array<{ message: string; extensions: Record<string, any>; path?: string[] }> }>;
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  close(): Promise<void>;
}

/** The real server on a random port over a fresh database, optionally seeded. */
export async function startTestServer(opts: { seed?: SeedChoice; docs?: ManifestDoc[]; execution?: 'compiled' | 'graphql-js' } = {}): Promise<TestServer> {
  const { template, seeded } = templateFor(opts.seed);
  const orm = await openOrm(await freshDatabaseUrl(template));
  await migrateUp(orm);
  if (!seeded && opts.seed && opts.seed !== 'none') await importManifests(orm, await readManifests(seedDirs(opts.seed)));
  if (opts.docs) await importManifests(orm, opts.docs);
  const app = await createApp(orm, { maxPageSize: 500, production: false, auth: testAuth, dataDir: keyDir, corsOrigins: ['http://ui.example'], introspection: true, execution: opts.execution });
  const admin = await token(Role.PRIVACY_ADMIN, { sub: 'test-admin' });
  const port = await app.listen(0);
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    orm,
    app,
    async gql(query, variables, o) {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${o?.token ?? admin}` },
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

/**
 * A fresh database migrated up to (and including) `to`, for tests of what later migrations do to the
 * data as it stood then; `migrateRest` applies the others.
 */
export async function databaseAt(to: string): Promise<{ sql: (q: string, p?: unknown[]) => Promise<any[]>; migrateRest: () => Promise<void>; close: () => Promise<void> }> {
  const admin = process.env.KIROKU_TEST_ADMIN_URL!;
  const name = `t_${randomBytes(6).toString('hex')}`;
  await ensureDatabase(admin, name, 'template0');
  const orm = await openOrm(withDatabase(admin, name));
  await (await migrator(orm)).up({ to });
  return {
    sql: (q, p = []) => orm.em.getConnection().execute(q, p),
    migrateRest: async () => {
      await (await migrator(orm)).up();
    },
    close: () => orm.close(),
  };
}

/**
 * Settles every unsettled POSSIBLE dataset of an open request, and every activity no dataset serves,
 * with one finding, as the privacy team does before completing it; returns how many it settled.
 */
export async function settlePossible(s: Pick<TestServer, 'gql'>, requestId: string, holding: 'HELD' | 'NOT_HELD' = 'NOT_HELD', token?: string): Promise<number> {
  const r = await s.gql(`query P($id: ID!) { dataSubjectRequest(id: $id) { resolution { unindexedActivityCodes
    datasets { dataset { id } match confirmation { holding } } activities { activity { id code } confirmation { holding } } } } }`, { id: requestId }, { token });
  const res = r.data.dataSubjectRequest.resolution;
  const datasetIds = res.datasets.filter((d: any) => d.match === 'POSSIBLE' && !d.confirmation).map((d: any) => d.dataset.id);
  const activityIds = res.activities.filter((a: any) => res.unindexedActivityCodes.includes(a.activity.code) && !a.confirmation).map((a: any) => a.activity.id);
  if (!datasetIds.length && !activityIds.length) return 0;
  const m = await s.gql('mutation S($input: SettleHoldingsInput!) { settleHoldings(input: $input) { request { id } } }',
    { input: { requestId, datasetIds, activityIds, holding, note: holding === 'NOT_HELD' ? 'searched by the e-mail address: no record' : null } }, { token });
  if (m.errors) throw new Error(JSON.stringify(m.errors));
  return datasetIds.length + activityIds.length;
}
