import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import pg from 'pg';
import { migrator, openOrm } from '../src/db/orm.js';
import { OWNER_ROLE, withDatabase } from '../src/db/roles.js';
import { verifyAuditTrail } from '../src/audit/audit-verification.js';
import { roleUrl } from './helpers.js';

test('events recorded before the chain existed are chained by its migration, in their order', async () => {
  const name = `chain_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: roleUrl('admin') });
  await admin.connect();
  await admin.query(`create database ${name} owner ${OWNER_ROLE}`).finally(() => admin.end());
  const url = roleUrl('owner', withDatabase(roleUrl('admin'), name));
  const orm = await openOrm(url);
  const pool = new pg.Pool({ connectionString: url });
  try {
    await (await migrator(orm)).up({ to: 'Migration20261125181211_transfer_statement_items' });
    for (const sub of ['a', 'b', 'c']) await pool.query(`insert into audit_event (actor_sub, operation, outcome, request_id, after) values ($1, 'createProcessor', 'SUCCESS', 'r', '{"x": 1}')`, [sub]);
    await (await migrator(orm)).up();
    await pool.query(`insert into audit_event (actor_sub, operation, outcome, request_id) values ('d', 'createProcessor', 'SUCCESS', 'r')`);
    const v = await verifyAuditTrail(pool);
    assert.equal(v.ok, true, JSON.stringify(v));
    assert.equal(v.checked, 4);
    const { rows } = await pool.query(`select e.actor_sub from audit_chain c join audit_event e on e.id = c.event_id order by c.seq`);
    assert.deepEqual(rows.map((r) => r.actor_sub), ['a', 'b', 'c', 'd']);
  } finally {
    await pool.end();
    await orm.close(true);
  }
});
