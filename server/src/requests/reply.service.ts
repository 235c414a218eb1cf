import { createHash } from 'node:crypto';
import type pg from 'pg';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { badInput, notFound, parseId } from '../graphql/errors.js';
import { ResponseMethod } from '../graphql/enums.js';
import { settings } from '../graphql/settings.js';
import { forbidden } from '../auth/policy.js';
import { inTransaction } from '../db/transaction.js';
import { appendAuditEvents } from '../audit/audit-log.js';
import { AuditOutcome } from '../audit/audit-event.entity.js';
import type { Row } from '../graphql/loaders.js';
import { ReportFormat, ReportLanguage } from './request.types.js';
import { RequestStatus } from './request.entity.js';
import { renderDisclosure } from './disclosure-report.js';
import { resolutionOf } from './request.resolver.js';

export enum ReplyStatus { DRAFT = 'DRAFT', APPROVED = 'APPROVED', SENT = 'SENT' }
registerEnumType(ReplyStatus, { name: 'ReplyStatus', description: 'DRAFT until a PRIVACY_ADMIN other than the drafter approves it; SENT once it has gone out.' });

@ObjectType({ simpleResolvers: true, description: 'The reply letter of a request under review; once approved, the stored document is what is sent.' })
export class RequestReply {
  @Field(() => ReplyStatus) status!: ReplyStatus;
  @Field(() => ReportLanguage) language!: ReportLanguage;
  @Field() draftedBy!: string;
  @Field() draftedAt!: Date;
  @Field(() => String, { nullable: true }) approvedBy?: string | null;
  @Field(() => Date, { nullable: true }) approvedAt?: Date | null;
  @Field(() => String, { nullable: true }) sentBy?: string | null;
  @Field(() => Date, { nullable: true }) sentAt?: Date | null;
  @Field(() => ResponseMethod, { nullable: true, description: 'How it was sent.' }) method?: ResponseMethod | null;
  @Field(() => String, { nullable: true, description: 'SHA-256 of the approved Markdown and HTML.' }) contentHash?: string | null;
  @Field(() => String, { nullable: true, description: 'The approved document (Markdown); empty while a draft.' }) markdown?: string | null;
  @Field(() => String, { nullable: true, description: 'The approved document (HTML, A4 print); empty while a draft.' }) html?: string | null;
}

@InputType()
export class DraftReplyInput {
  @Field(() => ID) requestId!: string;
  @Field(() => ReportLanguage, { description: 'The language the person is answered in.' }) language!: ReportLanguage;
}

@InputType()
export class ApproveReplyInput {
  @Field(() => ID) requestId!: string;
}

@InputType()
export class MarkReplySentInput {
  @Field(() => ID) requestId!: string;
  @Field(() => ResponseMethod) method!: ResponseMethod;
  @Field(() => Date, { nullable: true, description: 'When it went out (default now).' }) sentAt?: Date | null;
}

export const REPLY_COLUMNS = `"status", "language", "drafted_by" as "draftedBy", "drafted_at" as "draftedAt", "approved_by" as "approvedBy", "approved_at" as "approvedAt",
  "sent_by" as "sentBy", "sent_at" as "sentAt", "method", "content_hash" as "contentHash", "markdown", "html"`;

async function step(c: pg.PoolClient, ctx: Context, id: number, kind: string, note: string | null, operation: string, before: unknown, after: unknown): Promise<void> {
  await c.query(`insert into "request_event" ("request_id", "actor", "kind", "note") values ($1, $2, $3, $4)`, [id, ctx.principal.sub, kind, note]);
  await appendAuditEvents(c, ctx.principal, ctx.requestId, [{ operation, outcome: AuditOutcome.SUCCESS, entityType: 'DataSubjectRequest', entityId: id, before, after }]);
}

/** The request row (locked) and its reply row, if any. */
async function lockRequest(c: pg.PoolClient, ctx: Context, raw: string): Promise<{ request: Row; reply: (RequestReply & { contentHash: string | null }) | null }> {
  const id = parseId(raw, 'DataSubjectRequest', 'input.requestId');
  const m = ctx.loaders.model;
  const { rows } = await c.query(`select ${m.select('DataSubjectRequest')} from ${m.table('DataSubjectRequest')} t where t."id" = $1 for update`, [id]);
  if (!rows[0]) throw notFound('DataSubjectRequest', raw, 'input.requestId');
  const { rows: reply } = await c.query(`select ${REPLY_COLUMNS} from "request_reply" where "request_id" = $1`, [id]);
  return { request: rows[0] as Row, reply: (reply[0] as RequestReply & { contentHash: string | null }) ?? null };
}

/** Starts (or restarts) the reply as a draft; a sent reply is final. */
export async function draftReply(ctx: Context, input: DraftReplyInput): Promise<number> {
  return inTransaction(ctx.db.writePool, async (c) => {
    const { request, reply } = await lockRequest(c, ctx, input.requestId);
    if (reply?.status === ReplyStatus.SENT) throw badInput([{ path: 'input.requestId', message: 'the reply has been sent; it is part of the evidence and cannot be redrafted' }]);
    const id = Number(request.id);
    await c.query(
      `insert into "request_reply" ("request_id", "status", "language", "drafted_by") values ($1, 'DRAFT', $2, $3)
       on conflict ("request_id") do update set "status" = 'DRAFT', "language" = excluded."language", "drafted_by" = excluded."drafted_by", "drafted_at" = now(),
         "approved_by" = null, "approved_at" = null, "markdown" = null, "html" = null, "content_hash" = null`,
      [id, input.language, ctx.principal.sub],
    );
    await step(c, ctx, id, 'REPLY_DRAFTED', input.language, 'draftReply', reply ? { status: reply.status, language: reply.language } : null, { status: ReplyStatus.DRAFT, language: input.language });
    return id;
  });
}

/**
 * A PRIVACY_ADMIN approves the draft — not the person who drafted it unless the four-eyes rule is
 * off — once the request is decided; the document is rendered from the frozen resolution and stored.
 */
export async function approveReply(ctx: Context, input: ApproveReplyInput): Promise<number> {
  return inTransaction(ctx.db.writePool, async (c) => {
    const { request, reply } = await lockRequest(c, ctx, input.requestId);
    if (!reply || reply.status !== ReplyStatus.DRAFT) throw badInput([{ path: 'input.requestId', message: reply ? `the reply is ${reply.status}, not a draft` : 'no reply has been drafted (draftReply)' }]);
    if (request.status !== RequestStatus.COMPLETED && request.status !== RequestStatus.REFUSED) {
      throw badInput([{ path: 'input.requestId', message: `the request is ${String(request.status)}: complete or refuse it first, so that the reply states the outcome` }]);
    }
    if (settings().replyFourEyes && reply.draftedBy === ctx.principal.sub) throw forbidden('four-eyes rule: the reply must be approved by a privacy admin other than the person who drafted it');
    const resolution = await resolutionOf(ctx, request);
    const language = reply.language as ReportLanguage;
    const markdown = await renderDisclosure(ctx, request, resolution, language, ReportFormat.MARKDOWN);
    const html = await renderDisclosure(ctx, request, resolution, language, ReportFormat.HTML);
    const hash = createHash('sha256').update(markdown).update('\0').update(html).digest('hex');
    await c.query(
      `update "request_reply" set "status" = 'APPROVED', "approved_by" = $2, "approved_at" = now(), "markdown" = $3, "html" = $4, "content_hash" = $5 where "request_id" = $1`,
      [Number(request.id), ctx.principal.sub, markdown, html, hash],
    );
    await step(c, ctx, Number(request.id), 'REPLY_APPROVED', hash, 'approveReply', { status: reply.status }, { status: ReplyStatus.APPROVED, contentHash: hash });
    return Number(request.id);
  });
}

/** Records that the approved reply went out, when and how. */
export async function markReplySent(ctx: Context, input: MarkReplySentInput): Promise<number> {
  return inTransaction(ctx.db.writePool, async (c) => {
    const { request, reply } = await lockRequest(c, ctx, input.requestId);
    if (!reply || reply.status !== ReplyStatus.APPROVED) throw badInput([{ path: 'input.requestId', message: reply ? `the reply is ${reply.status}; only an approved reply is sent` : 'no reply has been drafted (draftReply)' }]);
    const sentAt = input.sentAt ?? new Date();
    if (sentAt.getTime() > Date.now() + 60_000) throw badInput([{ path: 'input.sentAt', message: 'cannot be in the future' }]);
    await c.query(`update "request_reply" set "status" = 'SENT', "sent_by" = $2, "sent_at" = $3, "method" = $4 where "request_id" = $1`, [Number(request.id), ctx.principal.sub, sentAt, input.method]);
    await step(c, ctx, Number(request.id), 'REPLY_SENT', input.method, 'markReplySent', { status: reply.status }, { status: ReplyStatus.SENT, method: input.method, sentAt: sentAt.toISOString(), contentHash: reply.contentHash });
    return Number(request.id);
  });
}
