import { Migration } from '@mikro-orm/migrations';

export class Migration20261125172223_subject_index extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "subject_index_entry" ("dataset_id" int not null, "identity_type" text check ("identity_type" in ('EMAIL', 'PHONE', 'NAME', 'POSTAL_ADDRESS', 'CUSTOMER_ID', 'EMPLOYEE_ID', 'COOKIE_ID', 'AD_ID', 'DEVICE_ID', 'IP_ADDRESS', 'OTHER')) not null, "hash" bytea not null, "reported_at" timestamptz not null default now(), constraint "subject_index_entry_pkey" primary key ("dataset_id", "identity_type", "hash"));`);
    this.addSql(`create index "subject_index_entry_identity_type_hash_index" on "subject_index_entry" ("identity_type", "hash");`);

    this.addSql(`alter table "subject_index_entry" add constraint "subject_index_entry_dataset_id_foreign" foreign key ("dataset_id") references "dataset" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "subject_index_entry" cascade;`);
  }

}
