import type { EntityManager } from '@mikro-orm/postgresql';
import type { OwnershipRule, WriteRule } from './crud.js';
import type { Principal } from './context.js';
import { Role } from '../auth/roles.js';
import type { Problem } from './errors.js';
import { procedureProblems } from '../organization/procedure-rules.js';

async function reachable(em: EntityManager, sql: string, from: number, to: number): Promise<boolean> {
  const rows = (await em.execute(sql, [from, to], 'all')) as unknown[];
  return rows.length > 0;
}

/** A category cannot become its own ancestor. */
const noCategoryCycle: WriteRule = async (em, entity, input) => {
  if (input.parentId == null || entity.id == null) return [];
  const parent = Number(input.parentId);
  if (parent === entity.id) return [{ path: 'input.parentId', message: 'a category cannot be its own parent' }];
  const cycle = await reachable(
    em,
    'with recursive up as (select "id", "parent_id" from "data_category" where "id" = ? union select c."id", c."parent_id" from "data_category" c join up on c."id" = up."parent_id") select 1 from up where "id" = ? limit 1',
    parent,
    entity.id as number,
  );
  return cycle ? [{ path: 'input.parentId', message: 'that parent is a descendant of this category' }] : [];
};

/** The processor graph stays acyclic, so that sub-processor chains are finite. */
const noProcessorCycle: WriteRule = async (em, entity, input) => {
  const subs = input.subProcessorIds as string[] | undefined;
  if (!subs || entity.id == null) return [];
  const problems: Problem[] = [];
  for (const [i, raw] of subs.entries()) {
    const sub = Number(raw);
    if (sub === entity.id) {
      problems.push({ path: `input.subProcessorIds[${i}]`, message: 'a processor cannot be its own sub-processor' });
      continue;
    }
    const cycle = await reachable(
      em,
      'with recursive down as (select "sub_processor_id" as id from "processor_sub_processors" where "processor_id" = ? union select s."sub_processor_id" from "processor_sub_processors" s join down on s."processor_id" = down.id) select 1 from down where id = ? limit 1',
      sub,
      entity.id as number,
    );
    if (cycle) problems.push({ path: `input.subProcessorIds[${i}]`, message: 'that processor already (transitively) engages this one' });
  }
  return problems;
};

/** Codes inside the organization's provision rules name legal bases and subject categories that exist. */
const provisionRuleCodes: WriteRule = async (em, _entity, input) => {
  const rules = input.provisionRules as Array<{ legalBasisCodes?: string[]; appliesTo?: string[] }> | undefined;
  if (!rules) return [];
  const codes = async (table: string) => new Set(((await em.execute(`select "code" from "${table}"`, [], 'all')) as Array<{ code: string }>).map((r) => r.code));
  const bases = await codes('legal_basis');
  const subjects = await codes('subject_category');
  const problems: Problem[] = [];
  rules.forEach((r, i) => {
    (r.legalBasisCodes ?? []).forEach((c, j) => bases.has(c) || problems.push({ path: `input.provisionRules[${i}].legalBasisCodes[${j}]`, message: `no legal basis with code "${c}"` }));
    (r.appliesTo ?? []).forEach((c, j) => subjects.has(c) || problems.push({ path: `input.provisionRules[${i}].appliesTo[${j}]`, message: `no subject category with code "${c}"` }));
  });
  return problems;
};

// An update may send the channels without the desks they name, or a layout without the statements: those are the stored ones.
const procedureRules: WriteRule = async (_em, entity, input) =>
  procedureProblems({ contactDesks: entity.contactDesks, statements: entity.statements, ...input } as Parameters<typeof procedureProblems>[0]).map((p) => ({ path: `input.${p.path.map((x) => (typeof x === 'number' ? `[${x}]` : x)).join('.').replace(/\.\[/g, '[')}`, message: p.message }));

export const writeRules: Record<string, WriteRule[]> = {
  DataCategory: [noCategoryCycle],
  Processor: [noProcessorCycle],
  Organization: [provisionRuleCodes, procedureRules],
};

async function systemKeyOf(em: EntityManager, sql: string, id: unknown): Promise<string | null> {
  if (id == null) return null;
  const rows = (await em.execute(sql, [id], 'all')) as Array<{ key: string }>;
  return rows[0]?.key ?? null;
}

const refId = (v: unknown) => (v == null ? null : typeof v === 'object' ? (v as { id?: unknown }).id ?? null : v);

function integrationOnly(p: Principal): boolean {
  return p.roles.length > 0 && p.roles.every((r) => r === Role.INTEGRATION);
}

/**
 * An integration writes only datasets (and their fields) of the system its token names. A refusal
 * names the relation that leads elsewhere, so the caller can be answered as if the record were not
 * there; the reason, which names the other system, goes to the audit trail only.
 */
export const ownershipRules: Record<string, OwnershipRule> = {
  Dataset: async (em, entity, principal) => {
    if (!integrationOnly(principal)) return null;
    const id = refId(entity.system);
    const key = await systemKeyOf(em, 'select "key" from "system" where "id" = ?', id);
    return key === principal.system ? null : { relation: 'system', id, reason: `system "${key}" is not the token's system "${principal.system}"` };
  },
  DatasetField: async (em, entity, principal) => {
    if (!integrationOnly(principal)) return null;
    const id = refId(entity.dataset);
    const key = await systemKeyOf(em, 'select s."key" from "dataset" d join "system" s on s."id" = d."system_id" where d."id" = ?', id);
    return key === principal.system ? null : { relation: 'dataset', id, reason: `dataset of system "${key}", not the token's system "${principal.system}"` };
  },
};
