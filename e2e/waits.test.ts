import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { asRole, freshDatabase, startServerProcess, type ServerProcess } from './server-process.js';

/**
 * Every wait is bounded: a row lock held by someone else (here from psql's point of view: another
 * session) stalls only the writes to that row, for at most the lock timeout, with a retryable
 * CONFLICT; readiness and other writes go on.
 */
let server: ServerProcess;
let admin: pg.Client;
let token: string;
const LOCK_TIMEOUT_MS = 3_000;
before(async () => {
  const databaseUrl = await freshDatabase();
  server = await startServerProcess({ databaseUrl: asRole(databaseUrl, 'app'), migrationDatabaseUrl: asRole(databaseUrl, 'owner'), env: { KIROKU_LOCK_TIMEOUT_MS: String(LOCK_TIMEOUT_MS) } });
  token = await server.token(['PRIVACY_ADMIN']);
  admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
});
after(async () => {
  await admin?.query('rollback').catch(() => {});
  await admin?.end();
  await server?.stop();
});

async function gql(query: string, variables?: unknown): Promise<any> {
  const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  return res.json();
}
const UPDATE = 'mutation U($input: UpdatePurposeInput!) { updatePurpose(input: $input) { purpose { id version } } }';

test('a row lock held elsewhere: writes to that row fail fast and retryable, everything else goes on', async () => {
  const { data } = await gql('{ purposes { id code version } }');
  const [locked, free] = data.purposes;
  await admin.query('begin');
  await admin.query('select * from purpose where id = $1 for update', [Number(locked.id)]);
  const started = Date.now();
  let settled = 0;
  const writes = Array.from({ length: 25 }, () => gql(UPDATE, { input: { id: locked.id, version: locked.version, sourceRef: 'blocked' } }).finally(() => settled++));
  // Meanwhile readiness is answered without waiting for them, and a write elsewhere succeeds.
  await new Promise((r) => setTimeout(r, 200));
  assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
  const settledAtReadiness = settled;
  const other = await gql(UPDATE, { input: { id: free.id, version: free.version, sourceRef: 'not blocked' } });
  assert.equal(other.errors, undefined, JSON.stringify(other.errors));
  const results = await Promise.all(writes);
  const elapsed = Date.now() - started;
  for (const r of results) {
    assert.equal(r.errors?.[0]?.extensions?.code, 'CONFLICT', JSON.stringify(r));
    assert.equal(r.errors[0].extensions.retryable, true);
  }
  assert.equal(settledAtReadiness, 0, 'readiness answered while the blocked writes were still waiting');
  // Writes queue for the ORM's 20 connections, each waits at most the lock timeout: two rounds,
  // not twenty-five.
  assert.ok(elapsed < 8 * LOCK_TIMEOUT_MS, `25 blocked writes took ${elapsed} ms`);
  await admin.query('rollback');
  const after = await gql(UPDATE, { input: { id: locked.id, version: locked.version, sourceRef: 'after' } });
  assert.equal(after.errors, undefined, JSON.stringify(after.errors));
  assert.equal(after.data.updatePurpose.purpose.version, locked.version + 1, 'the blocked writes changed nothing');
});
