import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { generateKeyPair, SignJWT } from 'jose';
import { AUDIENCE, ISSUER, startServerProcess, type ServerProcess } from './server-process.js';

/** NODE_ENV=production with JWT settings: introspection off, only the identity provider's tokens. */
let server: ServerProcess;
before(async () => {
  server = await startServerProcess({ env: { NODE_ENV: 'production' } });
});
after(() => server?.stop());

const post = async (token: string, query: string) => {
  const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
  return { status: res.status, body: (await res.json()) as any };
};

test('the identity provider\'s tokens work; introspection is off', async () => {
  const t = await server.token(['AUDITOR']);
  const ok = await post(t, '{ subjectCategories { code } }');
  assert.equal(ok.status, 200);
  assert.equal(ok.body.data.subjectCategories.length, 12);
  const intro = await post(t, '{ __schema { types { name } } }');
  assert.ok(intro.body.errors?.length, 'introspection refused');
});

test('a token from any other key (such as a dev key) is rejected', async () => {
  const { privateKey } = await generateKeyPair('ES256');
  const foreign = await new SignJWT({ roles: ['PRIVACY_ADMIN'] }).setProtectedHeader({ alg: 'ES256', kid: 'e2e-key-1', typ: 'at+jwt' }).setIssuer(ISSUER).setAudience(AUDIENCE).setSubject('x').setExpirationTime('1h').sign(privateKey);
  assert.equal((await post(foreign, '{ __typename }')).status, 401);
  const dev = await new SignJWT({ roles: ['PRIVACY_ADMIN'] }).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' }).setIssuer('kiroku-dev').setAudience('kiroku').setSubject('x').setExpirationTime('1h').sign(privateKey);
  assert.equal((await post(dev, '{ __typename }')).status, 401);
});

test('SIGTERM shuts down cleanly', async () => {
  assert.equal(await server.stop('SIGTERM'), 0);
});
