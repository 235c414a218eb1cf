import type { EntityProperty } from '@mikro-orm/core';
import type { ReadModel } from './loaders.js';

/** Pivot table of an owning many-to-many: `own` points at the owner, `other` at the target. */
export function pivot(model: ReadModel, entityName: string, prop: string): { table: string; own: string; other: string } {
  const p = model.meta(entityName).properties[prop] as EntityProperty;
  return { table: `"${p.pivotTable}"`, own: `"${p.joinColumns[0]}"`, other: `"${p.inverseJoinColumns[0]}"` };
}

/** `t` is linked through the pivot to any of the ids bound to the next `?`. */
export function linkedTo(model: ReadModel, entityName: string, prop: string, alias = 't'): string {
  const pv = pivot(model, entityName, prop);
  return `exists (select 1 from ${pv.table} x where x.${pv.own} = ${alias}."id" and x.${pv.other} = any(?))`;
}

/** The data categories bound to the next `?`, with all their descendants. */
export const DATA_CATEGORY_SUBTREE =
  'with recursive d as (select "id" from "data_category" where "id" = any(?) union select c."id" from "data_category" c join d on c."parent_id" = d."id") select "id" from d';

/** Searches a localized JSON column and a code column. */
export function textSearch(alias: string, jsonCols: string[], plainCols: string[]): { sql: string; count: number } {
  const parts = [
    ...jsonCols.flatMap((c) => [`${alias}."${c}"->>'ja' ilike ?`, `${alias}."${c}"->>'en' ilike ?`]),
    ...plainCols.map((c) => `${alias}."${c}" ilike ?`),
  ];
  return { sql: `(${parts.join(' or ')})`, count: parts.length };
}
