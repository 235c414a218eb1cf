/** Request-independent settings and resources the resolvers use, set once at boot. */
export interface Settings {
  maxPageSize: number;
  /** Contracts expiring within this many days are flagged. */
  contractWindowDays: number;
  /** Country assessments older than this many days are stale. */
  assessmentMaxAgeDays: number;
  /** A reply is approved by a privacy admin other than its drafter. */
  replyFourEyes: boolean;
}

let current: Settings = { maxPageSize: 500, contractWindowDays: 60, assessmentMaxAgeDays: 365, replyFourEyes: true };

export function configure(s: Partial<Settings>): void {
  current = { ...current, ...s };
}

export function settings(): Settings {
  return current;
}
