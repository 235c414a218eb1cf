import type { EntityManager } from '@mikro-orm/postgresql';
import type { Loaders } from './loaders.js';
import type { SqlTally } from '../observability/sql-counter.js';

/** Who is calling; filled by authentication (until then, every caller is the local operator). */
export interface Principal {
  sub: string;
  roles: string[];
  system?: string;
}

/** Built once per request: a forked EntityManager, fresh loaders, the caller. */
export interface Context {
  requestId: string;
  em: EntityManager;
  loaders: Loaders;
  principal: Principal;
  sql: SqlTally;
}
