// The benchmark: Kiroku against the raw-SQL floor on a synthetic inventory.
//   npm run bench -- --size XS|S|M|L [--duration 10] [--connections 10] [--workers 1] [--keep]
// Builds the inventory through Kiroku's own write paths (manifest importer, registerDatasets,
// reportSubjects), restarts the server to time a cold start on the loaded database, checks that
// Kiroku and the floor answer Q1–Q4 with the same ids, then runs each workload with autocannon
// (warm-up first) and prints a Markdown table; JSON goes to bench/results/<size>-<timestamp>.json.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { generate, FIELDS_PER_DATASET } from './generate.mjs';
import { normalize, firstDifference } from './compare.mjs';
import { overSocket } from '../server/dist/src/db/embedded.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { values: args } = parseArgs({
  options: {
    size: { type: 'string', default: 'S' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    keep: { type: 'boolean', default: false },
    workers: { type: 'string', default: '1' },
  },
});
const sizeName = args.size.toUpperCase();
const duration = Number(args.duration);
const connections = Number(args.connections);
// Under a second (the test suite's smoke run) only checks the harness: one load run per workload of
// SMOKE_REQUESTS requests, without the warm-up and the serial run (a timed autocannon run lasts at
// least a whole second whatever the duration asked).
const smoke = duration < 1;
const SMOKE_REQUESTS = 20;
const warmup = Math.max(1, Math.round(duration / 3));
const serialDuration = Math.max(1, Math.round(duration / 2));
const started = performance.now();
const log = (msg) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${msg}\n`);

const gen = generate(sizeName);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kiroku-bench-${sizeName.toLowerCase()}-`));
fs.chmodSync(dir, 0o755); // embedded PostgreSQL runs as the postgres user when we are root
const manifestDir = path.join(dir, 'manifest');
fs.mkdirSync(manifestDir);
// JSON is YAML: the importer reads it as is, and JSON is much faster to write and parse.
fs.writeFileSync(path.join(manifestDir, 'inventory.yaml'), JSON.stringify(gen.manifest));

// The per-principal rate limit is off: the benchmark drives one token as hard as it can to find
// the server's throughput, which the limit exists to deny a single client. Admission control
// stays on as users run it.
const env = { ...process.env, KIROKU_WORKERS: args.workers, KIROKU_DATA_DIR: dir, KIROKU_SEED: 'none', KIROKU_PG_PORT: '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATABASE_URL: '', NODE_ENV: '', KIROKU_RATE_LIMIT_POINTS: '0' };

// ---- process measurements ---------------------------------------------------------------------
const TICK = 100; // USER_HZ on Linux
function cpuSeconds(pid) {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / TICK;
  } catch { return 0; }
}
/** CPU seconds of every PostgreSQL process, by pid (backends come and go: compare per pid). */
function postgresCpu() {
  const byPid = new Map();
  for (const p of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try { if (fs.readFileSync(`/proc/${p}/comm`, 'utf8').trim() === 'postgres') byPid.set(p, cpuSeconds(p)); } catch { /* gone */ }
  }
  return byPid;
}
function postgresCpuSince(before) {
  let total = 0;
  for (const [pid, cpu] of postgresCpu()) total += cpu - (before.get(pid) ?? 0);
  return total;
}
/** The server process and its children (node:cluster workers). */
function serverPids(pid) {
  const pids = [String(pid)];
  for (const p of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      // Children that are node (workers), not the embedded PostgreSQL the server started.
      if (stat.split(') ')[1].split(' ')[1] === String(pid) && fs.readFileSync(`/proc/${p}/comm`, 'utf8').trim() === 'node') pids.push(p);
    } catch { /* gone */ }
  }
  return pids;
}
const serverCpuSeconds = (pid) => serverPids(pid).reduce((n, p) => n + cpuSeconds(p), 0);
/** Peak resident memory of the server: with workers, the sum of every process's peak. */
function peakRssMb(pid) {
  let total = 0;
  for (const p of serverPids(pid)) {
    try { total += Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'))[1]) / 1024; } catch { /* gone */ }
  }
  return total;
}

// ---- Kiroku -----------------------------------------------------------------------------------
// Started as `npm start` starts it: the same V8 flags.
/** The node flags an npm script gives the entry point it runs. */
const flagsOf = (script, entry) => {
  const text = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts[script];
  return (new RegExp(`node\\s+((?:--\\S+\\s+)*)${entry.replace(/[./]/g, '\\$&')}`).exec(text)?.[1] ?? '').split(/\s+/).filter(Boolean);
};
// KIROKU_BENCH_SERVER_FLAGS adds node flags for a look inside (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
const nodeFlags = [...flagsOf('start', 'server/dist/bin/main.js'), ...(process.env.KIROKU_BENCH_SERVER_FLAGS ?? '').split(/\s+/).filter(Boolean)];
// Whatever happens to the harness (a failure, Ctrl-C, a closed pipe), the servers it started go with
// it, including one still starting: a server left behind keeps its PostgreSQL running.
const live = new Set();
const track = (child) => {
  live.add(child);
  child.on('exit', () => live.delete(child));
  return child;
};
process.on('exit', () => {
  for (const child of live) child.kill('SIGINT');
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => process.exit(130));
async function startKiroku() {
  const t0 = performance.now();
  const child = track(spawn(process.execPath, [...nodeFlags, path.join(root, 'server/dist/bin/main.js')], { env, stdio: ['ignore', 'pipe', 'inherit'] }));
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /GraphQL\s+(http:\/\/\S+)\/graphql/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`kiroku exited with ${code} before it was ready`)));
  });
  for (;;) {
    const r = await fetch(`${url}/readyz`).catch(() => null);
    if (r?.ok) break;
    await new Promise((r2) => setTimeout(r2, 20));
  }
  return { child, url, readyMs: performance.now() - t0 };
}
async function stopKiroku(k) {
  const rss = peakRssMb(k.child.pid);
  k.child.kill('SIGINT');
  await new Promise((r) => k.child.on('exit', r));
  return rss;
}

log(`size ${sizeName}: ${gen.manifest.processingActivities.length} activities, ${gen.manifest.processors.length} processors, ${gen.manifest.storageLocations.length} storage locations, ${gen.size.datasets} datasets × ${FIELDS_PER_DATASET} fields, ${gen.size.subjects} subject-index entries; data in ${dir}`);
let t = performance.now();
execFileSync(process.execPath, [path.join(root, 'server/dist/bin/cli.js'), 'import', manifestDir], { env, stdio: ['ignore', 'ignore', 'inherit'] });
const importSeconds = (performance.now() - t) / 1000;
log(`manifest import: ${importSeconds.toFixed(1)} s`);

let kiroku = await startKiroku();
let floorChild = null;
const token = execFileSync(process.execPath, [path.join(root, 'server/dist/bin/token-cli.js'), '--role', 'PRIVACY_ADMIN'], { env }).toString().trim();
const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
// The load phase writes as a client should: a write shed as retryable (admission control on a slow or
// busy machine) is sent again after the delay the server names, a few times.
const gql = async (query, variables, operationName) => {
  for (let attempt = 1; ; attempt++) {
    const r = await fetch(`${kiroku.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables, operationName }) });
    const j = await r.json();
    const shed = j.errors?.length && j.errors.every((e) => e.extensions?.retryable === true);
    if (shed && attempt < 6) {
      await new Promise((resolve) => setTimeout(resolve, Number(r.headers.get('retry-after') ?? 1) * 1000));
      continue;
    }
    if (j.errors) throw new Error(`${operationName}: ${JSON.stringify(j.errors).slice(0, 2000)}`);
    return j.data;
  }
};
/** Runs `count` jobs, `parallel` at a time. */
async function inParallel(count, parallel, job) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, async () => {
    while (next < count) await job(next++);
  }));
}

// As the SDK and the CLI send a push: one JSON value (registerDatasets(push:)).
const REGISTER = 'mutation W1($push: RegisterDatasetsPush!) { registerDatasets(push: $push) { results { status } } }';
const REPORT = 'mutation Subjects($input: ReportSubjectsInput!) { reportSubjects(input: $input) { added } }';
t = performance.now();
await inParallel(gen.systemCount, connections, async (s) => {
  const d = await gql(REGISTER, { push: gen.push(s) }, 'W1');
  if (d.registerDatasets.results.some((r) => r.status !== 'CREATED')) throw new Error(`push ${s}: not all CREATED`);
});
const loadSeconds = (performance.now() - t) / 1000;
log(`registerDatasets load: ${gen.size.datasets} datasets in ${gen.systemCount} pushes, ${loadSeconds.toFixed(1)} s (${Math.round(gen.size.datasets / loadSeconds)} datasets/s)`);
t = performance.now();
await inParallel(gen.subjectBatches, 4, async (k) => gql(REPORT, { input: gen.subjectBatch(k) }, 'Subjects'));
const subjectSeconds = (performance.now() - t) / 1000;
log(`reportSubjects load: ${gen.size.subjects} entries, ${subjectSeconds.toFixed(1)} s (${Math.round(gen.size.subjects / subjectSeconds)} entries/s)`);

const dsr = await gql(
  'mutation Create($input: CreateDataSubjectRequestInput!) { createDataSubjectRequest(input: $input) { request { id } } }',
  { input: { framework: 'APPI', type: 'ERASE', channel: 'WEB', requester: { kind: 'SELF' }, responseMethod: 'ELECTRONIC', identities: [{ type: 'EMAIL', value: gen.q3.email }], subjectCategoryCodes: gen.q3.subjectCategories } },
  'Create',
);
const requestId = dsr.createDataSubjectRequest.request.id;
const large = await gql('query P($code: String!) { processors(first: 1, filter: { search: $code }) { edges { node { id code } } } }', { code: gen.largeProcessor }, 'P');
const processorId = large.processors.edges.find((e) => e.node.code === gen.largeProcessor).node.id;

// ---- cold start on the loaded database ------------------------------------------------------
const rssLoad = await stopKiroku(kiroku);
kiroku = await startKiroku();
const coldStartMs = kiroku.readyMs;
log(`cold start on the loaded database: ${(coldStartMs / 1000).toFixed(1)} s (peak RSS while loading ${rssLoad.toFixed(0)} MB)`);

// ---- the floor --------------------------------------------------------------------------------
const password = fs.readFileSync(path.join(dir, 'pg-password'), 'utf8').trim();
// The floor reaches PostgreSQL the way Kiroku's embedded default does (its Unix socket when it has one).
// The running server's cluster, at the port it chose (its lock file names it).
const { pgPort } = JSON.parse(fs.readFileSync(path.join(dir, 'kiroku.lock'), 'utf8'));
const dbUrl = overSocket(`postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${pgPort}/kiroku`, path.join(dir, 'pg'), pgPort);
// The load went through the API, as an integration pushes; PostgreSQL's autovacuum would analyze those
// tables within a minute or so of it. The workloads measure the steady state, not that first minute:
// without statistics the processor audit ran at 0.02× the floor instead of 0.17× (XS).
{
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  const t0 = performance.now();
  await client.query('analyze').finally(() => client.end());
  log(`statistics: ANALYZE after the load, ${((performance.now() - t0) / 1000).toFixed(1)} s (what autovacuum would do shortly after)`);
}
// Port 0 and the address the floor prints: a port found free here can be taken before a child binds it.
floorChild = track(spawn(process.execPath, [path.join(root, 'bench/floor.mjs'), dbUrl, '0'], { stdio: ['ignore', 'pipe', 'inherit'] }));
const floorUrl = await new Promise((resolve, reject) => {
  let out = '';
  floorChild.stdout.on('data', (d) => {
    out += d;
    const m = /floor listening on (http:\/\/\S+)/.exec(out);
    if (m) resolve(m[1]);
  });
  floorChild.on('exit', (code) => reject(new Error(`the floor server exited with ${code} before it was ready`)));
});

// ---- the workloads ---------------------------------------------------------------------------
const Q = {
  Q1: {
    query: `query Q1($first: Int!) { processingActivities(first: $first) { edges { node { id code name { en }
      purposes { id code } dataCategories { id code kind } subjectCategories { id code }
      processors { id code storageLocations { id country } } } } } }`,
    variables: { first: 50 }, floor: '/q1?first=50',
  },
  Q2: {
    query: `query Q2($id: ID!) { processorAudit(processorId: $id) { processor { id code } findings { code severity }
      activities { id code } dataCategories { id code kind } subjectCategories { id code } datasets { id key } storageLocations { id country } } }`,
    variables: { id: processorId }, floor: `/q2?id=${processorId}`,
  },
  Q3: {
    query: `query Q3($id: ID!) { dataSubjectRequest(id: $id) { resolution { activities { activity { id } } datasets { match dataset { id } }
      processors { via processor { id } } foreignLocations { kind country storageLocation { id } foreignTransfer { id } } } } }`,
    variables: { id: requestId }, floor: `/q3?id=${requestId}`,
  },
  Q4: {
    query: `query Q4($activities: Int!, $fanOut: Int!) { dataFlowGraph(maxActivities: $activities, maxFanOut: $fanOut) {
      nodes { id kind code label { ja en } flags } edges { source target kind } truncations { source edgeKind shown total } } }`,
    variables: { activities: 200, fanOut: 50 }, floor: '/q4?activities=200&fanOut=50',
  },
};
// G1: the data-flow graph as large as the API draws it (2,000 activities, fan-outs of 1,000): at L
// a fifth of the inventory, at XS all of it. The same statement shape as Q4, checked the same way.
const G_ACTIVITIES = 2000;
const G_FAN_OUT = 1000;
// One connection: such a graph fills the server's budget for large reads (admission control), so
// concurrent ones wait or are shed with 503 by design; a few people opening the map is the use.
Q.G1 = { query: Q.Q4.query.replace('query Q4', 'query G1'), variables: { activities: G_ACTIVITIES, fanOut: G_FAN_OUT }, floor: `/q4?activities=${G_ACTIVITIES}&fanOut=${G_FAN_OUT}`, shape: 'Q4', connections: 1 };

let rssRun = 0;
const sizes = {};
for (const [name, q] of Object.entries(Q)) {
  const k = await gql(q.query, q.variables, name);
  const f = await (await fetch(floorUrl + q.floor)).json();
  const a = normalize(q.shape ?? name, 'kiroku', k);
  const b = normalize(q.shape ?? name, 'floor', f);
  const diff = firstDifference(a, b);
  if (diff) {
    log(`${name}: Kiroku's and the floor's answers differ at ${diff}`);
    process.exitCode = 1;
  }
  sizes[name] = Object.fromEntries(Object.entries(a).map(([key, v]) => [key, Array.isArray(v) ? v.length : v]));
  log(`${name}: answers match (${JSON.stringify(sizes[name])})`);
}
if (process.exitCode) await finish(false);

// Q1 at 50 and at 200 activities must take the same number of statements.
const metrics = async () => (await (await fetch(`${kiroku.url}/metrics`)).text());
const statementTotals = (text, op) => {
  const get = (suffix) => Number(text.split('\n').find((l) => l.startsWith(`kiroku_sql_statements_per_operation_${suffix}{`) && l.includes(`operation_name="${op}"`))?.split(' ').pop() ?? 0);
  return { sum: get('sum'), count: get('count') };
};
async function statementsOf(query, variables, op) {
  const before = statementTotals(await metrics(), op);
  await gql(query, variables, op);
  const after = statementTotals(await metrics(), op);
  return after.sum - before.sum;
}
const q1At50 = await statementsOf(Q.Q1.query.replace('query Q1', 'query Q1_50'), { first: 50 }, 'Q1_50');
const q1At200 = await statementsOf(Q.Q1.query.replace('query Q1', 'query Q1_200'), { first: 200 }, 'Q1_200');
log(`Q1 statements: ${q1At50} at 50 activities, ${q1At200} at 200`);
if (q1At50 !== q1At200) {
  log('Q1 takes more statements for a longer page');
  process.exitCode = 1;
}

function cannon(opts) {
  // GraphQL errors come back as HTTP 200: a body carrying `errors` is a failed request too.
  let graphqlErrors = 0;
  const onResponse = (status, body) => {
    if (status >= 200 && status < 300 && String(body).includes('"errors":[')) graphqlErrors++;
  };
  const requests = (opts.requests ?? [{}]).map((r) => ({ ...r, onResponse }));
  return new Promise((resolve, reject) => {
    const length = smoke && !opts.duration ? { amount: SMOKE_REQUESTS } : { duration };
    autocannon({ connections, timeout: 60, ...length, ...opts, requests }, (err, res) => (err ? reject(err) : resolve({ ...res, graphqlErrors })));
  });
}
const failures = (r) => r.non2xx + r.errors + r.timeouts + r.graphqlErrors;
async function measure(url, opts, pid, withWarmup = true) {
  const warm = withWarmup && !smoke ? await cannon({ url, ...opts, duration: warmup }) : null;
  const cpu0 = serverCpuSeconds(pid);
  const pg0 = postgresCpu();
  const res = await cannon({ url, ...opts });
  // A smoke run is a number of requests, not a time: its rates are over the time it took.
  const seconds = smoke ? Math.max(res.duration, 0.01) : duration;
  const cpu = (serverCpuSeconds(pid) - cpu0) / seconds;
  const pgCpu = postgresCpuSince(pg0) / seconds;
  const serial = smoke ? null : await cannon({ url, ...opts, connections: 1, duration: serialDuration });
  const bad = failures(res);
  if (bad) log(`  ${bad} failed requests of ${res.requests.total} (${res.non2xx} non-2xx, ${res.graphqlErrors} with GraphQL errors, ${res.errors} errors, ${res.timeouts} timeouts)`);
  // Figures over failed requests measure the failure path: any failure fails the run.
  const anyBad = bad + (serial ? failures(serial) : 0) + (warm ? failures(warm) : 0);
  if (anyBad) {
    log(`  ${anyBad} failed requests in this workload (warm-up and serial run included)`);
    process.exitCode = 1;
  }
  return {
    rps: Math.round(smoke ? res.requests.total / seconds : res.requests.average), seconds, p50: res.latency.p50, p99: res.latency.p99, serialMs: serial ? Number(serial.latency.average.toFixed(2)) : null,
    cpu: Math.round(cpu * 100), pgCpu: Math.round(pgCpu * 100), failed: bad, requests: res.requests.total,
  };
}

const workloads = [];
for (const [name, q] of Object.entries(Q)) {
  log(`${name}: Kiroku …`);
  const m0 = statementTotals(await metrics(), name);
  const only = q.connections ? { connections: q.connections } : {};
  const k = await measure(`${kiroku.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query: q.query, variables: q.variables, operationName: name }), ...only }, kiroku.child.pid);
  const m1 = statementTotals(await metrics(), name);
  k.statements = m1.count > m0.count ? Number(((m1.sum - m0.sum) / (m1.count - m0.count)).toFixed(1)) : null;
  log(`${name}: floor …`);
  const f = await measure(floorUrl + q.floor, { method: 'GET', ...only }, floorChild.pid);
  workloads.push({ name, kiroku: k, floor: { rps: f.rps, p50: f.p50, p99: f.p99, serialMs: f.serialMs, cpu: f.cpu, pgCpu: f.pgCpu }, ratio: Number((k.rps / f.rps).toFixed(2)), serialRatio: k.serialMs && f.serialMs ? Number((k.serialMs / f.serialMs).toFixed(2)) : null });
}

/**
 * Pushes timed as datasets per second: `bodyOf(i)` is the i-th request's body. From the completed
 * pushes, not autocannon's rounded per-second average (2.4 pushes/s is not 2).
 */
async function measurePushes(name, bodyOf) {
  let n = 0;
  const opts = { method: 'POST', headers, requests: [{ setupRequest: (req) => { req.body = bodyOf(n++); return req; } }] };
  const m0 = statementTotals(await metrics(), name);
  const k = await measure(`${kiroku.url}/graphql`, opts, kiroku.child.pid, false);
  const m1 = statementTotals(await metrics(), name);
  k.statements = m1.count > m0.count ? Number(((m1.sum - m0.sum) / (m1.count - m0.count)).toFixed(1)) : null;
  const pushesPerSecond = k.requests / k.seconds;
  return { ...k, rps: Math.round(pushesPerSecond * gen.push(0).datasets.length), pushesPerSecond };
}

// W1: pushes of 1,000 datasets × 10 fields; every push changes every dataset of its system (the
// name alternates between two revisions), so each one is a real update, not an UNCHANGED no-op.
{
  log('W1: Kiroku …');
  const systems = Math.min(gen.systemCount, 20);
  const bodies = [1, 2].map((rev) => Array.from({ length: systems }, (_, s) => JSON.stringify({ query: REGISTER, variables: { push: gen.push(s, rev) }, operationName: 'W1' })));
  const k = await measurePushes('W1', (i) => bodies[Math.floor(i / systems) % 2][i % systems]);
  workloads.push({ name: 'W1', unit: 'datasets/s', kiroku: k, floor: null, ratio: null, loadDatasetsPerSecond: Math.round(gen.size.datasets / loadSeconds) });
}

// W1r: identical re-pushes, what an integration's periodic sync sends most of the time: every
// dataset UNCHANGED, nothing written. Each system is first pushed at one revision; a push of the
// same revision is then checked to change nothing before it is timed.
{
  log('W1r: Kiroku …');
  const REPUSH = REGISTER.replace('mutation W1(', 'mutation W1r(');
  const systems = Math.min(gen.systemCount, 20);
  for (let s = 0; s < systems; s++) await gql(REPUSH, { push: gen.push(s, 1) }, 'W1r');
  const again = await gql(REPUSH, { push: gen.push(0, 1) }, 'W1r');
  const changed = again.registerDatasets.results.filter((r) => r.status !== 'UNCHANGED').length;
  if (changed) {
    log(`W1r: an identical re-push reported ${changed} datasets as changed`);
    process.exitCode = 1;
  }
  const bodies = Array.from({ length: systems }, (_, s) => JSON.stringify({ query: REPUSH, variables: { push: gen.push(s, 1) }, operationName: 'W1r' }));
  const k = await measurePushes('W1r', (i) => bodies[i % systems]);
  workloads.push({ name: 'W1r', unit: 'datasets/s', kiroku: k, floor: null, ratio: null });
}

// W2: subject lookups of persons spread over the index.
{
  log('W2: Kiroku …');
  const LOOKUP = 'query W2($v: String!) { subjectLookup(identityType: EMAIL, value: $v) { id } }';
  const population = gen.size.subjects / 5;
  const bodies = Array.from({ length: 1000 }, (_, i) => JSON.stringify({ query: LOOKUP, variables: { v: `person.${(i * 7919) % population}@bench.example` }, operationName: 'W2' }));
  const held = await gql(LOOKUP, { v: gen.q3.email }, 'W2');
  if (held.subjectLookup.length !== gen.q3.datasets.length) {
    log(`W2: person 0 is in ${held.subjectLookup.length} datasets, expected ${gen.q3.datasets.length}`);
    process.exitCode = 1;
  }
  let n = 0;
  const opts = { method: 'POST', headers, requests: [{ setupRequest: (req) => { req.body = bodies[n++ % bodies.length]; return req; } }] };
  const m0 = statementTotals(await metrics(), 'W2');
  const k = await measure(`${kiroku.url}/graphql`, opts, kiroku.child.pid);
  const m1 = statementTotals(await metrics(), 'W2');
  k.statements = m1.count > m0.count ? Number(((m1.sum - m0.sum) / (m1.count - m0.count)).toFixed(1)) : null;
  workloads.push({ name: 'W2', unit: 'lookups/s', kiroku: k, floor: null, ratio: null });
}

// D1: the web UI dashboard's own operation, read from its page so that the benchmark sends what the
// UI sends. No floor: its lists rank every processor by the findings of its audit, rules that have no
// hand-written SQL here but Q2's, for one processor.
{
  log('D1: Kiroku …');
  const page = fs.readFileSync(path.join(root, 'client/web/src/pages/Dashboard.tsx'), 'utf8');
  const query = /graphql\(`\s*(query Dashboard\b[\s\S]*?)`\)/.exec(page)?.[1];
  if (!query) throw new Error('the Dashboard operation was not found in client/web/src/pages/Dashboard.tsx');
  const variables = { soon: new Date(Date.now() + 7 * 86_400_000).toISOString() };
  // The first dashboard after the writes (W1, W2) makes every processor's audit anew; the ones after
  // it, reading the same snapshot, share that audit (see sharedAudit in processor-audit.service).
  const t0 = performance.now();
  const first = await gql(query, variables, 'Dashboard');
  const afterWriteMs = Math.round(performance.now() - t0);
  log(`D1: the first dashboard after the writes (a new audit): ${afterWriteMs} ms`);
  if (first.riskiest.edges.length === 0) {
    log('D1: the dashboard lists no processor');
    process.exitCode = 1;
  }
  const m0 = statementTotals(await metrics(), 'Dashboard');
  const k = await measure(`${kiroku.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables, operationName: 'Dashboard' }) }, kiroku.child.pid);
  k.afterWriteMs = afterWriteMs;
  const m1 = statementTotals(await metrics(), 'Dashboard');
  k.statements = m1.count > m0.count ? Number(((m1.sum - m0.sum) / (m1.count - m0.count)).toFixed(1)) : null;
  workloads.push({ name: 'D1', kiroku: k, floor: null, ratio: null });
}

rssRun = peakRssMb(kiroku.child.pid);

// RoPA export: the APPI record of processing of the whole inventory as XLSX (GET /exports/ropa.xlsx,
// what the Exports page downloads), timed once, with the server's resident memory polled while it
// is made (target at L: < 60 s and < 400 MB).
let ropa = null;
{
  log('RoPA: GET /exports/ropa.xlsx …');
  const rssNow = () => serverPids(kiroku.child.pid).reduce((n, p) => {
    try { return n + Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'))[1]) / 1024; } catch { return n; }
  }, 0);
  let peak = rssNow();
  const poll = setInterval(() => { peak = Math.max(peak, rssNow()); }, 50);
  const t0 = performance.now();
  const res = await fetch(`${kiroku.url}/exports/ropa.xlsx?framework=APPI&language=JA`, { headers: { authorization: headers.authorization } });
  const bytes = (await res.arrayBuffer()).byteLength;
  clearInterval(poll);
  const seconds = (performance.now() - t0) / 1000;
  ropa = { status: res.status, seconds: Number(seconds.toFixed(1)), serverRssMb: Math.round(Math.max(peak, rssNow())), bytes, fileMb: Number((bytes / 1024 / 1024).toFixed(2)) };
  log(`RoPA: ${ropa.seconds} s, server RSS up to ${ropa.serverRssMb} MB, ${ropa.fileMb} MB of XLSX (HTTP ${res.status})`);
  if (res.status !== 200 || bytes === 0) process.exitCode = 1;
}

// Export: the whole inventory as `kiroku export` writes it, beside the running server (issue 15: the L
// inventory in < 60 s with a peak RSS < 400 MB). The exporter's own peak is polled from /proc.
let exported = null;
{
  log('export: kiroku export …');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'kiroku-bench-export-'));
  const t0 = performance.now();
  // With the node flags `npm run kiroku` gives it (a bounded heap: without one V8 lets garbage grow
  // to three times the live set before collecting, and the export makes garbage at a steady pace).
  const child = track(spawn(process.execPath, [...flagsOf('kiroku', 'server/dist/bin/cli.js'), path.join(root, 'server/dist/bin/cli.js'), 'export', out], { env, stdio: ['ignore', 'ignore', 'inherit'] }));
  let peak = 0;
  const poll = setInterval(() => { peak = Math.max(peak, peakRssMb(child.pid)); }, 50);
  const code = await new Promise((r) => child.on('exit', r));
  clearInterval(poll);
  const seconds = (performance.now() - t0) / 1000;
  const file = path.join(out, 'inventory.yaml');
  const mb = fs.existsSync(file) ? fs.statSync(file).size / 1024 / 1024 : 0;
  fs.rmSync(out, { recursive: true, force: true });
  exported = { seconds: Number(seconds.toFixed(1)), peakRssMb: Math.round(peak), fileMb: Number(mb.toFixed(1)), exitCode: code };
  log(`export: ${exported.seconds} s, peak RSS ${exported.peakRssMb} MB, ${exported.fileMb} MB of YAML (exit ${code})`);
  if (code !== 0) { await finish(false); }
}
await finish(true);

async function finish(ok) {
  const rssPeakMb = Math.round(Math.max(rssLoad ?? 0, kiroku ? peakRssMb(kiroku.child.pid) : 0, rssRun ?? 0));
  floorChild?.kill('SIGINT');
  if (kiroku) await stopKiroku(kiroku);
  if (!ok) {
    if (!args.keep) fs.rmSync(dir, { recursive: true, force: true });
    process.exit(1);
  }
  const result = {
    size: sizeName, workers: Number(args.workers), date: new Date().toISOString(), machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version }, durationSeconds: duration, connections,
    inventory: { activities: gen.manifest.processingActivities.length, processors: gen.manifest.processors.length, storageLocations: gen.manifest.storageLocations.length, datasets: gen.size.datasets, fields: gen.size.datasets * FIELDS_PER_DATASET, subjectIndexEntries: gen.size.subjects },
    load: { manifestImportSeconds: Number(importSeconds.toFixed(1)), registerDatasetsSeconds: Number(loadSeconds.toFixed(1)), reportSubjectsSeconds: Number(subjectSeconds.toFixed(1)) },
    answers: sizes, q1Statements: { at50: q1At50, at200: q1At200 },
    workloads, rssPeakMb, coldStartMs: Math.round(coldStartMs), export: exported, ropa,
  };
  const out = path.join(root, 'bench/results');
  fs.mkdirSync(out, { recursive: true });
  const file = path.join(out, `${sizeName}-${result.date.replace(/[:.]/g, '-')}.json`);
  const row = (w) => {
    const k = w.kiroku;
    const f = w.floor;
    return `| ${w.name} | ${k.rps}${w.unit ? ` ${w.unit}` : ''} | ${k.p50} | ${k.p99} | ${k.serialMs ?? '–'} | ${k.statements ?? '–'} | ${k.cpu} % / ${k.pgCpu} % | ${f ? f.rps : '–'} | ${f?.serialMs ?? '–'} | ${f ? `${f.cpu} % / ${f.pgCpu} %` : '–'} | ${w.ratio ?? '–'} | ${w.serialRatio ?? '–'} |`;
  };
  const targets = targetRows(result);
  result.targets = targets;
  fs.writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  console.log([
    `## ${sizeName}: ${result.inventory.activities} activities, ${result.inventory.processors} processors, ${result.inventory.datasets} datasets × ${FIELDS_PER_DATASET} fields, ${result.inventory.subjectIndexEntries} subject-index entries`,
    '',
    `${connections} connections (G1: one), ${smoke ? `${SMOKE_REQUESTS} requests per workload (smoke run: no warm-up, no serial run)` : `${duration} s per workload after a ${warmup} s warm-up; serial = one connection`}. CPU = server process${Number(args.workers) > 1 ? `es (${args.workers} workers)` : ''} / all PostgreSQL processes (100 % = one core).`,
    '',
    '| workload | Kiroku req/s | p50 ms | p99 ms | serial ms | SQL/req | CPU Kiroku / PG | floor req/s | floor serial ms | CPU floor / PG | ÷ floor | serial × floor |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...workloads.map(row),
    '',
    `Peak RSS of the server ${rssPeakMb} MB · cold start on the loaded database ${(coldStartMs / 1000).toFixed(1)} s · Q1 statements at 50 / 200 activities: ${q1At50} / ${q1At200}`,
    `Load: manifest import ${result.load.manifestImportSeconds} s, registerDatasets ${result.load.registerDatasetsSeconds} s (${Math.round(gen.size.datasets / loadSeconds)} datasets/s), reportSubjects ${result.load.reportSubjectsSeconds} s · whole run ${((performance.now() - started) / 1000).toFixed(0)} s`,
    ...(ropa ? [`RoPA export (GET /exports/ropa.xlsx, APPI, the whole inventory): ${ropa.seconds} s, server RSS up to ${ropa.serverRssMb} MB, ${ropa.fileMb} MB of XLSX — targets < 60 s and < 400 MB at size L`] : []),
    ...(exported ? [`Export (kiroku export of the whole inventory beside the server): ${exported.seconds} s, peak RSS ${exported.peakRssMb} MB, ${exported.fileMb} MB of YAML — targets < 60 s and < 400 MB at size L`] : []),
    '',
    `### Targets (issue 18; they are set for size L, one process${sizeName === 'L' && Number(args.workers) === 1 ? '' : ` — this run is size ${sizeName}, ${args.workers} worker(s), so read them as indications only`})`,
    '',
    '| target | measured | met |',
    '| --- | --- | --- |',
    ...targets.map((t) => `| ${t.target} | ${t.measured} | ${t.met === null ? '–' : t.met ? 'yes' : '**no**'} |`),
    '',
    ...(targets.some((t) => t.met === false) ? ['For each target not met, bench/BASELINE.md ("Targets") gives the measured reason (profile excerpt) and what would close it.'] : []),
    `JSON: ${path.relative(root, file)}`,
  ].join('\n'));
  if (!args.keep) fs.rmSync(dir, { recursive: true, force: true });
  else log(`kept ${dir}`);
}

/**
 * The issue's targets, judged from this run's own figures: each row says what was measured and
 * whether it meets the target (null where the run did not measure it).
 */
function targetRows(r) {
  const w = (name) => r.workloads.find((x) => x.name === name);
  const rows = [];
  const row = (target, measured, met) => rows.push({ target, measured, met });
  for (const q of ['Q1', 'Q2', 'Q3']) {
    const x = w(q);
    if (!x) continue;
    row(`${q} ≥ 0.5 × floor throughput`, `${x.ratio} (${x.kiroku.rps} against ${x.floor.rps} req/s)`, x.ratio >= 0.5);
    row(`${q} serial ≤ 2 × floor`, x.serialRatio == null ? 'not measured (smoke run)' : `${x.serialRatio} (${x.kiroku.serialMs} against ${x.floor.serialMs} ms)`, x.serialRatio == null ? null : x.serialRatio <= 2);
  }
  const rate = (name, min, unit) => {
    const x = w(name);
    if (x) row(`${name} ≥ ${min.toLocaleString('en-US')} ${unit}`, `${x.kiroku.rps.toLocaleString('en-US')} ${unit}`, x.kiroku.rps >= min);
  };
  rate('W1', 10_000, 'datasets/s');
  rate('W1r', 30_000, 'datasets/s');
  rate('W2', 5_000, 'lookups/s');
  const g1 = w('G1');
  if (g1) row('dataFlowGraph of the whole inventory, measured with its floor', `${g1.ratio} × floor, serial ${g1.serialRatio ?? '–'} × floor`, null);
  const d1 = w('D1');
  if (d1) row("the dashboard's operations, measured", `${d1.kiroku.rps} req/s, serial ${d1.kiroku.serialMs ?? '–'} ms, ${d1.kiroku.statements ?? '–'} statements`, null);
  if (r.ropa) row('RoPA export of the inventory < 60 s, server RSS < 400 MB', `${r.ropa.seconds} s, ${r.ropa.serverRssMb} MB`, r.ropa.status === 200 && r.ropa.seconds < 60 && r.ropa.serverRssMb < 400);
  if (r.export) row('kiroku export of the inventory < 60 s, < 400 MB (issue 15)', `${r.export.seconds} s, ${r.export.peakRssMb} MB`, r.export.exitCode === 0 && r.export.seconds < 60 && r.export.peakRssMb < 400);
  row('peak RSS of the server ≤ 500 MB', `${r.rssPeakMb} MB`, r.rssPeakMb <= 500);
  row('cold start ≤ 10 s', `${(r.coldStartMs / 1000).toFixed(1)} s`, r.coldStartMs <= 10_000);
  if (r.q1Statements.at50 != null) row('statements per request independent of list size (Q1 at 50 and 200 activities)', `${r.q1Statements.at50} / ${r.q1Statements.at200}`, r.q1Statements.at50 === r.q1Statements.at200);
  return rows;
}
