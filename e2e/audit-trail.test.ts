import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { asRole, freshDatabase, startServerProcess, type ServerProcess } from './server-process.js';

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

test('reading a request\'s reply contact, agent or resolution, or looking a person up, writes an access event (who, which record, when)', async () => {
  const analyst = await server.token(['PRIVACY_ANALYST'], { sub: 'e2e-analyst' });
  const made = await gql(analyst, 'mutation($input: CreateDataSubjectRequestInput!) { createDataSubjectRequest(input: $input) { request { id } } }', {
    input: { framework: 'APPI', type: 'DISCLOSE', channel: 'WEB', requester: { kind: 'AGENT', agentName: 'Agent Tanaka' }, responseMethod: 'ELECTRONIC', contact: 'reply@example.com', identities: [{ type: 'EMAIL', value: 'person@example.com' }] },
  });
  assert.equal(made.errors, undefined, JSON.stringify(made.errors));
  const id = made.data.createDataSubjectRequest.request.id;
  const accesses = async () => {
    const r = await gql(admin, `{ auditEvents(filter: { entityType: "DataSubjectRequest", entityId: "${id}" }) { edges { node { operation actorSub at } } } }`);
    return r.data.auditEvents.edges.map((e: any) => e.node).filter((n: any) => n.operation !== 'createDataSubjectRequest');
  };
  const plain = await gql(analyst, `{ dataSubjectRequest(id: "${id}") { reference status } }`);
  assert.equal(plain.errors, undefined, JSON.stringify(plain.errors));
  assert.deepEqual(await accesses(), [], 'a read without personal data is not an access');

  const before = Date.now();
  const read = await gql(analyst, `{ dataSubjectRequest(id: "${id}") { contact agentName resolution { computedAt } } }`);
  assert.equal(read.errors, undefined, JSON.stringify(read.errors));
  assert.equal(read.data.dataSubjectRequest.contact, 'reply@example.com');
  const events = await accesses();
  assert.deepEqual(events.map((e: any) => e.operation).sort(), ['DataSubjectRequest.agentName', 'DataSubjectRequest.contact', 'DataSubjectRequest.resolution']);
  for (const e of events) {
    assert.equal(e.actorSub, 'e2e-analyst');
    assert.ok(Date.parse(e.at) >= before - 5_000, e.at);
  }
  const listed = await gql(analyst, '{ dataSubjectRequests(first: 50) { edges { node { id contact } } } }');
  assert.equal(listed.errors, undefined, JSON.stringify(listed.errors));
  assert.equal((await accesses()).filter((e: any) => e.operation === 'DataSubjectRequest.contact').length, 2, 'a list read records each request read');

  const lookup = await gql(analyst, '{ subjectLookup(identityType: EMAIL, value: "Looked.Up@Example.com") { id } }');
  assert.equal(lookup.errors, undefined, JSON.stringify(lookup.errors));
  const l = await gql(admin, '{ auditEvents(filter: { entityType: "SubjectIdentifier", actor: "e2e-analyst" }) { edges { node { operation entityId after } } } }');
  const [event] = l.data.auditEvents.edges.map((e: any) => e.node);
  assert.equal(event.operation, 'Query.subjectLookup');
  assert.match(event.entityId, /^[0-9a-f]{64}$/, 'the person is named by the HMAC');
  assert.equal(event.after.identityType, 'EMAIL');
  await asApp(async (c) => {
    const { rows } = await c.query(`select count(*)::int as n from audit_event where concat_ws(' ', entity_id, before::text, after::text, reason) ilike '%looked.up%' or after::text like '%reply@example.com%'`);
    assert.equal(rows[0].n, 0, 'the value looked up and the contact are not copied into the trail');
  });
});

test('verifyAuditTrail: the hash chain holds under concurrent writes, and an event changed behind the triggers\' back is found', async () => {
  const auditor = await server.token(['AUDITOR'], { sub: 'e2e-auditor' });
  const writes = await Promise.all(Array.from({ length: 20 }, (_, i) =>
    gql(admin, `mutation { createProcessor(input: { code: "e2e-c${i}", name: { en: "C${i}" } }) { processor { id } } }`)));
  for (const w of writes) assert.equal(w.errors, undefined, JSON.stringify(w.errors));
  const VERIFY = '{ verifyAuditTrail { ok checked headHash firstBrokenEventId problem } }';
  const good = await gql(auditor, VERIFY);
  assert.equal(good.errors, undefined, JSON.stringify(good.errors));
  const { rows: [{ n }] } = await asApp((c) => c.query('select count(*)::int as n from audit_event'));
  assert.deepEqual({ ...good.data.verifyAuditTrail, headHash: undefined }, { ok: true, checked: n, headHash: undefined, firstBrokenEventId: null, problem: null });
  assert.match(good.data.verifyAuditTrail.headHash, /^[0-9a-f]{64}$/);
  assert.equal((await gql(await server.token(['PRIVACY_ANALYST']), VERIFY)).errors?.[0].extensions.code, 'FORBIDDEN');

  // Only a superuser gets past the triggers; the chain still tells.
  const su = new pg.Client({ connectionString: asRole(server.databaseUrl, 'admin') });
  await su.connect();
  let forged: string;
  try {
    const { rows: [victim] } = await su.query(`select id::text from audit_event where operation = 'createProcessor' order by id limit 1 offset 3`);
    forged = victim.id;
    await su.query('begin');
    await su.query('set local session_replication_role = replica');
    await su.query(`update audit_event set actor_sub = 'someone-else' where id = $1`, [forged]);
    await su.query('commit');
  } finally {
    await su.end();
  }
  const bad = await gql(auditor, VERIFY);
  assert.equal(bad.data.verifyAuditTrail.ok, false);
  assert.equal(bad.data.verifyAuditTrail.problem, 'EVENT_ALTERED');
  assert.equal(bad.data.verifyAuditTrail.firstBrokenEventId, forged);
});
