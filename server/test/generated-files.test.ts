import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot } from '../src/config.js';
import { renderSchemas } from '../src/schema-files.js';
import { migrator, openOrm } from '../src/db/orm.js';
import { freshDatabaseUrl, roleUrl } from './helpers.js';

test('the files in schema/ match the code (run `npm run -s kiroku -- emit-schemas`)', async () => {
  const files = await renderSchemas();
  assert.deepEqual(Object.keys(files).sort(), (await fs.readdir(path.join(repoRoot, 'schema'))).sort(), 'schema/ holds the generated files and no others');
  for (const [name, text] of Object.entries(files)) {
    const committed = await fs.readFile(path.join(repoRoot, 'schema', name), 'utf8');
    assert.ok(committed === text, `schema/${name} differs from the code; regenerate it`);
  }
});

test('the bundled programs (server/dist/bin) declare the same schema: class names survive bundling', async () => {
  // type-graphql names types and MikroORM entities after their classes; a bundler that renamed one
  // to avoid a clash would change the API the server started by `npm start` serves.
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiroku-emit-'));
  try {
    // Into a directory that does not exist yet: the command makes it.
    const out = path.join(dir, 'new', 'schema');
    await promisify(execFile)(process.execPath, [path.join(repoRoot, 'server/dist/bin/cli.js'), 'emit-schemas', out]);
    for (const name of Object.keys(await renderSchemas())) {
      const committed = await fs.readFile(path.join(repoRoot, 'schema', name), 'utf8');
      assert.ok(committed === (await fs.readFile(path.join(out, name), 'utf8')), `the bundle's ${name} differs from schema/${name}`);
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test('entities and committed migrations agree (run `npm run migration:create` after changing an entity)', async () => {
  // As the owner: PostgreSQL shows a table's check constraints to its owner only.
  const orm = await openOrm(roleUrl('owner', await freshDatabaseUrl()));
  try {
    await (await migrator(orm)).up();
    const diff = await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false, safe: false });
    // Indexes the migrations add by hand (reverse pivot columns) are not described by entities.
    const relevant = diff.split('\n').filter((l) => l.trim() && !/drop index "[a-z_]+_rev_index"/.test(l) && !/^set names/.test(l));
    assert.deepEqual(relevant, [], 'the entities need a migration:\n' + relevant.join('\n'));
  } finally {
    await orm.close(true);
  }
});
