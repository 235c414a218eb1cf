import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Processor } from '../parties/processor.entity.js';
import { ProcessorContract } from '../parties/processor.types.js';
import { AuditMethod, AuditResult } from '../graphql/enums.js';
import { LocalizedText } from '../graphql/localized-text.js';
import type { Label } from '../graphql/enum-labels.js';
import { LocalDate } from '../graphql/scalars.js';
import { MAX_CODE_CHARS, MaxChars } from '../graphql/input-limits.js';

export enum FindingCode {
  NO_CONTRACT = 'NO_CONTRACT',
  CONTRACT_EXPIRED = 'CONTRACT_EXPIRED',
  CONTRACT_EXPIRES_SOON = 'CONTRACT_EXPIRES_SOON',
  AUDIT_OVERDUE = 'AUDIT_OVERDUE',
  NEVER_AUDITED = 'NEVER_AUDITED',
  FOREIGN_LOCATION_WITHOUT_ASSESSMENT = 'FOREIGN_LOCATION_WITHOUT_ASSESSMENT',
  ASSESSMENT_STALE = 'ASSESSMENT_STALE',
  SPECIAL_CARE_DATA_ABROAD = 'SPECIAL_CARE_DATA_ABROAD',
  SUBPROCESSOR_NOT_ALLOWED = 'SUBPROCESSOR_NOT_ALLOWED',
  UNDECLARED_DATA_CATEGORIES = 'UNDECLARED_DATA_CATEGORIES',
  FOREIGN_TRANSFER_WITHOUT_BASIS = 'FOREIGN_TRANSFER_WITHOUT_BASIS',
  PERIODIC_CHECK_OVERDUE = 'PERIODIC_CHECK_OVERDUE',
  IMPEDIMENT_WITHOUT_MEASURE = 'IMPEDIMENT_WITHOUT_MEASURE',
  CONTRACT_UNDATED = 'CONTRACT_UNDATED',
  PERIODIC_CHECK_UNDATED = 'PERIODIC_CHECK_UNDATED',
  STATEMENT_ITEM_NOT_RECORDED = 'STATEMENT_ITEM_NOT_RECORDED',
  /** The consent route gives the Art. 28(2) information before consent; part of it is not recorded. */
  ART28_INFORMATION_NOT_RECORDED = 'ART28_INFORMATION_NOT_RECORDED',
  /** A government-access law of the transfer's country is recorded without its outline. */
  GOVERNMENT_ACCESS_LAW_WITHOUT_OUTLINE = 'GOVERNMENT_ACCESS_LAW_WITHOUT_OUTLINE',
  /** The route rests on a country fact (PPC designation, CBPR participation) that neither the assessment nor the reference data establishes. */
  COUNTRY_FACT_UNKNOWN = 'COUNTRY_FACT_UNKNOWN',
}
export enum Severity { HIGH = 'HIGH', MEDIUM = 'MEDIUM', LOW = 'LOW' }
export enum ProcessorAuditOrder { RISK = 'RISK', CODE = 'CODE' }
registerEnumType(FindingCode, { name: 'FindingCode', description: 'What a processor audit found.' });
registerEnumType(Severity, { name: 'Severity' });
registerEnumType(ProcessorAuditOrder, { name: 'ProcessorAuditOrder', description: 'RISK: the riskiest first.' });

export enum FindingRecordType { PROCESSOR = 'PROCESSOR', DATASET = 'DATASET', DATA_CATEGORY = 'DATA_CATEGORY', STORAGE_LOCATION = 'STORAGE_LOCATION', FOREIGN_TRANSFER = 'FOREIGN_TRANSFER', COUNTRY = 'COUNTRY' }
registerEnumType(FindingRecordType, { name: 'FindingRecordType', description: 'The kind of record a finding concerns.' });

@ObjectType({ simpleResolvers: true, description: 'A record a finding concerns, by its code (a dataset by system/key, a country by ISO code).' })
export class FindingRecord {
  @Field(() => FindingRecordType) type!: FindingRecordType;
  @Field() code!: string;
}

@ObjectType({ simpleResolvers: true })
export class Finding {
  @Field(() => FindingCode) code!: FindingCode;
  @Field(() => Severity) severity!: Severity;
  /** What was found, in both languages; `evidence` prints it in the one asked for. */
  text!: Label;
  @Field(() => [FindingRecord], { description: 'The records concerned, for a tool to link to: the sub-processors, datasets, data categories, locations, transfers or countries; the processor itself for contract and audit findings.' }) records!: FindingRecord[];
}

@ObjectType({ simpleResolvers: true, description: 'A processor with everything it touches and what an audit finds.' })
export class ProcessorAudit {
  @Field(() => Processor) processor!: unknown;
  @Field(() => [Finding]) findings!: Finding[];
  @Field(() => Int, { description: 'HIGH 10, MEDIUM 3, LOW 1 per finding.' }) riskScore!: number;
  @Field(() => ProcessorContract, { nullable: true }) contract?: ProcessorContract | null;
  @Field(() => LocalDate, { nullable: true }) nextAuditDue?: string | null;
}

@InputType()
export class ProcessorAuditFilter {
  @Field(() => [FindingCode], { nullable: true, description: 'Only processors with one of these findings.' }) findings?: FindingCode[];
  @Field(() => Severity, { nullable: true, description: 'Only processors with a finding at least this severe.' }) minSeverity?: Severity;
  @Field(() => String, { nullable: true }) search?: string;
}

@InputType({ description: 'An audit carried out on a processor; the next one is scheduled from its interval.' })
export class RecordAuditInput {
  @Field() @MaxChars(MAX_CODE_CHARS) processorCode!: string;
  @Field(() => LocalDate) auditedAt!: string;
  @Field(() => AuditMethod) method!: AuditMethod;
  @Field(() => AuditResult) result!: AuditResult;
  @Field(() => LocalizedText, { nullable: true }) findings?: LocalizedText | null;
  @Field(() => String, { nullable: true }) @MaxChars(255) auditor?: string | null;
}

@ObjectType({ simpleResolvers: true })
export class UpcomingAudit {
  @Field(() => Processor) processor!: unknown;
  @Field(() => LocalDate) dueAt!: string;
  @Field({ description: 'Already past due.' }) overdue!: boolean;
}
