import { ReferenceKind, type EntityProperty, type MetadataStorage } from '@mikro-orm/core';
import type { GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import { Ctx, FieldResolver, Info, Resolver, Root, getMetadataStorage } from 'type-graphql';
import type { Context } from './context.js';
import type { Row } from './loaders.js';

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
  const objectTypes = new Set((getMetadataStorage() as unknown as { objectTypes: Array<{ target: Function }> }).objectTypes.map((o) => o.target));
  for (const meta of Object.values(metadata.getAll())) {
    if (meta.abstract || meta.pivotTable || !meta.class || !objectTypes.has(meta.class)) continue;
    for (const prop of meta.props as EntityProperty[]) {
      const key = `${meta.className}.${prop.name}`;
      const targetMeta = prop.targetMeta;
      if (!targetMeta || prop.kind === ReferenceKind.SCALAR || prop.kind === ReferenceKind.EMBEDDED) continue;
      const target = targetMeta.class;
      const entityName = meta.className;
      const name = prop.name;
      const description = descriptions[key];
      const many = prop.kind === ReferenceKind.ONE_TO_MANY || prop.kind === ReferenceKind.MANY_TO_MANY;
      if (!many && prop.kind !== ReferenceKind.MANY_TO_ONE) continue;
      const targetName = targetMeta.className;
      // type-graphql matches a field resolver to its field by method name, so each relation
      // gets a class whose method is named after the field.
      const Klass = { [`${entityName}_${name}_Resolver`]: class {} }[`${entityName}_${name}_Resolver`];
      const impl = many
        ? function (this: unknown, root: Row, ctx: Context, info: GraphQLResolveInfo): Promise<Row[]> {
            return ctx.loaders.selectedRelation(entityName, name, targetName, selectedFields(info)).load(Number(root.id));
          }
        : function (this: unknown, root: Row, ctx: Context): Promise<Row | null> | null {
            const id = root[name] as number | null | undefined;
            return id == null ? null : ctx.loaders.byId(targetName).load(Number(id));
          };
      const descriptor = { value: impl, writable: true, configurable: true, enumerable: false };
      Object.defineProperty(Klass.prototype, name, descriptor);
      Root()(Klass.prototype, name, 0);
      Ctx()(Klass.prototype, name, 1);
      if (many) Info()(Klass.prototype, name, 2);
      FieldResolver(() => (many ? [target] : target), { nullable: many ? false : !!prop.nullable, description })(Klass.prototype, name, descriptor);
      Resolver(() => meta.class)(Klass);
      resolvers.push(Klass);
    }
  }
  return resolvers;
}

/** Names of the fields selected under the current field (fragments included), cached per node. */
const selectionCache = new WeakMap<object, ReadonlySet<string>>();
export function selectedFields(info: GraphQLResolveInfo): ReadonlySet<string> {
  const cacheKey = info.fieldNodes[0];
  const cached = info.fieldNodes.length === 1 ? selectionCache.get(cacheKey) : undefined;
  if (cached) return cached;
  const names = new Set<string>();
  const visit = (set: SelectionSetNode | undefined, depth: number) => {
    if (!set || depth > 10) return;
    for (const sel of set.selections) {
      if (sel.kind === 'Field') names.add(sel.name.value);
      else if (sel.kind === 'InlineFragment') visit(sel.selectionSet, depth + 1);
      else visit(info.fragments[sel.name.value]?.selectionSet, depth + 1);
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet, 0);
  if (info.fieldNodes.length === 1) selectionCache.set(cacheKey, names);
  return names;
}

