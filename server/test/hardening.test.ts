import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Role } from '../src/auth/roles.js';
import pg from 'pg';
import { roleUrl, startTestServer, token, type TestServer } from './helpers.js';

let s: TestServer;
let admin: string;
before(async () => {
  s = await startTestServer();
  admin = await token(Role.PRIVACY_ADMIN);
});
after(() => s?.close());

async function post(query: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${s.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}`, ...headers },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, body: (await res.json()) as any };
}

test('depth, alias, cost and token limits reject a query before it runs, with HTTP 400 and a stable code', async () => {
  const deep = `{ dataCategories { ${'children { '.repeat(12)}code${' }'.repeat(12)} } }`;
  const d = await post(deep);
  assert.equal(d.status, 400);
  assert.equal(d.body.errors[0].extensions.code, 'QUERY_TOO_COMPLEX');
  assert.equal(d.body.errors[0].extensions.limit, 'DEPTH');
  const aliases = `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: subjectCategories { code }`).join(' ')} }`;
  const a = await post(aliases);
  assert.equal(a.status, 400);
  assert.equal(a.body.errors[0].extensions.limit, 'ALIASES');
  const costly = '{ processingActivities(first: 500) { edges { node { purposes { activities { purposes { activities { dataCategories { fields { path } } } } } } } } } }';
  const c = await post(costly);
  assert.equal(c.status, 400);
  assert.equal(c.body.errors[0].extensions.limit, 'COST');
  const tokens = `{ subjectCategories { ${'code '.repeat(6000)} } }`;
  const t = await post(tokens);
  assert.equal(t.status, 400);
  assert.equal(t.body.errors[0].extensions.code, 'GRAPHQL_PARSE_FAILED');
});

test('CORS admits configured origins only; CSRF prevention blocks simple requests', async () => {
  const ok = await fetch(`${s.url}/graphql`, { method: 'OPTIONS', headers: { origin: 'http://ui.example', 'access-control-request-method': 'POST' } });
  assert.equal(ok.status, 204);
  assert.equal(ok.headers.get('access-control-allow-origin'), 'http://ui.example');
  const evil = await fetch(`${s.url}/graphql`, { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } });
  assert.equal(evil.status, 403);
  assert.equal(evil.headers.get('access-control-allow-origin'), null);
  const simple = await fetch(`${s.url}/graphql?query=%7B__typename%7D`, { headers: { authorization: `Bearer ${admin}` } });
  assert.equal(simple.status, 400, 'a GET without a preflight-forcing header is refused (CSRF)');
});

test('errors carry a request id and no internals', async () => {
  // A real fault: the table the query reads is gone for a moment.
  // The server's role owns no table: the superuser takes it away.
  const superuser = new pg.Client({ connectionString: roleUrl('admin', s.orm.config.get('clientUrl')) });
  await superuser.connect();
  const sql = async (q: string) => {
    await superuser.query(q);
  };
  const query = '{ processingActivities(filter: { dataCategoryIds: ["1"], countries: ["JP"] }, first: 1) { totalCount } }';
  await sql('alter table processing_activity rename to processing_activity_away');
  let res: Response;
  try {
    res = await fetch(`${s.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}`, 'x-request-id': 'req-fault-1' }, body: JSON.stringify({ query }) });
  } finally {
    await sql('alter table processing_activity_away rename to processing_activity');
    await superuser.end();
  }
  assert.equal(res.headers.get('x-request-id'), 'req-fault-1');
  const body = (await res.json()) as any;
  assert.equal(body.errors?.length, 1, JSON.stringify(body));
  const [e] = body.errors;
  assert.equal(e.extensions.code, 'INTERNAL_SERVER_ERROR');
  assert.equal(e.extensions.requestId, 'req-fault-1', 'the id to find the logged detail by');
  assert.equal(e.message, 'Internal server error');
  assert.deepEqual(Object.keys(e.extensions).sort(), ['code', 'requestId']);
  assert.doesNotMatch(JSON.stringify(body), /processing_activity|relation|select |does not exist|stack|\.js:\d+|42P01/i, 'no SQL, table, stack or driver code');
  // Restored, the same query works: the fault was the table, not the query.
  const ok = await post(query);
  assert.equal(ok.body.errors, undefined, JSON.stringify(ok.body.errors));
  assert.equal(ok.body.data.processingActivities.totalCount, 0);
});

test('a missing or ill-typed variable is the caller\'s bad input (400), not a masked internal error', async () => {
  for (const variables of [{}, { id: { not: 'an id' } }]) {
    const res = await fetch(`${s.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ query: 'query P($id: ID!) { processor(id: $id) { code } }', variables }),
    });
    const body = (await res.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal(body.errors[0].extensions.code, 'BAD_USER_INPUT');
    assert.match(body.errors[0].message, /\$id/);
  }
});
