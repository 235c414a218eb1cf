import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';

export enum AuditOutcome { SUCCESS = 'SUCCESS', DENIED = 'DENIED' }
registerEnumType(AuditOutcome, { name: 'AuditOutcome', description: 'Whether the audited attempt was carried out or refused.' });

/**
 * One audited write (or refused attempt). Append-only: a trigger in the migrations makes
 * PostgreSQL refuse UPDATE, DELETE and TRUNCATE on this table.
 */
@ObjectType({ simpleResolvers: true, description: 'An entry of the append-only audit trail.' })
@Entity()
@Index({ properties: ['entityType', 'entityId'] })
@Index({ properties: ['actorSub', 'at'] })
export class AuditEvent {
  @Field(() => ID)
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Field({ description: 'Server time of the event.' })
  @Property({ columnType: 'timestamptz', defaultRaw: 'now()', index: true })
  at: Date = new Date();

  @Field({ description: 'Token subject of the caller.' })
  @Property({ type: 'text' })
  actorSub!: string;

  @Field(() => [String])
  @Property({ type: 'json', default: '[]' })
  actorRoles: string[] = [];

  @Field(() => String, { nullable: true, description: 'System an INTEGRATION token acts for.' })
  @Property({ type: 'text', nullable: true })
  actorSystem?: string | null;

  @Field({ description: 'GraphQL operation field, e.g. updateProcessor.' })
  @Property({ type: 'text' })
  operation!: string;

  @Field(() => AuditOutcome)
  @Enum({ items: () => AuditOutcome })
  outcome!: AuditOutcome;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  entityType?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  entityId?: string | null;

  @Field(() => GraphQLJSON, { nullable: true, description: 'The record before the change.' })
  @Property({ type: 'json', nullable: true })
  before?: unknown;

  @Field(() => GraphQLJSON, { nullable: true, description: 'The record after the change.' })
  @Property({ type: 'json', nullable: true })
  after?: unknown;

  @Field(() => String, { nullable: true, description: 'Why an attempt was refused.' })
  @Property({ type: 'text', nullable: true })
  reason?: string | null;

  @Field({ description: 'Request id (also in the logs and the x-request-id header).' })
  @Property({ type: 'text' })
  requestId!: string;
}
