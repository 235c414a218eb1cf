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

test('no schema suggestions, no server name or version, and denials that do not list roles', async () => {
  const t = await server.token(['PRIVACY_ADMIN']);
  const typo = await post(t, '{ subjectCategorys { code } }');
  assert.equal(typo.status, 400);
  assert.equal(typo.body.errors[0].extensions.code, 'GRAPHQL_VALIDATION_FAILED');
  const enumTypo = await post(t, '{ publicNotice(language: JP) }');
  assert.ok(enumTypo.body.errors?.length);
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${t}` },
    body: JSON.stringify({ query: 'query($l: ReportLanguage!) { publicNotice(language: $l) }', variables: { l: 'JP' } }),
  });
  const variable = await res.text();
  assert.equal(res.status, 400, variable);
  for (const text of [JSON.stringify(typo.body), JSON.stringify(enumTypo.body), variable]) {
    assert.doesNotMatch(text, /Did you mean|subjectCategories|"JA"/, `no suggestion: ${text}`);
  }
  const page = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html', authorization: `Bearer ${t}` } });
  const html = await page.text();
  assert.doesNotMatch(html, /apollo|server[ -]?version|@apollo\/server|\b\d+\.\d+\.\d+\b/i, `landing page: ${html.slice(0, 300)}`);
  assert.equal(page.headers.get('server'), null);
  assert.equal(page.headers.get('x-powered-by'), null);
  const crm = await server.token(['INTEGRATION'], { system: 'crm', sub: 'crm-prod' });
  const denied = await post(crm, '{ auditEvents(first: 1) { totalCount } }');
  assert.equal(denied.body.errors[0].extensions.code, 'FORBIDDEN');
  assert.doesNotMatch(JSON.stringify(denied.body), /PRIVACY_ADMIN|AUDITOR|needs one of/, 'the roles a field needs are not told');
  const trail = await post(await server.token(['AUDITOR']), '{ auditEvents(filter: { actor: "crm-prod", outcome: DENIED }) { edges { node { operation reason } } } }');
  assert.match(JSON.stringify(trail.body.data.auditEvents.edges), /Query\.auditEvents.*needs one of/, 'the trail keeps the reason');
});

test('SIGTERM shuts down cleanly', async () => {
  assert.equal(await server.stop('SIGTERM'), 0);
});
