import { Migration } from '@mikro-orm/migrations';

export class Migration20261125181211_transfer_statement_items extends Migration {

  override async up(): Promise<void> {

    this.addSql(`alter table "foreign_transfer" add column "measures_outline" jsonb null, add column "implementation_problems" jsonb null;`);
  }

  override async down(): Promise<void> {

    this.addSql(`alter table "foreign_transfer" drop column "measures_outline", drop column "implementation_problems";`);
  }

}
