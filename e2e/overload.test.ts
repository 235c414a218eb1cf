import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { repoRoot, startServerProcess, type ServerProcess } from './server-process.js';

/**
 * One busy client with an ordinary token must not take the server down for everyone: with the
 * heap capped as `npm start` caps it, loads that used to end in "JavaScript heap out of memory"
 * are shed with 429/503 and Retry-After, memory stays bounded, and another principal keeps being
 * answered throughout.
 */
let server: ServerProcess;
let crm: string;
let marketing: string;
let analyst: string;
let auditor: string;
// The same flags as `npm start` (package.json), so the heap cap is the one users run with.
const startScript = JSON.parse(await fs.readFile(`${repoRoot}/package.json`, 'utf8')).scripts.start as string;
const nodeArgs = (/node\s+((?:--\S+\s+)*)server\/dist\/bin\/main\.js/.exec(startScript)?.[1] ?? '').split(/\s+/).filter(Boolean);
const HEAP_MB = Number(/--max-old-space-size=(\d+)/.exec(nodeArgs.join(' '))?.[1]);
// Old space is capped; code, young generation (2 × 64 MB semi-spaces), buffers and the runtime
// come on top of it.
const RSS_CAP_MB = HEAP_MB + 250;

before(async () => {
  assert.ok(HEAP_MB > 0, 'npm start caps the heap');
  server = await startServerProcess({ nodeArgs, env: { KIROKU_SEED: 'demo', LOG_LEVEL: 'error', KIROKU_QUEUE_WAIT_MS: '1000', KIROKU_COST_BUDGET: '600000', ...(process.env.KIROKU_OVERLOAD_ENV ? JSON.parse(process.env.KIROKU_OVERLOAD_ENV) : {}) } });
  crm = await server.token(['INTEGRATION'], { system: 'crm', sub: 'crm-sync' });
  marketing = await server.token(['INTEGRATION'], { system: 'marketing-automation', sub: 'ma-sync' });
  analyst = await server.token(['PRIVACY_ANALYST'], { sub: 'busy-analyst' });
  auditor = await server.token(['AUDITOR'], { sub: 'probe' });
});
after(async () => {
  await server?.stop();
});

function post(token: string, body: string): Promise<{ status: number; retryAfter: string | null; body: any }> {
  return fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body })
    .then(async (r) => ({ status: r.status, retryAfter: r.headers.get('retry-after'), body: await r.json().catch(() => null) }))
    .catch((e: Error) => ({ status: 0, retryAfter: null, body: { transport: e.message } }));
}

/** Peak resident memory of the server process so far (VmHWM), in MB. */
async function peakRssMb(): Promise<number> {
  const status = await fs.readFile(`/proc/${server.child.pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/** Runs `load` while another principal probes every 200 ms; every probe must be answered. */
async function underLoad(load: () => Promise<Array<{ status: number; retryAfter: string | null; body: any }>>) {
  let done = false;
  const probes: number[] = [];
  const probing = (async () => {
    while (!done) {
      const started = Date.now();
      const r = await post(auditor, JSON.stringify({ query: '{ organization { name { ja } } }' }));
      assert.equal(r.status, 200, `probe answered ${r.status}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.errors, undefined, `${JSON.stringify(r.body)}\n${server.output().slice(-3000)}`);
      probes.push(Date.now() - started);
      await new Promise((res) => setTimeout(res, 200));
    }
  })();
  const results = await load().finally(() => (done = true));
  await probing;
  assert.equal(server.child.exitCode, null, `the server died:\n${server.output().slice(-2000)}`);
  const ok = results.filter((r) => r.status === 200 && !r.body?.errors);
  const shed = results.filter((r) => r.status === 429 || r.status === 503);
  for (const r of shed) {
    assert.ok(Number(r.retryAfter) >= 1, 'a refusal says when to retry');
    assert.ok(['RATE_LIMITED', 'SERVICE_UNAVAILABLE'].includes(r.body.errors[0].extensions.code), JSON.stringify(r.body));
  }
  const other = results.filter((r) => !ok.includes(r) && !shed.includes(r));
  assert.deepEqual(other.map((r) => [r.status, JSON.stringify(r.body).slice(0, 300)]), [], 'every request is served or shed, nothing else');
  return { ok: ok.length, shed: shed.length, probes: probes.length, slowestProbeMs: Math.max(...probes), peakRssMb: await peakRssMb() };
}

const REGISTER = 'mutation R($input: RegisterDatasetsInput!) { registerDatasets(input: $input) { results { status } } }';
function pushBody(systemKey: string, prefix: string, datasets: number, description = '') {
  return JSON.stringify({
    query: REGISTER,
    variables: {
      input: {
        systemKey,
        prune: false,
        datasets: Array.from({ length: datasets }, (_, i) => ({
          key: `${prefix}-${i}`,
          name: `${prefix} ${i}`,
          fields: Array.from({ length: 10 }, (_, j) => ({ path: `field_${j}`, description: description || undefined, dataCategoryCodes: ['contact.email'] })),
        })),
      },
    },
  });
}

test('50 concurrent pushes of 2,000 datasets × 10 fields are served or shed; the server stays up', async () => {
  const bodies = Array.from({ length: 5 }, (_, k) => pushBody('crm', `load${k}`, 2_000));
  const r = await underLoad(() => Promise.all(Array.from({ length: 50 }, (_, i) => post(crm, bodies[i % bodies.length]))));
  console.log('pushes 2,000 × 10 ×50:', r);
  assert.ok(r.ok >= 1, 'some pushes are served');
  assert.ok(r.shed >= 1, 'the excess is shed');
  assert.ok(r.peakRssMb < RSS_CAP_MB, `peak RSS ${r.peakRssMb} MB (cap ${RSS_CAP_MB} MB)`);
});

test('ten concurrent 20 MB pushes are served or shed; the server stays up', async () => {
  const body = pushBody('marketing-automation', 'big', 4_000, 'x'.repeat(440));
  assert.ok(body.length > 19_000_000 && body.length < 32 * 1024 * 1024, `body of ${body.length} bytes`);
  const r = await underLoad(() => Promise.all(Array.from({ length: 10 }, () => post(marketing, body))));
  console.log('pushes of 20 MB ×10:', r);
  assert.ok(r.ok >= 1, 'a large push is still served');
  assert.ok(r.shed >= 1, 'the excess is shed');
  assert.ok(r.peakRssMb < RSS_CAP_MB, `peak RSS ${r.peakRssMb} MB (cap ${RSS_CAP_MB} MB)`);
});

test('200 concurrent datasets(first: 500) reads with nested fields are served or shed; the server stays up', async () => {
  const body = JSON.stringify({ query: '{ datasets(first: 500) { totalCount edges { node { key name description system { key } fields { path description dataCategories { code name { ja en } } } activities { code name { ja } } } } } }' });
  const r = await underLoad(() => Promise.all(Array.from({ length: 200 }, () => post(analyst, body))));
  console.log('reads datasets(first: 500) ×200:', r);
  assert.ok(r.ok >= 1, 'reads are served');
  assert.ok(r.shed >= 1, 'the excess is shed');
  assert.ok(r.peakRssMb < RSS_CAP_MB, `peak RSS ${r.peakRssMb} MB (cap ${RSS_CAP_MB} MB)`);
});

test('100 concurrent whole-inventory data-flow graphs are served or shed by what they may draw; the server stays up', async () => {
  // A graph's node and edge lists cost 10 items each in the query cost; what it may draw is its
  // maxActivities (at size L, 2,000 activities drew 130,000 nodes and edges, and ten at once ran the
  // heap out). Such a graph fills the large-read budget and runs alone.
  const body = JSON.stringify({
    query: 'query G($a: Int!, $f: Int!) { dataFlowGraph(maxActivities: $a, maxFanOut: $f) { nodes { id kind code label { ja en } flags } edges { source target kind } truncations { shown total } } }',
    variables: { a: 2000, f: 1000 },
  });
  // A principal of its own: the busy analyst above has spent its rate budget.
  const viewer = await server.token(['PRIVACY_ANALYST'], { sub: 'map-viewer' });
  const r = await underLoad(() => Promise.all(Array.from({ length: 100 }, () => post(viewer, body))));
  console.log('dataFlowGraph(maxActivities: 2000) ×100:', r);
  assert.ok(r.ok >= 1, 'graphs are served');
  assert.ok(r.shed >= 1, 'graphs beyond the budget wait or are shed');
  assert.ok(r.peakRssMb < RSS_CAP_MB, `peak RSS ${r.peakRssMb} MB (cap ${RSS_CAP_MB} MB)`);
});
