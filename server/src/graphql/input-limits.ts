import {
  GraphQLError, Kind, TypeInfo, isEnumType, isInputObjectType, isListType, isNonNullType, isObjectType, isScalarType,
  valueFromASTUntyped, visit, visitWithTypeInfo,
  type DefinitionNode, type DocumentNode, type GraphQLInputObjectType, type GraphQLInputType, type GraphQLSchema, type OperationDefinitionNode, type ValueNode,
} from 'graphql';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Extensions } from 'type-graphql';
import { badInput, type Problem } from './errors.js';
import { cachedValidator } from './ajv-cache.js';
import { jsonInputOf, jsonInputSchemaFile, SCHEMA_BASE_URL } from './json-input.js';
import { didYouMean } from './suggest.js';

/**
 * Maxima of every list and string a client can send. An input field or argument may declare its own
 * with `@MaxItems` / `@MaxChars`; everything else gets these defaults, so nothing is unbounded.
 */
export const DEFAULT_MAX_ITEMS = 1_000;
export const DEFAULT_MAX_CHARS = 20_000;
/** Scalars of short fixed formats: our ids are PostgreSQL ints, dates and times ISO 8601. Any other gets the string default. */
const SCALAR_MAX_CHARS: Record<string, number> = { ID: 100, LocalDate: 100, DateTime: 100, DateTimeISO: 100 };
/** Only the first problems are reported: an error must stay small whatever was sent. */
const MAX_PROBLEMS = 10;

/** Shared maxima of values that several inputs carry. */
export const MAX_CODE_CHARS = 200;
export const MAX_IDENTIFIER_CHARS = 1_000;

interface Limits {
  maxItems?: number;
  maxItemsInTotal?: number;
  maxChars?: number;
}

/** At most `max` items in this list. `inTotal` also bounds the sum over every occurrence of the field in one argument. */
export function MaxItems(max: number, options: { inTotal?: number } = {}): PropertyDecorator {
  return Extensions(options.inTotal ? { maxItems: max, maxItemsInTotal: options.inTotal } : { maxItems: max }) as PropertyDecorator;
}

/** At most `max` characters (Unicode code points, as PostgreSQL counts them) in this string, or in each string of this list. */
export function MaxChars(max: number): PropertyDecorator {
  return Extensions({ maxChars: max }) as PropertyDecorator;
}

/** Unicode code points: an astral character (emoji, rare kanji) is one, as in PostgreSQL's varchar(n). */
export function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** Whether `s` has at most `max` code points; most strings are decided by their UTF-16 length alone. */
export function withinChars(s: string, max: number): boolean {
  if (s.length <= max) return true;
  if (s.length > 2 * max) return false;
  return codePoints(s) <= max;
}

interface State {
  /** The path being checked, from the argument: names and list indexes (the first `depth`). */
  keys: Array<string | number>;
  depth: number;
  problems: Problem[];
  totals: Map<string, number>;
}

type Checker = (value: unknown, st: State) => void;

function pathOf(st: State): string {
  let s = '';
  for (let i = 0; i < st.depth; i++) {
    const k = st.keys[i];
    s += typeof k === 'number' ? `[${k}]` : s ? `.${k}` : k;
  }
  return s;
}

function report(st: State, limit: number, message: string): void {
  if (st.problems.length < MAX_PROBLEMS) st.problems.push({ path: pathOf(st), message, limit });
}

const full = (st: State) => st.problems.length >= MAX_PROBLEMS;

/** Limit checks compiled once per schema: one closure per input type, none for inputs without lists or strings. */
class Compiler {
  private readonly objects = new Map<GraphQLInputObjectType, { fields: Array<{ name: string; check: Checker }> }>();

  constructor(private readonly schema: GraphQLSchema) {}

  type(type: GraphQLInputType, limits: Limits, coordinate: string): Checker | null {
    if (isNonNullType(type)) return this.type(type.ofType, limits, coordinate);
    if (isListType(type)) return this.list(type.ofType, limits, coordinate);
    if (isInputObjectType(type)) return this.object(type);
    if (isEnumType(type)) return null;
    if (isScalarType(type)) {
      const of = jsonInputOf(type);
      if (of) return this.jsonInput(of);
      if (type.name === 'Int' || type.name === 'Float' || type.name === 'Boolean') return null;
      const max = limits.maxChars ?? SCALAR_MAX_CHARS[type.name] ?? DEFAULT_MAX_CHARS;
      return (v, st) => {
        if (typeof v === 'string' && !withinChars(v, max)) report(st, max, `at most ${max} characters (code points), got ${codePoints(v)}`);
      };
    }
    return null;
  }

  /**
   * A JSON input: the maxima of its input type first, as for the typed input (so that an oversized
   * value is refused before its items are looked at), then its shape against the input type's JSON
   * Schema, with the paths and words a typed input's errors have.
   */
  private jsonInput(name: string): Checker {
    const type = this.schema.getType(name);
    if (!isInputObjectType(type)) throw new Error(`a JSON input scalar names ${name}, which is not an input type of this schema`);
    const limits = this.object(type);
    const jsonSchema = inputJsonSchema(type);
    let validate: ValidateFunction | undefined;
    return (v, st) => {
      if (v == null) return; // an argument left out or null: whether it may be is the resolver's rule
      const before = st.problems.length;
      limits?.(v, st);
      if (st.problems.length > before) return;
      validate ??= cachedValidator(`input-${name}`, jsonSchema);
      if (validate(v)) return;
      const at = pathOf(st);
      for (const p of shapeProblems(validate.errors ?? [], jsonSchema, v)) {
        if (full(st)) break;
        st.problems.push({ path: at + p.path, message: p.message });
      }
    };
  }

  private list(of: GraphQLInputType, limits: Limits, coordinate: string): Checker {
    const item = this.type(of, limits, coordinate);
    const max = limits.maxItems ?? DEFAULT_MAX_ITEMS;
    const inTotal = limits.maxItemsInTotal;
    return (v, st) => {
      // A single value where a list is expected is coerced to a list of one.
      if (!Array.isArray(v)) return item?.(v, st);
      if (v.length > max) return report(st, max, `at most ${max} items, got ${v.length}`);
      if (inTotal !== undefined) {
        const sum = (st.totals.get(coordinate) ?? 0) + v.length;
        st.totals.set(coordinate, sum);
        if (sum > inTotal) return report(st, inTotal, `at most ${inTotal} items in all ${coordinate} lists of one input together`);
      }
      if (!item) return;
      const depth = st.depth++;
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (x == null) continue;
        st.keys[depth] = i;
        item(x, st);
        if (full(st)) break;
      }
      st.depth = depth;
    };
  }

  private object(type: GraphQLInputObjectType): Checker | null {
    let entry = this.objects.get(type);
    if (!entry) {
      entry = { fields: [] };
      this.objects.set(type, entry); // before the fields: input types may refer to themselves
      for (const f of Object.values(type.getFields())) {
        const check = this.type(f.type, (f.extensions ?? {}) as Limits, `${type.name}.${f.name}`);
        if (check) entry.fields.push({ name: f.name, check });
      }
    }
    const fields = entry.fields;
    return (v, st) => {
      if (typeof v !== 'object' || v === null) return;
      const depth = st.depth++;
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i];
        const x = (v as Record<string, unknown>)[f.name];
        if (x == null) continue;
        st.keys[depth] = f.name;
        f.check(x, st);
        if (full(st)) break;
      }
      st.depth = depth;
    };
  }
}

interface Site {
  argument: string;
  value: ValueNode;
  check: Checker;
}

/**
 * Checks every argument of an operation against the maxima of the schema, before anything runs (no
 * resolver, no SQL): BAD_USER_INPUT naming the path and the limit, and only the first few problems.
 * Values come as sent, before coercion, so a list of 100,000 items is refused without looking
 * at its items.
 */
export function inputLimitChecker(schema: GraphQLSchema): (document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>) => void {
  const compiler = new Compiler(schema);
  const argumentChecks = new Map<object, Checker | null>();
  const sitesByDocument = new WeakMap<DocumentNode, Map<OperationDefinitionNode, Site[]>>();

  const sitesOf = (document: DocumentNode, operation: OperationDefinitionNode): Site[] => {
    let byOperation = sitesByDocument.get(document);
    if (!byOperation) sitesByDocument.set(document, (byOperation = new Map()));
    let sites = byOperation.get(operation);
    if (sites) return sites;
    sites = [];
    const definitions: DefinitionNode[] = [operation, ...document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)];
    const typeInfo = new TypeInfo(schema);
    const found = sites;
    visit({ kind: Kind.DOCUMENT, definitions }, visitWithTypeInfo(typeInfo, {
      Argument(node) {
        const def = typeInfo.getArgument();
        const field = typeInfo.getFieldDef();
        const parent = typeInfo.getParentType();
        if (!def || !field) return;
        let check = argumentChecks.get(def);
        if (check === undefined) {
          check = compiler.type(def.type, (def.extensions ?? {}) as Limits, `${parent?.name ?? ''}.${field.name}(${def.name}:)`);
          argumentChecks.set(def, check);
        }
        if (check) found.push({ argument: def.name, value: node.value, check });
        return false; // values of directives' and nested arguments are not arguments themselves
      },
    }));
    byOperation.set(operation, sites);
    return sites;
  };

  return (document, operation, variables) => {
    const sites = sitesOf(document, operation);
    if (!sites.length) return;
    let values = variables;
    for (const v of operation.variableDefinitions ?? []) {
      if (v.defaultValue && values[v.variable.name.value] === undefined) {
        if (values === variables) values = { ...variables };
        values[v.variable.name.value] = valueFromASTUntyped(v.defaultValue);
      }
    }
    const st: State = { keys: [], depth: 1, problems: [], totals: new Map() };
    for (const site of sites) {
      st.keys[0] = site.argument;
      st.depth = 1;
      st.totals.clear();
      site.check(site.value.kind === Kind.VARIABLE ? values[site.value.name.value] : valueFromASTUntyped(site.value, values), st);
      if (full(st)) break;
    }
    if (st.problems.length) {
      const e = badInput(st.problems);
      throw new GraphQLError(e.message, { extensions: { ...e.extensions, http: { status: 400 } } });
    }
  };
}

/** The maxima declared on the input types and arguments of a schema, for documentation and tests. */
export function declaredLimits(schema: GraphQLSchema): Array<{ coordinate: string } & Limits> {
  const out: Array<{ coordinate: string } & Limits> = [];
  const pick = (coordinate: string, e: Limits) => {
    if (e.maxItems !== undefined || e.maxChars !== undefined) out.push({ coordinate, maxItems: e.maxItems, maxItemsInTotal: e.maxItemsInTotal, maxChars: e.maxChars });
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (isInputObjectType(type)) for (const f of Object.values(type.getFields())) pick(`${type.name}.${f.name}`, (f.extensions ?? {}) as Limits);
    else if (isObjectType(type) && !type.name.startsWith('__')) {
      for (const f of Object.values(type.getFields())) for (const a of f.args) pick(`${type.name}.${f.name}(${a.name}:)`, (a.extensions ?? {}) as Limits);
    }
  }
  return out.sort((a, b) => (a.coordinate < b.coordinate ? -1 : 1));
}


type JsonSchema = Record<string, unknown>;

const INT = { type: 'integer', minimum: -2_147_483_648, maximum: 2_147_483_647 };

/**
 * The JSON Schema of what an input type accepts, generated from the type itself: required fields,
 * nullability, defaults, enums by name, and the same maxima the typed input is held to. Scalars
 * other than String, Int, Float and Boolean are refused: their parsing (a date into a Date) would not
 * happen to a JSON value.
 */
export function inputJsonSchema(type: GraphQLInputObjectType): JsonSchema {
  const defs: Record<string, JsonSchema> = {};
  const objectSchema = (t: GraphQLInputObjectType): JsonSchema => {
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const f of Object.values(t.getFields())) {
      const s = fieldSchema(f.type, (f.extensions ?? {}) as Limits, `${t.name}.${f.name}`);
      if (f.defaultValue !== undefined) s.default = f.defaultValue;
      if (f.description) s.description = f.description;
      properties[f.name] = s;
      if (isNonNullType(f.type) && f.defaultValue === undefined) required.push(f.name);
    }
    return { type: 'object', additionalProperties: false, properties, ...(required.length ? { required } : {}), ...(t.description ? { description: t.description } : {}) };
  };
  const ref = (t: GraphQLInputObjectType): JsonSchema => {
    if (!defs[t.name]) {
      defs[t.name] = {}; // before the fields: input types may refer to themselves
      defs[t.name] = objectSchema(t);
    }
    return { $ref: `#/$defs/${t.name}` };
  };
  const fieldSchema = (t: GraphQLInputType, limits: Limits, coordinate: string): JsonSchema => {
    if (isNonNullType(t)) return valueSchema(t.ofType, limits, coordinate);
    const s = valueSchema(t, limits, coordinate);
    if (s.$ref) return { anyOf: [s, { type: 'null' }] };
    if (s.enum) return { ...s, enum: [...(s.enum as unknown[]), null] };
    return { ...s, type: [s.type, 'null'] };
  };
  const valueSchema = (t: GraphQLInputType, limits: Limits, coordinate: string): JsonSchema => {
    if (isNonNullType(t)) return valueSchema(t.ofType, limits, coordinate);
    if (isListType(t)) return { type: 'array', maxItems: limits.maxItems ?? DEFAULT_MAX_ITEMS, items: fieldSchema(t.ofType, limits, coordinate) };
    if (isInputObjectType(t)) return ref(t);
    if (isEnumType(t)) return { enum: t.getValues().map((v) => v.name) };
    if (t.name === 'String') return { type: 'string', maxLength: limits.maxChars ?? DEFAULT_MAX_CHARS };
    if (t.name === 'Int') return { ...INT };
    if (t.name === 'Float') return { type: 'number' };
    if (t.name === 'Boolean') return { type: 'boolean' };
    throw new Error(`${coordinate}: a JSON input cannot carry the scalar ${t.name}`);
  };
  const root = objectSchema(type);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `${SCHEMA_BASE_URL}${jsonInputSchemaFile(type.name)}`,
    title: type.name,
    ...root,
    ...(Object.keys(defs).length ? { $defs: defs } : {}),
  };
}

/** The keys of a JSON Pointer (`/datasets/3/na~1me` → datasets, 3, na/me). */
const pointerKeys = (pointer: string): string[] => pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
const isIndex = (k: string) => /^(0|[1-9][0-9]*)$/.test(k);

/** `.datasets[3].name` from Ajv's `/datasets/3/name`. */
function jsonPath(pointer: string): string {
  return pointerKeys(pointer).map((k) => (isIndex(k) ? `[${k}]` : `.${k}`)).join('');
}

/**
 * The object schema a value at `pointer` is checked against, found by walking the schema along
 * the value's path (Ajv's `schemaPath` is relative to the last `$ref`, so it cannot say).
 */
function schemaOfValue(root: JsonSchema, pointer: string): JsonSchema | undefined {
  const resolve = (s: JsonSchema | undefined): JsonSchema | undefined => {
    if (!s) return s;
    const ref = s.$ref;
    if (typeof ref === 'string' && ref.startsWith('#/$defs/')) return resolve((root.$defs as Record<string, JsonSchema>)[ref.slice(8)]);
    const branches = s.anyOf as JsonSchema[] | undefined;
    return branches ? resolve(branches.find((b) => b.type !== 'null')) : s;
  };
  let at = resolve(root);
  for (const k of pointerKeys(pointer)) at = resolve(at?.items && isIndex(k) ? (at.items as JsonSchema) : (at?.properties as Record<string, JsonSchema> | undefined)?.[k]);
  return at;
}

/** The value at a JSON Pointer of `root`. */
function valueAt(root: unknown, pointer: string): unknown {
  let at = root;
  for (const k of pointerKeys(pointer)) at = (at as Record<string, unknown> | undefined)?.[k];
  return at;
}

const A_TYPE: Record<string, string> = { string: 'a string', integer: 'an integer', number: 'a number', boolean: 'true or false', array: 'a list', object: 'an object', null: 'null' };

/** Ajv's errors in the words of a typed input's: one problem per bad value, relative paths. */
function shapeProblems(errors: ErrorObject[], schema: JsonSchema, value: unknown): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const params = e.params as Record<string, unknown>;
    // `anyOf: [T, null]` reports the value's fault against T, against null, and the anyOf: keep the first.
    if (e.keyword === 'anyOf' || (e.keyword === 'type' && params.type === 'null')) continue;
    let path = jsonPath(e.instancePath);
    let message: string;
    switch (e.keyword) {
      case 'required':
        path += `.${String(params.missingProperty)}`;
        message = 'is required';
        break;
      case 'additionalProperties': {
        const name = String(params.additionalProperty);
        path += `.${name}`;
        const known = Object.keys((schemaOfValue(schema, e.instancePath)?.properties ?? {}) as object);
        message = `is not a field of this input${didYouMean(name, known)}`;
        break;
      }
      case 'type': {
        const types = String(params.type).split(',');
        message = `must be ${types.map((t) => A_TYPE[t] ?? t).join(' or ')}`;
        break;
      }
      case 'enum': {
        const values = ((params.allowedValues ?? []) as unknown[]).filter((v): v is string => typeof v === 'string');
        const sent = valueAt(value, e.instancePath);
        message = `must be one of ${values.join(', ')}${typeof sent === 'string' ? didYouMean(sent, values) : ''}`;
        break;
      }
      case 'minimum':
      case 'maximum':
        message = `must be an integer from ${INT.minimum} to ${INT.maximum}`;
        break;
      case 'maxLength':
        message = `at most ${String(params.limit)} characters (code points)`;
        break;
      case 'maxItems':
        message = `at most ${String(params.limit)} items`;
        break;
      default:
        message = e.message ?? e.keyword;
    }
    if (seen.has(path)) continue;
    seen.add(path);
    out.push({ path, message });
  }
  return out;
}
