import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import pg from 'pg';
import { migrator, openOrm } from '../src/db/orm.js';
import { OWNER_ROLE, withDatabase } from '../src/db/roles.js';
import { verifyAuditTrail } from '../src/audit/audit-verification.js';
import { appendAuditEvents } from '../src/audit/audit-log.js';
import { AuditOutcome } from '../src/audit/audit-event.entity.js';
import type { Principal } from '../src/graphql/context.js';
import { freshDatabaseUrl, roleUrl } from './helpers.js';

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

test('accesses recorded outside a transaction are committed together when they arrive together; one bad event fails only its caller', async () => {
  const pool = new pg.Pool({ connectionString: roleUrl('app', await freshDatabaseUrl()) });
  try {
    const principal = { sub: 'group', roles: ['PRIVACY_ANALYST'] } as Principal;
    const good = Array.from({ length: 40 }, (_, i) => appendAuditEvents(pool, principal, `req-${i}`, [{ operation: 'Query.subjectLookup', outcome: AuditOutcome.SUCCESS, entityType: 'SubjectIdentifier', entityId: `h${i}` }]));
    // The database refuses this outcome: written with the others, it would fail them all.
    const bad = appendAuditEvents(pool, principal, 'req-bad', [{ operation: 'Query.subjectLookup', outcome: 'BOGUS' as AuditOutcome }]);
    const settled = await Promise.allSettled([...good, bad]);
    assert.deepEqual(settled.slice(0, 40).map((s) => s.status), Array(40).fill('fulfilled'));
    assert.equal(settled[40].status, 'rejected');
    const { rows } = await pool.query(`select request_id, entity_id, xmin::text as tx from audit_event where actor_sub = 'group' order by id`);
    assert.deepEqual(rows.map((r) => r.request_id).sort(), Array.from({ length: 40 }, (_, i) => `req-${i}`).sort());
    assert.ok(rows.every((r) => r.entity_id === `h${r.request_id.slice(4)}`), 'each event is its caller\'s');
    // Forty accesses in flight at once are committed in far fewer transactions (here: after the
    // group with the bad event failed, one each). Then a calm arrival has a commit of its own.
    const burst = Array.from({ length: 40 }, (_, i) => appendAuditEvents(pool, principal, `burst-${i}`, [{ operation: 'Query.subjectLookup', outcome: AuditOutcome.SUCCESS }]));
    await Promise.all(burst);
    const tx = (await pool.query(`select count(distinct xmin::text)::int as n from audit_event where request_id like 'burst-%'`)).rows[0].n;
    assert.ok(tx <= 2, `40 events arriving together in ${tx} transactions`);
    const v = await verifyAuditTrail(pool);
    assert.equal(v.ok, true, JSON.stringify(v));
  } finally {
    await pool.end();
  }
});
