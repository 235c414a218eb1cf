import 'reflect-metadata';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDatabase, startEmbeddedPostgres } from '../src/db/embedded.js';
import { migrator, openOrm } from '../src/db/orm.js';
import { APP_ROLE, OWNER_ROLE, grantAppPrivileges, withDatabase } from '../src/db/roles.js';
import pg from 'pg';
import type { RunSummary } from './summary-reporter.js';
import { importManifests, readManifests } from '../src/manifest/importer.js';
import { seedDirs } from '../src/manifest/seed.js';
import type { SeedChoice } from '../src/config.js';

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
const repoRoot = path.resolve(here, '../../..');
const durationsFile = path.join(repoRoot, 'test-output/test-durations.json');
// Files run in parallel slots, two by default: three measured no faster on the 2-core machine
// (313 s against 312 s; vmstat shows both cores busy throughout), the browser suites being CPU-bound. KIROKU_TEST_CONCURRENCY overrides.
// The seeds prepared as template databases of their own (see below), by the suites' templateFor().
const SEEDED_TEMPLATES: Record<string, string> = Object.fromEntries((['demo', 'notice'] as SeedChoice[]).map((seed) => [seed, `kiroku_template_${seed}`]));
const concurrency = Math.max(1, Number(process.env.KIROKU_TEST_CONCURRENCY) || 2);
const summaryFile = path.join(os.tmpdir(), `kiroku-test-summary-${process.pid}.json`);
let summary: RunSummary | null = null;
let selected = 0;
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
  await (await migrator(orm)).up();
  await orm.close(true);
  const owner = new pg.Client({ connectionString: ownerTemplate });
  await owner.connect();
  await grantAppPrivileges(owner, APP_ROLE).finally(() => owner.end());
  // Most suites start on a seed: a seeded template each (kiroku_template_demo, …) spares every one of
  // them the import, which is most of a cold server process's start.
  for (const [seed, database] of Object.entries(SEEDED_TEMPLATES)) {
    await ensureDatabase(admin, database, 'kiroku_template', OWNER_ROLE);
    const seeded = await openOrm(withDatabase(db.ownerUrl, database));
    await importManifests(seeded, await readManifests(seedDirs(seed as SeedChoice))).finally(() => seeded.close(true));
  }
  const e2e = path.resolve(here, '../../../e2e/dist');
  const all = [...(await findTests(here)), ...(await fs.access(e2e).then(() => findTests(e2e), () => []))];
  const files = await longestFirst(all.filter((f) => filter.length === 0 || filter.some((x) => f.includes(x))));
  selected = files.length;
  // A filter that selects nothing is a typo, not a green run.
  if (files.length === 0) process.stderr.write(`no test file matches ${filter.map((f) => JSON.stringify(f)).join(' or ')}\n`);
  code = files.length === 0 ? 1 : await new Promise<number>((resolve) => {
    const reporter = process.stdout.isTTY ? 'spec' : 'tap';
    // A test that hangs fails on its own after five minutes instead of holding the run.
    const child = spawn(process.execPath, ['--test', `--test-concurrency=${concurrency}`, '--test-timeout=300000',
      `--test-reporter=${reporter}`, '--test-reporter-destination=stdout',
      `--test-reporter=${path.join(here, 'summary-reporter.js')}`, `--test-reporter-destination=${summaryFile}`, ...files], {
      stdio: 'inherit',
      // Its own process group, so the watchdog stops the files' servers and browsers too.
      detached: true,
      env: { ...process.env, KIROKU_TEST_ADMIN_URL: admin, KIROKU_TEST_OWNER_URL: withDatabase(db.ownerUrl, 'postgres'), KIROKU_TEST_APP_URL: withDatabase(db.url, 'postgres'), KIROKU_TEST_TEMPLATE: 'kiroku_template', KIROKU_TEST_SEEDED_TEMPLATES: JSON.stringify(SEEDED_TEMPLATES), LOG_LEVEL: process.env.LOG_LEVEL ?? 'error' },
    });
    // A hung suite must not hold CI: the whole run gets 15 minutes.
    const watchdog = setTimeout(() => {
      process.stderr.write('test run exceeded 15 minutes; stopping it\n');
      killGroup();
    }, 15 * 60_000);
    const killGroup = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    };
    // Detached, the group no longer hears the terminal's Ctrl-C: pass it on.
    const interrupted = () => killGroup();
    process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
    child.on('exit', (c, signal) => {
      clearTimeout(watchdog);
      process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
      resolve(c ?? (signal ? 1 : 0));
    });
  });
  if (files.length) {
    summary = await fs.readFile(summaryFile, 'utf8').then((t) => JSON.parse(t) as RunSummary).catch(() => null);
    if (summary) await recordDurations(summary.fileSeconds);
    await fs.rm(summaryFile, { force: true });
    // Files that define no test (a filter catching a helper, a suite that registers nothing) pass vacuously.
    if (code === 0 && !summary?.counts.tests) code = 1;
  }
} finally {
  await db.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
}
printSummary();
process.exit(code);

/**
 * Files in the order that finishes soonest on a few slots: longest first, by the durations the last
 * runs recorded (test-output/test-durations.json, not committed). Without a record — a fresh clone,
 * as in CI — the browser suites go first, then the other process-level suites, as they are the
 * longest; a long file started last would otherwise run alone at the end.
 */
async function longestFirst(files: string[]): Promise<string[]> {
  const known = await fs.readFile(durationsFile, 'utf8').then((t) => JSON.parse(t) as Record<string, number>).catch(() => ({}) as Record<string, number>);
  const key = (f: string) => path.relative(repoRoot, f);
  const guess = (f: string) => (/[/\\]e2e[/\\]dist[/\\](web-|bench-)/.test(f) ? 60 : /[/\\]e2e[/\\]/.test(f) ? 10 : 3);
  const seconds = (f: string) => known[key(f)] ?? guess(f);
  return [...files].sort((a, b) => seconds(b) - seconds(a) || a.localeCompare(b));
}

async function recordDurations(fileSeconds: Record<string, number>): Promise<void> {
  const known = await fs.readFile(durationsFile, 'utf8').then((t) => JSON.parse(t) as Record<string, number>).catch(() => ({}) as Record<string, number>);
  for (const [f, s] of Object.entries(fileSeconds)) known[path.relative(repoRoot, f)] = Math.round(s * 10) / 10;
  await fs.mkdir(path.dirname(durationsFile), { recursive: true });
  await fs.writeFile(durationsFile, JSON.stringify(known, null, 1) + '\n');
}

/** The last thing on the screen: what ran, what failed, and the verdict. */
function printSummary(): void {
  const lines = ['', '── test summary ──'];
  if (summary) {
    const c = summary.counts;
    lines.push(['tests', 'pass', 'fail', 'cancelled', 'skipped', 'todo'].map((k) => `${k} ${c[k] ?? 0}`).join(' · '));
    for (const f of summary.failed) lines.push(`  ✖ ${'  '.repeat(f.nesting)}${f.name}${f.file ? ` (${path.relative(process.cwd(), f.file)})` : ''}${f.message ? `: ${f.message}` : ''}`);
  } else {
    lines.push(selected ? 'no summary from the test run' : 'no test file selected');
  }
  lines.push(code === 0 ? 'OK' : `FAILED (exit ${code})`);
  process.stdout.write(lines.join('\n') + '\n');
}
