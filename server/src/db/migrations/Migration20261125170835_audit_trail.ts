import { Migration } from '@mikro-orm/migrations';

/**
 * The audit trail, append-only: PostgreSQL itself refuses UPDATE, DELETE and TRUNCATE on it, so
 * not even a bug (or a person with the application's credentials) can rewrite history.
 */
export class Migration20261125170835_audit_trail extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "audit_event" ("id" bigserial primary key, "at" timestamptz not null default now(), "actor_sub" text not null, "actor_roles" jsonb not null default '[]', "actor_system" text null, "operation" text not null, "outcome" text check ("outcome" in ('SUCCESS', 'DENIED')) not null, "entity_type" text null, "entity_id" text null, "before" jsonb null, "after" jsonb null, "reason" text null, "request_id" text not null);`);
    this.addSql(`create index "audit_event_at_index" on "audit_event" ("at");`);
    this.addSql(`create index "audit_event_actor_sub_at_index" on "audit_event" ("actor_sub", "at");`);
    this.addSql(`create index "audit_event_entity_type_entity_id_index" on "audit_event" ("entity_type", "entity_id");`);
    this.addSql(`create function "kiroku_audit_event_immutable"() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_event is append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
      end $$;`);
    this.addSql(`create trigger "audit_event_no_update_delete" before update or delete on "audit_event" for each row execute function "kiroku_audit_event_immutable"();`);
    this.addSql(`create trigger "audit_event_no_truncate" before truncate on "audit_event" for each statement execute function "kiroku_audit_event_immutable"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "audit_event" cascade;`);
    this.addSql(`drop function if exists "kiroku_audit_event_immutable"();`);
  }

}
