import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Role } from '../src/auth/roles.js';
import { doc, startTestServer, token, type TestServer } from './helpers.js';

/**
 * Writes racing each other. Left alone, requests to an in-process server tend to run one after
 * the other; holding a lock on the table they read makes them all wait inside their transactions
 * and then go at once, which is the race worth surviving.
 */
let s: TestServer;
let analyst: string;
before(async () => {
  s = await startTestServer({ docs: [doc({ processors: [{ code: 'host', name: { en: 'Host' }, country: 'JP' }] })] });
  analyst = await token(Role.PRIVACY_ANALYST, { sub: 'analyst-race' });
});
after(() => s?.close());

const sql = async (q: string, p: unknown[] = []) => s.orm.em.getConnection().execute(q, p);

/** Runs the requests `start` makes while `table` is locked, once `waiters` of them wait on it. */
async function race<T>(table: string, waiters: number, start: () => Promise<T>[]): Promise<T[]> {
  const gate = await s.app.pool.connect();
  try {
    await gate.query('begin');
    await gate.query(`lock table "${table}" in access exclusive mode`);
    const pending = Promise.all(start());
    let waiting = 0;
    for (let i = 0; i < 200 && waiting < waiters; i++) {
      await new Promise((r) => setTimeout(r, 25));
      // From another connection: inside the gate's transaction the activity view is a frozen snapshot.
      const { rows } = await s.app.pool.query(`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
      waiting = rows[0].n;
    }
    assert.ok(waiting >= waiters, `${waiting} of ${waiters} requests reached the lock`);
    await gate.query('commit');
    return await pending;
  } finally {
    gate.release();
  }
}

test('updates racing on the same version: exactly one wins, the others get CONFLICT and change nothing', async () => {
  const p = (await s.gql('{ processors { edges { node { id version } } } }')).data.processors.edges[0].node;
  const N = 6;
  const results = await race('processor', N, () =>
    Array.from({ length: N }, (_, i) => s.gql(`mutation { updateProcessor(input: { id: "${p.id}", version: ${p.version}, name: { en: "Name ${i}" } }) { processor { version name { en } } } }`)),
  );
  const winners = results.filter((r) => !r.errors);
  assert.equal(winners.length, 1, JSON.stringify(results.map((r) => r.errors?.[0]?.extensions.code ?? 'ok')));
  for (const r of results.filter((x) => x.errors)) assert.equal(r.errors![0].extensions.code, 'CONFLICT', JSON.stringify(r.errors));
  const won = winners[0].data.updateProcessor.processor;
  assert.equal(won.version, p.version + 1);
  const [row] = await sql('select version, name from processor where id = ?', [p.id]);
  assert.deepEqual([row.version, row.name.en], [p.version + 1, won.name.en], 'the stored record is the winner\'s, once');
  const audited = await sql(`select count(*)::int as n from audit_event where operation = 'updateProcessor' and outcome = 'SUCCESS' and entity_id = ?`, [p.id]);
  assert.equal(audited[0].n, 1, 'one change, one audit record');
});

test('requests taken in at the same moment get distinct references', async () => {
  const N = 6;
  const input = (i: number) => ({ framework: 'APPI', type: 'DISCLOSE', channel: 'WEB', requester: { kind: 'SELF' }, responseMethod: 'ELECTRONIC', identities: [{ type: 'EMAIL', value: `person${i}@example.com` }] });
  // Intake reads the organization's policy before it writes: lock the request table itself.
  const results = await race('data_subject_request', N, () =>
    Array.from({ length: N }, (_, i) => s.gql('mutation($input: CreateDataSubjectRequestInput!) { createDataSubjectRequest(input: $input) { request { id reference } } }', { input: input(i) }, { token: analyst })),
  );
  assert.deepEqual(results.flatMap((r) => r.errors ?? []), []);
  const refs = results.map((r) => r.data.createDataSubjectRequest.request.reference);
  assert.equal(refs.length, N);
  assert.equal(new Set(refs).size, N, refs.join());
  for (const ref of refs) assert.match(ref, /^DSR-\d{4}-\d{6}$/);
  const stored = await sql('select count(distinct reference)::int as n, count(*)::int as total from data_subject_request');
  assert.deepEqual(stored[0], { n: N, total: N });
});

test('the same transition sent twice at once happens once: the later one finds the request moved on', async () => {
  const created = await s.gql('mutation($input: CreateDataSubjectRequestInput!) { createDataSubjectRequest(input: $input) { request { id } } }', {
    input: { framework: 'APPI', type: 'DISCLOSE', channel: 'WEB', requester: { kind: 'SELF' }, responseMethod: 'ELECTRONIC', identities: [{ type: 'EMAIL', value: 'twice@example.com' }] },
  }, { token: analyst });
  const id = created.data.createDataSubjectRequest.request.id;
  const N = 4;
  const results = await race('data_subject_request', N, () =>
    Array.from({ length: N }, () => s.gql(`mutation { transitionDataSubjectRequest(input: { id: "${id}", to: VERIFYING }) { request { status } } }`, {}, { token: analyst })),
  );
  assert.equal(results.filter((r) => !r.errors).length, 1, JSON.stringify(results.map((r) => r.errors?.[0]?.extensions.code ?? 'ok')));
  for (const r of results.filter((x) => x.errors)) assert.equal(r.errors![0].extensions.field, 'input.to', JSON.stringify(r.errors));
  const timeline = await s.gql(`{ dataSubjectRequest(id: "${id}") { status timeline { kind toStatus } } }`);
  assert.equal(timeline.data.dataSubjectRequest.status, 'VERIFYING');
  assert.deepEqual(timeline.data.dataSubjectRequest.timeline.map((e: any) => e.kind), ['CREATED', 'TRANSITION']);
});
