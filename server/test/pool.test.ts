import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { createPool } from '../src/db/pool.js';
import { freshDatabaseUrl, roleUrl } from './helpers.js';

const timeouts = { statementMs: 10_000, lockMs: 5_000, idleInTransactionMs: 10_000 };

/** Terminates, once, the backend running the statement tagged `tag` as soon as it shows up. */
async function terminateOnce(admin: pg.Client, tag: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await admin.query(`select pg_terminate_backend(pid) as done from pg_stat_activity where query like $1 and pid <> pg_backend_pid()`, [`%${tag}%`]);
    if (rows.some((r) => r.done)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the statement never started');
}

test('a read whose connection is terminated under it runs once more; a write is not repeated', async () => {
  const url = await freshDatabaseUrl();
  const admin = new pg.Client({ connectionString: roleUrl('admin', url) });
  await admin.connect();
  const reads = createPool(url, { name: 'read', max: 2, waitMs: 5_000, timeouts, retryLostReads: true });
  const plain = createPool(url, { name: 'plain', max: 2, waitMs: 5_000, timeouts });
  try {
    const [r] = await Promise.all([reads.query('select pg_sleep(0.5), 42 as answer /* probe-retried */'), terminateOnce(admin, 'probe-retried')]);
    assert.equal(r.rows[0].answer, 42, 'the read was answered on a fresh connection');
    await assert.rejects(
      Promise.all([plain.query('select pg_sleep(0.5) /* probe-plain */'), terminateOnce(admin, 'probe-plain')]),
      /terminat/i,
      'without the option the loss reaches the caller (the probe itself works)',
    );
    await admin.query('create table t (n int)');
    await admin.query('grant all on t to public');
    await assert.rejects(
      Promise.all([reads.query('insert into t select 1 from pg_sleep(0.5) /* probe-write */'), terminateOnce(admin, 'probe-write')]),
      /terminat/i,
      'a write is never repeated by the pool',
    );
    assert.equal((await admin.query('select count(*)::int as n from t')).rows[0].n, 0);
  } finally {
    await Promise.allSettled([reads.end(), plain.end(), admin.end()]);
  }
});
