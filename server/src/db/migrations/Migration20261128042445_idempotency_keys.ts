import { Migration } from '@mikro-orm/migrations';

export class Migration20261128042445_idempotency_keys extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "idempotency_key" ("principal" text not null, "key" text not null, "request_hash" text not null, "status" int null, "body" text null, "created_at" timestamptz not null default now(), constraint "idempotency_key_pkey" primary key ("principal", "key"));`);
    this.addSql(`create index "idempotency_key_created_at_index" on "idempotency_key" ("created_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "idempotency_key" cascade;`);
  }

}
