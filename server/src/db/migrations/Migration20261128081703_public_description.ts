import { Migration } from '@mikro-orm/migrations';

export class Migration20261128081703_public_description extends Migration {

  override async up(): Promise<void> {

    this.addSql(`alter table "system" add column "public_description" jsonb null;`);

    this.addSql(`alter table "dataset" add column "public_description" jsonb null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "dataset" drop column "public_description";`);

    this.addSql(`alter table "system" drop column "public_description";`);
  }

}
