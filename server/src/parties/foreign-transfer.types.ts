import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { IsBoolean, IsInt, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';
import { HasText, LocalizedText } from '../graphql/localized-text.js';
import { MaxChars } from '../graphql/input-limits.js';
import { LocalDate } from '../graphql/scalars.js';

@ObjectType({ simpleResolvers: true, description: 'The Art. 28(2) information (APPI Art. 28(2), PPC Rules Art. 17): the country name as published, its regime, the recipient\'s measures. Recordable whatever the route; the consent route needs it before consent.' })
@InputType('ConsentInformationInput')
export class ConsentInformation {
  @Field(() => LocalizedText, { nullable: true, description: 'Name of the foreign country.' })
  @IsOptional() @ValidateNested()
  countryName?: LocalizedText | null;

  @Field(() => LocalizedText, { nullable: true, description: "That country's personal-information protection regime." })
  @IsOptional() @ValidateNested()
  regime?: LocalizedText | null;

  @Field(() => LocalizedText, { nullable: true, description: 'Measures the recipient takes to protect personal information.' })
  @IsOptional() @ValidateNested()
  recipientMeasures?: LocalizedText | null;

  @Field(() => LocalDate, { nullable: true })
  @IsOptional()
  providedAt?: string | null;

  @Field(() => LocalizedText, { nullable: true, description: 'How the information was given.' })
  @IsOptional() @ValidateNested()
  method?: LocalizedText | null;
}

@ObjectType({ simpleResolvers: true, description: 'The periodic check of a recipient on the equivalent-measures route (PPC Rules Art. 18(1)).' })
@InputType('PeriodicCheckInput')
export class PeriodicCheck {
  @Field(() => Int, { nullable: true, description: 'Months between checks (about yearly is expected).' })
  @IsOptional() @IsInt() @Min(1) @Max(120)
  frequencyMonths?: number | null;

  @Field(() => LocalizedText, { nullable: true })
  @IsOptional() @ValidateNested()
  method?: LocalizedText | null;

  @Field(() => LocalDate, { nullable: true })
  @IsOptional()
  lastCheckedAt?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Checks have been carried out even though no date is stated; tells "checked, date unknown" from "never checked".' })
  @IsOptional() @IsBoolean()
  performed?: boolean | null;
}

@ObjectType({ simpleResolvers: true, description: 'One clause of the contract with a foreign recipient, in contract order.' })
@InputType('ContractClauseInput')
export class ContractClause {
  @Field(() => LocalizedText, { description: 'The clause as the notice or contract words it.' })
  @ValidateNested() @HasText()
  text!: LocalizedText;

  @Field(() => String, { nullable: true, description: 'Where it is in the contract (e.g. "Art. 7(2)").' })
  @IsOptional() @IsString() @MaxChars(200)
  reference?: string | null;
}
