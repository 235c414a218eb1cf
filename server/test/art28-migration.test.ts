import assert from 'node:assert/strict';
import { test } from 'node:test';
import { databaseAt } from './helpers.js';

test('the migration turns the free-text outline, impediments and response of an equivalent-measures transfer into its Art. 18(3) items', async () => {
  const db = await databaseAt('Migration20261128043655_legal_procedure_data');
  try {
    const { sql } = db;
    const insert = (code: string, basis: string) => sql(
      `insert into "foreign_transfer" ("code", "recipient_name", "recipient_kind", "country", "basis", "measures_outline", "impediments", "implementation_problems", "impediment_response")
       values (?, '{"en":"R"}', 'PROCESSOR', 'US', ?, '{"ja":"契約で定める"}', '{"ja":"政府アクセス法"}', null, '{"ja":"暗号化"}')`, [code, basis]);
    await insert('ft-eq', 'EQUIVALENT_MEASURES_CONTRACT');
    await insert('ft-consent', 'CONSENT_WITH_INFORMATION');
    await db.migrateRest();
    const rows = await sql(`select "code", "equivalent_measures_items" as items from "foreign_transfer" order by "code"`);
    assert.deepEqual(rows, [
      { code: 'ft-consent', items: null },
      { code: 'ft-eq', items: {
        measuresOutline: { state: 'STATED', text: { ja: '契約で定める' } },
        regime: { state: 'STATED', text: { ja: '政府アクセス法' } },
        impedimentMeasures: { state: 'STATED', text: { ja: '暗号化' } },
      } },
    ]);
  } finally {
    await db.close();
  }
});

test('the migration turns the country booleans into YES / NO / UNKNOWN: true stays YES, false becomes what the reference data says or UNKNOWN', async () => {
  const db = await databaseAt('Migration20261128082817_action_refusal_ground');
  try {
    const { sql } = db;
    const insert = (country: string, appi: boolean, eu: boolean, cbpr: boolean) =>
      sql(`insert into "country_assessment" ("country", "appi_adequate", "eu_adequacy", "cbpr", "regime") values (?, ?, ?, ?, '{"en":"kept"}')`, [country, appi, eu, cbpr]);
    await insert('IE', true, false, false);
    await insert('US', false, false, false);
    // Not in the reference data: only a stored true is known.
    await insert('BD', false, false, true);
    await sql(`insert into "foreign_transfer" ("code", "recipient_name", "recipient_kind", "country", "basis") values ('ft', '{"en":"R"}', 'PROCESSOR', 'US', 'CONSENT_WITH_INFORMATION')`);
    await db.migrateRest();
    const rows = await sql(`select "country", "appi_designation" as a, "eu_adequacy_decision" as e, "cbpr_participation" as c, "regime", "government_access_laws" as laws from "country_assessment" order by "country"`);
    assert.deepEqual(rows, [
      { country: 'BD', a: 'UNKNOWN', e: 'UNKNOWN', c: 'YES', regime: { en: 'kept' }, laws: [] },
      { country: 'IE', a: 'YES', e: 'YES', c: 'NO', regime: { en: 'kept' }, laws: [] },
      { country: 'US', a: 'NO', e: 'NO', c: 'YES', regime: { en: 'kept' }, laws: [] },
    ]);
    const [ft] = await sql(`select "contract_clauses" as clauses, "items_text" as items from "foreign_transfer"`);
    assert.deepEqual(ft, { clauses: [], items: null });
    const [ref] = await sql(`select count(*)::int as n, min("as_of")::text as "asOf" from "country_reference"`);
    assert.ok(ref.n >= 50, `${ref.n} countries shipped`);
    assert.match(ref.asOf, /^\d{4}-\d{2}-\d{2}$/);
  } finally {
    await db.close();
  }
});
