import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './server-process.js';

/** The SDK's typed documents are generated from schema/schema.graphql; the committed ones must match. */
test('client/src/sdk/generated matches the schema (run `npm run -w client codegen`)', async () => {
  const clientDir = path.join(repoRoot, 'client');
  const config = JSON.parse(await fs.readFile(path.join(clientDir, 'codegen.json'), 'utf8'));
  const { generate } = (await import('@graphql-codegen/cli')) as unknown as { generate(c: unknown, write: boolean): Promise<Array<{ filename: string; content: string }>> };
  const cwd = process.cwd();
  process.chdir(clientDir);
  let outputs;
  try {
    outputs = await generate({ ...config, cwd: clientDir, silent: true }, false);
  } finally {
    process.chdir(cwd);
  }
  assert.ok(outputs.length >= 2);
  for (const o of outputs) {
    const file = path.resolve(clientDir, o.filename);
    const committed = await fs.readFile(file, 'utf8').catch(() => '');
    assert.ok(committed === o.content, `${path.relative(repoRoot, file)} is out of date`);
  }
});
