import { Migration } from '@mikro-orm/migrations';

/**
 * Where the public notice prints a statement used to be read from the statement's code (a pattern
 * taken from one notice); it is now the statement's own `placement`. Existing statements get the
 * placement the old rule gave them, so the notices they generate do not change.
 */
export class Migration20261128081500_notice_statement_placement extends Migration {

  override async up(): Promise<void> {
    const printedAfterPurposes = ['web-beacon', 'call-recording', 'specific-notice', 'provision-voluntary', 'ma-tool'].map((p) => `s->>'code' like '%${p}%'`).join(' or ');
    this.addSql(`update "organization" o set "statements" = (
      select coalesce(jsonb_agg(case
          when s->>'code' ~ '^stmt-cookie-usage-category-[0-9]+$' then s || jsonb_build_object('placement', 'SUBJECT_CATEGORY',
            'subjectCategoryCode', (select sc."code" from "subject_category" sc where sc."archived_at" is null and sc."number" = substring(s->>'code' from '([0-9]+)$')::int order by sc."id" limit 1))
          when ${printedAfterPurposes} then s || '{"placement": "PURPOSES"}'::jsonb
          else s end order by n), '[]'::jsonb)
      from jsonb_array_elements(o."statements") with ordinality as x(s, n))
      where jsonb_typeof(o."statements") = 'array';`);
  }

  override async down(): Promise<void> {
    this.addSql(`update "organization" o set "statements" = (
      select coalesce(jsonb_agg(s - 'placement' - 'subjectCategoryCode' order by n), '[]'::jsonb) from jsonb_array_elements(o."statements") with ordinality as x(s, n))
      where jsonb_typeof(o."statements") = 'array';`);
  }

}
