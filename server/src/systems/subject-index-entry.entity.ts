import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { IdentityType } from '../graphql/enums.js';
import type { Dataset } from './dataset.entity.js';

/**
 * "Dataset D holds a person with this identifier": only an HMAC-SHA256 of the normalized value is
 * kept, never the value. Not exposed as a GraphQL type: `subjectLookup` answers with datasets.
 */
@Entity()
@Index({ properties: ['identityType', 'hash'] })
export class SubjectIndexEntry {
  @ManyToOne({ entity: 'Dataset', primary: true, deleteRule: 'cascade' })
  dataset!: Rel<Dataset>;

  @Enum({ items: () => IdentityType, primary: true })
  identityType!: IdentityType;

  @PrimaryKey({ type: 'blob' })
  hash!: Buffer;

  @Property({ columnType: 'timestamptz', defaultRaw: 'now()' })
  reportedAt: Date = new Date();
}
