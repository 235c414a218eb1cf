import { Collection, Entity, Enum, Index, ManyToMany, ManyToOne, OneToMany, Property, type Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { CodedEntity } from '../db/base.entity.js';
import { RecipientKind } from '../graphql/enums.js';
import { LocalizedText } from '../graphql/localized-text.js';
import type { LegalBasis } from '../inventory/legal-basis.entity.js';
import type { ProcessingActivity } from '../inventory/processing-activity.entity.js';
import type { ProvisionRecord } from './provision-record.entity.js';
import type { ForeignTransfer } from './foreign-transfer.entity.js';

@ObjectType({ simpleResolvers: true, description: 'A third party personal data is provided to (APPI Art. 27), with its provision records (Art. 29).' })
@Entity()
export class ThirdPartyRecipient extends CodedEntity {
  @Field(() => LocalizedText)
  @Property({ type: 'json' })
  name!: LocalizedText;

  @Field(() => RecipientKind)
  @Enum({ items: () => RecipientKind })
  kind: RecipientKind = RecipientKind.UNSPECIFIED;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2 country of the recipient.' })
  @Property({ length: 2, nullable: true, index: true })
  country?: string | null;

  @Field(() => LocalizedText, { nullable: true })
  @Property({ type: 'json', nullable: true })
  description?: LocalizedText | null;

  @Field(() => LocalizedText, { nullable: true, description: 'Items provided, as described.' })
  @Property({ type: 'json', nullable: true })
  items?: LocalizedText | null;

  @Index()
  @ManyToOne({ entity: 'LegalBasis', nullable: true, deleteRule: 'set null' })
  basis?: Rel<LegalBasis> | null;

  @OneToMany({ entity: 'ProvisionRecord', mappedBy: 'recipient' })
  provisionRecords = new Collection<ProvisionRecord>(this);

  @OneToMany({ entity: 'ForeignTransfer', mappedBy: 'recipient' })
  foreignTransfers = new Collection<ForeignTransfer>(this);

  @ManyToMany({ entity: 'ProcessingActivity', mappedBy: 'recipients' })
  activities = new Collection<ProcessingActivity>(this);
}
