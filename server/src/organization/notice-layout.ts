import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { IsArray, IsEnum, IsInt, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';
import { LocalizedText } from '../graphql/localized-text.js';
import { MaxChars } from '../graphql/input-limits.js';

/**
 * What a block of the public notice prints. Text kinds carry the organization's own words; every other
 * kind draws its body from the inventory, so the notice says what the records say, in the order and
 * under the headings the organization publishes.
 */
export enum NoticeBlockKind {
  HEADING = 'HEADING',
  PARAGRAPH = 'PARAGRAPH',
  BULLET = 'BULLET',
  STATEMENTS = 'STATEMENTS',
  ORGANIZATION = 'ORGANIZATION',
  STATUTORY_BASIS = 'STATUTORY_BASIS',
  GROUP_POLICY = 'GROUP_POLICY',
  PURPOSES = 'PURPOSES',
  GENERAL_PURPOSES = 'GENERAL_PURPOSES',
  PROVISION_RULES = 'PROVISION_RULES',
  JOINT_USE = 'JOINT_USE',
  THIRD_PARTY_RECIPIENTS = 'THIRD_PARTY_RECIPIENTS',
  FOREIGN_TRANSFERS = 'FOREIGN_TRANSFERS',
  OUTSOURCING = 'OUTSOURCING',
  REQUEST_TYPES = 'REQUEST_TYPES',
  REQUEST_CHANNELS = 'REQUEST_CHANNELS',
  RESPONSE_METHODS = 'RESPONSE_METHODS',
  FEE = 'FEE',
  REFUSAL_GROUNDS = 'REFUSAL_GROUNDS',
  PROCEDURE_NOTES = 'PROCEDURE_NOTES',
  RETAINED_DATA_DEFINITION = 'RETAINED_DATA_DEFINITION',
  COMPLAINT_CHANNELS = 'COMPLAINT_CHANNELS',
  CONTACT_DESKS = 'CONTACT_DESKS',
  PRIVACY_MANAGER = 'PRIVACY_MANAGER',
  SECURITY_MEASURES = 'SECURITY_MEASURES',
  STORAGE_ABROAD = 'STORAGE_ABROAD',
  CHANGE_POLICY = 'CHANGE_POLICY',
  REVISIONS = 'REVISIONS',
}
registerEnumType(NoticeBlockKind, {
  name: 'NoticeBlockKind',
  description: [
    'HEADING, PARAGRAPH, BULLET: the text of the block, verbatim (HEADING at its level).',
    'STATEMENTS: organization.statements named by codes, in that order.',
    'ORGANIZATION: name, address and representative (APPI Art. 32(1)(i)). STATUTORY_BASIS, GROUP_POLICY, CHANGE_POLICY, REVISIONS: from organization.notice.',
    'PURPOSES: subject categories (codes; all when empty) under their groups, each with its purposes, channel notes, statements placed there and notes (Art. 21, 32(1)(ii)). GENERAL_PURPOSES: purposes of no category.',
    'PROVISION_RULES, JOINT_USE (Art. 27(5)(iii) items), THIRD_PARTY_RECIPIENTS, FOREIGN_TRANSFERS (Art. 28 information), OUTSOURCING: sharing, each restricted to codes when given.',
    'REQUEST_TYPES, REQUEST_CHANNELS, RESPONSE_METHODS, FEE, REFUSAL_GROUNDS, PROCEDURE_NOTES, RETAINED_DATA_DEFINITION: the request procedure (Art. 32(1)(iii), 37, 38).',
    'COMPLAINT_CHANNELS, CONTACT_DESKS, PRIVACY_MANAGER: where to complain (Art. 32(1)(iv)). SECURITY_MEASURES, STORAGE_ABROAD: Cabinet Order Art. 10(i) and the external environment.',
  ].join(' '),
});

export enum NoticeTextStyle { PARAGRAPH = 'PARAGRAPH', BULLET = 'BULLET' }
registerEnumType(NoticeTextStyle, { name: 'NoticeTextStyle', description: 'How texts drawn from the inventory are set: as paragraphs or as a bulleted list.' });

@ObjectType({ simpleResolvers: true, description: 'A wording the organization uses in place of a block\'s default label (e.g. the heading of an Art. 27(5)(iii) item); keys are listed per kind in the README.' })
@InputType('NoticeLabelInput')
export class NoticeLabel {
  @Field() @IsString() @MaxChars(100) key!: string;
  @Field(() => LocalizedText) @ValidateNested() text!: LocalizedText;
}

@ObjectType({ simpleResolvers: true, description: 'One block of the published notice, in order: a heading or text of the organization, or a part drawn from the inventory.' })
@InputType('NoticeBlockInput')
export class NoticeBlock {
  @Field(() => NoticeBlockKind) @IsEnum(NoticeBlockKind) kind!: NoticeBlockKind;
  @Field(() => Int, { nullable: true, description: 'HEADING: 1 for a section, 2 for a sub-section, … (the title is above 1). Drawn blocks: the level of the headings they print.' })
  @IsOptional() @IsInt() @Min(1) @Max(5) level?: number | null;
  @Field(() => LocalizedText, { nullable: true, description: 'HEADING, PARAGRAPH, BULLET: the text as published, numbering included.' })
  @IsOptional() @ValidateNested() text?: LocalizedText | null;
  @Field(() => String, { nullable: true, description: 'HEADING: an anchor other blocks and the HTML notice can link to.' })
  @IsOptional() @IsString() @MaxChars(100) anchor?: string | null;
  @Field(() => [String], { nullable: true, description: 'Drawn blocks: only these records (statement, category, rule, arrangement, transfer, ground, desk codes), in this order. Empty: all.' })
  @IsOptional() @IsArray() @IsString({ each: true }) @MaxChars(200) codes?: string[] | null;
  @Field(() => NoticeTextStyle, { nullable: true }) @IsOptional() @IsEnum(NoticeTextStyle) style?: NoticeTextStyle | null;
  @Field(() => [NoticeLabel], { nullable: true, description: "The organization's wording for the block's labels." })
  @IsOptional() @IsArray() @ValidateNested({ each: true }) labels?: NoticeLabel[] | null;
}
