// `npm run build`, after the client's tsc: the manifest schema's validator as Ajv standalone code, so
// that `kiroku validate` and `kiroku push` do not compile the schema on every run (see
// src/manifest-validator.ts, which checks the hash written here against the schema it reads).
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import standalone from 'ajv/dist/standalone/index.js';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist');
const { manifestAjv, readSchema } = await import(path.join(dist, 'manifest-validator.js'));
const { schema, hash } = await readSchema();
const ajv = await manifestAjv({ source: true });
const code = standalone.default(ajv, ajv.compile(schema));
const out = path.join(dist, 'manifest-validator.generated.js');
await fs.writeFile(`${out}.tmp`, `${code}\nexport const schemaHash = ${JSON.stringify(hash)};\n`);
await fs.rename(`${out}.tmp`, out);
