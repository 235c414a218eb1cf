import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';
import { startServerProcess, type ServerProcess } from './server-process.js';

/**
 * Clients that give up while their request waits for room (the moment they do so under overload)
 * must give the room back: otherwise a few impatient clients shrink the server's budget for good.
 */
const BUDGET = 2 * 1024 * 1024;
const BIG = 1_500_000;
let server: ServerProcess;
let token: string;
before(async () => {
  server = await startServerProcess({ env: { KIROKU_BODY_BUDGET_BYTES: String(BUDGET), KIROKU_QUEUE_WAIT_MS: '4000' } });
  token = await server.token(['PRIVACY_ADMIN']);
});
after(() => server?.stop());

/** A POST that declares a large body and sends only `sent` bytes of it, on a raw socket. */
function partialPost(sent: number): Promise<net.Socket> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => {
      socket.write(`POST /graphql HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\nauthorization: Bearer ${token}\r\ncontent-length: ${BIG}\r\n\r\n`);
      if (sent) socket.write(' '.repeat(sent));
      resolve(socket);
    });
    socket.on('error', () => {});
    socket.once('error', reject);
  });
}

test('a client that leaves while queued for the body budget gives its room back', async () => {
  const first = await partialPost(100_000); // holds 1.5 MB of the 2 MB budget, still uploading
  await new Promise((r) => setTimeout(r, 300));
  const second = await partialPost(0); // does not fit: waits in the queue
  await new Promise((r) => setTimeout(r, 300));
  second.destroy(); // gives up while queued
  await new Promise((r) => setTimeout(r, 100));
  first.destroy(); // gives up mid-upload
  await new Promise((r) => setTimeout(r, 300));
  // The whole budget is free again: a 1.5 MB request is served at once, twice in a row.
  for (let i = 0; i < 2; i++) {
    const started = Date.now();
    const body = JSON.stringify({ query: '{ __typename }', extensions: { pad: 'x'.repeat(BIG - 100) } });
    const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
    assert.equal(res.status, 200, `${res.status} ${await res.text()}`);
    assert.ok(Date.now() - started < 3_000, 'not queued behind room that nobody holds');
  }
  assert.equal(server.child.exitCode, null);
});
