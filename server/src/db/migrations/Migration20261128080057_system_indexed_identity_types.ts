import { Migration } from '@mikro-orm/migrations';

export class Migration20261128080057_system_indexed_identity_types extends Migration {

  override async up(): Promise<void> {

    this.addSql(`alter table "system" add column "indexed_identity_types" jsonb not null default '[]';`);
  }

  override async down(): Promise<void> {

    this.addSql(`alter table "system" drop column "indexed_identity_types";`);
  }

}
