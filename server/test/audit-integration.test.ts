import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Role } from '../src/auth/roles.js';
import pg from 'pg';
import { doc, roleUrl, startTestServer, token, type TestServer } from './helpers.js';

let s: TestServer;
let crm: string;
before(async () => {
  s = await startTestServer({
    docs: [doc({
      processors: [{ code: 'host', name: { en: 'Host' }, contract: { signedAt: '2025-01-01', subProcessingAllowed: false } }],
      systems: [
        { key: 'crm', name: 'CRM', datasets: [{ key: 'contacts', name: 'Contacts', fields: [{ path: 'email', identityType: 'EMAIL' }] }] },
        { key: 'hr', name: 'HR', datasets: [{ key: 'employees', name: 'Employees' }] },
      ],
    })],
  });
  crm = await token(Role.INTEGRATION, { system: 'crm', sub: 'crm-bot' });
});
after(() => s?.close());

const sql = (q: string, p: unknown[] = []) => s.orm.em.getConnection().execute(q, p);

test('a successful mutation writes an audit event with actor, before and after, in the same transaction', async () => {
  const c = await s.gql('mutation { createProcessor(input: { code: "mail", name: { en: "Mail" }, country: "US" }) { processor { id version } } }');
  const id = c.data.createProcessor.processor.id;
  await s.gql(`mutation { updateProcessor(input: { id: "${id}", version: 1, country: "IE" }) { processor { version } } }`);
  const r = await s.gql(`{ auditEvents(filter: { entityType: "Processor", entityId: "${id}" }) { totalCount edges { node { operation outcome actorSub actorRoles before after requestId at } } } }`);
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  assert.equal(r.data.auditEvents.totalCount, 2);
  const [update, create] = r.data.auditEvents.edges.map((e: any) => e.node);
  assert.equal(create.operation, 'createProcessor');
  assert.equal(create.before, null);
  assert.equal(create.after.country, 'US');
  assert.equal(update.before.country, 'US');
  assert.equal(update.after.country, 'IE');
  assert.equal(update.actorSub, 'test-admin');
  assert.deepEqual(update.actorRoles, ['PRIVACY_ADMIN']);
  assert.ok(update.requestId);
  const failed = await s.gql(`mutation { updateProcessor(input: { id: "${id}", version: 1, country: "JP" }) { processor { version } } }`);
  assert.equal(failed.errors?.[0].extensions.code, 'CONFLICT');
  const after = await s.gql(`{ auditEvents(filter: { entityType: "Processor", entityId: "${id}" }) { totalCount } }`);
  assert.equal(after.data.auditEvents.totalCount, 2, 'a rejected write leaves no audit event');
});

test('the database refuses UPDATE, DELETE and TRUNCATE on audit events, to the application role and to the owner', async () => {
  const [{ n }] = await sql('select count(*) as n from audit_event');
  assert.ok(Number(n) > 0);
  await assert.rejects(sql(`update audit_event set actor_sub = 'forged'`), /permission denied/);
  await assert.rejects(sql('delete from audit_event'), /permission denied/);
  await assert.rejects(sql('truncate audit_event'), /permission denied/);
  const owner = new pg.Client({ connectionString: roleUrl('owner', s.orm.config.get('clientUrl')) });
  await owner.connect();
  try {
    await assert.rejects(owner.query(`update audit_event set actor_sub = 'forged'`), /append-only/);
    await assert.rejects(owner.query('delete from audit_event'), /append-only/);
    await assert.rejects(owner.query('truncate audit_event'), /append-only/);
  } finally {
    await owner.end();
  }
  const [{ forged }] = await sql(`select count(*) as forged from audit_event where actor_sub = 'forged'`);
  assert.equal(Number(forged), 0);
  assert.equal(Number((await sql('select count(*) as n from audit_event'))[0].n), Number(n));
});

test('an integration writes its own system and nothing else; another system\'s records look absent', async () => {
  const systems = await s.gql('{ systems { edges { node { id key } } } }');
  const id = (k: string) => systems.data.systems.edges.find((e: any) => e.node.key === k).node.id;
  const own = await s.gql(`mutation { createDataset(input: { systemId: "${id('crm')}", key: "leads", name: "Leads" }) { dataset { id key system { key } } } }`, {}, { token: crm });
  assert.equal(own.errors, undefined, JSON.stringify(own.errors));
  const before = Number((await sql('select count(*) as n from dataset'))[0].n);
  const NONE = '2147483000';
  // The answer for another system's record is the answer for no record: same code, same message (ids aside).
  const same = (a: any, b: any, ids: [string, string], label: string) => {
    assert.ok(a.errors?.length && b.errors?.length, label);
    const norm = (r: any, id: string) => JSON.parse(JSON.stringify(r.errors).replace(new RegExp(`(with id |Dataset )${id}\\b`, 'g'), '$1#'));
    assert.deepEqual(norm(a, ids[0]), norm(b, ids[1]), label);
    assert.doesNotMatch(JSON.stringify(a.errors), /"hr"|\bhr\b|PRIVACY_ADMIN/, `${label}: names no other system`);
  };
  const create = (systemId: string) => s.gql(`mutation { createDataset(input: { systemId: "${systemId}", key: "leak", name: "Leak" }) { dataset { id } } }`, {}, { token: crm });
  const other = await create(id('hr'));
  assert.equal(other.errors?.[0].extensions.code, 'BAD_USER_INPUT');
  same(other, await create(NONE), [id('hr'), NONE], 'create in another system');
  const hrDataset = (await s.gql('{ datasets(filter: { search: "employees" }) { edges { node { id version } } } }')).data.datasets.edges[0].node;
  const update = (datasetId: string) => s.gql(`mutation { updateDataset(input: { id: "${datasetId}", version: ${hrDataset.version}, name: "Mine now" }) { dataset { id } } }`, {}, { token: crm });
  const edit = await update(hrDataset.id);
  assert.equal(edit.errors?.[0].extensions.code, 'NOT_FOUND');
  same(edit, await update(NONE), [hrDataset.id, NONE], 'update of another system\'s dataset');
  const archive = (datasetId: string) => s.gql(`mutation { archiveDataset(input: { id: "${datasetId}", version: ${hrDataset.version} }) { dataset { id } } }`, {}, { token: crm });
  same(await archive(hrDataset.id), await archive(NONE), [hrDataset.id, NONE], 'archive of another system\'s dataset');
  const ownDataset = own.data.createDataset.dataset;
  const moveTo = (systemId: string) => s.gql(`mutation { updateDataset(input: { id: "${ownDataset.id}", version: 1, systemId: "${systemId}" }) { dataset { id } } }`, {}, { token: crm });
  same(await moveTo(id('hr')), await moveTo(NONE), [id('hr'), NONE], 'cannot move its dataset into another system');
  assert.equal(Number((await sql('select count(*) as n from dataset'))[0].n), before, 'nothing written');
  const [{ name }] = await sql('select name from dataset where id = ?', [hrDataset.id]);
  assert.equal(name, 'Employees');
  const denied = await s.gql('{ auditEvents(filter: { actor: "crm-bot", outcome: DENIED }) { totalCount edges { node { operation entityId reason } } } }');
  assert.equal(denied.data.auditEvents.totalCount, 4, 'each refusal is audited; lookups of absent records are not refusals');
  const edits = denied.data.auditEvents.edges.map((e: any) => e.node).filter((n: any) => n.operation === 'updateDataset' && n.entityId === hrDataset.id);
  assert.equal(edits.length, 1, 'the denial names its target');
  assert.match(edits[0].reason, /hr/, 'the trail keeps the reason the caller is not told');
});

test('an integration sees only its own system and none of the processors\' contracts', async () => {
  const r = await s.gql('{ systems { edges { node { key datasets { key } } } } datasets { edges { node { key } } } }', {}, { token: crm });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  assert.deepEqual(r.data.systems.edges.map((e: any) => e.node.key), ['crm']);
  assert.deepEqual(r.data.datasets.edges.map((e: any) => e.node.key).sort(), ['contacts', 'leads']);
  const hrId = (await s.gql('{ datasets(filter: { search: "employees" }) { edges { node { id } } } }')).data.datasets.edges[0].node.id;
  const read = await s.gql(`{ dataset(id: "${hrId}") { key } }`, {}, { token: crm });
  assert.deepEqual(read, await s.gql('{ dataset(id: "2147483000") { key } }', {}, { token: crm }), 'another system\'s dataset reads like none');
  assert.equal(read.data.dataset, null);
  const audited = await s.gql(`{ auditEvents(filter: { actor: "crm-bot", outcome: DENIED, entityType: "Dataset", entityId: "${hrId}" }) { edges { node { operation } } } }`);
  assert.ok(audited.data.auditEvents.edges.some((e: any) => e.node.operation === 'dataset'), 'the refused read is audited with its target');
  const contract = await s.gql('{ processors { edges { node { code contract { signedAt } } } } }', {}, { token: crm });
  assert.equal(contract.errors?.[0].extensions.code, 'FORBIDDEN');
  const taxonomy = await s.gql('{ processors { edges { node { code } } } dataCategories { code } }', {}, { token: crm });
  assert.equal(taxonomy.errors, undefined, 'the taxonomy it tags with is readable');
  const leak = await s.gql('{ dataCategories { fields { path } } }', {}, { token: crm });
  assert.equal(leak.errors?.[0].extensions.code, 'FORBIDDEN');
});

test('an integration cannot reach audit status or records outside its reading set through nested fields', async () => {
  for (const q of [
    '{ processors { edges { node { code nextAuditDue } } } }',
    '{ processors(filter: { auditOverdue: true }) { edges { node { code } } } }',
    '{ processingActivities { edges { node { securityMeasures { code } } } } }',
    '{ storageLocations { assessment { country } } }',
    '{ subjectCategories { activities { foreignTransfers { code } } } }',
  ]) {
    const r = await s.gql(q, {}, { token: crm });
    assert.equal(r.errors?.[0].extensions.code, 'FORBIDDEN', q);
  }
});
