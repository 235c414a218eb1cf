import { Collection, Entity, Enum, ManyToMany, OneToMany, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { CodedEntity } from '../db/base.entity.js';
import { SubjectRole } from '../graphql/enums.js';
import { LocalizedText } from '../graphql/localized-text.js';
import type { Purpose } from './purpose.entity.js';
import type { ProcessingActivity } from './processing-activity.entity.js';
import type { JointUseArrangement } from '../parties/joint-use-arrangement.entity.js';
import type { ForeignTransfer } from '../parties/foreign-transfer.entity.js';

@ObjectType({ simpleResolvers: true, description: '本人の区分 — a category of people whose data is held (a holder category of the notice).' })
@Entity()
export class SubjectCategory extends CodedEntity {
  @Field(() => Int, { nullable: true, description: 'Number in the notice, where it numbers its categories.' })
  @Property({ type: 'integer', nullable: true })
  number?: number | null;

  @Field(() => LocalizedText)
  @Property({ type: 'json' })
  name!: LocalizedText;

  @Field(() => LocalizedText, { nullable: true, description: 'The group the notice puts it in (e.g. 個人のお客様の情報).' })
  @Property({ type: 'json', nullable: true })
  group?: LocalizedText | null;

  @Field(() => SubjectRole, { description: 'PROCESSOR: data held for another controller (委託を受けた情報); requests go to that controller.' })
  @Enum({ items: () => SubjectRole })
  role: SubjectRole = SubjectRole.CONTROLLER;

  @Field({ description: 'Whether data-subject requests are accepted for this category.' })
  @Property({ default: true })
  requestsAccepted: boolean = true;

  @Field(() => LocalizedText, { nullable: true, description: 'For PROCESSOR categories: the entrusting controller(s) a request is routed to.' })
  @Property({ type: 'json', nullable: true })
  entrustingController?: LocalizedText | null;

  @Field(() => LocalizedText, { nullable: true })
  @Property({ type: 'json', nullable: true })
  notes?: LocalizedText | null;

  @OneToMany({ entity: 'Purpose', mappedBy: 'subjectCategory' })
  purposes = new Collection<Purpose>(this);

  @ManyToMany({ entity: 'ProcessingActivity', mappedBy: 'subjectCategories' })
  activities = new Collection<ProcessingActivity>(this);

  @ManyToMany({ entity: 'JointUseArrangement', mappedBy: 'subjectCategories' })
  jointUses = new Collection<JointUseArrangement>(this);

  @ManyToMany({ entity: 'ForeignTransfer', mappedBy: 'subjectCategories' })
  foreignTransfers = new Collection<ForeignTransfer>(this);
}
