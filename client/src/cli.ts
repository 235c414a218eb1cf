import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { KirokuClient, KirokuError, type IdentityType } from './sdk/client.js';
import { readManifest, type ManifestIssue, type ParsedManifest } from './manifest.js';

/**
 * `kiroku` — the integrators' command line. Exit codes: 0 ok, 1 validation error, 2 auth or
 * permission error, 3 server or network error; the reason is on stderr.
 */
const USAGE = `usage: kiroku <command>
  whoami                                             who the token belongs to
  validate <manifest.yaml> [--remote]                check a manifest (line-precise errors)
                                                     --remote: and its codes on the server, as push (or import) would
  push <manifest.yaml> [--dry-run] [--prune [--yes]] register the manifest's datasets (one push per system)
                                                     --dry-run lists what would be created, updated, retired; --prune asks first
  subjects add|remove <system> <dataset> <identityType> <file> [--skip-invalid]
                                                     stream identifiers (one a line) into the subject index
options: --progress (progress lines on stderr also when it is not a terminal), --help
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

/** Progress on stderr: rewritten in place on a terminal, one line each with --progress elsewhere. */
class Progress {
  private readonly tty = !!process.stderr.isTTY;
  private shown = false;
  constructor(private readonly on: boolean) {}
  say(text: string): void {
    if (!this.on) return;
    if (this.tty) process.stderr.write(`\r\x1b[K${text}`);
    else process.stderr.write(`${text}\n`);
    this.shown = true;
  }
  /** Ends an in-place line before anything else is written. */
  done(): void {
    if (this.shown && this.tty) process.stderr.write('\n');
    this.shown = false;
  }
}

function report(file: string, issues: ManifestIssue[]): void {
  for (const i of [...issues].sort((a, b) => a.line - b.line || a.col - b.col)) process.stderr.write(`${file}:${i.line}:${i.col}: ${i.message} (${i.path})\n`);
}

/** A server refusal of push `i`, each problem at its place in the file (the server reports up to 100). */
function serverIssues(manifest: ParsedManifest, i: number, e: KirokuError): ManifestIssue[] | null {
  const ext = e.errors[0]?.extensions as { problems?: Array<{ path: string; message: string }>; problemCount?: number } | undefined;
  if (e.kind !== 'validation' || !ext?.problems?.length) return null;
  const issues = ext.problems.map((p) => manifest.locate(i, p.path, p.message));
  if (ext.problemCount && ext.problemCount > ext.problems.length) {
    issues.push({ ...manifest.locate(i, 'input', ''), message: `and ${ext.problemCount - ext.problems.length} more problems in this system` });
  }
  return issues;
}

interface Flags {
  remote?: boolean;
  'dry-run'?: boolean;
  prune?: boolean;
  yes?: boolean;
  progress?: boolean;
  'skip-invalid'?: boolean;
}

async function validateCmd(file: string | undefined, flags: Flags, progress: Progress): Promise<number> {
  if (!file) throw new UsageError('validate needs a manifest file');
  const manifest = await readManifest(file);
  if (manifest.issues.length) {
    report(file, manifest.issues);
    return EXIT.validation;
  }
  const { pushes } = manifest;
  const datasets = pushes.reduce((n, p) => n + p.datasets.length, 0);
  if (!flags.remote) {
    // Said, because a code only the server knows is not checked here: push may still refuse it.
    process.stdout.write(`${file}: valid (${datasets} datasets in ${pushes.length} system(s)); codes are checked on the server with --remote\n`);
    return EXIT.ok;
  }
  const c = client();
  const issues: ManifestIssue[] = [];
  const plans: string[] = [];
  const where = process.env.KIROKU_URL || 'http://localhost:4000';
  if (manifest.inventorySections.length) {
    // An inventory manifest is what `kiroku import` applies: the server runs that import and rolls
    // it back, so every code (purposes, legal bases, categories…) is checked against the inventory
    // and the manifest together, as the import would.
    progress.say(`checking ${manifest.inventorySections.length} inventory section(s) and ${pushes.length} system(s) as an import on the server…`);
    let problems;
    try {
      problems = await c.manifestProblems(manifest.text);
    } catch (e) {
      if (e instanceof KirokuError && e.kind === 'auth') throw new KirokuError('auth', `${e.message} (an inventory manifest, with ${manifest.inventorySections.join(', ')}, is checked as an import: it needs a privacy-team or auditor token)`, e.errors, e.status);
      throw e;
    }
    progress.done();
    if (problems.length) {
      report(file, problems.map((p) => manifest.locatePointer(p.path, p.message)));
      return EXIT.validation;
    }
    process.stdout.write(`${file}: valid on ${where}: an import would apply it (${manifest.inventorySections.join(', ')}${pushes.length ? `, ${datasets} datasets in ${pushes.length} system(s)` : ''})\n`);
    return EXIT.ok;
  }
  // The server checks what a push would send, as a push would (a dry run): the system, every code,
  // every location; so a manifest it passes is one push accepts.
  for (const [i, p] of pushes.entries()) {
    progress.say(`checking ${p.systemKey} (${i + 1}/${pushes.length}, ${p.datasets.length} datasets) on the server…`);
    try {
      const results = await c.registerDatasets({ ...p, prune: false, dryRun: true });
      plans.push(`${p.systemKey}: ${summary(results, true)}`);
    } catch (e) {
      const found = e instanceof KirokuError ? serverIssues(manifest, i, e) : null;
      if (!found) throw e;
      issues.push(...found);
    }
  }
  progress.done();
  if (issues.length) {
    report(file, issues);
    return EXIT.validation;
  }
  process.stdout.write(`${file}: valid on ${where} (${datasets} datasets in ${pushes.length} system(s)); a push would do:\n${plans.map((l) => `  ${l}\n`).join('')}`);
  return EXIT.ok;
}

const VERB: Record<string, [string, string]> = { CREATED: ['created', 'to create'], UPDATED: ['updated', 'to update'], UNCHANGED: ['unchanged', 'unchanged'], RETIRED: ['retired', 'to retire'] };

function summary(results: Array<{ status: string }>, planned: boolean): string {
  const counts: Record<string, number> = {};
  for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return Object.entries(counts).map(([k, v]) => `${v} ${VERB[k]?.[planned ? 1 : 0] ?? k.toLowerCase()}`).join(', ') || 'nothing to do';
}

/** One question on the terminal; anything but y/yes is a no. */
async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await new Promise<string>((resolve) => {
      rl.question(question, resolve);
      rl.once('close', () => resolve(''));
    });
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

async function push(file: string | undefined, flags: Flags, progress: Progress): Promise<number> {
  if (!file) throw new UsageError('push needs a manifest file');
  const dryRun = !!flags['dry-run'];
  const prune = !!flags.prune;
  const ask = prune && !dryRun && !flags.yes;
  // Refused before anything is read or sent: a script must say --yes for what a person is asked.
  if (ask && !process.stdin.isTTY) {
    throw new KirokuError('validation', '--prune retires every dataset of the system that the manifest does not list; not on a terminal it needs --yes (see what it would retire with --dry-run --prune); nothing was pushed');
  }
  const manifest = await readManifest(file);
  if (manifest.issues.length) {
    report(file, manifest.issues);
    return EXIT.validation;
  }
  const { pushes } = manifest;
  if (!pushes.length) throw new KirokuError('validation', `${file} has no systems to push`);
  if (manifest.inventorySections.length) process.stderr.write(`note: push sends the systems' datasets only; ${manifest.inventorySections.join(', ')} are applied by \`npm run -s kiroku -- import\` on the server\n`);
  const c = client();
  const call = async (i: number, input: { prune: boolean; dryRun: boolean }) => {
    const p = pushes[i];
    progress.say(`${input.dryRun ? 'checking' : 'pushing'} ${p.systemKey} (${i + 1}/${pushes.length}, ${p.datasets.length} datasets)…`);
    try {
      return await c.registerDatasets({ ...p, ...input });
    } catch (e) {
      progress.done();
      const issues = e instanceof KirokuError ? serverIssues(manifest, i, e) : null;
      if (!issues) throw e;
      report(file, issues);
      return null;
    }
  };
  for (const [i, p] of pushes.entries()) {
    if (dryRun) {
      // Asked with prune always, so that a dry run also names what --prune would retire.
      const results = await call(i, { prune: true, dryRun: true });
      progress.done();
      if (!results) return EXIT.validation;
      const shown = prune ? results : results.filter((r) => r.status !== 'RETIRED');
      process.stdout.write(`${p.systemKey} (dry run, nothing written): ${summary(shown, true)}\n`);
      for (const r of results) {
        if (r.status === 'CREATED') process.stdout.write(`  create ${r.key}\n`);
        else if (r.status === 'UPDATED') process.stdout.write(`  update ${r.key} (${r.changes.join('; ')})\n`);
        else if (r.status === 'RETIRED') process.stdout.write(prune ? `  retire ${r.key}\n` : `  keep   ${r.key} (not in the manifest; --prune would retire it)\n`);
      }
      continue;
    }
    if (ask) {
      const plan = await call(i, { prune: true, dryRun: true });
      progress.done();
      if (!plan) return EXIT.validation;
      const retiring = plan.filter((r) => r.status === 'RETIRED').map((r) => r.key);
      if (retiring.length) {
        process.stderr.write(`--prune would retire ${retiring.length} dataset(s) of ${p.systemKey} that the manifest does not list:\n${retiring.map((k) => `  ${k}\n`).join('')}`);
        if (!(await confirm(`Retire them and push ${p.systemKey}? [y/N] `))) {
          process.stderr.write(`kiroku: ${p.systemKey} not pushed, nothing retired (push without --prune to register without retiring)\n`);
          return EXIT.validation;
        }
      }
    }
    const results = await call(i, { prune, dryRun: false });
    progress.done();
    if (!results) return EXIT.validation;
    process.stdout.write(`${p.systemKey}: ${summary(results, false)}\n`);
  }
  return EXIT.ok;
}

async function subjects(args: string[], flags: Flags, progress: Progress): Promise<number> {
  const [op, systemKey, datasetKey, identityType, file] = args;
  if (!['add', 'remove'].includes(op) || !systemKey || !datasetKey || !identityType || !file) throw new UsageError('subjects add|remove <system> <dataset> <identityType> <file>');
  if (!IDENTITY_TYPES.includes(identityType)) throw new KirokuError('validation', `identity type must be one of ${IDENTITY_TYPES.join(', ')}`);
  const c = client();
  const skipInvalid = !!flags['skip-invalid'];
  const base = { systemKey, datasetKey, identityType: identityType as IdentityType, op: op === 'add' ? ('ADD' as const) : ('REMOVE' as const) };

  /** The file in batches, each value with its line number; blank lines are not values. */
  async function* batches(): AsyncGenerator<{ values: string[]; lines: number[] }> {
    let values: string[] = [];
    let lines: number[] = [];
    let lineNo = 0;
    for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
      lineNo++;
      const v = line.trim();
      if (!v) continue;
      values.push(v);
      lines.push(lineNo);
      if (values.length >= BATCH) {
        yield { values, lines };
        values = [];
        lines = [];
      }
    }
    if (values.length) yield { values, lines };
  }

  /** The lines the server refused (it names values by their index in the batch), or null for any other refusal. */
  const refusedLines = (e: unknown, lines: number[]): Array<{ line: number; index: number; reason: string }> | null => {
    if (!(e instanceof KirokuError) || e.kind !== 'validation') return null;
    const problems = e.errors[0]?.extensions?.problems ?? [];
    const found = problems.map((p) => ({ index: Number(/^input\.values\[(\d+)\]$/.exec(p.path)?.[1] ?? NaN), reason: p.message }));
    if (!found.length || found.some((f) => Number.isNaN(f.index))) return null;
    return found.map((f) => ({ ...f, line: lines[f.index] }));
  };

  const invalid: Array<{ line: number; reason: string }> = [];
  if (!skipInvalid) {
    // The whole file is checked before anything is written: a bad line on line 90,000 must not
    // leave the first 80,000 values in the index.
    let checked = 0;
    for await (const b of batches()) {
      let values = b.values;
      let lines = b.lines;
      for (;;) {
        try {
          await c.reportSubjects({ ...base, values, dryRun: true });
          break;
        } catch (e) {
          const refused = refusedLines(e, lines);
          if (!refused) throw e;
          invalid.push(...refused);
          // The server names at most 100 a call: ask again without them for the rest.
          const drop = new Set(refused.map((r) => r.index));
          values = values.filter((_, i) => !drop.has(i));
          lines = lines.filter((_, i) => !drop.has(i));
        }
      }
      checked += b.values.length;
      progress.say(`checked ${checked} values…`);
    }
    progress.done();
    if (invalid.length) {
      for (const x of invalid.slice(0, 100)) process.stderr.write(`${file}:${x.line}: ${x.reason}\n`);
      if (invalid.length > 100) process.stderr.write(`${file}: and ${invalid.length - 100} more invalid lines\n`);
      throw new KirokuError('validation', `${invalid.length} invalid line(s) in ${file}; nothing was written (--skip-invalid sends the others)`);
    }
  }

  let sent = 0;
  let added = 0;
  let removed = 0;
  const warnings = new Set<string>();
  for await (const b of batches()) {
    let values = b.values;
    let lines = b.lines;
    for (;;) {
      try {
        const r = await c.reportSubjects({ ...base, values, dryRun: false });
        sent += values.length;
        added += r.added;
        removed += r.removed;
        for (const w of r.warnings) warnings.add(w);
        break;
      } catch (e) {
        const refused = skipInvalid ? refusedLines(e, lines) : null;
        if (!refused) throw e;
        invalid.push(...refused);
        const drop = new Set(refused.map((r) => r.index));
        values = values.filter((_, i) => !drop.has(i));
        lines = lines.filter((_, i) => !drop.has(i));
        if (!values.length) break;
      }
    }
    progress.say(`sent ${sent} values…`);
  }
  progress.done();
  // Said once, not per batch: the same dataset gives the same warning every time.
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  for (const x of invalid) process.stderr.write(`${file}:${x.line}: skipped: ${x.reason}\n`);
  process.stdout.write(`${systemKey}/${datasetKey}: ${sent} values sent, ${added} added, ${removed} removed${invalid.length ? `, ${invalid.length} invalid line(s) skipped` : ''}\n`);
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
  return ['usage: kiroku', ...mine, ...more, ...lines.slice(-2)].join('\n');
}

/** The options each command takes; any other is a usage error rather than silently ignored. */
const OPTIONS: Record<string, Array<keyof Flags>> = {
  whoami: [],
  validate: ['remote'],
  push: ['dry-run', 'prune', 'yes'],
  subjects: ['skip-invalid'],
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h' || rest.includes('--help') || rest.includes('-h')) {
    if (command === undefined) throw new UsageError('a command is needed');
    process.stdout.write(help(command === 'help' ? rest[0] : command.startsWith('-') ? undefined : command) + '\n');
    return EXIT.ok;
  }
  if (!(command in OPTIONS)) throw new UsageError(`unknown command "${command}"`);
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: Object.fromEntries([...OPTIONS[command], 'progress'].map((o) => [o, { type: 'boolean' as const }])),
    });
  } catch (e) {
    const option = /'(-[^']*)'/.exec((e as Error).message)?.[1];
    throw new UsageError((e as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option ? `unknown option ${option} for ${command} (kiroku ${command} --help)` : (e as Error).message.split('\n')[0]);
  }
  const flags = parsed.values as Flags;
  const args = parsed.positionals;
  const progress = new Progress(!!flags.progress || !!process.stderr.isTTY);
  switch (command) {
    case 'whoami': {
      const me = await client().whoami();
      process.stdout.write(`${me.sub} (${me.roles.join(', ') || 'no role'}${me.system ? `, system ${me.system}` : ''})\n`);
      return EXIT.ok;
    }
    case 'validate':
      return validateCmd(args[0], flags, progress);
    case 'push':
      if (flags.yes && !flags.prune) throw new UsageError('--yes only confirms --prune');
      return push(args[0], flags, progress);
    default:
      return subjects(args, flags, progress);
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
