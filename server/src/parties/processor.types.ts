import { Field, InputType, ObjectType } from 'type-graphql';
import { IsBoolean, IsOptional, IsString } from 'class-validator';
import { LocalDate } from '../graphql/scalars.js';
import { MaxChars } from '../graphql/input-limits.js';

@ObjectType({ simpleResolvers: true, description: 'The processing contract (APPI Art. 25 supervision; GDPR Art. 28(3)).' })
@InputType('ProcessorContractInput')
export class ProcessorContract {
  @Field(() => LocalDate, { nullable: true }) @IsOptional() signedAt?: string | null;
  @Field(() => LocalDate, { nullable: true }) @IsOptional() expiresAt?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'Whether the contract allows sub-processing.' }) @IsOptional() @IsBoolean() subProcessingAllowed?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'A confidentiality agreement is concluded (as the notice promises).' }) @IsOptional() @IsBoolean() confidentialityAgreement?: boolean | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxChars(500) reference?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'A contract is known to exist though its date is not stated; tells "contract, date unknown" from "no contract".' }) @IsOptional() @IsBoolean() concluded?: boolean | null;
}
