import {
  BREAK, GraphQLError, Kind, Lexer, Source, TokenKind, getNamedType, parse, isListType, isNonNullType, isObjectType, valueFromASTUntyped, visit,
  type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type GraphQLOutputType, type OperationDefinitionNode, type SelectionSetNode,
} from 'graphql';

export interface QueryLimits {
  maxPageSize: number;
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxTokens: number;
  /** Cap on the document (the query text), apart from the body cap; data travels as variables. */
  maxDocumentBytes: number;
  /** Deepest nesting of brackets, braces and parentheses in a document. */
  maxNesting: number;
}

export const DEFAULT_LIMITS: QueryLimits = { maxPageSize: 500, maxDepth: 12, maxAliases: 30, maxCost: 1_000_000, maxTokens: 5000, maxDocumentBytes: 100 * 1024, maxNesting: 64 };

const tooComplex = (message: string, limit: string) =>
  new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX', limit, http: { status: 400 } } });

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
 *
 * Depth and cost of a fragment are computed once and reused wherever it is spread (cost scales
 * linearly with the multiplier it is spread under): fragments spreading fragments would otherwise
 * be walked once per path, exponentially many times for a document of a few hundred bytes.
 */
export function checkLimits(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>, limits: QueryLimits): number {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
  const { aliases, depth } = shapeOf(document, operation, fragments);
  if (aliases > limits.maxAliases) throw tooComplex(`the query uses ${aliases} aliases; at most ${limits.maxAliases} are allowed`, 'ALIASES');
  if (depth > limits.maxDepth) throw tooComplex(`the query is ${depth} levels deep; at most ${limits.maxDepth} are allowed`, 'DEPTH');

  const { lists, connections } = fieldIndex(schema);
  const defaults: Record<string, unknown> = {};
  for (const v of operation.variableDefinitions ?? []) if (v.defaultValue) defaults[v.variable.name.value] = valueFromASTUntyped(v.defaultValue);
  const costMemo = new Map<string, number>();
  /** The cost of a selection set under a multiplier of 1. */
  const cost = (set: SelectionSetNode): number => {
    let total = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const f = fragments[sel.name.value];
        if (f) total += memo(costMemo, f.name.value, () => cost(f.selectionSet));
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        total += cost(sel.selectionSet);
      } else {
        total += 1;
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
        total += size * cost(sel.selectionSet);
      }
    }
    return total;
  };
  const total = cost(operation.selectionSet);
  if (total > limits.maxCost) throw tooComplex(`the query would cost about ${Math.min(total, Number.MAX_SAFE_INTEGER)}; at most ${limits.maxCost} is allowed`, 'COST');
  return total;
}

/**
 * What does not depend on the variables: the aliases in the document and the operation's depth. Kept
 * by the operation's node, which Apollo's document cache hands every request of the same document:
 * walking the document with graphql-js's visitor was 3 % of a subject lookup's CPU.
 */
const shapes = new WeakMap<OperationDefinitionNode, { aliases: number; depth: number }>();

function shapeOf(document: DocumentNode, operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>): { aliases: number; depth: number } {
  const known = shapes.get(operation);
  if (known) return known;
  let aliases = 0;
  visit(document, { Field: (n) => void (n.alias && aliases++) });
  // A fragment met again while it is being measured is a cycle (validation refuses those); it counts 0.
  const depthMemo = new Map<string, number>();
  const depthOf = (set: SelectionSetNode | undefined): number => {
    if (!set) return 0;
    let max = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) max = Math.max(max, sel.selectionSet ? 1 + depthOf(sel.selectionSet) : 1);
      else if (sel.kind === Kind.INLINE_FRAGMENT) max = Math.max(max, depthOf(sel.selectionSet));
      else max = Math.max(max, memo(depthMemo, sel.name.value, () => depthOf(fragments[sel.name.value]?.selectionSet)));
    }
    return max;
  };
  const shape = { aliases, depth: depthOf(operation.selectionSet) };
  shapes.set(operation, shape);
  return shape;
}

function memo(cache: Map<string, number>, key: string, compute: () => number): number {
  const known = cache.get(key);
  if (known !== undefined) return known;
  cache.set(key, 0);
  const value = compute();
  cache.set(key, value);
  return value;
}

/** Most fragment definitions a document may have, and most fields of one response name in one selection set. */
const MAX_FRAGMENTS = 50;
const MAX_SAME_RESPONSE_NAME = 20;

/**
 * graphql-js's OverlappingFieldsCanBeMerged rule compares fields of one response name pairwise,
 * and fragments pairwise: 1,200 copies of one field (within the token limit) take about a second
 * to validate. Refused before validation, in one pass over the parsed document.
 */
function checkShape(document: DocumentNode): GraphQLError | null {
  let fragments = 0;
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments++;
  if (fragments > MAX_FRAGMENTS) return tooComplex(`the document defines ${fragments} fragments; at most ${MAX_FRAGMENTS} are allowed`, 'FRAGMENTS');
  let found: GraphQLError | null = null;
  // Inline fragments merge into the selection set around them, so their fields count there.
  const count = (set: SelectionSetNode, names: Map<string, number>) => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.INLINE_FRAGMENT) count(sel.selectionSet, names);
      else if (sel.kind === Kind.FIELD) {
        const name = (sel.alias ?? sel.name).value;
        const n = (names.get(name) ?? 0) + 1;
        names.set(name, n);
        if (n > MAX_SAME_RESPONSE_NAME && !found) found = tooComplex(`"${name}" is selected ${n} times in one selection set; at most ${MAX_SAME_RESPONSE_NAME} are allowed`, 'DUPLICATE_FIELDS');
      }
    }
  };
  visit(document, {
    SelectionSet(node, _key, parent) {
      if (found) return BREAK;
      // An inline fragment's set was counted with the set around it.
      if (parent && 'kind' in parent && parent.kind === Kind.INLINE_FRAGMENT) return;
      count(node, new Map());
    },
  });
  return found;
}

/** Sources already found within a set of limits: the hot path's documents repeat. */
const accepted = new WeakMap<object, { sources: Set<string>; chars: number }>();
const ACCEPTED_SOURCES_MAX = 1000;
const ACCEPTED_CHARS_MAX = 4 * 1024 * 1024;

/**
 * Checked on the source before anything parses it: graphql-js parses and validates recursively, so
 * a deeply nested list or object literal (a few kilobytes of `[`) overflows the stack there. One
 * pass of the lexer counts the nesting of brackets, braces and parentheses instead. Returns the
 * refusal, or null.
 */
export function checkSource(source: string, limits: Pick<QueryLimits, 'maxDocumentBytes' | 'maxNesting' | 'maxTokens'>): GraphQLError | null {
  let cache = accepted.get(limits);
  if (!cache) accepted.set(limits, (cache = { sources: new Set(), chars: 0 }));
  if (cache.sources.has(source)) return null;
  // Cheap bound first: UTF-8 takes at most 3 bytes per UTF-16 unit.
  if (source.length * 3 > limits.maxDocumentBytes && Buffer.byteLength(source) > limits.maxDocumentBytes) {
    return tooComplex(`the document is over ${limits.maxDocumentBytes} bytes; send large inputs as variables`, 'DOCUMENT_SIZE');
  }
  const lexer = new Lexer(new Source(source));
  let nesting = 0;
  try {
    for (let t = lexer.advance(); t.kind !== TokenKind.EOF; t = lexer.advance()) {
      if (t.kind === TokenKind.BRACE_L || t.kind === TokenKind.BRACKET_L || t.kind === TokenKind.PAREN_L) {
        if (++nesting > limits.maxNesting) return tooComplex(`the document nests more than ${limits.maxNesting} levels of brackets`, 'NESTING');
      } else if (t.kind === TokenKind.BRACE_R || t.kind === TokenKind.BRACKET_R || t.kind === TokenKind.PAREN_R) {
        nesting--;
      }
    }
  } catch {
    // A syntax error is the parser's to report, with its usual code.
    return null;
  }
  let document: DocumentNode;
  try {
    document = parse(source, { maxTokens: limits.maxTokens });
  } catch {
    return null;
  }
  const shape = checkShape(document);
  if (shape) return shape;
  if (cache.sources.size >= ACCEPTED_SOURCES_MAX || cache.chars + source.length > ACCEPTED_CHARS_MAX) {
    cache.sources.clear();
    cache.chars = 0;
  }
  cache.sources.add(source);
  cache.chars += source.length;
  return null;
}
