import 'reflect-metadata';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from './embedded.js';
import { migrator, openOrm } from './orm.js';

/**
 * `npm run migration:create [name]`: applies the committed migrations to a throwaway embedded
 * cluster, diffs the entities against it and writes the difference as a new TypeScript migration.
 */
const name = process.argv[2];
const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiroku-migration-'));
await fs.chmod(dir, 0o755);
const db = await startEmbeddedPostgres({ dataDir: dir, ephemeral: true });
try {
  const orm = await openOrm(db.ownerUrl);
  const m = await migrator(orm);
  await m.up();
  const result = await m.createMigration(undefined, false, false, name);
  let written = result.fileName;
  if (written) {
    // The reverse pivot indexes are managed by hand (see the pivot_reverse_indexes migration);
    // the diff does not know them and would drop them.
    const file = path.join(path.dirname(new URL(import.meta.url).pathname), '../../../src/db/migrations', written);
    const text = (await fs.readFile(file, 'utf8')).replace(/\n+ {4}this\.addSql\(`(drop|create) index "[a-z_]+_rev_index"[^`]*`\);/g, '');
    if (/async up\(\): Promise<void> \{\s*\}/.test(text)) {
      await fs.rm(file);
      written = '';
    } else {
      await fs.writeFile(file, text);
    }
  }
  console.log(written ? `wrote ${written}` : 'entities and migrations agree: nothing to write');
  await orm.close();
} finally {
  await db.stop();
  await fs.rm(dir, { recursive: true, force: true });
}
