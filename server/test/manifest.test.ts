import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { openOrm } from '../src/db/orm.js';
import { importManifests, readManifests, ManifestError } from '../src/manifest/importer.js';
import { PassThrough } from 'node:stream';
import { text } from 'node:stream/consumers';
import { exportManifest, exportPages, manifestToYaml, writeManifest } from '../src/manifest/exporter.js';
import { installSqlCounter, sqlScope } from '../src/observability/sql-counter.js';
import { seedDirs } from '../src/manifest/seed.js';
import { manifestValidator } from '../src/manifest/json-schema.js';
import { API_VERSION } from '../src/manifest/sections.js';
import { buildWriteSpecs } from '../src/graphql/crud.js';
import { doc, freshDatabaseUrl } from './helpers.js';

async function withDb<T>(fn: (orm: Awaited<ReturnType<typeof openOrm>>) => Promise<T>): Promise<T> {
  const orm = await openOrm(await freshDatabaseUrl());
  try {
    return await fn(orm);
  } finally {
    await orm.close(true);
  }
}

const versions = async (orm: Awaited<ReturnType<typeof openOrm>>) =>
  (await orm.em.getConnection().execute('select sum(version) as v, count(*) as n from processing_activity'))[0];

test('importing the same manifests twice changes nothing', async () => {
  await withDb(async (orm) => {
    const docs = await readManifests(seedDirs('demo'));
    const first = await importManifests(orm, docs);
    assert.ok(first.created > 100, `created ${first.created}`);
    const before = await versions(orm);
    const second = await importManifests(orm, docs);
    assert.equal(second.created, 0);
    assert.equal(second.updated, 0);
    assert.deepEqual(await versions(orm), before);
  });
});

/** Rows of every entity and link table: what an export that lost a reference or a link would not bring back. */
async function tableCounts(orm: Awaited<ReturnType<typeof openOrm>>): Promise<Record<string, number>> {
  const tables = new Set<string>();
  for (const meta of Object.values(orm.getMetadata().getAll())) {
    if (meta.tableName && !meta.embeddable && !meta.virtual) tables.add(meta.tableName);
    for (const p of meta.props) if (p.pivotTable) tables.add(p.pivotTable);
  }
  tables.delete('audit_event');
  const counts: Record<string, number> = {};
  for (const t of [...tables].sort()) counts[t] = Number((await orm.em.getConnection().execute(`select count(*) as n from "${t}"`))[0].n);
  return counts;
}

test('an export re-imported into an empty database gives the same inventory', async () => {
  let seeded: Record<string, number> = {};
  const first = await withDb(async (orm) => {
    await importManifests(orm, await readManifests(seedDirs('demo')));
    seeded = await tableCounts(orm);
    return exportManifest(orm);
  });
  const second = await withDb(async (orm) => {
    const r = await importManifests(orm, [{ file: 'export.yaml', data: first }]);
    assert.equal(r.updated, 0);
    assert.deepEqual(await tableCounts(orm), seeded, 'every record and every link came back');
    // The streamed file is the same text, read with a bounded number of statements (one per page
    // and child section, not one per parent: the seed has hundreds of parents).
    installSqlCounter();
    const out = new PassThrough();
    const tally = { statements: 0 };
    const [streamed] = await Promise.all([text(out), sqlScope.run(tally, async () => { await writeManifest(orm, out); out.end(); })]);
    assert.ok(tally.statements <= 60, `${tally.statements} statements`);
    assert.equal(streamed, manifestToYaml(first));
    return exportManifest(orm);
  });
  assert.equal(manifestToYaml(second), manifestToYaml(first));
  assert.ok((first.purposes as unknown[]).length >= 52);
});

test('an export beside a writer: a record created while it runs is written by its code', async () => {
  await withDb(async (orm) => {
    await importManifests(orm, await readManifests(seedDirs('demo')));
    const conn = orm.em.getConnection();
    const purposes = orm.getMetadata().find('ProcessingActivity')!.properties.purposes;
    const [first] = (await conn.execute('select "id", "code" from "processing_activity" order by "id" limit 1')) as Array<{ id: number; code: string }>;
    let added = false;
    let exported: Record<string, unknown> | undefined;
    for await (const { section, items } of exportPages(orm)) {
      // Joint uses name purposes, so the export knows every purpose code by then; the new one comes after.
      if (section.key === 'jointUseArrangements' && !added) {
        await importManifests(orm, [{ file: 'late.yaml', data: { apiVersion: 'kiroku/v1', purposes: [{ code: 'p-late', text: { en: 'Added during the export' } }] } }]);
        const [late] = (await conn.execute(`select "id" from "purpose" where "code" = 'p-late'`)) as Array<{ id: number }>;
        await conn.execute(`insert into "${purposes.pivotTable}" ("${purposes.joinColumns[0]}", "${purposes.inverseJoinColumns[0]}") values (?, ?)`, [first.id, late.id]);
        added = true;
      }
      if (section.key === 'processingActivities') exported ??= items.find((i) => i.code === first.code);
    }
    assert.ok(added, 'the seed has joint uses');
    assert.ok((exported?.purposes as string[]).includes('p-late'), JSON.stringify(exported?.purposes));
  });
});

test('a bad manifest is rejected as a whole, with every problem named, and writes nothing', async () => {
  await withDb(async (orm) => {
    const good = doc({ purposes: [{ code: 'billing', text: { en: 'Billing' } }] }, 'seeds/a.yaml');
    // One document with each kind of problem: a schema violation, a duplicate and unknown codes.
    const bad = doc({
      subjectCategories: [{ code: 'ok', name: { en: 'OK' } }, { code: 'ok', name: { en: 'Twice' } }],
      storageLocations: [{ code: 'x', name: { en: 'X' }, country: 'Japan' }],
      processingActivities: [
        { code: 'a', name: { en: 'A' }, purposes: ['billing', 'no-such-purpose'], subjectCategories: ['ok'] },
        { code: 'b', name: { en: 'B' }, storageLocations: ['x'] },
      ],
    }, 'seeds/b.yaml');
    await assert.rejects(importManifests(orm, [good, bad]), (e: unknown) => {
      assert.ok(e instanceof ManifestError);
      const got = e.problems.map((p) => `${p.file} ${p.path}`).sort();
      assert.deepEqual(got, [
        'seeds/b.yaml /processingActivities/0/purposes/1',
        'seeds/b.yaml /storageLocations/0/country',
        'seeds/b.yaml /subjectCategories/1/code',
      ], JSON.stringify(e.problems));
      assert.match(e.problems.find((p) => p.path.endsWith('/code'))!.message, /defined twice/);
      assert.match(e.problems.find((p) => p.path.endsWith('/purposes/1'))!.message, /no Purpose with code "no-such-purpose"/);
      return true;
    });
    for (const table of ['processing_activity', 'purpose', 'subject_category', 'storage_location']) {
      const [{ n }] = await orm.em.getConnection().execute(`select count(*) as n from "${table}"`);
      assert.equal(Number(n), 0, `nothing written to ${table}`);
    }
  });
});

test('codes inside the organization\'s provision rules must exist', async () => {
  await withDb(async (orm) => {
    const bad = doc({
      organization: { code: 'org', name: { en: 'Org' }, provisionRules: [{ code: 'r1', route: 'CONSENT', text: { en: 'With consent' }, legalBasisCodes: ['nope'], appliesTo: [] }] },
    });
    await assert.rejects(importManifests(orm, [bad]), (e: unknown) => e instanceof ManifestError && e.problems[0].path === '/organization/provisionRules/0/legalBasisCodes/0');
  });
});

test('URL fields of a manifest take https URLs only, like the API', async () => {
  await withDb(async (orm) => {
    const bad = doc({
      jointUseArrangements: [{ code: 'ju', name: { en: 'JU' }, itemsText: { en: 'Name' }, scope: { en: 'Group' }, responsibleManager: { name: { en: 'M' } }, memberListUrl: 'javascript:alert(1)' }],
      organization: { code: 'org', name: { en: 'Org' }, privacyManager: { name: { en: 'PM' }, contactUrl: 'http://org.example/contact' } },
    });
    await assert.rejects(importManifests(orm, [bad]), (e: unknown) => {
      assert.ok(e instanceof ManifestError);
      const paths = e.problems.map((p) => p.path);
      assert.ok(paths.includes('/jointUseArrangements/0/memberListUrl'), JSON.stringify(e.problems));
      assert.ok(paths.includes('/organization/privacyManager/contactUrl'), JSON.stringify(e.problems));
      return true;
    });
    const [{ n }] = await orm.em.getConnection().execute('select count(*) as n from joint_use_arrangement');
    assert.equal(Number(n), 0);
  });
});

test('the manifest validator is compiled once and kept: the next process loads the same checks from the cache', async () => {
  await withDb(async (orm) => {
    const specs = buildWriteSpecs(orm.getMetadata());
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiroku-validators-'));
    try {
      const bad = [
        { apiVersion: API_VERSION, bogus: 1 },
        { apiVersion: API_VERSION, organization: { code: 'org', name: { en: 'Org' }, privacyManager: { name: { en: 'PM' }, contactUrl: 'http://org.example/contact' } } },
        { apiVersion: API_VERSION, purposes: [{ code: 7, text: 'plain' }], storageLocations: [{ code: 'x', name: { en: 'X' }, country: 'Japan' }] },
      ];
      const good = { apiVersion: API_VERSION, organization: { code: 'org', name: { en: 'Org' }, privacyManager: { name: { en: 'PM' }, contactUrl: 'https://org.example/contact' } } };
      const verdicts = (v: ReturnType<typeof manifestValidator>) => [...bad, good].map((d) => [v(d), v.errors]);

      const compiled = manifestValidator(specs, dir);
      const [file] = await fs.readdir(dir);
      assert.match(file, /^manifest-validator-[0-9a-f]+\.cjs$/);
      const written = (await fs.stat(path.join(dir, file))).mtimeMs;
      const loaded = manifestValidator(specs, dir);
      assert.deepEqual(await fs.readdir(dir), [file]);
      assert.equal((await fs.stat(path.join(dir, file))).mtimeMs, written, 'loaded, not compiled and written again');
      assert.ok('source' in compiled && !('source' in loaded), 'the second is the kept standalone code');

      const expected = verdicts(compiled);
      assert.deepEqual(expected.map(([ok]) => ok), [false, false, false, true]);
      assert.ok(expected.some(([, errors]) => (errors as Array<{ keyword: string }>).some((e) => e.keyword === 'format')), 'the URL format is checked');
      assert.deepEqual(verdicts(loaded), expected);

      // A damaged file is compiled over, not trusted.
      await fs.writeFile(path.join(dir, file), 'module.exports = (');
      assert.deepEqual(verdicts(manifestValidator(specs, dir)), expected);
      assert.deepEqual(verdicts(manifestValidator(specs, dir)), expected);
      assert.match(await fs.readFile(path.join(dir, file), 'utf8'), /^module\.exports = function \(formats\)/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
