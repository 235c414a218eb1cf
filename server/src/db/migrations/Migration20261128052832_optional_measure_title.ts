import { Migration } from '@mikro-orm/migrations';

export class Migration20261128052832_optional_measure_title extends Migration {

  override async up(): Promise<void> {

    this.addSql(`alter table "security_measure" alter column "category" drop not null, alter column "title" drop not null;`);
  }

  override async down(): Promise<void> {

    this.addSql(`alter table "security_measure" alter column "category" set not null, alter column "title" set not null;`);
  }

}
