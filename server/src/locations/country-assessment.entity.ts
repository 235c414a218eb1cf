import { Entity, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../db/base.entity.js';
import { LocalizedText } from '../graphql/localized-text.js';
import { LocalDate } from '../graphql/scalars.js';

@ObjectType({ simpleResolvers: true, description: "One country's personal-information regime as assessed; shared by foreign transfers and storage locations." })
@Entity()
export class CountryAssessment extends BaseEntity {
  @Field({ description: 'ISO 3166-1 alpha-2; one assessment per country.' })
  @Property({ length: 2, unique: true })
  country!: string;

  @Field(() => LocalizedText, { nullable: true, description: 'The personal-information protection regime.' })
  @Property({ type: 'json', nullable: true })
  regime?: LocalizedText | null;

  @Field({ description: 'Designated by the PPC as having an equivalent system (APPI Art. 28(1), the EU and the UK).' })
  @Property({ default: false })
  appiAdequate: boolean = false;

  @Field({ description: 'Covered by an EU adequacy decision (GDPR Art. 45).' })
  @Property({ default: false })
  euAdequacy: boolean = false;

  @Field({ description: 'Participates in the APEC / Global CBPR system.' })
  @Property({ default: false })
  cbpr: boolean = false;

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
