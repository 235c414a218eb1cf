import { createHash } from 'node:crypto';
import type pg from 'pg';
import { GraphQLError } from 'graphql';
import type { Context } from '../graphql/context.js';
import { badInput, type Problem } from '../graphql/errors.js';
import { isCountryCode } from '../graphql/validators.js';
import { IdentityType } from '../graphql/enums.js';
import { Role } from '../auth/roles.js';
import { appendAudit, appendAuditEvents } from '../audit/audit-log.js';
import { inTransaction } from '../db/transaction.js';
import { AuditOutcome } from '../audit/audit-event.entity.js';
import { didYouMean } from '../graphql/suggest.js';
import { RegistrationStatus, type RegisterDatasetInput, type RegisterDatasetsInput } from './registration.types.js';

const KEY = /^[A-Za-z0-9][A-Za-z0-9._:\-/]{0,299}$/;
const IDENTITY_TYPES = new Set(Object.values(IdentityType));

interface Desired {
  key: string;
  name: string;
  description: string | null;
  /** What a reply to the person calls the dataset, normalized to { en, ja } (jsonb's key order). */
  publicDescription: { en?: string; ja?: string } | null;
  storageLocationId: number | null;
  processorId: number | null;
  activities: number[];
  fields: Array<{ path: string; description: string | null; identityType: string | null; categories: number[] }>;
}

interface Current extends Desired {
  id: number;
  status: string;
}

/** What a push did (or, in a dry run, would do) to one dataset; `changes` names what an update changes. */
export interface Registered {
  key: string;
  status: RegistrationStatus;
  id: number | null;
  changes?: string[];
}

const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** A localized text in jsonb's key order, empty sides dropped, so that an unchanged push compares equal. */
function normalizedText(l: { en?: string | null; ja?: string | null } | null | undefined): { en?: string; ja?: string } | null {
  const en = l?.en?.trim() ? l.en : undefined;
  const ja = l?.ja?.trim() ? l.ja : undefined;
  return en === undefined && ja === undefined ? null : { ...(en !== undefined ? { en } : {}), ...(ja !== undefined ? { ja } : {}) };
}

const sameText = (a: Desired['publicDescription'], b: Desired['publicDescription']) => a === b || (a !== null && b !== null && a.en === b.en && a.ja === b.ja);

/**
 * Whether a pushed dataset (fields sorted by path, ids sorted) is what is registered. Compared value
 * by value: serializing both sides to compare them was a tenth of an identical re-push's CPU.
 */
function sameDataset(c: Desired, d: Desired): boolean {
  if (c.name !== d.name || c.description !== d.description || c.storageLocationId !== d.storageLocationId || c.processorId !== d.processorId) return false;
  if (!sameText(c.publicDescription, d.publicDescription) || !sameIds(c.activities, d.activities) || c.fields.length !== d.fields.length) return false;
  for (let i = 0; i < c.fields.length; i++) {
    const a = c.fields[i];
    const b = d.fields[i];
    if (a.path !== b.path || a.description !== b.description || a.identityType !== b.identityType || !sameIds(a.categories, b.categories)) return false;
  }
  return true;
}

export class ForbiddenError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'FORBIDDEN' } });
  }
}

/** Checks that the caller may write this system: an admin any, every other token only its own. Audits a refusal. */
export async function assertSystemWriter(ctx: Context, systemKey: string, operation: string): Promise<void> {
  if (!ctx.principal.roles.includes(Role.PRIVACY_ADMIN) && ctx.principal.system !== systemKey) {
    const reason = `this token may only write system "${ctx.principal.system}"`;
    await appendAudit(ctx.em.fork(), ctx.principal, ctx.requestId, { operation, outcome: AuditOutcome.DENIED, entityType: 'System', reason });
    throw new ForbiddenError(reason);
  }
}

/** The ids of live codes, for several tables in one statement: `wanted` maps a table to its codes. */
async function codeMaps<T extends string>(client: pg.PoolClient, wanted: Record<T, { table: string; codes: Set<string> }>): Promise<Record<T, Map<string, number>>> {
  const entries = Object.entries(wanted) as Array<[T, { table: string; codes: Set<string> }]>;
  const out = Object.fromEntries(entries.map(([k]) => [k, new Map<string, number>()])) as Record<T, Map<string, number>>;
  const asked = entries.filter(([, w]) => w.codes.size > 0);
  if (!asked.length) return out;
  const { rows } = await client.query(
    asked.map(([, w], i) => `select ${i}::int as "t", "id", "code" from "${w.table}" where "code" = any($${i + 1}) and "archived_at" is null`).join(' union all '),
    asked.map(([, w]) => [...w.codes]),
  );
  for (const r of rows as Array<{ t: number; id: number; code: string }>) out[asked[r.t][0]].set(r.code, Number(r.id));
  return out;
}

/** Live codes of a table, read only when a push names an unknown one: the suggestion needs them all. */
async function knownCodes(client: pg.PoolClient, table: string): Promise<string[]> {
  const { rows } = await client.query(`select "code" from "${table}" where "archived_at" is null`);
  return rows.map((r: { code: string }) => r.code);
}

/** Thrown inside the transaction of a dry run so that it rolls back, carrying what would have happened. */
class DryRun extends Error {
  constructor(readonly results: Array<Registered>) {
    super('dry run');
  }
}

/**
 * registerDatasets: a system's datasets as they are now, applied in one transaction with
 * set-based statements. Pushes for one system are serialized by an advisory lock, so concurrent
 * identical pushes end with one dataset per key and the later ones find nothing to change.
 */
export async function registerDatasets(ctx: Context, pool: pg.Pool, input: RegisterDatasetsInput, root = 'input'): Promise<Array<Registered>> {
  await assertSystemWriter(ctx, input.systemKey, 'registerDatasets');
  try {
    return await applyRegistration(ctx, pool, input, root);
  } catch (e) {
    if (e instanceof DryRun) return e.results;
    throw e;
  }
}

/**
 * A dry run goes through every statement of a real push and is rolled back at the end, so that
 * its answer (and every problem) is the one the push would get, and nothing is written or audited.
 */
async function applyRegistration(ctx: Context, pool: pg.Pool, input: RegisterDatasetsInput, root: string): Promise<Array<Registered>> {
  return inTransaction(pool, async (client) => {
    // The push's own writes keep the datasets' fingerprints (see the dataset_registration migration).
    await client.query(`select pg_advisory_xact_lock(hashtextextended('kiroku:register:' || $1, 0)), set_config('kiroku.registering', 'on', true)`, [input.systemKey]);
    const sys = await client.query('select "id" from "system" where "key" = $1 and "archived_at" is null', [input.systemKey]);
    if (sys.rowCount === 0) {
      const keys = await client.query('select "key" from "system" where "archived_at" is null');
      throw badInput([{ path: `${root}.systemKey`, message: `no system with key "${input.systemKey}"${didYouMean(input.systemKey, keys.rows.map((r: { key: string }) => r.key))}` }]);
    }
    const systemId = Number(sys.rows[0].id);

    // One validation pass over the whole push; every problem is reported.
    const problems: Problem[] = [];
    const codes = { processor: new Set<string>(), activity: new Set<string>(), category: new Set<string>(), location: new Set<string>() };
    const seenKeys = new Map<string, number>();
    input.datasets.forEach((d, i) => {
      const at = `${root}.datasets[${i}]`;
      if (!KEY.test(d.key ?? '')) problems.push({ path: `${at}.key`, message: 'key may hold letters, digits and . _ : - / (at most 300)' });
      if (seenKeys.has(d.key)) problems.push({ path: `${at}.key`, message: `duplicate key "${d.key}" (also at ${root}.datasets[${seenKeys.get(d.key)}])` });
      else seenKeys.set(d.key, i);
      if (!d.name?.trim()) problems.push({ path: `${at}.name`, message: 'name is required' });
      if (d.processorCode) codes.processor.add(d.processorCode);
      for (const c of d.activityCodes ?? []) codes.activity.add(c);
      const loc = d.location;
      if (loc?.code) codes.location.add(loc.code);
      else if (loc && !isCountryCode(loc.country)) problems.push({ path: `${at}.location.country`, message: 'an ISO 3166-1 alpha-2 country code (e.g. JP), or a location code, is required' });
      const paths = new Set<string>();
      (d.fields ?? []).forEach((f, j) => {
        if (!f.path?.trim()) problems.push({ path: `${at}.fields[${j}].path`, message: 'path is required' });
        if (paths.has(f.path)) problems.push({ path: `${at}.fields[${j}].path`, message: `duplicate path "${f.path}"` });
        paths.add(f.path);
        for (const c of f.dataCategoryCodes ?? []) codes.category.add(c);
        if (f.identityType && !IDENTITY_TYPES.has(f.identityType)) problems.push({ path: `${at}.fields[${j}].identityType`, message: 'unknown identity type' });
      });
    });
    const { processors, activities, categories, locations } = await codeMaps(client, {
      processors: { table: 'processor', codes: codes.processor },
      activities: { table: 'processing_activity', codes: codes.activity },
      categories: { table: 'data_category', codes: codes.category },
      locations: { table: 'storage_location', codes: codes.location },
    });
    const unknown: Array<{ path: string; what: string; table: string; code: string }> = [];
    input.datasets.forEach((d, i) => {
      const at = `${root}.datasets[${i}]`;
      if (d.processorCode && !processors.has(d.processorCode)) unknown.push({ path: `${at}.processorCode`, what: 'processor', table: 'processor', code: d.processorCode });
      (d.activityCodes ?? []).forEach((c, k) => activities.has(c) || unknown.push({ path: `${at}.activityCodes[${k}]`, what: 'processing activity', table: 'processing_activity', code: c }));
      if (d.location?.code && !locations.has(d.location.code)) unknown.push({ path: `${at}.location.code`, what: 'storage location', table: 'storage_location', code: d.location.code });
      (d.fields ?? []).forEach((f, j) =>
        (f.dataCategoryCodes ?? []).forEach((c, k) => categories.has(c) || unknown.push({ path: `${at}.fields[${j}].dataCategoryCodes[${k}]`, what: 'data category', table: 'data_category', code: c })),
      );
    });
    const known = new Map<string, string[]>();
    for (const u of unknown) {
      if (!known.has(u.table)) known.set(u.table, await knownCodes(client, u.table));
      problems.push({ path: u.path, message: `no ${u.what} with code "${u.code}"${didYouMean(u.code, known.get(u.table)!)}` });
    }
    if (problems.length) throw badInput(problems);

    const mayCreateLocations = ctx.principal.roles.some((r) => r === Role.PRIVACY_ADMIN || r === Role.PRIVACY_ANALYST);
    const locationIds = await resolveLocations(client, ctx, input.datasets, locations, mayCreateLocations, root);
    const desired: Desired[] = input.datasets.map((d, i) => ({
      key: d.key,
      name: d.name,
      description: d.description ?? null,
      publicDescription: normalizedText(d.publicDescription),
      storageLocationId: locationIds[i],
      processorId: d.processorCode ? processors.get(d.processorCode)! : null,
      activities: idsOf(d.activityCodes, activities),
      fields: (d.fields ?? [])
        .map((f) => ({
          path: f.path,
          description: f.description ?? null,
          identityType: f.identityType ?? null,
          categories: idsOf(f.dataCategoryCodes, categories),
        }))
        .sort(byPath),
    }));

    // A dataset whose fingerprint is what this push would give it, and is active, is unchanged:
    // only the others (and those to retire) are read whole and compared.
    const digests = desired.map(fingerprint);
    const registered = await loadRegistered(client, systemId);
    const pushed = new Set(input.datasets.map((d) => d.key));
    const toRead: number[] = [];
    desired.forEach((d, i) => {
      const r = registered.get(d.key);
      if (r && (r.status !== 'ACTIVE' || r.digest !== digests[i])) toRead.push(r.id);
    });
    if (input.prune) for (const r of registered.values()) if (r.status === 'ACTIVE' && !pushed.has(r.key)) toRead.push(r.id);
    const current = await loadCurrent(client, toRead);
    const results: Array<Registered & { id: number }> = [];
    const created: Desired[] = [];
    const updated: Array<{ d: Desired; c: Current }> = [];
    const fingerprinted: Array<[number, string, string]> = [];
    desired.forEach((d, i) => {
      const r = registered.get(d.key);
      const c = r && current.get(d.key);
      if (!r) return created.push(d);
      if (!c) return results.push({ key: d.key, status: RegistrationStatus.UNCHANGED, id: r.id });
      if (c.status !== 'ACTIVE' || !sameDataset(c, d)) updated.push({ d, c });
      else results.push({ key: d.key, status: RegistrationStatus.UNCHANGED, id: c.id });
      // Unchanged but without its fingerprint (written by another path since): it gets it now.
      fingerprinted.push([c.id, digests[i], r.generation]);
    });
    const who = ctx.principal.sub;
    const ids = new Map<string, number>();
    if (created.length) {
      const { rows } = await client.query(
        `insert into "dataset" ("system_id", "key", "name", "description", "storage_location_id", "processor_id", "status", "last_registered_at", "registered_by", "version", "public_description")
         select $1, k, n, d, s, p, 'ACTIVE', now(), $7, 1, pd::jsonb from unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::int[], $8::text[]) as u(k, n, d, s, p, pd)
         returning "id", "key"`,
        [systemId, created.map((d) => d.key), created.map((d) => d.name), created.map((d) => d.description), created.map((d) => d.storageLocationId), created.map((d) => d.processorId), who,
          created.map((d) => (d.publicDescription ? JSON.stringify(d.publicDescription) : null))],
      );
      for (const r of rows) ids.set(r.key, Number(r.id));
      for (const d of created) results.push({ key: d.key, status: RegistrationStatus.CREATED, id: ids.get(d.key)! });
    }
    if (updated.length) {
      await client.query(
        `update "dataset" t set "name" = u.n, "description" = u.d, "storage_location_id" = u.s, "processor_id" = u.p, "status" = 'ACTIVE', "archived_at" = null,
           "public_description" = u.pd::jsonb, "version" = t."version" + 1, "updated_at" = now(), "last_registered_at" = now(), "registered_by" = $6
         from unnest($1::int[], $2::text[], $3::text[], $4::int[], $5::int[], $7::text[]) as u(i, n, d, s, p, pd) where t."id" = u.i`,
        [updated.map((x) => x.c.id), updated.map((x) => x.d.name), updated.map((x) => x.d.description), updated.map((x) => x.d.storageLocationId), updated.map((x) => x.d.processorId), who,
          updated.map((x) => (x.d.publicDescription ? JSON.stringify(x.d.publicDescription) : null))],
      );
      for (const { d, c } of updated) {
        ids.set(d.key, c.id);
        results.push({ key: d.key, status: RegistrationStatus.UPDATED, id: c.id, changes: changesOf(c, d) });
      }
    }
    if (created.length || updated.length) await writeLinks(client, [...created.map((d) => ({ d, c: null })), ...updated], ids);

    const retired: Current[] = [];
    if (input.prune) {
      for (const c of current.values()) if (c.status === 'ACTIVE' && !pushed.has(c.key)) retired.push(c); // archived ones stay archived
      if (retired.length) {
        await client.query(`update "dataset" set "status" = 'RETIRED', "version" = "version" + 1, "updated_at" = now() where "id" = any($1)`, [retired.map((c) => c.id)]);
        for (const c of retired) results.push({ key: c.key, status: RegistrationStatus.RETIRED, id: c.id });
      }
    }

    for (const [i, d] of desired.entries()) if (!registered.has(d.key)) fingerprinted.push([ids.get(d.key)!, digests[i], '0']);
    // A dry run's would be rolled back: not written.
    if (fingerprinted.length && !input.dryRun) {
      // Only where no other write has come since this push read the dataset (its generation is unchanged).
      await client.query(
        `insert into "dataset_registration" ("dataset_id", "digest", "generation") select * from unnest($1::int[], $2::text[], $3::bigint[])
         on conflict ("dataset_id") do update set "digest" = excluded."digest" where "dataset_registration"."generation" = excluded."generation"`,
        [fingerprinted.map((f) => f[0]), fingerprinted.map((f) => f[1]), fingerprinted.map((f) => f[2])],
      );
    }

    // One audit event per dataset that changed; an identical re-push audits nothing.
    const events = [
      ...created.map((d) => ({ id: ids.get(d.key)!, before: null, after: summary(d, 'ACTIVE') })),
      ...updated.map(({ d, c }) => ({ id: c.id, before: summary(c, c.status), after: summary(d, 'ACTIVE') })),
      ...retired.map((c) => ({ id: c.id, before: summary(c, 'ACTIVE'), after: summary(c, 'RETIRED') })),
    ];
    await appendAuditEvents(client, ctx.principal, ctx.requestId, events.map((e) => ({ operation: 'registerDatasets', outcome: AuditOutcome.SUCCESS, entityType: 'Dataset', entityId: e.id, before: e.before, after: e.after })));
    const order = new Map(input.datasets.map((d, i) => [d.key, i]));
    results.sort((a, b) => (order.get(a.key) ?? 1e9) - (order.get(b.key) ?? 1e9));
    // A dataset a dry run would create has no id: the one it got is rolled back with it.
    if (input.dryRun) throw new DryRun(results.map((r) => (r.status === RegistrationStatus.CREATED ? { ...r, id: null } : r)));
    return results;
  });
}

/** The parts of a dataset an update changes, in words a reviewer of a dry run reads. */
function changesOf(c: Current, d: Desired): string[] {
  const out: string[] = [];
  if (c.status !== 'ACTIVE') out.push(`status ${c.status} → ACTIVE`);
  if (c.name !== d.name) out.push('name');
  if (c.description !== d.description) out.push('description');
  if (!sameText(c.publicDescription, d.publicDescription)) out.push('publicDescription');
  if (c.storageLocationId !== d.storageLocationId) out.push('storageLocation');
  if (c.processorId !== d.processorId) out.push('processor');
  if (!sameIds(c.activities, d.activities)) out.push('activities');
  const before = new Map(c.fields.map((f) => [f.path, f]));
  const after = new Set(d.fields.map((f) => f.path));
  const added = d.fields.filter((f) => !before.has(f.path)).length;
  const removed = c.fields.filter((f) => !after.has(f.path)).length;
  const changed = d.fields.filter((f) => {
    const o = before.get(f.path);
    return o && (o.description !== f.description || o.identityType !== f.identityType || !sameIds(o.categories, f.categories));
  }).length;
  if (added || removed || changed) out.push(`fields (${[added && `${added} added`, removed && `${removed} removed`, changed && `${changed} changed`].filter(Boolean).join(', ')})`);
  return out;
}

function summary(d: Desired, status: string) {
  return { key: d.key, name: d.name, description: d.description, status, storageLocationId: d.storageLocationId, processorId: d.processorId, activityIds: d.activities, fields: d.fields.length };
}

/**
 * Country + region locations are found, or (for the privacy team) created once per distinct pair,
 * in a fixed order so that concurrent pushes of different systems cannot deadlock. Integrations
 * must use locations the privacy team registered: a new foreign location changes the published notice.
 */
async function resolveLocations(client: pg.PoolClient, ctx: Context, datasets: RegisterDatasetInput[], byCode: Map<string, number>, mayCreate: boolean, root: string): Promise<Array<number | null>> {
  const pairs = new Map<string, { country: string; region: string | null; at: number }>();
  datasets.forEach((d, i) => {
    const l = d.location;
    const key = `${l?.country}|${l?.region ?? ''}`;
    if (l && !l.code && l.country && !pairs.has(key)) pairs.set(key, { country: l.country, region: l.region ?? null, at: i });
  });
  const found = new Map<string, number>();
  const problems: Problem[] = [];
  for (const [k, p] of [...pairs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const { rows } = await client.query(
      `select "id" from "storage_location" where "country" = $1 and coalesce("region", '') = $2 and "archived_at" is null order by "id" limit 1`,
      [p.country, p.region ?? ''],
    );
    if (rows[0]) {
      found.set(k, Number(rows[0].id));
      continue;
    }
    if (!mayCreate) {
      problems.push({ path: `${root}.datasets[${p.at}].location`, message: `no storage location is registered for ${p.country}${p.region ? ` / ${p.region}` : ''}; use a location code or ask the privacy team to register it` });
      continue;
    }
    const code = `auto:${p.country}:${p.region ?? 'unspecified'}`.slice(0, 200);
    const ins = await client.query(
      `insert into "storage_location" ("code", "name", "country", "region", "purpose", "is_provision", "version") values ($1, $2::jsonb, $3, $4, 'PRIMARY', true, 1)
       on conflict ("code") do nothing returning "id"`,
      [code, JSON.stringify({ en: p.region ? `${p.region} (${p.country})` : p.country }), p.country, p.region],
    );
    if (!ins.rows[0]) {
      problems.push({ path: `${root}.datasets[${p.at}].location`, message: `the location ${code} was archived; use another location or restore it` });
      continue;
    }
    found.set(k, Number(ins.rows[0].id));
    await appendAuditEvents(client, ctx.principal, ctx.requestId, [
      { operation: 'registerDatasets', outcome: AuditOutcome.SUCCESS, entityType: 'StorageLocation', entityId: ins.rows[0].id, after: { code, country: p.country, region: p.region } },
    ]);
  }
  if (problems.length) throw badInput(problems);
  return datasets.map((d) => (d.location?.code ? byCode.get(d.location.code)! : d.location?.country ? found.get(`${d.location.country}|${d.location.region ?? ''}`)! : null));
}

/**
 * What a dataset registered as (after normalization: ids, sorted fields), as a short hash: a push
 * stores it with each dataset it writes, and triggers drop it when anything else writes the
 * dataset, its fields or their links, so an equal fingerprint means an unchanged dataset.
 */
function fingerprint(d: Desired): string {
  // Desired objects are built in one place with their keys in one order, so their JSON is canonical.
  return createHash('sha256').update(JSON.stringify(d)).digest('base64url');
}

/**
 * Every dataset of the system by key: id, status, the fingerprint it was last pushed with (null
 * when written since by another path) and its generation (bumped by every such write).
 */
async function loadRegistered(client: pg.PoolClient, systemId: number): Promise<Map<string, { id: number; key: string; status: string; digest: string | null; generation: string }>> {
  const { rows } = await client.query(
    `select d."id", d."key", case when d."archived_at" is not null then 'ARCHIVED' else d."status" end as "status", r."digest", coalesce(r."generation", 0)::text as "generation"
     from "dataset" d left join "dataset_registration" r on r."dataset_id" = d."id" where d."system_id" = $1`,
    [systemId],
  );
  return new Map(rows.map((r: { id: number; key: string; status: string; digest: string | null; generation: string }) => [r.key, { ...r, id: Number(r.id) }]));
}

/** These datasets whole, to compare with a push (by key). */
async function loadCurrent(client: pg.PoolClient, ids: number[]): Promise<Map<string, Current>> {
  if (!ids.length) return new Map();
  const { rows } = await client.query(
    `select d."id", d."key", d."name", d."description", d."public_description" as pd, d."storage_location_id" as s, d."processor_id" as p,
       case when d."archived_at" is not null then 'ARCHIVED' else d."status" end as "status",
       coalesce((select array_agg(a."processing_activity_id" order by a."processing_activity_id") from "dataset_activities" a where a."dataset_id" = d."id"), '{}') as activities,
       coalesce((select json_agg(json_build_object('path', f."path", 'description', f."description", 'identityType', f."identity_type",
           'categories', coalesce((select array_agg(c."data_category_id" order by c."data_category_id") from "dataset_field_data_categories" c where c."field_id" = f."id"), '{}'))
        ) from "dataset_field" f where f."dataset_id" = d."id" and f."archived_at" is null), '[]') as fields
     from "dataset" d where d."id" = any($1)`,
    [ids],
  );
  return new Map(
    rows.map((r) => [
      r.key,
      {
        id: Number(r.id), key: r.key, name: r.name, description: r.description, publicDescription: normalizedText(r.pd), storageLocationId: r.s, processorId: r.p, status: r.status,
        activities: r.activities.map(Number),
        fields: (r.fields as Desired['fields']).sort(byPath),
      },
    ]),
  );
}

/** The ids of these codes, distinct and sorted (most lists hold one code: no set, no sort). */
function idsOf(codes: string[] | null | undefined, ids: Map<string, number>): number[] {
  if (!codes?.length) return [];
  if (codes.length === 1) return [ids.get(codes[0])!];
  return [...new Set(codes.map((c) => ids.get(c)!))].sort((a, b) => a - b);
}

const sameIds = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Brings the activities and fields of the changed datasets to what was pushed, with set-based
 * statements that touch only what differs: a push that renames datasets rewrites no links.
 */
async function writeLinks(client: pg.PoolClient, changed: Array<{ d: Desired; c: Current | null }>, ids: Map<string, number>): Promise<void> {
  const activityChanged = changed.filter(({ d, c }) => !c || !sameIds(c.activities, d.activities));
  if (activityChanged.length) {
    const changedIds = activityChanged.map(({ d }) => ids.get(d.key)!);
    await client.query('delete from "dataset_activities" where "dataset_id" = any($1)', [changedIds]);
    const act = activityChanged.flatMap(({ d }) => d.activities.map((a) => [ids.get(d.key)!, a]));
    if (act.length) {
      await client.query('insert into "dataset_activities" ("dataset_id", "processing_activity_id") select * from unnest($1::int[], $2::int[])', [act.map((x) => x[0]), act.map((x) => x[1])]);
    }
  }

  // Fields: removed ones deleted, new or changed ones upserted, categories rewritten where they differ.
  const removed: Array<[number, string]> = [];
  const upserts: Array<Desired['fields'][number] & { datasetId: number; categoriesChanged: boolean }> = [];
  for (const { d, c } of changed) {
    const datasetId = ids.get(d.key)!;
    const before = new Map((c?.fields ?? []).map((f) => [f.path, f]));
    const paths = new Set(d.fields.map((f) => f.path));
    for (const f of c?.fields ?? []) if (!paths.has(f.path)) removed.push([datasetId, f.path]);
    for (const f of d.fields) {
      const old = before.get(f.path);
      const categoriesChanged = !old || !sameIds(old.categories, f.categories);
      if (!old || old.description !== f.description || old.identityType !== f.identityType || categoriesChanged) upserts.push({ ...f, datasetId, categoriesChanged });
    }
  }
  if (removed.length) {
    await client.query('delete from "dataset_field" f using unnest($1::int[], $2::text[]) as u(di, p) where f."dataset_id" = u.di and f."path" = u.p', [removed.map((r) => r[0]), removed.map((r) => r[1])]);
  }
  if (!upserts.length) return;
  const recategorized = upserts.filter((f) => f.categoriesChanged);
  // The ids are needed only to rewrite categories: a push that redescribes 9,000 fields does not
  // read 9,000 rows back.
  const { rows } = await client.query(
    `insert into "dataset_field" ("dataset_id", "path", "description", "identity_type", "version")
     select di, p, d, it, 1 from unnest($1::int[], $2::text[], $3::text[], $4::text[]) as u(di, p, d, it)
     on conflict ("dataset_id", "path") do update set "description" = excluded."description", "identity_type" = excluded."identity_type",
       "archived_at" = null, "version" = "dataset_field"."version" + 1, "updated_at" = now()
     ${recategorized.length ? 'returning "id", "dataset_id", "path"' : ''}`,
    [upserts.map((f) => f.datasetId), upserts.map((f) => f.path), upserts.map((f) => f.description), upserts.map((f) => f.identityType)],
  );
  if (!recategorized.length) return;
  const fieldId = new Map(rows.map((r: { id: number; dataset_id: number; path: string }) => [`${r.dataset_id}|${r.path}`, Number(r.id)]));
  await client.query('delete from "dataset_field_data_categories" where "field_id" = any($1)', [recategorized.map((f) => fieldId.get(`${f.datasetId}|${f.path}`)!)]);
  const pairs = recategorized.flatMap((f) => f.categories.map((c) => [fieldId.get(`${f.datasetId}|${f.path}`)!, c]));
  if (pairs.length) {
    await client.query('insert into "dataset_field_data_categories" ("field_id", "data_category_id") select * from unnest($1::int[], $2::int[])', [pairs.map((x) => x[0]), pairs.map((x) => x[1])]);
  }
}
