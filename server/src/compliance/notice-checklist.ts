import { Arg, Ctx, Field, ID, ObjectType, Query, Resolver } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { badInput } from '../graphql/errors.js';
import { LocalizedText } from '../graphql/localized-text.js';
import { DateTime } from '../graphql/scalars.js';
import { AuditOutcome } from '../audit/audit-event.entity.js';

type Operation = 'create' | 'update' | 'archive';

/**
 * Which audited changes of which record fields make a duty under the law. `fields` names the
 * snapshot keys of the audit trail (GraphQL field names, relation ids under their input names):
 * an update counts only when one of them differs between before and after, so a change of an
 * unrelated field (a joint use's display name) asks for nothing.
 */
interface Rule { entityType: string; operations: Operation[]; fields?: string[] }

interface ItemDef { code: string; label: LocalizedText; legalBasis: string; duty: LocalizedText; rules: Rule[] }

const ALL: Operation[] = ['create', 'update', 'archive'];

/** The law's announcement duties, in the order a privacy team works through them. */
export const NOTICE_CHECKLIST: ItemDef[] = [
  {
    code: 'JOINT_USE_SET_UP_OR_ENDED',
    label: { ja: '共同利用の開始・終了', en: 'Joint use set up or ended' },
    legalBasis: 'APPI Art. 27(5)(iii)',
    duty: { ja: '共同利用を始める前に、法定の事項を本人に通知し、又は本人が容易に知り得る状態に置く', en: 'Before the joint use starts, notify the persons of the statutory items or make them readily accessible' },
    rules: [{ entityType: 'JointUseArrangement', operations: ['create', 'archive'] }],
  },
  {
    code: 'JOINT_USE_USERS',
    label: { ja: '共同して利用する者の範囲の変更', en: 'Scope of joint users changed' },
    legalBasis: 'APPI Art. 27(5)(iii); PPC Guidelines (General) 3-6-3(3)',
    duty: { ja: '範囲の変更は原則として新たな共同利用となる。本人の同意の要否を確認し、変更前に通知又は公表する', en: 'A changed scope is in principle a new joint use: check whether consent is needed, and notify or publish before the change' },
    rules: [{ entityType: 'JointUseArrangement', operations: ['update'], fields: ['scope', 'parties', 'memberListUrl'] }],
  },
  {
    code: 'JOINT_USE_ITEMS',
    label: { ja: '共同して利用する個人データの項目の変更', en: 'Items of jointly used personal data changed' },
    legalBasis: 'APPI Art. 27(5)(iii); PPC Guidelines (General) 3-6-3(3)',
    duty: { ja: '項目の変更は原則として新たな共同利用となる。本人の同意の要否を確認し、変更前に通知又は公表する', en: 'Changed items are in principle a new joint use: check whether consent is needed, and notify or publish before the change' },
    rules: [{ entityType: 'JointUseArrangement', operations: ['update'], fields: ['itemsText', 'dataCategoryIds', 'subjectCategoryIds', 'acquisitionMethods'] }],
  },
  {
    code: 'JOINT_USE_PURPOSE',
    label: { ja: '共同利用の利用目的の変更', en: 'Purpose of a joint use changed' },
    legalBasis: 'APPI Art. 27(6)',
    duty: { ja: '変更前に本人に通知し、又は本人が容易に知り得る状態に置く', en: 'Notify the persons, or make it readily accessible, before the change' },
    rules: [{ entityType: 'JointUseArrangement', operations: ['update'], fields: ['purposeIds', 'rationale'] }],
  },
  {
    code: 'JOINT_USE_RESPONSIBLE',
    label: { ja: '共同利用の管理責任者の変更', en: 'Person responsible for a joint use changed' },
    legalBasis: 'APPI Art. 27(6)',
    duty: { ja: '氏名・名称・住所・代表者は遅滞なく、責任者そのものの変更は変更前に、通知又は容易に知り得る状態に置く', en: 'Name, address or representative: without delay; a different responsible person: before the change — notify or make readily accessible' },
    rules: [{ entityType: 'JointUseArrangement', operations: ['update'], fields: ['responsibleManager'] }],
  },
  {
    code: 'PURPOSE_OF_USE',
    label: { ja: '利用目的の変更', en: 'Purpose of use changed' },
    legalBasis: 'APPI Art. 17(2), Art. 21(3)',
    duty: { ja: '変更は変更前の目的と関連性を有する範囲に限る。変更後の目的を本人に通知し、又は公表する', en: 'Keep the change within what is reasonably related to the former purpose; notify the persons of the changed purpose or publish it' },
    rules: [
      { entityType: 'Purpose', operations: ['create', 'archive'] },
      { entityType: 'Purpose', operations: ['update'], fields: ['text', 'subjectScope', 'subjectCategoryId'] },
      { entityType: 'ProcessingActivity', operations: ['update'], fields: ['purposeIds'] },
    ],
  },
  {
    code: 'FOREIGN_TRANSFER',
    label: { ja: '外国にある第三者への提供の変更', en: 'Provision to third parties in foreign countries changed' },
    legalBasis: 'APPI Art. 28; PPC Rules Art. 17, 18',
    duty: { ja: '同意取得時の情報提供（国名・制度・措置）、相当措置の継続的確保、求めに応じた情報提供の内容を見直す', en: 'Review the information given when consent is sought (country, its regime, the measures), the continued equivalent measures and what is told on request' },
    rules: [
      { entityType: 'ForeignTransfer', operations: ALL },
      { entityType: 'CountryAssessment', operations: ['update'], fields: ['regime', 'publishedName', 'governmentAccessLaws', 'impediments'] },
    ],
  },
  {
    code: 'THIRD_PARTY_PROVISION',
    label: { ja: '第三者提供先の変更', en: 'Third-party recipients changed' },
    legalBasis: 'APPI Art. 27(1)–(3)',
    duty: { ja: '同意の範囲を確認する。オプトアウトによる提供では、変更前に本人に通知又は容易に知り得る状態に置き、個人情報保護委員会に届け出る', en: 'Check the consent covers it; for an opt-out provision, notify or make readily accessible before the change and file it with the PPC' },
    rules: [{ entityType: 'ThirdPartyRecipient', operations: ALL }],
  },
  {
    code: 'REQUEST_PROCEDURE',
    label: { ja: '開示等の請求手続・苦情の申出先の変更', en: 'Request procedure or complaint contact changed' },
    legalBasis: 'APPI Art. 32(1)(iii)–(iv), Art. 37; Cabinet Order Art. 10',
    duty: { ja: '本人の知り得る状態（本人の求めに応じて遅滞なく回答する場合を含む）に置く内容を更新する', en: 'Update what is kept accessible to the persons (including answering without delay on request)' },
    rules: [{ entityType: 'Organization', operations: ['update'], fields: ['requestProcedure', 'contactDesks', 'complaintContact'] }],
  },
  {
    code: 'OPERATOR_IDENTITY',
    label: { ja: '事業者の名称・住所・代表者の変更', en: "Operator's name, address or representative changed" },
    legalBasis: 'APPI Art. 32(1)(i)',
    duty: { ja: '本人の知り得る状態に置く内容を更新する（共同利用の管理責任者である場合は法第27条第6項も）', en: 'Update what is kept accessible to the persons (and Art. 27(6) where the operator is a joint use\'s responsible person)' },
    rules: [{ entityType: 'Organization', operations: ['update'], fields: ['name', 'address', 'postalCode', 'representative'] }],
  },
  {
    code: 'SECURITY_MEASURES',
    label: { ja: '安全管理措置・外的環境の把握の変更', en: 'Security measures or foreign storage changed' },
    legalBasis: 'APPI Art. 32(1)(iv); Cabinet Order Art. 10(i)',
    duty: { ja: '講じた安全管理措置（外国で保管する場合はその国名と制度を含む）の記載を更新する', en: 'Update the statement of the security measures taken (with the country and its regime where data is stored abroad)' },
    rules: [
      { entityType: 'SecurityMeasure', operations: ALL },
      { entityType: 'StorageLocation', operations: ['create', 'archive'] },
      { entityType: 'StorageLocation', operations: ['update'], fields: ['country', 'providerCountry', 'isProvision'] },
    ],
  },
];

@ObjectType({ simpleResolvers: true, description: 'An audited change behind a checklist item.' })
export class NoticeChecklistEvent {
  @Field(() => ID) id!: string;
  @Field() at!: Date;
  @Field() entityType!: string;
  @Field(() => String, { nullable: true }) entityId!: string | null;
  @Field(() => String, { nullable: true, description: 'Code of the record then (after the change, or before it when archived).' }) entityCode!: string | null;
  @Field({ description: 'GraphQL operation field, e.g. updateJointUseArrangement.' }) operation!: string;
  @Field(() => [String], { description: 'The fields of the item that changed (empty for a creation or an archival).' }) fields!: string[];
}

@ObjectType({ simpleResolvers: true, description: 'Something that must be announced, notified or filed because of changes since a time.' })
export class NoticeChecklistItem {
  @Field({ description: 'Stable code of the item.' }) code!: string;
  @Field(() => LocalizedText) label!: LocalizedText;
  @Field({ description: 'The law that makes it a duty.' }) legalBasis!: string;
  @Field(() => LocalizedText, { description: 'What must be done.' }) duty!: LocalizedText;
  @Field({ description: 'True when at least one event calls for it.' }) required!: boolean;
  @Field(() => [NoticeChecklistEvent], { description: 'The audited changes behind it, oldest first.' }) events!: NoticeChecklistEvent[];
}

/**
 * One statement for the whole catalogue: the rules go in as a JSON parameter and are joined with
 * the audit trail, so the cost does not grow with the number of items.
 */
export async function noticeChecklist(ctx: Context, since: Date, until?: Date): Promise<NoticeChecklistItem[]> {
  const rules = NOTICE_CHECKLIST.flatMap((item) => item.rules.map((r) => ({ item: item.code, entity_type: r.entityType, ops: r.operations, fields: r.fields ?? null })));
  const { rows } = await ctx.db.pool.query<{ item: string; id: string; at: Date; entity_type: string; entity_id: string | null; entity_code: string | null; operation: string; fields: string[] }>(
    `with rule as (select * from jsonb_to_recordset($1::jsonb) as x("item" text, "entity_type" text, "ops" text[], "fields" text[]))
     select r."item", e."id"::text as "id", e."at", e."entity_type", e."entity_id", e."operation",
       coalesce(e."after" ->> 'code', e."before" ->> 'code') as "entity_code",
       coalesce(array(select f from unnest(r."fields") f where e."before" -> f is distinct from e."after" -> f), '{}') as "fields"
     from "audit_event" e
     join rule r on r."entity_type" = e."entity_type" and substring(e."operation" from '^(create|update|archive)') = any(r."ops")
     where e."outcome" = $2 and e."at" >= $3 and ($4::timestamptz is null or e."at" < $4)
       and e."entity_type" = any($5)
       and (r."fields" is null or exists (select 1 from unnest(r."fields") f where e."before" -> f is distinct from e."after" -> f))
     order by e."at", e."id"`,
    [JSON.stringify(rules), AuditOutcome.SUCCESS, since, until ?? null, [...new Set(rules.map((r) => r.entity_type))]],
  );
  return NOTICE_CHECKLIST.map((item) => {
    const events = rows.filter((r) => r.item === item.code).map((r) => ({ id: r.id, at: r.at, entityType: r.entity_type, entityId: r.entity_id, entityCode: r.entity_code, operation: r.operation, fields: r.fields }));
    return { code: item.code, label: item.label, legalBasis: item.legalBasis, duty: item.duty, required: events.length > 0, events };
  });
}

@Resolver()
export class NoticeChecklistQueries {
  @Query(() => [NoticeChecklistItem], {
    description: 'What must be announced, notified or filed because of the audited changes since a time (until another, exclusive): joint use (APPI Art. 27(5)(iii), 27(6)), purposes of use (Art. 17(2), 21(3)), foreign transfers (Art. 28), third-party provision, the request procedure and the other Art. 32 items — every item of the catalogue, each with the audit events behind it.',
  })
  noticeChangeChecklist(
    @Arg('since', () => DateTime) since: Date,
    @Arg('until', () => DateTime, { nullable: true, description: 'Exclusive end; now when absent.' }) until: Date | undefined,
    @Ctx() ctx: Context,
  ): Promise<NoticeChecklistItem[]> {
    if (until && until <= since) throw badInput([{ path: 'until', message: 'until must be after since' }]);
    return noticeChecklist(ctx, since, until ?? undefined);
  }
}
