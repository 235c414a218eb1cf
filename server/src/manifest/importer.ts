import fs from 'node:fs/promises';
import path from 'node:path';
import type { EntityProperty, MetadataStorage } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import YAML from 'yaml';
import { toColumnValue, type WriteSpec } from '../graphql/crud.js';
import { buildWriteSpecs } from '../graphql/crud.js';
import { API_VERSION, SECTIONS, allSections, type Section } from './sections.js';
import { validateManifest } from './json-schema.js';
import { procedureProblems } from '../organization/procedure-rules.js';
import { didYouMean } from '../graphql/suggest.js';

export interface ManifestProblem {
  file: string;
  path: string;
  message: string;
}

export class ManifestError extends Error {
  constructor(readonly problems: ManifestProblem[]) {
    super(`${problems.length} problem(s) in the manifests:\n` + problems.slice(0, 50).map((p) => `  ${p.file} ${p.path}: ${p.message}`).join('\n'));
  }
}

type Item = Record<string, unknown>;
type Entity = Record<string, unknown> & { id?: number };

export interface ManifestDoc {
  file: string;
  data: Item;
}

export interface ImportResult {
  created: number;
  updated: number;
  unchanged: number;
}

/** Reads every *.yaml / *.yml of the directories, in name order. */
export async function readManifests(dirs: string[]): Promise<ManifestDoc[]> {
  const docs: ManifestDoc[] = [];
  for (const dir of dirs) {
    const names = (await fs.readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
    for (const name of names) {
      const file = path.join(dir, name);
      const text = await fs.readFile(file, 'utf8');
      const parsed = YAML.parse(text, { uniqueKeys: true });
      docs.push({ file, data: parsed ?? {} });
    }
  }
  return docs;
}

interface Pending {
  section: Section;
  item: Item;
  entity: Entity;
  file: string;
  path: string;
  illustrative: boolean;
  /** Set when the item's section is written (earlier, a cascade would insert it half-filled). */
  parent?: Entity;
}

/**
 * Applies manifests to the database in one transaction: every item is upserted by its identity,
 * fields absent from an item take their defaults, references are resolved by code. An item equal
 * to what is stored writes nothing, so importing the same manifests twice changes nothing.
 */
/** What an import needs of the ORM: a request's EntityManager will do. */
type Orm = { em: MikroORM['em']; getMetadata(): MetadataStorage };

/** Thrown at the end of a dry run so that its transaction rolls back. */
class DryRun extends Error {
  constructor(readonly result: ImportResult) {
    super('dry run');
  }
}

/**
 * The problems an import of `docs` would meet — the import itself, rolled back — so that a check
 * can never pass what the import refuses. Empty when it would succeed.
 */
export async function manifestProblems(orm: Orm, docs: ManifestDoc[]): Promise<ManifestProblem[]> {
  try {
    await importManifests(orm, docs, { dryRun: true });
  } catch (e) {
    if (e instanceof ManifestError) return e.problems;
    if (e instanceof DryRun) return [];
    throw e;
  }
  return [];
}

export async function importManifests(orm: Orm, docs: ManifestDoc[], options: { dryRun?: boolean } = {}): Promise<ImportResult> {
  const specs = buildWriteSpecs(orm.getMetadata());
  const problems = new Map<ManifestDoc, ManifestProblem[]>();
  for (const doc of docs) problems.set(doc, validateManifest(specs, doc.data).map((e) => ({ file: doc.file, path: e.path, message: e.message })));
  // Items that break the schema are left out of the later checks, which still run on the rest: the
  // duplicates and unknown codes are listed with the schema violations, not one kind per attempt.
  const em = orm.em.fork();
  return em.transactional(async (tem) => {
    const importer = new Importer(tem, specs, problems);
    let result: ImportResult;
    try {
      result = await importer.run(docs);
    } catch (e) {
      // Writing records staged next to bad ones can trip a constraint; the problems explain it better.
      if (importer.problems.length) throw new ManifestError(importer.problems);
      throw e;
    }
    if (importer.problems.length) throw new ManifestError(importer.problems);
    if (options.dryRun) throw new DryRun(result);
    return result;
  });
}

class Importer {
  problems: ManifestProblem[];
  private byCode = new Map<string, Map<string, Entity>>();
  private pending: Pending[] = [];
  private existing = new Map<string, Entity[]>();
  /** The paths the schema refused in the document being read. */
  private invalid: string[] = [];
  /** Codes of items left out for their schema problems: a reference to one is not also "unknown". */
  private skipped = new Map<string, Set<string>>();

  constructor(private em: EntityManager, private specs: Map<string, WriteSpec>, private schemaProblems: Map<ManifestDoc, ManifestProblem[]>) {
    this.problems = [...schemaProblems.values()].flat();
  }

  /** Whether the schema refused something of the item at `at` itself (not of one of its child items). */
  private refused(section: Section, at: string): boolean {
    return this.invalid.some((p) => {
      if (p !== at && !p.startsWith(at + '/')) return false;
      const [first, index] = p.slice(at.length + 1).split('/');
      return !((section.children ?? []).some((c) => c.key === first) && index !== undefined);
    });
  }

  private spec(entity: string): WriteSpec {
    return this.specs.get(entity)!;
  }

  /**
   * Many-to-many links are read and written as pivot rows with set-based SQL, not through entity
   * collections: a large inventory is one connected graph, and MikroORM's recursive cascade over
   * it overflows the stack (10,000 activities were enough), besides being slow.
   */
  private linkWrites: Array<{ prop: EntityProperty; owner: number; ids: number[] }> = [];
  private linkChanged = new Map<string, Set<number>>();

  private async currentLinks(prop: EntityProperty, owners: number[]): Promise<Map<number, number[]>> {
    const own = prop.joinColumns[0];
    const other = prop.inverseJoinColumns[0];
    const rows = (await this.em.execute(`select "${own}" as o, "${other}" as t from "${prop.pivotTable}" where "${own}" = any(?::int[]) order by 1, 2`, [intArray(owners)])) as Array<{ o: number; t: number }>;
    const links = new Map<number, number[]>();
    for (const r of rows) {
      const list = links.get(Number(r.o)) ?? [];
      list.push(Number(r.t));
      links.set(Number(r.o), list);
    }
    return links;
  }

  private async load(section: Section): Promise<Entity[]> {
    let list = this.existing.get(section.entity);
    if (!list) {
      const spec = this.spec(section.entity);
      list = (await this.em.find(spec.cls as never, {}, { orderBy: { id: 'asc' } as never })) as Entity[];
      this.existing.set(section.entity, list);
      if (spec.meta.properties.code) this.byCode.set(section.entity, new Map(list.map((e) => [e.code as string, e])));
    }
    return list;
  }

  async run(docs: ManifestDoc[]): Promise<ImportResult> {
    for (const s of allSections()) await this.load(s);
    const seen = new Map<string, string>();
    for (const doc of docs) {
      // A document whose shape the schema refused outside any item is not read further.
      this.invalid = (this.schemaProblems.get(doc) ?? []).map((p) => p.path);
      if (this.invalid.some((p) => !SECTIONS.some((s) => s.single ? p.startsWith(`/${s.key}`) : /^\/[^/]+\/\d+(\/|$)/.test(p) && p.startsWith(`/${s.key}/`)))) continue;
      if (doc.data.apiVersion !== API_VERSION) {
        this.problems.push({ file: doc.file, path: '/apiVersion', message: `must be ${API_VERSION}` });
        continue;
      }
      const illustrative = doc.data.illustrative === true;
      for (const section of SECTIONS) {
        const raw = doc.data[section.key];
        if (raw === undefined) continue;
        const items = section.single ? [raw as Item] : (raw as Item[]);
        items.forEach((item, i) => this.stage(section, item, doc.file, section.single ? `/${section.key}` : `/${section.key}/${i}`, illustrative, null, seen));
      }
    }
    const created = this.pending.filter((p) => p.entity.id === undefined).length;
    const versions = new Map(this.pending.map((p) => [p.entity, p.entity.version]));
    // Records are inserted section by section, in manifest order, so that ids (and with them the
    // order of lists) follow the manifests; references are set once every record has an id.
    for (const section of allSections()) {
      for (const p of this.pending) if (p.section === section) this.assignScalars(p);
      await this.em.flush();
    }
    const links = new Map<string, Map<number, number[]>>();
    for (const section of allSections()) {
      const owners = this.pending.filter((p) => p.section === section && versions.get(p.entity) !== undefined).map((p) => p.entity.id!);
      for (const r of this.spec(section.entity).relationFields) {
        if (r.many) links.set(`${section.entity}.${r.prop.name}`, owners.length ? await this.currentLinks(r.prop, owners) : new Map());
      }
    }
    for (const p of this.pending) this.assignRelations(p, links);
    for (const p of this.pending) if (p.section.entity === 'Organization') this.checkProvisionRules(p);
    for (const p of this.pending) {
      if (p.section.entity !== 'Organization') continue;
      for (const e of procedureProblems({ contactDesks: p.entity.contactDesks, statements: p.entity.statements, ...p.item } as Parameters<typeof procedureProblems>[0])) this.problems.push({ file: p.file, path: `${p.path}/${e.path.join('/')}`, message: e.message });
    }
    if (this.problems.length) return { created: 0, updated: 0, unchanged: 0 };
    await this.em.flush();
    await this.writeLinks();
    const bumped = new Set<Entity>();
    for (const [entity, ids] of this.linkChanged) {
      // A record whose links changed is a new version of it, as with the GraphQL mutations; records
      // whose fields changed too got their new version from the flush already.
      const owners = this.pending.filter((p) => p.section.entity === entity && ids.has(p.entity.id!) && versions.get(p.entity) !== undefined && p.entity.version === versions.get(p.entity));
      if (!owners.length) continue;
      await this.em.execute(`update "${this.spec(entity).meta.tableName}" set "version" = "version" + 1, "updated_at" = now() where "id" = any(?::int[])`, [intArray(owners.map((p) => p.entity.id!))]);
      for (const p of owners) bumped.add(p.entity);
    }
    const updated = this.pending.filter((p) => versions.get(p.entity) !== undefined && (bumped.has(p.entity) || p.entity.version !== versions.get(p.entity))).length;
    return { created, updated, unchanged: this.pending.length - created - updated };
  }

  private async writeLinks(): Promise<void> {
    const byPivot = new Map<EntityProperty, Array<{ owner: number; ids: number[] }>>();
    for (const w of this.linkWrites) byPivot.set(w.prop, [...(byPivot.get(w.prop) ?? []), w]);
    for (const [prop, writes] of byPivot) {
      const own = prop.joinColumns[0];
      const other = prop.inverseJoinColumns[0];
      await this.em.execute(`delete from "${prop.pivotTable}" where "${own}" = any(?::int[])`, [intArray(writes.map((w) => w.owner))]);
      const pairs = writes.flatMap((w) => w.ids.map((id) => [w.owner, id]));
      if (pairs.length) {
        await this.em.execute(`insert into "${prop.pivotTable}" ("${own}", "${other}") select * from unnest(?::int[], ?::int[])`, [intArray(pairs.map((x) => x[0])), intArray(pairs.map((x) => x[1]))]);
      }
    }
  }

  private stage(section: Section, item: Item, file: string, at: string, illustrative: boolean, parent: { entity: Entity; key: string } | null, seen: Map<string, string>): void {
    const id = (item as Item | null)?.[section.identity] as string;
    if (this.refused(section, at)) {
      if (typeof id === 'string') this.skipped.set(section.entity, (this.skipped.get(section.entity) ?? new Set()).add(id));
      return;
    }
    const key = `${parent ? parent.key + '>' : ''}${section.entity}/${id}`;
    if (seen.has(key)) {
      this.problems.push({ file, path: `${at}/${section.identity}`, message: `"${id}" is defined twice (also at ${seen.get(key)})` });
      return;
    }
    seen.set(key, `${file} ${at}`);
    const spec = this.spec(section.entity);
    let entity: Entity | undefined;
    if (section.identity === 'code') {
      entity = this.byCode.get(section.entity)?.get(id);
    } else if (parent) {
      const parentId = parent.entity.id;
      entity = parentId === undefined ? undefined : (this.existing.get(section.entity) ?? []).find((e) => refId(e[section.parent!]) === parentId && e[section.identity] === id);
    } else {
      entity = (this.existing.get(section.entity) ?? []).find((e) => e[section.identity] === id);
    }
    if (!entity) {
      // Persisted only when its section is written, so that sections are inserted in order.
      entity = this.em.create(spec.cls as never, {} as never, { partial: true, persist: false } as never) as Entity;
      entity[section.identity] = id;
      if (section.identity === 'code') this.byCode.get(section.entity)!.set(id, entity);
    }
    this.pending.push({ section, item, entity, file, path: at, illustrative, parent: parent?.entity });
    for (const child of section.children ?? []) {
      const list = (item[child.key] as Item[] | undefined) ?? [];
      list.forEach((c, i) => this.stage(child, c, file, `${at}/${child.key}/${i}`, illustrative, { entity: entity!, key }, seen));
    }
  }

  private assignScalars(p: Pending): void {
    const spec = this.spec(p.section.entity);
    const sample = new (spec.cls as unknown as new () => Entity)();
    for (const { field, prop } of spec.scalarFields) {
      const key = field.name;
      if (key === p.section.identity) continue;
      let v = p.item[key];
      if (key === 'illustrative' && v === undefined) v = p.illustrative;
      const next = v === undefined ? (sample[key] ?? (prop.nullable ? null : undefined)) : toColumnValue(v, prop);
      if (next === undefined) continue;
      if (!sameValue(p.entity[key], next)) p.entity[key] = next;
    }
    if (p.parent && refId(p.entity[p.section.parent!]) !== refId(p.parent)) p.entity[p.section.parent!] = p.parent;
    // References to records already written are set now, so that a new record is inserted complete
    // rather than inserted and then updated (which would also bump its version).
    for (const r of spec.relationFields) {
      if (r.many || r.prop.name === p.section.parent) continue;
      const code = p.item[r.prop.name];
      const target = typeof code === 'string' ? this.byCode.get(r.prop.type)?.get(code) : undefined;
      if (target?.id !== undefined && refId(p.entity[r.prop.name]) !== target.id) p.entity[r.prop.name] = target;
    }
    if (p.entity.id === undefined) this.em.persist(p.entity);
  }

  /** Provision rules refer to legal bases and subject categories by code inside JSON: check them too. */
  private checkProvisionRules(p: Pending): void {
    const rules = (p.item.provisionRules as Array<{ legalBasisCodes?: string[]; appliesTo?: string[] }> | undefined) ?? [];
    rules.forEach((r, i) => {
      (r.legalBasisCodes ?? []).forEach((c, j) => {
        if (!this.byCode.get('LegalBasis')?.has(c) && !this.skipped.get('LegalBasis')?.has(c)) this.problems.push({ file: p.file, path: `${p.path}/provisionRules/${i}/legalBasisCodes/${j}`, message: `no LegalBasis with code "${c}"${didYouMean(c, this.byCode.get('LegalBasis')?.keys() ?? [])}` });
      });
      (r.appliesTo ?? []).forEach((c, j) => {
        if (!this.byCode.get('SubjectCategory')?.has(c) && !this.skipped.get('SubjectCategory')?.has(c)) this.problems.push({ file: p.file, path: `${p.path}/provisionRules/${i}/appliesTo/${j}`, message: `no SubjectCategory with code "${c}"${didYouMean(c, this.byCode.get('SubjectCategory')?.keys() ?? [])}` });
      });
    });
  }

  private assignRelations(p: Pending, links: Map<string, Map<number, number[]>>): void {
    const spec = this.spec(p.section.entity);
    for (const r of spec.relationFields) {
      const key = r.prop.name;
      if (key === p.section.parent) continue;
      const v = p.item[key];
      const target = r.prop.type;
      const resolve = (code: string, at: string): Entity | undefined => {
        const found = this.byCode.get(target)?.get(code);
        if (!found && !this.skipped.get(target)?.has(code)) this.problems.push({ file: p.file, path: at, message: `no ${target} with code "${code}"${didYouMean(code, this.byCode.get(target)?.keys() ?? [])}` });
        return found;
      };
      if (r.many) {
        const codes = (v as string[] | undefined) ?? [];
        const wanted = codes.map((c, i) => resolve(c, `${p.path}/${key}/${i}`)).filter((e): e is Entity => !!e);
        const ids = [...new Set(wanted.map((e) => e.id!))].sort((a, b) => a - b);
        const current = links.get(`${p.section.entity}.${key}`)?.get(p.entity.id!) ?? [];
        if (current.length !== ids.length || current.some((id, i) => id !== ids[i])) {
          this.linkWrites.push({ prop: r.prop, owner: p.entity.id!, ids });
          const changed = this.linkChanged.get(p.section.entity) ?? new Set<number>();
          changed.add(p.entity.id!);
          this.linkChanged.set(p.section.entity, changed);
        }
      } else {
        const next = v == null ? null : resolve(v as string, `${p.path}/${key}`) ?? null;
        if (refId(p.entity[key]) !== refId(next) || (next && !next.id)) p.entity[key] = next;
      }
    }
  }
}

/** An int[] parameter as a PostgreSQL array literal: MikroORM's execute() would spread a JS array. */
const intArray = (ids: number[]) => `{${ids.map((n) => Math.trunc(Number(n))).join(',')}}`;

function refId(v: unknown): unknown {
  if (v == null) return null;
  return (v as Entity).id ?? v;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a == null || b == null) return a == b;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return JSON.stringify(a) === JSON.stringify(b);
}
