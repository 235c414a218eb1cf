import { Migration } from '@mikro-orm/migrations';

export class Migration20261128075030_request_work_list extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "request_action_state" ("request_id" int not null, "action_key" text not null, "status" text not null, "note" text null, "decided_by" text not null, "decided_at" timestamptz not null default now(), constraint "request_action_state_pkey" primary key ("request_id", "action_key"));`);

    this.addSql(`create table "request_dataset_confirmation" ("request_id" int not null, "dataset_id" int not null, "holding" text not null, "note" text null, "confirmed_by" text not null, "confirmed_at" timestamptz not null default now(), constraint "request_dataset_confirmation_pkey" primary key ("request_id", "dataset_id"));`);
    this.addSql(`create index "request_dataset_confirmation_dataset_id_index" on "request_dataset_confirmation" ("dataset_id");`);

    this.addSql(`alter table "request_action_state" add constraint "request_action_state_request_id_foreign" foreign key ("request_id") references "data_subject_request" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "request_dataset_confirmation" add constraint "request_dataset_confirmation_request_id_foreign" foreign key ("request_id") references "data_subject_request" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "request_dataset_confirmation" add constraint "request_dataset_confirmation_dataset_id_foreign" foreign key ("dataset_id") references "dataset" ("id") on update cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "request_action_state" cascade;`);

    this.addSql(`drop table if exists "request_dataset_confirmation" cascade;`);
  }

}
