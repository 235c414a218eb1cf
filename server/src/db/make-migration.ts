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
  console.log(result.fileName ? `wrote ${result.fileName}` : 'entities and migrations agree: nothing to write');
  await orm.close();
} finally {
  await db.stop();
  await fs.rm(dir, { recursive: true, force: true });
}
