import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { repoRoot, startServerProcess, type ServerProcess } from './server-process.js';

/**
 * PostgreSQL goes away and comes back: readiness says so, requests fail with a clear code, and the
 * server recovers without a restart. The database is an embedded cluster this test controls.
 */
interface Cluster { url: string; ownerUrl: string; port: number; stop(): Promise<void> }
const { startEmbeddedPostgres } = (await import(path.join(repoRoot, 'server/dist/src/db/embedded.js'))) as {
  startEmbeddedPostgres(o: { dataDir: string; port?: number; ephemeral?: boolean }): Promise<Cluster>;
};

let dir: string;
let db: Cluster;
let server: ServerProcess;
let token: string;
before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiroku-faults-'));
  await fs.chmod(dir, 0o755);
  db = await startEmbeddedPostgres({ dataDir: dir, ephemeral: true });
  server = await startServerProcess({ databaseUrl: db.url, migrationDatabaseUrl: db.ownerUrl });
  token = await server.token(['PRIVACY_ADMIN']);
});
after(async () => {
  await server?.stop();
  await db?.stop().catch(() => {});
  await fs.rm(dir, { recursive: true, force: true });
});

const query = async () => {
  const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{"query":"{ subjectCategories { code } }"}' });
  return (await res.json()) as any;
};

test('database down: /readyz 503, requests SERVICE_UNAVAILABLE; back up: recovered without restart', async () => {
  assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
  assert.equal((await query()).data.subjectCategories.length, 12);
  await db.stop();
  assert.equal((await fetch(`${server.url}/readyz`)).status, 503);
  assert.equal((await fetch(`${server.url}/healthz`)).status, 200, 'the process itself is up');
  const down = await query();
  assert.equal(down.errors?.[0].extensions.code, 'SERVICE_UNAVAILABLE', JSON.stringify(down));
  db = await startEmbeddedPostgres({ dataDir: dir, port: db.port, ephemeral: true });
  let ready = 0;
  for (let i = 0; i < 50 && ready !== 200; i++) {
    ready = (await fetch(`${server.url}/readyz`)).status;
    if (ready !== 200) await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(ready, 200);
  assert.equal((await query()).data.subjectCategories.length, 12);
});
