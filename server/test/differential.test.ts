import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import {
  getNamedType, isEnumType, isInputObjectType, isLeafType, isListType, isNonNullType, isObjectType, parse, typeFromAST, validate,
  type GraphQLField, type GraphQLInputType, type GraphQLObjectType, type GraphQLSchema, type OperationDefinitionNode,
} from 'graphql';
import { buildKirokuSchema } from '../src/graphql/schema.js';
import { startTestServer, type TestServer } from './helpers.js';

// run-tests: own process: the longest server suite; alone it keeps the shared groups even.

/**
 * The same operations through graphql-jit (what production runs) and through graphql-js (the
 * reference implementation), each server over its own copy of the same seeded database: the data,
 * error codes and HTTP statuses must be identical. The corpus: every GraphQL document the test
 * suites send, and one generated from the schema — each root field with its arguments omitted
 * where they have defaults, all given, explicitly null, a single value where a list is expected,
 * inline and as variables. Mutations run in the same order on both, so both databases stay equal.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

let jit: TestServer;
let js: TestServer;
let schema: GraphQLSchema;

before(async () => {
  // Both are kept as they come: when one fails to start, after() still closes the other, whose
  // listening socket would otherwise keep the file running until the runner's timeout.
  await Promise.all([
    startTestServer({ seed: 'demo' }).then((s) => (jit = s)),
    startTestServer({ seed: 'demo', execution: 'graphql-js' }).then((s) => (js = s)),
  ]);
  schema = (await buildKirokuSchema(jit.orm.getMetadata())).schema;
});
after(async () => {
  await jit?.close();
  await js?.close();
});

interface Operation {
  label: string;
  query: string;
  variables?: Record<string, unknown>;
}

type Mode = 'required' | 'full' | 'nulls' | 'single';

/** A plausible value of an input type; `mode` decides which optional parts are given and how. */
function sample(type: GraphQLInputType, mode: Mode, depth = 0): unknown {
  if (isNonNullType(type)) return sample(type.ofType, mode === 'nulls' ? 'full' : mode, depth);
  if (mode === 'nulls' && depth > 0) return null;
  if (isListType(type)) {
    const item = sample(type.ofType, mode, depth + 1);
    return mode === 'single' ? item : [item];
  }
  if (isEnumType(type)) return type.getValues()[0].name;
  if (isInputObjectType(type)) {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(type.getFields())) {
      const required = isNonNullType(f.type) && f.defaultValue === undefined;
      if (required || (mode !== 'required' && depth < 3)) {
        out[f.name] = mode === 'full' && f.defaultValue !== undefined ? f.defaultValue : sample(f.type, mode, depth + 1);
      }
    }
    return out;
  }
  switch (getNamedType(type).name) {
    case 'ID': return '1';
    case 'Int': return 2;
    case 'Float': return 1.5;
    case 'Boolean': return true;
    case 'LocalDate': return '2024-04-01';
    case 'DateTime':
    case 'DateTimeISO': return '2024-04-01T00:00:00.000Z';
    case 'JSON': return { note: 'x' };
    default: return 'x';
  }
}

/** A GraphQL literal of a value of a given input type (enums bare, JSON as an object literal). */
function literal(value: unknown, type: GraphQLInputType): string {
  if (value === null) return 'null';
  if (isNonNullType(type)) return literal(value, type.ofType);
  if (isListType(type)) return Array.isArray(value) ? `[${value.map((v) => literal(v, type.ofType)).join(', ')}]` : literal(value, type.ofType);
  if (isEnumType(type)) return String(value);
  if (isInputObjectType(type)) {
    const fields = type.getFields();
    return `{ ${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}: ${literal(v, fields[k].type)}`).join(', ')} }`;
  }
  return untyped(value);
}

function untyped(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(untyped).join(', ')}]`;
  if (value && typeof value === 'object') return `{ ${Object.entries(value).map(([k, v]) => `${k}: ${untyped(v)}`).join(', ')} }`;
  return JSON.stringify(value);
}

/** Leaves of an object type, and its objects a few levels down (connections reach their nodes). */
function selection(type: GraphQLObjectType, depth: number): string {
  const parts: string[] = [];
  for (const f of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
    if (f.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue;
    const named = getNamedType(f.type);
    if (isLeafType(named)) parts.push(f.name);
    else if (depth > 0 && isObjectType(named)) parts.push(`${f.name} { ${selection(named, f.name === 'edges' || f.name === 'node' ? depth : depth - 1)} }`);
  }
  return parts.length ? parts.join(' ') : '__typename';
}

function generated(root: GraphQLObjectType, kind: 'query' | 'mutation'): Operation[] {
  const ops: Operation[] = [];
  for (const field of Object.values(root.getFields())) {
    const named = getNamedType(field.type);
    const sel = isObjectType(named) ? ` { ${selection(named, 1)} }` : '';
    for (const mode of ['required', 'full', 'nulls', 'single'] as Mode[]) {
      const given = field.args.filter((a) => mode !== 'required' || (isNonNullType(a.type) && a.defaultValue === undefined));
      const values = Object.fromEntries(given.map((a) => [a.name, mode === 'full' && a.defaultValue !== undefined ? a.defaultValue : sample(a.type, mode)]));
      const args = given.length ? `(${given.map((a) => `${a.name}: $${a.name}`).join(', ')})` : '';
      const defs = given.length ? `(${given.map((a) => `$${a.name}: ${String(a.type)}`).join(', ')})` : '';
      ops.push({ label: `${field.name} ${mode} as variables`, query: `${kind}${defs} { ${field.name}${args}${sel} }`, variables: values });
      if (mode === 'required' || mode === 'full' || mode === 'single') {
        const inline = given.length ? `(${given.map((a) => `${a.name}: ${literal(values[a.name], a.type)}`).join(', ')})` : '';
        ops.push({ label: `${field.name} ${mode} inline`, query: `${kind} { ${field.name}${inline}${sel} }` });
      }
    }
  }
  return ops;
}

/** String literals of the suites' sources that are GraphQL documents valid against the schema. */
async function fromSuites(): Promise<Operation[]> {
  const files: string[] = [];
  for (const dir of ['server/test', 'e2e']) {
    for (const f of await fs.readdir(path.join(repoRoot, dir))) if (f.endsWith('.ts')) files.push(path.join(repoRoot, dir, f));
  }
  const seen = new Set<string>();
  const ops: Operation[] = [];
  for (const file of files) {
    const text = await fs.readFile(file, 'utf8');
    for (const m of text.matchAll(/(['`])((?:query|mutation|\{)[^'`]*?)\1/g)) {
      const query = m[2];
      if (m[1] === '`' && query.includes('${')) continue;
      if (seen.has(query)) continue;
      let doc;
      try {
        doc = parse(query);
      } catch {
        continue;
      }
      if (validate(schema, doc).length) continue;
      seen.add(query);
      const operations = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
      for (const op of operations) {
        const variables: Record<string, unknown> = {};
        for (const v of op.variableDefinitions ?? []) variables[v.variable.name.value] = sample(typeFromAST(schema, v.type as never) as GraphQLInputType, 'full');
        ops.push({ label: `${path.basename(file)}: ${op.name?.value ?? query.slice(0, 60)}`, query, variables: { ...variables } });
        if (operations.length > 1) break;
      }
    }
  }
  return ops;
}

async function send(s: TestServer, op: Operation) {
  const res = await fetch(`${s.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await adminToken(s)}` },
    body: JSON.stringify({ query: op.query, variables: op.variables }),
  });
  const body = (await res.json()) as { data?: unknown; errors?: Array<{ path?: unknown[]; extensions?: { code?: string } }> };
  return {
    status: res.status,
    data: normalize(body.data),
    errors: (body.errors ?? []).map((e) => `${e.extensions?.code} ${JSON.stringify(e.path ?? null)}`).sort(),
  };
}

const tokens = new WeakMap<TestServer, string>();
async function adminToken(s: TestServer): Promise<string> {
  let t = tokens.get(s);
  if (!t) {
    const { token } = await import('./helpers.js');
    const { Role } = await import('../src/auth/roles.js');
    tokens.set(s, (t = await token(Role.PRIVACY_ADMIN, { sub: 'differential' })));
  }
  return t;
}

const INSTANT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})/g;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
// Audit-chain hashes cover event times; digests differ between two databases for that reason alone.
const DIGEST = /\b[0-9a-f]{64}\b/g;

/** What differs between two identical runs anyway: clocks, request ids, zip timestamps, chain hashes. */
function normalize(v: unknown): unknown {
  if (typeof v === 'string') return v.startsWith('UEsDB') ? '<zip>' : v.replace(INSTANT, '<instant>').replace(UUID, '<uuid>').replace(DIGEST, '<digest>');
  if (Array.isArray(v)) {
    // Lists are compared as sets: rows ordered by a time (notice changes, audit events) come in a
    // different order from two databases seeded a moment apart, and neither engine reorders lists.
    return v.map(normalize).sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
  }
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => {
      // Reads of personal data write access events, in the order the two servers happened to
      // serve them: a page of the trail holds different events, its size does not.
      if (k === 'auditEvents' && x && typeof x === 'object' && Array.isArray((x as { edges?: unknown[] }).edges)) {
        return [k, { ...(x as object), edges: (x as { edges: unknown[] }).edges.length }];
      }
      return [k, normalize(x)];
    }));
  }
  return v;
}

function firstDifference(a: unknown, b: unknown, path: string): { path: string; a: unknown; b: unknown } {
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const x = (a as Record<string, unknown>)[k];
      const y = (b as Record<string, unknown>)[k];
      if (JSON.stringify(x) !== JSON.stringify(y)) return firstDifference(x, y, `${path}.${k}`);
    }
  }
  return { path, a, b };
}

async function compare(ops: Operation[]): Promise<string[]> {
  const differences: string[] = [];
  for (const op of ops) {
    // Each server has its own database: sending to both at once changes neither's order.
    const [a, b] = await Promise.all([send(jit, op), send(js, op)]);
    try {
      assert.deepEqual(a, b);
    } catch {
      const at = firstDifference(a, b, '');
      differences.push(`${op.label}: ${op.query} ${JSON.stringify(op.variables) ?? ''}\n  at ${at.path}: graphql-jit ${JSON.stringify(at.a)?.slice(0, 200)} ${JSON.stringify(a.errors)}; graphql-js ${JSON.stringify(at.b)?.slice(0, 200)} ${JSON.stringify(b.errors)}`);
    }
  }
  return differences;
}

test('graphql-jit and graphql-js answer the suites\' operations and a schema-generated corpus identically', async () => {
  const suites = await fromSuites();
  // A query sent twice answers twice the same; a field without arguments generates the same
  // document in every mode. Mutations are kept as generated: a second send meets the first's effect.
  const seen = new Set<string>();
  const queries = [...generated(schema.getQueryType()!, 'query'), ...suites.filter((o) => !o.query.trimStart().startsWith('mutation'))]
    .filter((o) => !seen.has(`${o.query} ${JSON.stringify(o.variables ?? null)}`) && !!seen.add(`${o.query} ${JSON.stringify(o.variables ?? null)}`));
  const mutations = [...generated(schema.getMutationType()!, 'mutation'), ...suites.filter((o) => o.query.trimStart().startsWith('mutation'))];
  assert.ok(suites.length > 30, `only ${suites.length} operations found in the suites`);

  // The corpus must reach past coercion: some operations succeed, some are refused as bad input.
  const differences = [...(await compare(queries)), ...(await compare(mutations)), ...(await compare(queries.slice(0, 60)))];
  assert.deepEqual(differences, [], `${differences.length} of ${2 * queries.length + mutations.length} operations differ:\n${differences.slice(0, 8).join('\n')}`);
});

test('the corpus exercises what it claims: omitted input-field defaults succeed, bad input is refused the same way', async () => {
  const q = { label: 'omitted default', query: 'query($f: ProcessingActivityFilter) { processingActivities(filter: $f) { totalCount } }', variables: { f: { search: 'x' } } };
  const single = { label: 'single value as a list', query: 'query($f: ProcessingActivityFilter) { processingActivities(filter: $f) { totalCount } }', variables: { f: { countries: 'JP' } } };
  const bad = { label: 'bad enum', query: 'query($f: ProcessingActivityFilter) { processingActivities(filter: $f) { totalCount } }', variables: { f: { status: 'NOPE' } } };
  const [a, b, c] = [await send(jit, q), await send(jit, single), await send(jit, bad)];
  assert.equal(a.status, 200);
  assert.deepEqual(a.errors, []);
  assert.deepEqual(b.errors, []);
  assert.deepEqual(c.errors, ['BAD_USER_INPUT null']);
  assert.equal(c.status, 400);
  assert.deepEqual(await compare([q, single, bad]), []);
});
