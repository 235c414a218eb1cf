import { Migration } from '@mikro-orm/migrations';

/** The privacy team's findings on activities no dataset serves (see RequestActivityConfirmation). */
export class Migration20261129140000_request_activity_confirmation extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "request_activity_confirmation" ("request_id" int not null, "activity_id" int not null, "holding" text not null, "note" text null, "confirmed_by" text not null, "confirmed_at" timestamptz not null default now(), constraint "request_activity_confirmation_pkey" primary key ("request_id", "activity_id"));`);
    this.addSql(`create index "request_activity_confirmation_activity_id_index" on "request_activity_confirmation" ("activity_id");`);
    this.addSql(`alter table "request_activity_confirmation" add constraint "request_activity_confirmation_request_id_foreign" foreign key ("request_id") references "data_subject_request" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "request_activity_confirmation" add constraint "request_activity_confirmation_activity_id_foreign" foreign key ("activity_id") references "processing_activity" ("id") on update cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "request_activity_confirmation" cascade;`);
  }

}
