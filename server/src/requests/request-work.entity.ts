import { Entity, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import type { DataSubjectRequest } from './request.entity.js';
import type { Dataset } from '../systems/dataset.entity.js';
import type { ProcessingActivity } from '../inventory/processing-activity.entity.js';

/** A finding of the privacy team: who found the person's data HELD somewhere or NOT_HELD, when, and how. */
abstract class HoldingFinding {
  /** HELD or NOT_HELD. */
  @Property({ type: 'text' })
  holding!: string;

  @Property({ type: 'text', nullable: true })
  note?: string | null;

  @Property({ type: 'text' })
  confirmedBy!: string;

  @Property({ columnType: 'timestamptz', defaultRaw: 'now()' })
  confirmedAt: Date = new Date();
}

/**
 * The privacy team's finding on a dataset the subject index could not answer for (POSSIBLE): the
 * person is HELD there or NOT_HELD. The reply discloses HELD and confirmed-HELD datasets only, so the
 * finding is evidence: it is frozen with the resolution when the request closes.
 */
@Entity({ tableName: 'request_dataset_confirmation' })
export class RequestDatasetConfirmation extends HoldingFinding {
  @ManyToOne({ entity: 'DataSubjectRequest', deleteRule: 'cascade', primary: true })
  request!: Rel<DataSubjectRequest>;

  // Datasets are archived, never deleted; the confirmation stays with the request's evidence.
  @ManyToOne({ entity: 'Dataset', primary: true, index: true })
  dataset!: Rel<Dataset>;
}

/**
 * The privacy team's finding on an activity no dataset of the inventory serves (paper files, systems
 * not integrated): nothing in the inventory can say whether the person is there, so someone looked.
 * Evidence like a dataset's finding, frozen with the resolution.
 */
@Entity({ tableName: 'request_activity_confirmation' })
export class RequestActivityConfirmation extends HoldingFinding {
  @ManyToOne({ entity: 'DataSubjectRequest', deleteRule: 'cascade', primary: true })
  request!: Rel<DataSubjectRequest>;

  // Activities are archived, never deleted; the confirmation stays with the request's evidence.
  @ManyToOne({ entity: 'ProcessingActivity', primary: true, index: true })
  activity!: Rel<ProcessingActivity>;
}

/**
 * The state of one action of a request's work list. Actions are derived from the resolution, so a
 * state is keyed by the action's stable key (action, target kind and code); no row means OPEN.
 */
@Entity({ tableName: 'request_action_state' })
export class RequestActionState {
  @ManyToOne({ entity: 'DataSubjectRequest', deleteRule: 'cascade', primary: true })
  request!: Rel<DataSubjectRequest>;

  @PrimaryKey({ type: 'text' })
  actionKey!: string;

  /** DONE or WAIVED. */
  @Property({ type: 'text' })
  status!: string;

  /** Why an action was waived (required then), or a note on how it was done. */
  @Property({ type: 'text', nullable: true })
  note?: string | null;

  /** A disclosure withheld on one of the organization's refusal grounds (partial disclosure): its code. */
  @Property({ type: 'text', nullable: true })
  refusalGround?: string | null;

  @Property({ type: 'text' })
  decidedBy!: string;

  @Property({ columnType: 'timestamptz', defaultRaw: 'now()' })
  decidedAt: Date = new Date();
}

/**
 * The reply letter of a request under review: DRAFT until a PRIVACY_ADMIN other than the drafter
 * approves it (four-eyes), then SENT. The approved document is stored with its hash: what was sent is
 * evidence, whatever the inventory says later.
 */
@Entity({ tableName: 'request_reply' })
export class RequestReply {
  @ManyToOne({ entity: 'DataSubjectRequest', deleteRule: 'cascade', primary: true })
  request!: Rel<DataSubjectRequest>;

  /** DRAFT, APPROVED or SENT. */
  @Property({ type: 'text' })
  status!: string;

  /** JA or EN. */
  @Property({ type: 'text' })
  language!: string;

  @Property({ type: 'text' })
  draftedBy!: string;

  @Property({ columnType: 'timestamptz', defaultRaw: 'now()' })
  draftedAt: Date = new Date();

  @Property({ type: 'text', nullable: true })
  approvedBy?: string | null;

  @Property({ columnType: 'timestamptz', nullable: true })
  approvedAt?: Date | null;

  @Property({ type: 'text', nullable: true })
  sentBy?: string | null;

  @Property({ columnType: 'timestamptz', nullable: true })
  sentAt?: Date | null;

  /** How it was sent (a ResponseMethod). */
  @Property({ type: 'text', nullable: true })
  method?: string | null;

  @Property({ type: 'text', nullable: true })
  markdown?: string | null;

  @Property({ type: 'text', nullable: true })
  html?: string | null;

  /** SHA-256 of the Markdown and HTML as approved. */
  @Property({ type: 'text', nullable: true })
  contentHash?: string | null;
}
