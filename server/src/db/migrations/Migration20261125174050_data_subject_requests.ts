import { Migration } from '@mikro-orm/migrations';

export class Migration20261125174050_data_subject_requests extends Migration {

  override async up(): Promise<void> {
    // References DSR-<year>-<6 digits> draw from one sequence: unique, never reused.
    this.addSql(`create sequence if not exists "dsr_reference_seq";`);
    this.addSql(`create table "data_subject_request" ("id" serial primary key, "version" int not null default 1, "reference" varchar(40) not null, "framework" text check ("framework" in ('APPI', 'GDPR')) not null, "type" text check ("type" in ('NOTIFY_PURPOSE', 'DISCLOSE', 'DISCLOSE_PROVISION_RECORDS', 'CORRECT', 'ADD', 'DELETE', 'STOP_USE', 'ERASE', 'STOP_THIRD_PARTY_PROVISION', 'ACCESS', 'RECTIFY', 'RESTRICT', 'PORT', 'OBJECT')) not null, "status" text check ("status" in ('RECEIVED', 'VERIFYING', 'IN_PROGRESS', 'COMPLETED', 'REFUSED', 'WITHDRAWN')) not null default 'RECEIVED', "channel" text check ("channel" in ('WEB', 'PHONE', 'MAIL')) not null, "requester_kind" text check ("requester_kind" in ('SELF', 'AGENT')) not null default 'SELF', "agent_name" text null, "response_method" text check ("response_method" in ('ORAL', 'WRITTEN', 'ELECTRONIC')) not null, "contact" text null, "contact_erased_at" timestamptz null, "claimed_subject_category_codes" jsonb not null default '[]', "identity_types" jsonb not null default '[]', "received_at" timestamptz not null default now(), "due_at" date not null, "extension_reason" text null, "verification_method" text null, "verified_by" text null, "verified_at" timestamptz null, "refusal_ground" text check ("refusal_ground" in ('NOT_RETAINED_DATA', 'VIOLATES_LAWS', 'HARMS_PERSON_OR_THIRD_PARTY', 'HINDERS_BUSINESS')) null, "refusal_reason" text null, "closed_at" timestamptz null, "frozen_resolution" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now());`);
    this.addSql(`alter table "data_subject_request" add constraint "data_subject_request_reference_unique" unique ("reference");`);
    this.addSql(`create index "data_subject_request_status_index" on "data_subject_request" ("status");`);
    this.addSql(`create index "data_subject_request_status_due_at_index" on "data_subject_request" ("status", "due_at");`);

    this.addSql(`create table "request_event" ("id" serial primary key, "request_id" int not null, "at" timestamptz not null default now(), "actor" text not null, "kind" text not null, "from_status" text check ("from_status" in ('RECEIVED', 'VERIFYING', 'IN_PROGRESS', 'COMPLETED', 'REFUSED', 'WITHDRAWN')) null, "to_status" text check ("to_status" in ('RECEIVED', 'VERIFYING', 'IN_PROGRESS', 'COMPLETED', 'REFUSED', 'WITHDRAWN')) null, "note" text null);`);
    this.addSql(`create index "request_event_request_id_index" on "request_event" ("request_id");`);

    this.addSql(`create table "request_identity" ("request_id" int not null, "identity_type" text check ("identity_type" in ('EMAIL', 'PHONE', 'NAME', 'POSTAL_ADDRESS', 'CUSTOMER_ID', 'EMPLOYEE_ID', 'COOKIE_ID', 'AD_ID', 'DEVICE_ID', 'IP_ADDRESS', 'OTHER')) not null, "hash" bytea not null, constraint "request_identity_pkey" primary key ("request_id", "identity_type", "hash"));`);
    this.addSql(`create index "request_identity_identity_type_hash_index" on "request_identity" ("identity_type", "hash");`);

    this.addSql(`alter table "request_event" add constraint "request_event_request_id_foreign" foreign key ("request_id") references "data_subject_request" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "request_identity" add constraint "request_identity_request_id_foreign" foreign key ("request_id") references "data_subject_request" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop sequence if exists "dsr_reference_seq";`);
    this.addSql(`alter table "request_event" drop constraint "request_event_request_id_foreign";`);

    this.addSql(`alter table "request_identity" drop constraint "request_identity_request_id_foreign";`);

    this.addSql(`drop table if exists "data_subject_request" cascade;`);

    this.addSql(`drop table if exists "request_event" cascade;`);

    this.addSql(`drop table if exists "request_identity" cascade;`);
  }

}
