import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { importJWK, SignJWT, type JWK } from 'jose';
import { AUDIENCE, freshDatabase, ISSUER, repoRoot, startServerProcess, type ServerProcess } from './server-process.js';

/**
 * What NODE_ENV=production refuses, on the real server process: a configuration that would run
 * unsafely does not start (with the variable named), and a running server accepts only the
 * identity provider's tokens and no introspection.
 */
const { ensureDevKeys } = (await import(path.join(repoRoot, 'server/dist/src/auth/dev-keys.js'))) as {
  ensureDevKeys(dir: string): Promise<{ privateJwk: JWK }>;
};

let databaseUrl: string;
let dataDir: string;
let server: ServerProcess;
before(async () => {
  databaseUrl = await freshDatabase();
  // A data directory holding a dev signing key, as one left over from `npm start` would.
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiroku-prodcfg-'));
  await ensureDevKeys(dataDir);
  server = await startServerProcess({ databaseUrl, env: { NODE_ENV: 'production', KIROKU_DATA_DIR: dataDir } });
});
after(async () => {
  await server?.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
});

const post = async (token: string, query: string) => {
  const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
  return { status: res.status, body: (await res.json()) as any };
};

/** Starting must fail before serving, with an exit code and the reason naming the setting. */
async function refusedToStart(env: Record<string, string>, reason: RegExp): Promise<void> {
  const outcome = await startServerProcess({ databaseUrl, env: { NODE_ENV: 'production', ...env } }).then((started) => started, (e: Error) => e);
  if (!(outcome instanceof Error)) {
    await outcome.stop();
    assert.fail(`started with ${JSON.stringify(env)}`);
  }
  assert.match(outcome.message, /^exited with [1-9]/, outcome.message);
  assert.match(outcome.message, reason);
}

test('a production configuration missing a safeguard does not start, and says which', async () => {
  await refusedToStart({ KIROKU_SUBJECT_KEY: '' }, /KIROKU_SUBJECT_KEY is required in production/);
  await refusedToStart({ KIROKU_SUBJECT_KEY: 'too short for an HMAC key' }, /KIROKU_SUBJECT_KEY must be at least 32 bytes/);
  await refusedToStart({ JWT_JWKS_FILE: '', JWT_JWKS_URL: 'http://idp.example.test/.well-known/jwks.json' }, /JWT_JWKS_URL must be https in production/);
  await refusedToStart({ JWT_HS256_SECRET: 'x'.repeat(31) }, /JWT_HS256_SECRET must be at least 32 bytes/);
  await refusedToStart({ KIROKU_DEV_AUTH: 'true' }, /KIROKU_DEV_AUTH cannot be used with NODE_ENV=production/);
  await refusedToStart({ JWT_ISSUER: '', JWT_AUDIENCE: '', JWT_JWKS_FILE: '' }, /JWT settings are required/);
});

test('a token signed with Kiroku\'s dev key is refused in production, even with the right issuer and audience', async () => {
  const { privateJwk } = await ensureDevKeys(dataDir);
  const key = await importJWK(privateJwk, 'ES256');
  const sign = (iss: string, aud: string) =>
    new SignJWT({ roles: ['PRIVACY_ADMIN'] }).setProtectedHeader({ alg: 'ES256', kid: privateJwk.kid }).setIssuer(iss).setAudience(aud).setSubject('dev').setIssuedAt().setExpirationTime('1h').sign(key);
  for (const token of [await sign('kiroku-dev', 'kiroku'), await sign(ISSUER, AUDIENCE)]) {
    const r = await post(token, '{ subjectCategories { code } }');
    assert.equal(r.status, 401, JSON.stringify(r.body));
    assert.equal(r.body.errors?.[0].extensions.code, 'UNAUTHENTICATED');
    assert.equal(r.body.data, undefined);
  }
  const ok = await post(await server.token(['AUDITOR']), '{ subjectCategories { code } }');
  assert.equal(ok.status, 200, 'the identity provider\'s token is accepted by the same server');
  assert.ok(ok.body.data.subjectCategories.length > 0);
});

test('introspection is off in production: refused by its validation code', async () => {
  const t = await server.token(['PRIVACY_ADMIN']);
  for (const q of ['{ __schema { types { name } } }', '{ __type(name: "Query") { name } }']) {
    const r = await post(t, q);
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.errors?.[0].extensions.code, 'GRAPHQL_VALIDATION_FAILED');
    assert.match(r.body.errors[0].message, /introspection/i);
    assert.equal(r.body.data, undefined);
  }
  assert.equal((await post(t, '{ __typename }')).body.data.__typename, 'Query', '__typename is not introspection');
});
