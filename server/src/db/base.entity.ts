import { PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';

/**
 * Columns every inventory record has. `version` drives optimistic locking: a write carrying a
 * stale version gets CONFLICT. `archivedAt` retires a record without losing its history.
 * (Declared as object types only so that type-graphql copies their fields into each entity's type.)
 */
@ObjectType('BaseRecord', { simpleResolvers: true })
export abstract class BaseEntity {
  @Field(() => ID)
  @PrimaryKey({ autoincrement: true })
  id!: number;

  @Field(() => Int, { description: 'Optimistic-locking version; send it back with every update.' })
  @Property({ version: true })
  version!: number;

  @Field()
  @Property({ columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Field()
  @Property({ columnType: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @Field(() => Date, { nullable: true, description: 'Set when the record was archived; archived records leave lists.' })
  @Property({ columnType: 'timestamptz', nullable: true })
  archivedAt?: Date | null;

  @Field({ description: 'True for demo data that is not taken from a real notice.' })
  @Property({ default: false })
  illustrative: boolean = false;
}

/** Inventory records named by a stable code that manifests and integrations refer to. */
@ObjectType('CodedRecord', { simpleResolvers: true })
export abstract class CodedEntity extends BaseEntity {
  @Field({ description: 'Stable code, unique per type; manifests and integrations refer to records by it.' })
  @Property({ length: 200, unique: true })
  code!: string;
}
