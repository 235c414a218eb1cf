import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import { selectedFields } from '../graphql/relations.js';
import type { Context } from '../graphql/context.js';
import type { Row } from '../graphql/loaders.js';
import { IdentityType } from '../graphql/enums.js';
import { DataCategory } from '../inventory/data-category.entity.js';
import { Dataset } from './dataset.entity.js';
import { registerDatasets } from './registration.service.js';
import { DatasetRegistrationResult, RegisterDatasetsInput, RegisterDatasetsPayload, RegisterDatasetsPush, ReportSubjectsInput, ReportSubjectsPayload } from './registration.types.js';
import { badInput } from '../graphql/errors.js';
import { withInputDefaults } from '../graphql/json-input.js';
import { lookupSubject, reportSubjects } from '../subjects/subject-index.service.js';
import { MAX_IDENTIFIER_CHARS, MaxChars } from '../graphql/input-limits.js';
import { appendAuditEvents } from '../audit/audit-log.js';
import { AuditOutcome } from '../audit/audit-event.entity.js';

/** A class rather than two `@Arg`s only so that the value can declare its maximum. */
@ArgsType()
class SubjectLookupArgs {
  @Field(() => IdentityType) identityType!: IdentityType;
  @Field() @MaxChars(MAX_IDENTIFIER_CHARS) value!: string;
}

@Resolver()
export class RegistrationResolver {
  @Mutation(() => RegisterDatasetsPayload, { description: "Registers a system's datasets and fields, idempotently, in one transaction. Give the push as `push` (one JSON value) or as `input` (typed), not both." })
  async registerDatasets(
    @Arg('input', () => RegisterDatasetsInput, { nullable: true, description: 'The push as a typed input.' }) input: RegisterDatasetsInput | null | undefined,
    @Arg('push', () => RegisterDatasetsPush, {
      nullable: true,
      description: 'The same push as one JSON value, checked against the same rules: what the SDK and the CLI send.',
      // Checked whole before the operation runs; class-validator has nothing to add to a JSON value
      // (and fails on the prototype-less objects graphql-js makes of a literal).
      validate: false,
    }) push: Partial<RegisterDatasetsInput> | null | undefined,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<RegisterDatasetsPayload> {
    if ((input == null) === (push == null)) throw badInput([{ path: input == null ? 'push' : 'input', message: input == null ? 'give the push as push or as input' : 'give the push as push or as input, not both' }]);
    const results = input ? await registerDatasets(ctx, ctx.db.writePool, input) : await registerDatasets(ctx, ctx.db.writePool, withInputDefaults<RegisterDatasetsInput>(info.schema, RegisterDatasetsPush, push), 'push');
    return { results: results.map((r) => ({ key: r.key, status: r.status, datasetId: r.id, changes: r.changes ?? [] })) as never };
  }

  @Mutation(() => ReportSubjectsPayload, { description: 'Adds identifiers to (or removes them from) the subject index of one dataset; values are stored only as HMAC.' })
  async reportSubjects(@Arg('input', () => ReportSubjectsInput) input: ReportSubjectsInput, @Ctx() ctx: Context): Promise<ReportSubjectsPayload> {
    return reportSubjects(ctx, ctx.db.writePool, ctx.db.subjectKey, input);
  }

  @Query(() => [Dataset], { description: 'Datasets whose subject index holds this identifier (normalized and hashed; the value is not kept). Each lookup is recorded in the audit trail, by the HMAC.' })
  async subjectLookup(@Args() { identityType, value }: SubjectLookupArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<Row[]> {
    // Only the columns the selection asks for (and the keys): parsing every dataset's timestamps
    // was a tenth of a lookup's CPU when the caller wants the ids.
    const m = ctx.loaders.model;
    const found = await lookupSubject(ctx.db.pool, ctx.db.subjectKey, identityType, value, m.select('Dataset', 't', m.narrow('Dataset', selectedFields(info))));
    const rows = found.rows as Row[];
    // The access names the person by the subject index's HMAC, never by the value looked up.
    const hash = found.hash.toString('hex');
    await appendAuditEvents(ctx.db.writePool, ctx.principal, ctx.requestId, [{ operation: 'Query.subjectLookup', outcome: AuditOutcome.SUCCESS, entityType: 'SubjectIdentifier', entityId: hash, after: { identityType, datasets: rows.map((d) => d.id) } }]);
    return rows;
  }
}

/** The registered dataset of a push result, loaded only when asked for (one statement for all). */
@Resolver(() => DatasetRegistrationResult)
export class DatasetRegistrationResultResolver {
  @FieldResolver(() => Dataset, { nullable: true })
  dataset(@Root() r: { datasetId: number | null }, @Ctx() ctx: Context): Promise<Row | null> {
    return r.datasetId === null ? Promise.resolve(null) : ctx.loaders.byId('Dataset').load(r.datasetId);
  }
}

/**
 * Categories a dataset's fields hold that none of its activities declares (an activity declaring
 * an ancestor category covers its descendants): the drift the privacy team reviews.
 */
@Resolver(() => Dataset)
export class DatasetDriftResolver {
  @FieldResolver(() => [DataCategory], { description: "Data categories in this dataset's fields that none of its linked activities declares." })
  undeclaredDataCategories(@Root() d: Row, @Ctx() ctx: Context): Promise<Row[]> {
    return ctx.loaders
      .custom<Row[]>('dataset.undeclaredDataCategories', (keys) => {
        const m = ctx.loaders.model;
        return ctx.loaders.grouped(
          `with recursive anc(id, ancestor) as (
             select "id", "id" from "data_category"
             union select a.id, c."parent_id" from anc a join "data_category" c on c."id" = a.ancestor where c."parent_id" is not null)
           select distinct f."dataset_id" as "__k", ${m.select('DataCategory')}
           from "dataset_field" f
           join "dataset_field_data_categories" fc on fc."field_id" = f."id"
           join "data_category" t on t."id" = fc."data_category_id"
           where f."dataset_id" = any(?) and f."archived_at" is null
             and not exists (
               select 1 from "dataset_activities" da
               join "processing_activity_data_categories" pc on pc."processing_activity_id" = da."processing_activity_id"
               join anc on anc.id = fc."data_category_id" and anc.ancestor = pc."data_category_id"
               where da."dataset_id" = f."dataset_id")
           order by t."id"`,
          [keys],
          keys,
        );
      })
      .load(Number(d.id));
  }
}
