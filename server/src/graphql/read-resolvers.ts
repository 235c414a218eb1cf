import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { ownSystem, type Context } from './context.js';
import { idOrNull } from './errors.js';
import type { Row } from './loaders.js';
import type { WriteSpec } from './crud.js';
import { appendAudit } from '../audit/audit-log.js';
import { AuditOutcome } from '../audit/audit-event.entity.js';

/** Root list queries for the taxonomies and small registers (the growing lists are connections). */
const LISTS: Record<string, string> = {
  SubjectCategory: 'subjectCategories',
  DataCategory: 'dataCategories',
  Purpose: 'purposes',
  LegalBasis: 'legalBases',
  SecurityMeasure: 'securityMeasures',
  JointUseArrangement: 'jointUseArrangements',
  ThirdPartyRecipient: 'thirdPartyRecipients',
  ProvisionRecord: 'provisionRecords',
  ForeignTransfer: 'foreignTransfers',
  StorageLocation: 'storageLocations',
  CountryAssessment: 'countryAssessments',
};

const lowerFirst = (s: string) => s[0].toLowerCase() + s.slice(1);

/** An integration sees only its own system's records. */
async function visible(ctx: Context, entityName: string, row: Row): Promise<boolean> {
  const own = ownSystem(ctx);
  if (own === null) return true;
  let systemId: unknown;
  if (entityName === 'System') return row.key === own;
  if (entityName === 'Dataset') systemId = row.system;
  else if (entityName === 'DatasetField') systemId = (await ctx.loaders.byId('Dataset').load(Number(row.dataset)))?.system;
  else return true;
  const system = systemId == null ? null : await ctx.loaders.byId('System').load(Number(systemId));
  return system?.key === own;
}

export function readResolvers(specs: Map<string, WriteSpec>): Function[] {
  const out: Function[] = [];
  for (const spec of specs.values()) {
    const { entityName, graphqlName, cls } = spec;
    if (entityName === 'Organization') continue; // its own resolver: `organization` takes an optional id
    @Resolver()
    class ByIdResolver {
      @Query(() => cls, { name: lowerFirst(graphqlName), nullable: true, description: `One ${graphqlName} by id; null when there is none.` })
      async one(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Row | null> {
        const n = idOrNull(id);
        if (n === null) return null;
        const row = await ctx.loaders.byId(entityName).load(n);
        if (!row) return null;
        if (await visible(ctx, entityName, row)) return row;
        // Answered as absent, so the caller learns nothing; the attempt is on record with its target.
        await appendAudit(ctx.em.fork(), ctx.principal, ctx.requestId, { operation: lowerFirst(graphqlName), outcome: AuditOutcome.DENIED, entityType: graphqlName, entityId: n, reason: 'record of another system' });
        return null;
      }
    }
    out.push(ByIdResolver);
    const listName = LISTS[entityName];
    if (!listName) continue;
    @Resolver()
    class ListResolver {
      @Query(() => [cls], { name: listName, description: `All ${listName}, in notice order.` })
      async list(
        @Arg('includeArchived', () => Boolean, { defaultValue: false }) includeArchived: boolean,
        @Ctx() ctx: Context,
      ): Promise<Row[]> {
        const m = ctx.loaders.model;
        return ctx.loaders.query(`select ${m.select(entityName)} from ${m.table(entityName)} t ${includeArchived ? '' : 'where t."archived_at" is null'} order by ${m.order(entityName)}`);
      }
    }
    out.push(ListResolver);
  }
  return out;
}
