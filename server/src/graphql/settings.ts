/** Request-independent settings and resources the resolvers use, set once at boot. */
export interface Settings {
  maxPageSize: number;
}

let current: Settings = { maxPageSize: 500 };

export function configure(s: Partial<Settings>): void {
  current = { ...current, ...s };
}

export function settings(): Settings {
  return current;
}
