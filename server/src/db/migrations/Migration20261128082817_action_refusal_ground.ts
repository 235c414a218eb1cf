import { Migration } from '@mikro-orm/migrations';

export class Migration20261128082817_action_refusal_ground extends Migration {

  override async up(): Promise<void> {

    this.addSql(`alter table "request_action_state" add column "refusal_ground" text null;`);
  }

  override async down(): Promise<void> {

    this.addSql(`alter table "request_action_state" drop column "refusal_ground";`);
  }

}
