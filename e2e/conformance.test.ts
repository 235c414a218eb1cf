import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { repoRoot, startServerProcess, type ServerProcess } from './server-process.js';

/**
 * GraphQL conformance and cost, against the real server process (graphql-jit executing behind
 * Apollo): variables coerced as the specification says, bad scalar values refused at the field,
 * documents that would cost exponential or deeply recursive work refused before anything runs.
 * The database is an embedded cluster of this file's own, so the last test can stop it.
 */
interface Cluster { url: string; ownerUrl: string; port: number; stop(): Promise<void> }
const { startEmbeddedPostgres } = (await import(path.join(repoRoot, 'server/dist/src/db/embedded.js'))) as {
  startEmbeddedPostgres(o: { dataDir: string; port?: number; ephemeral?: boolean }): Promise<Cluster>;
};

const MAX_DOCUMENT = 20_000;
let dir: string;
let db: Cluster;
let server: ServerProcess;
let admin: string;

before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiroku-conformance-'));
  await fs.chmod(dir, 0o755);
  db = await startEmbeddedPostgres({ dataDir: dir, ephemeral: true });
  server = await startServerProcess({ databaseUrl: db.url, migrationDatabaseUrl: db.ownerUrl, env: { KIROKU_MAX_DOCUMENT_BYTES: String(MAX_DOCUMENT) } });
  admin = await server.token(['PRIVACY_ADMIN']);
});
after(async () => {
  await server?.stop();
  await db?.stop().catch(() => {});
  await fs.rm(dir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  body: { data?: any; errors?: Array<{ message: string; path?: string[]; extensions: Record<string, any> }> };
}

async function gql(query: string, variables?: Record<string, unknown>, token = admin): Promise<Answer> {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
    // A document that blocks the server must fail its test, not hang the run.
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

function ok(a: Answer): any {
  assert.equal(a.body.errors, undefined, JSON.stringify(a.body.errors));
  assert.equal(a.status, 200);
  return a.body.data;
}

function refused(a: Answer, code: string, status: number, field?: string): void {
  assert.equal(a.status, status, JSON.stringify(a.body));
  assert.equal(a.body.errors?.[0].extensions.code, code, JSON.stringify(a.body));
  if (field !== undefined) assert.equal(a.body.errors?.[0].extensions.field, field, JSON.stringify(a.body));
}

/** CPU time the server process has used so far (user + system), in milliseconds. */
async function serverCpuMs(): Promise<number> {
  const stat = await fs.readFile(`/proc/${server.child.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const FILTERED = 'query($f: ProcessingActivityFilter) { processingActivities(filter: $f) { totalCount } }';
const PURPOSE = 'purpose { id version notifiedAt sourceRef }';

test('an input field with a default may be omitted from variables; a single value stands for a list', async () => {
  const all = ok(await gql('{ processingActivities { totalCount } }')).processingActivities.totalCount;
  assert.ok(all > 0);
  assert.equal(ok(await gql(FILTERED, { f: { search: '' } })).processingActivities.totalCount, all);
  const jp = ok(await gql(FILTERED, { f: { countries: ['JP'] } })).processingActivities.totalCount;
  assert.equal(ok(await gql(FILTERED, { f: { countries: 'JP' } })).processingActivities.totalCount, jp);

  ok(await gql('mutation($i: CreateSystemInput!) { createSystem(input: $i) { system { key } } }', { i: { key: 'conformance', name: 'Conformance' } }));
  const pushed = ok(await gql('mutation($i: RegisterDatasetsInput!) { registerDatasets(input: $i) { results { key status } } }', {
    i: { systemKey: 'conformance', datasets: [{ key: 'orders', name: 'Orders', fields: { path: 'email' } }] },
  }));
  assert.deepEqual(pushed.registerDatasets.results, [{ key: 'orders', status: 'CREATED' }]);
});

test('null and absent keep their meanings: absent leaves a field alone, null clears it', async () => {
  const created = ok(await gql(`mutation($i: CreatePurposeInput!) { createPurpose(input: $i) { ${PURPOSE} } }`, {
    i: { code: 'conformance-purpose', text: { en: 'Conformance' }, notifiedAt: '2024-04-01' },
  })).createPurpose.purpose;
  assert.equal(created.notifiedAt, '2024-04-01');
  const update = `mutation($i: UpdatePurposeInput!) { updatePurpose(input: $i) { ${PURPOSE} } }`;
  const kept = ok(await gql(update, { i: { id: created.id, version: created.version, sourceRef: 'ref' } })).updatePurpose.purpose;
  assert.equal(kept.notifiedAt, '2024-04-01');
  const cleared = ok(await gql(update, { i: { id: created.id, version: kept.version, notifiedAt: null } })).updatePurpose.purpose;
  assert.equal(cleared.notifiedAt, null);
  assert.equal(cleared.sourceRef, 'ref');
});

test('bad dates are BAD_USER_INPUT at the field, as variables and as literals', async () => {
  const q = 'query($d: LocalDate!) { provisionRecordsExport(from: $d, to: "2024-12-31") { filename } }';
  for (const d of ['2023-02-30', '1899-12-31', '2201-01-01', '2024-13-01', 20240101]) refused(await gql(q, { d }), 'BAD_USER_INPUT', 400, 'd');
  ok(await gql(q, { d: '2024-01-01' }));
  for (const d of ['2023-02-30', '1899-12-31', '2201-01-01']) {
    refused(await gql(`{ provisionRecordsExport(from: "${d}", to: "2024-12-31") { filename } }`), 'BAD_USER_INPUT', 400, 'from');
  }
  refused(await gql('query($s: DateTime!) { publicNoticeDiff(since: $s) { code } }', { s: '2500-01-01T00:00:00Z' }), 'BAD_USER_INPUT', 400, 's');
  refused(await gql('{ publicNoticeDiff(since: "1500-01-01T00:00:00Z") { code } }'), 'BAD_USER_INPUT', 400, 'since');
  refused(await gql('query { dataSubjectRequests(filter: { dueBefore: "2024-02-30T00:00:00Z" }) { totalCount } }'), 'BAD_USER_INPUT', 400, 'filter.dueBefore');
  refused(await gql('query($f: DataSubjectRequestFilter) { dataSubjectRequests(filter: $f) { totalCount } }', { f: { dueBefore: '2024-02-30T00:00:00Z' } }), 'BAD_USER_INPUT', 400, 'f.dueBefore');
  refused(await gql('query($id: ID!) { processor(id: $id) { code } }', { id: 1.5 }), 'BAD_USER_INPUT', 400, 'id');
});

test('NUL characters and lone surrogates are refused at the field and nothing is stored', async () => {
  const create = `mutation($i: CreatePurposeInput!) { createPurpose(input: $i) { ${PURPOSE} } }`;
  const count = async () => ok(await gql('{ purposes { code } }')).purposes.length;
  const before = await count();
  refused(await gql(create, { i: { code: 'nul-purpose', text: { en: 'a\u0000b' } } }), 'BAD_USER_INPUT', 400, 'i.text.en');
  refused(await gql(create, { i: { code: 'lone-\ud800', text: { en: 'x' } } }), 'BAD_USER_INPUT', 400, 'i.code');
  refused(await gql(create, { i: { code: 'lone-low', text: { en: 'x\udc00' } } }), 'BAD_USER_INPUT', 400, 'i.text.en');
  refused(await gql('mutation { createPurpose(input: { code: "nul-literal", text: { en: "a\\u0000b" } }) { purpose { id } } }'), 'BAD_USER_INPUT', 400, 'input.text.en');
  // A well-formed pair (an emoji) is text like any other.
  ok(await gql(create, { i: { code: 'emoji-purpose', text: { en: 'ok \ud83d\ude00' } } }));
  assert.equal(await count(), before + 1);
});

test('disclosureReport for an unknown request is NOT_FOUND', async () => {
  const r = await gql('{ disclosureReport(requestId: "987654") { content } }');
  refused(r, 'NOT_FOUND', 200, 'requestId');
});

test('fragments spreading fragments are costed once each: refused in milliseconds, before anything runs', async () => {
  // 30 levels of two spreads each: 2^30 fields if expanded, 1.7 KB of text.
  const fragments = ['fragment F0 on Query { whoami { sub } }'];
  for (let i = 1; i <= 30; i++) fragments.push(`fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }`);
  const integration = await server.token(['INTEGRATION'], { system: 'conformance' });
  for (const token of [admin, integration]) {
    const cpu = await serverCpuMs();
    const r = await gql(`{ ...F30 } ${fragments.join(' ')}`, undefined, token);
    const used = (await serverCpuMs()) - cpu;
    refused(r, 'QUERY_TOO_COMPLEX', 400);
    assert.equal(r.body.errors?.[0].extensions.limit, 'COST');
    assert.ok(used < 50, `the server spent ${used} ms of CPU on a rejected document`);
  }
  // Depth is measured once per fragment too.
  const deep = ['fragment D0 on DataCategory { code }'];
  for (let i = 1; i <= 14; i++) deep.push(`fragment D${i} on DataCategory { children { ...D${i - 1} ...D${i - 1} } }`);
  const d = await gql(`{ dataCategories { ...D14 } } ${deep.join(' ')}`);
  refused(d, 'QUERY_TOO_COMPLEX', 400);
  assert.equal(d.body.errors?.[0].extensions.limit, 'DEPTH');
});

test('deeply nested literals and selections are QUERY_TOO_COMPLEX, not a stack overflow', async () => {
  const list = await gql(`{ processingActivities(filter: { countries: ${'['.repeat(2400)}"JP"${']'.repeat(2400)} }) { totalCount } }`);
  refused(list, 'QUERY_TOO_COMPLEX', 400);
  assert.equal(list.body.errors?.[0].extensions.limit, 'NESTING');
  const object = await gql(`{ publicNotice(language: JA, format: ${'{ a: '.repeat(2000)}1${' }'.repeat(2000)}) }`);
  refused(object, 'QUERY_TOO_COMPLEX', 400);
  const selections = await gql(`{ ${'dataCategories { '.repeat(3000)}code${' }'.repeat(3000)} }`);
  refused(selections, 'QUERY_TOO_COMPLEX', 400);
  // graphql-js validation compares same-named fields pairwise: 1,200 copies would take about a second.
  const cpu = await serverCpuMs();
  const repeated = await gql(`{ ${'whoami { sub } '.repeat(1200)} }`);
  const inline = await gql(`{ ${'... on Query { whoami { sub } } '.repeat(500)} }`);
  const used = (await serverCpuMs()) - cpu;
  for (const r of [repeated, inline]) {
    refused(r, 'QUERY_TOO_COMPLEX', 400);
    assert.equal(r.body.errors?.[0].extensions.limit, 'DUPLICATE_FIELDS');
  }
  assert.ok(used < 100, `the server spent ${used} ms of CPU on two rejected documents`);
  const chain = ['fragment G0 on Query { whoami { sub } }'];
  for (let i = 1; i <= 200; i++) chain.push(`fragment G${i} on Query { whoami { sub } ...G${i - 1} }`);
  const fragments = await gql(`{ ...G200 } ${chain.join(' ')}`);
  refused(fragments, 'QUERY_TOO_COMPLEX', 400);
  assert.equal(fragments.body.errors?.[0].extensions.limit, 'FRAGMENTS');
  // Ordinary nesting is untouched.
  ok(await gql(FILTERED, { f: { countries: [['JP']].flat() } }));
});

test('a document over KIROKU_MAX_DOCUMENT_BYTES is refused before parsing; the same data travels as variables', async () => {
  const search = 'x'.repeat(MAX_DOCUMENT);
  const big = await gql(`{ processingActivities(filter: { search: "${search}" }) { totalCount } }`);
  refused(big, 'QUERY_TOO_COMPLEX', 400);
  assert.equal(big.body.errors?.[0].extensions.limit, 'DOCUMENT_SIZE');
  assert.equal(ok(await gql(FILTERED, { f: { search } })).processingActivities.totalCount, 0);
});

/** The statements the server ran for an operation name so far, from /metrics. */
async function statementsOf(operationName: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('kiroku_sql_statements_per_operation_sum{') && l.includes(`operation_name="${operationName}"`));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

// Here because the cluster is this file's own: its snapshots change only with this server's writes,
// where the shared test cluster's change with every suite's (transaction ids are the cluster's).
test('every processor\'s audit is shared between requests until the database changes, and made once for requests arriving together', async () => {
  const audits = async (operationName: string, times = 1) => {
    const before = await statementsOf(operationName);
    const query = `query ${operationName} { processorAudits(first: 500) { totalCount edges { node { processor { code } findings { code } } } } }`;
    const answers = await Promise.all(Array.from({ length: times }, () => gql(query)));
    const findings = answers.map((a) => Object.fromEntries(ok(a).processorAudits.edges.map((e: any) => [e.node.processor.code, e.node.findings.map((f: any) => f.code).sort()])));
    return { findings, n: (await statementsOf(operationName)) - before };
  };
  // This file's database holds the notice seed, which names no processor: one to audit.
  ok(await gql('mutation { createProcessor(input: { code: "shared-audit-first", name: { en: "First" }, country: "JP" }) { processor { id } } }'));
  const first = await audits('SharedFirst');
  assert.deepEqual(Object.keys(first.findings[0]), ['shared-audit-first']);
  const again = await audits('SharedAgain');
  assert.deepEqual(again.findings, first.findings);
  assert.equal(again.n, first.n - 1, `made: ${first.n} statements; taken from the request before: ${again.n}`);

  // A write: the next request makes the audit again, and sees it.
  ok(await gql('mutation { createProcessor(input: { code: "shared-audit-new", name: { en: "New" }, country: "US" }) { processor { id } } }'));
  const after = await audits('SharedAfterWrite');
  assert.equal(after.n, first.n);
  assert.deepEqual(after.findings[0], { ...first.findings[0], 'shared-audit-new': after.findings[0]['shared-audit-new'] });
  assert.ok(after.findings[0]['shared-audit-new'].includes('NO_CONTRACT'), JSON.stringify(after.findings[0]['shared-audit-new']));

  // Requests arriving together after a commit: one audit between them.
  const client = new pg.Client({ connectionString: db.ownerUrl });
  await client.connect();
  await client.query('select txid_current()').finally(() => client.end());
  const together = await audits('SharedTogether', 4);
  assert.equal(together.n, 4 * (first.n - 1) + 1, `${together.n} statements for four requests`);
  for (const f of together.findings) assert.deepEqual(f, after.findings[0]);
});

test('a denied request while the database is down is 503 SERVICE_UNAVAILABLE, not 500', async () => {
  const integration = await server.token(['INTEGRATION'], { system: 'conformance' });
  refused(await gql('{ auditEvents { totalCount } }', undefined, integration), 'FORBIDDEN', 403);
  await db.stop();
  refused(await gql('{ auditEvents { totalCount } }', undefined, integration), 'SERVICE_UNAVAILABLE', 503);
});
