import { GraphQLError } from 'graphql';

export type ErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'BAD_USER_INPUT' | 'NOT_FOUND' | 'CONFLICT';

/** One bad field of an input: its path from the argument root (e.g. `input.country`). */
export interface Problem {
  path: string;
  message: string;
  /** For a value over a maximum: that maximum (items or characters). */
  limit?: number;
}

/** An error lists at most this many problems, and how many there were: it stays small whatever was sent. */
export const MAX_REPORTED_PROBLEMS = 100;

export function badInput(problems: Problem[]): GraphQLError {
  const first = problems[0];
  const more = problems.length > MAX_REPORTED_PROBLEMS ? { problemCount: problems.length } : {};
  return new GraphQLError(
    problems.length === 1 ? `${first.path}: ${first.message}` : `${problems.length} invalid fields (first: ${first.path}: ${first.message})`,
    { extensions: { code: 'BAD_USER_INPUT', field: first.path, problems: problems.slice(0, MAX_REPORTED_PROBLEMS), ...more } },
  );
}

export function notFound(type: string, id: string | number, path = 'input.id'): GraphQLError {
  return new GraphQLError(`${type} ${id} does not exist`, { extensions: { code: 'NOT_FOUND', field: path } });
}

export function conflict(message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'CONFLICT', ...extra } });
}

/** Ids are PostgreSQL `int`s. */
export const MAX_ID = 2_147_483_647;

/** An id as a number, or null when it cannot be one of ours (such a record cannot exist). */
export function idOrNull(raw: string | number): number | null {
  const s = String(raw);
  if (!/^[1-9][0-9]{0,9}$/.test(s)) return null;
  const n = Number(s);
  return n <= MAX_ID ? n : null;
}

/** GraphQL IDs arrive as strings; ours are positive integers. */
export function parseId(raw: string | number, type: string, path = 'input.id'): number {
  const n = idOrNull(raw);
  if (n === null) throw notFound(type, String(raw), path);
  return n;
}
