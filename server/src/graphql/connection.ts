import { GraphQLError, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { Field, Int, ObjectType } from 'type-graphql';
import type { Context } from './context.js';
import type { Row } from './loaders.js';

@ObjectType({ simpleResolvers: true, description: 'Relay page information.' })
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field() hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

export interface ConnectionShape {
  edges: Array<{ node: Row; cursor: string }>;
  pageInfo: PageInfo;
  totalCount?: number;
}

/** A Relay connection type for a node type: `edges { node cursor }`, `pageInfo`, `totalCount`. */
export function connectionType(name: string, node: Function): Function {
  @ObjectType(`${name}Edge`, { simpleResolvers: true })
  class Edge {
    @Field(() => node) node!: Row;
    @Field({ description: 'Opaque cursor; pass it as `after`.' }) cursor!: string;
  }
  @ObjectType(`${name}Connection`, { simpleResolvers: true })
  class Connection {
    @Field(() => [Edge]) edges!: Edge[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
    @Field(() => Int, { description: 'Matching records in all pages (computed only when asked for).' }) totalCount!: number;
  }
  return Connection;
}

const encode = (id: number) => Buffer.from(`c:${id}`).toString('base64url');
function decode(cursor: string): number {
  const m = /^c:([0-9]{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m || Number(m[1]) > Number.MAX_SAFE_INTEGER) throw new GraphQLError('after is not a cursor of this list', { extensions: { code: 'BAD_USER_INPUT', field: 'after' } });
  return Number(m[1]);
}

/** Whether the current field's selection asks for `name` (fragments included). */
export function selects(info: GraphQLResolveInfo, name: string): boolean {
  return selectsPath(info, [name]);
}

/** Whether the current field's selection reaches `path` (e.g. datasets → fields), fragments included. */
export function selectsPath(info: GraphQLResolveInfo, path: string[]): boolean {
  return selectedFieldsAt(info, path) !== null;
}

/**
 * Names of the fields selected at `path` below the current field (e.g. datasets → dataset),
 * fragments included; null when the selection does not reach it.
 */
export function selectedFieldsAt(info: GraphQLResolveInfo, path: readonly string[]): ReadonlySet<string> | null {
  const names = new Set<string>();
  let reached = false;
  const visit = (set: SelectionSetNode | undefined, at: number, depth: number) => {
    if (!set || depth > 10) return;
    for (const sel of set.selections) {
      if (sel.kind === 'Field') {
        if (at === path.length) names.add(sel.name.value);
        else if (sel.name.value === path[at]) {
          if (at === path.length - 1) reached = true;
          visit(sel.selectionSet, at + 1, depth + 1);
        }
      } else if (sel.kind === 'InlineFragment') visit(sel.selectionSet, at, depth + 1);
      else visit(info.fragments[sel.name.value]?.selectionSet, at, depth + 1);
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet, 0, 0);
  return reached ? names : null;
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/**
 * Keyset pagination by id over `where` (SQL conditions on alias `t`): one statement for the page,
 * one more only when totalCount is selected.
 */
export async function paginate(
  ctx: Context,
  info: GraphQLResolveInfo,
  entityName: string,
  where: string[],
  params: unknown[],
  args: PageArgs,
  maxPageSize: number,
  direction: 'asc' | 'desc' = 'asc',
): Promise<ConnectionShape> {
  const first = args.first ?? 50;
  if (!Number.isInteger(first) || first < 0 || first > maxPageSize) {
    throw new GraphQLError(`first must be between 0 and ${maxPageSize}`, { extensions: { code: 'BAD_USER_INPUT', field: 'first' } });
  }
  const model = ctx.loaders.model;
  const conds = [...where];
  const pageParams = [...params];
  if (args.after) {
    conds.push(direction === 'asc' ? 't."id" > ?::bigint' : 't."id" < ?::bigint');
    pageParams.push(decode(args.after));
  }
  const whereSql = conds.length ? `where ${conds.join(' and ')}` : '';
  const rows = await ctx.loaders.prepared(`select ${model.select(entityName)} from ${model.table(entityName)} t ${whereSql} order by t."id" ${direction} limit ?::int`, [...pageParams, first + 1]);
  const hasNextPage = rows.length > first;
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({ node, cursor: encode(Number(node.id)) }));
  const result: ConnectionShape = {
    edges,
    pageInfo: { hasNextPage, hasPreviousPage: !!args.after, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
  };
  if (selects(info, 'totalCount')) {
    const baseWhere = where.length ? `where ${where.join(' and ')}` : '';
    const [{ n }] = await ctx.loaders.query<{ n: string }>(`select count(*) as n from ${model.table(entityName)} t ${baseWhere}`, params);
    result.totalCount = Number(n);
  }
  return result;
}

/** `%`/`_` in user text are literal in a search. */
export function likePattern(s: string): string {
  return `%${s.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
}
