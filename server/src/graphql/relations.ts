import { ReferenceKind, type EntityProperty, type MetadataStorage } from '@mikro-orm/core';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from './context.js';
import type { Row } from './loaders.js';

/** Relations not exposed as GraphQL fields (reached another way). */
const hidden = new Set<string>([]);

const descriptions: Record<string, string> = {
  'Processor.engagedBy': 'Processors that engage this one as a sub-processor.',
  'Processor.subProcessors': 'Sub-processors it engages (the processor graph).',
  'StorageLocation.hostingProcessor': 'The processor running the servers.',
  'DataCategory.parent': 'Parent in the taxonomy.',
  'Purpose.subjectCategory': 'The holder category the purpose is stated under; empty for general purposes.',
};

/**
 * One field resolver per relation of the entity model, each going through a per-request loader, so
 * that every relation is navigable both ways and none can issue a statement per row.
 */
export function relationResolvers(metadata: MetadataStorage): Function[] {
  const resolvers: Function[] = [];
  for (const meta of Object.values(metadata.getAll())) {
    if (meta.abstract || meta.pivotTable || !meta.class) continue;
    for (const prop of meta.props as EntityProperty[]) {
      const key = `${meta.className}.${prop.name}`;
      if (hidden.has(key)) continue;
      const targetMeta = prop.targetMeta;
      if (!targetMeta || prop.kind === ReferenceKind.SCALAR || prop.kind === ReferenceKind.EMBEDDED) continue;
      const target = targetMeta.class;
      const entityName = meta.className;
      const name = prop.name;
      const description = descriptions[key];
      if (prop.kind === ReferenceKind.MANY_TO_ONE) {
        const targetName = targetMeta.className;
        @Resolver(() => meta.class)
        class ManyToOneResolver {
          @FieldResolver(() => target, { name, nullable: !!prop.nullable, description })
          resolve(@Root() root: Row, @Ctx() ctx: Context): Promise<Row | null> | null {
            const id = root[name] as number | null | undefined;
            return id == null ? null : ctx.loaders.byId(targetName).load(Number(id));
          }
        }
        resolvers.push(ManyToOneResolver);
      } else if (prop.kind === ReferenceKind.ONE_TO_MANY || prop.kind === ReferenceKind.MANY_TO_MANY) {
        @Resolver(() => meta.class)
        class CollectionResolver {
          @FieldResolver(() => [target], { name, description })
          resolve(@Root() root: Row, @Ctx() ctx: Context): Promise<Row[]> {
            return ctx.loaders.relation(entityName, name).load(Number(root.id));
          }
        }
        resolvers.push(CollectionResolver);
      }
    }
  }
  return resolvers;
}
