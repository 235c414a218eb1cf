import { ReferenceKind, type EntityProperty } from '@mikro-orm/core';
import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { buildWriteSpecs, type WriteSpec } from '../graphql/crud.js';
import { numbered, q, type Row } from '../graphql/loaders.js';
import { LocalizedText } from '../graphql/localized-text.js';
import { AuditOutcome } from './audit-event.entity.js';

@ObjectType({ simpleResolvers: true, description: 'A record as the register held it at a past time, rebuilt from the audit trail.' })
export class RecordAsOf {
  @Field({ description: 'GraphQL type of the record, e.g. ProcessingActivity.' }) entityType!: string;
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) code!: string | null;
  @Field(() => LocalizedText, { nullable: true, description: 'Its name then (the recipientName of a foreign transfer, the title of a legal basis, the text of a purpose).' }) name!: LocalizedText | null;
  @Field(() => Int, { nullable: true }) version!: number | null;
  @Field({ description: 'Archived at that time.' }) archived!: boolean;
  @Field({ description: 'False when a value then was too large for the audit trail, which keeps only its digest: that value is shown as {digest, bytes}.' }) complete!: boolean;
  @Field(() => GraphQLJSON, {
    description: 'The record as its audit events store it: every field, archivedAt when archived, and the ids of what it refers to under the write input names (e.g. subjectCategoryIds, processorIds, processorId).',
  })
  record!: Record<string, unknown>;
}

@ObjectType({ simpleResolvers: true, description: 'What the register said at a time: the current records with every audited change made after that time undone.' })
export class InventoryAsOf {
  @Field() at!: Date;
  @Field(() => [RecordAsOf]) activities!: RecordAsOf[];
  @Field(() => [RecordAsOf]) processors!: RecordAsOf[];
  @Field(() => [RecordAsOf]) foreignTransfers!: RecordAsOf[];
  @Field(() => [RecordAsOf]) jointUseArrangements!: RecordAsOf[];
  @Field(() => [RecordAsOf]) thirdPartyRecipients!: RecordAsOf[];
  @Field(() => [RecordAsOf]) storageLocations!: RecordAsOf[];
  @Field(() => [RecordAsOf], { description: 'What the ids in the records above name, as of the same time.' }) subjectCategories!: RecordAsOf[];
  @Field(() => [RecordAsOf]) dataCategories!: RecordAsOf[];
  @Field(() => [RecordAsOf]) purposes!: RecordAsOf[];
  @Field(() => [RecordAsOf]) legalBases!: RecordAsOf[];
}

/** The lists of InventoryAsOf and the entities behind them. */
export const AS_OF_LISTS = {
  activities: 'ProcessingActivity',
  processors: 'Processor',
  foreignTransfers: 'ForeignTransfer',
  jointUseArrangements: 'JointUseArrangement',
  thirdPartyRecipients: 'ThirdPartyRecipient',
  storageLocations: 'StorageLocation',
  subjectCategories: 'SubjectCategory',
  dataCategories: 'DataCategory',
  purposes: 'Purpose',
  legalBases: 'LegalBasis',
} as const;
export type AsOfList = keyof typeof AS_OF_LISTS;

type Rec = Record<string, unknown>;

/**
 * One statement per entity: its rows in the shape the write service gives the audit trail (see
 * WriteService.snapshot), relation ids gathered from the pivot tables in the same statement.
 */
function currentSql(spec: WriteSpec): string {
  const cols = ['t."id" as "id"', 't."version" as "version"', 't."archived_at" as "archivedAt"'];
  for (const { field, prop } of spec.scalarFields) cols.push(`t.${q(prop.fieldNames[0])} as ${q(field.name)}`);
  for (const r of spec.relationFields) {
    const p = r.prop as EntityProperty;
    if (r.many) cols.push(`array(select x.${q(p.inverseJoinColumns[0])} from ${q(p.pivotTable)} x where x.${q(p.joinColumns[0])} = t."id" order by 1) as ${q(r.inputName)}`);
    else if (p.kind === ReferenceKind.MANY_TO_ONE) cols.push(`t.${q(p.fieldNames[0])} as ${q(r.inputName)}`);
  }
  return `select ${cols.join(', ')} from ${q(spec.meta.tableName)} t order by t."id"`;
}

const isDigest = (v: unknown): boolean => !!v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 2 && typeof (v as Rec).digest === 'string' && typeof (v as Rec).bytes === 'number';
function holdsDigest(v: unknown): boolean {
  if (isDigest(v)) return true;
  if (Array.isArray(v)) return v.some(holdsDigest);
  if (v && typeof v === 'object') return Object.values(v).some(holdsDigest);
  return false;
}

interface EventRow { entity_type: string; entity_id: string; operation: string; before: Rec | null; after: Rec | null }

/**
 * The register at `at`: today's records, then every successful audited change after `at` undone,
 * newest first — a creation removes the record, any other change puts back the values its
 * `before` holds (a field its `after` has and its `before` lacks, like archivedAt, was not set).
 * Both reads run in one repeatable-read transaction, so no change falls between them. Changes the
 * trail does not hold (a manifest import) count as made before any date.
 */
type State = Map<string, { rec: Rec; complete: boolean }>;

async function statesAsOf(ctx: Context, at: Date, wanted: WriteSpec[]): Promise<Map<string, State>> {
  const client = await ctx.db.pool.connect();
  const current: Rec[][] = [];
  let events: EventRow[];
  try {
    await client.query('begin isolation level repeatable read read only');
    for (const spec of wanted) current.push((await client.query(currentSql(spec))).rows);
    events = (await client.query(numbered(`select "entity_type", "entity_id", "operation", "before", "after" from "audit_event"
        where "outcome" = ? and "entity_type" = any(?) and "entity_id" is not null and "at" > ? order by "id" desc`), [AuditOutcome.SUCCESS, wanted.map((s) => s.graphqlName), at])).rows;
    await client.query('commit');
  } catch (e) {
    await client.query('rollback').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
  const states = new Map<string, State>();
  wanted.forEach((spec, i) => {
    const m: State = new Map();
    for (const row of current[i]) {
      const rec: Rec = JSON.parse(JSON.stringify(row));
      if (rec.archivedAt == null) delete rec.archivedAt;
      m.set(String(row.id), { rec, complete: true });
    }
    states.set(spec.graphqlName, m);
  });
  for (const ev of events) {
    const m = states.get(ev.entity_type)!;
    if (ev.operation.startsWith('create')) { m.delete(ev.entity_id); continue; }
    if (!ev.before) continue;
    const prior = m.get(ev.entity_id);
    if (isDigest(ev.before)) {
      if (prior) prior.complete = false;
      continue;
    }
    const rec: Rec = { ...(prior?.rec ?? {}), ...ev.before };
    for (const key of Object.keys(ev.after ?? {})) if (!(key in ev.before)) delete rec[key];
    m.set(ev.entity_id, { rec, complete: (prior?.complete ?? true) && !holdsDigest(ev.before) });
  }
  return states;
}

export async function inventoryAsOf(ctx: Context, at: Date, lists: AsOfList[], includeArchived: boolean): Promise<InventoryAsOf> {
  const specs = buildWriteSpecs(ctx.em.getMetadata());
  const wanted = lists.map((l) => specs.get(AS_OF_LISTS[l])!);
  const out = { at, ...Object.fromEntries(Object.keys(AS_OF_LISTS).map((l) => [l, []])) } as unknown as InventoryAsOf;
  if (!wanted.length) return out;
  const states = await statesAsOf(ctx, at, wanted);
  lists.forEach((list, i) => {
    const spec = wanted[i];
    const records: RecordAsOf[] = [];
    for (const [id, { rec, complete }] of states.get(spec.graphqlName)!) {
      const archived = rec.archivedAt != null;
      if (archived && !includeArchived) continue;
      const name = (rec.name ?? rec.recipientName ?? rec.title ?? rec.text ?? null) as LocalizedText | null;
      records.push({ entityType: spec.graphqlName, id, code: (rec.code as string | undefined) ?? null, name: isDigest(name) ? null : name, version: (rec.version as number | undefined) ?? null, archived, complete, record: rec });
    }
    records.sort((a, b) => Number(a.id) - Number(b.id));
    out[list] = records;
  });
  return out;
}

/**
 * Live (not archived) rows of these entities at `at`, in the read model's shape (a many-to-one under
 * its property name; `<prop>Ids` kept for many-to-many) and list order, for documents generated as
 * of a date. A value kept only as a digest stays a digest.
 */
export async function liveRowsAsOf(ctx: Context, at: Date, entityNames: string[]): Promise<Map<string, Row[]>> {
  const specs = buildWriteSpecs(ctx.em.getMetadata());
  const wanted = entityNames.map((e) => specs.get(e)!);
  const states = await statesAsOf(ctx, at, wanted);
  const out = new Map<string, Row[]>();
  for (const spec of wanted) {
    const rows: Row[] = [];
    for (const { rec } of states.get(spec.graphqlName)!.values()) {
      if (rec.archivedAt != null) continue;
      const row: Rec = { ...rec };
      for (const r of spec.relationFields) if (!r.many) row[r.prop.name] = rec[r.inputName];
      rows.push(row as Row);
    }
    const num = (v: unknown) => (typeof v === 'number' ? v : Number.MAX_SAFE_INTEGER);
    const props = spec.meta.properties as Record<string, unknown>;
    const key = props.position ? 'position' : props.number ? 'number' : null;
    rows.sort((a, b) => (key ? num(a[key]) - num(b[key]) : 0) || Number(a.id) - Number(b.id));
    out.set(spec.entityName, rows);
  }
  return out;
}

/**
 * Every record of these entities at `at`, archived ones included (with archivedAt), in the audit
 * trail's shape: relation ids under the write input names (processorIds, processorId, …).
 */
export async function recordsAsOf(ctx: Context, at: Date, entityNames: string[]): Promise<Map<string, Rec[]>> {
  const specs = buildWriteSpecs(ctx.em.getMetadata());
  const wanted = entityNames.map((e) => specs.get(e)!);
  const states = await statesAsOf(ctx, at, wanted);
  return new Map(wanted.map((spec) => [spec.entityName, [...states.get(spec.graphqlName)!.values()].map((s) => s.rec)]));
}
