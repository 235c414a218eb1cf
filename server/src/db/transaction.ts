import type pg from 'pg';
import { markCommitted } from '../observability/request-scope.js';

/** Runs `fn` in a transaction on a connection of `pool`; commits, or rolls back and rethrows. */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await fn(client);
    try {
      await client.query('commit');
    } catch (e) {
      // A COMMIT that got no answer may have happened.
      markCommitted();
      throw e;
    }
    markCommitted();
    return result;
  } catch (e) {
    await client.query('rollback').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}
