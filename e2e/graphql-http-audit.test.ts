import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { serverAudits } from 'graphql-http';
import { startServerProcess, type ServerProcess } from './server-process.js';

/** GraphQL-over-HTTP conformance of the real server, with a valid token: every MUST passes. */
let server: ServerProcess;
let tokenValue: string;
before(async () => {
  server = await startServerProcess();
  tokenValue = await server.token(['PRIVACY_ADMIN']);
});
after(() => server?.stop());

test('graphql-http server audits: all MUST pass', async () => {
  const audits = serverAudits({
    url: `${server.url}/graphql`,
    fetchFn: (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${tokenValue}`);
      return fetch(input, { ...init, headers });
    },
  });
  const failures: string[] = [];
  let musts = 0;
  for (const audit of audits) {
    const result = await audit.fn();
    if (audit.name.startsWith('MUST')) {
      musts++;
      if (result.status !== 'ok') failures.push(`${audit.name}: ${result.reason}`);
    }
  }
  assert.ok(musts > 10, `${musts} MUST audits ran`);
  assert.deepEqual(failures, []);
});
