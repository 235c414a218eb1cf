import fs from 'node:fs/promises';
import path from 'node:path';
import { ReferenceKind, type EntityProperty } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import YAML from 'yaml';
import { buildWriteSpecs, type WriteSpec } from '../graphql/crud.js';
import { API_VERSION, SECTIONS, type Section } from './sections.js';

type Entity = Record<string, unknown> & { id: number };

/**
 * The whole inventory as one manifest (plain data, by codes). Re-imported into an empty database
 * it gives the same inventory; archived records are included with their archivedAt.
 */
export async function exportManifest(orm: MikroORM): Promise<Record<string, unknown>> {
  const specs = buildWriteSpecs(orm.getMetadata());
  const em = orm.em.fork();
  const out: Record<string, unknown> = { apiVersion: API_VERSION, kind: 'Inventory' };

  const render = (spec: WriteSpec, section: Section, e: Entity): Record<string, unknown> => {
    const item: Record<string, unknown> = { [section.identity]: e[section.identity] };
    for (const { field } of spec.scalarFields) {
      const v = e[field.name];
      if (field.name === section.identity || v === null || v === undefined) continue;
      if (field.name === 'illustrative' && v === false) continue;
      if (Array.isArray(v) && v.length === 0) continue;
      item[field.name] = v instanceof Date ? v.toISOString() : v;
    }
    for (const r of spec.relationFields as Array<{ prop: EntityProperty; many: boolean }>) {
      if (r.prop.name === section.parent) continue;
      const v = e[r.prop.name];
      if (r.many) {
        const codes = (v as { getItems(): Entity[] }).getItems().map((x) => x.code as string).sort();
        if (codes.length) item[r.prop.name] = codes;
      } else if (v) {
        item[r.prop.name] = (v as Entity).code;
      }
    }
    return item;
  };

  const dump = async (section: Section, where: Record<string, unknown>): Promise<Record<string, unknown>[]> => {
    const spec = specs.get(section.entity)!;
    const populate = (spec.meta.props as EntityProperty[])
      .filter((p) => (p.kind === ReferenceKind.MANY_TO_MANY && p.owner) || (p.kind === ReferenceKind.MANY_TO_ONE && p.name !== section.parent))
      .map((p) => p.name);
    const rows = (await em.find(spec.cls as never, where as never, { populate: populate as never, orderBy: { id: 'asc' } as never })) as Entity[];
    const items: Record<string, unknown>[] = [];
    for (const e of rows) {
      const item = render(spec, section, e);
      for (const child of section.children ?? []) {
        const kids = await dump(child, { [child.parent!]: e.id });
        if (kids.length) item[child.key] = kids;
      }
      items.push(item);
    }
    return items;
  };

  for (const section of SECTIONS) {
    const items = await dump(section, {});
    if (section.single) {
      if (items[0]) out[section.key] = items[0];
    } else if (items.length) {
      out[section.key] = items;
    }
  }
  return out;
}

export function manifestToYaml(manifest: Record<string, unknown>): string {
  return YAML.stringify(manifest, { lineWidth: 0, aliasDuplicateObjects: false });
}

export async function exportToDir(orm: MikroORM, dir: string): Promise<string> {
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, 'inventory.yaml');
  await fs.writeFile(file, manifestToYaml(await exportManifest(orm)));
  return file;
}
