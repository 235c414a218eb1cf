import { Args, ArgsType, Ctx, Field, ObjectType, Query, Resolver } from 'type-graphql';
import YAML from 'yaml';
import type { Context } from '../graphql/context.js';
import { MaxChars } from '../graphql/input-limits.js';
import { manifestProblems } from './importer.js';

@ObjectType({ simpleResolvers: true, description: 'A problem an import of a manifest would meet.' })
export class ManifestProblem {
  @Field({ description: 'JSON Pointer into the manifest, e.g. /processingActivities/3/purposes/0.' }) path!: string;
  @Field() message!: string;
}

/** A class rather than an `@Arg` only so that the text can declare its maximum (the body limit's default). */
@ArgsType()
class ManifestProblemsArgs {
  @Field({ description: 'The manifest, as YAML (or JSON) text.' }) @MaxChars(32 * 1024 * 1024) manifest!: string;
}

@Resolver()
export class ManifestResolver {
  @Query(() => [ManifestProblem], {
    description: 'Every problem `kiroku import` of this manifest would meet against this inventory (schema, duplicates, unknown codes, with a near miss when there is one); empty when it would apply. The import is run and rolled back: nothing is written.',
  })
  async manifestProblems(@Args() { manifest }: ManifestProblemsArgs, @Ctx() ctx: Context): Promise<ManifestProblem[]> {
    const doc = YAML.parseDocument(manifest, { uniqueKeys: true });
    if (doc.errors.length) return doc.errors.map((e) => ({ path: '/', message: e.message.split('\n')[0] }));
    const problems = await manifestProblems({ em: ctx.em, getMetadata: () => ctx.em.getMetadata() }, [{ file: 'manifest', data: (doc.toJS() ?? {}) as Record<string, unknown> }]);
    return problems.map((p) => ({ path: p.path, message: p.message }));
  }
}
