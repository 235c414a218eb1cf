import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The request being served: its id, so that a fault surfacing far from it can still be logged
 * with it, and whether it has committed a write (or may have: a COMMIT whose answer was lost),
 * so that a failure after that point is never taken for "nothing was done".
 */
export const requestScope = new AsyncLocalStorage<{ requestId: string; committed?: boolean }>();

export function currentRequestId(): string | undefined {
  return requestScope.getStore()?.requestId;
}

/** Notes that the current request has committed a write. */
export function markCommitted(): void {
  const scope = requestScope.getStore();
  if (scope) scope.committed = true;
}
