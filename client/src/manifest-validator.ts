import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Ajv, ValidateFunction } from 'ajv';

/**
 * The manifest's JSON Schema validator. `npm run build` compiles it ahead of time into
 * `dist/manifest-validator.generated.js` (Ajv's standalone code): compiling it on every command was
 * 0.2 s of CPU, most of a `validate` or `push`. The generated module carries the hash of the schema it
 * was made from; when `schema/manifest.schema.json` has changed since (emit-schemas without a
 * build), the schema is compiled here as before.
 */
export const schemaFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schema/manifest.schema.json');

/** The one Ajv configuration, for the build's standalone code and for compiling here (loaded only then). */
export async function manifestAjv(opts: { source?: boolean } = {}): Promise<Ajv> {
  const { Ajv } = await import('ajv');
  // verbose: an error carries the schema it broke, whose properties name what a misspelt key may have meant.
  return new Ajv({ allErrors: true, strict: false, verbose: true, ...(opts.source ? { code: { source: true, esm: true } } : {}) })
    // The schema's own format for URL fields; the server decides whether http://localhost is allowed (dev).
    .addFormat('https-url', /^https:\/\/\S+$|^http:\/\/(localhost|127\.0\.0\.1|\[::1\])([:/]\S*)?$/);
}

export async function readSchema(): Promise<{ schema: Record<string, unknown>; hash: string }> {
  const text = await fs.readFile(schemaFile, 'utf8');
  const schema = JSON.parse(text) as Record<string, unknown>;
  delete schema.$schema;
  return { schema, hash: createHash('sha256').update(text).digest('hex') };
}

let validator: Promise<ValidateFunction> | undefined;

export function manifestValidator(): Promise<ValidateFunction> {
  return (validator ??= (async () => {
    const { schema, hash } = await readSchema();
    const built = await import('./manifest-validator.generated.js' as string).catch(() => null) as { validate: ValidateFunction; schemaHash: string } | null;
    return built?.schemaHash === hash ? built.validate : (await manifestAjv()).compile(schema);
  })());
}
