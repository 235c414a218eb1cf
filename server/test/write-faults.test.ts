import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { importManifests, ManifestError } from '../src/manifest/importer.js';
import pg from 'pg';
import { doc, roleUrl, startTestServer, type TestServer } from './helpers.js';

/**
 * Faults in the middle of a write, made real by PostgreSQL triggers that raise on chosen rows:
 * each write is one transaction, so a failure anywhere in it (the audit record included) leaves
 * nothing behind.
 */
let s: TestServer;
const sql = async (q: string, p: unknown[] = []) => s.orm.em.getConnection().execute(q, p);
const count = async (q: string, p: unknown[] = []) => Number((await sql(q, p))[0].n);
before(async () => {
  s = await startTestServer({
    docs: [doc({
      dataCategories: [{ code: 'contact.email', name: { en: 'Email' }, identityType: 'EMAIL' }],
      purposes: [{ code: 'billing', text: { en: 'Billing' } }],
      processors: [{ code: 'host', name: { en: 'Host' }, country: 'JP' }],
      systems: [{ key: 'crm', name: 'CRM', datasets: [{ key: 'keep', name: 'Kept', fields: [{ path: 'email', identityType: 'EMAIL' }] }] }],
    })],
  });
  // Rows named in test_fault make the insert fail, as a full disk or a lost connection would. The
  // server's role may not create tables or triggers: the superuser plants them.
  const admin = new pg.Client({ connectionString: roleUrl('admin', s.orm.config.get('clientUrl')) });
  await admin.connect();
  const ddl = (q: string) => admin.query(q);
  await ddl(`create table test_fault (tbl text not null, val text not null)`);
  await ddl(`grant select, insert, delete on test_fault to public`);
  await ddl(`create function test_fault_raise() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from test_fault f where f.tbl = tg_table_name and f.val = (to_jsonb(new) ->> tg_argv[0])) then
        raise exception 'injected fault on %', tg_table_name;
      end if;
      return new;
    end $$`);
  await ddl(`create trigger test_fault before insert on audit_event for each row execute function test_fault_raise('operation')`);
  await ddl(`create trigger test_fault before insert on dataset_field for each row execute function test_fault_raise('path')`);
  await ddl(`create trigger test_fault before insert on processing_activity for each row execute function test_fault_raise('code')`);
  await admin.end();
});
after(() => s?.close());

async function withFault<T>(tbl: string, val: string, fn: () => Promise<T>): Promise<T> {
  await sql('insert into test_fault (tbl, val) values (?, ?)', [tbl, val]);
  try {
    return await fn();
  } finally {
    await sql('delete from test_fault');
  }
}

const failedInternally = (r: { errors?: Array<{ extensions: Record<string, any> }> }) => {
  assert.equal(r.errors?.[0]?.extensions.code, 'INTERNAL_SERVER_ERROR', JSON.stringify(r));
};

test('a failing audit write rolls back the mutation it records (ORM writes, bulk writes, request intake)', async () => {
  const audits = await count('select count(*) as n from audit_event');

  const created = await withFault('audit_event', 'createPurpose', () => s.gql('mutation { createPurpose(input: { code: "marketing", text: { en: "Marketing" } }) { purpose { id } } }'));
  failedInternally(created);
  assert.equal(await count(`select count(*) as n from purpose where code = 'marketing'`), 0, 'the purpose is not there without its audit record');

  const p = (await s.gql('{ processors { edges { node { id version } } } }')).data.processors.edges[0].node;
  const updated = await withFault('audit_event', 'updateProcessor', () => s.gql(`mutation { updateProcessor(input: { id: "${p.id}", version: ${p.version}, name: { en: "Renamed" } }) { processor { id } } }`));
  failedInternally(updated);
  const [row] = await sql('select version, name from processor where id = ?', [p.id]);
  assert.deepEqual([row.version, row.name.en], [p.version, 'Host'], 'neither the change nor the version bump stays');

  const pushed = await withFault('audit_event', 'registerDatasets', () => s.gql('mutation { registerDatasets(input: { systemKey: "crm", prune: false, datasets: [{ key: "new-one", name: "New" }] }) { results { status } } }'));
  failedInternally(pushed);
  assert.equal(await count(`select count(*) as n from dataset where key = 'new-one'`), 0);

  const intake = await withFault('audit_event', 'createDataSubjectRequest', () => s.gql('mutation($input: CreateDataSubjectRequestInput!) { createDataSubjectRequest(input: $input) { request { id } } }', {
    input: { framework: 'APPI', type: 'DISCLOSE', channel: 'WEB', requester: { kind: 'SELF' }, responseMethod: 'ELECTRONIC', identities: [{ type: 'EMAIL', value: 'fault@example.com' }] },
  }));
  failedInternally(intake);
  assert.equal(await count('select count(*) as n from data_subject_request'), 0);
  assert.equal(await count('select count(*) as n from request_identity'), 0);

  assert.equal(await count('select count(*) as n from audit_event'), audits, 'no audit record of writes that did not happen');
  // The same writes go through once the fault is gone: the failures were the injected ones.
  assert.equal((await s.gql('mutation { createPurpose(input: { code: "marketing", text: { en: "Marketing" } }) { purpose { id } } }')).errors, undefined);
});

test('a failure halfway through registerDatasets leaves nothing: no dataset, field, change or audit record', async () => {
  const before = await sql(`select d.key, d.name, d.version, (select count(*) from dataset_field f where f.dataset_id = d.id) as fields from dataset d order by d.key`);
  const audits = await count('select count(*) as n from audit_event');
  const push = { systemKey: 'crm', prune: true, datasets: [
    { key: 'keep', name: 'Kept, renamed', fields: [{ path: 'email', identityType: 'EMAIL' }, { path: 'phone', identityType: 'PHONE' }] },
    { key: 'first', name: 'First', fields: [{ path: 'id', identityType: 'CUSTOMER_ID' }] },
    { key: 'second', name: 'Second', fields: [{ path: 'ok' }, { path: 'explodes' }] },
  ] };
  const r = await withFault('dataset_field', 'explodes', () => s.gql('mutation($input: RegisterDatasetsInput!) { registerDatasets(input: $input) { results { key status } } }', { input: push }));
  failedInternally(r);
  assert.deepEqual(await sql(`select d.key, d.name, d.version, (select count(*) from dataset_field f where f.dataset_id = d.id) as fields from dataset d order by d.key`), before);
  assert.equal(await count('select count(*) as n from audit_event'), audits);
  const again = await s.gql('mutation($input: RegisterDatasetsInput!) { registerDatasets(input: $input) { results { key status } } }', { input: push });
  assert.equal(again.errors, undefined, JSON.stringify(again.errors));
  assert.deepEqual(again.data.registerDatasets.results.map((x: any) => [x.key, x.status]), [['keep', 'UPDATED'], ['first', 'CREATED'], ['second', 'CREATED']]);
});

test('a failure halfway through an import leaves nothing: earlier sections and updates are rolled back too', async () => {
  const snapshot = async () => ({
    purposes: await sql('select code, text, version from purpose order by code'),
    activities: await count('select count(*) as n from processing_activity'),
    categories: await count('select count(*) as n from subject_category'),
  });
  const before = await snapshot();
  const manifest = doc({
    subjectCategories: [{ code: 'customers', name: { en: 'Customers' } }],
    purposes: [{ code: 'billing', text: { en: 'Billing and invoicing' } }, { code: 'support', text: { en: 'Support' } }],
    processingActivities: [
      { code: 'pa-ok', name: { en: 'Fine' }, purposes: ['billing'], subjectCategories: ['customers'] },
      { code: 'pa-explodes', name: { en: 'Breaks' }, purposes: ['support'] },
    ],
  });
  await assert.rejects(withFault('processing_activity', 'pa-explodes', () => importManifests(s.orm, [manifest])), (e: Error) => !(e instanceof ManifestError) && /injected fault/.test(e.message));
  assert.deepEqual(await snapshot(), before, 'neither the new records nor the changed purpose text stay');
  const ok = await importManifests(s.orm, [manifest]);
  assert.equal(ok.created, 4);
  assert.equal(ok.updated, 1);
});
