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

/**
 * The CLI validates manifests with the validator the build generated (Ajv standalone code) while it
 * was made from the schema as it is now; it must report exactly what compiling the schema reports.
 */
test('the built manifest validator is the schema compiled: used when current, same errors as Ajv compiling the schema', async () => {
  const dist = path.join(repoRoot, 'client/dist');
  type Validate = ((d: unknown) => boolean) & { errors?: unknown[] | null };
  const mod = (await import(pathToFileURL(path.join(dist, 'manifest-validator.js')).href)) as {
    manifestValidator(): Promise<Validate>;
    manifestAjv(): Promise<{ compile(s: unknown): Validate }>;
    readSchema(): Promise<{ schema: unknown; hash: string }>;
  };
  const built = (await import(pathToFileURL(path.join(dist, 'manifest-validator.generated.js')).href)) as { validate: Validate; schemaHash: string };
  const { schema, hash } = await mod.readSchema();
  assert.equal(built.schemaHash, hash, 'the build generated the validator from schema/manifest.schema.json as it is');
  assert.equal(await mod.manifestValidator(), built.validate, 'the CLI uses the generated validator');
  const compiled = (await mod.manifestAjv()).compile(schema);
  const documents: unknown[] = [
    { apiVersion: 'kiroku/v1', systems: [{ key: 'crm', name: 'CRM', datasets: [{ key: 'a', name: 'A', storageLocaton: 'JP', fields: [{ path: 'email', identityType: 'EMAL' }] }] }] },
    { apiVersion: 'v0', systems: 'none' },
    { apiVersion: 'kiroku/v1', processors: [{ code: 'p', name: { ja: '委託先' }, url: 'http://example.com/' }] },
    {},
  ];
  let failing = 0;
  for (const d of documents) {
    const a = built.validate(d);
    const b = compiled(d);
    assert.equal(a, b);
    assert.deepEqual(built.validate.errors ?? null, compiled.errors ?? null);
    if (!a) failing++;
  }
  assert.equal(failing, documents.length, 'every document above is invalid, so the errors are compared');
});
