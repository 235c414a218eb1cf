import { Collection, Entity, Enum, ManyToMany, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { CodedEntity } from '../db/base.entity.js';
import { Framework, LegalBasisScope } from '../graphql/enums.js';
import { LocalizedText } from '../graphql/localized-text.js';
import type { ProcessingActivity } from './processing-activity.entity.js';

@ObjectType({ simpleResolvers: true, description: 'A legal basis: for processing (GDPR Art. 6, 9) or for giving data to others (APPI Art. 27, 28).' })
@Entity()
export class LegalBasis extends CodedEntity {
  @Field(() => Framework)
  @Enum({ items: () => Framework })
  framework!: Framework;

  @Field(() => LegalBasisScope)
  @Enum({ items: () => LegalBasisScope })
  scope: LegalBasisScope = LegalBasisScope.PROCESSING;

  @Field({ description: 'Article reference, e.g. "Art. 27(5)(iii)" or "Art. 6(1)(b)".' })
  @Property()
  article!: string;

  @Field(() => LocalizedText)
  @Property({ type: 'json' })
  title!: LocalizedText;

  @Field(() => LocalizedText, { nullable: true })
  @Property({ type: 'json', nullable: true })
  description?: LocalizedText | null;

  @ManyToMany({ entity: 'ProcessingActivity', mappedBy: 'legalBases' })
  activities = new Collection<ProcessingActivity>(this);
}
