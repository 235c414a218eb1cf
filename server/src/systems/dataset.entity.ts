import { LocalizedText } from '../graphql/localized-text.js';
import { Collection, Entity, Enum, Index, ManyToMany, ManyToOne, OneToMany, Property, Unique, type Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../db/base.entity.js';
import { DatasetStatus } from '../graphql/enums.js';
import type { System } from './system.entity.js';
import type { DatasetField } from './field.entity.js';
import type { StorageLocation } from '../locations/storage-location.entity.js';
import type { Processor } from '../parties/processor.entity.js';
import type { ProcessingActivity } from '../inventory/processing-activity.entity.js';

@ObjectType({ simpleResolvers: true, description: 'A dataset a system holds (a table, a bucket, a list), with its fields.' })
@Entity()
@Unique({ properties: ['system', 'key'] })
export class Dataset extends BaseEntity {
  @ManyToOne({ entity: 'System', deleteRule: 'cascade' })
  system!: Rel<System>;

  @Field({ description: 'Stable key, unique within its system.' })
  @Property({ length: 300 })
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

  @Index()
  @ManyToOne({ entity: 'StorageLocation', nullable: true, deleteRule: 'set null' })
  storageLocation?: Rel<StorageLocation> | null;

  @Index()
  @ManyToOne({ entity: 'Processor', nullable: true, deleteRule: 'set null' })
  processor?: Rel<Processor> | null;

  @Field(() => DatasetStatus)
  @Enum({ items: () => DatasetStatus })
  status: DatasetStatus = DatasetStatus.ACTIVE;

  @Field(() => Date, { nullable: true })
  @Property({ columnType: 'timestamptz', nullable: true })
  lastRegisteredAt?: Date | null;

  @Field(() => String, { nullable: true, description: 'Who registered it last (token subject).' })
  @Property({ nullable: true })
  registeredBy?: string | null;

  @ManyToMany({ entity: 'ProcessingActivity', inversedBy: 'datasets' })
  activities = new Collection<ProcessingActivity>(this);

  @OneToMany({ entity: 'DatasetField', mappedBy: 'dataset' })
  fields = new Collection<DatasetField>(this);
}
