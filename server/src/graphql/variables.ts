import {
  BREAK, GraphQLError, Kind, coerceInputValue, isEnumType, isInputType, isNonNullType, typeFromAST, valueFromAST, visit,
  type ASTNode, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode,
} from 'graphql';

export type CoercedVariables = { coerced: Record<string, unknown>; errors?: undefined } | { coerced?: undefined; errors: GraphQLError[] };

/** `f.datasets[2].name`: where in the variables a value is. */
function printPath(name: string, path: ReadonlyArray<string | number>): string {
  return name + path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('');
}

function badVariable(message: string, field: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field, http: { status: 400 } } });
}

/**
 * Variables coerced as the GraphQL specification says (graphql-js's own coercion: input-field
 * defaults filled in, null kept apart from absent, a single value taken as a one-item list), for an
 * executor that does not do it right itself. Same rules and messages as graphql-js's
 * `getVariableValues`; each error also names the value at fault in `extensions.field`.
 */
export function coerceVariables(schema: GraphQLSchema, operation: OperationDefinitionNode, inputs: Record<string, unknown>): CoercedVariables {
  const coerced: Record<string, unknown> = {};
  const errors: GraphQLError[] = [];
  for (const def of operation.variableDefinitions ?? []) {
    const name = def.variable.name.value;
    const type = typeFromAST(schema, def.type);
    // Validation has refused unknown and output types already.
    if (!type || !isInputType(type)) continue;
    if (!Object.prototype.hasOwnProperty.call(inputs, name) || inputs[name] === undefined) {
      if (def.defaultValue) coerced[name] = valueFromAST(def.defaultValue, type);
      else if (isNonNullType(type)) errors.push(badVariable(`Variable "$${name}" of required type "${String(type)}" was not provided.`, name));
      continue;
    }
    const value = inputs[name];
    if (value === null && isNonNullType(type)) {
      errors.push(badVariable(`Variable "$${name}" of non-null type "${String(type)}" must not be null.`, name));
      continue;
    }
    coerced[name] = coerceInputValue(value, type, (path, invalid, error) => {
      const at = path.length > 0 ? ` at "${printPath(name, path)}"` : '';
      errors.push(badVariable(`Variable "$${name}" got invalid value ${safeJson(invalid)}${at}; ${error.message}`, printPath(name, path)));
    });
  }
  return errors.length ? { errors } : { coerced };
}

function safeJson(v: unknown): string {
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 200 ? `${s.slice(0, 200)}…` : s;
  } catch {
    return String(v);
  }
}

/**
 * NUL cannot be stored in PostgreSQL text, and a lone UTF-16 surrogate would be written as U+FFFD
 * (silently changing what the client sent): both are refused as bad input. JSON variables can hold
 * either; a document only NUL (the lexer refuses lone surrogates).
 */
const UNSTORABLE = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function unstorable(field: string): GraphQLError {
  return badVariable(`${field}: text must not contain NUL characters or unpaired surrogates`, field);
}

/** Whether a value holds, anywhere, text that cannot be stored as sent (without building paths: a push has 50,000 values). */
function holdsUnstorable(value: unknown): boolean {
  if (typeof value === 'string') return UNSTORABLE.test(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (holdsUnstorable(value[i])) return true;
  } else if (value && typeof value === 'object') {
    for (const k of Object.keys(value)) if (UNSTORABLE.test(k) || holdsUnstorable((value as Record<string, unknown>)[k])) return true;
  }
  return false;
}

/** Where in `value` (named `path`) the first such text is. */
function unstorableAt(value: unknown, path: string): string | null {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (holdsUnstorable(value[i])) return unstorableAt(value[i], `${path}[${i}]`);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (UNSTORABLE.test(k)) return `${path}.${k}`;
      if (holdsUnstorable(v)) return unstorableAt(v, `${path}.${k}`);
    }
  }
  return null;
}

/** The first variable value (or object key) holding text that cannot be stored as sent. */
export function checkVariableText(operation: OperationDefinitionNode, inputs: Record<string, unknown>): GraphQLError | null {
  for (const def of operation.variableDefinitions ?? []) {
    const name = def.variable.name.value;
    if (!holdsUnstorable(inputs[name])) continue;
    const bad = unstorableAt(inputs[name], name);
    if (bad) return unstorable(bad);
  }
  return null;
}

const literalChecks = new WeakMap<DocumentNode, GraphQLError | null>();

/** The same for string literals of a document (checked once per parsed document). */
export function checkLiteralText(document: DocumentNode): GraphQLError | null {
  let found = literalChecks.get(document);
  if (found !== undefined) return found;
  found = null;
  visit(document, {
    StringValue(node, _key, parent, _path, ancestors) {
      if (found || !UNSTORABLE.test(node.value)) return;
      const names = [...ancestors, parent ?? []].flatMap((a) => ('kind' in a && (a.kind === Kind.ARGUMENT || a.kind === Kind.OBJECT_FIELD) ? [a.name.value] : []));
      found = unstorable(names.join('.') || 'value');
      return BREAK;
    },
  });
  literalChecks.set(document, found);
  return found;
}

/**
 * A scalar refusing a literal is reported by validation, which knows the value's node but not
 * where it sits: name it (`input.text.en`) as variables' errors do. Runs on refused documents only.
 */
export function nameLiteralFields(document: DocumentNode, errors: readonly GraphQLError[]): void {
  const wanted = new Map<ASTNode, GraphQLError>();
  for (const e of errors) {
    const cause = e.originalError;
    if (cause instanceof GraphQLError && cause.extensions.code === 'BAD_USER_INPUT' && e.nodes?.length === 1 && e.extensions.field === undefined) wanted.set(e.nodes[0], e);
  }
  if (!wanted.size) return;
  visit(document, {
    enter(node, _key, parent, _path, ancestors) {
      const error = wanted.get(node);
      if (!error) return;
      const names = [...ancestors, parent ?? []].flatMap((a) => ('kind' in a && (a.kind === Kind.ARGUMENT || a.kind === Kind.OBJECT_FIELD) ? [a.name.value] : []));
      if ('kind' in node && node.kind === Kind.ARGUMENT) names.push(node.name.value);
      (error.extensions as Record<string, unknown>).field = names.join('.');
    },
  });
}

/**
 * graphql-jit coerces again what `coerceVariables` produced, so a coerced value must read back as
 * itself: an enum whose internal value differs from its name would not. Checked once at startup.
 */
export function assertRecoercible(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isEnumType(type) || type.name.startsWith('__')) continue;
    for (const v of type.getValues()) {
      if (v.value !== v.name) throw new Error(`enum ${type.name}.${v.name} has the internal value ${String(v.value)}; compiled execution needs enum values equal to their names`);
    }
  }
}
