import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Role } from '../src/auth/roles.js';
import { startTestServer, token, type TestServer } from './helpers.js';

/**
 * A client that retries (its answer was lost, the person pressed "send" twice) sends the same
 * Idempotency-Key: the request is carried out once and every retry gets the first answer.
 */
let s: TestServer;
let analyst: string;
let otherAnalyst: string;
let crm: string;
before(async () => {
  s = await startTestServer({ seed: 'demo' });
  analyst = await token(Role.PRIVACY_ANALYST, { sub: 'intake-desk' });
  otherAnalyst = await token(Role.PRIVACY_ANALYST, { sub: 'second-desk' });
  crm = await token(Role.INTEGRATION, { system: 'crm', sub: 'crm-sync' });
});
after(() => s?.close());

async function post(body: unknown, tok: string, key?: string): Promise<{ status: number; replayed: string | null; body: any }> {
  const res = await fetch(`${s.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tok}`, ...(key !== undefined ? { 'idempotency-key': key } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, replayed: res.headers.get('idempotent-replayed'), body: await res.json() };
}
const count = async (sql: string) => Number((await s.orm.em.getConnection().execute(sql))[0].n);

const CREATE = 'mutation C($input: CreateDataSubjectRequestInput!) { createDataSubjectRequest(input: $input) { request { id reference } } }';
const intake = (value: string) => ({ query: CREATE, variables: { input: { framework: 'APPI', type: 'DISCLOSE', channel: 'WEB', requester: { kind: 'SELF' }, responseMethod: 'ELECTRONIC', identities: [{ type: 'EMAIL', value }] } } });

test('request intake with the same key twice records one request and answers the same reference', async () => {
  const before = await count('select count(*) as n from data_subject_request');
  const first = await post(intake('twice@example.com'), analyst, 'intake-0001');
  assert.equal(first.body.errors, undefined, JSON.stringify(first.body.errors));
  assert.equal(first.replayed, null);
  const again = await post(intake('twice@example.com'), analyst, 'intake-0001');
  assert.equal(again.replayed, 'true');
  assert.deepEqual(again.body, first.body, 'the first answer, word for word');
  assert.equal(await count('select count(*) as n from data_subject_request'), before + 1);
  assert.equal(await count(`select count(*) as n from audit_event where operation = 'createDataSubjectRequest'`), before + 1, 'audited once');
  // Another principal's key of the same name is its own.
  const other = await post(intake('twice@example.com'), otherAnalyst, 'intake-0001');
  assert.equal(other.replayed, null);
  assert.notEqual(other.body.data.createDataSubjectRequest.request.reference, first.body.data.createDataSubjectRequest.request.reference);
  // Without a key, a second send is a second request, as before.
  await post(intake('twice@example.com'), analyst);
  assert.equal(await count('select count(*) as n from data_subject_request'), before + 3);
});

test('a key reused for a different request is refused and changes nothing', async () => {
  const before = await count('select count(*) as n from data_subject_request');
  await post(intake('first@example.com'), analyst, 'intake-0002');
  const reused = await post(intake('someone-else@example.com'), analyst, 'intake-0002');
  assert.equal(reused.status, 422);
  assert.equal(reused.body.errors[0].extensions.code, 'BAD_USER_INPUT');
  assert.equal(await count('select count(*) as n from data_subject_request'), before + 1);
  const badKey = await post(intake('first@example.com'), analyst, 'no spaces allowed');
  assert.equal(badKey.status, 400);
});

test('a request refused as bad input frees its key for the corrected one', async () => {
  const bad = await post(intake('not-an-email'), analyst, 'intake-0003');
  assert.equal(bad.body.errors[0].extensions.code, 'BAD_USER_INPUT');
  const fixed = await post(intake('fixed@example.com'), analyst, 'intake-0003');
  assert.equal(fixed.body.errors, undefined, JSON.stringify(fixed.body.errors));
  assert.equal(fixed.replayed, null, 'ran, not replayed');
});

test('a retried push returns the first answer (CREATED, not UNCHANGED); concurrent duplicates run once', async () => {
  const push = { query: 'mutation R($input: RegisterDatasetsInput!) { registerDatasets(input: $input) { results { key status } } }', variables: { input: { systemKey: 'crm', prune: false, datasets: [{ key: 'idem-1', name: 'Idempotent', fields: [{ path: 'a' }] }] } } };
  const first = await post(push, crm, 'push-0001');
  assert.deepEqual(first.body.data.registerDatasets.results, [{ key: 'idem-1', status: 'CREATED' }]);
  const retry = await post(push, crm, 'push-0001');
  assert.deepEqual(retry.body, first.body);
  const other = { ...push, variables: { input: { ...push.variables.input, datasets: [{ key: 'idem-2', name: 'Idempotent 2', fields: [{ path: 'a' }] }] } } };
  const racing = await Promise.all(Array.from({ length: 8 }, () => post(other, crm, 'push-0002')));
  const created = racing.filter((r) => r.status === 200 && r.body.data?.registerDatasets.results[0].status === 'CREATED');
  const busy = racing.filter((r) => r.status === 409 && r.body.errors[0].extensions.code === 'CONFLICT' && r.body.errors[0].extensions.retryable === true);
  assert.equal(created.length + busy.length, 8, JSON.stringify(racing.map((r) => [r.status, r.body])));
  assert.ok(created.length >= 1);
  assert.equal(await count(`select count(*) as n from audit_event where operation = 'registerDatasets' and entity_id in (select id::text from dataset where key = 'idem-2')`), 1, 'carried out once');
});

test('a date the request cannot be filed under is refused before anything is written', async () => {
  const before = await count('select count(*) as n from data_subject_request');
  for (const receivedAt of ['9999-12-31T23:59:59Z', '1850-01-01T00:00:00Z']) {
    const r = await post({ query: CREATE, variables: { input: { ...intake('dated@example.com').variables.input, receivedAt } } }, analyst);
    assert.equal(r.body.errors?.[0].extensions.code, 'BAD_USER_INPUT', JSON.stringify(r.body));
    assert.equal(r.body.errors[0].extensions.field, 'input.receivedAt');
  }
  assert.equal(await count('select count(*) as n from data_subject_request'), before, 'nothing committed');
});

test('a key whose first request never finished is reported as unknown, not retried forever or run twice', async () => {
  const body = intake('lost@example.com');
  const raw = JSON.stringify(body);
  const hash = (await import('node:crypto')).createHash('sha256').update(raw).digest('hex');
  // As a process that died mid-request leaves it: claimed, never answered, twenty minutes ago.
  await s.orm.em.getConnection().execute(`insert into idempotency_key (principal, key, request_hash, created_at) values ('intake-desk', 'intake-lost', ?, now() - interval '20 minutes')`, [hash]);
  const before = await count('select count(*) as n from data_subject_request');
  const r = await post(body, analyst, 'intake-lost');
  assert.equal(r.status, 409);
  assert.equal(r.body.errors[0].extensions.code, 'CONFLICT');
  assert.equal(r.body.errors[0].extensions.retryable, false, 'retrying cannot settle it');
  assert.equal(await count('select count(*) as n from data_subject_request'), before, 'not run a second time');
  // A claim of a moment ago is still running: retry shortly.
  await s.orm.em.getConnection().execute(`insert into idempotency_key (principal, key, request_hash) values ('intake-desk', 'intake-running', ?)`, [hash]);
  const running = await post(body, analyst, 'intake-running');
  assert.equal(running.status, 409);
  assert.equal(running.body.errors[0].extensions.retryable, true);
});
