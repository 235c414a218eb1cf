import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { SignJWT } from 'jose';
import { AUDIENCE, ISSUER, startServerProcess, type ServerProcess } from './server-process.js';

/**
 * Token typing, timing and role rules (RFC 8725, RFC 9068), and authentication failures as
 * security events, against the real server process. A server of its own: the audit entries of
 * failed authentications are rate-limited per source, so no other test's failures may count.
 */
let s: ServerProcess;
before(async () => {
  s = await startServerProcess();
});
after(() => s?.stop());

const QUERY = '{"query":"{ subjectCategories { code } }"}';

/** A raw request: node's http client sends header arrays as repeated header lines (fetch would join them). */
function post(authorization: string | string[] | undefined, body = QUERY, server = s): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | string[]> = { 'content-type': 'application/json' };
    if (authorization) headers.authorization = authorization;
    const req = http.request(`${server.url}/graphql`, { method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const now = () => Math.floor(Date.now() / 1000);

interface Opts {
  typ?: string | null;
  claims?: Record<string, unknown>;
  iat?: number;
  exp?: number;
  server?: ServerProcess;
}

async function mint(o: Opts = {}): Promise<string> {
  const server = o.server ?? s;
  const header: Record<string, unknown> = { alg: 'ES256', kid: server.publicJwk.kid };
  if (o.typ !== null) header.typ = o.typ ?? 'at+jwt';
  return new SignJWT(o.claims ?? { roles: ['PRIVACY_ADMIN'] })
    .setProtectedHeader(header as never)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject('tok-test')
    .setIssuedAt(o.iat ?? now())
    .setExpirationTime(o.exp ?? now() + 3600)
    .sign(server.signingKey);
}

async function expect(status: number, o: Opts, label: string, code?: string) {
  const r = await post(`Bearer ${await mint(o)}`, QUERY, o.server);
  assert.equal(r.status, status, `${label}: ${r.text}`);
  if (code) assert.equal(JSON.parse(r.text).errors[0].extensions.code, code, label);
}

async function metric(reason: string): Promise<number> {
  const text = await (await fetch(`${s.url}/metrics`)).text();
  const m = new RegExp(`^kiroku_auth_failures_total\\{reason="${reason}"\\} (\\d+)`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

// First: later tests' failures come from the same source and would use up its audit budget.
test('authentication failures are counted in /metrics and audited (rate-limited per source), with the reason and never the token', async () => {
  const auditor = await s.token(['AUDITOR']);
  const trail = async () => {
    const r = await post(`Bearer ${auditor}`, JSON.stringify({ query: '{ auditEvents(first: 100, filter: { actor: "(unauthenticated)", outcome: DENIED }) { totalCount edges { node { operation reason after actorRoles } } } }' }));
    const page = JSON.parse(r.text).data?.auditEvents;
    assert.ok(page, r.text);
    return { totalCount: page.totalCount as number, nodes: page.edges.map((e: { node: unknown }) => e.node) as Array<{ operation: string; reason: string; after: Record<string, unknown> }> };
  };
  const before = await trail();
  const typeBefore = await metric('token_type');
  const refresh = await mint({ typ: 'refresh+jwt' });
  for (let i = 0; i < 8; i++) assert.equal((await post(`Bearer ${refresh}`)).status, 401);
  assert.equal(await metric('token_type'), typeBefore + 8, 'every failure is counted');
  // The entries are written after the answer: give them a moment.
  let afterwards = await trail();
  for (let i = 0; i < 20 && afterwards.totalCount < before.totalCount + 5; i++) {
    await new Promise((r) => setTimeout(r, 100));
    afterwards = await trail();
  }
  const added = afterwards.totalCount - before.totalCount;
  assert.ok(added >= 1 && added <= 5, `at most 5 entries a minute for one source, got ${added}`);
  const entry = afterwards.nodes.find((n) => n.reason === 'token_type');
  assert.ok(entry, JSON.stringify(afterwards.nodes));
  assert.equal(entry.operation, 'authenticate');
  assert.equal(entry.after.status, 401);
  assert.ok(typeof entry.after.source === 'string' && entry.after.source.length > 0);
  const [, payload, signature] = refresh.split('.');
  const dump = JSON.stringify(afterwards);
  assert.ok(!dump.includes(payload) && !dump.includes(signature), 'the token is not in the trail');

  // A genuine token without a role is audited under its subject, and counted as no_role.
  const noRoleBefore = await metric('no_role');
  assert.equal((await post(`Bearer ${await mint({ claims: { roles: [] } })}`)).status, 403);
  assert.equal(await metric('no_role'), noRoleBefore + 1);
});

test('typ: at+jwt and JWT (any case, application/ prefix) are accepted; refresh+jwt, other types and untyped tokens are not', async () => {
  await expect(200, { typ: 'at+jwt' }, 'at+jwt');
  await expect(200, { typ: 'JWT' }, 'JWT');
  await expect(200, { typ: 'application/AT+JWT' }, 'application/at+jwt');
  await expect(401, { typ: 'refresh+jwt' }, 'refresh+jwt', 'UNAUTHENTICATED');
  await expect(401, { typ: 'id+jwt' }, 'id+jwt', 'UNAUTHENTICATED');
  await expect(401, { typ: 'secevent+jwt' }, 'secevent+jwt', 'UNAUTHENTICATED');
  await expect(401, { typ: null }, 'no typ', 'UNAUTHENTICATED');
});

test('iat in the future beyond the clock tolerance is refused; within it, accepted', async () => {
  await expect(200, { iat: now() + 2 }, 'iat 2 s ahead (tolerance 5 s)');
  await expect(401, { iat: now() + 120 }, 'iat 2 min ahead', 'UNAUTHENTICATED');
});

test('the roles claim must be an array; INTEGRATION is never combined with a human role; no known role is 403', async () => {
  await expect(401, { claims: { roles: 'PRIVACY_ADMIN' } }, 'roles as a string', 'UNAUTHENTICATED');
  await expect(401, { claims: { roles: { admin: true } } }, 'roles as an object', 'UNAUTHENTICATED');
  await expect(401, { claims: { roles: ['PRIVACY_ADMIN', 7] } }, 'a non-string role', 'UNAUTHENTICATED');
  await expect(401, { claims: { roles: ['INTEGRATION', 'PRIVACY_ADMIN'], system: 'crm' } }, 'INTEGRATION + PRIVACY_ADMIN', 'UNAUTHENTICATED');
  await expect(401, { claims: { roles: ['AUDITOR', 'INTEGRATION'], system: 'crm' } }, 'AUDITOR + INTEGRATION', 'UNAUTHENTICATED');
  await expect(200, { claims: { roles: ['INTEGRATION'], system: 'crm' } }, 'INTEGRATION alone');
  await expect(200, { claims: { roles: ['offline_access', 'AUDITOR'] } }, 'a role of another application beside a known one');
  await expect(403, { claims: { roles: ['offline_access'] } }, 'only unknown roles', 'FORBIDDEN');
  await expect(403, { claims: { roles: [] } }, 'empty roles', 'FORBIDDEN');
  await expect(403, { claims: {} }, 'no roles claim', 'FORBIDDEN');
  // Not even a query that reaches no resolver.
  const r = await post(`Bearer ${await mint({ claims: { roles: [] } })}`, '{"query":"{ __typename }"}');
  assert.equal(r.status, 403, r.text);
});

test('two Authorization headers are a 400, even when both are valid', async () => {
  const good = `Bearer ${await mint()}`;
  assert.equal((await post(good)).status, 200);
  const r = await post([good, good]);
  assert.equal(r.status, 400, r.text);
  assert.equal(JSON.parse(r.text).errors[0].extensions.code, 'BAD_REQUEST');
  assert.equal((await post([good, 'Bearer x.y.z'])).status, 400);
});

test('JWT_ACCEPTED_TYPES narrows typ; JWT_MAX_TOKEN_AGE refuses tokens whose lifetime exceeds it', async () => {
  const strict = await startServerProcess({ env: { JWT_ACCEPTED_TYPES: 'at+jwt', JWT_MAX_TOKEN_AGE: '3600' } });
  try {
    await expect(200, { server: strict, typ: 'at+jwt' }, 'at+jwt');
    await expect(401, { server: strict, typ: 'JWT' }, 'JWT no longer accepted', 'UNAUTHENTICATED');
    await expect(200, { server: strict, iat: now(), exp: now() + 3600 }, 'lifetime = max');
    await expect(401, { server: strict, iat: now(), exp: now() + 3601 }, 'lifetime over max', 'UNAUTHENTICATED');
    await expect(401, { server: strict, iat: now() - 7200, exp: now() + 600 }, 'issued 2 h ago, 2 h 10 min lifetime', 'UNAUTHENTICATED');
  } finally {
    await strict.stop();
  }
});

test('a configuration that would admit refresh or ID tokens is refused at start', async () => {
  for (const types of ['at+jwt,refresh+jwt', 'application/id+jwt', ' , ']) {
    const started = await startServerProcess({ env: { JWT_ACCEPTED_TYPES: types } }).then(
      async (server) => (await server.stop(), 'started'),
      (e: Error) => e.message,
    );
    assert.match(started, /exited with 2[\s\S]*JWT_ACCEPTED_TYPES/, types);
  }
});
