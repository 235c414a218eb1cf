import fs from 'node:fs';
import { Migration } from '@mikro-orm/migrations';

const FACT = (col: string) => `"${col}" text check ("${col}" in ('YES', 'NO', 'UNKNOWN')) not null default 'UNKNOWN'`;

/** The shipped reference file, from the source tree or the build (both sit below server/). */
function shippedCountries(): { asOf: string; countries: unknown[] } {
  for (const rel of ['../../../reference/countries.json', '../../../../reference/countries.json']) {
    const url = new URL(rel, import.meta.url);
    if (fs.existsSync(url)) return JSON.parse(fs.readFileSync(url, 'utf8'));
  }
  throw new Error('server/reference/countries.json not found');
}

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

export class Migration20261128100129_art28_country_facts extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "country_reference" ("country" varchar(2) not null, "name" jsonb not null, ${FACT('appi_designation')}, ${FACT('eu_adequacy_decision')}, ${FACT('cbpr_participation')}, "ppc_report_url" text null, "note" jsonb null, "as_of" date not null, constraint "country_reference_pkey" primary key ("country"));`);
    // The facts below are converted against the reference data, so it is loaded here; later
    // releases' files are applied at boot (applyShippedCountries), imports with `kiroku countries import`.
    const file = shippedCountries();
    this.addSql(`insert into "country_reference" ("country", "name", "appi_designation", "eu_adequacy_decision", "cbpr_participation", "ppc_report_url", "note", "as_of")
      select "country", "name", coalesce("appiDesignation", 'UNKNOWN'), coalesce("euAdequacyDecision", 'UNKNOWN'), coalesce("cbprParticipation", 'UNKNOWN'), "ppcReportUrl", "note", ${literal(file.asOf)}::date
      from jsonb_to_recordset(${literal(JSON.stringify(file.countries))}::jsonb) as x("country" text, "name" jsonb, "appiDesignation" text, "euAdequacyDecision" text, "cbprParticipation" text, "ppcReportUrl" text, "note" jsonb);`);

    this.addSql(`create table "foreign_transfer_subject_categories" ("foreign_transfer_id" int not null, "subject_category_id" int not null, constraint "foreign_transfer_subject_categories_pkey" primary key ("foreign_transfer_id", "subject_category_id"));`);
    this.addSql(`alter table "foreign_transfer_subject_categories" add constraint "foreign_transfer_subject_categories_foreign_transfer_id_foreign" foreign key ("foreign_transfer_id") references "foreign_transfer" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "foreign_transfer_subject_categories" add constraint "foreign_transfer_subject_categories_subject_category_id_foreign" foreign key ("subject_category_id") references "subject_category" ("id") on update cascade on delete cascade;`);
    this.addSql(`create index "foreign_transfer_subject_categories_rev_index" on "foreign_transfer_subject_categories" ("subject_category_id", "foreign_transfer_id");`);

    this.addSql(`alter table "country_assessment" add column "published_name" jsonb null, add column ${FACT('appi_designation')}, add column ${FACT('eu_adequacy_decision')}, add column ${FACT('cbpr_participation')}, add column "government_access_laws" jsonb not null default '[]';`);
    // A stored true was a statement; a stored false was mostly the column default, so it becomes
    // what the reference data says, or UNKNOWN where it says nothing.
    const ref = (col: string) => `coalesce((select r."${col}" from "country_reference" r where r."country" = a."country"), 'UNKNOWN')`;
    this.addSql(`update "country_assessment" a set
        "appi_designation" = case when a."appi_adequate" then 'YES' else ${ref('appi_designation')} end,
        "eu_adequacy_decision" = case when a."eu_adequacy" then 'YES' else ${ref('eu_adequacy_decision')} end,
        "cbpr_participation" = case when a."cbpr" then 'YES' else ${ref('cbpr_participation')} end;`);
    this.addSql(`alter table "country_assessment" drop column "appi_adequate", drop column "eu_adequacy", drop column "cbpr";`);

    this.addSql(`alter table "foreign_transfer" add column "contract_clauses" jsonb not null default '[]', add column "items_text" jsonb null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "country_assessment" add column "appi_adequate" bool not null default false, add column "eu_adequacy" bool not null default false, add column "cbpr" bool not null default false;`);
    this.addSql(`update "country_assessment" set "appi_adequate" = "appi_designation" = 'YES', "eu_adequacy" = "eu_adequacy_decision" = 'YES', "cbpr" = "cbpr_participation" = 'YES';`);
    this.addSql(`alter table "country_assessment" drop column "published_name", drop column "appi_designation", drop column "eu_adequacy_decision", drop column "cbpr_participation", drop column "government_access_laws";`);
    this.addSql(`drop table if exists "country_reference" cascade;`);
    this.addSql(`drop table if exists "foreign_transfer_subject_categories" cascade;`);
    this.addSql(`alter table "foreign_transfer" drop column "contract_clauses", drop column "items_text";`);
  }

}
