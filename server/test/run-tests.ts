import 'reflect-metadata';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDatabase, startEmbeddedPostgres } from '../src/db/embedded.js';
import { openOrm } from '../src/db/orm.js';
import { APP_ROLE, OWNER_ROLE, grantAppPrivileges, withDatabase } from '../src/db/roles.js';
import pg from 'pg';

/**
 * `npm test`: one throwaway embedded PostgreSQL for the run, a template database with the
 * migrations applied, and every suite in its own database cloned from it (fast and isolated).
 */
const here = path.dirname(fileURLToPath(import.meta.url));

async function findTests(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await findTests(p)));
    else if (entry.name.endsWith('.test.js')) out.push(p);
  }
  return out.sort();
}

const filter = process.argv.slice(2);
const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiroku-test-'));
await fs.chmod(dataDir, 0o755);
const db = await startEmbeddedPostgres({ dataDir, ephemeral: true });
let code = 1;
try {
  // The template is prepared as bootstrap prepares a database: migrated by the owner role, which
  // grants the application role its row access; clones keep owners and grants.
  const admin = db.adminUrl;
  await ensureDatabase(admin, 'kiroku_template', undefined, OWNER_ROLE);
  const ownerTemplate = withDatabase(db.ownerUrl, 'kiroku_template');
  const orm = await openOrm(ownerTemplate);
  await orm.getMigrator().up();
  await orm.close(true);
  const owner = new pg.Client({ connectionString: ownerTemplate });
  await owner.connect();
  await grantAppPrivileges(owner, APP_ROLE).finally(() => owner.end());
  const e2e = path.resolve(here, '../../../e2e/dist');
  const all = [...(await findTests(here)), ...(await fs.access(e2e).then(() => findTests(e2e), () => []))];
  const files = all.filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)));
  code = files.length === 0 ? 0 : await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ['--test', '--test-concurrency=2', ...files], {
      stdio: 'inherit',
      env: { ...process.env, KIROKU_TEST_ADMIN_URL: admin, KIROKU_TEST_OWNER_URL: withDatabase(db.ownerUrl, 'postgres'), KIROKU_TEST_APP_URL: withDatabase(db.url, 'postgres'), KIROKU_TEST_TEMPLATE: 'kiroku_template', LOG_LEVEL: process.env.LOG_LEVEL ?? 'error' },
    });
    // A hung suite must not hold CI: the whole run gets 15 minutes.
    const watchdog = setTimeout(() => {
      process.stderr.write('test run exceeded 15 minutes; stopping it\n');
      child.kill('SIGKILL');
    }, 15 * 60_000);
    child.on('exit', (c, signal) => {
      clearTimeout(watchdog);
      resolve(c ?? (signal ? 1 : 0));
    });
  });
  // The benchmark harness at its smallest size: generator, floor, answer comparison and report
  // (no timing assertions); `npm test -- bench` runs it alone.
  const bench = filter.length === 0 || filter.includes('bench');
  if (bench && code === 0) {
    code = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, [path.resolve(here, '../../../bench/run.mjs'), '--size', 'XS', '--duration', '2'], { stdio: 'inherit' });
      child.on('exit', (c) => resolve(c ?? 1));
    });
  }
} finally {
  await db.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
}
process.exit(code);
