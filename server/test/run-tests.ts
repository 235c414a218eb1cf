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
import { applyShippedCountries } from '../src/locations/country-reference.js';
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

const buildFinished = listenForBuild();
const filter = process.argv.slice(2);
const repoRoot = path.resolve(here, '../../..');
const durationsFile = path.join(repoRoot, 'test-output/test-durations.json');
// What a full run on the 2-core machine took per file, committed: a fresh clone (CI) orders by it.
const baselineFile = path.join(repoRoot, 'server/test/durations.json');
// Files run in parallel slots, three by default on the 2-core machine: a slot often waits (a server
// starting, a page loading, a timer the test sets), and a third file fills those gaps. Measured with
// the server bundled: 254 s of tests with three (95 % of both cores busy) against 279 s with two (89 %).
// KIROKU_TEST_CONCURRENCY overrides.
// The seeds prepared as template databases of their own (see below), by the suites' templateFor().
const SEEDED_TEMPLATES: Record<string, string> = Object.fromEntries((['demo', 'notice'] as SeedChoice[]).map((seed) => [seed, `kiroku_template_${seed}`]));
const concurrency = Math.max(1, Number(process.env.KIROKU_TEST_CONCURRENCY) || 3);
// The mark of a server test file that keeps a process of its own instead of sharing one (see grouped).
const OWN_PROCESS = /^\/\/ run-tests: own process\b/m;
// Every throwaway file of the run goes under one directory of its own, in memory where the machine has
// room there (see runTempDir), and the run removes it: clusters, data dirs, chromium's profiles.
const runTmp = await runTempDir();
process.env.TMPDIR = runTmp;
const summaryFile = path.join(os.tmpdir(), `kiroku-test-summary-${process.pid}.json`);
let summary: RunSummary | null = null;
let selected = 0;
const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiroku-test-'));
const groupDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiroku-test-groups-'));
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
  await applyShippedCountries(orm.em.getConnection());
  await orm.close(true);
  const owner = new pg.Client({ connectionString: ownerTemplate });
  await owner.connect();
  await grantAppPrivileges(owner, APP_ROLE).finally(() => owner.end());
  // Most suites start on a seed: a seeded template each (kiroku_template_demo, …) spares every one of
  // them the import, which is most of a cold server process's start.
  // Side by side: each seed waits on PostgreSQL part of the time, and nothing else runs yet.
  for (const database of Object.values(SEEDED_TEMPLATES)) await ensureDatabase(admin, database, 'kiroku_template', OWNER_ROLE);
  await Promise.all(Object.entries(SEEDED_TEMPLATES).map(async ([seed, database]) => {
    const seeded = await openOrm(withDatabase(db.ownerUrl, database));
    await importManifests(seeded, await readManifests(seedDirs(seed as SeedChoice))).finally(() => seeded.close(true));
  }));
  const built = await buildFinished;
  const e2e = path.resolve(here, '../../../e2e/dist');
  const all = built ? [...(await findTests(here)), ...(await fs.access(e2e).then(() => findTests(e2e), () => []))] : [];
  const chosen = all.filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)));
  selected = chosen.length;
  const known = await recorded();
  const { files: runnable, seconds: groupSeconds } = await grouped(chosen, known);
  const files = longestFirst(runnable, known, groupSeconds);
  // A filter that selects nothing is a typo, not a green run.
  if (!built) process.stderr.write('the build failed: no test was run\n');
  else if (files.length === 0) process.stderr.write(`no test file matches ${filter.map((f) => JSON.stringify(f)).join(' or ')}\n`);
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
  await fs.rm(groupDir, { recursive: true, force: true });
  // What a suite left behind (a killed server's directory, a file a test wrote) goes with the run.
  await fs.rm(runTmp, { recursive: true, force: true });
}
printSummary();
process.exit(code);

/**
 * The run's temporary directory. A full run writes about 4 GB (a PostgreSQL cluster with a database
 * per suite, a dozen more clusters the process suites start, chromium's profiles): on the 2-core
 * machine, with /tmp on disk, the kernel's share of the run's CPU was 103 of 440 CPU-s, and with the
 * same run in tmpfs 66 of 394, 214-223 s of tests against 201 s. So the run uses /dev/shm when it is a
 * tmpfs with room to spare, else the usual temporary directory; TMPDIR set by the caller is kept.
 * Mode 1777 as /tmp: the embedded PostgreSQL runs as the OS user postgres when the run is root's.
 */
async function runTempDir(): Promise<string> {
  const TMPFS_MAGIC = 0x01021994;
  const memory = '/dev/shm';
  let parent = os.tmpdir();
  if (!process.env.TMPDIR) {
    const st = await fs.statfs(memory).catch(() => null);
    if (st && st.type === TMPFS_MAGIC && st.bavail * st.bsize >= 6 * 1024 ** 3) parent = memory;
  }
  const dir = await fs.mkdtemp(path.join(parent, 'kiroku-test-run-'));
  await fs.chmod(dir, 0o1777);
  return dir;
}

/**
 * `npm test` (server/scripts/test.mjs) starts this runner as soon as the server is compiled, so that
 * the database above is prepared while the rest builds; the test files are looked for once the
 * build says it is done. Run on its own, the build is already done. Listening starts with the module:
 * a message that arrives before anyone listens is lost.
 */
function listenForBuild(): Promise<boolean> {
  if (!process.env.KIROKU_TEST_AFTER_BUILD || !process.send) return Promise.resolve(true);
  return new Promise((resolve) => {
    process.once('message', (m: { built?: boolean }) => resolve(m?.built === true));
    // The build's process gone without a word: nothing to test against.
    process.once('disconnect', () => resolve(false));
  });
}

/**
 * The in-process server suites share a few processes instead of one each: a process start (Node, the
 * server's modules, the test runner) costs more CPU than most of these files' tests, and the machine
 * has two cores. Each file becomes a suite named by its path, loaded synchronously inside it (require
 * of an ES module, so a test file has no top-level await), which keeps its tests and hooks in that
 * suite. The suites of a group run one after another (node:test runs a file's top-level suites in
 * order), so a suite reading the process-wide metrics as a difference before and after its own
 * requests reads its own. A file that must have a process to itself says so in a line starting with
 * `// run-tests: own process`, and why.
 */
async function grouped(files: string[], known: Record<string, number>): Promise<{ files: string[]; seconds: Map<string, number> }> {
  const key = (f: string) => path.relative(repoRoot, f);
  const shareable: string[] = [];
  for (const f of files) if (f.startsWith(here + path.sep) && !OWN_PROCESS.test(await fs.readFile(f, 'utf8'))) shareable.push(f);
  if (shareable.length < 2) return { files, seconds: new Map() };
  const groups: Array<{ members: string[]; seconds: number }> = Array.from({ length: Math.min(concurrency, shareable.length) }, () => ({ members: [], seconds: 0 }));
  for (const f of [...shareable].sort((a, b) => (known[key(b)] ?? 3) - (known[key(a)] ?? 3) || a.localeCompare(b))) {
    const g = groups.reduce((x, y) => (y.seconds < x.seconds ? y : x));
    g.members.push(f);
    g.seconds += known[key(f)] ?? 3;
  }
  const out = files.filter((f) => !shareable.includes(f));
  const seconds = new Map<string, number>();
  for (const [i, g] of groups.entries()) {
    const file = path.join(groupDir, `server-suites-${i + 1}.test.mjs`);
    const suites = g.members.sort().map((f) => `describe(${JSON.stringify(key(f))}, () => { require(${JSON.stringify(f)}); });`);
    await fs.writeFile(file, `import { describe } from 'node:test';\nimport { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n${suites.join('\n')}\n`);
    out.push(file);
    // A group lasts about as long as its members together.
    seconds.set(file, g.seconds);
  }
  return { files: out, seconds };
}

/**
 * Files in the order that finishes soonest on a few slots: longest first, by the durations the last
 * runs here recorded (test-output/test-durations.json, not committed), else by the committed
 * baseline (server/test/durations.json), else by a guess for a new file. A long file started last
 * runs alone at the end: on a fresh clone the guesses alone put boot and differential (~30 s each)
 * last, and the run took 305 s instead of ~265 s.
 */
function longestFirst(files: string[], known: Record<string, number>, groupSeconds: Map<string, number>): string[] {
  const key = (f: string) => path.relative(repoRoot, f);
  const guess = (f: string) => (/[/\\]e2e[/\\]dist[/\\](web-|bench-)/.test(f) ? 60 : /[/\\]e2e[/\\]/.test(f) ? 10 : 3);
  const seconds = (f: string) => groupSeconds.get(f) ?? known[key(f)] ?? guess(f);
  return [...files].sort((a, b) => seconds(b) - seconds(a) || a.localeCompare(b));
}

async function recorded(): Promise<Record<string, number>> {
  const read = (f: string) => fs.readFile(f, 'utf8').then((t) => JSON.parse(t) as Record<string, number>).catch(() => ({}) as Record<string, number>);
  return { ...(await read(baselineFile)), ...(await read(durationsFile)) };
}

async function recordDurations(fileSeconds: Record<string, number>): Promise<void> {
  const known = await recorded();
  // A grouped file is reported under its own (repository-relative) path, the group file not at all.
  for (const [f, s] of Object.entries(fileSeconds)) if (!f.startsWith(groupDir)) known[path.isAbsolute(f) ? path.relative(repoRoot, f) : f] = Math.round(s * 10) / 10;
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
