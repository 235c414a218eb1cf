import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { DateTimeResolver, GraphQLDateTimeISO, LocalDateResolver } from 'graphql-scalars';

/**
 * Years a date we record can fall in: anything outside is a typo or an attack on date arithmetic
 * (PostgreSQL and JavaScript disagree far from the present), never a contract or audit date.
 */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2200;

/** A value the client sent that the scalar refuses: the caller's fault, whatever executes it. */
function invalid(message: string, node?: ValueNode): GraphQLError {
  return new GraphQLError(message, { nodes: node, extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
}

/** graphql-scalars refuses with plain errors (masked as internal ones); ours are BAD_USER_INPUT. */
function rethrow(e: unknown, node?: ValueNode): never {
  throw invalid(e instanceof Error ? e.message : String(e), node);
}

function checkYear(year: number, shown: string, scalar: string, node?: ValueNode): void {
  if (!(year >= MIN_YEAR && year <= MAX_YEAR)) throw invalid(`${scalar} ${shown} is outside ${MIN_YEAR}–${MAX_YEAR}`, node);
}

function localDate(value: unknown, node?: ValueNode): string {
  let parsed: string;
  try {
    parsed = LocalDateResolver.parseValue(value) as string;
  } catch (e) {
    rethrow(e, node);
  }
  checkYear(Number(parsed.slice(0, 4)), parsed, 'LocalDate', node);
  return parsed;
}

/** A calendar date, `YYYY-MM-DD` (contract dates, audit dates, notification dates). */
export const LocalDate = new GraphQLScalarType({
  ...LocalDateResolver.toConfig(),
  parseValue: (value) => localDate(value),
  parseLiteral(node) {
    if (node.kind !== Kind.STRING) throw invalid(`LocalDate must be a string like 2024-04-01, got ${node.kind}`, node);
    return localDate(node.value, node);
  },
});

function dateTime(base: GraphQLScalarType): GraphQLScalarType {
  const config = base.toConfig();
  const check = (value: unknown, node?: ValueNode): Date => {
    let parsed: Date;
    try {
      parsed = (node ? base.parseLiteral(node, undefined) : base.parseValue(value)) as Date;
    } catch (e) {
      rethrow(e, node);
    }
    if (!(parsed instanceof Date) || Number.isNaN(parsed.getTime())) throw invalid(`${base.name} cannot represent ${JSON.stringify(value) ?? String(value)}`, node);
    checkYear(parsed.getUTCFullYear(), JSON.stringify(value) ?? String(value), base.name, node);
    return parsed;
  };
  return new GraphQLScalarType({
    ...config,
    parseValue: (value) => check(value),
    parseLiteral: (node) => check(node.kind === Kind.STRING ? node.value : node.kind, node),
  });
}

/** Instants (`createdAt`, filters' `from`/`to`), as type-graphql maps `Date`. */
export const DateTimeISO = dateTime(GraphQLDateTimeISO);

/** Instants taken as `DateTime` (the notice diff's `since`). */
export const DateTime = dateTime(DateTimeResolver);
