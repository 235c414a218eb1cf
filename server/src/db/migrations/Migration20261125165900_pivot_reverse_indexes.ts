import { Migration } from '@mikro-orm/migrations';

/**
 * Indexes MikroORM does not derive from the entities: the reverse column of every pivot table
 * (its primary key only serves lookups from the owning side; loaders and filters go both ways).
 * Named `*_rev_index`: the migration-drift test knows these are hand-managed.
 */
export class Migration20261125165900_pivot_reverse_indexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "dataset_activities_rev_index" on "dataset_activities" ("processing_activity_id", "dataset_id");`);
    this.addSql(`create index "dataset_field_data_categories_rev_index" on "dataset_field_data_categories" ("data_category_id", "field_id");`);
    this.addSql(`create index "foreign_transfer_data_categories_rev_index" on "foreign_transfer_data_categories" ("data_category_id", "foreign_transfer_id");`);
    this.addSql(`create index "joint_use_arrangement_data_categories_rev_index" on "joint_use_arrangement_data_categories" ("data_category_id", "joint_use_arrangement_id");`);
    this.addSql(`create index "joint_use_arrangement_purposes_rev_index" on "joint_use_arrangement_purposes" ("purpose_id", "joint_use_arrangement_id");`);
    this.addSql(`create index "joint_use_arrangement_subject_categories_rev_index" on "joint_use_arrangement_subject_categories" ("subject_category_id", "joint_use_arrangement_id");`);
    this.addSql(`create index "processing_activity_data_categories_rev_index" on "processing_activity_data_categories" ("data_category_id", "processing_activity_id");`);
    this.addSql(`create index "processing_activity_foreign_transfers_rev_index" on "processing_activity_foreign_transfers" ("foreign_transfer_id", "processing_activity_id");`);
    this.addSql(`create index "processing_activity_joint_uses_rev_index" on "processing_activity_joint_uses" ("joint_use_arrangement_id", "processing_activity_id");`);
    this.addSql(`create index "processing_activity_legal_bases_rev_index" on "processing_activity_legal_bases" ("legal_basis_id", "processing_activity_id");`);
    this.addSql(`create index "processing_activity_processors_rev_index" on "processing_activity_processors" ("processor_id", "processing_activity_id");`);
    this.addSql(`create index "processing_activity_purposes_rev_index" on "processing_activity_purposes" ("purpose_id", "processing_activity_id");`);
    this.addSql(`create index "processing_activity_recipients_rev_index" on "processing_activity_recipients" ("third_party_recipient_id", "processing_activity_id");`);
    this.addSql(`create index "processing_activity_security_measures_rev_index" on "processing_activity_security_measures" ("security_measure_id", "processing_activity_id");`);
    this.addSql(`create index "processing_activity_storage_locations_rev_index" on "processing_activity_storage_locations" ("storage_location_id", "processing_activity_id");`);
    this.addSql(`create index "processing_activity_subject_categories_rev_index" on "processing_activity_subject_categories" ("subject_category_id", "processing_activity_id");`);
    this.addSql(`create index "processor_sub_processors_rev_index" on "processor_sub_processors" ("sub_processor_id", "processor_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "dataset_activities_rev_index";`);
    this.addSql(`drop index if exists "dataset_field_data_categories_rev_index";`);
    this.addSql(`drop index if exists "foreign_transfer_data_categories_rev_index";`);
    this.addSql(`drop index if exists "joint_use_arrangement_data_categories_rev_index";`);
    this.addSql(`drop index if exists "joint_use_arrangement_purposes_rev_index";`);
    this.addSql(`drop index if exists "joint_use_arrangement_subject_categories_rev_index";`);
    this.addSql(`drop index if exists "processing_activity_data_categories_rev_index";`);
    this.addSql(`drop index if exists "processing_activity_foreign_transfers_rev_index";`);
    this.addSql(`drop index if exists "processing_activity_joint_uses_rev_index";`);
    this.addSql(`drop index if exists "processing_activity_legal_bases_rev_index";`);
    this.addSql(`drop index if exists "processing_activity_processors_rev_index";`);
    this.addSql(`drop index if exists "processing_activity_purposes_rev_index";`);
    this.addSql(`drop index if exists "processing_activity_recipients_rev_index";`);
    this.addSql(`drop index if exists "processing_activity_security_measures_rev_index";`);
    this.addSql(`drop index if exists "processing_activity_storage_locations_rev_index";`);
    this.addSql(`drop index if exists "processing_activity_subject_categories_rev_index";`);
    this.addSql(`drop index if exists "processor_sub_processors_rev_index";`);
  }
}
