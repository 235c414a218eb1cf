import type { EntityManager } from '@mikro-orm/postgresql';
import type { Loaders } from './loaders.js';
import type { SqlTally } from '../observability/sql-counter.js';
import type pg from 'pg';

import type { Role } from '../auth/roles.js';

/** Who is calling, from a verified token. */
export interface Principal {
  sub: string;
  roles: Role[];
  /** For INTEGRATION tokens: the key of the one system they act for. */
  system?: string;
}

/** Built once per request: a forked EntityManager, fresh loaders, the caller. */
export interface Context {
  requestId: string;
  em: EntityManager;
  loaders: Loaders;
  principal: Principal;
  sql: SqlTally;
  /**
   * This app's pools for plain SQL — reads, and transactions (bulk writes, request steps) in a
   * pool of their own so that queued writers can never starve reads — and the subject-index key.
   */
  db: { pool: pg.Pool; writePool: pg.Pool; subjectKey: Buffer };
  /** Admission slots this request holds (released when its response is built) and its body size. */
  admission?: { held: Array<() => void>; bodyBytes: number };
}

/** For a caller that is only an integration: the one system it may see; otherwise null (no scoping). */
export function ownSystem(ctx: Context): string | null {
  const p = ctx.principal;
  return p.roles.length > 0 && p.roles.every((r) => r === 'INTEGRATION') ? p.system ?? '' : null;
}
