import { Collection, Entity, ManyToMany, OneToMany, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { CodedEntity } from '../db/base.entity.js';
import { LocalizedText } from '../graphql/localized-text.js';
import { ProcessorContract } from './processor.types.js';
import type { ProcessingActivity } from '../inventory/processing-activity.entity.js';
import type { StorageLocation } from '../locations/storage-location.entity.js';
import type { Dataset } from '../systems/dataset.entity.js';
import type { ForeignTransfer } from './foreign-transfer.entity.js';
import type { ProcessorAudit } from './processor-audit.entity.js';

@ObjectType({ simpleResolvers: true, description: '委託先 — a processor the organization entrusts personal data to.' })
@Entity()
export class Processor extends CodedEntity {
  @Field(() => LocalizedText)
  @Property({ type: 'json' })
  name!: LocalizedText;

  @Field(() => LocalizedText, { nullable: true })
  @Property({ type: 'json', nullable: true })
  description?: LocalizedText | null;

  @Field(() => String, { nullable: true, description: 'Country of the legal entity (ISO 3166-1 alpha-2). Decides whether APPI Art. 28 applies.' })
  @Property({ length: 2, nullable: true, index: true })
  country?: string | null;

  @Field(() => [String], { description: 'Services it performs (e.g. hosting, email delivery).' })
  @Property({ type: 'json', default: '[]' })
  services: string[] = [];

  @Field(() => [String])
  @Property({ type: 'json', default: '[]' })
  certifications: string[] = [];

  @Field(() => ProcessorContract, { nullable: true, description: 'The processing contract; null when none is recorded.' })
  @Property({ type: 'json', nullable: true })
  contract?: ProcessorContract | null;

  @Field(() => Int, { nullable: true, description: 'Months between audits.' })
  @Property({ type: 'integer', nullable: true })
  auditIntervalMonths?: number | null;

  @ManyToMany({ entity: 'Processor', inversedBy: 'engagedBy', pivotTable: 'processor_sub_processors', joinColumn: 'processor_id', inverseJoinColumn: 'sub_processor_id' })
  subProcessors = new Collection<Processor>(this);

  @ManyToMany({ entity: 'Processor', mappedBy: 'subProcessors' })
  engagedBy = new Collection<Processor>(this);

  @ManyToMany({ entity: 'ProcessingActivity', mappedBy: 'processors' })
  activities = new Collection<ProcessingActivity>(this);

  @OneToMany({ entity: 'Dataset', mappedBy: 'processor' })
  datasets = new Collection<Dataset>(this);

  @OneToMany({ entity: 'StorageLocation', mappedBy: 'hostingProcessor' })
  storageLocations = new Collection<StorageLocation>(this);

  @OneToMany({ entity: 'ForeignTransfer', mappedBy: 'processor' })
  foreignTransfers = new Collection<ForeignTransfer>(this);

  @OneToMany({ entity: 'ProcessorAudit', mappedBy: 'processor' })
  audits = new Collection<ProcessorAudit>(this);
}
