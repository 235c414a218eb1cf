import { Collection, Entity, OneToMany, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../db/base.entity.js';
import type { Dataset } from './dataset.entity.js';

@ObjectType({ simpleResolvers: true, description: 'An integrating system (CRM, HR, marketing automation, …) that registers its datasets.' })
@Entity()
export class System extends BaseEntity {
  @Field({ description: 'Stable key; machine tokens are bound to it.' })
  @Property({ length: 200, unique: true })
  key!: string;

  @Field()
  @Property()
  name!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'Owning team or person.' })
  @Property({ nullable: true })
  owner?: string | null;

  @OneToMany({ entity: 'Dataset', mappedBy: 'system' })
  datasets = new Collection<Dataset>(this);
}
