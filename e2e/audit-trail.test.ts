import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { freshDatabase, startServerProcess, type ServerProcess } from './server-process.js';

/**
 * The audit trail holds against the application itself: the server process connects with the
 * role production gives it (DATABASE_URL), and whoever holds that role's credentials cannot
 * remove or rewrite audit events, not even with the triggers switched off.
 */
let server: ServerProcess;
let admin: string;
before(async () => {
  server = await startServerProcess();
  admin = await server.token(['PRIVACY_ADMIN'], { sub: 'e2e-admin' });
});
after(() => server?.stop());

const gql = async (token: string, query: string, variables?: Record<string, unknown>) => {
  const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  return (await res.json()) as any;
};

async function asApp<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: server.databaseUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

test('the server connects as a role that can neither delete audit events nor switch their triggers off', async () => {
  const made = await gql(admin, 'mutation { createProcessor(input: { code: "e2e-host", name: { en: "Host" }, country: "JP" }) { processor { id } } }');
  assert.equal(made.errors, undefined, JSON.stringify(made.errors));
  await asApp(async (c) => {
    const users = await c.query(`select distinct usename from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`);
    assert.deepEqual(users.rows.map((r) => r.usename), [new URL(server.databaseUrl).username], 'every connection of the server is the application role');
    const { rows: [{ n }] } = await c.query('select count(*)::int as n from audit_event');
    assert.ok(n > 0);
    await c.query('begin');
    await assert.rejects(c.query('set local session_replication_role = replica'), /permission denied/);
    await c.query('rollback');
    await assert.rejects(c.query('delete from audit_event'), /permission denied/);
    await assert.rejects(c.query(`update audit_event set actor_sub = 'forged'`), /permission denied/);
    await assert.rejects(c.query('truncate audit_event'), /permission denied/);
    await assert.rejects(c.query('alter table audit_event disable trigger user'), /must be owner/);
    await assert.rejects(c.query('drop table audit_event'), /must be owner/);
    await assert.rejects(c.query('create table kiroku_shadow (id int)'), /permission denied/);
    const { rows: [{ m }] } = await c.query('select count(*)::int as m from audit_event');
    assert.equal(m, n, 'nothing removed');
  });
});

test('a DATABASE_URL that could rewrite the audit trail (a superuser, no MIGRATION_DATABASE_URL) is reported at start', async () => {
  const legacy = await startServerProcess({ databaseUrl: await freshDatabase() });
  try {
    assert.match(legacy.output(), /could rewrite the audit trail/);
  } finally {
    await legacy.stop();
  }
  assert.doesNotMatch(server.output(), /could rewrite the audit trail/);
});

test('large values are audited as a digest and a size, not copied whole', async () => {
  // Within the input limits (20,000 characters), far over the audit's bound for one text.
  const big = 'あ'.repeat(19_000);
  const made = await gql(admin, 'mutation($d: String!) { createProcessor(input: { code: "e2e-big", name: { en: "Big" }, description: { en: $d } }) { processor { id description { en } } } }', { d: big });
  assert.equal(made.errors, undefined, JSON.stringify(made.errors));
  assert.equal(made.data.createProcessor.processor.description.en.length, big.length, 'the record itself keeps the value');
  const id = made.data.createProcessor.processor.id;
  const many = Array.from({ length: 100 }, (_, i) => `${i}`.padEnd(1000, 'y'));
  const updated = await gql(admin, `mutation($s: [String!]) { updateProcessor(input: { id: "${id}", version: 1, services: $s }) { processor { version } } }`, { s: many });
  assert.equal(updated.errors, undefined, JSON.stringify(updated.errors));
  const r = await gql(admin, `{ auditEvents(filter: { entityType: "Processor", entityId: "${id}" }) { edges { node { operation before after } } } }`);
  const [update, create] = r.data.auditEvents.edges.map((e: any) => e.node);
  assert.deepEqual(create.after.description.en, { digest: 'sha256:' + createHash('sha256').update(big).digest('hex'), bytes: Buffer.byteLength(big) });
  assert.equal(create.after.name.en, 'Big', 'small values stay readable');
  assert.equal(update.after.bytes > 100_000, true, JSON.stringify(update.after).slice(0, 200));
  assert.match(update.after.digest, /^sha256:[0-9a-f]{64}$/);
  await asApp(async (c) => {
    const { rows } = await c.query(`select max(pg_column_size(before) + pg_column_size(after))::int as size from audit_event where entity_type = 'Processor' and entity_id = $1`, [id]);
    assert.ok(rows[0].size < 70_000, `stored ${rows[0].size} bytes`);
  });
});
