import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from './helpers.js';

/** The public notice as of a date, rebuilt from the audit trail, is the notice that was generated then. */
let s: TestServer;
before(async () => { s = await startTestServer({ seed: 'notice' }); });
after(() => s?.close());

async function ok<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const r = await s.gql(query, variables);
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return r.data as T;
}

const NOTICE = 'query($asOf: DateTime, $l: ReportLanguage!) { publicNotice(language: $l, format: MARKDOWN, asOf: $asOf) }';
const notice = async (language: 'JA' | 'EN', asOf?: string) => (await ok(NOTICE, { l: language, asOf: asOf ?? null })).publicNotice as string;

test('the notice as of each step is the notice generated at that step', async () => {
  const steps: Array<{ at: string; ja: string; en: string }> = [];
  const mark = async () => {
    await sleep(30);
    const at = new Date().toISOString();
    const [ja, en] = [await notice('JA'), await notice('EN')];
    // Rebuilt with nothing to undo, it is the notice generated from the tables.
    assert.equal(await notice('JA', at), ja);
    assert.equal(await notice('EN', at), en);
    steps.push({ at, ja, en });
    await sleep(30);
  };
  await mark();

  const { purposes } = await ok('{ purposes { id version code text { ja en } } }');
  const p = purposes[0];
  await ok('mutation($i: UpdatePurposeInput!) { updatePurpose(input: $i) { purpose { version } } }', { i: { id: p.id, version: p.version, text: { ja: `${p.text.ja}（改定）`, en: `${p.text.en ?? ''} (revised)` } } });
  await mark();

  const { jointUseArrangements: [ju] } = await ok('{ jointUseArrangements { id version purposes { id } scope { ja en } } }');
  assert.ok(ju.purposes.length > 0, 'the seed has a joint use with purposes');
  await ok('mutation($i: UpdateJointUseArrangementInput!) { updateJointUseArrangement(input: $i) { jointUseArrangement { version } } }', { i: { id: ju.id, version: ju.version, purposeIds: ju.purposes.slice(1).map((x: any) => x.id), scope: { ja: '当社グループ会社', en: 'Group companies' } } });
  await mark();

  const { organization: org } = await ok('{ organization { id version name { ja en } } }');
  await ok('mutation($i: UpdateOrganizationInput!) { updateOrganization(input: $i) { organization { version } } }', { i: { id: org.id, version: org.version, name: { ja: `${org.name.ja}（新）`, en: org.name.en } } });
  await mark();

  for (let i = 1; i < steps.length; i++) assert.notEqual(steps[i].ja, steps[i - 1].ja, `step ${i} changed the notice`);
  for (const [i, step] of steps.entries()) {
    assert.equal(await notice('JA', step.at), step.ja, `step ${i} (ja)`);
    assert.equal(await notice('EN', step.at), step.en, `step ${i} (en)`);
  }
});
