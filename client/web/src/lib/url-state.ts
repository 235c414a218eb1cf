import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

/**
 * Filter, sort, page and tab state in the query string, so that a link cites exactly what was seen.
 * Empty values are dropped; `replace` keeps typing in a search box out of the history.
 */
export function useUrlState<K extends string>(): [(key: K) => string, (changes: Partial<Record<K, string | null>>, opts?: { replace?: boolean }) => void] {
  const [params, setParams] = useSearchParams();
  const get = useCallback((key: K) => params.get(key) ?? '', [params]);
  const set = useCallback(
    (changes: Partial<Record<K, string | null>>, opts: { replace?: boolean } = {}) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(changes) as Array<[string, string | null | undefined]>) {
            if (v === null || v === undefined || v === '') next.delete(k);
            else next.set(k, v);
          }
          return next;
        },
        { replace: opts.replace },
      );
    },
    [setParams],
  );
  return [get, set];
}
