import pg from 'pg';

/**
 * Two database roles keep the audit trail out of the application's reach: the owner runs the
 * migrations and owns every object; the application role gets row access only, and on the audit
 * tables only what appending needs. Not owning a table, the application can neither ALTER it
 * (disable its triggers) nor set `session_replication_role` (a superuser's parameter).
 */
export const OWNER_ROLE = 'kiroku_owner';
export const APP_ROLE = 'kiroku_app';

/** Tables the application may read and append to, never change. */
const APPEND_ONLY: Record<string, string> = {
  audit_event: 'select, insert',
  audit_chain: 'select',
  mikro_orm_migrations: 'select',
};

export const ident = (s: string) => '"' + s.replace(/"/g, '""') + '"';
const literal = (s: string) => "'" + s.replace(/'/g, "''") + "'";

export interface SqlClient { query(sql: string, params?: unknown[]): Promise<{ rows: any[] }> }

/**
 * Grants `appRole` what the application needs on the objects of the connected role (the owner),
 * now and for tables later migrations create. Idempotent: bootstrap runs it after every migration.
 */
export async function grantAppPrivileges(c: SqlClient, appRole: string): Promise<void> {
  const app = ident(appRole);
  // PUBLIC usually has it already; granting it needs the schema's owner, which the owner may not be.
  const { rows: [usage] } = await c.query(`select has_schema_privilege($1, 'public', 'USAGE') as ok`, [appRole]);
  if (!usage.ok) await c.query(`grant usage on schema public to ${app}`);
  await c.query(`grant select, insert, update, delete on all tables in schema public to ${app}`);
  await c.query(`grant usage on all sequences in schema public to ${app}`);
  await c.query(`alter default privileges in schema public grant select, insert, update, delete on tables to ${app}`);
  await c.query(`alter default privileges in schema public grant usage on sequences to ${app}`);
  const { rows } = await c.query(`select tablename from pg_tables where schemaname = 'public' and tablename = any($1)`, [Object.keys(APPEND_ONLY)]);
  for (const { tablename } of rows as Array<{ tablename: string }>) {
    await c.query(`revoke all on ${ident(tablename)} from ${app}`);
    await c.query(`grant ${APPEND_ONLY[tablename]} on ${ident(tablename)} to ${app}`);
  }
}

/** The same server and credentials, another database. */
export function withDatabase(url: string, dbName: string): string {
  const u = new URL(url);
  u.pathname = '/' + encodeURIComponent(dbName);
  return u.toString();
}

/** The same server and database as another role. */
export function withRole(url: string, role: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(role);
  u.password = encodeURIComponent(password);
  return u.toString();
}

/** Why the connected role could rewrite the audit trail, or null when it cannot. */
export async function auditBypassRisk(client: SqlClient): Promise<string | null> {
  const { rows: [r] } = await client.query(`select current_user as role, r.rolsuper as super,
      exists (select 1 from pg_tables t where t.schemaname = 'public' and t.tablename = 'audit_event' and pg_has_role(current_user, t.tableowner, 'USAGE')) as owns
    from pg_roles r where r.rolname = current_user`);
  if (r.super) return `the application connects as ${r.role}, a superuser`;
  if (r.owns) return `the application connects as ${r.role}, which owns the audit table`;
  return null;
}

/**
 * The embedded cluster's roles, created on first start and on the first start after an upgrade:
 * the database `dbName` and everything in it pass from the superuser to the owner role.
 */
export async function ensureRoles(adminUrl: string, dbName: string, passwords: { owner: string; app: string }): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (const [role, password] of [[OWNER_ROLE, passwords.owner], [APP_ROLE, passwords.app]] as const) {
      const found = await admin.query('select 1 from pg_roles where rolname = $1', [role]);
      // The password files are the truth: a role whose file was replaced gets the new password.
      await admin.query(`${found.rowCount ? 'alter' : 'create'} role ${ident(role)} with login nosuperuser nocreatedb nocreaterole noreplication nobypassrls password ${literal(password)}`);
    }
    const db = await admin.query('select pg_get_userbyid(datdba) as owner from pg_database where datname = $1', [dbName]);
    if (db.rowCount === 0) await admin.query(`create database ${ident(dbName)} owner ${ident(OWNER_ROLE)}`);
    else if (db.rows[0].owner !== OWNER_ROLE) await admin.query(`alter database ${ident(dbName)} owner to ${ident(OWNER_ROLE)}`);
  } finally {
    await admin.end();
  }
  await transferOwnership(withDatabase(adminUrl, dbName), OWNER_ROLE);
}

/**
 * A database migrated by the superuser (before the roles existed) holds objects the superuser
 * owns; they pass to `owner`. Tables carry their indexes and serial sequences with them.
 */
export async function transferOwnership(adminDbUrl: string, owner: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminDbUrl });
  await c.connect();
  try {
    await c.query(`do $$
      declare r record; target oid := (select oid from pg_roles where rolname = ${literal(owner)});
      begin
        for r in select c.oid::regclass as name, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace
                 where n.nspname = 'public' and c.relowner <> target and c.relkind in ('r', 'p', 'v', 'm', 'f') loop
          execute format('alter %s %s owner to %I', case r.relkind when 'v' then 'view' when 'm' then 'materialized view' when 'f' then 'foreign table' else 'table' end, r.name, ${literal(owner)});
        end loop;
        for r in select c.oid::regclass as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
                 where n.nspname = 'public' and c.relowner <> target and c.relkind = 'S' loop
          execute format('alter sequence %s owner to %I', r.name, ${literal(owner)});
        end loop;
        for r in select p.oid::regprocedure as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                 where n.nspname = 'public' and p.proowner <> target loop
          execute format('alter routine %s owner to %I', r.name, ${literal(owner)});
        end loop;
        for r in select t.oid::regtype as name from pg_type t join pg_namespace n on n.oid = t.typnamespace
                 where n.nspname = 'public' and t.typowner <> target and t.typtype in ('e', 'd') loop
          execute format('alter type %s owner to %I', r.name, ${literal(owner)});
        end loop;
      end $$`);
  } finally {
    await c.end();
  }
}
