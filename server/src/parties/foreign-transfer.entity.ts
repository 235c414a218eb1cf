import { Collection, Entity, Enum, Index, ManyToMany, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { CodedEntity } from '../db/base.entity.js';
import { ForeignTransferBasis, TransferRecipientKind } from '../graphql/enums.js';
import { LocalizedText } from '../graphql/localized-text.js';
import { ConsentInformation, ContractClause, PeriodicCheck } from './foreign-transfer.types.js';
import { EquivalentMeasuresItems } from './transfer-statement.js';
import type { Processor } from './processor.entity.js';
import type { JointUseArrangement } from './joint-use-arrangement.entity.js';
import type { ThirdPartyRecipient } from './third-party-recipient.entity.js';
import type { DataCategory } from '../inventory/data-category.entity.js';
import type { SubjectCategory } from '../inventory/subject-category.entity.js';
import type { ProcessingActivity } from '../inventory/processing-activity.entity.js';

@ObjectType({ simpleResolvers: true, description: '外国にある第三者への提供 (APPI Art. 28): personal data given to a recipient whose legal entity is abroad.' })
@Entity()
export class ForeignTransfer extends CodedEntity {
  @Field(() => LocalizedText)
  @Property({ type: 'json' })
  recipientName!: LocalizedText;

  @Field(() => TransferRecipientKind)
  @Enum({ items: () => TransferRecipientKind })
  recipientKind!: TransferRecipientKind;

  @Index()
  @ManyToOne({ entity: 'Processor', nullable: true, deleteRule: 'set null' })
  processor?: Rel<Processor> | null;

  @Index()
  @ManyToOne({ entity: 'JointUseArrangement', nullable: true, deleteRule: 'set null' })
  jointUse?: Rel<JointUseArrangement> | null;

  @Index()
  @ManyToOne({ entity: 'ThirdPartyRecipient', nullable: true, deleteRule: 'set null' })
  recipient?: Rel<ThirdPartyRecipient> | null;

  @Field({ description: 'Country where the recipient (legal entity) is, ISO 3166-1 alpha-2 — not where its servers are.' })
  @Property({ length: 2, index: true })
  country!: string;

  @Field(() => LocalizedText, { nullable: true })
  @Property({ type: 'json', nullable: true })
  purpose?: LocalizedText | null;

  @Field(() => ForeignTransferBasis)
  @Enum({ items: () => ForeignTransferBasis })
  basis!: ForeignTransferBasis;

  @Field(() => ConsentInformation, { nullable: true, description: 'The Art. 28(2) information (country name as published, its regime, the recipient\'s measures), recordable whatever the route; the consent route gives it before consent. Printed by renderTransferArt28.' })
  @Property({ type: 'json', nullable: true })
  consentInformation?: ConsentInformation | null;

  @Field(() => PeriodicCheck, { nullable: true, description: 'Equivalent-measures route: the periodic check of the recipient (Art. 28(3)).' })
  @Property({ type: 'json', nullable: true })
  periodicCheck?: PeriodicCheck | null;

  @Field(() => LocalizedText, { nullable: true, description: 'Equivalent-measures route: outline of the measures the recipient takes (PPC Rules Art. 18(3)(ii)).' })
  @Property({ type: 'json', nullable: true })
  measuresOutline?: LocalizedText | null;

  @Field(() => LocalizedText, { nullable: true, description: 'Problems found in how the recipient implements the measures (PPC Rules Art. 18(3)(vi)); empty when none.' })
  @Property({ type: 'json', nullable: true })
  implementationProblems?: LocalizedText | null;

  @Field(() => LocalizedText, { nullable: true, description: 'Foreign laws that may impede the recipient\'s measures (government access, localisation).' })
  @Property({ type: 'json', nullable: true })
  impediments?: LocalizedText | null;

  @Field(() => LocalizedText, { nullable: true, description: 'What the organization does about those impediments.' })
  @Property({ type: 'json', nullable: true })
  impedimentResponse?: LocalizedText | null;

  @Field(() => EquivalentMeasuresItems, {
    nullable: true,
    description: 'Equivalent-measures route: the seven items of PPC Rules Art. 18(3), each STATED, NONE or NOT_RECORDED. An item not recorded falls back to measuresOutline, impediments, implementationProblems and impedimentResponse, which remain for compatibility.',
  })
  @Property({ type: 'json', nullable: true })
  equivalentMeasuresItems?: EquivalentMeasuresItems | null;

  @Field(() => [ContractClause], { description: 'The clauses of the contract with the recipient, in order (equivalent-measures route: how the system was established).' })
  @Property({ type: 'json', default: '[]' })
  contractClauses: ContractClause[] = [];

  @Field(() => LocalizedText, { nullable: true, description: 'The items provided, verbatim as the notice lists them; the taxonomy links are in dataCategories.' })
  @Property({ type: 'json', nullable: true })
  itemsText?: LocalizedText | null;

  @ManyToMany({ entity: 'SubjectCategory', inversedBy: 'foreignTransfers' })
  subjectCategories = new Collection<SubjectCategory>(this);

  @ManyToMany({ entity: 'DataCategory', inversedBy: 'foreignTransfers' })
  dataCategories = new Collection<DataCategory>(this);

  @ManyToMany({ entity: 'ProcessingActivity', mappedBy: 'foreignTransfers' })
  activities = new Collection<ProcessingActivity>(this);
}
