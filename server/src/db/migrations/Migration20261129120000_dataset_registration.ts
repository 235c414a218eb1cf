import { Migration } from '@mikro-orm/migrations';

/**
 * What each dataset was last pushed as (`registerDatasets`), as a fingerprint of the normalized
 * push item, so that a re-push reads keys and fingerprints instead of every field of every
 * dataset. The fingerprint is only as good as its invalidation: any write to a dataset, its
 * fields, their categories or its activity links that is not the push itself drops it (statement
 * triggers; a push marks its transaction with `kiroku.registering`), and the next push compares
 * that dataset whole again. Datasets registered before this migration have none until then.
 * No entity describes the table (orm.ts skips it in schema diffs).
 */
export class Migration20261129120000_dataset_registration extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "dataset_registration" ("dataset_id" int primary key references "dataset" ("id") on update cascade on delete cascade, "digest" text not null);`);
    // The datasets a statement touched, from its transition tables (both sides of an update).
    this.addSql(`create function "kiroku_dataset_registration_forget"() returns trigger language plpgsql as $$
      declare
        touched text := case tg_table_name
          when 'dataset' then 'select id from %I'
          when 'dataset_field_data_categories' then 'select f.dataset_id from dataset_field f join %I c on c.field_id = f.id'
          else 'select dataset_id from %I' end;
        side text;
      begin
        foreach side in array case when tg_op = 'UPDATE' then array['changed', 'changed_before'] else array['changed'] end loop
          execute format('delete from dataset_registration where dataset_id in (' || touched || ')', side);
        end loop;
        return null;
      end $$;`);
    const unlessPush = `when (current_setting('kiroku.registering', true) is distinct from 'on') execute function "kiroku_dataset_registration_forget"()`;
    this.addSql(`create trigger "dataset_registration_forget_update" after update on "dataset" referencing old table as changed_before new table as changed for each statement ${unlessPush};`);
    for (const table of ['dataset_field', 'dataset_activities', 'dataset_field_data_categories']) {
      this.addSql(`create trigger "${table}_registration_forget_insert" after insert on "${table}" referencing new table as changed for each statement ${unlessPush};`);
      this.addSql(`create trigger "${table}_registration_forget_update" after update on "${table}" referencing old table as changed_before new table as changed for each statement ${unlessPush};`);
      this.addSql(`create trigger "${table}_registration_forget_delete" after delete on "${table}" referencing old table as changed for each statement ${unlessPush};`);
    }
  }

  override async down(): Promise<void> {
    for (const table of ['dataset_field', 'dataset_activities', 'dataset_field_data_categories']) {
      for (const op of ['insert', 'update', 'delete']) this.addSql(`drop trigger "${table}_registration_forget_${op}" on "${table}";`);
    }
    this.addSql(`drop trigger "dataset_registration_forget_update" on "dataset";`);
    this.addSql(`drop function "kiroku_dataset_registration_forget"();`);
    this.addSql(`drop table "dataset_registration";`);
  }

}
