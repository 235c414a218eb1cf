import { Field, InputType, ObjectType } from 'type-graphql';
import { IsOptional, ValidateNested } from 'class-validator';
import { HasText, LocalizedText } from '../graphql/localized-text.js';
import { IsCountryCode } from '../graphql/validators.js';

@ObjectType({ simpleResolvers: true, description: 'A joint user known by name.' })
@InputType('JointUsePartyInput')
export class JointUseParty {
  @Field(() => LocalizedText)
  @ValidateNested()
  @HasText()
  name!: LocalizedText;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2 country of the legal entity.' })
  @IsOptional()
  @IsCountryCode()
  country?: string | null;

  @Field(() => LocalizedText, { nullable: true })
  @IsOptional()
  @ValidateNested()
  address?: LocalizedText | null;
}

@ObjectType({ simpleResolvers: true, description: 'The person responsible for jointly used data (APPI Art. 27(5)(iii)).' })
@InputType('ResponsibleManagerInput')
export class ResponsibleManager {
  @Field(() => LocalizedText)
  @ValidateNested()
  @HasText()
  name!: LocalizedText;

  @Field(() => LocalizedText, { nullable: true })
  @IsOptional()
  @ValidateNested()
  address?: LocalizedText | null;

  @Field(() => LocalizedText, { nullable: true, description: 'Representative, for a corporation.' })
  @IsOptional()
  @ValidateNested()
  representative?: LocalizedText | null;
}
