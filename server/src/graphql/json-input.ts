import {
  GraphQLError, GraphQLScalarType, Kind, getNamedType, isInputObjectType, isListType, getNullableType, valueFromASTUntyped,
  type GraphQLInputObjectType, type GraphQLInputType, type GraphQLSchema, type ValueNode, type VariableNode,
} from 'graphql';

/** Where the committed JSON Schemas are published: the `$id`s of the files in `schema/`. */
export const SCHEMA_BASE_URL = 'https://kiroku.invalid/schema/';

/** The file in `schema/` holding a JSON input's schema. */
export const jsonInputSchemaFile = (inputType: string) => `${inputType.replace(/Input$/, '').replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}.schema.json`;

function notAnObject(scalar: string, node?: ValueNode): GraphQLError {
  return new GraphQLError(`${scalar} must be a JSON object`, { nodes: node, extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
}

/**
 * A scalar carrying a whole input object (`inputType`) as one JSON value. graphql-js and type-graphql
 * convert a typed input object by object, field by field, and for a push of 1,000 datasets × 10
 * fields that cost more than the push's SQL. A JSON input is checked in one pass instead, before
 * anything runs, against the same maxima and a JSON Schema generated from the same input type (see
 * `inputJsonSchema`), so it accepts what the typed input accepts: lists as arrays (not a single value
 * for a list of one), enums by name. The resolver reads it as the typed input.
 */
export function jsonInputScalar(name: string, inputType: string, description: string): GraphQLScalarType {
  const check = (value: unknown, node?: ValueNode) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw notAnObject(name, node);
    return value;
  };
  return new GraphQLScalarType({
    name,
    description: `${description} Checked against the JSON Schema at its specifiedByURL (\`schema/${jsonInputSchemaFile(inputType)}\`), generated from ${inputType}.`,
    specifiedByURL: `${SCHEMA_BASE_URL}${jsonInputSchemaFile(inputType)}`,
    extensions: { jsonInput: inputType },
    serialize: () => {
      throw new GraphQLError(`${name} is an input type`);
    },
    parseValue: (value) => check(value),
    parseLiteral: (node) => {
      if (node.kind !== Kind.OBJECT) throw notAnObject(name, node);
      // Executors pass a scalar's literal different variables (graphql-jit none, graphql-js coerced
      // ones), and nothing types a variable inside it: a literal holds values only.
      const variable = variableIn(node);
      if (variable) throw new GraphQLError(`${name} written in the document cannot hold variables ($${variable.name.value}); send the whole value as one variable`, { nodes: variable, extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
      return check(valueFromASTUntyped(node), node);
    },
  });
}

/** The first variable anywhere in a literal. */
function variableIn(node: ValueNode): VariableNode | undefined {
  if (node.kind === Kind.VARIABLE) return node;
  const inner = node.kind === Kind.LIST ? node.values : node.kind === Kind.OBJECT ? node.fields.map((f) => f.value) : [];
  for (const v of inner) {
    const found = variableIn(v);
    if (found) return found;
  }
  return undefined;
}

/** The input type a JSON input scalar carries, or undefined for any other scalar. */
export function jsonInputOf(scalar: GraphQLScalarType): string | undefined {
  const of = (scalar.extensions as { jsonInput?: unknown } | undefined)?.jsonInput;
  return typeof of === 'string' ? of : undefined;
}

const defaulted = new WeakMap<GraphQLInputObjectType, boolean>();

/** Whether an input type or one inside it declares a default value (so that a JSON value needs them filled in). */
function hasDefaults(type: GraphQLInputObjectType, seen = new Set<GraphQLInputObjectType>()): boolean {
  let known = defaulted.get(type);
  if (known !== undefined) return known;
  if (seen.has(type)) return false;
  seen.add(type);
  known = Object.values(type.getFields()).some((f) => {
    if (f.defaultValue !== undefined) return true;
    const named = getNamedType(f.type);
    return isInputObjectType(named) && hasDefaults(named, seen);
  });
  defaulted.set(type, known);
  return known;
}

function fill(type: GraphQLInputType, value: unknown): unknown {
  if (value == null) return value;
  const t = getNullableType(type);
  if (isListType(t)) return Array.isArray(value) ? value.map((v) => fill(t.ofType, v)) : value;
  if (!isInputObjectType(t) || !hasDefaults(t)) return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const f of Object.values(t.getFields())) {
    if (out[f.name] === undefined) {
      if (f.defaultValue !== undefined) out[f.name] = f.defaultValue;
    } else out[f.name] = fill(f.type, out[f.name]);
  }
  return out;
}

/**
 * A checked JSON input as its input type's resolver expects it: the input fields' default values
 * filled in where the value leaves them out, as graphql-js does for a typed input. Objects of types
 * without defaults (a push's datasets and fields) are passed through untouched.
 */
export function withInputDefaults<T>(schema: GraphQLSchema, scalar: GraphQLScalarType, value: unknown): T {
  const type = schema.getType(jsonInputOf(scalar) ?? '');
  if (!isInputObjectType(type)) throw new Error(`${scalar.name} carries no input type of this schema`);
  return fill(type, value) as T;
}
