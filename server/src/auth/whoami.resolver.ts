import { Ctx, Field, ObjectType, Query, Resolver } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { Role } from './roles.js';

@ObjectType({ simpleResolvers: true, description: 'The caller, as its token says.' })
export class Caller {
  @Field({ description: 'Token subject.' }) sub!: string;
  @Field(() => [Role]) roles!: Role[];
  @Field(() => String, { nullable: true, description: 'The system an INTEGRATION token acts for.' }) system?: string | null;
}

@Resolver()
export class WhoamiResolver {
  @Query(() => Caller, { description: 'Who the token belongs to (for clients to check their configuration).' })
  whoami(@Ctx() ctx: Context): Caller {
    return { sub: ctx.principal.sub, roles: ctx.principal.roles, system: ctx.principal.system ?? null };
  }
}
