import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { KirokuClient, KirokuError, type IdentityType } from './sdk/client.js';
import { readManifest } from './manifest.js';

/**
 * `kiroku` — the integrators' command line. Exit codes: 0 ok, 1 validation error, 2 auth or
 * permission error, 3 server or network error; the reason is one line on stderr.
 */
const USAGE = `usage: kiroku <command>
  whoami                                             who the token belongs to
  validate <manifest.yaml>                           check a manifest locally (line-precise errors)
  push <manifest.yaml> [--prune]                     register the manifest's datasets (one push per system)
  subjects add|remove <system> <dataset> <identityType> <file>
                                                     stream identifiers (one a line) into the subject index
environment: KIROKU_URL (default http://localhost:4000), KIROKU_TOKEN`;

const EXIT = { ok: 0, validation: 1, auth: 2, server: 3 } as const;
const BATCH = 10_000;
const IDENTITY_TYPES = ['EMAIL', 'PHONE', 'NAME', 'POSTAL_ADDRESS', 'CUSTOMER_ID', 'EMPLOYEE_ID', 'COOKIE_ID', 'AD_ID', 'DEVICE_ID', 'IP_ADDRESS', 'OTHER'];

class UsageError extends Error {}

function client(): KirokuClient {
  const token = process.env.KIROKU_TOKEN;
  if (!token) throw new KirokuError('auth', 'KIROKU_TOKEN is not set');
  return new KirokuClient({ url: process.env.KIROKU_URL || 'http://localhost:4000', token });
}

async function validateCmd(file: string | undefined): Promise<number> {
  if (!file) throw new UsageError('validate needs a manifest file');
  const { pushes, issues } = await readManifest(file);
  for (const i of issues) process.stderr.write(`${file}:${i.line}:${i.col}: ${i.message} (${i.path})\n`);
  if (issues.length) return EXIT.validation;
  process.stdout.write(`${file}: valid (${pushes.reduce((n, p) => n + p.datasets.length, 0)} datasets in ${pushes.length} system(s))\n`);
  return EXIT.ok;
}

async function push(file: string | undefined, prune: boolean): Promise<number> {
  if (!file) throw new UsageError('push needs a manifest file');
  const { pushes, issues } = await readManifest(file);
  for (const i of issues) process.stderr.write(`${file}:${i.line}:${i.col}: ${i.message} (${i.path})\n`);
  if (issues.length) return EXIT.validation;
  if (!pushes.length) throw new KirokuError('validation', `${file} has no systems to push`);
  const c = client();
  for (const p of pushes) {
    const results = await c.registerDatasets({ ...p, prune });
    const counts: Record<string, number> = {};
    for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
    process.stdout.write(`${p.systemKey}: ${Object.entries(counts).map(([k, v]) => `${v} ${k.toLowerCase()}`).join(', ') || 'nothing to do'}\n`);
  }
  return EXIT.ok;
}

async function subjects(args: string[]): Promise<number> {
  const [op, systemKey, datasetKey, identityType, file] = args;
  if (!['add', 'remove'].includes(op) || !systemKey || !datasetKey || !identityType || !file) throw new UsageError('subjects add|remove <system> <dataset> <identityType> <file>');
  if (!IDENTITY_TYPES.includes(identityType)) throw new KirokuError('validation', `identity type must be one of ${IDENTITY_TYPES.join(', ')}`);
  const c = client();
  let sent = 0;
  let added = 0;
  let removed = 0;
  const warnings = new Set<string>();
  const progress = process.stderr.isTTY;
  const flush = async (values: string[], lineNumbers: number[]) => {
    if (!values.length) return;
    let r;
    try {
      r = await c.reportSubjects({ systemKey, datasetKey, identityType: identityType as IdentityType, values, op: op === 'add' ? 'ADD' : 'REMOVE' });
    } catch (e) {
      // The server names bad values by their index in the batch; say which line of the file it is.
      const problem = e instanceof KirokuError ? e.errors[0]?.extensions?.problems?.[0] : undefined;
      const index = problem ? /^input\.values\[(\d+)\]$/.exec(problem.path)?.[1] : undefined;
      if (index !== undefined) throw new KirokuError('validation', `${file}:${lineNumbers[Number(index)]}: ${problem!.message} (${sent} values before it were sent)`);
      throw e;
    }
    sent += values.length;
    added += r.added;
    removed += r.removed;
    for (const w of r.warnings) warnings.add(w);
    if (progress) process.stderr.write(`\rsent ${sent} values…`);
  };
  let batch: string[] = [];
  let batchLines: number[] = [];
  let lineNo = 0;
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    lineNo++;
    const v = line.trim();
    if (!v) continue;
    batch.push(v);
    batchLines.push(lineNo);
    if (batch.length >= BATCH) {
      await flush(batch, batchLines);
      batch = [];
      batchLines = [];
    }
  }
  await flush(batch, batchLines);
  if (progress) process.stderr.write('\n');
  // Said once, not per batch: the same dataset gives the same warning every time.
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  process.stdout.write(`${systemKey}/${datasetKey}: ${sent} values sent, ${added} added, ${removed} removed\n`);
  return EXIT.ok;
}

/** The usage lines of one command (with --help after it), or all of them. */
function help(command: string | undefined): string {
  const lines = USAGE.split('\n');
  const mine = command ? lines.filter((l, i) => i > 0 && (l.trimStart().startsWith(command + ' ') || l.trim() === command)) : [];
  if (!mine.length) return USAGE;
  const at = lines.indexOf(mine[0]);
  // A command's description may continue on the next, deeper-indented line.
  const more = lines[at + 1] && /^\s{20,}\S/.test(lines[at + 1]) ? [lines[at + 1]] : [];
  return ['usage: kiroku', ...mine, ...more, lines[lines.length - 1]].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h' || rest.includes('--help') || rest.includes('-h')) {
    if (command === undefined) throw new UsageError('a command is needed');
    process.stdout.write(help(command === 'help' ? rest[0] : command.startsWith('-') ? undefined : command) + '\n');
    return EXIT.ok;
  }
  switch (command) {
    case 'whoami': {
      const me = await client().whoami();
      process.stdout.write(`${me.sub} (${me.roles.join(', ') || 'no role'}${me.system ? `, system ${me.system}` : ''})\n`);
      return EXIT.ok;
    }
    case 'validate':
      return validateCmd(rest[0]);
    case 'push':
      return push(rest.find((a) => !a.startsWith('--')), rest.includes('--prune'));
    case 'subjects':
      return subjects(rest);
    default:
      throw new UsageError(command ? `unknown command "${command}"` : 'a command is needed');
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    if (e instanceof UsageError) {
      process.stderr.write(`kiroku: ${e.message}\n${USAGE}\n`);
      process.exitCode = EXIT.validation;
    } else if (e instanceof KirokuError) {
      const problems = e.errors[0]?.extensions?.problems;
      process.stderr.write(`kiroku: ${e.message}${problems && problems.length > 1 ? ` (+${problems.length - 1} more: ${problems.slice(1, 4).map((p) => p.path).join(', ')})` : ''}\n`);
      process.exitCode = EXIT[e.kind];
    } else if ((e as NodeJS.ErrnoException)?.code === 'ENOENT') {
      process.stderr.write(`kiroku: no such file: ${(e as NodeJS.ErrnoException).path}\n`);
      process.exitCode = EXIT.validation;
    } else {
      process.stderr.write(`kiroku: ${(e as Error)?.message ?? String(e)}\n`);
      process.exitCode = EXIT.server;
    }
  },
);
