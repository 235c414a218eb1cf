import { Collection, Entity, Enum, ManyToMany, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../db/base.entity.js';
import { IdentityType } from '../graphql/enums.js';
import type { Dataset } from './dataset.entity.js';
import type { DataCategory } from '../inventory/data-category.entity.js';

@ObjectType('Field', { simpleResolvers: true, description: 'A field of a dataset, tagged with data categories.' })
@Entity({ tableName: 'dataset_field' })
@Unique({ properties: ['dataset', 'path'] })
export class DatasetField extends BaseEntity {
  @ManyToOne({ entity: 'Dataset', deleteRule: 'cascade' })
  dataset!: Rel<Dataset>;

  @Field({ description: 'Path within the dataset, e.g. "contact.email".' })
  @Property({ length: 500 })
  path!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Field(() => IdentityType, { nullable: true })
  @Enum({ items: () => IdentityType, nullable: true })
  identityType?: IdentityType | null;

  @ManyToMany({ entity: 'DataCategory', inversedBy: 'fields', pivotTable: 'dataset_field_data_categories', joinColumn: 'field_id', inverseJoinColumn: 'data_category_id' })
  dataCategories = new Collection<DataCategory>(this);
}
