import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { startServerProcess } from './server-process.js';

/**
 * KIROKU_WORKERS=2: a worker that stops answering is named in /metrics instead of an empty
 * answer; a worker that keeps dying is restarted after a growing pause; the server keeps serving.
 */
const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiroku-workers-'));
await fs.chmod(dataDir, 0o755);
after(() => fs.rm(dataDir, { recursive: true, force: true }));

function workerPids(primary: number): number[] {
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(primary)], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.includes('main.js')).map((l) => Number(l.trim().split(/\s+/)[0]));
}

test('a stalled worker is named in /metrics; a dying worker is restarted with backoff', async () => {
  const server = await startServerProcess({ env: { DATABASE_URL: '', MIGRATION_DATABASE_URL: '', KIROKU_DATA_DIR: dataDir, KIROKU_SEED: 'none', KIROKU_WORKERS: '2', LOG_LEVEL: 'error' } });
  try {
    const pids = workerPids(server.child.pid!);
    assert.equal(pids.length, 2, 'two workers');
    const healthy = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(healthy, /kiroku_worker_up\{worker="0"\} 1/);
    assert.match(healthy, /kiroku_worker_up\{worker="1"\} 1/);
    // A stalled worker (SIGSTOP) cannot answer; whichever worker serves /metrics says so.
    process.kill(pids[1], 'SIGSTOP');
    try {
      // The cluster hands connections round-robin: one may land on the stalled worker and get no
      // answer, the next lands on the live one.
      let text = '';
      for (let i = 0; i < 4 && !text; i++) {
        text = await fetch(`${server.url}/metrics`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.text(), () => '');
      }
      assert.match(text, /kiroku_worker_up\{worker="\d"\} 0/, text.slice(0, 500));
      assert.match(text, /kiroku_worker_up\{worker="\d"\} 1/);
      assert.match(text, /kiroku_sql_statements_total/, 'the figures of the worker that answered');
    } finally {
      process.kill(pids[1], 'SIGCONT');
    }
    // Kill the same worker slot three times in a row: the restarts back off.
    let victim = pids[1];
    for (let i = 0; i < 3; i++) {
      process.kill(victim, 'SIGKILL');
      let next: number[] = [];
      for (let t = 0; t < 100; t++) {
        next = workerPids(server.child.pid!).filter((p) => p !== victim && !pids.slice(0, 1).includes(p));
        if (next.length) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(next.length, 1, 'the worker was replaced');
      victim = next[0];
      for (let t = 0; t < 100 && !(await fetch(`${server.url}/readyz`).then((r) => r.ok, () => false)); t++) await new Promise((r) => setTimeout(r, 100));
    }
    const delays = [...server.output().matchAll(/"restartInMs":(\d+)/g)].map((m) => Number(m[1]));
    // The first death may come after the worker's first 30 s on a slow machine (no pause then);
    // from there on each quick death doubles the pause.
    assert.equal(delays.length, 3, JSON.stringify(delays));
    assert.ok(delays[1] >= 250 && delays[2] === 2 * delays[1], `each quick death doubles the pause: ${delays}`);
    assert.ok(delays[0] === 0 || delays[1] === 2 * delays[0], `${delays}`);
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  } finally {
    assert.equal(await server.stop('SIGTERM'), 0);
  }
});
