import { registerEnumType } from 'type-graphql';

export enum Framework { APPI = 'APPI', GDPR = 'GDPR' }
export enum SubjectRole { CONTROLLER = 'CONTROLLER', PROCESSOR = 'PROCESSOR' }
export enum DataCategoryKind {
  PERSONAL = 'PERSONAL',
  SPECIAL_CARE = 'SPECIAL_CARE',
  PERSONALLY_REFERABLE = 'PERSONALLY_REFERABLE',
  PSEUDONYMIZED = 'PSEUDONYMIZED',
  ANONYMIZED = 'ANONYMIZED',
}
export enum IdentityType {
  EMAIL = 'EMAIL',
  PHONE = 'PHONE',
  NAME = 'NAME',
  POSTAL_ADDRESS = 'POSTAL_ADDRESS',
  CUSTOMER_ID = 'CUSTOMER_ID',
  EMPLOYEE_ID = 'EMPLOYEE_ID',
  COOKIE_ID = 'COOKIE_ID',
  AD_ID = 'AD_ID',
  DEVICE_ID = 'DEVICE_ID',
  IP_ADDRESS = 'IP_ADDRESS',
  OTHER = 'OTHER',
}
export enum PurposeKind {
  CATEGORY = 'CATEGORY',
  COOKIE_LINKED = 'COOKIE_LINKED',
  WEB_BEACON = 'WEB_BEACON',
  GENERAL = 'GENERAL',
  JOINT_USE = 'JOINT_USE',
}
export enum LegalBasisScope {
  PROCESSING = 'PROCESSING',
  SPECIAL_CATEGORY = 'SPECIAL_CATEGORY',
  PROVISION = 'PROVISION',
  FOREIGN_TRANSFER = 'FOREIGN_TRANSFER',
}
export enum SecurityMeasureCategory {
  BASIC_POLICY = 'BASIC_POLICY',
  INTERNAL_RULES = 'INTERNAL_RULES',
  ORGANIZATIONAL = 'ORGANIZATIONAL',
  HUMAN = 'HUMAN',
  PHYSICAL = 'PHYSICAL',
  TECHNICAL = 'TECHNICAL',
  CONTRACTOR_OVERSIGHT = 'CONTRACTOR_OVERSIGHT',
  EXTERNAL_ENVIRONMENT = 'EXTERNAL_ENVIRONMENT',
}
export enum ActivityStatus { DRAFT = 'DRAFT', ACTIVE = 'ACTIVE', RETIRED = 'RETIRED' }
export enum AuditMethod {
  QUESTIONNAIRE = 'QUESTIONNAIRE',
  DOCUMENT_REVIEW = 'DOCUMENT_REVIEW',
  REMOTE = 'REMOTE',
  ON_SITE = 'ON_SITE',
  CERTIFICATION_REVIEW = 'CERTIFICATION_REVIEW',
}
export enum AuditResult {
  SATISFACTORY = 'SATISFACTORY',
  MINOR_FINDINGS = 'MINOR_FINDINGS',
  MAJOR_FINDINGS = 'MAJOR_FINDINGS',
  FAILED = 'FAILED',
}
export enum StoragePurpose {
  PRIMARY = 'PRIMARY',
  BACKUP = 'BACKUP',
  DISASTER_RECOVERY = 'DISASTER_RECOVERY',
  REMOTE_ACCESS = 'REMOTE_ACCESS',
}
export enum RecipientKind {
  GROUP_COMPANY = 'GROUP_COMPANY',
  BUSINESS_PARTNER = 'BUSINESS_PARTNER',
  AD_TECH = 'AD_TECH',
  PUBLIC_AUTHORITY = 'PUBLIC_AUTHORITY',
  UNSPECIFIED = 'UNSPECIFIED',
}
export enum ProvisionDirection { PROVIDED = 'PROVIDED', RECEIVED = 'RECEIVED' }
export enum TransferRecipientKind { PROCESSOR = 'PROCESSOR', JOINT_USER = 'JOINT_USER', THIRD_PARTY = 'THIRD_PARTY' }
export enum ForeignTransferBasis {
  ADEQUATE_COUNTRY = 'ADEQUATE_COUNTRY',
  EQUIVALENT_MEASURES_CONTRACT = 'EQUIVALENT_MEASURES_CONTRACT',
  EQUIVALENT_MEASURES_CBPR = 'EQUIVALENT_MEASURES_CBPR',
  CONSENT_WITH_INFORMATION = 'CONSENT_WITH_INFORMATION',
  STATUTORY_EXCEPTION = 'STATUTORY_EXCEPTION',
}
export enum DatasetStatus { ACTIVE = 'ACTIVE', RETIRED = 'RETIRED' }
export enum RequestChannelKind { WEB = 'WEB', PHONE = 'PHONE', MAIL = 'MAIL' }
export enum ResponseMethod { ORAL = 'ORAL', WRITTEN = 'WRITTEN', ELECTRONIC = 'ELECTRONIC', OTHER = 'OTHER' }
export enum FeeStatus { UNKNOWN = 'UNKNOWN', FREE = 'FREE', CHARGED = 'CHARGED', CHARGED_AMOUNT_NOT_STATED = 'CHARGED_AMOUNT_NOT_STATED' }
export enum ProvisionRoute {
  CONSENT = 'CONSENT',
  LEGAL_EXCEPTION = 'LEGAL_EXCEPTION',
  OPT_OUT = 'OPT_OUT',
  OUTSOURCING = 'OUTSOURCING',
  BUSINESS_SUCCESSION = 'BUSINESS_SUCCESSION',
  JOINT_USE = 'JOINT_USE',
}

const enums: [object, string, string][] = [
  [Framework, 'Framework', 'Legal framework: Japan APPI or EU GDPR.'],
  [SubjectRole, 'SubjectRole', 'Whether the organization holds the data as controller, or as processor for another (entrusted data: requests are routed to that controller).'],
  [DataCategoryKind, 'DataCategoryKind', 'APPI classification: personal, special-care-required (要配慮), personally referable (個人関連情報), pseudonymized, anonymized.'],
  [IdentityType, 'IdentityType', 'The kind of identifier an item is, when it identifies a person.'],
  [PurposeKind, 'PurposeKind', 'Where a purpose sits in the notice.'],
  [LegalBasisScope, 'LegalBasisScope', 'What a legal basis is for: processing, special categories, provision to others, or foreign transfer.'],
  [SecurityMeasureCategory, 'SecurityMeasureCategory', 'Section of the APPI security-control measures (PPC guidelines §10).'],
  [ActivityStatus, 'ActivityStatus', 'Lifecycle of a processing activity.'],
  [AuditMethod, 'AuditMethod', 'How a processor audit was carried out.'],
  [AuditResult, 'AuditResult', 'Outcome of a processor audit.'],
  [StoragePurpose, 'StoragePurpose', 'Why data sits in a storage location.'],
  [RecipientKind, 'RecipientKind', 'Kind of third-party recipient.'],
  [ProvisionDirection, 'ProvisionDirection', 'APPI Art. 29 records provision; Art. 30 records receipt.'],
  [TransferRecipientKind, 'TransferRecipientKind', 'Who receives a foreign transfer.'],
  [ForeignTransferBasis, 'ForeignTransferBasis', 'APPI Art. 28 route for giving personal data to a recipient abroad.'],
  [DatasetStatus, 'DatasetStatus', 'A retired dataset keeps its history.'],
  [RequestChannelKind, 'RequestChannelKind', 'Channel through which requests are accepted.'],
  [ResponseMethod, 'ResponseMethod', 'How a notification or disclosure is given (APPI Art. 33(1)): ORAL, WRITTEN, ELECTRONIC, or OTHER as the organization\'s procedure words it.'],
  [FeeStatus, 'FeeStatus', 'Whether a fee applies; UNKNOWN (not stated) is kept apart from FREE, and CHARGED_AMOUNT_NOT_STATED (a fee without an amount, a gap under APPI Art. 38(2)) apart from CHARGED with its amount.'],
  [ProvisionRoute, 'ProvisionRoute', 'APPI route for giving personal data to others.'],
];
for (const [e, name, description] of enums) registerEnumType(e, { name, description });
