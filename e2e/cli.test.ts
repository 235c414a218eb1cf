import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { repoRoot, startServerProcess, type ServerProcess } from './server-process.js';

/** The integrators' CLI against the real server process, with real tokens. */
let server: ServerProcess;
let crmToken: string;
let dir: string;
before(async () => {
  server = await startServerProcess({ env: { KIROKU_SEED: 'demo' } });
  crmToken = await server.token(['INTEGRATION'], { system: 'crm', sub: 'crm-cli' });
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiroku-cli-'));
});
after(async () => {
  await server?.stop();
  await fs.rm(dir, { recursive: true, force: true });
});

async function kiroku(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'client/bin/kiroku.js'), ...args], {
    env: { ...process.env, KIROKU_URL: server.url, KIROKU_TOKEN: crmToken, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  return { code, out, err };
}

/** The CLI on a terminal (util-linux `script` gives it a pty), typing `input`; stdout and stderr come back together. */
async function kirokuOnTerminal(args: string[], input: string): Promise<{ code: number | null; out: string }> {
  const command = [process.execPath, path.join(repoRoot, 'client/bin/kiroku.js'), ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    env: { ...process.env, KIROKU_URL: server.url, KIROKU_TOKEN: crmToken },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((r) => child.on('exit', r));
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  // Typed once the question is on the screen, as a person would (or after a while, when none comes).
  const asked = new Promise<void>((r) => child.stdout!.on('data', () => out.includes('[y/N]') && r()));
  await Promise.race([asked, exited, new Promise((r) => setTimeout(r, 20_000).unref())]);
  child.stdin!.end(input);
  return { code: await exited, out };
}

/** Everything a push could write (datasets, fields, links, locations, subject index, audit trail), as one digest per table. */
async function inventoryState(): Promise<Record<string, string>> {
  const c = new pg.Client({ connectionString: server.databaseUrl });
  await c.connect();
  try {
    const state: Record<string, string> = {};
    for (const [table, order] of [['dataset', 'id'], ['dataset_field', 'id'], ['dataset_activities', '1, 2'], ['dataset_field_data_categories', '1, 2'], ['storage_location', 'id'], ['subject_index_entry', '1, 2, 3'], ['audit_event', 'id']]) {
      const { rows } = await c.query(`select count(*)::int as n, md5(coalesce(string_agg(t::text, '|' order by ${order}), '')) as h from (select * from "${table}" order by ${order}) t`);
      state[table] = `${rows[0].n} ${rows[0].h}`;
    }
    return state;
  } finally {
    await c.end();
  }
}

const example = path.join(repoRoot, 'client/examples/crm.yaml');

test('whoami, push, idempotent re-push', async () => {
  const me = await kiroku(['whoami']);
  assert.equal(me.code, 0, me.err);
  assert.match(me.out, /crm-cli \(INTEGRATION, system crm\)/);
  const first = await kiroku(['push', example]);
  assert.equal(first.code, 0, first.err);
  assert.equal(first.out.trim(), 'crm: 2 created');
  const again = await kiroku(['push', example]);
  assert.equal(again.out.trim(), 'crm: 2 unchanged');
});

test('the SDK sends a push as one JSON value; its typed form gets the same answers and refusals', async () => {
  const sdk = (await import(pathToFileURL(path.join(repoRoot, 'client/dist/index.js')).href)) as typeof import('../client/dist/index.js');
  const c = new sdk.KirokuClient({ url: server.url, token: crmToken });
  const sent: string[] = [];
  const spy = new sdk.KirokuClient({ url: server.url, token: crmToken, fetch: (url, init) => (sent.push(String(init?.body)), fetch(url, init)) });
  const datasets = [{ key: 'sdk-json', name: 'SDK', fields: [{ path: 'email', identityType: 'EMAIL' as const, dataCategoryCodes: [] }] }];
  assert.deepEqual((await spy.registerDatasets({ systemKey: 'crm', datasets })).map((r) => r.status), ['CREATED']);
  assert.match(JSON.parse(sent[0]).query, /registerDatasets\(push: \$push\)/, 'sent as push');
  assert.deepEqual((await c.registerDatasetsTyped({ systemKey: 'crm', datasets })).map((r) => r.status), ['UNCHANGED']);
  assert.deepEqual((await c.registerDatasets({ systemKey: 'crm', datasets })).map((r) => r.status), ['UNCHANGED']);
  const refusal = async (p: Promise<unknown>) => p.then(() => assert.fail('accepted'), (e: InstanceType<typeof sdk.KirokuError>) => [e.kind, e.errors[0].extensions?.problems]);
  const bad = { systemKey: 'crm', datasets: [{ key: 'sdk-bad', name: 'Bad', processorCode: 'no-such-processor' }] };
  const [kind, problems] = await refusal(c.registerDatasets(bad));
  assert.equal(kind, 'validation');
  assert.deepEqual(problems, ((await refusal(c.registerDatasetsTyped(bad)))[1] as Array<{ path: string }>).map((p) => ({ ...p, path: p.path.replace(/^input\./, 'push.') })));
  assert.equal((problems as Array<{ path: string }>)[0].path, 'push.datasets[0].processorCode');
});

test('exit codes: 1 validation (local, line-precise, and server-side), 2 auth, 3 network', async () => {
  const bad = path.join(dir, 'bad.yaml');
  await fs.writeFile(bad, 'apiVersion: kiroku/v1\nsystems:\n  - key: crm\n    name: CRM\n    datasets:\n      - key: x\n        nam: X\n');
  const local = await kiroku(['push', bad]);
  assert.equal(local.code, 1);
  assert.match(local.err, /bad\.yaml:6:9: .*required property 'name'/);
  const unknown = path.join(dir, 'unknown.yaml');
  await fs.writeFile(unknown, 'apiVersion: kiroku/v1\nsystems:\n  - key: crm\n    name: CRM\n    datasets:\n      - key: x\n        name: X\n        fields:\n          - path: a\n            dataCategories: [no.such.category]\n');
  const server1 = await kiroku(['push', unknown]);
  assert.equal(server1.code, 1);
  assert.equal(server1.err.trim(), `${unknown}:10:30: no data category with code "no.such.category" (systems[0].datasets[0].fields[0].dataCategories[0])`, 'the server\'s refusal at its place in the file');
  const other = path.join(dir, 'other.yaml');
  await fs.writeFile(other, 'apiVersion: kiroku/v1\nsystems:\n  - key: hr-ats\n    name: HR\n    datasets:\n      - key: x\n        name: X\n');
  assert.equal((await kiroku(['push', other])).code, 2, 'another system: FORBIDDEN');
  assert.equal((await kiroku(['whoami'], { KIROKU_TOKEN: '' })).code, 2, 'no token');
  assert.equal((await kiroku(['whoami'], { KIROKU_TOKEN: 'x.y.z' })).code, 2, 'bad token');
  assert.equal((await kiroku(['whoami'], { KIROKU_URL: 'http://127.0.0.1:9' })).code, 3, 'unreachable server');
  assert.equal((await kiroku(['frobnicate'])).code, 1, 'usage');
  const option = await kiroku(['push', example, '--prnue']);
  assert.equal(option.code, 1, 'a misspelt option is an error, not ignored');
  assert.match(option.err, /^kiroku: unknown option --prnue for push/);
});

test('subjects add streams a file in batches; the identifiers are found by lookup', async () => {
  const file = path.join(dir, 'emails.txt');
  await fs.writeFile(file, Array.from({ length: 25_000 }, (_, i) => `Person.${i}@Example.com`).join('\n') + '\n\n');
  const add = await kiroku(['subjects', 'add', 'crm', 'web-leads', 'EMAIL', file]);
  assert.equal(add.code, 0, add.err);
  assert.equal(add.out.trim(), 'crm/web-leads: 25000 values sent, 25000 added, 0 removed');
  const admin = await server.token(['PRIVACY_ADMIN']);
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
    body: JSON.stringify({ query: '{ subjectLookup(identityType: EMAIL, value: "person.24999@example.com") { key system { key } } }' }),
  });
  assert.deepEqual(((await res.json()) as any).data.subjectLookup, [{ key: 'web-leads', system: { key: 'crm' } }]);
  const bad = path.join(dir, 'bad-emails.txt');
  await fs.writeFile(bad, 'ok1@example.com\n\nnot-an-email\n');
  const rejected = await kiroku(['subjects', 'add', 'crm', 'web-leads', 'EMAIL', bad]);
  assert.equal(rejected.code, 1);
  assert.match(rejected.err, /bad-emails\.txt:3: not a valid email identifier/, 'the line of the file, not the index in the batch');
  const remove = await kiroku(['subjects', 'remove', 'crm', 'web-leads', 'EMAIL', file]);
  assert.equal(remove.out.trim(), 'crm/web-leads: 25000 values sent, 0 added, 25000 removed');
});

test('--help on every command of the three command lines: usage on stdout, exit 0', async () => {
  const run = async (script: string, args: string[]) => {
    const child = spawn(process.execPath, [path.join(repoRoot, script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    return { code, out };
  };
  // Eleven process starts, independent of each other: started together, the test waits for the slowest, not their sum.
  const clientArgs = [['--help'], ['whoami', '--help'], ['validate', '--help'], ['push', '--help'], ['subjects', '--help'], ['help', 'push']];
  const serverArgs = [['--help'], ['import', '--help'], ['export', '--help']];
  const [clientRuns, serverRuns, token, unknown] = await Promise.all([
    Promise.all(clientArgs.map((args) => kiroku(args))),
    Promise.all(serverArgs.map((args) => run('server/dist/bin/cli.js', args))),
    run('server/dist/bin/token-cli.js', ['--help']),
    kiroku(['frobnicate']),
  ]);
  clientArgs.forEach((args, i) => {
    const r = clientRuns[i];
    assert.equal(r.code, 0, `kiroku ${args.join(' ')}: ${r.err}`);
    assert.match(r.out, /^usage: kiroku/, args.join(' '));
    if (args[0] !== '--help') assert.match(r.out, new RegExp(`\\n  ${args[0] === 'help' ? args[1] : args[0]}\\b`), 'the usage of that command');
  });
  for (const r of serverRuns) {
    assert.equal(r.code, 0);
    assert.match(r.out, /^usage: npm run -s kiroku -- <command>/);
  }
  assert.equal(token.code, 0);
  assert.match(token.out, /^usage: npm run -s token -- --role/);
  assert.equal(unknown.code, 1, 'an unknown command is still an error');
});

/** The example with web-leads renamed, a dataset added and event-registrations left out. */
async function changedManifest(): Promise<string> {
  const file = path.join(dir, 'changed.yaml');
  const text = (await fs.readFile(example, 'utf8'))
    .replace('name: Web leads', 'name: Web leads (renamed)')
    .replace(/      - key: event-registrations[\s\S]*$/, '      - key: call-notes\n        name: Call notes\n        storageLocation: loc-tokyo-primary\n');
  await fs.writeFile(file, text);
  return file;
}

test('push --dry-run lists what would be created, updated and retired, and writes nothing (not even the audit trail)', async () => {
  const file = await changedManifest();
  const before = await inventoryState();
  const withPrune = await kiroku(['push', file, '--dry-run', '--prune']);
  assert.equal(withPrune.code, 0, withPrune.err);
  const lines = withPrune.out.trim().split('\n');
  assert.match(lines[0], /^crm \(dry run, nothing written\): 1 to update, 1 to create, \d+ to retire$/);
  assert.ok(lines.includes('  update web-leads (name)'), withPrune.out);
  assert.ok(lines.includes('  create call-notes'), withPrune.out);
  assert.ok(lines.includes('  retire event-registrations'), withPrune.out);
  const without = await kiroku(['push', file, '--dry-run']);
  assert.equal(without.code, 0, without.err);
  assert.match(without.out, /^crm \(dry run, nothing written\): 1 to update, 1 to create\n/);
  assert.match(without.out, /\n  keep {3}event-registrations \(not in the manifest; --prune would retire it\)\n/);
  assert.deepEqual(await inventoryState(), before, 'datasets, fields, links, locations, index and audit trail unchanged');
});

test('--prune: refused without --yes off a terminal, asked on one; nothing retired unless confirmed', async () => {
  const file = await changedManifest();
  const before = await inventoryState();
  const refused = await kiroku(['push', file, '--prune']);
  assert.equal(refused.code, 1);
  assert.match(refused.err, /not on a terminal it needs --yes .*nothing was pushed/);
  assert.equal(refused.out, '');
  assert.deepEqual(await inventoryState(), before, 'nothing pushed, nothing retired');

  const declined = await kirokuOnTerminal(['push', file, '--prune'], 'n\n');
  assert.equal(declined.code, 1, declined.out);
  assert.match(declined.out, /--prune would retire \d+ dataset\(s\) of crm that the manifest does not list:\r?\n(  .*\r?\n)*  event-registrations\r?\n/);
  assert.match(declined.out, /Retire them and push crm\? \[y\/N\]/);
  assert.match(declined.out, /crm not pushed, nothing retired/);
  assert.deepEqual(await inventoryState(), before, 'declined: nothing written');

  const confirmed = await kirokuOnTerminal(['push', file, '--prune'], 'y\n');
  assert.equal(confirmed.code, 0, confirmed.out);
  assert.match(confirmed.out, /crm: 1 updated, 1 created, \d+ retired/);
  const again = await kiroku(['push', file, '--prune', '--yes']);
  assert.equal(again.code, 0, again.err);
  assert.equal(again.out.trim(), 'crm: 2 unchanged', 'the earlier answer retired them; --yes needs no terminal');
  // Back to the example for the tests after this one.
  assert.equal((await kiroku(['push', example])).code, 0);
});

test('manifest errors: every problem at file:line:column with its YAML path, enums listed, near misses suggested', async () => {
  const bad = path.join(dir, 'many.yaml');
  await fs.writeFile(bad, [
    'apiVersion: kiroku/v1',
    'systems:',
    '  - key: crm',
    '    name: CRM',
    '    datasets:',
    '      - key: a',
    '        nam: A',
    '        fields:',
    '          - path: email',
    '            identityType: EMIAL',
    '      - key: b',
    '        name: B',
    '',
  ].join('\n'));
  const r = await kiroku(['validate', bad]);
  assert.equal(r.code, 1);
  assert.deepEqual(r.err.trim().split('\n'), [
    `${bad}:6:9: must have required property 'name' (systems[0].datasets[0])`,
    `${bad}:7:9: unknown property "nam" (did you mean "name"?) (systems[0].datasets[0].nam)`,
    `${bad}:10:27: must be one of EMAIL, PHONE, NAME, POSTAL_ADDRESS, CUSTOMER_ID, EMPLOYEE_ID, COOKIE_ID, AD_ID, DEVICE_ID, IP_ADDRESS, OTHER (did you mean "EMAIL"?) (systems[0].datasets[0].fields[0].identityType)`,
  ]);

  const codes = path.join(dir, 'codes.yaml');
  await fs.writeFile(codes, [
    'apiVersion: kiroku/v1',
    'systems:',
    '  - key: crm',
    '    name: CRM',
    '    datasets:',
    '      - key: a',
    '        name: A',
    '        processor: proc-cloud-jq',
    '        activities: [pa-demo-crm, pa-nothing-like-it-at-all]',
    '        fields:',
    '          - path: email',
    '            dataCategories: [contact.emial]',
    '',
  ].join('\n'));
  const local = await kiroku(['validate', codes]);
  assert.equal(local.code, 0, 'codes are not known locally');
  assert.match(local.out, /valid \(1 datasets in 1 system\(s\)\); codes are checked on the server with --remote\n/, 'and it says so');
  const remote = await kiroku(['validate', codes, '--remote']);
  assert.equal(remote.code, 1, remote.err);
  assert.deepEqual(remote.err.trim().split('\n'), [
    `${codes}:8:20: no processor with code "proc-cloud-jq" (did you mean "proc-cloud-jp"?) (systems[0].datasets[0].processor)`,
    `${codes}:9:35: no processing activity with code "pa-nothing-like-it-at-all" (systems[0].datasets[0].activities[1])`,
    `${codes}:12:30: no data category with code "contact.emial" (did you mean "contact.email"?) (systems[0].datasets[0].fields[0].dataCategories[0])`,
  ]);
  const push = await kiroku(['push', codes]);
  assert.equal(push.code, 1);
  assert.deepEqual(push.err, remote.err, 'push is refused for exactly what validate --remote reports');
  const fine = await kiroku(['validate', example, '--remote']);
  assert.equal(fine.code, 0, fine.err);
  assert.match(fine.out, /valid on http:.* a push would do:\n {2}crm: 2 unchanged\n/);
  const other = path.join(dir, 'system.yaml');
  await fs.writeFile(other, 'apiVersion: kiroku/v1\nsystems:\n  - key: crn\n    name: CRM\n    datasets: []\n');
  const admin = await server.token(['PRIVACY_ADMIN']);
  const system = await kiroku(['validate', other, '--remote'], { KIROKU_TOKEN: admin });
  assert.equal(system.code, 1);
  assert.equal(system.err.trim(), `${other}:3:10: no system with key "crn" (did you mean "crm"?) (systems[0].key)`);
});

test('validate --remote on an inventory manifest checks every code as an import would, against the server and the file', async () => {
  const file = path.join(dir, 'inventory.yaml');
  await fs.writeFile(file, [
    'apiVersion: kiroku/v1',
    'kind: Inventory',
    'purposes:',
    '  - code: p-new-in-this-file',
    '    text:',
    '      en: A purpose defined here',
    'processingActivities:',
    '  - code: pa-cli-check',
    '    name:',
    '      en: Checked from the CLI',
    '    role: CONTROLLER',
    '    purposes: [p-01-01, p-new-in-this-file, p-01-0l]',
    '    legalBases: [appi-27-1-consnet]',
    '',
  ].join('\n'));
  const before = await inventoryState();
  const analyst = await server.token(['PRIVACY_ANALYST']);
  const r = await kiroku(['validate', file, '--remote'], { KIROKU_TOKEN: analyst });
  assert.equal(r.code, 1, r.err);
  assert.deepEqual(r.err.trim().split('\n'), [
    `${file}:12:45: no Purpose with code "p-01-0l" (did you mean "p-01-01"?) (processingActivities[0].purposes[2])`,
    `${file}:13:18: no LegalBasis with code "appi-27-1-consnet" (did you mean "appi-27-1-consent"?) (processingActivities[0].legalBases[0])`,
  ], 'a code the file defines is known; the server\'s codes are checked; near misses suggested');
  const fixed = path.join(dir, 'inventory-fixed.yaml');
  await fs.writeFile(fixed, (await fs.readFile(file, 'utf8')).replace(', p-01-0l]', ']').replace('appi-27-1-consnet', 'appi-27-1-consent'));
  const ok = await kiroku(['validate', fixed, '--remote'], { KIROKU_TOKEN: analyst });
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.out, /valid on .*: an import would apply it \(purposes, processingActivities\)/);
  assert.deepEqual(await inventoryState(), before, 'the import was rolled back');
  const c = new pg.Client({ connectionString: server.databaseUrl });
  await c.connect();
  const { rows } = await c.query(`select count(*)::int as n from "processing_activity" where "code" = 'pa-cli-check'`);
  await c.end();
  assert.equal(rows[0].n, 0, 'nothing of the manifest was kept');
  const integration = await kiroku(['validate', fixed, '--remote']);
  assert.equal(integration.code, 2, 'an integration token may not see every section');
  assert.match(integration.err, /needs a privacy-team or auditor token/);
});

test('subjects add: an invalid line fails the file with its line number and writes nothing; --skip-invalid sends the rest and names what it skipped', async () => {
  const file = path.join(dir, 'mixed.txt');
  // Past one batch, so that the bad lines are in the second call and the first would otherwise be written.
  const lines = Array.from({ length: 12_000 }, (_, i) => `mixed.${i}@example.com`);
  lines[10_500] = 'no-at-sign';
  lines[11_999] = 'two words@';
  await fs.writeFile(file, lines.join('\n') + '\n');
  const before = await inventoryState();
  const strict = await kiroku(['subjects', 'add', 'crm', 'web-leads', 'EMAIL', file]);
  assert.equal(strict.code, 1);
  assert.match(strict.err, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:10501: not a valid email identifier\n.*:12000: not a valid email identifier\n`));
  assert.match(strict.err, /2 invalid line\(s\) in .*; nothing was written/);
  assert.deepEqual(await inventoryState(), before, 'nothing written');

  const skip = await kiroku(['subjects', 'add', 'crm', 'web-leads', 'EMAIL', file, '--skip-invalid']);
  assert.equal(skip.code, 0, skip.err);
  assert.equal(skip.out.trim(), 'crm/web-leads: 11998 values sent, 11998 added, 0 removed, 2 invalid line(s) skipped');
  assert.match(skip.err, /mixed\.txt:10501: skipped: not a valid email identifier\n.*mixed\.txt:12000: skipped: not a valid email identifier\n/);
  assert.equal((await kiroku(['subjects', 'remove', 'crm', 'web-leads', 'EMAIL', file, '--skip-invalid'])).code, 0);
});

test('progress lines on stderr only on a terminal or with --progress', async () => {
  const file = path.join(dir, 'progress.txt');
  await fs.writeFile(file, Array.from({ length: 15_000 }, (_, i) => `p.${i}@example.com`).join('\n'));
  const quiet = await kiroku(['subjects', 'add', 'crm', 'web-leads', 'EMAIL', file]);
  assert.equal(quiet.code, 0, quiet.err);
  assert.doesNotMatch(quiet.err, /values…/, 'not a terminal, no --progress: no progress');
  const loud = await kiroku(['subjects', 'remove', 'crm', 'web-leads', 'EMAIL', file, '--progress']);
  assert.equal(loud.code, 0, loud.err);
  assert.deepEqual(loud.err.trim().split('\n'), ['checked 10000 values…', 'checked 15000 values…', 'sent 10000 values…', 'sent 15000 values…']);
  assert.equal(loud.out.trim(), 'crm/web-leads: 15000 values sent, 0 added, 15000 removed', 'stdout keeps only the result');
  const push = await kiroku(['push', example, '--progress']);
  assert.match(push.err, /^pushing crm \(1\/1, 2 datasets\)…\n$/);
  assert.equal(push.out.trim(), 'crm: 2 unchanged');
});
