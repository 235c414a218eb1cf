import { Organization } from '../organization/organization.entity.js';
import { SubjectCategory } from '../inventory/subject-category.entity.js';
import { DataCategory } from '../inventory/data-category.entity.js';
import { Purpose } from '../inventory/purpose.entity.js';
import { LegalBasis } from '../inventory/legal-basis.entity.js';
import { SecurityMeasure } from '../inventory/security-measure.entity.js';
import { ProcessingActivity } from '../inventory/processing-activity.entity.js';
import { Processor } from '../parties/processor.entity.js';
import { ProcessorAudit } from '../parties/processor-audit.entity.js';
import { JointUseArrangement } from '../parties/joint-use-arrangement.entity.js';
import { ThirdPartyRecipient } from '../parties/third-party-recipient.entity.js';
import { ProvisionRecord } from '../parties/provision-record.entity.js';
import { ForeignTransfer } from '../parties/foreign-transfer.entity.js';
import { StorageLocation } from '../locations/storage-location.entity.js';
import { CountryAssessment } from '../locations/country-assessment.entity.js';
import { CountryReference } from '../locations/country-reference.js';
import { System } from '../systems/system.entity.js';
import { Dataset } from '../systems/dataset.entity.js';
import { DatasetField } from '../systems/field.entity.js';
import { AuditEvent } from '../audit/audit-event.entity.js';
import { SubjectIndexEntry } from '../systems/subject-index-entry.entity.js';
import { DataSubjectRequest, RequestEvent, RequestIdentity } from '../requests/request.entity.js';
import { IdempotencyKey } from '../http/idempotency.js';
import { RequestActionState, RequestActivityConfirmation, RequestDatasetConfirmation, RequestReply } from '../requests/request-work.entity.js';

export {
  Organization, SubjectCategory, DataCategory, Purpose, LegalBasis, SecurityMeasure, ProcessingActivity,
  Processor, ProcessorAudit, JointUseArrangement, ThirdPartyRecipient, ProvisionRecord, ForeignTransfer,
  StorageLocation, CountryAssessment, CountryReference, System, Dataset, DatasetField, AuditEvent, SubjectIndexEntry,
  DataSubjectRequest, RequestIdentity, RequestEvent, IdempotencyKey, RequestDatasetConfirmation, RequestActivityConfirmation, RequestActionState, RequestReply,
};

/** Every entity, in an order where references point backwards (the manifest importer relies on it). */
export const entities = [
  Organization, SubjectCategory, DataCategory, Purpose, LegalBasis, SecurityMeasure, CountryAssessment,
  Processor, ProcessorAudit, StorageLocation, JointUseArrangement, ThirdPartyRecipient, ProvisionRecord,
  ForeignTransfer, ProcessingActivity, System, Dataset, DatasetField, AuditEvent, SubjectIndexEntry,
  DataSubjectRequest, RequestIdentity, RequestEvent, IdempotencyKey, RequestDatasetConfirmation, RequestActivityConfirmation, RequestActionState, RequestReply, CountryReference,
];
