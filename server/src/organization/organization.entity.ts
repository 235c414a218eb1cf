import { Entity, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { CodedEntity } from '../db/base.entity.js';
import { LocalizedText } from '../graphql/localized-text.js';
import {
  ComplaintContact, ContactDesk, NoticeInfo, NoticeStatement, Person, PrivacyManager, ProvisionRule, RequestProcedure,
} from './organization.types.js';

@ObjectType({ simpleResolvers: true, description: '個人情報取扱事業者 — the business operator, with what its notice must state.' })
@Entity()
export class Organization extends CodedEntity {
  @Field(() => LocalizedText)
  @Property({ type: 'json' })
  name!: LocalizedText;

  @Field(() => LocalizedText, { nullable: true })
  @Property({ type: 'json', nullable: true })
  address?: LocalizedText | null;

  @Field(() => String, { nullable: true })
  @Property({ nullable: true })
  postalCode?: string | null;

  @Field({ description: 'Where the business operator is (ISO 3166-1 alpha-2): recipients and servers in other countries are foreign (APPI Art. 28); the transfer map draws its lines from here.' })
  @Property({ length: 2, default: 'JP' })
  country: string = 'JP';

  @Field(() => Person, { nullable: true, description: 'Representative (APPI Art. 32(1)(i)); empty when the notice omits it.' })
  @Property({ type: 'json', nullable: true })
  representative?: Person | null;

  @Field(() => LocalizedText, { nullable: true })
  @Property({ type: 'json', nullable: true })
  corporateGroup?: LocalizedText | null;

  @Field(() => PrivacyManager, { nullable: true })
  @Property({ type: 'json', nullable: true })
  privacyManager?: PrivacyManager | null;

  @Field(() => [ContactDesk], { description: 'Contact desks (窓口), each referenced by the inquiry, complaint and request channels by code.' })
  @Property({ type: 'json', default: '[]' })
  contactDesks: ContactDesk[] = [];

  @Field(() => ComplaintContact, { nullable: true })
  @Property({ type: 'json', nullable: true })
  complaintContact?: ComplaintContact | null;

  @Field(() => RequestProcedure, { nullable: true })
  @Property({ type: 'json', nullable: true })
  requestProcedure?: RequestProcedure | null;

  @Field(() => [ProvisionRule])
  @Property({ type: 'json', default: '[]' })
  provisionRules: ProvisionRule[] = [];

  @Field(() => LocalizedText, { nullable: true, description: 'What the notice says about outsourcing (APPI Art. 27(5)(i)).' })
  @Property({ type: 'json', nullable: true })
  outsourcingPolicy?: LocalizedText | null;

  @Field(() => [NoticeStatement])
  @Property({ type: 'json', default: '[]' })
  statements: NoticeStatement[] = [];

  @Field(() => NoticeInfo, { nullable: true })
  @Property({ type: 'json', nullable: true })
  notice?: NoticeInfo | null;

  @Field(() => LocalizedText, { nullable: true, description: 'GDPR Art. 37 data protection officer, if designated.' })
  @Property({ type: 'json', nullable: true })
  dpo?: LocalizedText | null;

  @Field(() => LocalizedText, { nullable: true, description: 'GDPR Art. 27 representative in the Union, if designated.' })
  @Property({ type: 'json', nullable: true })
  euRepresentative?: LocalizedText | null;

  @Field(() => Int, { description: 'APPI "without delay" target for requests, in days: organization policy, not law.' })
  @Property({ default: 14 })
  appiResponseTargetDays: number = 14;
}
