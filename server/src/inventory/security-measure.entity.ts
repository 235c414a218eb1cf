import { Collection, Entity, Enum, ManyToMany, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { CodedEntity } from '../db/base.entity.js';
import { SecurityMeasureCategory } from '../graphql/enums.js';
import { LocalizedText } from '../graphql/localized-text.js';
import type { ProcessingActivity } from './processing-activity.entity.js';

@ObjectType({ simpleResolvers: true, description: 'A security-control measure published under APPI Art. 32(1).' })
@Entity()
export class SecurityMeasure extends CodedEntity {
  @Field(() => SecurityMeasureCategory, { nullable: true, description: 'Null when the notice does not classify the measure.' })
  @Enum({ items: () => SecurityMeasureCategory, nullable: true })
  category?: SecurityMeasureCategory | null;

  @Field(() => Int, { nullable: true, description: 'Number within its category, as published.' })
  @Property({ type: 'integer', nullable: true })
  number?: number | null;

  @Field(() => LocalizedText, { nullable: true, description: 'Null when the notice gives the measure no title; outputs then print its description.' })
  @Property({ type: 'json', nullable: true })
  title?: LocalizedText | null;

  @Field(() => LocalizedText)
  @Property({ type: 'json' })
  description!: LocalizedText;

  @ManyToMany({ entity: 'ProcessingActivity', mappedBy: 'securityMeasures' })
  activities = new Collection<ProcessingActivity>(this);
}
