import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { startServerProcess } from './server-process.js';

/**
 * SIGTERM with keep-alive clients connected and 20 mutations in flight: every mutation is
 * answered, idle keep-alive sockets do not hold the drain, the embedded PostgreSQL is stopped in
 * order, and the process exits 0 well within the drain window (not by the force timer).
 */
const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiroku-shutdown-'));
await fs.chmod(dataDir, 0o755);
after(() => fs.rm(dataDir, { recursive: true, force: true }));

const GRACE_MS = 20_000;

function request(agent: http.Agent, url: string, token: string, body: string): Promise<{ status: number; connection: string | undefined; body: any }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/graphql`, { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('SIGTERM with keep-alive clients and 20 mutations in flight drains, stops PostgreSQL and exits 0', async () => {
  const server = await startServerProcess({ env: { DATABASE_URL: '', MIGRATION_DATABASE_URL: '', KIROKU_DATA_DIR: dataDir, KIROKU_SEED: 'demo', KIROKU_SHUTDOWN_GRACE_MS: String(GRACE_MS) } });
  const token = await server.token(['INTEGRATION'], { system: 'crm', sub: 'crm-sync' });
  const pgPid = Number((await fs.readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
  // Ten keep-alive clients that made a request and now sit idle on their sockets.
  const idle = Array.from({ length: 10 }, () => new http.Agent({ keepAlive: true, maxSockets: 1 }));
  for (const agent of idle) assert.equal((await request(agent, server.url, token, JSON.stringify({ query: '{ whoami { sub } }' }))).status, 200);
  // Twenty pushes in flight on keep-alive connections of their own (each waits for the previous
  // one's lock on the system, so the last ones are still running well after SIGTERM).
  const busy = new http.Agent({ keepAlive: true, maxSockets: 20 });
  const push = (n: number) => JSON.stringify({
    query: 'mutation R($input: RegisterDatasetsInput!) { registerDatasets(input: $input) { results { status } } }',
    variables: { input: { systemKey: 'crm', prune: false, datasets: Array.from({ length: 40 }, (_, i) => ({ key: `drain-${n}-${i}`, name: `Drain ${n}/${i}`, fields: Array.from({ length: 10 }, (_, j) => ({ path: `f${j}` })) })) } },
  });
  const inFlight = Array.from({ length: 20 }, (_, n) => request(busy, server.url, token, push(n)));
  inFlight.forEach((p) => p.catch(() => {}));
  // SIGTERM once the server has received all twenty (a connection it has not accepted yet is
  // refused by a stopping server, as it should be).
  let received = 0;
  for (let i = 0; i < 400 && received < 21; i++) {
    // The scrape counts itself: twenty pushes and this request.
    const text = await (await fetch(`${server.url}/metrics`)).text();
    received = Number(/^kiroku_http_requests_in_flight (\d+)/m.exec(text)?.[1]);
    if (received < 21) await new Promise((r) => setTimeout(r, 25));
  }
  assert.ok(received >= 21, `the server received the twenty pushes (in flight: ${received})`);
  const t0 = Date.now();
  const code = await server.stop('SIGTERM');
  const ms = Date.now() - t0;
  const results = await Promise.all(inFlight);
  for (const r of results) assert.equal(r.body.errors, undefined, JSON.stringify(r.body.errors));
  assert.equal(results.length, 20);
  assert.ok(results.some((r) => r.connection === 'close'), 'clients of the draining server are told to close');
  assert.equal(code, 0, server.output().slice(-2000));
  assert.ok(ms < GRACE_MS, `stopped in ${ms} ms, within the drain window of ${GRACE_MS} ms`);
  const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
  assert.equal(alive(pgPid), false, 'the embedded PostgreSQL was stopped');
  for (const a of [...idle, busy]) a.destroy();
});
