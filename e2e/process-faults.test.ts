import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { repoRoot, startServerProcess } from './server-process.js';

/**
 * A fault that escapes every handler (an exception thrown in a callback, a rejection nobody
 * awaits) is logged and counted, and the server goes on serving; a burst of them means the
 * process state is unknown, and it stops the orderly way with exit code 1.
 */
const inject = pathToFileURL(path.join(repoRoot, 'e2e/fixtures/inject-faults.mjs')).href;

async function metric(url: string, kind: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(new RegExp(`kiroku_process_faults_total\\{kind="${kind}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
}

test('a few uncaught faults are logged and counted; the server keeps serving', async () => {
  const server = await startServerProcess({ nodeArgs: ['--import', inject], env: { KIROKU_INJECT_FAULTS: '3', LOG_LEVEL: 'error' } });
  try {
    server.child.kill('SIGUSR2');
    for (let i = 0; i < 50 && (await metric(server.url, 'unhandledRejection')) < 3; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await metric(server.url, 'uncaughtException'), 3);
    assert.equal(await metric(server.url, 'unhandledRejection'), 3);
    assert.equal(server.child.exitCode, null, 'still running');
    const token = await server.token(['AUDITOR']);
    const r = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{"query":"{ subjectCategories { code } }"}' });
    assert.equal(r.status, 200);
    assert.match(server.output(), /"msg":"uncaught exception"/);
    assert.match(server.output(), /"msg":"unhandled rejection"/);
  } finally {
    assert.equal(await server.stop('SIGTERM'), 0);
  }
});

test('a burst of faults stops the process with exit code 1, in order', async () => {
  const server = await startServerProcess({ nodeArgs: ['--import', inject], env: { KIROKU_INJECT_FAULTS: '6', LOG_LEVEL: 'error' } });
  const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
  server.child.kill('SIGUSR2');
  assert.equal(await exited, 1);
  assert.match(server.output(), /process state is unknown/);
});
