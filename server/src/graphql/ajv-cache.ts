import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv, _, type FormatDefinition, type ValidateFunction } from 'ajv';
import { repoRoot } from '../config.js';

/** Where compiled validators are kept between processes: beside the build's output, which they follow. */
export const validatorCacheDir = path.join(repoRoot, 'server/dist/cache');

/**
 * A JSON Schema's Ajv validator (every error reported). Compiling a large schema costs a process
 * tenths of a second (0.3 s of CPU for the manifest's), in every process that validates with it. The
 * first one keeps Ajv's standalone code in `cacheDir` as `<name>-validator-<hash>.cjs`, the hash
 * covering the schema and Ajv's version, and the next ones load that: the same code Ajv would
 * generate, without generating it. A directory that cannot be written (a read-only install) only
 * means compiling each time. Formats stay the loading process's own (they may depend on its
 * configuration): the kept file is a factory taking them.
 */
export function cachedValidator(name: string, jsonSchema: Record<string, unknown>, formats: Record<string, FormatDefinition<string>> = {}, cacheDir = validatorCacheDir): ValidateFunction {
  // Ajv's default build knows draft-07's meta-schema only; the schemas name 2020-12 for their readers.
  const { $schema: _draft, ...schema } = jsonSchema;
  const require = createRequire(import.meta.url);
  const version = (require('ajv/package.json') as { version: string }).version;
  const hash = createHash('sha256').update(`${version}\0${JSON.stringify(schema)}`).digest('hex').slice(0, 24);
  const prefix = `${name}-validator-`;
  const file = path.join(cacheDir, `${prefix}${hash}.cjs`);
  try {
    // From the file as it is now, not as this process may have loaded it before.
    delete require.cache[file];
    return (require(file) as (f: typeof formats) => ValidateFunction)(formats);
  } catch {
    // Not there yet (or unreadable): compile, below.
  }
  const ajv = new Ajv({ allErrors: true, strict: false, code: { source: true, formats: _`formats` } });
  for (const [format, def] of Object.entries(formats)) ajv.addFormat(format, def);
  const validate = ajv.compile(schema);
  try {
    const standalone = (require('ajv/dist/standalone/index.js') as { default: (a: Ajv, v: ValidateFunction) => string }).default;
    const code = `module.exports = function (formats) {\nconst module = { exports: {} };\n${standalone(ajv, validate)}\nreturn module.exports;\n};\n`;
    fs.mkdirSync(cacheDir, { recursive: true });
    for (const old of fs.readdirSync(cacheDir)) if (old.startsWith(prefix)) fs.rmSync(path.join(cacheDir, old), { force: true });
    // Written whole under another name first: a process loading it meanwhile never reads half a file.
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, file);
  } catch {
    // Best effort: the validator compiled here is the one used.
  }
  return validate;
}
