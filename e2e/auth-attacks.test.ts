import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { exportJWK, exportSPKI, generateKeyPair, importJWK, SignJWT } from 'jose';
import { AUDIENCE, ISSUER, startServerProcess, type ServerProcess } from './server-process.js';

/** The token attacks of the security issue, each against the real server process over HTTP. */
const TOLERANCE = 1;
let s: ServerProcess;
let outbound = 0;
let trap: http.Server;
let trapUrl = '';
before(async () => {
  // A 1 s clock tolerance (default 5 s) keeps the expiry test's wait short; the rule tested is the same.
  s = await startServerProcess({ env: { KIROKU_MAX_BODY_BYTES: '1000000', JWT_CLOCK_TOLERANCE_SECONDS: String(TOLERANCE) } });
  // Any fetch Kiroku makes to an address taken from a token lands here.
  trap = http.createServer((_req, res) => {
    outbound++;
    res.end('{"keys":[]}');
  });
  await new Promise<void>((r) => trap.listen(0, '127.0.0.1', r));
  trapUrl = `http://127.0.0.1:${(trap.address() as { port: number }).port}`;
});
after(async () => {
  await s?.stop();
  trap?.close();
});

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

async function call(authorization?: string, body = '{"query":"{ subjectCategories { code } }"}') {
  const res = await fetch(`${s.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body,
  });
  return { status: res.status, text: await res.text() };
}

async function expectRejected(authorization: string | undefined, label: string) {
  const r = await call(authorization);
  assert.equal(r.status, 401, `${label}: status`);
  const body = JSON.parse(r.text);
  assert.equal(body.errors[0].extensions.code, 'UNAUTHENTICATED', label);
  assert.doesNotMatch(r.text, /JWS|JWT[A-Z][a-z]|jose|signature verification|stack/i, `${label}: no library message`);
}

const claims = { roles: ['PRIVACY_ADMIN'] };
const signWith = async (key: Parameters<SignJWT['sign']>[0], header: Record<string, unknown>, mutate?: (j: SignJWT) => SignJWT) => {
  let j = new SignJWT(claims).setProtectedHeader({ typ: 'at+jwt', ...header } as never).setIssuer(ISSUER).setAudience(AUDIENCE).setSubject('attacker').setIssuedAt().setExpirationTime('1h');
  if (mutate) j = mutate(j);
  return j.sign(key);
};

test('a valid token is accepted', async () => {
  const r = await call(`Bearer ${await s.token(['PRIVACY_ADMIN'])}`);
  assert.equal(r.status, 200, r.text);
});

test('missing, malformed and non-Bearer credentials get 401 UNAUTHENTICATED', async () => {
  await expectRejected(undefined, 'missing');
  await expectRejected('Bearer', 'empty bearer');
  await expectRejected('Bearer not-a-jwt', 'malformed');
  await expectRejected(`Basic ${Buffer.from('a:b').toString('base64')}`, 'basic auth');
  const r = await call(undefined, '{"query":"{ subjectCategorys { code } }"}');
  assert.doesNotMatch(r.text, /Did you mean/, 'no schema suggestions before authentication');
});

test('alg "none" is rejected', async () => {
  const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, iss: ISSUER, aud: AUDIENCE, sub: 'x', exp: Math.floor(Date.now() / 1000) + 3600 })}.`;
  await expectRejected(`Bearer ${unsigned}`, 'alg none');
  await expectRejected(`Bearer ${unsigned}AAAA`, 'alg none with junk signature');
});

test('HS256 signed with the public key is rejected', async () => {
  const publicJwk = s.publicJwk;
  const pem = await exportSPKI((await importJWK(publicJwk, 'ES256')) as Parameters<typeof exportSPKI>[0]);
  for (const secret of [pem, JSON.stringify(publicJwk)]) {
    const t = await signWith(new TextEncoder().encode(secret), { alg: 'HS256', kid: publicJwk.kid });
    await expectRejected(`Bearer ${t}`, 'HS256 with public key');
  }
});

test('a token signed by an unknown key, or naming an unknown kid, is rejected', async () => {
  const { privateKey } = await generateKeyPair('ES256');
  await expectRejected(`Bearer ${await signWith(privateKey, { alg: 'ES256', kid: 'unknown-kid' })}`, 'unknown kid');
  await expectRejected(`Bearer ${await signWith(privateKey, { alg: 'ES256', kid: s.publicJwk.kid })}`, 'known kid, wrong key');
});

test('attacker-supplied jwk and jku headers are ignored and trigger no outbound fetch', async () => {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = await exportJWK(publicKey);
  await expectRejected(`Bearer ${await signWith(privateKey, { alg: 'ES256', jwk })}`, 'embedded jwk');
  await expectRejected(`Bearer ${await signWith(privateKey, { alg: 'ES256', jku: `${trapUrl}/jwks.json`, kid: 'x' })}`, 'jku');
  await expectRejected(`Bearer ${await signWith(privateKey, { alg: 'ES256', x5u: `${trapUrl}/cert.pem` })}`, 'x5u');
  assert.equal(outbound, 0, 'no request reached the address named in the token');
});

test('expired, not-yet-valid, wrong issuer or audience, and missing claims are rejected', async () => {
  const key = s.signingKey;
  const h = { alg: 'ES256', kid: s.publicJwk.kid!, typ: 'at+jwt' };
  const now = Math.floor(Date.now() / 1000);
  await expectRejected(`Bearer ${await signWith(key, h, (j) => j.setExpirationTime(now - 120))}`, 'expired');
  await expectRejected(`Bearer ${await signWith(key, h, (j) => j.setNotBefore(now + 600))}`, 'not yet valid');
  await expectRejected(`Bearer ${await signWith(key, h, (j) => j.setIssuer('someone-else'))}`, 'issuer');
  await expectRejected(`Bearer ${await signWith(key, h, (j) => j.setAudience('another-api'))}`, 'audience');
  const noExp = await new SignJWT(claims).setProtectedHeader(h).setIssuer(ISSUER).setAudience(AUDIENCE).setSubject('x').sign(key);
  await expectRejected(`Bearer ${noExp}`, 'no exp');
  const integrationWithoutSystem = await signWith(key, h, (j) => j);
  assert.equal((await call(`Bearer ${integrationWithoutSystem}`)).status, 200);
  const t = await new SignJWT({ roles: ['INTEGRATION'] }).setProtectedHeader(h).setIssuer(ISSUER).setAudience(AUDIENCE).setSubject('x').setExpirationTime('1h').sign(key);
  await expectRejected(`Bearer ${t}`, 'INTEGRATION without a system');
});

test('a body over the size cap is refused before parsing', async () => {
  const big = JSON.stringify({ query: `{ subjectCategories { code } } # ${'x'.repeat(1_100_000)}` });
  const r = await call(`Bearer ${await s.token(['PRIVACY_ADMIN'])}`, big);
  assert.equal(r.status, 413);
});

test('health and readiness need no token', async () => {
  assert.equal((await fetch(`${s.url}/healthz`)).status, 200);
  assert.equal((await fetch(`${s.url}/readyz`)).status, 200);
});

test('HS256 is accepted only with an explicitly configured secret', async () => {
  const secret = 'a-shared-secret-of-at-least-32-bytes!!';
  const hs = await startServerProcess({ env: { JWT_HS256_SECRET: secret } });
  try {
    const good = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).setIssuer(ISSUER).setAudience(AUDIENCE).setSubject('x').setExpirationTime('1h').sign(new TextEncoder().encode(secret));
    const res = await fetch(`${hs.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${good}` }, body: '{"query":"{ __typename }"}' });
    assert.equal(res.status, 200);
    const pem = await exportSPKI((await importJWK(hs.publicJwk, 'ES256')) as Parameters<typeof exportSPKI>[0]);
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).setIssuer(ISSUER).setAudience(AUDIENCE).setSubject('x').setExpirationTime('1h').sign(new TextEncoder().encode(pem));
    const bad = await fetch(`${hs.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${forged}` }, body: '{"query":"{ __typename }"}' });
    assert.equal(bad.status, 401);
  } finally {
    await hs.stop();
  }
});

test('a token accepted (and remembered) before its expiry is refused once it has expired', async () => {
  const h = { alg: 'ES256', kid: s.publicJwk.kid!, typ: 'at+jwt' };
  const exp = Math.floor(Date.now() / 1000) + 1;
  const token = await signWith(s.signingKey, h, (j) => j.setExpirationTime(exp));
  assert.equal((await call(`Bearer ${token}`)).status, 200);
  assert.equal((await call(`Bearer ${token}`)).status, 200, 'second use (verification cache)');
  // Past exp plus the server's clock tolerance.
  await new Promise((r) => setTimeout(r, exp * 1000 + TOLERANCE * 1000 + 500 - Date.now()));
  await expectRejected(`Bearer ${token}`, 'expired after being cached');
});
