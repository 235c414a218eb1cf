import { createHash } from 'node:crypto';
import DataLoader from 'dataloader';
import pg from 'pg';
import { ReferenceKind, type EntityMetadata, type EntityProperty } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';

// Calendar dates stay 'YYYY-MM-DD' strings (as MikroORM maps them), not local-midnight Dates.
pg.types.setTypeParser(1082, (v) => v);

const numberedCache = new Map<string, string>();
const PREPARED_MAX = 300;
const preparedNames = new Map<string, string>();

/** A name for a prepared statement of this text, while fewer than PREPARED_MAX texts have one. */
export function statementName(text: string): string | undefined {
  let name = preparedNames.get(text);
  if (name === undefined && preparedNames.size < PREPARED_MAX) {
    name = `kiroku_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    preparedNames.set(text, name);
  }
  return name;
}

/** `?` placeholders (outside quoted literals) to `$1…$n`; cached, as the same SQL recurs. */
export function numbered(sql: string): string {
  let out = numberedCache.get(sql);
  if (out !== undefined) return out;
  let n = 0;
  let quoted = false;
  out = '';
  for (const ch of sql) {
    if (ch === "'") quoted = !quoted;
    out += ch === '?' && !quoted ? `$${++n}` : ch;
  }
  if (numberedCache.size < 10_000) numberedCache.set(sql, out);
  return out;
}

export type Row = Record<string, unknown> & { id: number };

const KEY = '__k';

/** Identifier quoting for names that come from entity metadata, never from input. */
export const q = (name: string) => `"${name}"`;

/**
 * Read-side SQL derived once from the entity metadata: the select list that turns columns into
 * plain rows keyed by property name (a many-to-one holds the referenced id), the default order,
 * and how each relation is reached. Read paths never hydrate entities (see DESIGN.md).
 */
export class ReadModel {
  private selects = new Map<string, string>();
  private relationSql = new Map<string, { sql: string; many: boolean }>();

  constructor(readonly orm: MikroORM) {}

  meta(entityName: string): EntityMetadata {
    return this.orm.getMetadata().get(entityName);
  }

  table(entityName: string): string {
    return q(this.meta(entityName).tableName);
  }

  /**
   * Columns of an entity as `alias.col as "prop"`: scalars and many-to-one foreign keys. With
   * `fields` (see `narrow`), only those scalars, the id and the foreign keys.
   */
  select(entityName: string, alias = 't', fields?: ReadonlySet<string> | null): string {
    const key = `${entityName}:${alias}${fields ? `:${[...fields].sort().join(',')}` : ''}`;
    let s = this.selects.get(key);
    if (!s) {
      const parts: string[] = [];
      for (const p of this.meta(entityName).props) {
        if (p.persist === false) continue;
        const wanted = p.kind === ReferenceKind.MANY_TO_ONE || (p.kind === ReferenceKind.SCALAR && (!fields || p.primary || fields.has(p.name)));
        if (wanted) parts.push(`${alias}.${q(p.fieldNames[0])} as ${q(p.name)}`);
      }
      s = parts.join(', ');
      if (this.selects.size < 5_000) this.selects.set(key, s);
    }
    return s;
  }

  /**
   * The fields a selection asks of an entity, when every one of them is a column or a relation
   * of the entity model (their resolvers read nothing else from the row); null (all columns)
   * when a field has a resolver of its own, which may read any column.
   */
  narrow(entityName: string, requested: ReadonlySet<string>): ReadonlySet<string> | null {
    const props = this.meta(entityName).properties as Record<string, EntityProperty>;
    for (const name of requested) {
      if (name === '__typename') continue;
      const p = props[name];
      if (!p || p.persist === false || p.kind === ReferenceKind.EMBEDDED) return null;
    }
    return requested;
  }

  /** The order lists of this entity come in: notice order where it has one, else insertion order. */
  order(entityName: string, alias = 't'): string {
    const props = this.meta(entityName).properties as Record<string, EntityProperty>;
    if (props.position) return `${alias}."position", ${alias}."id"`;
    if (props.number) return `${alias}."number" nulls last, ${alias}."id"`;
    return `${alias}."id"`;
  }

  /** SQL selecting, for keys `$1` (owner ids), the related rows tagged with their owner in `__k`. */
  relation(entityName: string, propName: string, fields?: ReadonlySet<string> | null): { sql: string; many: boolean } {
    const cacheKey = `${entityName}.${propName}${fields ? `:${[...fields].sort().join(',')}` : ''}`;
    let r = this.relationSql.get(cacheKey);
    if (r) return r;
    const prop = this.meta(entityName).properties[propName] as EntityProperty;
    const target = prop.type;
    const cols = this.select(target, 't', fields);
    const live = 't."archived_at" is null';
    switch (prop.kind) {
      case ReferenceKind.ONE_TO_MANY: {
        const fk = this.meta(target).properties[prop.mappedBy].fieldNames[0];
        r = { sql: `select t.${q(fk)} as "${KEY}", ${cols} from ${this.table(target)} t where t.${q(fk)} = any(?) and ${live} order by ${this.order(target)}`, many: true };
        break;
      }
      case ReferenceKind.MANY_TO_MANY: {
        const owner = prop.owner ? prop : (this.meta(target).properties[prop.mappedBy] as EntityProperty);
        const mine = prop.owner ? owner.joinColumns[0] : owner.inverseJoinColumns[0];
        const theirs = prop.owner ? owner.inverseJoinColumns[0] : owner.joinColumns[0];
        r = {
          sql: `select p.${q(mine)} as "${KEY}", ${cols} from ${q(owner.pivotTable)} p join ${this.table(target)} t on t."id" = p.${q(theirs)} where p.${q(mine)} = any(?) and ${live} order by ${this.order(target)}`,
          many: true,
        };
        break;
      }
      default:
        throw new Error(`${cacheKey} is not a collection relation`);
    }
    if (this.relationSql.size < 5_000) this.relationSql.set(cacheKey, r);
    return r;
  }
}

const makers = new Map<string, (r: unknown[]) => Row>();

/**
 * A function making a row object of columns 1… of an array row (column 0 is the key), each row of
 * one shape. The names are the statement's own column aliases, written into the function as JSON
 * string literals.
 */
function rowMaker(names: string[]): (r: unknown[]) => Row {
  const id = names.join('\0');
  let make = makers.get(id);
  if (!make) {
    if (names[0] !== KEY) throw new Error(`the first column is ${names[0]}, not the key`);
    make = new Function('r', `return { ${names.slice(1).map((n, i) => `${JSON.stringify(n)}: r[${i + 1}]`).join(', ')} };`) as (r: unknown[]) => Row;
    if (makers.size < 5_000) makers.set(id, make);
  }
  return make;
}

/**
 * Rows grouped by a column they keep (a foreign key the type exposes), in key order for a DataLoader
 * batch. Statements that add an owner key of their own (`__k`) go through `Loaders.grouped`.
 */
export function groupRows<T extends Record<string, unknown>>(keys: readonly number[], rows: T[], column: string): Row[][] {
  const groups = new Map<number, Row[]>();
  for (const row of rows) {
    const k = Number(row[column]);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(row as unknown as Row);
  }
  return keys.map((k) => groups.get(k) ?? []);
}

/**
 * Per-request DataLoaders: one batched statement per relation and level, whatever the number of
 * parent rows. Created lazily, so a request pays only for the relations it asks for.
 */
export class Loaders {
  private loaders = new Map<string, DataLoader<number, unknown>>();

  constructor(private readonly pool: pg.Pool, readonly model: ReadModel) {}

  /** Runs read SQL written with `?` placeholders straight on the `pg` pool (arrays bind as arrays). */
  async query<T = Row>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(numbered(sql), params)).rows as T[];
  }

  /**
   * The same, as a named (prepared) statement: the loaders' statements are small, frequent and few,
   * and parsing and planning each one cost PostgreSQL more than running it. Each connection keeps
   * its prepared statements, so only the first PREPARED_MAX distinct texts are prepared.
   */
  async prepared<T = Row>(sql: string, params: unknown[] = []): Promise<T[]> {
    const text = numbered(sql);
    const name = statementName(text);
    return (await this.pool.query(name ? { name, text, values: params } : { text, values: params })).rows as T[];
  }

  private get<V>(key: string, batch: (ids: readonly number[]) => Promise<V[]>): DataLoader<number, V> {
    let l = this.loaders.get(key) as DataLoader<number, V> | undefined;
    if (!l) {
      l = new DataLoader<number, V>(batch, { maxBatchSize: 5000 });
      this.loaders.set(key, l as DataLoader<number, unknown>);
    }
    return l;
  }

  /** Rows by id (archived included: a reference to an archived record still resolves). */
  byId(entityName: string): DataLoader<number, Row | null> {
    return this.get(`id:${entityName}`, async (ids) => {
      const rows = await this.prepared(`select ${this.model.select(entityName)} from ${this.model.table(entityName)} t where t."id" = any(?)`, [ids]);
      const map = new Map(rows.map((r) => [Number(r.id), r]));
      return ids.map((id) => map.get(id) ?? null);
    });
  }

  /**
   * Rows of a one-to-many or many-to-many relation, per owner id; with `fields` (from
   * `ReadModel.narrow`) only the columns asked for, so that a list of codes does not read and
   * parse every text and date of every row.
   */
  relation(entityName: string, propName: string, fields?: ReadonlySet<string> | null): DataLoader<number, Row[]> {
    const key = `rel:${entityName}.${propName}${fields ? `:${[...fields].sort().join(',')}` : ''}`;
    return this.get(key, async (ids) => {
      const { sql } = this.model.relation(entityName, propName, fields);
      return this.grouped(sql, [ids], ids);
    });
  }

  /**
   * Rows of a prepared statement whose first column is the owner key (`__k`), grouped by it in
   * `keys` order, without it. Read as arrays and made into objects by a constructor per column
   * list: deleting the key from each parsed object was 5 % of a processor audit's CPU at size L,
   * and left every row a slow dictionary object.
   */
  async grouped(sql: string, params: unknown[], keys: readonly number[]): Promise<Row[][]> {
    const text = numbered(sql);
    const name = statementName(text);
    const result = await this.pool.query({ ...(name ? { name } : {}), text, values: params, rowMode: 'array' });
    const make = rowMaker(result.fields.map((f) => f.name));
    const groups = new Map<number, Row[]>();
    for (const r of result.rows as unknown[][]) {
      const k = Number(r[0]);
      let g = groups.get(k);
      if (!g) groups.set(k, (g = []));
      g.push(make(r));
    }
    return keys.map((k) => groups.get(k) ?? []);
  }

  /** `relation` reading only the columns the field's selection asks for (see `ReadModel.narrow`). */
  selectedRelation(entityName: string, propName: string, targetName: string, selected: ReadonlySet<string>): DataLoader<number, Row[]> {
    return this.relation(entityName, propName, this.model.narrow(targetName, selected));
  }

  /** A loader with a custom batch function, cached per request under `key`. */
  custom<V>(key: string, batch: (keys: readonly number[]) => Promise<V[]>): DataLoader<number, V> {
    return this.get(`custom:${key}`, batch);
  }

  /** Loader keyed by string (e.g. country code). */
  private stringLoaders = new Map<string, DataLoader<string, unknown>>();
  byString<V>(key: string, batch: (keys: readonly string[]) => Promise<V[]>): DataLoader<string, V> {
    let l = this.stringLoaders.get(key) as DataLoader<string, V> | undefined;
    if (!l) {
      l = new DataLoader<string, V>(batch);
      this.stringLoaders.set(key, l as DataLoader<string, unknown>);
    }
    return l;
  }
}
