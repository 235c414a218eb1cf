import {
  LoadStrategy, OptimisticLockError, ReferenceKind, UniqueConstraintViolationException, type EntityMetadata, type EntityProperty, type MetadataStorage,
} from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  IsArray, IsBoolean, IsEnum, IsInt, IsNotEmpty, IsString, Matches, Min, ValidateIf, ValidateNested,
} from 'class-validator';
import { GraphQLError, GraphQLScalarType } from 'graphql';
import { Arg, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Resolver, getMetadataStorage } from 'type-graphql';
import type { Context, Principal } from './context.js';
import { appendAudit } from '../audit/audit-log.js';
import { AuditOutcome } from '../audit/audit-event.entity.js';
import { MAX_ID, badInput, conflict, notFound, parseId, type Problem } from './errors.js';
import { HasText, LocalizedText } from './localized-text.js';
import { canonicalJson } from './canonical-json.js';
import { IsAllowedUrl, IsCountryCode } from './validators.js';
import { DEFAULT_MAX_CHARS, MaxChars } from './input-limits.js';
import type { Row } from './loaders.js';
import { BaseEntity } from '../db/base.entity.js';

type Cls = new (...args: never[]) => object;

/** Fields of the base classes that clients never write. */
const SYSTEM_FIELDS = new Set(['id', 'version', 'createdAt', 'updatedAt', 'archivedAt', 'lastRegisteredAt', 'registeredBy']);
const COUNTRY_FIELDS = new Set(['country', 'providerCountry']);
const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:\-/]*$/;

/** Relations written elsewhere (e.g. by the owning side) are not inputs. */
const INPUT_RELATION_KINDS = new Set([ReferenceKind.MANY_TO_ONE, ReferenceKind.MANY_TO_MANY]);

interface GqlField {
  name: string;
  getType: () => unknown;
  array: boolean;
  nullable: boolean;
  description?: string;
}

/** The GraphQL fields an entity class declares, its base classes' included. */
function gqlFields(cls: Function): GqlField[] {
  const storage = getMetadataStorage() as unknown as { fields: Array<{ target: Function; name: string; getType: () => unknown; typeOptions: { array?: boolean; nullable?: boolean | string }; description?: string }> };
  const chain: Function[] = [];
  for (let c: Function | null = cls; c && c !== Function.prototype && c !== Object; c = Object.getPrototypeOf(c)) chain.push(c);
  const seen = new Set<string>();
  const out: GqlField[] = [];
  for (const c of chain) {
    for (const f of storage.fields) {
      if (f.target !== c || seen.has(f.name)) continue;
      seen.add(f.name);
      f.getType(); // type-graphql settles typeOptions.array only once the type thunk has run
      out.push({ name: f.name, getType: f.getType, array: !!f.typeOptions.array, nullable: !!f.typeOptions.nullable, description: f.description });
    }
  }
  return out;
}

/** How to write one entity: its input fields, derived from the entity's own declarations. */
export interface WriteSpec {
  entityName: string;
  graphqlName: string;
  cls: Cls;
  meta: EntityMetadata;
  scalarFields: Array<{ field: GqlField; prop: EntityProperty; required: boolean }>;
  relationFields: Array<{ inputName: string; prop: EntityProperty; many: boolean; required: boolean }>;
  createInput: Cls;
  updateInput: Cls;
  payload: Cls;
}

function decorateInput(cls: Cls, spec: Omit<WriteSpec, 'createInput' | 'updateInput' | 'payload'>, mode: 'create' | 'update'): void {
  const proto = cls.prototype as object;
  const present = (key: string) => (o: Record<string, unknown>) => o[key] !== undefined;
  const nullOk = (key: string) => (o: Record<string, unknown>) => o[key] !== undefined && o[key] !== null;
  if (mode === 'update') {
    Field(() => ID, { description: 'The record to change.' })(proto, 'id');
    Field(() => Int, { description: 'The version read; a stale version gets CONFLICT.' })(proto, 'version');
    IsInt()(proto, 'version');
  }
  for (const { field, prop, required } of spec.scalarFields) {
    const key = field.name;
    const type = field.getType();
    const gqlType = field.array ? [type] : type;
    const mustHave = mode === 'create' && required;
    Field(() => gqlType as never, { nullable: !mustHave, description: field.description })(proto, key);
    // Absent means "leave as is" on update; null is accepted only where the column is nullable.
    ValidateIf(prop.nullable ? nullOk(key) : mustHave ? () => true : present(key))(proto, key);
    if (field.array) {
      IsArray()(proto, key); // its size: the default list maximum (input-limits.ts)
      if (type === String) IsString({ each: true })(proto, key);
      else if (type && typeof type === 'object') IsEnum(type as object, { each: true })(proto, key);
      else ValidateNested({ each: true })(proto, key);
    } else if (type === String) {
      IsString()(proto, key);
      const varchar = /^varchar\((\d+)\)/.exec(prop.columnTypes?.[0] ?? '');
      MaxChars(varchar ? Number(varchar[1]) : prop.length ?? DEFAULT_MAX_CHARS)(proto, key);
      if (mustHave || !prop.nullable) IsNotEmpty()(proto, key);
      if (key.endsWith('Url')) IsAllowedUrl()(proto, key);
      if (COUNTRY_FIELDS.has(key)) IsCountryCode()(proto, key);
      if (key === 'code' || key === 'key') Matches(CODE_PATTERN, { message: `${key} may hold letters, digits and . _ : - / only` })(proto, key);
    } else if (type === Int) {
      IsInt()(proto, key);
      Min(0)(proto, key);
    } else if (type === Boolean) {
      IsBoolean()(proto, key);
    } else if (type instanceof GraphQLScalarType || type === Date) {
      // scalars validate themselves while parsing
    } else if (typeof type === 'function') {
      ValidateNested()(proto, key);
      if (type === LocalizedText && !prop.nullable) HasText()(proto, key);
    } else if (type && typeof type === 'object') {
      IsEnum(type as object)(proto, key);
    }
  }
  for (const r of spec.relationFields) {
    const mustHave = mode === 'create' && r.required;
    Field(() => (r.many ? [ID] : ID), { nullable: !mustHave, description: r.many ? `Ids of the ${r.prop.name} (replaces the set).` : `Id of the ${r.prop.name}.` })(proto, r.inputName);
  }
}

let builtSpecs: Map<string, WriteSpec> | undefined;

/**
 * Write specs (and their generated GraphQL input classes) for every entity. Built once per
 * process: type-graphql registers classes globally, and every ORM instance shares the classes.
 */
export function buildWriteSpecs(metadata: MetadataStorage): Map<string, WriteSpec> {
  if (builtSpecs) return builtSpecs;
  const specs = new Map<string, WriteSpec>();
  for (const meta of Object.values(metadata.getAll())) {
    if (meta.abstract || meta.pivotTable || !meta.class) continue;
    const cls = meta.class as Cls;
    if (!(cls.prototype instanceof BaseEntity)) continue; // e.g. the audit trail: never written through the API
    const objectType = (getMetadataStorage() as unknown as { objectTypes: Array<{ target: Function; name: string }> }).objectTypes.find((o) => o.target === cls);
    if (!objectType) continue;
    const graphqlName = objectType.name;
    const sample = new (cls as unknown as new () => Record<string, unknown>)();
    const scalarFields: WriteSpec['scalarFields'] = [];
    for (const field of gqlFields(cls)) {
      if (SYSTEM_FIELDS.has(field.name)) continue;
      const prop = meta.properties[field.name] as EntityProperty | undefined;
      if (!prop || prop.kind !== ReferenceKind.SCALAR) continue;
      const required = !prop.nullable && prop.default === undefined && prop.defaultRaw === undefined && sample[field.name] === undefined;
      scalarFields.push({ field, prop, required });
    }
    const relationFields: WriteSpec['relationFields'] = [];
    for (const prop of meta.props as EntityProperty[]) {
      if (!INPUT_RELATION_KINDS.has(prop.kind)) continue;
      if (prop.kind === ReferenceKind.MANY_TO_MANY && !prop.owner) continue;
      const many = prop.kind === ReferenceKind.MANY_TO_MANY;
      relationFields.push({ inputName: many ? `${singular(prop.name)}Ids` : `${prop.name}Id`, prop, many, required: !many && !prop.nullable });
    }
    const base = { entityName: meta.className, graphqlName, cls, meta, scalarFields, relationFields };
    const createInput = named(`Create${graphqlName}Input`);
    InputType(`Create${graphqlName}Input`)(createInput);
    decorateInput(createInput, base, 'create');
    const updateInput = named(`Update${graphqlName}Input`);
    InputType(`Update${graphqlName}Input`, { description: 'Only the fields given change.' })(updateInput);
    decorateInput(updateInput, base, 'update');
    const payload = named(`${graphqlName}Payload`);
    ObjectType(`${graphqlName}Payload`, { simpleResolvers: true })(payload);
    Field(() => cls)(payload.prototype, lowerFirst(graphqlName));
    specs.set(meta.className, { ...base, createInput, updateInput, payload });
  }
  builtSpecs = specs;
  return specs;
}

function named(name: string): Cls {
  return { [name]: class {} }[name] as Cls;
}
const lowerFirst = (s: string) => s[0].toLowerCase() + s.slice(1);
function singular(name: string): string {
  if (name.endsWith('ies')) return name.slice(0, -3) + 'y';
  if (name.endsWith('Bases')) return name.slice(0, -5) + 'Basis';
  if (name.endsWith('s')) return name.slice(0, -1);
  return name;
}

@InputType({ description: 'Archives a record: it leaves lists and relations but keeps its history.' })
export class ArchiveInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) @IsInt() version!: number;
}

/** Rules an entity adds to the generic checks (cycles, cross-field constraints). */
export type WriteRule = (em: EntityManager, entity: Record<string, unknown>, input: Record<string, unknown>) => Promise<Problem[]>;

/**
 * Whether the caller may touch this record in its current state; checked before and after a change
 * (so an integration can neither edit another system's dataset nor move its own into another system).
 */
export type OwnershipRule = (em: EntityManager, entity: Record<string, unknown>, principal: Principal) => Promise<OwnershipRefusal | null>;

/** Which relation of the record leads out of the caller's reach, and why (for the audit trail only). */
export interface OwnershipRefusal {
  relation: string;
  id: unknown;
  reason: string;
}

/**
 * The one write path for inventory records: validates references, applies the change in a
 * transaction, enforces optimistic locking, and maps database conflicts to typed errors.
 */
export class WriteService {
  constructor(
    readonly specs: Map<string, WriteSpec>,
    private readonly rules: Record<string, WriteRule[]> = {},
    private readonly ownership: Record<string, OwnershipRule> = {},
  ) {}

  /**
   * Out of the caller's reach is answered like absent: a record it may not touch is NOT_FOUND
   * (`stage` existing), a reference it may not make is the unknown-reference error (`stage`
   * result), so an integration cannot learn what other systems hold.
   */
  private async owned(em: EntityManager, spec: WriteSpec, entity: Record<string, unknown>, ctx: Context, stage: 'existing' | 'result'): Promise<void> {
    const rule = this.ownership[spec.entityName];
    if (!rule) return;
    const refusal = await rule(em, entity, ctx.principal);
    if (!refusal) return;
    const id = entity.id as number | undefined;
    if (stage === 'existing') throw new OwnershipDenied(refusal.reason, id, notFound(spec.graphqlName, String(id)));
    const r = spec.relationFields.find((f) => f.prop.name === refusal.relation);
    const path = `input.${r?.inputName ?? refusal.relation}`;
    throw new OwnershipDenied(refusal.reason, id, badInput([{ path, message: `no ${r?.prop.type ?? refusal.relation} with id ${refusal.id}` }]));
  }

  /** What the audit trail keeps of a record: its fields and the ids it refers to. */
  private snapshot(spec: WriteSpec, entity: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = { id: entity.id, version: entity.version };
    for (const { field } of spec.scalarFields) out[field.name] = entity[field.name] ?? null;
    if (entity.archivedAt) out.archivedAt = entity.archivedAt;
    for (const r of spec.relationFields) {
      const v = entity[r.prop.name] as { isInitialized?(): boolean; getItems?(): Array<{ id: number }>; id?: number } | null | undefined;
      if (r.many) {
        if (v?.isInitialized?.()) out[r.inputName] = v.getItems!().map((x) => x.id).sort((a, b) => a - b);
      } else {
        out[r.inputName] = v?.id ?? null;
      }
    }
    return JSON.parse(JSON.stringify(out));
  }

  spec(entityName: string): WriteSpec {
    const s = this.specs.get(entityName);
    if (!s) throw new Error(`no write spec for ${entityName}`);
    return s;
  }

  private plain(value: unknown, prop: EntityProperty): unknown {
    return toColumnValue(value, prop);
  }

  private async apply(em: EntityManager, spec: WriteSpec, entity: Record<string, unknown>, input: Record<string, unknown>): Promise<void> {
    const problems: Problem[] = [];
    for (const { field, prop } of spec.scalarFields) {
      const v = input[field.name];
      if (v === undefined) continue;
      entity[field.name] = this.plain(v, prop);
    }
    for (const r of spec.relationFields) {
      const raw = input[r.inputName];
      if (raw === undefined) continue;
      const target = r.prop.type;
      if (raw === null) {
        if (r.many) entity[r.prop.name] && (entity[r.prop.name] as { removeAll(): void }).removeAll();
        else if (!r.prop.nullable) problems.push({ path: `input.${r.inputName}`, message: `${r.inputName} is required` });
        else entity[r.prop.name] = null;
        continue;
      }
      const list = (r.many ? (raw as string[]) : [raw as string]).map((id, i) => ({ id, path: r.many ? `input.${r.inputName}[${i}]` : `input.${r.inputName}` }));
      const ids: number[] = [];
      for (const item of list) {
        const n = /^[1-9][0-9]{0,9}$/.test(String(item.id)) && Number(item.id) <= MAX_ID ? Number(item.id) : NaN;
        if (Number.isNaN(n)) problems.push({ path: item.path, message: `"${item.id}" is not an id` });
        ids.push(n);
      }
      const valid = ids.filter((n) => !Number.isNaN(n));
      const found = new Set(
        valid.length === 0
          ? []
          : ((await em.execute(`select "id" from "${em.getMetadata().get(target).tableName}" where "id" in (?)`, [valid], 'all')) as Array<{ id: number }>).map((x) => Number(x.id)),
      );
      list.forEach((item, i) => {
        if (!Number.isNaN(ids[i]) && !found.has(ids[i])) problems.push({ path: item.path, message: `no ${target} with id ${item.id}` });
      });
      if (problems.length) continue;
      const refs = ids.map((id) => em.getReference(target, id));
      if (r.many) (entity[r.prop.name] as { set(items: unknown[]): void }).set(refs);
      else entity[r.prop.name] = refs[0];
    }
    for (const rule of this.rules[spec.entityName] ?? []) problems.push(...(await rule(em, entity, input)));
    if (problems.length) throw badInput(problems);
  }

  /**
   * One transaction: the change and its audit event commit together. A refused attempt is audited
   * after the rollback, in a transaction of its own.
   */
  private async run(ctx: Context, spec: WriteSpec, operation: string, fn: (em: EntityManager) => Promise<{ id: number; before?: unknown; after: unknown }>): Promise<number> {
    try {
      return await ctx.em.transactional(async (em) => {
        const r = await fn(em);
        await appendAudit(em, ctx.principal, ctx.requestId, { operation, outcome: AuditOutcome.SUCCESS, entityType: spec.graphqlName, entityId: r.id, before: r.before, after: r.after });
        return r.id;
      });
    } catch (e) {
      if (e instanceof OwnershipDenied) {
        await appendAudit(ctx.em.fork(), ctx.principal, ctx.requestId, { operation, outcome: AuditOutcome.DENIED, entityType: spec.graphqlName, entityId: e.entityId, reason: e.message });
        throw e.answer;
      }
      if (e instanceof OptimisticLockError) throw conflict('the record was changed by someone else; read it again and retry');
      if (e instanceof UniqueConstraintViolationException) {
        throw conflict('a record with the same code or key already exists');
      }
      throw e;
    }
  }

  async create(ctx: Context, entityName: string, input: Record<string, unknown>): Promise<number> {
    const spec = this.spec(entityName);
    return this.run(ctx, spec, `create${spec.graphqlName}`, async (em) => {
      const entity = em.create(spec.cls as never, {} as never, { partial: true } as never) as Record<string, unknown>;
      await this.apply(em, spec, entity, input);
      await this.owned(em, spec, entity, ctx, 'result');
      await em.flush();
      return { id: entity.id as number, after: this.snapshot(spec, entity) };
    });
  }

  async update(ctx: Context, entityName: string, input: Record<string, unknown> & { id: string; version: number }): Promise<number> {
    const spec = this.spec(entityName);
    const id = parseId(input.id, spec.graphqlName);
    return this.run(ctx, spec, `update${spec.graphqlName}`, async (em) => {
      const populate = spec.relationFields.filter((r) => r.many && input[r.inputName] !== undefined).map((r) => r.prop.name);
      // One query per relation: a joined populate of ten many-to-many relations multiplies their rows
      // (an activity linked to a few records of each took 1.2 s to load).
      const entity = (await em.findOne(spec.cls as never, { id } as never, { populate: populate as never, strategy: LoadStrategy.SELECT_IN })) as Record<string, unknown> | null;
      if (!entity) throw notFound(spec.graphqlName, input.id);
      await this.owned(em, spec, entity, ctx, 'existing');
      if (entity.version !== input.version) throw conflict(`${spec.graphqlName} ${id} is at version ${entity.version}, not ${input.version}`, { currentVersion: entity.version });
      const before = this.snapshot(spec, entity);
      await this.apply(em, spec, entity, input);
      await this.owned(em, spec, entity, ctx, 'result');
      // A change of links alone touches only pivot tables; touching the row makes MikroORM bump and
      // check the version, so optimistic locking covers links too.
      if (spec.relationFields.some((r) => r.many && input[r.inputName] !== undefined)) entity.updatedAt = new Date();
      await em.flush();
      return { id, before, after: this.snapshot(spec, entity) };
    });
  }

  async archive(ctx: Context, entityName: string, input: ArchiveInput): Promise<number> {
    const spec = this.spec(entityName);
    const id = parseId(input.id, spec.graphqlName);
    return this.run(ctx, spec, `archive${spec.graphqlName}`, async (em) => {
      const entity = (await em.findOne(spec.cls as never, { id } as never)) as Record<string, unknown> | null;
      if (!entity) throw notFound(spec.graphqlName, input.id);
      await this.owned(em, spec, entity, ctx, 'existing');
      if (entity.version !== input.version) throw conflict(`${spec.graphqlName} ${id} is at version ${entity.version}, not ${input.version}`, { currentVersion: entity.version });
      const before = this.snapshot(spec, entity);
      if (!entity.archivedAt) entity.archivedAt = new Date();
      await em.flush();
      return { id, before, after: this.snapshot(spec, entity) };
    });
  }
}

class OwnershipDenied extends Error {
  constructor(reason: string, readonly entityId: number | undefined, readonly answer: GraphQLError) {
    super(reason);
  }
}

/** A value as stored: JSON in jsonb's canonical form, an empty object as null. */
export function toColumnValue(value: unknown, prop: EntityProperty): unknown {
  if (value === undefined || value === null) return value;
  if (typeof value !== 'object' || value instanceof Date) return value;
  const json = canonicalJson(JSON.parse(JSON.stringify(value)));
  if (json && !Array.isArray(json) && Object.keys(json).length === 0 && prop.nullable) return null;
  return json;
}

/** createX / updateX / archiveX for every entity, routed to the write service. */
export function crudResolvers(specs: Map<string, WriteSpec>, service: () => WriteService): Function[] {
  const out: Function[] = [];
  for (const spec of specs.values()) {
    const { graphqlName, entityName, payload } = spec;
    const field = lowerFirst(graphqlName);
    const reload = async (ctx: Context, id: number) => {
      const [row] = await ctx.loaders.query<Row>(`select ${ctx.loaders.model.select(entityName)} from ${ctx.loaders.model.table(entityName)} t where t."id" = ?`, [id]);
      return { [field]: row };
    };
    @Resolver()
    class CrudResolver {
      @Mutation(() => payload, { name: `create${graphqlName}`, description: `Creates a ${graphqlName}.` })
      async create(@Arg('input', () => spec.createInput) input: Record<string, unknown>, @Ctx() ctx: Context) {
        return reload(ctx, await service().create(ctx, entityName, input));
      }

      @Mutation(() => payload, { name: `update${graphqlName}`, description: `Changes a ${graphqlName}; needs its current version.` })
      async update(@Arg('input', () => spec.updateInput) input: Record<string, unknown> & { id: string; version: number }, @Ctx() ctx: Context) {
        return reload(ctx, await service().update(ctx, entityName, input));
      }

      @Mutation(() => payload, { name: `archive${graphqlName}`, description: `Archives a ${graphqlName}; needs its current version.` })
      async archive(@Arg('input', () => ArchiveInput) input: ArchiveInput, @Ctx() ctx: Context) {
        return reload(ctx, await service().archive(ctx, entityName, input));
      }
    }
    out.push(CrudResolver);
  }
  return out;
}
