import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createApp, type App } from '../src/app.js';
import { migrator, openOrm } from '../src/db/orm.js';
import type { WebUiConfig } from '../src/http/web-ui.js';
import { freshDatabaseUrl, keyDir, testAuth } from './helpers.js';

/** The server's side of the web UI: static files, SPA fallback, headers, the dev sign-in endpoint. */
let orm: MikroORM;
let dist: string;
const apps: App[] = [];

async function serve(opts: { production?: boolean; ui?: Partial<WebUiConfig>; auth?: typeof testAuth } = {}): Promise<string> {
  const app = await createApp(orm, {
    maxPageSize: 500, production: opts.production ?? false, auth: opts.auth ?? testAuth, dataDir: keyDir, corsOrigins: [], introspection: true,
    ui: { dir: dist, ...opts.ui },
  });
  apps.push(app);
  return `http://127.0.0.1:${await app.listen(0)}`;
}

const html = { accept: 'text/html,application/xhtml+xml' };
const devToken = (url: string, body: unknown, type = 'application/json') => fetch(`${url}/dev/token`, { method: 'POST', headers: { 'content-type': type }, body: JSON.stringify(body) });

before(async () => {
  orm = await openOrm(await freshDatabaseUrl());
  await (await migrator(orm)).up();
  dist = await fs.mkdtemp(path.join(os.tmpdir(), 'kiroku-web-'));
  await fs.mkdir(path.join(dist, 'assets'));
  await fs.writeFile(path.join(dist, 'index.html'), '<!doctype html><div id="root"></div><script type="module" src="/assets/index-abc123.js"></script>');
  await fs.writeFile(path.join(dist, 'assets/index-abc123.js'), 'console.log(1)');
  await fs.writeFile(path.join(dist, 'favicon.svg'), '<svg/>');
  await fs.writeFile(path.join(os.tmpdir(), 'kiroku-web-secret.txt'), 'secret');
});
after(async () => {
  for (const app of apps) await app.close();
  await orm?.close(true);
  await fs.rm(dist, { recursive: true, force: true });
});

test('the UI is served at / with its security headers; hashed assets are immutable, index.html is not cached', async () => {
  const url = await serve();
  const index = await fetch(`${url}/`, { headers: html });
  assert.equal(index.status, 200);
  assert.match(await index.text(), /id="root"/);
  assert.equal(index.headers.get('cache-control'), 'no-cache');
  const csp = index.headers.get('content-security-policy') ?? '';
  assert.match(csp, /script-src 'self'(;|$)/, 'scripts only from the origin, never inline');
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp.split(';').find((d) => d.includes('script-src')) ?? '', /unsafe-inline/);
  assert.equal(index.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(index.headers.get('x-frame-options'), 'DENY');
  assert.equal(index.headers.get('referrer-policy'), 'no-referrer');
  const asset = await fetch(`${url}/assets/index-abc123.js`);
  assert.equal(asset.status, 200);
  assert.match(asset.headers.get('content-type') ?? '', /text\/javascript/);
  assert.match(asset.headers.get('cache-control') ?? '', /immutable/);
  assert.equal((await fetch(`${url}/favicon.svg`)).headers.get('cache-control'), 'no-cache', 'only hashed assets are immutable');
});

test('deep links get index.html; missing files, traversal and the API paths do not', async () => {
  const url = await serve();
  const deep = await fetch(`${url}/activities/42?tab=history`, { headers: html });
  assert.equal(deep.status, 200);
  assert.match(await deep.text(), /id="root"/);
  assert.equal((await fetch(`${url}/activities/42`, { headers: { accept: 'application/json' } })).status, 404, 'not a page request');
  assert.equal((await fetch(`${url}/assets/missing-123.js`, { headers: html })).status, 404);
  // fetch would normalize the dots away; a raw request sends them as an attacker would.
  const traversal = await new Promise<{ status?: number; body: string }>((resolve, reject) => {
    http.get(`${url}/assets/..%2f..%2fkiroku-web-secret.txt`, { headers: html }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    }).on('error', reject);
  });
  assert.equal(traversal.status, 404);
  assert.notEqual(traversal.body, 'secret');
  // The API keeps its paths: an unknown one is the API's JSON 404, health answers as before.
  const api = await fetch(`${url}/exports/nothing`, { headers: html });
  assert.equal(api.status, 404);
  assert.match(api.headers.get('content-type') ?? '', /json/);
  // The exports page of the UI shares the API's prefix: a deep link to it is still a page.
  assert.match(await (await fetch(`${url}/exports`, { headers: html })).text(), /id="root"/);
  assert.deepEqual(await (await fetch(`${url}/healthz`, { headers: html })).json(), { status: 'ok' });
  const gql = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/html, application/json' }, body: '{"query":"{ __typename }"}' });
  assert.equal(gql.status, 401, 'GraphQL still asks for a token');
});

test('without a built UI, / says so plainly', async () => {
  const url = await serve({ ui: { dir: path.join(dist, 'nowhere') } });
  const res = await fetch(`${url}/`, { headers: html });
  assert.equal(res.status, 404);
  assert.match(await res.text(), /web UI is not built.*npm run build/);
});

test('dev mode: POST /dev/token mints a working token for the three people roles and nothing else', async () => {
  const url = await serve();
  const config = (await (await fetch(`${url}/ui-config.json`)).json()) as any;
  assert.deepEqual(config, { devSignIn: true, roles: ['PRIVACY_ADMIN', 'PRIVACY_ANALYST', 'AUDITOR'], oidc: null });
  const res = await devToken(url, { role: 'AUDITOR' });
  assert.equal(res.status, 200);
  const { token } = (await res.json()) as { token: string };
  const who = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{"query":"{ whoami { roles sub } }"}' });
  assert.deepEqual(((await who.json()) as any).data.whoami, { roles: ['AUDITOR'], sub: 'dev-auditor' });
  const integration = await devToken(url, { role: 'INTEGRATION' });
  assert.equal(integration.status, 400);
  const body = (await integration.json()) as any;
  assert.equal(body.errors[0].extensions.code, 'BAD_USER_INPUT');
  assert.equal(body.errors[0].extensions.field, 'role');
  assert.equal((await devToken(url, { role: 'AUDITOR' }, 'text/plain')).status, 415, 'a form post from another site cannot mint one');
  assert.equal((await fetch(`${url}/dev/token`)).status, 405);
});

test('production: no dev sign-in (POST /dev/token is 404) and the identity provider is announced', async () => {
  const url = await serve({ production: true, ui: { oidcIssuer: 'https://idp.example.test/realms/kiroku', oidcClientId: 'kiroku-web' } });
  const res = await devToken(url, { role: 'PRIVACY_ADMIN' });
  assert.equal(res.status, 404);
  assert.doesNotMatch(await res.text(), /token/);
  const config = (await (await fetch(`${url}/ui-config.json`)).json()) as any;
  assert.equal(config.devSignIn, false);
  assert.deepEqual(config.roles, []);
  assert.deepEqual(config.oidc, { issuer: 'https://idp.example.test/realms/kiroku', clientId: 'kiroku-web', scope: 'openid profile offline_access' });
  const csp = (await fetch(`${url}/`, { headers: html })).headers.get('content-security-policy') ?? '';
  assert.match(csp, /connect-src 'self' https:\/\/idp\.example\.test(;|$)/, 'the UI may talk to the identity provider, nothing else');
  // JWT settings outside production (an identity provider in staging): no dev tokens either.
  const jwt = await serve({ auth: { ...testAuth, mode: 'jwt', hs256Secret: 'x'.repeat(32) } });
  assert.equal((await devToken(jwt, { role: 'PRIVACY_ADMIN' })).status, 404);
});
