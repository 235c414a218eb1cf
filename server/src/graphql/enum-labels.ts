import type {
  ActivityStatus, AuditMethod, AuditResult, DataCategoryKind, DatasetStatus, FeeStatus, ForeignTransferBasis, Framework, IdentityType,
  LegalBasisScope, ProvisionDirection, ProvisionRoute, PurposeKind, RecipientKind, RequestChannelKind, ResponseMethod,
  SecurityMeasureCategory, StoragePurpose, SubjectRole, TransferRecipientKind,
} from './enums.js';
import type { RequestStatus, RequestType, RequesterKind } from '../requests/request.entity.js';
import type { StatementItemState } from '../parties/transfer-statement.js';
import type { FindingCode, FindingRecordType, Severity } from '../compliance/processor-audit.types.js';

/**
 * The words a generated document uses for an enum value, in both languages, so that a Japanese
 * document never shows a code such as EQUIVALENT_MEASURES_CONTRACT. Japanese labels use the Act's
 * own terms (法 = APPI, 規則 = PPC Enforcement Rules). Only types are imported: the feature modules
 * that define these enums import this one, and a runtime import would be a cycle.
 */
export type Label = { ja: string; en: string };
type Labels<E extends string> = Record<E, Label>;

export const FRAMEWORK: Labels<Framework> = {
  APPI: { ja: '個人情報の保護に関する法律', en: 'Act on the Protection of Personal Information (APPI)' },
  GDPR: { ja: '一般データ保護規則（GDPR）', en: 'General Data Protection Regulation (GDPR)' },
};

export const SUBJECT_ROLE: Labels<SubjectRole> = {
  CONTROLLER: { ja: '自社の個人情報', en: 'Held as controller' },
  PROCESSOR: { ja: '委託を受けて取り扱う個人情報', en: 'Held as processor (entrusted data)' },
};

export const DATA_CATEGORY_KIND: Labels<DataCategoryKind> = {
  PERSONAL: { ja: '個人情報', en: 'Personal information' },
  SPECIAL_CARE: { ja: '要配慮個人情報', en: 'Special-care-required personal information' },
  PERSONALLY_REFERABLE: { ja: '個人関連情報', en: 'Personally referable information' },
  PSEUDONYMIZED: { ja: '仮名加工情報', en: 'Pseudonymously processed information' },
  ANONYMIZED: { ja: '匿名加工情報', en: 'Anonymously processed information' },
};

export const IDENTITY_TYPE: Labels<IdentityType> = {
  EMAIL: { ja: 'メールアドレス', en: 'Email address' },
  PHONE: { ja: '電話番号', en: 'Phone number' },
  NAME: { ja: '氏名', en: 'Name' },
  POSTAL_ADDRESS: { ja: '住所', en: 'Postal address' },
  CUSTOMER_ID: { ja: '顧客番号', en: 'Customer number' },
  EMPLOYEE_ID: { ja: '従業員番号', en: 'Employee number' },
  COOKIE_ID: { ja: 'Cookie識別子', en: 'Cookie identifier' },
  AD_ID: { ja: '広告識別子', en: 'Advertising identifier' },
  DEVICE_ID: { ja: '端末識別子', en: 'Device identifier' },
  IP_ADDRESS: { ja: 'IPアドレス', en: 'IP address' },
  OTHER: { ja: 'その他の識別子', en: 'Other identifier' },
};

export const PURPOSE_KIND: Labels<PurposeKind> = {
  CATEGORY: { ja: '本人の区分ごとの利用目的', en: 'Purpose for a holder category' },
  COOKIE_LINKED: { ja: 'Cookie等と結び付けた利用目的', en: 'Purpose linked to cookies' },
  WEB_BEACON: { ja: 'ウェブビーコンによる利用目的', en: 'Purpose of web beacons' },
  GENERAL: { ja: '共通の利用目的', en: 'Purpose common to all holders' },
  JOINT_USE: { ja: '共同利用の利用目的', en: 'Purpose of joint use' },
};

export const LEGAL_BASIS_SCOPE: Labels<LegalBasisScope> = {
  PROCESSING: { ja: '取扱いの根拠', en: 'Basis for processing' },
  SPECIAL_CATEGORY: { ja: '特別な種類の個人データの取扱いの要件', en: 'Condition for special categories' },
  PROVISION: { ja: '第三者提供の根拠', en: 'Basis for provision to others' },
  FOREIGN_TRANSFER: { ja: '外国にある第三者への提供の根拠', en: 'Basis for provision to a recipient abroad' },
};

/** The headings of the PPC guidelines' security-control measures (通則GL 10). */
export const SECURITY_MEASURE_CATEGORY: Labels<SecurityMeasureCategory> = {
  BASIC_POLICY: { ja: '基本方針の策定', en: 'Basic policy' },
  INTERNAL_RULES: { ja: '個人情報の取扱いに係る社内規程の整備', en: 'Internal rules' },
  ORGANIZATIONAL: { ja: '組織的安全管理措置', en: 'Organizational security measures' },
  HUMAN: { ja: '人的安全管理措置', en: 'Human security measures' },
  PHYSICAL: { ja: '物理的安全管理措置', en: 'Physical security measures' },
  TECHNICAL: { ja: '技術的安全管理措置', en: 'Technical security measures' },
  CONTRACTOR_OVERSIGHT: { ja: '委託先の監督', en: 'Supervision of processors' },
  EXTERNAL_ENVIRONMENT: { ja: '外的環境の把握', en: 'Understanding the external environment' },
};

export const ACTIVITY_STATUS: Labels<ActivityStatus> = {
  DRAFT: { ja: '作成中', en: 'Draft' },
  ACTIVE: { ja: '実施中', en: 'Active' },
  RETIRED: { ja: '終了', en: 'Retired' },
};

export const AUDIT_METHOD: Labels<AuditMethod> = {
  QUESTIONNAIRE: { ja: '質問票', en: 'Questionnaire' },
  DOCUMENT_REVIEW: { ja: '書類確認', en: 'Document review' },
  REMOTE: { ja: 'リモート監査', en: 'Remote audit' },
  ON_SITE: { ja: '実地監査', en: 'On-site audit' },
  CERTIFICATION_REVIEW: { ja: '認証の確認', en: 'Certification review' },
};

export const AUDIT_RESULT: Labels<AuditResult> = {
  SATISFACTORY: { ja: '問題なし', en: 'Satisfactory' },
  MINOR_FINDINGS: { ja: '軽微な指摘あり', en: 'Minor findings' },
  MAJOR_FINDINGS: { ja: '重大な指摘あり', en: 'Major findings' },
  FAILED: { ja: '不適合', en: 'Failed' },
};

export const STORAGE_PURPOSE: Labels<StoragePurpose> = {
  PRIMARY: { ja: '本番環境', en: 'Primary' },
  BACKUP: { ja: 'バックアップ', en: 'Backup' },
  DISASTER_RECOVERY: { ja: '災害対策', en: 'Disaster recovery' },
  REMOTE_ACCESS: { ja: 'リモートアクセス', en: 'Remote access' },
};

export const RECIPIENT_KIND: Labels<RecipientKind> = {
  GROUP_COMPANY: { ja: 'グループ会社', en: 'Group company' },
  BUSINESS_PARTNER: { ja: '取引先', en: 'Business partner' },
  AD_TECH: { ja: '広告配信事業者', en: 'Advertising technology provider' },
  PUBLIC_AUTHORITY: { ja: '行政機関等', en: 'Public authority' },
  UNSPECIFIED: { ja: '区分なし', en: 'Not classified' },
};

export const PROVISION_DIRECTION: Labels<ProvisionDirection> = {
  PROVIDED: { ja: '提供', en: 'Provided' },
  RECEIVED: { ja: '受領', en: 'Received' },
};

export const TRANSFER_RECIPIENT_KIND: Labels<TransferRecipientKind> = {
  PROCESSOR: { ja: '委託先', en: 'Processor' },
  JOINT_USER: { ja: '共同利用者', en: 'Joint user' },
  THIRD_PARTY: { ja: '第三者', en: 'Third party' },
};

/** 法28条 and 規則16条: the route a provision to a recipient abroad takes. */
export const FOREIGN_TRANSFER_BASIS: Labels<ForeignTransferBasis> = {
  ADEQUATE_COUNTRY: { ja: '個人情報保護委員会規則で定める国（同等の水準の制度を有する外国）', en: 'A country the PPC Rules designate as having an equivalent system' },
  EQUIVALENT_MEASURES_CONTRACT: { ja: '相当措置を継続的に講ずるための体制の整備（契約等）', en: 'Equivalent measures ensured by contract or similar means' },
  EQUIVALENT_MEASURES_CBPR: { ja: '相当措置を継続的に講ずるための体制の整備（国際的な枠組みに基づく認定）', en: 'Equivalent measures through certification under an international framework' },
  CONSENT_WITH_INFORMATION: { ja: '本人の同意（法第28条第2項の情報提供）', en: "The person's consent, with the Art. 28(2) information" },
  STATUTORY_EXCEPTION: { ja: '法第27条第1項各号に該当する場合', en: 'A case listed in APPI Art. 27(1)' },
};

export const DATASET_STATUS: Labels<DatasetStatus> = {
  ACTIVE: { ja: '利用中', en: 'Active' },
  RETIRED: { ja: '廃止', en: 'Retired' },
};

export const REQUEST_CHANNEL_KIND: Labels<RequestChannelKind> = {
  WEB: { ja: 'ウェブサイト', en: 'Website' },
  PHONE: { ja: '電話', en: 'Telephone' },
  MAIL: { ja: '郵送', en: 'Post' },
};

/** 法33条1項: the methods of disclosure, phrased to follow 「開示の方法：」 / "disclosed …". */
export const RESPONSE_METHOD: Labels<ResponseMethod> = {
  ORAL: { ja: '口頭', en: 'orally' },
  WRITTEN: { ja: '書面の交付', en: 'in writing' },
  ELECTRONIC: { ja: '電磁的記録の提供', en: 'as an electronic record' },
  OTHER: { ja: 'その他の方法', en: 'by another method' },
};

/** 法38条: UNKNOWN is "not stated", never "free". */
export const FEE_STATUS: Labels<FeeStatus> = {
  UNKNOWN: { ja: '記載なし', en: 'not stated' },
  FREE: { ja: '無料', en: 'free of charge' },
  CHARGED: { ja: '有料', en: 'charged' },
  CHARGED_AMOUNT_NOT_STATED: { ja: '有料（金額の記載なし）', en: 'charged, amount not stated' },
};

/** 法27条: how personal data reaches another party. */
export const PROVISION_ROUTE: Labels<ProvisionRoute> = {
  CONSENT: { ja: '本人の同意', en: "The person's consent" },
  LEGAL_EXCEPTION: { ja: '法令に基づく場合等（法第27条第1項各号）', en: 'A case listed in APPI Art. 27(1)' },
  OPT_OUT: { ja: 'オプトアウトによる第三者提供（法第27条第2項）', en: 'Opt-out (APPI Art. 27(2))' },
  OUTSOURCING: { ja: '委託（法第27条第5項第1号）', en: 'Outsourcing (APPI Art. 27(5)(i))' },
  BUSINESS_SUCCESSION: { ja: '事業の承継（法第27条第5項第2号）', en: 'Business succession (APPI Art. 27(5)(ii))' },
  JOINT_USE: { ja: '共同利用（法第27条第5項第3号）', en: 'Joint use (APPI Art. 27(5)(iii))' },
};

/** The right a request exercises; English is lower case because the replies print it inside a sentence. */
export const REQUEST_TYPE: Labels<RequestType> = {
  NOTIFY_PURPOSE: { ja: '利用目的の通知', en: 'notification of the purposes of use' },
  DISCLOSE: { ja: '保有個人データの開示', en: 'disclosure of retained personal data' },
  DISCLOSE_PROVISION_RECORDS: { ja: '第三者提供記録の開示', en: 'disclosure of the records of provision to third parties' },
  CORRECT: { ja: '保有個人データの訂正', en: 'correction of retained personal data' },
  ADD: { ja: '保有個人データの追加', en: 'addition to retained personal data' },
  DELETE: { ja: '保有個人データの削除', en: 'deletion of retained personal data' },
  STOP_USE: { ja: '保有個人データの利用停止', en: 'cessation of use of retained personal data' },
  ERASE: { ja: '保有個人データの消去', en: 'erasure of personal data' },
  STOP_THIRD_PARTY_PROVISION: { ja: '保有個人データの第三者提供の停止', en: 'cessation of provision to third parties' },
  ACCESS: { ja: '個人データへのアクセス', en: 'access to personal data' },
  RECTIFY: { ja: '個人データの訂正', en: 'rectification of personal data' },
  RESTRICT: { ja: '個人データの取扱いの制限', en: 'restriction of processing' },
  PORT: { ja: '個人データの移行（データポータビリティ）', en: 'data portability' },
  OBJECT: { ja: '個人データの取扱いへの異議', en: 'objection to processing' },
};

export const REQUEST_STATUS: Labels<RequestStatus> = {
  RECEIVED: { ja: '受付', en: 'Received' },
  VERIFYING: { ja: '本人確認中', en: 'Verifying identity' },
  IN_PROGRESS: { ja: '対応中', en: 'In progress' },
  COMPLETED: { ja: '完了', en: 'Completed' },
  REFUSED: { ja: '不応諾', en: 'Refused' },
  WITHDRAWN: { ja: '取下げ', en: 'Withdrawn' },
};

export const REQUESTER_KIND: Labels<RequesterKind> = {
  SELF: { ja: '本人', en: 'The person' },
  AGENT: { ja: '代理人', en: 'Agent' },
};

/** How an 規則18条3項 item is answered when it has no text of its own. */
export const STATEMENT_ITEM_STATE: Labels<StatementItemState> = {
  STATED: { ja: '記載あり', en: 'stated' },
  NONE: { ja: 'なし', en: 'none' },
  NOT_RECORDED: { ja: '記録なし', en: 'not recorded' },
};

export const FINDING_CODE: Labels<FindingCode> = {
  NO_CONTRACT: { ja: '委託契約なし', en: 'No processing contract' },
  CONTRACT_EXPIRED: { ja: '委託契約の期間満了', en: 'Contract expired' },
  CONTRACT_EXPIRES_SOON: { ja: '委託契約の期間満了が近い', en: 'Contract expires soon' },
  AUDIT_OVERDUE: { ja: '委託先監査の期限超過', en: 'Audit overdue' },
  NEVER_AUDITED: { ja: '委託先監査の実施記録なし', en: 'Never audited' },
  FOREIGN_LOCATION_WITHOUT_ASSESSMENT: { ja: '外国の保管場所について外的環境の把握がない', en: 'Storage abroad without a country assessment' },
  ASSESSMENT_STALE: { ja: '外的環境の把握が古い', en: 'Country assessment out of date' },
  SPECIAL_CARE_DATA_ABROAD: { ja: '要配慮個人情報の外国での取扱い', en: 'Special-care-required data handled abroad' },
  SUBPROCESSOR_NOT_ALLOWED: { ja: '再委託が禁止されているのに再委託先がある', en: 'Sub-processors although the contract forbids sub-processing' },
  UNDECLARED_DATA_CATEGORIES: { ja: '取扱業務に記載のない個人データの項目', en: 'Data categories no activity declares' },
  FOREIGN_TRANSFER_WITHOUT_BASIS: { ja: '外国にある第三者への提供の根拠の記録なし', en: 'Recipient abroad without an Art. 28 basis' },
  PERIODIC_CHECK_OVERDUE: { ja: '相当措置の定期的な確認の期限超過', en: 'Periodic check of the equivalent measures overdue' },
  IMPEDIMENT_WITHOUT_MEASURE: { ja: '支障に対する措置の記録なし', en: 'Impediment without a recorded measure' },
  CONTRACT_UNDATED: { ja: '委託契約の締結日の記載なし', en: 'Contract date not stated' },
  PERIODIC_CHECK_UNDATED: { ja: '定期的な確認の実施日の記載なし', en: 'Periodic check date not stated' },
  STATEMENT_ITEM_NOT_RECORDED: { ja: '規則第18条第3項の情報提供事項の記録なし', en: 'PPC Rules Art. 18(3) items not recorded' },
  ART28_INFORMATION_NOT_RECORDED: { ja: '法第28条第2項の情報の記録なし', en: 'Art. 28(2) information not recorded' },
  GOVERNMENT_ACCESS_LAW_WITHOUT_OUTLINE: { ja: '政府による情報収集に関する法令の概要の記録なし', en: 'Government-access law without an outline' },
  COUNTRY_FACT_UNKNOWN: { ja: '提供の根拠となる外国の事情が不明', en: 'Country fact the route rests on is unknown' },
};

export const SEVERITY: Labels<Severity> = {
  HIGH: { ja: '高', en: 'High' },
  MEDIUM: { ja: '中', en: 'Medium' },
  LOW: { ja: '低', en: 'Low' },
};

export const FINDING_RECORD_TYPE: Labels<FindingRecordType> = {
  PROCESSOR: { ja: '委託先', en: 'Processor' },
  DATASET: { ja: 'データセット', en: 'Dataset' },
  DATA_CATEGORY: { ja: '個人データの項目', en: 'Data category' },
  STORAGE_LOCATION: { ja: '保管場所', en: 'Storage location' },
  FOREIGN_TRANSFER: { ja: '外国にある第三者への提供', en: 'Provision abroad' },
  COUNTRY: { ja: '国', en: 'Country' },
};

/** A resolution's foreign location: servers abroad, or a recipient abroad (法28条). */
export const FOREIGN_LOCATION_KIND: Labels<'STORAGE' | 'TRANSFER'> = {
  STORAGE: { ja: '保管', en: 'stored' },
  TRANSFER: { ja: '提供', en: 'provided' },
};

/**
 * The label of a value in the document's language. A value the table does not know (a row written
 * before its enum grew) prints as an explicit placeholder rather than the code itself.
 */
export function enumLabel<E extends string>(labels: Labels<E>, value: unknown, language: 'JA' | 'EN' | 'ja' | 'en'): string {
  const lang = language.toLowerCase() === 'ja' ? 'ja' : 'en';
  const l = (labels as Record<string, Label | undefined>)[String(value)];
  if (l) return l[lang];
  return value == null || value === '' ? '' : lang === 'ja' ? '（不明な区分）' : '(unknown value)';
}
