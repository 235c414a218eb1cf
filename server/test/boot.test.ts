import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { repoRoot } from '../src/config.js';

// run-tests: own process: it starts server processes and clusters of its own.

/** `npm start` as a newcomer runs it: the real process, embedded PostgreSQL in a fresh data dir. */
const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiroku-boot-'));
await fs.chmod(dataDir, 0o755);
after(() => fs.rm(dataDir, { recursive: true, force: true }));

interface Started {
  child: ChildProcess;
  url: string;
  output: string;
  ms: number;
}

async function start(extraEnv: Record<string, string> = {}): Promise<Started> {
  const t0 = Date.now();
  const child = spawn(process.execPath, [path.join(repoRoot, 'server/dist/bin/main.js')], {
    env: { ...process.env, KIROKU_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: '', KIROKU_SEED: 'demo', LOG_LEVEL: 'warn', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (d) => (output += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('not ready within 60 s:\n' + output));
    }, 60_000);
    child.stdout!.on('data', (d) => {
      output += d;
      const m = /GraphQL\s+(http:\/\/[^\s]+)\/graphql/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
  return { child, url, output, ms: Date.now() - t0 };
}

async function stop(s: Started, signal: NodeJS.Signals = 'SIGINT'): Promise<number | null> {
  return new Promise((resolve) => {
    s.child.on('exit', (code) => resolve(code));
    s.child.kill(signal);
  });
}

/** `npm run -s token -- --role …` against the same data directory: one line, the token. */
async function devToken(...args: string[]): Promise<string> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'server/dist/bin/token-cli.js'), ...args], {
    env: { ...process.env, KIROKU_DATA_DIR: dataDir, DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  const code = await new Promise((r) => child.on('exit', r));
  assert.equal(code, 0);
  assert.match(out, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\n$/, 'one line, the token, nothing else');
  return out.trim();
}

let adminToken = '';
const gql = async (url: string, query: string) =>
  (await (await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` }, body: JSON.stringify({ query }) })).json()) as any;

test('first start: embedded PostgreSQL, migrations and the demo seed, ready and serving', async () => {
  const s = await start();
  try {
    console.log(`first start (initdb, migrations, demo seed) ready in ${s.ms} ms`);
    assert.match(s.output, /seeded\s+demo/);
    assert.match(s.output, /npm run -s token -- --role PRIVACY_ADMIN/, 'start prints how to get a token');
    assert.ok(s.output.includes(`KIROKU_DATA_DIR=${JSON.stringify(dataDir)} npm run -s token`), 'with a data dir of its own, the token command names it');
    adminToken = await devToken('--role', 'PRIVACY_ADMIN', '--sub', 'boot-test');
    assert.equal((await fetch(`${s.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' })).status, 401);
    assert.equal((await fetch(`${s.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${s.url}/readyz`)).status, 200);
    const r = await gql(s.url, '{ organization { code } subjectCategories { code } }');
    assert.equal(r.data.organization.code, 'pxs');
    assert.equal(r.data.subjectCategories.length, 12);
    const m = await gql(s.url, 'mutation { createSystem(input: { key: "boot-check", name: "Boot check" }) { system { id } } }');
    assert.equal(m.errors, undefined);
  } finally {
    assert.equal(await stop(s), 0);
  }
  // Ctrl-C stopped PostgreSQL too: its pid file is gone.
  await assert.rejects(fs.access(path.join(dataDir, 'pg', 'postmaster.pid')));
});

test('a second start reuses the data and does not seed again', async () => {
  const s = await start();
  try {
    console.log(`second start ready in ${s.ms} ms`);
    assert.doesNotMatch(s.output, /seeded/);
    const r = await gql(s.url, '{ systems(filter: { search: "boot-check" }) { totalCount } }');
    assert.equal(r.data.systems.totalCount, 1);
  } finally {
    assert.equal(await stop(s, 'SIGTERM'), 0);
  }
});

test('a PostgreSQL left behind by a killed server is stopped on the next start', async () => {
  const s = await start();
  s.child.kill('SIGKILL');
  await new Promise((r) => s.child.on('exit', r));
  const again = await start();
  try {
    assert.equal((await fetch(`${again.url}/readyz`)).status, 200);
  } finally {
    await stop(again);
  }
});

test('the import command exits 1 on a manifest with problems and 0 on a good one', async () => {
  const run = async (dir: string) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'server/dist/bin/cli.js'), 'import', dir], {
      env: { ...process.env, KIROKU_DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    return { code: await new Promise((r) => child.on('exit', r)), out };
  };
  const bad = await fs.mkdtemp(path.join(os.tmpdir(), 'kiroku-manifest-'));
  try {
    await fs.writeFile(path.join(bad, 'a.yaml'), 'apiVersion: kiroku/v1\nprocessors:\n  - code: proc-without-name\n');
    const r = await run(bad);
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /\/processors\/0: must have required property 'name'/);
    await fs.writeFile(path.join(bad, 'a.yaml'), 'apiVersion: kiroku/v1\nprocessors:\n  - code: proc-cli-test\n    name: { en: CLI test }\n');
    const ok = await run(bad);
    assert.equal(ok.code, 0, ok.out);
    assert.match(ok.out, /imported: 1 created/);
  } finally {
    await fs.rm(bad, { recursive: true, force: true });
  }
});

test('countries import exits 1 on a bad reference file and 0 on a good one', async () => {
  const run = async (file: string) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'server/dist/bin/cli.js'), 'countries', 'import', file], {
      env: { ...process.env, KIROKU_DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    return { code: await new Promise((r) => child.on('exit', r)), out };
  };
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiroku-countries-'));
  try {
    const file = path.join(dir, 'countries.json');
    await fs.writeFile(file, JSON.stringify({ asOf: '2099-01-01', countries: [{ country: 'US', name: { en: 'US' }, cbprParticipation: 'PERHAPS' }] }));
    const bad = await run(file);
    assert.equal(bad.code, 1, bad.out);
    assert.match(bad.out, /\/countries\/0\/cbprParticipation: must be equal to one of the allowed values/);
    await fs.writeFile(file, JSON.stringify({ asOf: '2099-01-01', countries: [{ country: 'US', name: { en: 'United States' }, cbprParticipation: 'NO' }] }));
    const ok = await run(file);
    assert.equal(ok.code, 0, ok.out);
    assert.match(ok.out, /countries: 1 updated, 0 kept/);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test('KIROKU_WORKERS=2: two worker processes share the port, /metrics adds them up, SIGTERM stops all and PostgreSQL', async () => {
  const s2 = await start({ KIROKU_WORKERS: '2' });
  const pgPid = async () => Number((await fs.readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
  const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
  try {
    assert.match(s2.output, /2 worker processes/);
    adminToken = await devToken('--role', 'PRIVACY_ADMIN', '--sub', 'boot-test');
    for (let i = 0; i < 6; i++) {
      const r = await fetch(`${s2.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` }, body: '{"query":"query Workers { subjectCategories { code } }","operationName":"Workers"}' });
      assert.equal(r.status, 200);
    }
    const metrics = await (await fetch(`${s2.url}/metrics`)).text();
    const count = Number(/kiroku_sql_statements_per_operation_count\{[^}]*operation_name="Workers"\} (\d+)/.exec(metrics)?.[1]);
    assert.equal(count, 6, 'every worker counted');
  } finally {
    const pid = await pgPid();
    const t0 = Date.now();
    assert.equal(await stop(s2, 'SIGTERM'), 0);
    assert.ok(Date.now() - t0 < 10_000, 'drained and stopped without waiting for the force timer');
    for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(alive(pid), false, 'PostgreSQL stopped');
  }
});

test('npm start, token and kiroku compile only when a source changed', async () => {
  const script = path.join(repoRoot, 'server/scripts/build-if-changed.mjs');
  const run = () => new Promise<{ code: number | null; err: string; ms: number }>((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    child.on('exit', (code) => resolve({ code, err, ms: Date.now() - t0 }));
  });
  // `npm test` has just built everything: nothing to compile, nothing printed.
  const r = await run();
  assert.equal(r.code, 0);
  assert.equal(r.err, '', 'no compile after a build');
  console.log(`build check with nothing to compile: ${r.ms} ms`);
});
