import {
  GraphQLError, Kind, getNamedType, isListType, isNonNullType, isObjectType, valueFromASTUntyped, visit,
  type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type GraphQLOutputType, type OperationDefinitionNode, type SelectionSetNode,
} from 'graphql';

export interface QueryLimits {
  maxPageSize: number;
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxTokens: number;
}

export const DEFAULT_LIMITS: QueryLimits = { maxPageSize: 500, maxDepth: 12, maxAliases: 30, maxCost: 1_000_000, maxTokens: 5000 };

const tooComplex = (message: string, limit: string) =>
  new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX', limit, http: { status: 400 } } });

function depthOf(set: SelectionSetNode | undefined, fragments: Record<string, FragmentDefinitionNode>, seen: Set<string>): number {
  if (!set) return 0;
  let max = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) max = Math.max(max, sel.selectionSet ? 1 + depthOf(sel.selectionSet, fragments, seen) : 1);
    else if (sel.kind === Kind.INLINE_FRAGMENT) max = Math.max(max, depthOf(sel.selectionSet, fragments, seen));
    else if (!seen.has(sel.name.value)) {
      seen.add(sel.name.value);
      max = Math.max(max, depthOf(fragments[sel.name.value]?.selectionSet, fragments, new Set(seen)));
    }
  }
  return max;
}

function isList(t: GraphQLOutputType): boolean {
  return isListType(isNonNullType(t) ? t.ofType : t);
}

interface FieldIndex {
  /** Field names that return lists (names are used consistently across our types). */
  lists: Set<string>;
  /** Field names that return connections (they page with `first`, 50 when absent). */
  connections: Set<string>;
}

const indexCache = new WeakMap<GraphQLSchema, FieldIndex>();

function fieldIndex(schema: GraphQLSchema): FieldIndex {
  let index = indexCache.get(schema);
  if (!index) {
    index = { lists: new Set(), connections: new Set() };
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || !isObjectType(type)) continue;
      for (const f of Object.values(type.getFields())) {
        if (isList(f.type)) index.lists.add(f.name);
        if (getNamedType(f.type).name.endsWith('Connection')) index.connections.add(f.name);
      }
    }
    indexCache.set(schema, index);
  }
  return index;
}

/**
 * Rejects an operation before it runs when it is deeper, has more aliases or would cost more than
 * allowed. Cost: every field counts 1, times the size of each list it sits in (a connection's
 * `first`, 50 by default; a plain list counts 10). Returns the estimate (admission control
 * weighs large reads by it).
 */
export function checkLimits(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>, limits: QueryLimits): number {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  let aliases = 0;
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
  visit(document, { Field: (n) => void (n.alias && aliases++) });
  if (aliases > limits.maxAliases) throw tooComplex(`the query uses ${aliases} aliases; at most ${limits.maxAliases} are allowed`, 'ALIASES');
  const depth = depthOf(operation.selectionSet, fragments, new Set());
  if (depth > limits.maxDepth) throw tooComplex(`the query is ${depth} levels deep; at most ${limits.maxDepth} are allowed`, 'DEPTH');

  const { lists, connections } = fieldIndex(schema);
  const defaults: Record<string, unknown> = {};
  for (const v of operation.variableDefinitions ?? []) if (v.defaultValue) defaults[v.variable.name.value] = valueFromASTUntyped(v.defaultValue);
  const cost = (set: SelectionSetNode, multiplier: number, seen: Set<string>): number => {
    let total = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const f = fragments[sel.name.value];
        if (f && !seen.has(f.name.value)) total += cost(f.selectionSet, multiplier, new Set([...seen, f.name.value]));
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        total += cost(sel.selectionSet, multiplier, seen);
      } else {
        total += multiplier;
        if (!sel.selectionSet) continue;
        let size = 1;
        const firstArg = sel.arguments?.find((a) => a.name.value === 'first');
        if (firstArg) {
          const raw = firstArg.value.kind === Kind.INT ? Number(firstArg.value.value)
            : firstArg.value.kind === Kind.VARIABLE ? Number(variables[firstArg.value.name.value] ?? defaults[firstArg.value.name.value] ?? 50) : 50;
          size = Number.isFinite(raw) && raw > 0 ? Math.min(raw, limits.maxPageSize) : 1;
        } else if (connections.has(sel.name.value)) {
          size = 50;
        } else if (sel.name.value !== 'edges' && lists.has(sel.name.value)) {
          size = 10;
        }
        total += cost(sel.selectionSet, multiplier * size, seen);
        if (total > limits.maxCost) return total;
      }
    }
    return total;
  };
  const total = cost(operation.selectionSet, 1, new Set());
  if (total > limits.maxCost) throw tooComplex(`the query would cost about ${total}; at most ${limits.maxCost} is allowed`, 'COST');
  return total;
}
