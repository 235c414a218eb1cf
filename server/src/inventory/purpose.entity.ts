import { Collection, Entity, Enum, Index, ManyToMany, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { CodedEntity } from '../db/base.entity.js';
import { PurposeKind } from '../graphql/enums.js';
import { LocalizedText } from '../graphql/localized-text.js';
import { LocalDate } from '../graphql/scalars.js';
import type { SubjectCategory } from './subject-category.entity.js';
import type { ProcessingActivity } from './processing-activity.entity.js';
import type { JointUseArrangement } from '../parties/joint-use-arrangement.entity.js';

@ObjectType({ simpleResolvers: true, description: '利用目的 — a purpose of use, verbatim as notified or published.' })
@Entity()
export class Purpose extends CodedEntity {
  @Field(() => LocalizedText)
  @Property({ type: 'json' })
  text!: LocalizedText;

  @Field(() => PurposeKind)
  @Enum({ items: () => PurposeKind })
  kind: PurposeKind = PurposeKind.CATEGORY;

  @Index()
  @ManyToOne({ entity: 'SubjectCategory', nullable: true, deleteRule: 'set null' })
  subjectCategory?: Rel<SubjectCategory> | null;

  @Field(() => Int, { description: 'Order within its category, as the notice lists it.' })
  @Property({ default: 0 })
  position: number = 0;

  @Field(() => [String])
  @Property({ type: 'json', default: '[]' })
  tags: string[] = [];

  @Field(() => LocalizedText, { nullable: true, description: 'A note on the channel (e.g. that guidance may come as targeted advertising).' })
  @Property({ type: 'json', nullable: true })
  channelNote?: LocalizedText | null;

  @Field(() => LocalizedText, { nullable: true, description: 'Whom within the category it concerns, where narrower (e.g. foreign nationals).' })
  @Property({ type: 'json', nullable: true })
  subjectScope?: LocalizedText | null;

  @Field(() => LocalDate, { nullable: true, description: 'When it was notified to the person or published (APPI Art. 21).' })
  @Property({ type: 'date', nullable: true })
  notifiedAt?: string | null;

  @Field(() => String, { nullable: true, description: 'Section of the source notice.' })
  @Property({ nullable: true })
  sourceRef?: string | null;

  @ManyToMany({ entity: 'ProcessingActivity', mappedBy: 'purposes' })
  activities = new Collection<ProcessingActivity>(this);

  @ManyToMany({ entity: 'JointUseArrangement', mappedBy: 'purposes' })
  jointUses = new Collection<JointUseArrangement>(this);
}
