import { Migration } from '@mikro-orm/migrations';

export class Migration20261128052415_equivalent_measures_items extends Migration {

  override async up(): Promise<void> {

    this.addSql(`alter table "foreign_transfer" add column "equivalent_measures_items" jsonb null;`);
    // The free texts that used to fill the statement become the items they were printed as, so the
    // statement and the audit read the same values after the upgrade as before it.
    this.addSql(`update "foreign_transfer" set "equivalent_measures_items" = jsonb_strip_nulls(jsonb_build_object(
        'measuresOutline', case when "measures_outline" is not null then jsonb_build_object('state', 'STATED', 'text', "measures_outline") end,
        'regime', case when "impediments" is not null then jsonb_build_object('state', 'STATED', 'text', "impediments") end,
        'impediments', case when "implementation_problems" is not null then jsonb_build_object('state', 'STATED', 'text', "implementation_problems") end,
        'impedimentMeasures', case when "impediment_response" is not null then jsonb_build_object('state', 'STATED', 'text', "impediment_response") end))
      where "basis" in ('EQUIVALENT_MEASURES_CONTRACT', 'EQUIVALENT_MEASURES_CBPR')
        and coalesce("measures_outline", "impediments", "implementation_problems", "impediment_response") is not null;`);
  }

  override async down(): Promise<void> {

    this.addSql(`alter table "foreign_transfer" drop column "equivalent_measures_items";`);
  }

}
