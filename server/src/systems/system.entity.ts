import { LocalizedText } from '../graphql/localized-text.js';
import { Collection, Entity, OneToMany, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { IdentityType } from '../graphql/enums.js';
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

  @Field(() => LocalizedText, { nullable: true, description: 'Subject-facing description: what a reply to the person calls the data held here (never the internal name); without it a reply names the data categories.' })
  @Property({ type: 'json', nullable: true })
  publicDescription?: LocalizedText | null;

  @Field(() => String, { nullable: true, description: 'Owning team or person.' })
  @Property({ nullable: true })
  owner?: string | null;

  @Field(() => [IdentityType], { description: "Identity types the system reports to the subject index for all of its datasets: a dataset of it without an entry for a request's identity of such a type does not hold the person (NOT_HELD), even when its index is empty." })
  @Property({ type: 'json', default: '[]' })
  indexedIdentityTypes: IdentityType[] = [];

  @OneToMany({ entity: 'Dataset', mappedBy: 'system' })
  datasets = new Collection<Dataset>(this);
}
