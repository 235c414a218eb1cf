import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { Role } from '../src/auth/roles.js';
import { startTestServer, token, type TestServer } from './helpers.js';

/** The checklist of what must be announced is read from the audit trail of changes made through the API. */
let s: TestServer;
before(async () => { s = await startTestServer({ seed: 'notice' }); });
after(() => s?.close());

async function ok<T = any>(query: string, variables: Record<string, unknown> = {}, tok?: string): Promise<T> {
  const r = await s.gql(query, variables, { token: tok });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return r.data as T;
}

const CHECKLIST = `query($since: DateTime!, $until: DateTime) { noticeChangeChecklist(since: $since, until: $until) {
  code label { ja en } legalBasis duty { ja en } required events { id at entityType entityId entityCode operation fields } } }`;
type Item = { code: string; label: { ja: string; en: string }; legalBasis: string; required: boolean; events: Array<{ id: string; entityType: string; entityId: string; operation: string; fields: string[] }> };
const checklist = async (since: string, until?: string, tok?: string) => (await ok<{ noticeChangeChecklist: Item[] }>(CHECKLIST, { since, until: until ?? null }, tok)).noticeChangeChecklist;
const mark = async () => { await sleep(20); const at = new Date().toISOString(); await sleep(20); return at; };

test('a change goes under the item its fields call for, an unrelated change under none', async () => {
  const t0 = await mark();
  const { jointUseArrangements: [ju] } = await ok('{ jointUseArrangements { id version name { ja en } responsibleManager { name { ja en } address { ja en } } } }');
  // Only the display name: not an item the law asks to announce.
  const renamed = await ok('mutation($i: UpdateJointUseArrangementInput!) { updateJointUseArrangement(input: $i) { jointUseArrangement { version } } }', { i: { id: ju.id, version: ju.version, name: { ja: `${ju.name.ja}（名称）`, en: ju.name.en } } });
  const { processingActivities: { edges: [{ node: pa }] } } = await ok('{ processingActivities(first: 1) { edges { node { id version description { ja en } } } } }');
  await ok('mutation($i: UpdateProcessingActivityInput!) { updateProcessingActivity(input: $i) { processingActivity { version } } }', { i: { id: pa.id, version: pa.version, description: { ja: '説明の変更', en: 'description changed' } } });
  const t1 = await mark();
  assert.deepEqual((await checklist(t0)).filter((i) => i.required).map((i) => i.code), [], 'nothing to announce for a name or a description');

  await ok('mutation($i: UpdateJointUseArrangementInput!) { updateJointUseArrangement(input: $i) { jointUseArrangement { version } } }', {
    i: { id: ju.id, version: renamed.updateJointUseArrangement.jointUseArrangement.version, responsibleManager: { name: { ja: '新しい責任者株式会社', en: 'New Manager KK' }, address: ju.responsibleManager.address } },
  });
  const { purposes: [p] } = await ok('{ purposes { id version text { ja en } } }');
  await ok('mutation($i: UpdatePurposeInput!) { updatePurpose(input: $i) { purpose { version } } }', { i: { id: p.id, version: p.version, text: { ja: `${p.text.ja}（改定）`, en: p.text.en } } });

  const items = await checklist(t0);
  // Every catalogue item is listed, required or not, with both languages and its article.
  assert.ok(items.length >= 8 && items.every((i) => i.label.ja && i.label.en && /APPI Art\./.test(i.legalBasis)));
  assert.deepEqual(items.filter((i) => i.required).map((i) => i.code), ['JOINT_USE_RESPONSIBLE', 'PURPOSE_OF_USE']);
  const responsible = items.find((i) => i.code === 'JOINT_USE_RESPONSIBLE')!;
  assert.equal(responsible.legalBasis, 'APPI Art. 27(6)');
  assert.equal(responsible.events.length, 1);
  assert.deepEqual({ ...responsible.events[0], id: undefined }, { id: undefined, entityType: 'JointUseArrangement', entityId: ju.id, operation: 'updateJointUseArrangement', fields: ['responsibleManager'], at: (responsible.events[0] as any).at, entityCode: (responsible.events[0] as any).entityCode });
  const purpose = items.find((i) => i.code === 'PURPOSE_OF_USE')!;
  assert.deepEqual(purpose.events.map((e) => [e.entityType, e.entityId, e.fields]), [['Purpose', p.id, ['text']]]);

  // The event behind an item is the audit trail's own.
  const trail = await ok('query($f: AuditEventFilter) { auditEvents(filter: $f) { edges { node { id operation } } } }', { f: { entityType: 'JointUseArrangement', entityId: ju.id, from: t1 } });
  assert.deepEqual(trail.auditEvents.edges.map((e: any) => e.node.id), [responsible.events[0].id]);

  // A window that ends before the changes holds none of them.
  assert.deepEqual((await checklist(t0, t1)).filter((i) => i.required).map((i) => i.code), []);
});

test('auditors read it; a role that cannot read the audit trail is refused; a reversed window is bad input', async () => {
  const since = new Date(Date.now() - 86_400_000).toISOString();
  assert.ok((await checklist(since, undefined, await token(Role.AUDITOR))).length > 0);
  const refused = await s.gql(CHECKLIST, { since }, { token: await token(Role.PRIVACY_ANALYST) });
  assert.equal(refused.errors?.[0]?.extensions.code, 'FORBIDDEN');
  const bad = await s.gql(CHECKLIST, { since, until: since });
  assert.equal(bad.errors?.[0]?.extensions.code, 'BAD_USER_INPUT');
  assert.equal(bad.errors?.[0]?.extensions.field, 'until');
});
