import { Collection, Entity, Enum, ManyToMany, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { CodedEntity } from '../db/base.entity.js';
import { ActivityStatus, SubjectRole } from '../graphql/enums.js';
import { LocalizedText } from '../graphql/localized-text.js';
import type { SubjectCategory } from './subject-category.entity.js';
import type { DataCategory } from './data-category.entity.js';
import type { Purpose } from './purpose.entity.js';
import type { LegalBasis } from './legal-basis.entity.js';
import type { SecurityMeasure } from './security-measure.entity.js';
import type { Processor } from '../parties/processor.entity.js';
import type { JointUseArrangement } from '../parties/joint-use-arrangement.entity.js';
import type { ThirdPartyRecipient } from '../parties/third-party-recipient.entity.js';
import type { ForeignTransfer } from '../parties/foreign-transfer.entity.js';
import type { StorageLocation } from '../locations/storage-location.entity.js';
import type { Dataset } from '../systems/dataset.entity.js';

@ObjectType({ simpleResolvers: true, description: 'A record of processing (RoPA entry): who, what, why, on what basis, with whom and where.' })
@Entity()
export class ProcessingActivity extends CodedEntity {
  @Field(() => LocalizedText)
  @Property({ type: 'json' })
  name!: LocalizedText;

  @Field(() => LocalizedText, { nullable: true })
  @Property({ type: 'json', nullable: true })
  description?: LocalizedText | null;

  @Field(() => SubjectRole, { description: 'CONTROLLER record (GDPR Art. 30(1)) or PROCESSOR record (Art. 30(2)).' })
  @Enum({ items: () => SubjectRole })
  role: SubjectRole = SubjectRole.CONTROLLER;

  @Field(() => ActivityStatus)
  @Enum({ items: () => ActivityStatus })
  status: ActivityStatus = ActivityStatus.ACTIVE;

  @Field(() => String, { nullable: true, description: 'Accountable owner (team or role).' })
  @Property({ nullable: true })
  owner?: string | null;

  @Field(() => [LocalizedText], { description: 'Sources and acquisition methods.' })
  @Property({ type: 'json', default: '[]' })
  sources: LocalizedText[] = [];

  @Field(() => LocalizedText, { nullable: true, description: 'Retention period or rule; empty where not stated.' })
  @Property({ type: 'json', nullable: true })
  retention?: LocalizedText | null;

  @Field({ description: 'Profiling (analysis of attributes or interests).' })
  @Property({ default: false })
  profiling: boolean = false;

  @Field({ description: 'Targeted advertising.' })
  @Property({ default: false })
  targetedAdvertising: boolean = false;

  @ManyToMany({ entity: 'SubjectCategory', inversedBy: 'activities' })
  subjectCategories = new Collection<SubjectCategory>(this);

  @ManyToMany({ entity: 'DataCategory', inversedBy: 'activities' })
  dataCategories = new Collection<DataCategory>(this);

  @ManyToMany({ entity: 'Purpose', inversedBy: 'activities' })
  purposes = new Collection<Purpose>(this);

  @ManyToMany({ entity: 'LegalBasis', inversedBy: 'activities' })
  legalBases = new Collection<LegalBasis>(this);

  @ManyToMany({ entity: 'Processor', inversedBy: 'activities' })
  processors = new Collection<Processor>(this);

  @ManyToMany({ entity: 'JointUseArrangement', inversedBy: 'activities' })
  jointUses = new Collection<JointUseArrangement>(this);

  @ManyToMany({ entity: 'ThirdPartyRecipient', inversedBy: 'activities' })
  recipients = new Collection<ThirdPartyRecipient>(this);

  @ManyToMany({ entity: 'ForeignTransfer', inversedBy: 'activities' })
  foreignTransfers = new Collection<ForeignTransfer>(this);

  @ManyToMany({ entity: 'StorageLocation', inversedBy: 'activities' })
  storageLocations = new Collection<StorageLocation>(this);

  @ManyToMany({ entity: 'SecurityMeasure', inversedBy: 'activities' })
  securityMeasures = new Collection<SecurityMeasure>(this);

  @ManyToMany({ entity: 'Dataset', mappedBy: 'activities' })
  datasets = new Collection<Dataset>(this);
}
