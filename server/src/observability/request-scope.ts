import { AsyncLocalStorage } from 'node:async_hooks';

/** The request being served, so that a fault surfacing far from it can still be logged with its id. */
export const requestScope = new AsyncLocalStorage<{ requestId: string }>();

export function currentRequestId(): string | undefined {
  return requestScope.getStore()?.requestId;
}
