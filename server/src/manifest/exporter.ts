import fs from 'node:fs';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import type { EntityProperty } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import YAML from 'yaml';
import { buildWriteSpecs, type WriteSpec } from '../graphql/crud.js';
import { API_VERSION, SECTIONS, type Section } from './sections.js';

type Entity = Record<string, unknown> & { id: number };
type Item = Record<string, unknown>;

/** A many-to-one value of a plain row: the referenced id (a composite or object form never occurs here). */
const refId = (v: unknown): number | null => (v === null || v === undefined ? null : Number(typeof v === 'object' ? (v as Entity).id : v));

/**
 * Parents read per statement. Small where a parent carries grandchildren (a system holds ~1,000
 * datasets × 10 fields), so one page stays a few MB whatever the inventory size; large elsewhere so
 * the statement count stays a handful per section.
 */
const pageSize = (s: Section): number =>
  (s.children ?? []).some((c) => c.children?.length) ? 2 : s.children?.length ? 200 : 1000;

/** Postgres caps bind parameters at 65,535; children are read for at most this many parents at once. */
const IN_CHUNK = 10_000;

/**
 * The whole inventory by codes, section by section, in pages: per page of parents one statement
 * for their fields and one per many-to-many relation, per child section the same for all the page's
 * children, and one per referenced entity type for the whole export (its id → code map). Never one
 * per parent, and no joined populate (whose row product is what made the export slow and large).
 * Each page is read in its own EntityManager fork and dropped once rendered, so memory follows the
 * page, not the inventory. Archived records are included with their archivedAt.
 */
export async function* exportPages(orm: MikroORM): AsyncGenerator<{ section: Section; items: Item[] }> {
  const specs = buildWriteSpecs(orm.getMetadata());
  const conn = orm.em.getConnection();
  const codeMaps = new Map<string, Map<number, string>>();
  const unknownIds = new Set<string>();

  /**
   * The codes of an entity type, read once (references are rendered by code), and again when a
   * record refers to one created since: the export runs beside a serving server.
   */
  const codesOf = async (entity: string, ids: number[] = []): Promise<Map<number, string>> => {
    let map = codeMaps.get(entity);
    // An id still unknown after a reread is not asked about again (one reread per new record at most).
    if (!map || ids.some((id) => !map!.has(id) && !unknownIds.has(`${entity}:${id}`))) {
      for (const id of ids) if (map && !map.has(id)) unknownIds.add(`${entity}:${id}`);
      const rows = (await conn.execute(`select "id", "code" from "${orm.getMetadata().find(entity)!.tableName}"`)) as Array<{ id: number; code: string }>;
      map = new Map(rows.map((r) => [Number(r.id), r.code]));
      codeMaps.set(entity, map);
    }
    return map;
  };

  type Links = Map<string, Map<number, number[]>>;
  const render = async (spec: WriteSpec, section: Section, e: Entity, links: Links): Promise<Item> => {
    const item: Item = { [section.identity]: e[section.identity] };
    for (const { field } of spec.scalarFields) {
      const v = e[field.name];
      if (field.name === section.identity || v === null || v === undefined) continue;
      if (field.name === 'illustrative' && v === false) continue;
      if (Array.isArray(v) && v.length === 0) continue;
      item[field.name] = v instanceof Date ? v.toISOString() : v;
    }
    for (const r of spec.relationFields as Array<{ prop: EntityProperty; many: boolean }>) {
      if (r.prop.name === section.parent) continue;
      if (r.many) {
        const ids = links.get(r.prop.name)?.get(e.id) ?? [];
        const codes = await codesOf(r.prop.type, ids);
        const list = ids.map((id) => codes.get(id)!).sort();
        if (list.length) item[r.prop.name] = list;
      } else {
        const ref = refId(e[r.prop.name]);
        if (ref !== null) item[r.prop.name] = (await codesOf(r.prop.type, [ref])).get(ref);
      }
    }
    return item;
  };

  /** The pivot rows of every many-to-many relation of `section` for these owners: one statement per relation. */
  const readLinks = async (section: Section, ids: number[]): Promise<Links> => {
    const links: Links = new Map();
    for (const r of specs.get(section.entity)!.relationFields) {
      if (!r.many || !ids.length) continue;
      const own = r.prop.joinColumns[0];
      const other = r.prop.inverseJoinColumns[0];
      const rows = (await conn.execute(`select "${own}" as o, "${other}" as t from "${r.prop.pivotTable}" where "${own}" = any(?::int[])`, [`{${ids.join(',')}}`])) as Array<{ o: number; t: number }>;
      const byOwner = new Map<number, number[]>();
      for (const row of rows) {
        const list = byOwner.get(Number(row.o)) ?? [];
        list.push(Number(row.t));
        byOwner.set(Number(row.o), list);
      }
      links.set(r.prop.name, byOwner);
    }
    return links;
  };

  // Plain rows mapped to property names, never entities: a reference is its id, links come from
  // readLinks. Entities (hydration, identity map, change-set snapshots) were half the export's time
  // and most of its garbage.
  const read = async (em: ReturnType<MikroORM['em']['fork']>, section: Section, where: Item, limit?: number): Promise<Entity[]> => {
    const qb = em.createQueryBuilder(specs.get(section.entity)!.cls as never).select('*').where(where as never).orderBy({ id: 'asc' } as never);
    if (limit) qb.limit(limit);
    return (await qb.execute('all', true)) as unknown as Entity[];
  };

  /** Renders `parents` with every descendant section, one read per child section for all of them. */
  const withChildren = async (em: ReturnType<MikroORM['em']['fork']>, section: Section, parents: Entity[]): Promise<Item[]> => {
    const spec = specs.get(section.entity)!;
    const links = await readLinks(section, parents.map((p) => p.id));
    const items: Item[] = [];
    for (const e of parents) items.push(await render(spec, section, e, links));
    for (const child of section.children ?? []) {
      const byParent = new Map<number, Item[]>();
      for (let i = 0; i < parents.length; i += IN_CHUNK) {
        const ids = parents.slice(i, i + IN_CHUNK).map((p) => p.id);
        const kids = await read(em, child, { [child.parent!]: { $in: ids } });
        const rendered = await withChildren(em, child, kids);
        kids.forEach((k, j) => {
          const pid = refId(k[child.parent!])!;
          const list = byParent.get(pid) ?? [];
          list.push(rendered[j]);
          byParent.set(pid, list);
        });
      }
      parents.forEach((p, i) => {
        const kids = byParent.get(p.id);
        if (kids?.length) items[i][child.key] = kids;
      });
    }
    return items;
  };

  for (const section of SECTIONS) {
    let after = 0;
    for (;;) {
      const em = orm.em.fork();
      const limit = pageSize(section);
      const parents = await read(em, section, after ? { id: { $gt: after } } : {}, limit);
      if (parents.length === 0) break;
      yield { section, items: await withChildren(em, section, parents) };
      if (parents.length < limit || section.single) break;
      after = parents[parents.length - 1].id;
    }
  }
}

/** The whole inventory as one manifest object; re-imported into an empty database it gives the same inventory. */
export async function exportManifest(orm: MikroORM): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { apiVersion: API_VERSION, kind: 'Inventory' };
  for await (const { section, items } of exportPages(orm)) {
    if (section.single) out[section.key] = items[0];
    else out[section.key] = [...((out[section.key] as Item[] | undefined) ?? []), ...items];
  }
  return out;
}

const YAML_OPTIONS = { lineWidth: 0, aliasDuplicateObjects: false } as const;

export function manifestToYaml(manifest: Record<string, unknown>): string {
  return YAML.stringify(manifest, YAML_OPTIONS);
}

/**
 * Writes the manifest page by page as it is read, so the YAML text never exists whole in memory.
 * The text is the same as manifestToYaml(exportManifest()) would give.
 */
export async function writeManifest(orm: MikroORM, out: NodeJS.WritableStream, onPage?: (section: Section, items: number) => void): Promise<void> {
  const write = async (text: string) => {
    if (!out.write(text)) await new Promise((resolve) => out.once('drain', resolve));
  };
  await write(YAML.stringify({ apiVersion: API_VERSION, kind: 'Inventory' }, YAML_OPTIONS));
  let open: Section | null = null;
  for await (const { section, items } of exportPages(orm)) {
    onPage?.(section, items.length);
    if (section.single) {
      await write(YAML.stringify({ [section.key]: items[0] }, YAML_OPTIONS));
      continue;
    }
    if (open !== section) {
      await write(`${YAML.stringify(section.key, YAML_OPTIONS).trimEnd()}:\n`);
      open = section;
    }
    // A block sequence nested under its key: every line of the page moves in by the same two spaces,
    // which keeps block scalars and their indentation indicators valid.
    // One item at a time: the yaml library builds a document tree per call, and a page's tree was
    // ten times its text.
    for (const item of items) await write(YAML.stringify([item], YAML_OPTIONS).replace(/^(?=.)/gm, '  '));
  }
}

export async function exportToDir(orm: MikroORM, dir: string, onPage?: (section: Section, items: number) => void): Promise<string> {
  await fs.promises.mkdir(dir, { recursive: true });
  const file = path.join(dir, 'inventory.yaml');
  const stream = fs.createWriteStream(file);
  try {
    await writeManifest(orm, stream, onPage);
  } finally {
    stream.end();
  }
  await finished(stream);
  return file;
}
