import { Migration } from '@mikro-orm/migrations';

/**
 * Tamper evidence for the audit trail: each event gets a link in `audit_chain` whose hash covers
 * the event and the previous link, so that an event changed or removed behind the triggers' back
 * (a superuser with `session_replication_role = replica`) breaks the chain where it happened.
 *
 * The link is written at commit (a deferred constraint trigger), under a lock held only for the
 * commit, by a SECURITY DEFINER function: the application role inserts events and cannot write
 * links itself. `unique (prev_hash)` turns a fork (two links on one predecessor) into an error.
 * No entity describes the table (orm.ts skips it in schema diffs); the GraphQL API reads it
 * through `verifyAuditTrail` only.
 */
export class Migration20261128043000_audit_chain extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "audit_chain" ("seq" bigserial primary key, "event_id" bigint not null unique, "prev_hash" bytea not null unique, "hash" bytea not null);`);
    // What a link's hash covers: every column of the event, in a text form that does not depend
    // on session settings (jsonb's text is canonical; the time is written in UTC).
    this.addSql(`create function "kiroku_audit_event_digest"(e "audit_event") returns bytea language sql stable as $$
      select sha256(convert_to(jsonb_build_array(e.id, to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), e.actor_sub, e.actor_roles,
        e.actor_system, e.operation, e.outcome, e.entity_type, e.entity_id, e.before, e.after, e.reason, e.request_id)::text, 'UTF8'))
    $$;`);
    this.addSql(`create function "kiroku_audit_chain_append"() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      declare prev bytea;
      begin
        perform pg_advisory_xact_lock(hashtextextended('kiroku:audit_chain', 0));
        select c.hash into prev from audit_chain c order by c.seq desc limit 1;
        prev := coalesce(prev, '\\x'::bytea);
        insert into audit_chain (event_id, prev_hash, hash) values (new.id, prev, sha256(prev || kiroku_audit_event_digest(new)));
        return null;
      end $$;`);
    this.addSql(`create constraint trigger "audit_event_chain" after insert on "audit_event" deferrable initially deferred for each row execute function "kiroku_audit_chain_append"();`);
    this.addSql(`create or replace function "kiroku_audit_event_immutable"() returns trigger language plpgsql as $$
      begin
        raise exception '% is append-only (% refused)', tg_table_name, tg_op using errcode = 'insufficient_privilege';
      end $$;`);
    this.addSql(`create trigger "audit_chain_no_update_delete" before update or delete on "audit_chain" for each row execute function "kiroku_audit_event_immutable"();`);
    this.addSql(`create trigger "audit_chain_no_truncate" before truncate on "audit_chain" for each statement execute function "kiroku_audit_event_immutable"();`);
    // Events recorded before this migration are chained in their order.
    this.addSql(`do $$
      declare e audit_event; prev bytea := '\\x'::bytea; h bytea;
      begin
        for e in select * from audit_event order by id loop
          h := sha256(prev || kiroku_audit_event_digest(e));
          insert into audit_chain (event_id, prev_hash, hash) values (e.id, prev, h);
          prev := h;
        end loop;
      end $$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "audit_event_chain" on "audit_event";`);
    this.addSql(`drop table if exists "audit_chain" cascade;`);
    this.addSql(`drop function if exists "kiroku_audit_chain_append"();`);
    this.addSql(`drop function if exists "kiroku_audit_event_digest"("audit_event");`);
  }

}
