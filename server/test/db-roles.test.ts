import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import pg from 'pg';
import { bootstrap } from '../src/bootstrap.js';
import { loadConfig } from '../src/config.js';
import { migrator, openOrm } from '../src/db/orm.js';
import { APP_ROLE, OWNER_ROLE, ensureRoles, withDatabase } from '../src/db/roles.js';
import { roleUrl } from './helpers.js';

async function query<T = any>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

test('a database migrated by the superuser before the roles existed passes to the owner on the next start, and the application role gets row access only', async () => {
  const name = `legacy_${randomBytes(4).toString('hex')}`;
  const admin = roleUrl('admin');
  await query(admin, `create database ${name}`);
  // What an older Kiroku left behind: the superuser owns the database and every object.
  const legacy = await openOrm(withDatabase(admin, name));
  await (await migrator(legacy)).up();
  await legacy.em.getConnection().execute(`insert into audit_event (actor_sub, operation, outcome, request_id) values ('old', 'createProcessor', 'SUCCESS', 'r1')`);
  await legacy.close(true);

  const passwords = { owner: decodeURIComponent(new URL(roleUrl('owner')).password), app: decodeURIComponent(new URL(roleUrl('app')).password) };
  await ensureRoles(admin, name, passwords);
  const owned = await query(withDatabase(admin, name), `select distinct pg_get_userbyid(relowner) as owner from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public'`);
  assert.deepEqual(owned.map((r) => r.owner), [OWNER_ROLE]);
  const [db] = await query(admin, `select pg_get_userbyid(datdba) as owner from pg_database where datname = '${name}'`);
  assert.equal(db.owner, OWNER_ROLE);

  const runtime = await bootstrap(loadConfig({ DATABASE_URL: roleUrl('app', withDatabase(admin, name)), MIGRATION_DATABASE_URL: roleUrl('owner', withDatabase(admin, name)), KIROKU_DEV_AUTH: 'true', KIROKU_SEED: 'notice' }));
  try {
    const conn = runtime.orm.em.getConnection();
    const [{ role }] = await conn.execute('select current_user as role');
    assert.equal(role, APP_ROLE);
    const [{ n }] = await conn.execute('select count(*)::int as n from subject_category');
    assert.ok(n > 0, 'the seed went in through the application role');
    await assert.rejects(conn.execute('delete from audit_event'), /permission denied/);
    await assert.rejects(conn.execute(`update mikro_orm_migrations set name = 'x'`), /permission denied/);
    const [{ old }] = await conn.execute(`select count(*)::int as old from audit_event where actor_sub = 'old'`);
    assert.equal(old, 1, 'the old trail is still readable');
  } finally {
    await runtime.shutdown();
  }
});

test('MIGRATION_DATABASE_URL is checked at start: a postgres URL, and only with DATABASE_URL', () => {
  assert.throws(() => loadConfig({ MIGRATION_DATABASE_URL: 'postgresql://o@h/k' }), /MIGRATION_DATABASE_URL needs DATABASE_URL/);
  assert.throws(() => loadConfig({ DATABASE_URL: 'postgresql://a@h/k', MIGRATION_DATABASE_URL: 'mysql://o@h/k', KIROKU_DEV_AUTH: 'true' }), /MIGRATION_DATABASE_URL must be a postgres/);
  assert.equal(loadConfig({ DATABASE_URL: 'postgresql://a@h/k', MIGRATION_DATABASE_URL: 'postgresql://o@h/k', KIROKU_DEV_AUTH: 'true' }).migrationDatabaseUrl, 'postgresql://o@h/k');
});

test('one role given twice (DATABASE_URL and MIGRATION_DATABASE_URL) keeps its rights on the audit trail', async () => {
  const name = `same_${randomBytes(4).toString('hex')}`;
  await query(roleUrl('admin'), `create database ${name} owner ${OWNER_ROLE}`);
  const owner = roleUrl('owner', withDatabase(roleUrl('admin'), name));
  // The same role under a second URL, differing in a parameter only (the URL may carry parameters already).
  const second = new URL(owner);
  second.searchParams.set('application_name', 'migrations');
  const runtime = await bootstrap(loadConfig({ DATABASE_URL: owner, MIGRATION_DATABASE_URL: second.toString(), KIROKU_DEV_AUTH: 'true' }));
  try {
    await runtime.orm.em.getConnection().execute(`insert into audit_event (actor_sub, operation, outcome, request_id) values ('x', 'createProcessor', 'SUCCESS', 'r')`);
  } finally {
    await runtime.shutdown();
  }
});
