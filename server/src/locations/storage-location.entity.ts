import { Collection, Entity, Enum, Index, ManyToMany, ManyToOne, OneToMany, Property, type Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { CodedEntity } from '../db/base.entity.js';
import { StoragePurpose } from '../graphql/enums.js';
import { LocalizedText } from '../graphql/localized-text.js';
import type { Processor } from '../parties/processor.entity.js';
import type { ProcessingActivity } from '../inventory/processing-activity.entity.js';
import type { Dataset } from '../systems/dataset.entity.js';

@ObjectType({ simpleResolvers: true, description: 'Where data physically sits: the servers\' country and region, and who runs them (APPI Art. 32 外的環境の把握).' })
@Entity()
export class StorageLocation extends CodedEntity {
  @Field(() => LocalizedText)
  @Property({ type: 'json' })
  name!: LocalizedText;

  @Field({ description: 'Country of the servers, ISO 3166-1 alpha-2.' })
  @Property({ length: 2, index: true })
  country!: string;

  @Field(() => String, { nullable: true, description: 'Region or city (e.g. ap-northeast-1, Tokyo).' })
  @Property({ nullable: true })
  region?: string | null;

  @Field(() => String, { nullable: true, description: 'Country of the provider that runs the servers (ISO 3166-1 alpha-2).' })
  @Property({ length: 2, nullable: true })
  providerCountry?: string | null;

  @Index()
  @ManyToOne({ entity: 'Processor', nullable: true, deleteRule: 'set null' })
  hostingProcessor?: Rel<Processor> | null;

  @Field(() => StoragePurpose)
  @Enum({ items: () => StoragePurpose })
  purpose: StoragePurpose = StoragePurpose.PRIMARY;

  @Field({ description: 'False where the provider is barred from handling the data (then it is no provision, PPC Q&A 7-53).' })
  @Property({ default: true })
  isProvision: boolean = true;

  @Field(() => LocalizedText, { nullable: true })
  @Property({ type: 'json', nullable: true })
  description?: LocalizedText | null;

  @ManyToMany({ entity: 'ProcessingActivity', mappedBy: 'storageLocations' })
  activities = new Collection<ProcessingActivity>(this);

  @OneToMany({ entity: 'Dataset', mappedBy: 'storageLocation' })
  datasets = new Collection<Dataset>(this);
}
