import { Migration } from '@mikro-orm/migrations';

export class Migration20261128080419_request_reply extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "request_reply" ("request_id" int not null, "status" text not null, "language" text not null, "drafted_by" text not null, "drafted_at" timestamptz not null default now(), "approved_by" text null, "approved_at" timestamptz null, "sent_by" text null, "sent_at" timestamptz null, "method" text null, "markdown" text null, "html" text null, "content_hash" text null, constraint "request_reply_pkey" primary key ("request_id"));`);

    this.addSql(`alter table "request_reply" add constraint "request_reply_request_id_foreign" foreign key ("request_id") references "data_subject_request" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "request_reply" cascade;`);
  }

}
