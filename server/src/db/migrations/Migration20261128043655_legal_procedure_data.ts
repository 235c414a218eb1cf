import { Migration } from '@mikro-orm/migrations';

// The four grounds of the former RefusalGroundCode enum and what each meant in law. Written out
// here (not imported) so that this migration keeps doing what it did whatever the code becomes.
const FORMER_GROUNDS = `(values
  ('NOT_RETAINED_DATA', 'APPI_16_4', 'Art. 16(4)', '請求の対象が保有個人データに当たらない場合', 'The data requested is not retained personal data'),
  ('HARMS_PERSON_OR_THIRD_PARTY', 'APPI_33_2_I', 'Art. 33(2)(i)', '本人又は第三者の生命、身体、財産その他の権利利益を害するおそれがある場合', 'Disclosure may harm the life, body, property or other rights and interests of the person or a third party'),
  ('HINDERS_BUSINESS', 'APPI_33_2_II', 'Art. 33(2)(ii)', '当該個人情報取扱事業者の業務の適正な実施に著しい支障を及ぼすおそれがある場合', 'Disclosure may seriously interfere with the proper conduct of the business'),
  ('VIOLATES_LAWS', 'APPI_33_2_III', 'Art. 33(2)(iii)', '他の法令に違反することとなる場合', 'Disclosure would violate another law')
) as f(code, ref, article, ja, en)`;

/**
 * Refusal grounds, response methods, fees and contact desks become the organization's data. Existing data is
 * carried forward: an organization's ground with a former enum code points to the statutory
 * ground that code meant; a code used by existing requests but missing from the organization's
 * list is added to it, so every refused request still names one of its grounds; a CHARGED fee
 * without an amount becomes CHARGED_AMOUNT_NOT_STATED.
 */
export class Migration20261128043655_legal_procedure_data extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "data_subject_request" drop constraint if exists "data_subject_request_response_method_check";`);
    this.addSql(`alter table "data_subject_request" drop constraint if exists "data_subject_request_refusal_ground_check";`);

    this.addSql(`alter table "data_subject_request" alter column "refusal_ground" type text using ("refusal_ground"::text);`);
    this.addSql(`alter table "data_subject_request" add constraint "data_subject_request_response_method_check" check("response_method" in ('ORAL', 'WRITTEN', 'ELECTRONIC', 'OTHER'));`);
    // Channels keep the phones and hours they state; a desk is used once one is recorded.
    this.addSql(`alter table "organization" add column "contact_desks" jsonb not null default '[]';`);

    this.addSql(`update "organization" o set "request_procedure" = jsonb_set(o."request_procedure", '{refusalGrounds}', (
      select coalesce(jsonb_agg(case when f.ref is null or e.g ? 'statutoryGround' then e.g else e.g || jsonb_build_object('statutoryGround', f.ref) end order by e.ord), '[]'::jsonb)
      from jsonb_array_elements(o."request_procedure"->'refusalGrounds') with ordinality as e(g, ord) left join ${FORMER_GROUNDS} on f.code = e.g->>'code'))
    where jsonb_typeof(o."request_procedure"->'refusalGrounds') = 'array';`);

    // Requests read the first organization's procedure (see request.service.ts).
    this.addSql(`with org as (select "id", "request_procedure" as p from "organization" where "archived_at" is null order by "id" limit 1),
      missing as (
        select distinct r."refusal_ground" as code from "data_subject_request" r, org
        where r."refusal_ground" is not null
          and not exists (select 1 from jsonb_array_elements(coalesce(org.p->'refusalGrounds', '[]'::jsonb)) g where g->>'code' = r."refusal_ground"))
    update "organization" o set "request_procedure" = jsonb_set(
        coalesce(o."request_procedure", '{"requestTypes":[],"channels":[],"disclosureMethods":[],"refusalGrounds":[],"fee":{"status":"UNKNOWN"},"notes":[]}'::jsonb),
        '{refusalGrounds}',
        coalesce(o."request_procedure"->'refusalGrounds', '[]'::jsonb) || (
          select jsonb_agg(jsonb_build_object('code', f.code, 'text', jsonb_build_object('ja', f.ja, 'en', f.en), 'article', f.article, 'statutoryGround', f.ref) order by f.code)
          from missing m join ${FORMER_GROUNDS} on f.code = m.code))
    where o."id" = (select "id" from org) and exists (select 1 from missing);`);

    this.addSql(`update "organization" set "request_procedure" = jsonb_set("request_procedure", '{fee,status}', '"CHARGED_AMOUNT_NOT_STATED"')
    where "request_procedure"->'fee'->>'status' = 'CHARGED' and coalesce(jsonb_typeof("request_procedure"->'fee'->'amountJpy'), 'null') = 'null';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "organization" drop column "contact_desks";`);
    this.addSql(`update "organization" set "request_procedure" = jsonb_set("request_procedure", '{fee,status}', '"CHARGED"')
    where "request_procedure"->'fee'->>'status' = 'CHARGED_AMOUNT_NOT_STATED';`);
    this.addSql(`alter table "data_subject_request" drop constraint if exists "data_subject_request_response_method_check";`);

    this.addSql(`alter table "data_subject_request" add constraint "data_subject_request_response_method_check" check("response_method" in ('ORAL', 'WRITTEN', 'ELECTRONIC'));`);
    this.addSql(`alter table "data_subject_request" add constraint "data_subject_request_refusal_ground_check" check("refusal_ground" in ('NOT_RETAINED_DATA', 'VIOLATES_LAWS', 'HARMS_PERSON_OR_THIRD_PARTY', 'HINDERS_BUSINESS'));`);
  }

}
