import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { sqlStatements } from './metrics.js';

/** Per GraphQL operation: how many SQL statements it sent. */
export interface SqlTally {
  statements: number;
}

export const sqlScope = new AsyncLocalStorage<SqlTally>();

let installed = false;

/**
 * Counts every statement that reaches PostgreSQL through `pg`, whoever sends it (MikroORM, knex,
 * our loaders), by wrapping Client#query once. The ALS scope attributes it to the operation.
 */
export function installSqlCounter(): void {
  if (installed) return;
  installed = true;
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function countedQuery(this: unknown, ...args: unknown[]) {
    sqlStatements.inc();
    const tally = sqlScope.getStore();
    if (tally) tally.statements++;
    return original.apply(this, args);
  };
}
