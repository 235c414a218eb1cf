import assert from 'node:assert/strict';
import { test } from 'node:test';
import net from 'node:net';
import pg from 'pg';
import { createPool, readOnly } from '../src/db/pool.js';
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

/**
 * A TCP hop between the pool and PostgreSQL that can lose every connection the way a failover or a
 * dropped NAT entry does: the server side is gone, and the client hears of it only when it next
 * writes. The pool then holds idle connections it believes alive.
 */
async function lossyHop(target: URL): Promise<{ port: number; loseAll: () => void; close: () => Promise<void> }> {
  const pairs = new Set<{ client: net.Socket; server: net.Socket }>();
  const hop = net.createServer((client) => {
    // The test cluster listens on a Unix socket when the URL names its directory.
    const socketDir = target.searchParams.get('host');
    const server = socketDir ? net.connect(`${socketDir}/.s.PGSQL.${target.port || 5432}`) : net.connect(Number(target.port), target.hostname);
    const pair = { client, server };
    pairs.add(pair);
    client.pipe(server).on('error', () => {});
    server.pipe(client).on('error', () => {});
    client.on('close', () => pairs.delete(pair));
  });
  await new Promise<void>((resolve) => hop.listen(0, '127.0.0.1', resolve));
  return {
    port: (hop.address() as net.AddressInfo).port,
    loseAll: () => {
      for (const { client, server } of pairs) {
        client.unpipe(server);
        server.unpipe(client);
        server.destroy();
        client.removeAllListeners('data');
        client.on('data', () => client.destroy());
        // Unpiped, the socket is paused: without this its writes would wait unread forever.
        client.resume();
      }
    },
    close: () => {
      for (const { client } of pairs) client.destroy();
      return new Promise((resolve) => hop.close(() => resolve()));
    },
  };
}

test('when every pooled connection was lost unnoticed, a read goes on until a live one answers; a write is refused', { timeout: 30_000 }, async () => {
  const url = new URL(await freshDatabaseUrl());
  const hop = await lossyHop(url);
  const viaHop = new URL(url);
  viaHop.hostname = '127.0.0.1';
  viaHop.port = String(hop.port);
  viaHop.searchParams.delete('host');
  const reads = createPool(viaHop.toString(), { name: 'read', max: 4, waitMs: 5_000, timeouts, retryLostReads: true });
  try {
    // Four idle connections, all of them then lost.
    await Promise.all(Array.from({ length: 4 }, () => reads.query('select pg_sleep(0.05)')));
    assert.equal(reads.idleCount, 4);
    hop.loseAll();
    const r = await reads.query('select 42 as answer');
    assert.equal(r.rows[0].answer, 42, 'answered on a new connection after the dead ones were discarded');
    assert.ok(reads.totalCount <= 4, `the dead connections were discarded (${reads.totalCount} left)`);
    hop.loseAll();
    await assert.rejects(reads.query('insert into nowhere values (1)'), /Connection terminated/i, 'a write is not repeated');
  } finally {
    await Promise.allSettled([reads.end(), hop.close()]);
  }
});

test('a read is what may be repeated: selects and with-queries that only read, never a data-modifying one', () => {
  assert.equal(readOnly('select 1'), true);
  assert.equal(readOnly('  with recursive r(id) as (select 1 union select id + 1 from r where id < 3) select * from r'), true);
  assert.equal(readOnly('with x as (select "updated_at", \'delete\' as word from t) select * from x'), true, 'a column or a string naming a verb is no write');
  assert.equal(readOnly('with x as (insert into t values (1) returning *) select * from x'), false);
  assert.equal(readOnly('with x as (select 1) update t set n = 2'), false);
  assert.equal(readOnly('WITH gone AS (DELETE FROM t RETURNING *) SELECT count(*) FROM gone'), false);
  assert.equal(readOnly('insert into t select 1'), false);
});
