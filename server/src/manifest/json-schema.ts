import { ReferenceKind, type EntityProperty } from '@mikro-orm/core';
import { GraphQLScalarType } from 'graphql';
import { Int, getMetadataStorage } from 'type-graphql';
import type { ValidateFunction } from 'ajv';
import { cachedValidator, validatorCacheDir } from '../graphql/ajv-cache.js';
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

/** The manifest schema's validator, compiled once per build (see cachedValidator). */
export function manifestValidator(specs: Map<string, WriteSpec>, cacheDir = validatorCacheDir): ValidateFunction {
  return cachedValidator('manifest', manifestJsonSchema(specs), { [URL_FORMAT]: { type: 'string', validate: isAllowedUrl } }, cacheDir);
}

export function validateManifest(specs: Map<string, WriteSpec>, data: unknown): Array<{ path: string; message: string }> {
  compiled ??= manifestValidator(specs);
  if (compiled(data)) return [];
  return (compiled.errors ?? [])
    // `anyOf: [T, null]` reports three errors for one bad value; keep the one that explains it.
    .filter((e) => e.keyword !== 'anyOf' && !(e.keyword === 'type' && (e.params as { type?: string }).type === 'null'))
    .map((e) => ({ path: e.instancePath || '/', message: `${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}` }));
}
