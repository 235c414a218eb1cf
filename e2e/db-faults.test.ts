import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { asRole, freshDatabase, startServerProcess, type ServerProcess } from './server-process.js';

/**
 * An operator (or a failover, or an idle-session timeout) terminates the API's database backends
 * while it works: the process stays up, the requests that lost their connection get a retryable
 * SERVICE_UNAVAILABLE, the next ones succeed on fresh connections, and nothing is half-written.
 */
let server: ServerProcess;
let admin: pg.Client;
let databaseUrl: string;
let crm: string;
let analyst: string;
before(async () => {
  // The server connects as the application's role, as in production; this test as the superuser.
  databaseUrl = await freshDatabase();
  server = await startServerProcess({ databaseUrl: asRole(databaseUrl, 'app'), migrationDatabaseUrl: asRole(databaseUrl, 'owner'), env: { KIROKU_SEED: 'demo' } });
  crm = await server.token(['INTEGRATION'], { system: 'crm', sub: 'crm-sync' });
  analyst = await server.token(['PRIVACY_ANALYST']);
  admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
});
after(async () => {
  await admin?.end();
  await server?.stop();
});

async function gql(token: string, query: string, variables?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: await res.json() };
}

/** Every backend of the API's database except this test's own. */
const terminateAll = () =>
  admin.query(`select count(pg_terminate_backend(pid)) as n from pg_stat_activity
    where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`);

const REGISTER = `mutation R($input: RegisterDatasetsInput!) { registerDatasets(input: $input) { results { key status } } }`;
function push(round: number, n: number) {
  return {
    input: {
      systemKey: 'crm',
      prune: false,
      datasets: Array.from({ length: n }, (_, i) => ({
        key: `fault-${i}`,
        name: `Fault dataset ${i} r${round}`,
        fields: Array.from({ length: 10 }, (_, j) => ({ path: `f${j}`, description: `round ${round}` })),
      })),
    },
  };
}
const READ = `query { datasets(first: 200) { totalCount edges { node { key fields { path } } } } processingActivities(first: 50) { edges { node { code purposes { code } } } } }`;

test('terminated backends during pushes and reads: the process stays up, errors are retryable, nothing is half-written', async () => {
  let unavailable = 0;
  let completedPushes = 0;
  for (let round = 1; round <= 20; round++) {
    const inFlight = [gql(crm, REGISTER, push(round, 400)), gql(analyst, READ), gql(analyst, READ)];
    // Strike while the push is inside its transaction.
    await new Promise((r) => setTimeout(r, 20 + (round % 5) * 25));
    await terminateAll();
    for (const { status, body } of await Promise.all(inFlight)) {
      if (!body.errors) {
        if (body.data?.registerDatasets) completedPushes++;
        continue;
      }
      const codes = body.errors.map((e: any) => e.extensions?.code);
      assert.ok(codes.every((c: string) => c === 'SERVICE_UNAVAILABLE'), `status ${status}: ${JSON.stringify(body.errors)}\n${server.output().slice(-3000)}`);
      assert.ok(body.errors.every((e: any) => e.extensions.retryable === true), 'a lost connection is retryable');
      if (body.data == null || Object.values(body.data).every((v) => v === null)) assert.equal(status, 503, 'nothing answered: 503 for HTTP clients too');
      unavailable++;
    }
    assert.equal(server.child.exitCode, null, `the server died in round ${round}:\n${server.output().slice(-2000)}`);
    // The next request succeeds on a fresh connection.
    const probe = await gql(analyst, '{ datasets(first: 1) { totalCount } }');
    assert.equal(probe.body.errors, undefined, JSON.stringify(probe.body.errors));
  }
  assert.ok(unavailable > 0, 'some requests lost their connection (otherwise the test proved nothing)');
  // A push either happened whole or not at all: every fault dataset has its ten fields, and they
  // all carry the description of the round of its dataset's name.
  const { rows } = await admin.query(`
    select d.key, d.name, count(f.id)::int as fields, count(distinct f.description)::int as descriptions,
      min(f.description) as description
    from dataset d join system s on s.id = d.system_id left join dataset_field f on f.dataset_id = d.id
    where s.key = 'crm' and d.key like 'fault-%' group by d.key, d.name`);
  if (completedPushes > 0) assert.equal(rows.length, 400);
  const rounds = new Set<string>();
  for (const r of rows) {
    assert.equal(r.fields, 10, `${r.key} has ${r.fields} fields`);
    assert.equal(r.descriptions, 1, `${r.key} mixes rounds`);
    const round = /r(\d+)$/.exec(r.name)![1];
    assert.equal(r.description, `round ${round}`, `${r.key}: name and fields from different pushes`);
    rounds.add(round);
  }
  assert.ok(rounds.size <= 1, `one push's state, not a mix: ${[...rounds]}`);
  // The audit trail matches the rows: every dataset that exists was audited as created.
  const audited = await admin.query(`select count(distinct entity_id)::int as n from audit_event where entity_type = 'Dataset' and operation = 'registerDatasets' and outcome = 'SUCCESS'`);
  const datasets = await admin.query(`select count(*)::int as n from dataset d join system s on s.id = d.system_id where s.key = 'crm'`);
  assert.ok(audited.rows[0].n >= rows.length, `audited ${audited.rows[0].n}, rows ${rows.length} (of ${datasets.rows[0].n})`);
});
