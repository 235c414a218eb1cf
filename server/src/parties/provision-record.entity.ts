import { Entity, Enum, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { CodedEntity } from '../db/base.entity.js';
import { ProvisionDirection } from '../graphql/enums.js';
import { LocalizedText } from '../graphql/localized-text.js';
import { LocalDate } from '../graphql/scalars.js';
import type { LegalBasis } from '../inventory/legal-basis.entity.js';
import type { ThirdPartyRecipient } from './third-party-recipient.entity.js';

@ObjectType({ simpleResolvers: true, description: 'A record of a provision to (Art. 29) or receipt from (Art. 30) a third party.' })
@Entity()
@Index({ properties: ['recipient', 'providedAt'] })
export class ProvisionRecord extends CodedEntity {
  @ManyToOne({ entity: 'ThirdPartyRecipient', deleteRule: 'cascade' })
  recipient!: Rel<ThirdPartyRecipient>;

  @Field(() => ProvisionDirection)
  @Enum({ items: () => ProvisionDirection })
  direction: ProvisionDirection = ProvisionDirection.PROVIDED;

  @Field(() => LocalDate)
  @Property({ type: 'date' })
  providedAt!: string;

  @Index()
  @ManyToOne({ entity: 'LegalBasis', nullable: true, deleteRule: 'set null' })
  basis?: Rel<LegalBasis> | null;

  @Field(() => LocalizedText, { description: 'The items provided.' })
  @Property({ type: 'json' })
  items!: LocalizedText;

  @Field(() => LocalizedText, { nullable: true, description: 'Whose data (name or description identifying the persons).' })
  @Property({ type: 'json', nullable: true })
  subjects?: LocalizedText | null;

  @Field(() => LocalizedText, { nullable: true })
  @Property({ type: 'json', nullable: true })
  notes?: LocalizedText | null;
}
