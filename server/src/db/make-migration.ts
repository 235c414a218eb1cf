import 'reflect-metadata';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from './embedded.js';
import { openOrm } from './orm.js';

/**
 * `npm run migration:create [name]`: applies the committed migrations to a throwaway embedded
 * cluster, diffs the entities against it and writes the difference as a new TypeScript migration.
 */
const name = process.argv[2];
const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiroku-migration-'));
await fs.chmod(dir, 0o755);
const db = await startEmbeddedPostgres({ dataDir: dir, ephemeral: true });
try {
  const orm = await openOrm(db.url);
  const migrator = orm.getMigrator();
  await migrator.up();
  const result = await migrator.createMigration(undefined, false, false, name);
  if (result.fileName) {
    // The reverse pivot indexes are managed by hand (see the pivot_reverse_indexes migration);
    // the diff does not know them and would drop them.
    const file = path.join(path.dirname(new URL(import.meta.url).pathname), '../../../src/db/migrations', result.fileName);
    const text = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, text.replace(/\n\n    this\.addSql\(`(drop|create) index "[a-z_]+_rev_index"[^`]*`\);/g, ''));
  }
  console.log(result.fileName ? `wrote ${result.fileName}` : 'entities and migrations agree: nothing to write');
  await orm.close();
} finally {
  await db.stop();
  await fs.rm(dir, { recursive: true, force: true });
}
