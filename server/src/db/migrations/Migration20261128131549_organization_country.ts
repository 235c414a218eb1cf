import { Migration } from '@mikro-orm/migrations';

export class Migration20261128131549_organization_country extends Migration {

  override async up(): Promise<void> {
    // Until now every organization was taken to be in Japan, so existing rows keep that.
    this.addSql(`alter table "organization" add column "country" varchar(2) not null default 'JP';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "organization" drop column "country";`);
  }

}
