import cluster, { type Worker } from 'node:cluster';
import client from 'prom-client';

export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry, prefix: 'kiroku_' });

export const sqlStatements = new client.Counter({
  name: 'kiroku_sql_statements_total',
  help: 'SQL statements sent to PostgreSQL',
  registers: [registry],
});

export const statementsPerOperation = new client.Histogram({
  name: 'kiroku_sql_statements_per_operation',
  help: 'SQL statements executed per GraphQL operation',
  labelNames: ['operation_type', 'operation_name'],
  buckets: [0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233],
  registers: [registry],
});

export const operationDuration = new client.Histogram({
  name: 'kiroku_graphql_operation_duration_seconds',
  help: 'GraphQL operation duration',
  labelNames: ['operation_type', 'operation_name'],
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const admissionRejections = new client.Counter({
  name: 'kiroku_admission_rejections_total',
  help: 'Requests refused by admission control (503) or the per-principal rate limit (429)',
  labelNames: ['limit'],
  registers: [registry],
});

export const httpInFlight = new client.Gauge({
  name: 'kiroku_http_requests_in_flight',
  help: 'HTTP requests received and not yet answered',
  registers: [registry],
});

export const processFaults = new client.Counter({
  name: 'kiroku_process_faults_total',
  help: 'Uncaught exceptions and unhandled rejections the process survived',
  labelNames: ['kind'],
  registers: [registry],
});

export const databaseConnectionErrors = new client.Counter({
  name: 'kiroku_database_connection_errors_total',
  help: 'Database connections that failed (terminated backend, failover, network)',
  labelNames: ['pool'],
  registers: [registry],
});

/**
 * The metrics text: this process's, or with node:cluster the sum over every worker, gathered by
 * the primary (whichever worker answers /metrics, the figures are the server's).
 */
export async function metricsText(): Promise<string> {
  if (!cluster.isWorker || !process.send) return registry.metrics();
  const id = Math.random().toString(36).slice(2);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      process.off('message', onMessage);
      reject(new Error('the primary did not answer the metrics request'));
    }, 5_000);
    const onMessage = (m: unknown) => {
      const msg = m as { kiroku?: string; id?: string; text?: string };
      if (msg?.kiroku !== 'metrics' || msg.id !== id) return;
      clearTimeout(timer);
      process.off('message', onMessage);
      resolve(msg.text ?? '');
    };
    process.on('message', onMessage);
    process.send!({ kiroku: 'metrics?', id });
  });
}

if (cluster.isWorker) {
  // Each worker hands the primary its own figures on request (see serveClusterMetrics).
  process.on('message', (m: { kiroku?: string; id?: string }) => {
    if (m?.kiroku !== 'metrics-dump') return;
    registry.getMetricsAsJSON().then(
      (metrics) => process.send?.({ kiroku: 'metrics-dump-reply', id: m.id, metrics }),
      () => process.send?.({ kiroku: 'metrics-dump-reply', id: m.id, metrics: null }),
    );
  });
}

const workerUp = new client.Gauge({
  name: 'kiroku_worker_up',
  help: 'Whether each node:cluster worker answered the last metrics request (1) or not (0)',
  labelNames: ['worker'],
  registers: [],
});

/**
 * In the primary: answers the workers' metrics requests with the sum over every worker that
 * answers within two seconds, and `kiroku_worker_up` naming the ones that did not (a partial
 * answer that says so, rather than an empty one).
 */
export function serveClusterMetrics(indexOf: (worker: Worker) => string): void {
  let seq = 0;
  cluster.on('message', (asker, m: { kiroku?: string; id?: string }) => {
    if (m?.kiroku !== 'metrics?') return;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && !w.isDead());
    const replies = workers.map((w) => new Promise<{ worker: Worker; metrics: client.MetricObjectWithValues<client.MetricValue<string>>[] | null }>((resolve) => {
      const id = `${process.pid}-${++seq}`;
      const timer = setTimeout(() => {
        w.off('message', onReply);
        resolve({ worker: w, metrics: null });
      }, 2_000);
      const onReply = (r: { kiroku?: string; id?: string; metrics?: client.MetricObjectWithValues<client.MetricValue<string>>[] | null }) => {
        if (r?.kiroku !== 'metrics-dump-reply' || r.id !== id) return;
        clearTimeout(timer);
        w.off('message', onReply);
        resolve({ worker: w, metrics: r.metrics ?? null });
      };
      w.on('message', onReply);
      // A worker that has just gone (not yet reaped) has no channel: it simply does not answer.
      if (w.isConnected()) w.send({ kiroku: 'metrics-dump', id }, undefined, () => {});
    }));
    Promise.all(replies).then(async (all) => {
      const answered = all.filter((a) => a.metrics);
      const merged = client.AggregatorRegistry.aggregate(answered.map((a) => a.metrics!));
      workerUp.reset();
      for (const a of all) workerUp.set({ worker: indexOf(a.worker) }, a.metrics ? 1 : 0);
      merged.registerMetric(workerUp);
      return merged.metrics();
    }).then(
      (text) => asker.isConnected() && asker.send({ kiroku: 'metrics', id: m.id, text }, undefined, () => {}),
      (err: Error) => asker.isConnected() && asker.send({ kiroku: 'metrics', id: m.id, text: `# metrics could not be gathered: ${err.message}\n` }, undefined, () => {}),
    );
  });
}
