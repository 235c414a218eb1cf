/** Request-independent settings the resolvers read, set once at boot from the config. */
export interface Settings {
  maxPageSize: number;
}

let current: Settings = { maxPageSize: 500 };

export function configure(s: Settings): void {
  current = s;
}

export function settings(): Settings {
  return current;
}
