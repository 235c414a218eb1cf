import type pg from 'pg';

/** Request-independent settings and resources the resolvers use, set once at boot. */
export interface Settings {
  maxPageSize: number;
  /** The pool for plain SQL (reads, bulk writes). */
  pool?: pg.Pool;
  /** HMAC key of the subject index. */
  subjectKey?: Buffer;
}

let current: Settings = { maxPageSize: 500 };

export function configure(s: Partial<Settings>): void {
  current = { ...current, ...s };
}

export function settings(): Settings {
  return current;
}
