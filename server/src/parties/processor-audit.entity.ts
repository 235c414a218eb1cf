import { Entity, Enum, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { CodedEntity } from '../db/base.entity.js';
import { AuditMethod, AuditResult } from '../graphql/enums.js';
import { LocalizedText } from '../graphql/localized-text.js';
import { LocalDate } from '../graphql/scalars.js';
import type { Processor } from './processor.entity.js';

@ObjectType('ProcessorAuditRecord', { simpleResolvers: true, description: 'An audit carried out on a processor (APPI Art. 25 supervision; GDPR Art. 28(3)(h)).' })
@Entity()
@Index({ properties: ['processor', 'auditedAt'] })
export class ProcessorAudit extends CodedEntity {
  @ManyToOne({ entity: 'Processor', deleteRule: 'cascade' })
  processor!: Rel<Processor>;

  @Field(() => LocalDate)
  @Property({ type: 'date' })
  auditedAt!: string;

  @Field(() => AuditMethod)
  @Enum({ items: () => AuditMethod })
  method!: AuditMethod;

  @Field(() => AuditResult)
  @Enum({ items: () => AuditResult })
  result!: AuditResult;

  @Field(() => LocalizedText, { nullable: true })
  @Property({ type: 'json', nullable: true })
  findings?: LocalizedText | null;

  @Field(() => String, { nullable: true })
  @Property({ nullable: true })
  auditor?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'When the next audit is due.' })
  @Property({ type: 'date', nullable: true })
  nextDueAt?: string | null;
}
