import { Entity, Enum, Property } from '@mikro-orm/core';
import { Field, InputType, ObjectType } from 'type-graphql';
import { IsOptional, ValidateNested } from 'class-validator';
import { BaseEntity } from '../db/base.entity.js';
import { HasText, LocalizedText } from '../graphql/localized-text.js';
import { LocalDate } from '../graphql/scalars.js';
import { CountryFact } from './country-reference.js';

@ObjectType({ simpleResolvers: true, description: 'A law of the country that may give its government access to personal data (PPC Rules Art. 17(2), 18(3)(v)).' })
@InputType('GovernmentAccessLawInput')
export class GovernmentAccessLaw {
  @Field(() => LocalizedText, { description: 'The law as the notice names it.' })
  @ValidateNested() @HasText()
  name!: LocalizedText;

  @Field(() => LocalizedText, { nullable: true, description: 'Outline of what it allows; the audit reports a law recorded without one.' })
  @IsOptional() @ValidateNested()
  outline?: LocalizedText | null;
}

@ObjectType({ simpleResolvers: true, description: "One country's personal-information regime as assessed; shared by foreign transfers and storage locations." })
@Entity()
export class CountryAssessment extends BaseEntity {
  @Field({ description: 'ISO 3166-1 alpha-2; one assessment per country.' })
  @Property({ length: 2, unique: true })
  country!: string;

  @Field(() => LocalizedText, { nullable: true, description: 'The personal-information protection regime.' })
  @Property({ type: 'json', nullable: true })
  regime?: LocalizedText | null;

  @Field(() => LocalizedText, { nullable: true, description: "The country's name as the organization's notice spells it; else the reference data's name." })
  @Property({ type: 'json', nullable: true })
  publishedName?: LocalizedText | null;

  @Field(() => CountryFact, { description: 'Designated by the PPC as having an equivalent system (APPI Art. 28(1): the EEA and the UK). UNKNOWN defers to the reference data (`effective`).' })
  @Enum({ items: () => CountryFact, default: CountryFact.UNKNOWN })
  appiDesignation: CountryFact = CountryFact.UNKNOWN;

  @Field(() => CountryFact, { description: 'Covered by an EU adequacy decision (GDPR Art. 45). UNKNOWN defers to the reference data.' })
  @Enum({ items: () => CountryFact, default: CountryFact.UNKNOWN })
  euAdequacyDecision: CountryFact = CountryFact.UNKNOWN;

  @Field(() => CountryFact, { description: 'Participates in the APEC / Global CBPR system. UNKNOWN defers to the reference data.' })
  @Enum({ items: () => CountryFact, default: CountryFact.UNKNOWN })
  cbprParticipation: CountryFact = CountryFact.UNKNOWN;

  @Field(() => [GovernmentAccessLaw], { description: 'Laws that may give the government access to personal data, in notice order.' })
  @Property({ type: 'json', default: '[]' })
  governmentAccessLaws: GovernmentAccessLaw[] = [];

  @Field(() => LocalizedText, { nullable: true, description: "Summary of the PPC's country report." })
  @Property({ type: 'json', nullable: true })
  ppcReport?: LocalizedText | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  ppcReportUrl?: string | null;

  @Field(() => LocalizedText, { nullable: true, description: 'Laws that may impede protective measures (government access, data localisation).' })
  @Property({ type: 'json', nullable: true })
  impediments?: LocalizedText | null;

  @Field(() => LocalDate, { nullable: true })
  @Property({ type: 'date', nullable: true })
  reviewedAt?: string | null;
}
