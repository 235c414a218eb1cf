import { Arg, Args, ArgsType, Ctx, Field, Int, Query, Resolver } from 'type-graphql';
import { IsIn, IsOptional, Max, Min } from 'class-validator';
import type { Context } from '../graphql/context.js';
import { ProcessingActivityFilter } from './processing-activity.resolver.js';
import { DataFlowGraph, dataFlowGraph, dataFlowGraphAsOf, GraphNodeKind, OPT_IN_KINDS } from './data-flow-graph.js';

@ArgsType()
export class DataFlowGraphLimits {
  @Field(() => Int, { defaultValue: 200, description: 'At most this many activities (in list order); the rest are counted in a truncation with a null source.' })
  @Min(1) @Max(2000)
  maxActivities!: number;

  @Field(() => Int, { defaultValue: 50, description: 'At most this many edges of one kind leave one node (the first by code); each cut is a truncation "shown of total".' })
  @Min(1) @Max(1000)
  maxFanOut!: number;

  @Field(() => [GraphNodeKind], { nullable: true, description: 'Node kinds left out of the default graph to add: DATA_CATEGORY (with DATA_OF edges into the activities) and LEGAL_BASIS (BASED_ON edges from them), e.g. for a Sankey.' })
  @IsOptional() @IsIn(OPT_IN_KINDS, { each: true, message: 'include takes DATA_CATEGORY and LEGAL_BASIS only' })
  include?: GraphNodeKind[] | null;
}

@Resolver()
export class DataFlowGraphQueries {
  @Query(() => DataFlowGraph, {
    description: 'Where data flows: subject categories → activities → datasets and systems, processors and their sub-processors, joint uses, third-party recipients → countries (storage and foreign transfers), over the activities the filter selects (the same filter as processingActivities). Capped per node kind for activities (maxActivities) and per fan-out (maxFanOut: edges of one kind leaving one node); every cut is listed in truncations.',
  })
  dataFlowGraph(
    @Arg('filter', () => ProcessingActivityFilter, { nullable: true }) filter: ProcessingActivityFilter | undefined,
    @Args() limits: DataFlowGraphLimits,
    @Arg('asOf', () => Date, { nullable: true, description: 'The graph as the register stood then, rebuilt from the audit trail as inventoryAsOf rebuilds it (people roles only). Datasets and systems are not in the trail: see notReconstructed. The filter then takes ids, categories, purposes, processors, legal bases, recipients, status, role and includeArchived; search, countries and dataCategoryIds are refused.' }) asOf: Date | undefined,
    @Ctx() ctx: Context,
  ): Promise<DataFlowGraph> {
    return asOf ? dataFlowGraphAsOf(ctx, asOf, filter, limits) : dataFlowGraph(ctx, filter, limits);
  }
}
