import { Collection, Entity, Index, ManyToMany, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { CodedEntity } from '../db/base.entity.js';
import { LocalizedText } from '../graphql/localized-text.js';
import { LocalDate } from '../graphql/scalars.js';
import { JointUseParty, ResponsibleManager } from './joint-use.types.js';
import type { DataCategory } from '../inventory/data-category.entity.js';
import type { Purpose } from '../inventory/purpose.entity.js';
import type { SubjectCategory } from '../inventory/subject-category.entity.js';
import type { LegalBasis } from '../inventory/legal-basis.entity.js';
import type { ProcessingActivity } from '../inventory/processing-activity.entity.js';

@ObjectType({ simpleResolvers: true, description: '共同利用 — joint use under APPI Art. 27(5)(iii), with every item the law requires.' })
@Entity()
export class JointUseArrangement extends CodedEntity {
  @Field(() => LocalizedText)
  @Property({ type: 'json' })
  name!: LocalizedText;

  @Field(() => LocalizedText, { nullable: true, description: 'Why the data is used jointly.' })
  @Property({ type: 'json', nullable: true })
  rationale?: LocalizedText | null;

  @Field(() => LocalizedText, { description: '共同して利用する個人情報の項目, verbatim; the taxonomy links are in dataCategories.' })
  @Property({ type: 'json' })
  itemsText!: LocalizedText;

  @Field(() => LocalizedText, { description: '共同して利用する者の範囲 — the scope of joint users.' })
  @Property({ type: 'json' })
  scope!: LocalizedText;

  @Field(() => String, { nullable: true, description: 'Where the current list of joint users is published.' })
  @Property({ type: 'text', nullable: true })
  memberListUrl?: string | null;

  @Field(() => [JointUseParty], { description: 'Joint users known by name.' })
  @Property({ type: 'json', default: '[]' })
  parties: JointUseParty[] = [];

  @Field(() => ResponsibleManager, { description: '共同して利用する個人情報の管理責任者: name, address and representative.' })
  @Property({ type: 'json' })
  responsibleManager!: ResponsibleManager;

  @Field(() => [LocalizedText], { description: '取得方法 — how the jointly used data is acquired.' })
  @Property({ type: 'json', default: '[]' })
  acquisitionMethods: LocalizedText[] = [];

  @Field(() => LocalDate, { nullable: true, description: 'When the joint use was notified or made available to the person.' })
  @Property({ type: 'date', nullable: true })
  notifiedAt?: string | null;

  @Index()
  @ManyToOne({ entity: 'LegalBasis', nullable: true, deleteRule: 'set null' })
  legalBasis?: Rel<LegalBasis> | null;

  @ManyToMany({ entity: 'DataCategory', inversedBy: 'jointUses' })
  dataCategories = new Collection<DataCategory>(this);

  @ManyToMany({ entity: 'Purpose', inversedBy: 'jointUses' })
  purposes = new Collection<Purpose>(this);

  @ManyToMany({ entity: 'SubjectCategory', inversedBy: 'jointUses' })
  subjectCategories = new Collection<SubjectCategory>(this);

  @ManyToMany({ entity: 'ProcessingActivity', mappedBy: 'jointUses' })
  activities = new Collection<ProcessingActivity>(this);
}
