import { Kind, type OperationDefinitionNode } from 'graphql';
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { admissionRejections } from '../observability/metrics.js';

/**
 * Admission control: what the server takes on at once is bounded, so that load is shed with a
 * 503 (and Retry-After) before the heap runs out, instead of the process dying for everyone.
 */

/** The server is at one of its limits: answer 503 with Retry-After; the client retries. */
export class Overloaded extends Error {
  constructor(readonly limit: string, readonly retryAfterSeconds: number) {
    super(`the server is at its ${limit} limit; retry in ${retryAfterSeconds} s`);
  }
}

/** One principal spent its budget: answer 429 with Retry-After; other principals are unaffected. */
export class RateLimited extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`rate limit reached; retry in ${retryAfterSeconds} s`);
  }
}

export interface GateOptions {
  /** What may be held at once (requests, bytes or cost units). */
  capacity: number;
  /** Callers allowed to wait for room; beyond it they are refused at once. */
  maxQueue: number;
  /** Longest wait for room before the caller is refused. */
  maxWaitMs: number;
  /** Amounts up to this go ahead of a waiting queue when they fit. */
  smallAmount?: number;
}

/** The client went away while its request waited: nothing to answer. */
export class ClientGone extends Error {}

interface Waiter {
  amount: number;
  resolve: (release: () => void) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * A weighted semaphore with a short, bounded FIFO queue. An amount over the capacity is clamped to
 * it (such a caller runs alone rather than never). The head of the queue is not overtaken, so a
 * large request is not starved by small ones.
 */
export class Gate {
  private used = 0;
  private readonly queue: Waiter[] = [];

  constructor(readonly name: string, private readonly o: GateOptions) {}

  get inUse(): number {
    return this.used;
  }

  get waiting(): number {
    return this.queue.length;
  }

  /**
   * Resolves with the release function once `amount` is held; rejects with Overloaded. An amount of
   * at most `smallAmount` that fits goes ahead of a queue waiting for room for a large one (a
   * small request never waits behind a 20 MB push). `signal` withdraws a waiting caller whose
   * client has gone.
   */
  acquire(amount = 1, signal?: AbortSignal): Promise<() => void> {
    const n = Math.max(0, Math.min(amount, this.o.capacity));
    const fits = this.used + n <= this.o.capacity;
    if (fits && (this.queue.length === 0 || n <= (this.o.smallAmount ?? 0))) return Promise.resolve(this.grant(n));
    if (signal?.aborted) return Promise.reject(new ClientGone());
    if (this.queue.length >= this.o.maxQueue || this.o.maxWaitMs <= 0) return Promise.reject(this.refuse());
    return new Promise((resolve, reject) => {
      const leave = () => {
        clearTimeout(waiter.timer);
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
        this.drain();
      };
      const onAbort = () => {
        leave();
        reject(new ClientGone());
      };
      const waiter: Waiter = {
        amount: n,
        resolve: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
        reject,
        timer: setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          leave();
          reject(this.refuse());
        }, this.o.maxWaitMs),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  /** Takes more of a gate already held (a body without a declared length); false when full. */
  tryTake(amount: number): (() => void) | null {
    if (this.used + amount > this.o.capacity) return null;
    return this.grant(amount);
  }

  private grant(n: number): () => void {
    this.used += n;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.used -= n;
      this.drain();
    };
  }

  private drain(): void {
    while (this.queue.length && this.used + this.queue[0].amount <= this.o.capacity) {
      const w = this.queue.shift()!;
      clearTimeout(w.timer);
      w.resolve(this.grant(w.amount));
    }
  }

  private refuse(): Overloaded {
    admissionRejections.inc({ limit: this.name });
    return new Overloaded(this.name, Math.max(1, Math.ceil(this.o.maxWaitMs / 1000)));
  }
}

export interface AdmissionConfig {
  /** Bytes of request bodies being read, parsed and executed at once. */
  bodyBudgetBytes: number;
  /** Large mutations (bodies of LARGE_WRITE_BYTES or more: pushes) executing at once. */
  maxConcurrentWrites: number;
  /** Estimated cost (see graphql/limits.ts) of large reads executing at once. */
  costBudget: number;
  /** Exports (RoPA files, provision records) rendering at once. */
  maxConcurrentExports: number;
  /** How long a request may wait for room before 503. */
  queueWaitMs: number;
  /** Points a principal may spend per window (0: no rate limit). */
  rateLimitPoints: number;
  rateLimitWindowSeconds: number;
}

export const DEFAULT_ADMISSION: AdmissionConfig = {
  bodyBudgetBytes: 48 * 1024 * 1024,
  maxConcurrentWrites: 4,
  costBudget: 2_000_000,
  maxConcurrentExports: 2,
  queueWaitMs: 5_000,
  rateLimitPoints: 20_000,
  rateLimitWindowSeconds: 10,
};

/** Queries estimated below this cost skip the cost gate: they are small and the gate costs time. */
export const LARGE_READ_COST = 2_000;

/**
 * What a data-flow graph weighs in the large-reads gate per activity it may draw. The query cost
 * counts the graph's node and edge lists as ten items each, but at size L a graph of 2,000
 * activities is ~32,000 nodes and ~98,000 edges (16 and 49 per activity): ten of them at once ran
 * the server out of heap. So a graph weighs in by its maxActivities: one of 2,000 fills the
 * budget and runs alone, ten of the default 200 run side by side.
 */
export const GRAPH_COST_PER_ACTIVITY = 1_000;
const GRAPH_FIELDS = new Set(['dataFlowGraph']);
const DEFAULT_GRAPH_ACTIVITIES = 200;

/** The admission weight of the data-flow graphs an operation asks for (0 without any). */
export function graphWeight(operation: OperationDefinitionNode, variables: Record<string, unknown>): number {
  let weight = 0;
  for (const sel of operation.selectionSet.selections) {
    if (sel.kind !== Kind.FIELD || !GRAPH_FIELDS.has(sel.name.value)) continue;
    const arg = sel.arguments?.find((a) => a.name.value === 'maxActivities')?.value;
    const given = arg?.kind === Kind.INT ? Number(arg.value) : arg?.kind === Kind.VARIABLE ? Number(variables[arg.name.value] ?? defaultOf(operation, arg.name.value)) : NaN;
    weight += (Number.isFinite(given) && given > 0 ? given : DEFAULT_GRAPH_ACTIVITIES) * GRAPH_COST_PER_ACTIVITY;
  }
  return weight;
}

function defaultOf(operation: OperationDefinitionNode, name: string): unknown {
  const d = operation.variableDefinitions?.find((v) => v.variable.name.value === name)?.defaultValue;
  return d?.kind === Kind.INT ? Number(d.value) : undefined;
}

/** Mutations with bodies from this size on (pushes) take a slot of the writes gate. */
export const LARGE_WRITE_BYTES = 64 * 1024;

/** Bodies over this size are parsed and executed one at a time: their objects dwarf the text. */
export const BULK_BODY_BYTES = 4 * 1024 * 1024;

export class Admission {
  readonly bodies: Gate;
  readonly bulk: Gate;
  readonly writes: Gate;
  readonly reads: Gate;
  readonly exports: Gate;
  private readonly limiter: RateLimiterAbstract | null;

  constructor(readonly config: AdmissionConfig, limiter?: RateLimiterAbstract | null) {
    const wait = config.queueWaitMs;
    this.bodies = new Gate('body bytes', { capacity: config.bodyBudgetBytes, maxQueue: 64, maxWaitMs: wait, smallAmount: 64 * 1024 });
    this.bulk = new Gate('bulk requests', { capacity: 1, maxQueue: 4, maxWaitMs: Math.max(wait, 30_000) });
    this.writes = new Gate('concurrent writes', { capacity: config.maxConcurrentWrites, maxQueue: 64, maxWaitMs: wait });
    this.reads = new Gate('large reads', { capacity: config.costBudget, maxQueue: 64, maxWaitMs: wait });
    // (Small reads skip this gate altogether; see LARGE_READ_COST.)
    this.exports = new Gate('concurrent exports', { capacity: config.maxConcurrentExports, maxQueue: 8, maxWaitMs: wait });
    // The state is behind rate-limiter-flexible's interface: several Kiroku instances can share
    // it by passing its PostgreSQL store instead of the in-memory one.
    this.limiter = limiter !== undefined ? limiter
      : config.rateLimitPoints > 0 ? new RateLimiterMemory({ points: config.rateLimitPoints, duration: config.rateLimitWindowSeconds })
        : null;
  }

  /**
   * Charges a principal for an operation: one point per started thousand of estimated cost and
   * per started 64 KB of body, so a client is limited by what it asks of the server, not by how
   * many requests it sends.
   */
  async charge(principalKey: string, cost: number, bodyBytes: number): Promise<void> {
    if (!this.limiter) return;
    const points = Math.max(1, Math.ceil(cost / 1000)) + Math.floor(bodyBytes / 65_536);
    try {
      await this.limiter.consume(principalKey, points);
    } catch (e) {
      if (e instanceof RateLimiterRes) {
        admissionRejections.inc({ limit: 'rate' });
        throw new RateLimited(Math.max(1, Math.ceil(e.msBeforeNext / 1000)));
      }
      throw e;
    }
  }
}
