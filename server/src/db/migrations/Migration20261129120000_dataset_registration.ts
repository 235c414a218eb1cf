import { Migration } from '@mikro-orm/migrations';

/**
 * What each dataset was last pushed as (`registerDatasets`), as a fingerprint of the normalized
 * push item, so that a re-push reads keys and fingerprints instead of every field of every
 * dataset. The fingerprint is only as good as its invalidation: any write to a dataset, its
 * fields, their categories or its activity links that is not a push (a push marks its transaction
 * with `kiroku.registering`) clears it and bumps the dataset's generation, in statement triggers,
 * TRUNCATE included. A push writes a fingerprint only if the generation is still the one it read:
 * a write that commits between a push's read and its write (other paths do not take the push's
 * lock) leaves the fingerprint cleared instead of describing a state that no longer exists.
 * Datasets registered before this migration have none until their next push compares them whole.
 * No entity describes the table (orm.ts skips it in schema diffs).
 */
export class Migration20261129120000_dataset_registration extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "dataset_registration" ("dataset_id" int primary key references "dataset" ("id") on update cascade on delete cascade, "digest" text, "generation" bigint not null default 0);`);
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
          -- Datasets deleted by the same statement (a cascade) are gone from "dataset": their row goes with them.
          execute format('insert into dataset_registration (dataset_id, digest, generation) select d.id, null, 1 from dataset d where d.id in (' || touched || ')
            on conflict (dataset_id) do update set digest = null, generation = dataset_registration.generation + 1', side);
        end loop;
        return null;
      end $$;`);
    this.addSql(`create function "kiroku_dataset_registration_forget_all"() returns trigger language plpgsql as $$
      begin
        update dataset_registration set digest = null, generation = generation + 1;
        return null;
      end $$;`);
    const unlessPush = `when (current_setting('kiroku.registering', true) is distinct from 'on') execute function "kiroku_dataset_registration_forget"()`;
    this.addSql(`create trigger "dataset_registration_forget_update" after update on "dataset" referencing old table as changed_before new table as changed for each statement ${unlessPush};`);
    for (const table of ['dataset_field', 'dataset_activities', 'dataset_field_data_categories']) {
      this.addSql(`create trigger "${table}_registration_forget_insert" after insert on "${table}" referencing new table as changed for each statement ${unlessPush};`);
      this.addSql(`create trigger "${table}_registration_forget_update" after update on "${table}" referencing old table as changed_before new table as changed for each statement ${unlessPush};`);
      this.addSql(`create trigger "${table}_registration_forget_delete" after delete on "${table}" referencing old table as changed for each statement ${unlessPush};`);
      this.addSql(`create trigger "${table}_registration_forget_truncate" after truncate on "${table}" for each statement execute function "kiroku_dataset_registration_forget_all"();`);
    }
  }

  override async down(): Promise<void> {
    for (const table of ['dataset_field', 'dataset_activities', 'dataset_field_data_categories']) {
      for (const op of ['insert', 'update', 'delete', 'truncate']) this.addSql(`drop trigger "${table}_registration_forget_${op}" on "${table}";`);
    }
    this.addSql(`drop trigger "dataset_registration_forget_update" on "dataset";`);
    this.addSql(`drop function "kiroku_dataset_registration_forget"();`);
    this.addSql(`drop function "kiroku_dataset_registration_forget_all"();`);
    this.addSql(`drop table "dataset_registration";`);
  }

}
