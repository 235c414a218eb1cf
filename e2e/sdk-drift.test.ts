import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './server-process.js';

/** The SDK's typed documents are generated from schema/schema.graphql; the committed ones must match. */
test('client/src/sdk/generated matches the schema (run `npm run -w client codegen`)', async () => {
  const clientDir = path.join(repoRoot, 'client');
  const script = pathToFileURL(path.join(clientDir, 'scripts/codegen.mjs')).href;
  const { generate } = (await import(script)) as { generate(cwd: string): Promise<Array<{ filename: string; content: string }>> };
  const outputs = await generate(clientDir);
  assert.ok(outputs.length >= 2);
  for (const o of outputs) {
    const file = path.resolve(clientDir, o.filename);
    const committed = await fs.readFile(file, 'utf8').catch(() => '');
    assert.ok(committed === o.content, `${path.relative(repoRoot, file)} is out of date`);
  }
});
