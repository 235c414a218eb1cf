import { Collection, Entity, Enum, Index, ManyToMany, ManyToOne, OneToMany, Property, type Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { CodedEntity } from '../db/base.entity.js';
import { DataCategoryKind, IdentityType } from '../graphql/enums.js';
import { LocalizedText } from '../graphql/localized-text.js';
import type { ProcessingActivity } from './processing-activity.entity.js';
import type { DatasetField } from '../systems/field.entity.js';
import type { JointUseArrangement } from '../parties/joint-use-arrangement.entity.js';
import type { ForeignTransfer } from '../parties/foreign-transfer.entity.js';

@ObjectType({ simpleResolvers: true, description: 'A data item in the hierarchical taxonomy (contact.email, online.cookie_id, …).' })
@Entity()
export class DataCategory extends CodedEntity {
  @Field(() => LocalizedText)
  @Property({ type: 'json' })
  name!: LocalizedText;

  @Field(() => LocalizedText, { nullable: true })
  @Property({ type: 'json', nullable: true })
  description?: LocalizedText | null;

  @Field(() => DataCategoryKind)
  @Enum({ items: () => DataCategoryKind })
  kind: DataCategoryKind = DataCategoryKind.PERSONAL;

  @Field(() => IdentityType, { nullable: true, description: 'Set where the item identifies a person.' })
  @Enum({ items: () => IdentityType, nullable: true })
  identityType?: IdentityType | null;

  @Index()
  @ManyToOne({ entity: 'DataCategory', nullable: true, deleteRule: 'set null' })
  parent?: Rel<DataCategory> | null;

  @OneToMany({ entity: 'DataCategory', mappedBy: 'parent' })
  children = new Collection<DataCategory>(this);

  @ManyToMany({ entity: 'ProcessingActivity', mappedBy: 'dataCategories' })
  activities = new Collection<ProcessingActivity>(this);

  @ManyToMany({ entity: 'DatasetField', mappedBy: 'dataCategories' })
  fields = new Collection<DatasetField>(this);

  @ManyToMany({ entity: 'JointUseArrangement', mappedBy: 'dataCategories' })
  jointUses = new Collection<JointUseArrangement>(this);

  @ManyToMany({ entity: 'ForeignTransfer', mappedBy: 'dataCategories' })
  foreignTransfers = new Collection<ForeignTransfer>(this);
}
