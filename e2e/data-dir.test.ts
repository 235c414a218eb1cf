import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import pg from 'pg';
import { repoRoot, startServerProcess } from './server-process.js';

/**
 * A running Kiroku owns its embedded PostgreSQL: `kiroku import` / `export` on its data dir work
 * through the live database instead of stopping it, and a second server on the same data dir is
 * refused with a message that says where the first one runs.
 */
const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiroku-datadir-'));
await fs.chmod(dataDir, 0o755);
const manifests = await fs.mkdtemp(path.join(os.tmpdir(), 'kiroku-datadir-manifest-'));
after(async () => {
  await fs.rm(dataDir, { recursive: true, force: true });
  await fs.rm(manifests, { recursive: true, force: true });
});

const env = { DATABASE_URL: '', MIGRATION_DATABASE_URL: '', KIROKU_DATA_DIR: dataDir, KIROKU_SEED: 'notice', LOG_LEVEL: 'warn' };

function run(args: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env, PORT: '0', HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
}

test('import and export beside a running server use its database; a second server is refused', async () => {
  const server = await startServerProcess({ env });
  const token = await server.token(['AUDITOR']);
  const processors = async () => {
    const r = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: '{ processors(first: 500) { edges { node { code } } } }' }) });
    assert.equal(r.status, 200);
    return ((await r.json()) as any).data.processors.edges.map((e: any) => e.node.code) as string[];
  };
  try {
    assert.ok(!(await processors()).includes('proc-beside-the-server'));
    await fs.writeFile(path.join(manifests, 'a.yaml'), 'apiVersion: kiroku/v1\nkind: Inventory\nprocessors:\n  - code: proc-beside-the-server\n    name: { en: Imported while the server runs }\n');
    const imported = await run([path.join(repoRoot, 'server/dist/bin/cli.js'), 'import', manifests]);
    assert.equal(imported.code, 0, imported.out);
    assert.ok((await processors()).includes('proc-beside-the-server'), 'the server sees the import at once');
    const out = path.join(manifests, 'export');
    const exported = await run([path.join(repoRoot, 'server/dist/bin/cli.js'), 'export', out]);
    assert.equal(exported.code, 0, exported.out);
    assert.match(await fs.readFile(path.join(out, 'inventory.yaml'), 'utf8'), /proc-beside-the-server/);
    assert.doesNotMatch(imported.out + exported.out, /reading the manifests|exporting /, 'no progress off a terminal without --progress');
    const loud = await run([path.join(repoRoot, 'server/dist/bin/cli.js'), 'export', out, '--progress']);
    assert.equal(loud.code, 0, loud.out);
    assert.match(loud.out, /^exporting processors: \d+ record\(s\)…$/m, 'progress by section with --progress');
    assert.equal((await fetch(`${server.url}/readyz`)).status, 200, 'the server still has its database');

    // A bulk import leaves the planner statistics fresh (ANALYZE as the tables' owner); a small one
    // leaves them to autovacuum.
    const lock = JSON.parse(await fs.readFile(path.join(dataDir, 'kiroku.lock'), 'utf8')) as { pgPort: number };
    const password = (await fs.readFile(path.join(dataDir, 'pg-password'), 'utf8')).trim();
    const db = new pg.Client({ connectionString: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${lock.pgPort}/kiroku` });
    await db.connect();
    try {
      // The server reaches its embedded PostgreSQL over the cluster's Unix socket (no client address), not loopback TCP.
      await processors();
      const app = (await db.query(`select count(*)::int as n, count(*) filter (where client_addr is null)::int as local from pg_stat_activity where usename = 'kiroku_app'`)).rows[0];
      assert.ok(app.n > 0, 'the server holds connections');
      assert.equal(app.local, app.n, `${app.n - app.local} of the server's ${app.n} connections over TCP`);
      const analyzed = async () => (await db.query(`select last_analyze from pg_stat_user_tables where relname = 'processor'`)).rows[0].last_analyze as Date | null;
      assert.equal(await analyzed(), null, 'the small import above did not analyze');
      const bulk = Array.from({ length: 1_000 }, (_, i) => `  - code: bulk-${i}\n    name: { en: Bulk ${i} }\n`).join('');
      await fs.writeFile(path.join(manifests, 'a.yaml'), `apiVersion: kiroku/v1\nkind: Inventory\nprocessors:\n${bulk}`);
      const bulkImport = await run([path.join(repoRoot, 'server/dist/bin/cli.js'), 'import', manifests, '--progress']);
      assert.equal(bulkImport.code, 0, bulkImport.out);
      assert.match(bulkImport.out, /refreshing the planner statistics \(ANALYZE\)/);
      assert.ok(await analyzed(), 'processor analyzed after importing 1,000 processors');
    } finally {
      await db.end();
    }

    const second = await run([path.join(repoRoot, 'server/dist/bin/main.js')]);
    assert.equal(second.code, 2, second.out);
    const port = new URL(server.url).port;
    assert.match(second.out, new RegExp(`Kiroku is already running on port ${port} with this data dir`));
    assert.equal((await fetch(`${server.url}/readyz`)).status, 200, 'and still has it after the refused start');
    assert.ok((await processors()).length > 0);
  } finally {
    assert.equal(await server.stop('SIGTERM'), 0);
  }
  // With the server gone its lock is too: the next server starts (on the same data).
  const again = await startServerProcess({ env });
  try {
    const r = await fetch(`${again.url}/readyz`);
    assert.equal(r.status, 200);
  } finally {
    await again.stop('SIGTERM');
  }
});
