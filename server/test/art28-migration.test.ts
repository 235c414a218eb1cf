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
