import { statementName } from '../graphql/loaders.js';
import type pg from 'pg';
import type { Context } from '../graphql/context.js';
import { badInput } from '../graphql/errors.js';
import type { IdentityType } from '../graphql/enums.js';
import { assertSystemWriter } from '../systems/registration.service.js';
import { SubjectOp, type ReportSubjectsInput } from '../systems/registration.types.js';
import { normalizeIdentifier, subjectHash } from './subject-key.js';
import { inTransaction } from '../db/transaction.js';
import { appendAuditEvents } from '../audit/audit-log.js';
import { AuditOutcome } from '../audit/audit-event.entity.js';

/**
 * Adds or removes identifiers of one dataset in the subject index. Values are normalized and
 * hashed in memory and never leave this function: not stored, logged or echoed in errors (a bad
 * value is reported by its index only).
 */
export async function reportSubjects(ctx: Context, pool: pg.Pool, key: Buffer, input: ReportSubjectsInput): Promise<{ added: number; removed: number; warnings: string[] }> {
  await assertSystemWriter(ctx, input.systemKey, 'reportSubjects');
  const hashes: Buffer[] = [];
  const bad: number[] = [];
  input.values.forEach((v, i) => {
    const n = normalizeIdentifier(input.identityType, v);
    if (n === null) bad.push(i);
    else hashes.push(subjectHash(key, input.identityType, n));
  });
  if (bad.length) {
    throw badInput(bad.slice(0, 100).map((i) => ({ path: `input.values[${i}]`, message: `not a valid ${input.identityType.toLowerCase()} identifier` })));
  }
  const { rows } = await pool.query(
    `select d."id", d."status", exists (select 1 from "dataset_field" f where f."dataset_id" = d."id" and f."identity_type" = $3 and f."archived_at" is null) as declared
     from "dataset" d join "system" s on s."id" = d."system_id" where s."key" = $1 and d."key" = $2 and d."archived_at" is null`,
    [input.systemKey, input.datasetKey, input.identityType],
  );
  if (!rows[0]) throw badInput([{ path: 'input.datasetKey', message: `no dataset "${input.datasetKey}" in system "${input.systemKey}"` }]);
  const datasetId = Number(rows[0].id);
  const warnings: string[] = [];
  if (rows[0].status === 'RETIRED' && input.op === SubjectOp.ADD) warnings.push(`dataset "${input.datasetKey}" is retired: the entries are kept and keep it in the resolution of requests until removed`);
  if (!rows[0].declared) warnings.push(`no field of dataset "${input.datasetKey}" declares identity type ${input.identityType}: register the field that holds it`);
  if (input.dryRun) return { added: 0, removed: 0, warnings };
  return inTransaction(pool, async (client) => {
    let added = 0;
    let removed = 0;
    if (input.op === SubjectOp.ADD) {
      const r = await client.query(
        `insert into "subject_index_entry" ("dataset_id", "identity_type", "hash") select $1, $2, h from unnest($3::bytea[]) as u(h) on conflict do nothing`,
        [datasetId, input.identityType, hashes],
      );
      added = r.rowCount ?? 0;
    } else {
      const r = await client.query(`delete from "subject_index_entry" where "dataset_id" = $1 and "identity_type" = $2 and "hash" = any($3::bytea[])`, [datasetId, input.identityType, hashes]);
      removed = r.rowCount ?? 0;
    }
    if (added || removed) {
      await appendAuditEvents(client, ctx.principal, ctx.requestId, [
        { operation: 'reportSubjects', outcome: AuditOutcome.SUCCESS, entityType: 'Dataset', entityId: datasetId, after: { identityType: input.identityType, op: input.op, added, removed } },
      ]);
    }
    return { added, removed, warnings };
  });
}

/** Datasets whose index holds this identifier (live datasets only). */
/** The datasets holding the identifier, and its HMAC (what the audit trail names the person by). */
export async function lookupSubject(pool: pg.Pool, key: Buffer, identityType: IdentityType, value: string, select: string): Promise<{ rows: Record<string, unknown>[]; hash: Buffer }> {
  const n = normalizeIdentifier(identityType, value);
  if (n === null) throw badInput([{ path: 'value', message: `not a valid ${identityType.toLowerCase()} identifier` }]);
  // Prepared through the loaders' shared naming: the lookup is small and frequent.
  const text = `select ${select} from "subject_index_entry" e join "dataset" t on t."id" = e."dataset_id" where e."identity_type" = $1 and e."hash" = $2 and t."archived_at" is null order by t."id"`;
  const name = statementName(text);
  const hash = subjectHash(key, identityType, n);
  const values = [identityType, hash];
  const { rows } = await pool.query(name ? { name, text, values } : { text, values });
  return { rows, hash };
}
