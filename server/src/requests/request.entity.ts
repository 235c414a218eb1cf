import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Framework, IdentityType, RequestChannelKind, ResponseMethod } from '../graphql/enums.js';
import { LocalDate } from '../graphql/scalars.js';
import { RefusalGroundCodeScalar } from './refusal-ground-code.js';

export enum RequestType {
  NOTIFY_PURPOSE = 'NOTIFY_PURPOSE',
  DISCLOSE = 'DISCLOSE',
  DISCLOSE_PROVISION_RECORDS = 'DISCLOSE_PROVISION_RECORDS',
  CORRECT = 'CORRECT',
  ADD = 'ADD',
  DELETE = 'DELETE',
  STOP_USE = 'STOP_USE',
  ERASE = 'ERASE',
  STOP_THIRD_PARTY_PROVISION = 'STOP_THIRD_PARTY_PROVISION',
  ACCESS = 'ACCESS',
  RECTIFY = 'RECTIFY',
  RESTRICT = 'RESTRICT',
  PORT = 'PORT',
  OBJECT = 'OBJECT',
}
export const APPI_TYPES = new Set<RequestType>([
  RequestType.NOTIFY_PURPOSE, RequestType.DISCLOSE, RequestType.DISCLOSE_PROVISION_RECORDS, RequestType.CORRECT, RequestType.ADD,
  RequestType.DELETE, RequestType.STOP_USE, RequestType.ERASE, RequestType.STOP_THIRD_PARTY_PROVISION,
]);
export const GDPR_TYPES = new Set<RequestType>([RequestType.ACCESS, RequestType.RECTIFY, RequestType.ERASE, RequestType.RESTRICT, RequestType.PORT, RequestType.OBJECT]);

export enum RequestStatus {
  RECEIVED = 'RECEIVED',
  VERIFYING = 'VERIFYING',
  IN_PROGRESS = 'IN_PROGRESS',
  COMPLETED = 'COMPLETED',
  REFUSED = 'REFUSED',
  WITHDRAWN = 'WITHDRAWN',
}
export enum RequesterKind { SELF = 'SELF', AGENT = 'AGENT' }

registerEnumType(RequestType, { name: 'RequestType', description: 'APPI: NOTIFY_PURPOSE … STOP_THIRD_PARTY_PROVISION; GDPR: ACCESS, RECTIFY, ERASE, RESTRICT, PORT, OBJECT.' });
registerEnumType(RequestStatus, { name: 'RequestStatus', description: 'RECEIVED → VERIFYING → IN_PROGRESS → COMPLETED | REFUSED | WITHDRAWN.' });
registerEnumType(RequesterKind, { name: 'RequesterKind', description: 'The person, or an agent acting for them.' });

/**
 * A data-subject request. Its identities are kept only as HMACs (in their own table); the reply
 * contact is personal data, visible to the privacy team only and erased after the request closes.
 */
@ObjectType({ simpleResolvers: true, description: 'A data-subject request and its handling.' })
@Entity()
@Index({ properties: ['status', 'dueAt'] })
export class DataSubjectRequest {
  @Field(() => ID)
  @PrimaryKey({ autoincrement: true })
  id!: number;

  @Field(() => Int)
  @Property({ version: true })
  version!: number;

  @Field({ description: 'Human reference, e.g. DSR-2026-000123.' })
  @Property({ length: 40, unique: true })
  reference!: string;

  @Field(() => Framework)
  @Enum({ items: () => Framework })
  framework!: Framework;

  @Field(() => RequestType)
  @Enum({ items: () => RequestType })
  type!: RequestType;

  @Field(() => RequestStatus)
  @Enum({ items: () => RequestStatus, index: true })
  status: RequestStatus = RequestStatus.RECEIVED;

  @Field(() => RequestChannelKind)
  @Enum({ items: () => RequestChannelKind })
  channel!: RequestChannelKind;

  @Field(() => RequesterKind)
  @Enum({ items: () => RequesterKind })
  requesterKind: RequesterKind = RequesterKind.SELF;

  @Field(() => String, { nullable: true, description: 'The agent filing for the person (privacy team only; each read is recorded in the audit trail).' })
  @Property({ type: 'text', nullable: true })
  agentName?: string | null;

  @Field(() => ResponseMethod, { description: 'ELECTRONIC means an email attachment, as the notice says.' })
  @Enum({ items: () => ResponseMethod })
  responseMethod!: ResponseMethod;

  @Field(() => String, { nullable: true, description: 'Where to send the reply (privacy team only; erased after closing; each read is recorded in the audit trail).' })
  @Property({ type: 'text', nullable: true })
  contact?: string | null;

  @Field(() => Date, { nullable: true })
  @Property({ columnType: 'timestamptz', nullable: true })
  contactErasedAt?: Date | null;

  @Field(() => [String], { description: 'Codes of the subject categories the requester claims.' })
  @Property({ type: 'json', default: '[]' })
  claimedSubjectCategoryCodes: string[] = [];

  @Field(() => [IdentityType], { description: 'Identity types given (the values are kept only as HMACs).' })
  @Property({ type: 'json', default: '[]' })
  identityTypes: IdentityType[] = [];

  @Field()
  @Property({ columnType: 'timestamptz', defaultRaw: 'now()' })
  receivedAt: Date = new Date();

  @Field(() => LocalDate, { description: 'Due date by policy (GDPR one month, extendable; APPI the organization target).' })
  @Property({ type: 'date' })
  dueAt!: string;

  @Field(() => String, { nullable: true, description: 'Why the due date was extended (GDPR Art. 12(3)).' })
  @Property({ type: 'text', nullable: true })
  extensionReason?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  verificationMethod?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  verifiedBy?: string | null;

  @Field(() => Date, { nullable: true })
  @Property({ columnType: 'timestamptz', nullable: true })
  verifiedAt?: Date | null;

  @Field(() => RefusalGroundCodeScalar, { nullable: true, description: "Code of the organization's ground it was refused on (see refusal for the record)." })
  @Property({ type: 'text', nullable: true })
  refusalGround?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  refusalReason?: string | null;

  @Field(() => Date, { nullable: true })
  @Property({ columnType: 'timestamptz', nullable: true })
  closedAt?: Date | null;

  /** The resolution frozen as evidence when the request completed or was refused. */
  @Property({ type: 'json', nullable: true })
  frozenResolution?: unknown;

  @Property({ columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ columnType: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

/** One identity of a request, as HMAC-SHA256 of its normalized value (never the value). */
@Entity()
@Index({ properties: ['identityType', 'hash'] })
export class RequestIdentity {
  @ManyToOne({ entity: 'DataSubjectRequest', primary: true, deleteRule: 'cascade' })
  request!: Rel<DataSubjectRequest>;

  @Enum({ items: () => IdentityType, primary: true })
  identityType!: IdentityType;

  @PrimaryKey({ type: 'blob' })
  hash!: Buffer;
}

/** A step on a request's timeline. */
@ObjectType({ simpleResolvers: true, description: 'A step on the timeline of a request.' })
@Entity()
export class RequestEvent {
  @Field(() => ID)
  @PrimaryKey({ autoincrement: true })
  id!: number;

  @ManyToOne({ entity: 'DataSubjectRequest', deleteRule: 'cascade', index: true })
  request!: Rel<DataSubjectRequest>;

  @Field()
  @Property({ columnType: 'timestamptz', defaultRaw: 'now()' })
  at: Date = new Date();

  @Field({ description: 'Token subject of who took the step.' })
  @Property({ type: 'text' })
  actor!: string;

  @Field({ description: 'CREATED, TRANSITION, VERIFIED or EXTENDED.' })
  @Property({ type: 'text' })
  kind!: string;

  @Field(() => RequestStatus, { nullable: true })
  @Enum({ items: () => RequestStatus, nullable: true })
  fromStatus?: RequestStatus | null;

  @Field(() => RequestStatus, { nullable: true })
  @Enum({ items: () => RequestStatus, nullable: true })
  toStatus?: RequestStatus | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  note?: string | null;
}
