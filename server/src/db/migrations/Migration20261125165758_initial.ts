import { Migration } from '@mikro-orm/migrations';

export class Migration20261125165758_initial extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "country_assessment" ("id" serial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "archived_at" timestamptz null, "illustrative" boolean not null default false, "country" varchar(2) not null, "regime" jsonb null, "appi_adequate" boolean not null default false, "eu_adequacy" boolean not null default false, "cbpr" boolean not null default false, "ppc_report" jsonb null, "ppc_report_url" text null, "impediments" jsonb null, "reviewed_at" date null);`);
    this.addSql(`alter table "country_assessment" add constraint "country_assessment_country_unique" unique ("country");`);

    this.addSql(`create table "data_category" ("id" serial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "archived_at" timestamptz null, "illustrative" boolean not null default false, "code" varchar(200) not null, "name" jsonb not null, "description" jsonb null, "kind" text check ("kind" in ('PERSONAL', 'SPECIAL_CARE', 'PERSONALLY_REFERABLE', 'PSEUDONYMIZED', 'ANONYMIZED')) not null default 'PERSONAL', "identity_type" text check ("identity_type" in ('EMAIL', 'PHONE', 'NAME', 'POSTAL_ADDRESS', 'CUSTOMER_ID', 'EMPLOYEE_ID', 'COOKIE_ID', 'AD_ID', 'DEVICE_ID', 'IP_ADDRESS', 'OTHER')) null, "parent_id" int null);`);
    this.addSql(`alter table "data_category" add constraint "data_category_code_unique" unique ("code");`);
    this.addSql(`create index "data_category_parent_id_index" on "data_category" ("parent_id");`);

    this.addSql(`create table "legal_basis" ("id" serial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "archived_at" timestamptz null, "illustrative" boolean not null default false, "code" varchar(200) not null, "framework" text check ("framework" in ('APPI', 'GDPR')) not null, "scope" text check ("scope" in ('PROCESSING', 'SPECIAL_CATEGORY', 'PROVISION', 'FOREIGN_TRANSFER')) not null default 'PROCESSING', "article" varchar(255) not null, "title" jsonb not null, "description" jsonb null);`);
    this.addSql(`alter table "legal_basis" add constraint "legal_basis_code_unique" unique ("code");`);

    this.addSql(`create table "joint_use_arrangement" ("id" serial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "archived_at" timestamptz null, "illustrative" boolean not null default false, "code" varchar(200) not null, "name" jsonb not null, "rationale" jsonb null, "items_text" jsonb not null, "scope" jsonb not null, "member_list_url" text null, "parties" jsonb not null default '[]', "responsible_manager" jsonb not null, "acquisition_methods" jsonb not null default '[]', "notified_at" date null, "legal_basis_id" int null);`);
    this.addSql(`alter table "joint_use_arrangement" add constraint "joint_use_arrangement_code_unique" unique ("code");`);
    this.addSql(`create index "joint_use_arrangement_legal_basis_id_index" on "joint_use_arrangement" ("legal_basis_id");`);

    this.addSql(`create table "joint_use_arrangement_data_categories" ("joint_use_arrangement_id" int not null, "data_category_id" int not null, constraint "joint_use_arrangement_data_categories_pkey" primary key ("joint_use_arrangement_id", "data_category_id"));`);

    this.addSql(`create table "organization" ("id" serial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "archived_at" timestamptz null, "illustrative" boolean not null default false, "code" varchar(200) not null, "name" jsonb not null, "address" jsonb null, "postal_code" varchar(255) null, "representative" jsonb null, "corporate_group" jsonb null, "privacy_manager" jsonb null, "complaint_contact" jsonb null, "request_procedure" jsonb null, "provision_rules" jsonb not null default '[]', "outsourcing_policy" jsonb null, "statements" jsonb not null default '[]', "notice" jsonb null, "dpo" jsonb null, "eu_representative" jsonb null, "appi_response_target_days" int not null default 14);`);
    this.addSql(`alter table "organization" add constraint "organization_code_unique" unique ("code");`);

    this.addSql(`create table "processing_activity" ("id" serial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "archived_at" timestamptz null, "illustrative" boolean not null default false, "code" varchar(200) not null, "name" jsonb not null, "description" jsonb null, "role" text check ("role" in ('CONTROLLER', 'PROCESSOR')) not null default 'CONTROLLER', "status" text check ("status" in ('DRAFT', 'ACTIVE', 'RETIRED')) not null default 'ACTIVE', "owner" varchar(255) null, "sources" jsonb not null default '[]', "retention" jsonb null, "profiling" boolean not null default false, "targeted_advertising" boolean not null default false);`);
    this.addSql(`alter table "processing_activity" add constraint "processing_activity_code_unique" unique ("code");`);

    this.addSql(`create table "processing_activity_legal_bases" ("processing_activity_id" int not null, "legal_basis_id" int not null, constraint "processing_activity_legal_bases_pkey" primary key ("processing_activity_id", "legal_basis_id"));`);

    this.addSql(`create table "processing_activity_joint_uses" ("processing_activity_id" int not null, "joint_use_arrangement_id" int not null, constraint "processing_activity_joint_uses_pkey" primary key ("processing_activity_id", "joint_use_arrangement_id"));`);

    this.addSql(`create table "processing_activity_data_categories" ("processing_activity_id" int not null, "data_category_id" int not null, constraint "processing_activity_data_categories_pkey" primary key ("processing_activity_id", "data_category_id"));`);

    this.addSql(`create table "processor" ("id" serial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "archived_at" timestamptz null, "illustrative" boolean not null default false, "code" varchar(200) not null, "name" jsonb not null, "description" jsonb null, "country" varchar(2) null, "services" jsonb not null default '[]', "certifications" jsonb not null default '[]', "contract" jsonb null, "audit_interval_months" int null);`);
    this.addSql(`alter table "processor" add constraint "processor_code_unique" unique ("code");`);
    this.addSql(`create index "processor_country_index" on "processor" ("country");`);

    this.addSql(`create table "processing_activity_processors" ("processing_activity_id" int not null, "processor_id" int not null, constraint "processing_activity_processors_pkey" primary key ("processing_activity_id", "processor_id"));`);

    this.addSql(`create table "processor_sub_processors" ("processor_id" int not null, "sub_processor_id" int not null, constraint "processor_sub_processors_pkey" primary key ("processor_id", "sub_processor_id"));`);

    this.addSql(`create table "processor_audit" ("id" serial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "archived_at" timestamptz null, "illustrative" boolean not null default false, "code" varchar(200) not null, "processor_id" int not null, "audited_at" date not null, "method" text check ("method" in ('QUESTIONNAIRE', 'DOCUMENT_REVIEW', 'REMOTE', 'ON_SITE', 'CERTIFICATION_REVIEW')) not null, "result" text check ("result" in ('SATISFACTORY', 'MINOR_FINDINGS', 'MAJOR_FINDINGS', 'FAILED')) not null, "findings" jsonb null, "auditor" varchar(255) null, "next_due_at" date null);`);
    this.addSql(`alter table "processor_audit" add constraint "processor_audit_code_unique" unique ("code");`);
    this.addSql(`create index "processor_audit_processor_id_audited_at_index" on "processor_audit" ("processor_id", "audited_at");`);

    this.addSql(`create table "security_measure" ("id" serial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "archived_at" timestamptz null, "illustrative" boolean not null default false, "code" varchar(200) not null, "category" text check ("category" in ('BASIC_POLICY', 'INTERNAL_RULES', 'ORGANIZATIONAL', 'HUMAN', 'PHYSICAL', 'TECHNICAL', 'CONTRACTOR_OVERSIGHT', 'EXTERNAL_ENVIRONMENT')) not null, "number" int null, "title" jsonb not null, "description" jsonb not null);`);
    this.addSql(`alter table "security_measure" add constraint "security_measure_code_unique" unique ("code");`);

    this.addSql(`create table "processing_activity_security_measures" ("processing_activity_id" int not null, "security_measure_id" int not null, constraint "processing_activity_security_measures_pkey" primary key ("processing_activity_id", "security_measure_id"));`);

    this.addSql(`create table "storage_location" ("id" serial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "archived_at" timestamptz null, "illustrative" boolean not null default false, "code" varchar(200) not null, "name" jsonb not null, "country" varchar(2) not null, "region" varchar(255) null, "provider_country" varchar(2) null, "hosting_processor_id" int null, "purpose" text check ("purpose" in ('PRIMARY', 'BACKUP', 'DISASTER_RECOVERY', 'REMOTE_ACCESS')) not null default 'PRIMARY', "is_provision" boolean not null default true, "description" jsonb null);`);
    this.addSql(`alter table "storage_location" add constraint "storage_location_code_unique" unique ("code");`);
    this.addSql(`create index "storage_location_country_index" on "storage_location" ("country");`);
    this.addSql(`create index "storage_location_hosting_processor_id_index" on "storage_location" ("hosting_processor_id");`);

    this.addSql(`create table "processing_activity_storage_locations" ("processing_activity_id" int not null, "storage_location_id" int not null, constraint "processing_activity_storage_locations_pkey" primary key ("processing_activity_id", "storage_location_id"));`);

    this.addSql(`create table "subject_category" ("id" serial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "archived_at" timestamptz null, "illustrative" boolean not null default false, "code" varchar(200) not null, "number" int null, "name" jsonb not null, "group" jsonb null, "role" text check ("role" in ('CONTROLLER', 'PROCESSOR')) not null default 'CONTROLLER', "requests_accepted" boolean not null default true, "entrusting_controller" jsonb null, "notes" jsonb null);`);
    this.addSql(`alter table "subject_category" add constraint "subject_category_code_unique" unique ("code");`);

    this.addSql(`create table "purpose" ("id" serial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "archived_at" timestamptz null, "illustrative" boolean not null default false, "code" varchar(200) not null, "text" jsonb not null, "kind" text check ("kind" in ('CATEGORY', 'COOKIE_LINKED', 'WEB_BEACON', 'GENERAL', 'JOINT_USE')) not null default 'CATEGORY', "subject_category_id" int null, "position" int not null default 0, "tags" jsonb not null default '[]', "channel_note" jsonb null, "subject_scope" jsonb null, "notified_at" date null, "source_ref" varchar(255) null);`);
    this.addSql(`alter table "purpose" add constraint "purpose_code_unique" unique ("code");`);
    this.addSql(`create index "purpose_subject_category_id_index" on "purpose" ("subject_category_id");`);

    this.addSql(`create table "processing_activity_purposes" ("processing_activity_id" int not null, "purpose_id" int not null, constraint "processing_activity_purposes_pkey" primary key ("processing_activity_id", "purpose_id"));`);

    this.addSql(`create table "joint_use_arrangement_purposes" ("joint_use_arrangement_id" int not null, "purpose_id" int not null, constraint "joint_use_arrangement_purposes_pkey" primary key ("joint_use_arrangement_id", "purpose_id"));`);

    this.addSql(`create table "processing_activity_subject_categories" ("processing_activity_id" int not null, "subject_category_id" int not null, constraint "processing_activity_subject_categories_pkey" primary key ("processing_activity_id", "subject_category_id"));`);

    this.addSql(`create table "joint_use_arrangement_subject_categories" ("joint_use_arrangement_id" int not null, "subject_category_id" int not null, constraint "joint_use_arrangement_subject_categories_pkey" primary key ("joint_use_arrangement_id", "subject_category_id"));`);

    this.addSql(`create table "system" ("id" serial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "archived_at" timestamptz null, "illustrative" boolean not null default false, "key" varchar(200) not null, "name" varchar(255) not null, "description" text null, "owner" varchar(255) null);`);
    this.addSql(`alter table "system" add constraint "system_key_unique" unique ("key");`);

    this.addSql(`create table "dataset" ("id" serial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "archived_at" timestamptz null, "illustrative" boolean not null default false, "system_id" int not null, "key" varchar(300) not null, "name" varchar(255) not null, "description" text null, "storage_location_id" int null, "processor_id" int null, "status" text check ("status" in ('ACTIVE', 'RETIRED')) not null default 'ACTIVE', "last_registered_at" timestamptz null, "registered_by" varchar(255) null);`);
    this.addSql(`create index "dataset_storage_location_id_index" on "dataset" ("storage_location_id");`);
    this.addSql(`create index "dataset_processor_id_index" on "dataset" ("processor_id");`);
    this.addSql(`alter table "dataset" add constraint "dataset_system_id_key_unique" unique ("system_id", "key");`);

    this.addSql(`create table "dataset_field" ("id" serial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "archived_at" timestamptz null, "illustrative" boolean not null default false, "dataset_id" int not null, "path" varchar(500) not null, "description" text null, "identity_type" text check ("identity_type" in ('EMAIL', 'PHONE', 'NAME', 'POSTAL_ADDRESS', 'CUSTOMER_ID', 'EMPLOYEE_ID', 'COOKIE_ID', 'AD_ID', 'DEVICE_ID', 'IP_ADDRESS', 'OTHER')) null);`);
    this.addSql(`alter table "dataset_field" add constraint "dataset_field_dataset_id_path_unique" unique ("dataset_id", "path");`);

    this.addSql(`create table "dataset_field_data_categories" ("field_id" int not null, "data_category_id" int not null, constraint "dataset_field_data_categories_pkey" primary key ("field_id", "data_category_id"));`);

    this.addSql(`create table "dataset_activities" ("dataset_id" int not null, "processing_activity_id" int not null, constraint "dataset_activities_pkey" primary key ("dataset_id", "processing_activity_id"));`);

    this.addSql(`create table "third_party_recipient" ("id" serial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "archived_at" timestamptz null, "illustrative" boolean not null default false, "code" varchar(200) not null, "name" jsonb not null, "kind" text check ("kind" in ('GROUP_COMPANY', 'BUSINESS_PARTNER', 'AD_TECH', 'PUBLIC_AUTHORITY', 'UNSPECIFIED')) not null default 'UNSPECIFIED', "country" varchar(2) null, "description" jsonb null, "items" jsonb null, "basis_id" int null);`);
    this.addSql(`alter table "third_party_recipient" add constraint "third_party_recipient_code_unique" unique ("code");`);
    this.addSql(`create index "third_party_recipient_country_index" on "third_party_recipient" ("country");`);
    this.addSql(`create index "third_party_recipient_basis_id_index" on "third_party_recipient" ("basis_id");`);

    this.addSql(`create table "provision_record" ("id" serial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "archived_at" timestamptz null, "illustrative" boolean not null default false, "code" varchar(200) not null, "recipient_id" int not null, "direction" text check ("direction" in ('PROVIDED', 'RECEIVED')) not null default 'PROVIDED', "provided_at" date not null, "basis_id" int null, "items" jsonb not null, "subjects" jsonb null, "notes" jsonb null);`);
    this.addSql(`alter table "provision_record" add constraint "provision_record_code_unique" unique ("code");`);
    this.addSql(`create index "provision_record_basis_id_index" on "provision_record" ("basis_id");`);
    this.addSql(`create index "provision_record_recipient_id_provided_at_index" on "provision_record" ("recipient_id", "provided_at");`);

    this.addSql(`create table "processing_activity_recipients" ("processing_activity_id" int not null, "third_party_recipient_id" int not null, constraint "processing_activity_recipients_pkey" primary key ("processing_activity_id", "third_party_recipient_id"));`);

    this.addSql(`create table "foreign_transfer" ("id" serial primary key, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "archived_at" timestamptz null, "illustrative" boolean not null default false, "code" varchar(200) not null, "recipient_name" jsonb not null, "recipient_kind" text check ("recipient_kind" in ('PROCESSOR', 'JOINT_USER', 'THIRD_PARTY')) not null, "processor_id" int null, "joint_use_id" int null, "recipient_id" int null, "country" varchar(2) not null, "purpose" jsonb null, "basis" text check ("basis" in ('ADEQUATE_COUNTRY', 'EQUIVALENT_MEASURES_CONTRACT', 'EQUIVALENT_MEASURES_CBPR', 'CONSENT_WITH_INFORMATION', 'STATUTORY_EXCEPTION')) not null, "consent_information" jsonb null, "periodic_check" jsonb null, "impediments" jsonb null, "impediment_response" jsonb null);`);
    this.addSql(`alter table "foreign_transfer" add constraint "foreign_transfer_code_unique" unique ("code");`);
    this.addSql(`create index "foreign_transfer_processor_id_index" on "foreign_transfer" ("processor_id");`);
    this.addSql(`create index "foreign_transfer_joint_use_id_index" on "foreign_transfer" ("joint_use_id");`);
    this.addSql(`create index "foreign_transfer_recipient_id_index" on "foreign_transfer" ("recipient_id");`);
    this.addSql(`create index "foreign_transfer_country_index" on "foreign_transfer" ("country");`);

    this.addSql(`create table "processing_activity_foreign_transfers" ("processing_activity_id" int not null, "foreign_transfer_id" int not null, constraint "processing_activity_foreign_transfers_pkey" primary key ("processing_activity_id", "foreign_transfer_id"));`);

    this.addSql(`create table "foreign_transfer_data_categories" ("foreign_transfer_id" int not null, "data_category_id" int not null, constraint "foreign_transfer_data_categories_pkey" primary key ("foreign_transfer_id", "data_category_id"));`);

    this.addSql(`alter table "data_category" add constraint "data_category_parent_id_foreign" foreign key ("parent_id") references "data_category" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "joint_use_arrangement" add constraint "joint_use_arrangement_legal_basis_id_foreign" foreign key ("legal_basis_id") references "legal_basis" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "joint_use_arrangement_data_categories" add constraint "joint_use_arrangement_data_categories_joint_use__c1f0f_foreign" foreign key ("joint_use_arrangement_id") references "joint_use_arrangement" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "joint_use_arrangement_data_categories" add constraint "joint_use_arrangement_data_categories_data_category_id_foreign" foreign key ("data_category_id") references "data_category" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "processing_activity_legal_bases" add constraint "processing_activity_legal_bases_processing_activity_id_foreign" foreign key ("processing_activity_id") references "processing_activity" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "processing_activity_legal_bases" add constraint "processing_activity_legal_bases_legal_basis_id_foreign" foreign key ("legal_basis_id") references "legal_basis" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "processing_activity_joint_uses" add constraint "processing_activity_joint_uses_processing_activity_id_foreign" foreign key ("processing_activity_id") references "processing_activity" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "processing_activity_joint_uses" add constraint "processing_activity_joint_uses_joint_use_arrangement_id_foreign" foreign key ("joint_use_arrangement_id") references "joint_use_arrangement" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "processing_activity_data_categories" add constraint "processing_activity_data_categories_processing_a_3e7aa_foreign" foreign key ("processing_activity_id") references "processing_activity" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "processing_activity_data_categories" add constraint "processing_activity_data_categories_data_category_id_foreign" foreign key ("data_category_id") references "data_category" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "processing_activity_processors" add constraint "processing_activity_processors_processing_activity_id_foreign" foreign key ("processing_activity_id") references "processing_activity" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "processing_activity_processors" add constraint "processing_activity_processors_processor_id_foreign" foreign key ("processor_id") references "processor" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "processor_sub_processors" add constraint "processor_sub_processors_processor_id_foreign" foreign key ("processor_id") references "processor" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "processor_sub_processors" add constraint "processor_sub_processors_sub_processor_id_foreign" foreign key ("sub_processor_id") references "processor" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "processor_audit" add constraint "processor_audit_processor_id_foreign" foreign key ("processor_id") references "processor" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "processing_activity_security_measures" add constraint "processing_activity_security_measures_processing_5e3ba_foreign" foreign key ("processing_activity_id") references "processing_activity" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "processing_activity_security_measures" add constraint "processing_activity_security_measures_security_m_e879c_foreign" foreign key ("security_measure_id") references "security_measure" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "storage_location" add constraint "storage_location_hosting_processor_id_foreign" foreign key ("hosting_processor_id") references "processor" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "processing_activity_storage_locations" add constraint "processing_activity_storage_locations_processing_c34a3_foreign" foreign key ("processing_activity_id") references "processing_activity" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "processing_activity_storage_locations" add constraint "processing_activity_storage_locations_storage_lo_9a98d_foreign" foreign key ("storage_location_id") references "storage_location" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "purpose" add constraint "purpose_subject_category_id_foreign" foreign key ("subject_category_id") references "subject_category" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "processing_activity_purposes" add constraint "processing_activity_purposes_processing_activity_id_foreign" foreign key ("processing_activity_id") references "processing_activity" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "processing_activity_purposes" add constraint "processing_activity_purposes_purpose_id_foreign" foreign key ("purpose_id") references "purpose" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "joint_use_arrangement_purposes" add constraint "joint_use_arrangement_purposes_joint_use_arrangement_id_foreign" foreign key ("joint_use_arrangement_id") references "joint_use_arrangement" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "joint_use_arrangement_purposes" add constraint "joint_use_arrangement_purposes_purpose_id_foreign" foreign key ("purpose_id") references "purpose" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "processing_activity_subject_categories" add constraint "processing_activity_subject_categories_processin_a1de6_foreign" foreign key ("processing_activity_id") references "processing_activity" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "processing_activity_subject_categories" add constraint "processing_activity_subject_categories_subject_c_52fb1_foreign" foreign key ("subject_category_id") references "subject_category" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "joint_use_arrangement_subject_categories" add constraint "joint_use_arrangement_subject_categories_joint_u_0424b_foreign" foreign key ("joint_use_arrangement_id") references "joint_use_arrangement" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "joint_use_arrangement_subject_categories" add constraint "joint_use_arrangement_subject_categories_subject_86136_foreign" foreign key ("subject_category_id") references "subject_category" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "dataset" add constraint "dataset_system_id_foreign" foreign key ("system_id") references "system" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "dataset" add constraint "dataset_storage_location_id_foreign" foreign key ("storage_location_id") references "storage_location" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "dataset" add constraint "dataset_processor_id_foreign" foreign key ("processor_id") references "processor" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "dataset_field" add constraint "dataset_field_dataset_id_foreign" foreign key ("dataset_id") references "dataset" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "dataset_field_data_categories" add constraint "dataset_field_data_categories_field_id_foreign" foreign key ("field_id") references "dataset_field" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "dataset_field_data_categories" add constraint "dataset_field_data_categories_data_category_id_foreign" foreign key ("data_category_id") references "data_category" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "dataset_activities" add constraint "dataset_activities_dataset_id_foreign" foreign key ("dataset_id") references "dataset" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "dataset_activities" add constraint "dataset_activities_processing_activity_id_foreign" foreign key ("processing_activity_id") references "processing_activity" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "third_party_recipient" add constraint "third_party_recipient_basis_id_foreign" foreign key ("basis_id") references "legal_basis" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "provision_record" add constraint "provision_record_recipient_id_foreign" foreign key ("recipient_id") references "third_party_recipient" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "provision_record" add constraint "provision_record_basis_id_foreign" foreign key ("basis_id") references "legal_basis" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "processing_activity_recipients" add constraint "processing_activity_recipients_processing_activity_id_foreign" foreign key ("processing_activity_id") references "processing_activity" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "processing_activity_recipients" add constraint "processing_activity_recipients_third_party_recipient_id_foreign" foreign key ("third_party_recipient_id") references "third_party_recipient" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "foreign_transfer" add constraint "foreign_transfer_processor_id_foreign" foreign key ("processor_id") references "processor" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "foreign_transfer" add constraint "foreign_transfer_joint_use_id_foreign" foreign key ("joint_use_id") references "joint_use_arrangement" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "foreign_transfer" add constraint "foreign_transfer_recipient_id_foreign" foreign key ("recipient_id") references "third_party_recipient" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "processing_activity_foreign_transfers" add constraint "processing_activity_foreign_transfers_processing_bf84d_foreign" foreign key ("processing_activity_id") references "processing_activity" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "processing_activity_foreign_transfers" add constraint "processing_activity_foreign_transfers_foreign_tr_d980d_foreign" foreign key ("foreign_transfer_id") references "foreign_transfer" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "foreign_transfer_data_categories" add constraint "foreign_transfer_data_categories_foreign_transfer_id_foreign" foreign key ("foreign_transfer_id") references "foreign_transfer" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "foreign_transfer_data_categories" add constraint "foreign_transfer_data_categories_data_category_id_foreign" foreign key ("data_category_id") references "data_category" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "data_category" drop constraint "data_category_parent_id_foreign";`);

    this.addSql(`alter table "joint_use_arrangement_data_categories" drop constraint "joint_use_arrangement_data_categories_data_category_id_foreign";`);

    this.addSql(`alter table "processing_activity_data_categories" drop constraint "processing_activity_data_categories_data_category_id_foreign";`);

    this.addSql(`alter table "dataset_field_data_categories" drop constraint "dataset_field_data_categories_data_category_id_foreign";`);

    this.addSql(`alter table "foreign_transfer_data_categories" drop constraint "foreign_transfer_data_categories_data_category_id_foreign";`);

    this.addSql(`alter table "joint_use_arrangement" drop constraint "joint_use_arrangement_legal_basis_id_foreign";`);

    this.addSql(`alter table "processing_activity_legal_bases" drop constraint "processing_activity_legal_bases_legal_basis_id_foreign";`);

    this.addSql(`alter table "third_party_recipient" drop constraint "third_party_recipient_basis_id_foreign";`);

    this.addSql(`alter table "provision_record" drop constraint "provision_record_basis_id_foreign";`);

    this.addSql(`alter table "joint_use_arrangement_data_categories" drop constraint "joint_use_arrangement_data_categories_joint_use__c1f0f_foreign";`);

    this.addSql(`alter table "processing_activity_joint_uses" drop constraint "processing_activity_joint_uses_joint_use_arrangement_id_foreign";`);

    this.addSql(`alter table "joint_use_arrangement_purposes" drop constraint "joint_use_arrangement_purposes_joint_use_arrangement_id_foreign";`);

    this.addSql(`alter table "joint_use_arrangement_subject_categories" drop constraint "joint_use_arrangement_subject_categories_joint_u_0424b_foreign";`);

    this.addSql(`alter table "foreign_transfer" drop constraint "foreign_transfer_joint_use_id_foreign";`);

    this.addSql(`alter table "processing_activity_legal_bases" drop constraint "processing_activity_legal_bases_processing_activity_id_foreign";`);

    this.addSql(`alter table "processing_activity_joint_uses" drop constraint "processing_activity_joint_uses_processing_activity_id_foreign";`);

    this.addSql(`alter table "processing_activity_data_categories" drop constraint "processing_activity_data_categories_processing_a_3e7aa_foreign";`);

    this.addSql(`alter table "processing_activity_processors" drop constraint "processing_activity_processors_processing_activity_id_foreign";`);

    this.addSql(`alter table "processing_activity_security_measures" drop constraint "processing_activity_security_measures_processing_5e3ba_foreign";`);

    this.addSql(`alter table "processing_activity_storage_locations" drop constraint "processing_activity_storage_locations_processing_c34a3_foreign";`);

    this.addSql(`alter table "processing_activity_purposes" drop constraint "processing_activity_purposes_processing_activity_id_foreign";`);

    this.addSql(`alter table "processing_activity_subject_categories" drop constraint "processing_activity_subject_categories_processin_a1de6_foreign";`);

    this.addSql(`alter table "dataset_activities" drop constraint "dataset_activities_processing_activity_id_foreign";`);

    this.addSql(`alter table "processing_activity_recipients" drop constraint "processing_activity_recipients_processing_activity_id_foreign";`);

    this.addSql(`alter table "processing_activity_foreign_transfers" drop constraint "processing_activity_foreign_transfers_processing_bf84d_foreign";`);

    this.addSql(`alter table "processing_activity_processors" drop constraint "processing_activity_processors_processor_id_foreign";`);

    this.addSql(`alter table "processor_sub_processors" drop constraint "processor_sub_processors_processor_id_foreign";`);

    this.addSql(`alter table "processor_sub_processors" drop constraint "processor_sub_processors_sub_processor_id_foreign";`);

    this.addSql(`alter table "processor_audit" drop constraint "processor_audit_processor_id_foreign";`);

    this.addSql(`alter table "storage_location" drop constraint "storage_location_hosting_processor_id_foreign";`);

    this.addSql(`alter table "dataset" drop constraint "dataset_processor_id_foreign";`);

    this.addSql(`alter table "foreign_transfer" drop constraint "foreign_transfer_processor_id_foreign";`);

    this.addSql(`alter table "processing_activity_security_measures" drop constraint "processing_activity_security_measures_security_m_e879c_foreign";`);

    this.addSql(`alter table "processing_activity_storage_locations" drop constraint "processing_activity_storage_locations_storage_lo_9a98d_foreign";`);

    this.addSql(`alter table "dataset" drop constraint "dataset_storage_location_id_foreign";`);

    this.addSql(`alter table "purpose" drop constraint "purpose_subject_category_id_foreign";`);

    this.addSql(`alter table "processing_activity_subject_categories" drop constraint "processing_activity_subject_categories_subject_c_52fb1_foreign";`);

    this.addSql(`alter table "joint_use_arrangement_subject_categories" drop constraint "joint_use_arrangement_subject_categories_subject_86136_foreign";`);

    this.addSql(`alter table "processing_activity_purposes" drop constraint "processing_activity_purposes_purpose_id_foreign";`);

    this.addSql(`alter table "joint_use_arrangement_purposes" drop constraint "joint_use_arrangement_purposes_purpose_id_foreign";`);

    this.addSql(`alter table "dataset" drop constraint "dataset_system_id_foreign";`);

    this.addSql(`alter table "dataset_field" drop constraint "dataset_field_dataset_id_foreign";`);

    this.addSql(`alter table "dataset_activities" drop constraint "dataset_activities_dataset_id_foreign";`);

    this.addSql(`alter table "dataset_field_data_categories" drop constraint "dataset_field_data_categories_field_id_foreign";`);

    this.addSql(`alter table "provision_record" drop constraint "provision_record_recipient_id_foreign";`);

    this.addSql(`alter table "processing_activity_recipients" drop constraint "processing_activity_recipients_third_party_recipient_id_foreign";`);

    this.addSql(`alter table "foreign_transfer" drop constraint "foreign_transfer_recipient_id_foreign";`);

    this.addSql(`alter table "processing_activity_foreign_transfers" drop constraint "processing_activity_foreign_transfers_foreign_tr_d980d_foreign";`);

    this.addSql(`alter table "foreign_transfer_data_categories" drop constraint "foreign_transfer_data_categories_foreign_transfer_id_foreign";`);

    this.addSql(`drop table if exists "country_assessment" cascade;`);

    this.addSql(`drop table if exists "data_category" cascade;`);

    this.addSql(`drop table if exists "legal_basis" cascade;`);

    this.addSql(`drop table if exists "joint_use_arrangement" cascade;`);

    this.addSql(`drop table if exists "joint_use_arrangement_data_categories" cascade;`);

    this.addSql(`drop table if exists "organization" cascade;`);

    this.addSql(`drop table if exists "processing_activity" cascade;`);

    this.addSql(`drop table if exists "processing_activity_legal_bases" cascade;`);

    this.addSql(`drop table if exists "processing_activity_joint_uses" cascade;`);

    this.addSql(`drop table if exists "processing_activity_data_categories" cascade;`);

    this.addSql(`drop table if exists "processor" cascade;`);

    this.addSql(`drop table if exists "processing_activity_processors" cascade;`);

    this.addSql(`drop table if exists "processor_sub_processors" cascade;`);

    this.addSql(`drop table if exists "processor_audit" cascade;`);

    this.addSql(`drop table if exists "security_measure" cascade;`);

    this.addSql(`drop table if exists "processing_activity_security_measures" cascade;`);

    this.addSql(`drop table if exists "storage_location" cascade;`);

    this.addSql(`drop table if exists "processing_activity_storage_locations" cascade;`);

    this.addSql(`drop table if exists "subject_category" cascade;`);

    this.addSql(`drop table if exists "purpose" cascade;`);

    this.addSql(`drop table if exists "processing_activity_purposes" cascade;`);

    this.addSql(`drop table if exists "joint_use_arrangement_purposes" cascade;`);

    this.addSql(`drop table if exists "processing_activity_subject_categories" cascade;`);

    this.addSql(`drop table if exists "joint_use_arrangement_subject_categories" cascade;`);

    this.addSql(`drop table if exists "system" cascade;`);

    this.addSql(`drop table if exists "dataset" cascade;`);

    this.addSql(`drop table if exists "dataset_field" cascade;`);

    this.addSql(`drop table if exists "dataset_field_data_categories" cascade;`);

    this.addSql(`drop table if exists "dataset_activities" cascade;`);

    this.addSql(`drop table if exists "third_party_recipient" cascade;`);

    this.addSql(`drop table if exists "provision_record" cascade;`);

    this.addSql(`drop table if exists "processing_activity_recipients" cascade;`);

    this.addSql(`drop table if exists "foreign_transfer" cascade;`);

    this.addSql(`drop table if exists "processing_activity_foreign_transfers" cascade;`);

    this.addSql(`drop table if exists "foreign_transfer_data_categories" cascade;`);
  }

}
