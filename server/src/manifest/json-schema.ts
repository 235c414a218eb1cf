import { ReferenceKind, type EntityProperty } from '@mikro-orm/core';
import { GraphQLScalarType } from 'graphql';
import { Int, getMetadataStorage } from 'type-graphql';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv, _, type ValidateFunction } from 'ajv';
import { repoRoot } from '../config.js';
import { LocalDate } from '../graphql/scalars.js';
import { isAllowedUrl } from '../graphql/validators.js';
import type { WriteSpec } from '../graphql/crud.js';
import { API_VERSION, SECTIONS, type Section } from './sections.js';

type Schema = Record<string, unknown>;

interface FieldMeta {
  target: Function;
  name: string;
  getType: () => unknown;
  typeOptions: { array?: boolean; nullable?: boolean | string };
  description?: string;
}

const storage = () => getMetadataStorage() as unknown as { fields: FieldMeta[]; objectTypes: Array<{ target: Function; name: string }> };

/**
 * The JSON Schema of the inventory manifest, derived from the same declarations as the GraphQL
 * API: a field added to an entity appears in both, and `schema/manifest.schema.json` is checked.
 */
export function manifestJsonSchema(specs: Map<string, WriteSpec>): Schema {
  const defs: Record<string, Schema> = {};

  const typeSchema = (type: unknown): Schema => {
    if (type === String) return { type: 'string' };
    if (type === Int) return { type: 'integer', minimum: 0 };
    if (type === Number) return { type: 'number' };
    if (type === Boolean) return { type: 'boolean' };
    if (type === Date) return { type: 'string', format: 'date-time' };
    if (type === LocalDate) return { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
    if (type instanceof GraphQLScalarType) return { type: 'string' };
    if (typeof type === 'function') {
      const name = storage().objectTypes.find((o) => o.target === type)?.name ?? type.name;
      if (!defs[name]) {
        defs[name] = {};
        const props: Record<string, Schema> = {};
        const required: string[] = [];
        for (const f of storage().fields.filter((x) => x.target === type)) {
          const t = f.getType();
          props[f.name] = withUrlFormat(f.name, fieldSchema(t, !!f.typeOptions.array, f.description));
          if (!f.typeOptions.nullable && !f.typeOptions.array) required.push(f.name);
        }
        defs[name] = { type: 'object', additionalProperties: false, properties: props, ...(required.length ? { required } : {}) };
      }
      return { $ref: `#/$defs/${name}` };
    }
    if (type && typeof type === 'object') return { enum: Object.values(type as object) };
    return {};
  };

  const fieldSchema = (type: unknown, array: boolean, description?: string): Schema => {
    const base = typeSchema(type);
    const s = array ? { type: 'array', items: base } : base;
    return description ? { ...s, description } : s;
  };

  const itemSchema = (section: Section): Schema => {
    const spec = specs.get(section.entity)!;
    const props: Record<string, Schema> = {};
    const required = [section.identity];
    for (const { field, prop, required: must } of spec.scalarFields) {
      const s = withUrlFormat(field.name, fieldSchema(field.getType(), field.array, field.description));
      if (prop.name === 'country' || prop.name === 'providerCountry') Object.assign(s, { pattern: '^[A-Z]{2}$' });
      props[field.name] = prop.nullable ? { anyOf: [s, { type: 'null' }] } : s;
      if (must && field.name !== section.identity) required.push(field.name);
    }
    for (const r of spec.relationFields as Array<{ prop: EntityProperty; many: boolean; required: boolean }>) {
      if (r.prop.name === section.parent) continue;
      props[r.prop.name] = r.many
        ? { type: 'array', items: { type: 'string' }, uniqueItems: true, description: `Codes of ${r.prop.type} records.` }
        : { type: ['string', 'null'], description: `Code of a ${r.prop.type}.` };
      if (r.required && r.prop.kind === ReferenceKind.MANY_TO_ONE) required.push(r.prop.name);
    }
    for (const child of section.children ?? []) props[child.key] = { type: 'array', items: itemSchema(child) };
    return { type: 'object', additionalProperties: false, required, properties: props };
  };

  const properties: Record<string, Schema> = {
    apiVersion: { const: API_VERSION },
    kind: { const: 'Inventory' },
    illustrative: { type: 'boolean', description: 'Marks every item of the file as illustrative (demo) data.' },
    description: { type: 'string' },
  };
  for (const section of SECTIONS) {
    const item = itemSchema(section);
    properties[section.key] = section.single ? item : { type: 'array', items: item };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://kiroku.invalid/schema/manifest.schema.json',
    title: 'Kiroku inventory manifest',
    type: 'object',
    additionalProperties: false,
    required: ['apiVersion'],
    properties,
    $defs: defs,
  };
}

/** URL fields (`url`, `…Url`) take what the API takes: see isAllowedUrl. */
function withUrlFormat(name: string, s: Schema): Schema {
  return /^url$|Url$/.test(name) && s.type === 'string' ? { ...s, format: URL_FORMAT } : s;
}

const URL_FORMAT = 'https-url';

let compiled: ValidateFunction | undefined;

/** Where compiled validators are kept between processes: beside the build's output, which they follow. */
export const validatorCacheDir = path.join(repoRoot, 'server/dist/cache');

/**
 * The manifest schema's validator. Compiling it with Ajv costs about 0.3 s of CPU, in every process that
 * imports a manifest (the server seeding, `kiroku import`, `manifestProblems`). The first one keeps
 * Ajv's standalone code in `cacheDir`, named by the hash of the schema and Ajv's version, and the
 * next ones load that: the same code Ajv would generate, without generating it. A directory that
 * cannot be written (a read-only install) only means compiling each time.
 */
export function manifestValidator(specs: Map<string, WriteSpec>, cacheDir = validatorCacheDir): ValidateFunction {
  const schema = manifestJsonSchema(specs);
  delete schema.$schema;
  const formats = { [URL_FORMAT]: { type: 'string' as const, validate: isAllowedUrl } };
  const require = createRequire(import.meta.url);
  const version = (require('ajv/package.json') as { version: string }).version;
  const hash = createHash('sha256').update(`${version}\0${JSON.stringify(schema)}`).digest('hex').slice(0, 24);
  const file = path.join(cacheDir, `manifest-validator-${hash}.cjs`);
  try {
    // From the file as it is now, not as this process may have loaded it before.
    delete require.cache[file];
    return (require(file) as (f: typeof formats) => ValidateFunction)(formats);
  } catch {
    // Not there yet (or unreadable): compile, below.
  }
  const ajv = new Ajv({ allErrors: true, strict: false, code: { source: true, formats: _`formats` } }).addFormat(URL_FORMAT, formats[URL_FORMAT]);
  const validate = ajv.compile(schema);
  try {
    const standalone = (require('ajv/dist/standalone/index.js') as { default: (a: Ajv, v: ValidateFunction) => string }).default;
    // A factory, so that the URL format is this process's (it depends on the configuration).
    const code = `module.exports = function (formats) {\nconst module = { exports: {} };\n${standalone(ajv, validate)}\nreturn module.exports;\n};\n`;
    fs.mkdirSync(cacheDir, { recursive: true });
    for (const old of fs.readdirSync(cacheDir)) if (old.startsWith('manifest-validator-')) fs.rmSync(path.join(cacheDir, old), { force: true });
    // Written whole under another name first: a process loading it meanwhile never reads half a file.
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, file);
  } catch {
    // Best effort: the validator compiled here is the one used.
  }
  return validate;
}

export function validateManifest(specs: Map<string, WriteSpec>, data: unknown): Array<{ path: string; message: string }> {
  compiled ??= manifestValidator(specs);
  if (compiled(data)) return [];
  return (compiled.errors ?? [])
    // `anyOf: [T, null]` reports three errors for one bad value; keep the one that explains it.
    .filter((e) => e.keyword !== 'anyOf' && !(e.keyword === 'type' && (e.params as { type?: string }).type === 'null'))
    .map((e) => ({ path: e.instancePath || '/', message: `${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}` }));
}
