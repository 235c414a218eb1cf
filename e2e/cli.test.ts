import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
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
  assert.match(server1.err, /BAD_USER_INPUT: input\.datasets\[0\]\.fields\[0\]\.dataCategoryCodes\[0\]/);
  assert.equal(server1.err.trim().split('\n').length, 1, 'one line');
  const other = path.join(dir, 'other.yaml');
  await fs.writeFile(other, 'apiVersion: kiroku/v1\nsystems:\n  - key: hr-ats\n    name: HR\n    datasets:\n      - key: x\n        name: X\n');
  assert.equal((await kiroku(['push', other])).code, 2, 'another system: FORBIDDEN');
  assert.equal((await kiroku(['whoami'], { KIROKU_TOKEN: '' })).code, 2, 'no token');
  assert.equal((await kiroku(['whoami'], { KIROKU_TOKEN: 'x.y.z' })).code, 2, 'bad token');
  assert.equal((await kiroku(['whoami'], { KIROKU_URL: 'http://127.0.0.1:9' })).code, 3, 'unreachable server');
  assert.equal((await kiroku(['frobnicate'])).code, 1, 'usage');
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
  for (const args of [['--help'], ['whoami', '--help'], ['validate', '--help'], ['push', '--help'], ['subjects', '--help'], ['help', 'push']]) {
    const r = await kiroku(args);
    assert.equal(r.code, 0, `kiroku ${args.join(' ')}: ${r.err}`);
    assert.match(r.out, /^usage: kiroku/, args.join(' '));
    if (args[0] !== '--help') assert.match(r.out, new RegExp(`\\n  ${args[0] === 'help' ? args[1] : args[0]}\\b`), 'the usage of that command');
  }
  for (const args of [['--help'], ['import', '--help'], ['export', '--help']]) {
    const r = await run('server/dist/src/cli.js', args);
    assert.equal(r.code, 0);
    assert.match(r.out, /^usage: npm run -s kiroku -- <command>/);
  }
  const token = await run('server/dist/src/auth/token-cli.js', ['--help']);
  assert.equal(token.code, 0);
  assert.match(token.out, /^usage: npm run -s token -- --role/);
  const unknown = await kiroku(['frobnicate']);
  assert.equal(unknown.code, 1, 'an unknown command is still an error');
});
