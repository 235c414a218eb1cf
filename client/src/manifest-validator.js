import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
/**
 * The manifest's JSON Schema validator. `npm run build` compiles it ahead of time into
 * `dist/manifest-validator.generated.js` (Ajv's standalone code): compiling it on every command was
 * 0.2 s of CPU, most of a `validate` or `push`. The generated module carries the hash of the schema it
 * was made from; when `schema/manifest.schema.json` has changed since (emit-schemas without a
 * build), the schema is compiled here as before.
 */
export const schemaFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schema/manifest.schema.json');
/** The one Ajv configuration, for the build's standalone code and for compiling here (loaded only then). */
export async function manifestAjv(opts = {}) {
    const { Ajv } = await import('ajv');
    // verbose: an error carries the schema it broke, whose properties name what a misspelt key may have meant.
    return new Ajv({ allErrors: true, strict: false, verbose: true, ...(opts.source ? { code: { source: true, esm: true } } : {}) })
        // The schema's own format for URL fields; the server decides whether http://localhost is allowed (dev).
        .addFormat('https-url', /^https:\/\/\S+$|^http:\/\/(localhost|127\.0\.0\.1|\[::1\])([:/]\S*)?$/);
}
export async function readSchema() {
    const text = await fs.readFile(schemaFile, 'utf8');
    const schema = JSON.parse(text);
    delete schema.$schema;
    return { schema, hash: createHash('sha256').update(text).digest('hex') };
}
let validator;
export function manifestValidator() {
    return (validator ??= (async () => {
        const { schema, hash } = await readSchema();
        const built = await import('./manifest-validator.generated.js').catch(() => null);
        return built?.schemaHash === hash ? built.validate : (await manifestAjv()).compile(schema);
    })());
}
//# sourceMappingURL=manifest-validator.js.map