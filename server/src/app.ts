import http from 'node:http';
import path from 'node:path';
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { ApolloServer, HeaderMap, type BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from './config.js';
import { createVerifier, AuthError } from './auth/verify.js';
import { authFailureResponse, recordAuthFailure } from './auth/auth-failures.js';
import { EXPORT_READERS, checkOperation, rootPolicy } from './auth/policy.js';
import { renderRopa, type RopaFormat, type RopaFramework, type RopaLanguage, type RopaRole } from './compliance/ropa.js';
import { appendAudit } from './audit/audit-log.js';
import { AuditOutcome } from './audit/audit-event.entity.js';
import { checkLimits, checkSource, DEFAULT_LIMITS, type QueryLimits } from './graphql/limits.js';
import { inputLimitChecker } from './graphql/input-limits.js';
import { GraphQLError, Kind, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import { loadSubjectKey } from './subjects/subject-key.js';
import type { Context } from './graphql/context.js';
import { Loaders, ReadModel } from './graphql/loaders.js';
import { buildKirokuSchema } from './graphql/schema.js';
import { databaseUnavailable, formatError, formatProductionError } from './graphql/error-format.js';
import { assertRecoercible, checkLiteralText, checkVariableText, coerceVariables, nameLiteralFields } from './graphql/variables.js';
import { configure } from './graphql/settings.js';
import { httpInFlight, registry, metricsText, operationDuration, statementsPerOperation } from './observability/metrics.js';
import { installSqlCounter, sqlScope, type SqlTally } from './observability/sql-counter.js';
import { logger, safeError } from './observability/logger.js';
import { markCommitted, requestScope } from './observability/request-scope.js';
import { pendingMigrationNames } from './db/orm.js';
import { createPool } from './db/pool.js';
import { requestDeadlineMetrics } from './requests/request-metrics.js';
import { Idempotency, IDEMPOTENCY_KEY, nothingDone } from './http/idempotency.js';
import { webUi } from './http/web-ui.js';
import { repoRoot } from './config.js';
import { Admission, ClientGone, BULK_BODY_BYTES, DEFAULT_ADMISSION, LARGE_READ_COST, LARGE_WRITE_BYTES, Overloaded, RateLimited, graphWeight } from './http/admission.js';

export interface App {
  server: http.Server;
  /** The pool for plain SQL (reads, bulk writes, jobs). */
  pool: pg.Pool;
  apollo: ApolloServer<Context>;
  orm: MikroORM;
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const knownOperationNames = new Set<string>();

/** Operation names label metrics; unbounded client-chosen names are folded into "other". */
function operationLabel(name: string | undefined | null): string {
  if (!name || !OPERATION_NAME.test(name)) return 'anonymous';
  if (knownOperationNames.has(name)) return name;
  if (knownOperationNames.size >= 200) return 'other';
  knownOperationNames.add(name);
  return name;
}

class BodyTooLarge extends Error {}

/**
 * Reads a body within `max` bytes. `take` is asked for every byte beyond what the request declared
 * (a chunked body), so that the admission budget covers what is really held.
 */
function readBody(req: http.IncomingMessage, max: number, declared: number, take: (n: number) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    // A client that went away before its body was read never sends the rest.
    if (req.destroyed || req.readableAborted) return reject(new ClientGone());
    req.on('close', () => {
      if (!req.complete) reject(new ClientGone());
    });
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        req.removeAllListeners('data');
        reject(new BodyTooLarge());
        return;
      }
      if (size > declared && !take(Math.min(c.length, size - declared))) {
        req.removeAllListeners('data');
        reject(new Overloaded('body bytes', 1));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, status: number, body: string, type = 'application/json; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** A refusal by admission control (503) or the rate limit (429), as GraphQL clients expect it. */
function sendRefusal(res: http.ServerResponse, e: Overloaded | RateLimited, requestId: string): void {
  res.setHeader('retry-after', String(e.retryAfterSeconds));
  const code = e instanceof RateLimited ? 'RATE_LIMITED' : 'SERVICE_UNAVAILABLE';
  send(res, e instanceof RateLimited ? 429 : 503, JSON.stringify({ errors: [{ message: e.message, extensions: { code, retryable: true, requestId } }] }));
}

function refusalError(e: Overloaded | RateLimited): GraphQLError {
  const headers = new HeaderMap([['retry-after', String(e.retryAfterSeconds)]]);
  return e instanceof RateLimited
    ? new GraphQLError(e.message, { extensions: { code: 'RATE_LIMITED', retryable: true, http: { status: 429, headers } } })
    : new GraphQLError(e.message, { extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true, limit: e.limit, http: { status: 503, headers } } });
}

/** Root fields whose answers are whole files: they take an export slot. */
const EXPORT_FIELDS = new Set(['ropaExport', 'provisionRecordsExport']);

const DEFAULT_DB_LIMITS: Config['db'] = { statementTimeoutMs: 15_000, lockTimeoutMs: 5_000, idleInTransactionTimeoutMs: 30_000, bulkStatementTimeoutMs: 120_000, bulkLockTimeoutMs: 30_000, poolWaitMs: 10_000 };

export type AppConfig = Pick<Config, 'maxPageSize' | 'production' | 'auth' | 'corsOrigins' | 'introspection' | 'dataDir'> &
  Partial<Pick<Config, 'ui' | 'subjectKey' | 'maxBodyBytes' | 'maxDocumentBytes' | 'contractWindowDays' | 'assessmentMaxAgeDays' | 'replyFourEyes' | 'db' | 'shutdownGraceMs'>> & {
    limits?: QueryLimits;
    admission?: Partial<Config['admission']>;
    /** Tests only: `graphql-js` executes with graphql-js instead of graphql-jit, to compare the two. */
    execution?: 'compiled' | 'graphql-js';
  };

/**
 * Execution by graphql-jit: each operation, once parsed and validated by Apollo, is compiled to a
 * JavaScript function (kept with the parsed document, which Apollo caches) instead of being
 * interpreted field by field by graphql-js. Apollo offers this only through its gateway interface;
 * parsing, validation, plugins, the policy and error formatting stay Apollo's.
 */
function compiledExecution(schema: GraphQLSchema): GatewayInterface {
  type Compiled = CompiledQuery<Record<string, unknown>, Record<string, unknown>> | ExecutionResult<Record<string, unknown>>;
  const compiled = new WeakMap<DocumentNode, Map<string, Compiled>>();
  assertRecoercible(schema);
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => {};
    },
    async load() {
      return {
        executor: async (rc) => {
          let byOperation = compiled.get(rc.document);
          if (!byOperation) compiled.set(rc.document, (byOperation = new Map()));
          const key = rc.operationName ?? '';
          let query = byOperation.get(key);
          if (!query) byOperation.set(key, (query = compileQuery<Record<string, unknown>, Record<string, unknown>>(schema, rc.document, rc.operationName ?? undefined, { disablingCapturingStackErrors: true })));
          if (!isCompiledQuery(query)) return query as ExecutionResult<Record<string, unknown>>;
          // graphql-jit's own coercion departs from the specification (an input field with a
          // default cannot be omitted); graphql-js coerces, and graphql-jit gets values it accepts as they are.
          let variables: Record<string, unknown> = {};
          if (rc.operation.variableDefinitions?.length) {
            const coerced = coerceVariables(schema, rc.operation, rc.request.variables ?? {});
            if (coerced.errors) return { errors: coerced.errors };
            variables = coerced.coerced;
          }
          const result = await (query.query(undefined, rc.context, variables) as Promise<ExecutionResult<Record<string, unknown>>> | ExecutionResult<Record<string, unknown>>);
          // graphql-jit leaves `extensions` undefined on the errors it creates (and they are frozen);
          // Apollo's formatting expects an object.
          if (!result.errors?.some((e) => !e.extensions)) return result;
          // Its variable-coercion errors carry no nodes: mark them as the caller's bad input here.
          const errors = result.errors.map((e) => (e.extensions ? e : new GraphQLError(e.message, {
            nodes: e.nodes, source: e.source, positions: e.positions, path: e.path, originalError: e.originalError ?? undefined,
            extensions: !e.path && /^Variable "\$/.test(e.message) ? { code: 'BAD_USER_INPUT', http: { status: 400 } } : {},
          })));
          return { ...result, errors };
        },
      };
    },
    async stop() {},
  };
}

/** Builds the HTTP server around one ORM: GraphQL at /graphql, exports, health, readiness and metrics. */
export async function createApp(orm: MikroORM, config: AppConfig): Promise<App> {
  installSqlCounter();
  configure({ maxPageSize: config.maxPageSize, contractWindowDays: config.contractWindowDays ?? 60, assessmentMaxAgeDays: config.assessmentMaxAgeDays ?? 365, replyFourEyes: config.replyFourEyes ?? true });
  const { schema, specs } = await buildKirokuSchema(orm.getMetadata());
  const verify = await createVerifier(config.auth, config.dataDir);
  const policy = rootPolicy([...specs.values()]);
  const limits = { ...DEFAULT_LIMITS, maxPageSize: config.maxPageSize, ...(config.maxDocumentBytes ? { maxDocumentBytes: config.maxDocumentBytes } : {}), ...config.limits };
  const checkInputs = inputLimitChecker(schema);
  const cors = new Set(config.corsOrigins);
  const maxBody = config.maxBodyBytes ?? 32 * 1024 * 1024;
  const admission = new Admission({ ...DEFAULT_ADMISSION, ...config.admission });
  const model = new ReadModel(orm);
  // Reads bypass the ORM: plain rows from a pool of their own (DESIGN.md, performance by design);
  // transactions of bulk writes and requests get another, so queued writers cannot starve reads;
  // readiness has two connections of its own so it never queues behind either. Every wait is
  // bounded: checkout, statements, locks and transactions left idle.
  const dbLimits = { ...DEFAULT_DB_LIMITS, ...config.db };
  const url = orm.config.get('clientUrl')!;
  const timeouts = { statementMs: dbLimits.statementTimeoutMs, lockMs: dbLimits.lockTimeoutMs, idleInTransactionMs: dbLimits.idleInTransactionTimeoutMs };
  const readPool = createPool(url, { name: 'read', max: 20, waitMs: dbLimits.poolWaitMs, timeouts, retryLostReads: true });
  const writePool = createPool(url, { name: 'write', max: 8, waitMs: dbLimits.poolWaitMs * 3, timeouts: { ...timeouts, statementMs: dbLimits.bulkStatementTimeoutMs, lockMs: dbLimits.bulkLockTimeoutMs } });
  const readyPool = createPool(url, { name: 'readiness', max: 2, waitMs: 2_000, timeouts: { statementMs: 2_000, lockMs: 1_000, idleInTransactionMs: 5_000 } });
  const idempotency = new Idempotency(writePool);
  const expireKeys = setInterval(() => {
    idempotency.expire().catch((err) => logger.warn({ err: safeError(err) }, 'expiring idempotency keys failed; retrying next hour'));
  }, 60 * 60_000);
  expireKeys.unref();
  const web = webUi({ ui: config.ui ?? { dir: path.join(repoRoot, 'client/web/dist') }, auth: config.auth, dataDir: config.dataDir, production: config.production });
  const db = { pool: readPool, writePool, subjectKey: await loadSubjectKey(config.subjectKey, config.dataDir) };

  const apollo = new ApolloServer<Context>({
    ...(config.execution === 'graphql-js' ? { schema } : { gateway: compiledExecution(schema) }),
    formatError: config.production ? formatProductionError : formatError,
    introspection: config.introspection,
    parseOptions: { maxTokens: limits.maxTokens },
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    // main.ts owns the signals: stop accepting, drain, close pools, then stop PostgreSQL.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginCacheControlDisabled(),
      ...(config.production ? [ApolloServerPluginLandingPageDisabled()] : []),
      {
        async requestDidStart() {
          const started = process.hrtime.bigint();
          return {
            async didResolveOperation({ document, operation, operationName, contextValue, request }) {
              const cost = operation ? checkLimits(schema, document, operation, request.variables ?? {}, limits) : 0;
              // Before the policy: its refusal is audited (SQL), and oversized input must cost nothing.
              if (operation) checkInputs(document, operation, request.variables ?? {});
              const badText = checkLiteralText(document) ?? (operation ? checkVariableText(operation, request.variables ?? {}) : null);
              if (badText) throw badText;
              const denial = checkOperation(schema, document, operationName, contextValue.principal, policy);
              if (denial) {
                logger.info({ requestId: contextValue.requestId, sub: contextValue.principal.sub, field: denial.field }, 'operation denied');
                try {
                  await appendAudit(contextValue.em.fork(), contextValue.principal, contextValue.requestId, {
                    operation: denial.field, outcome: AuditOutcome.DENIED, reason: denial.reason,
                  });
                } catch (e) {
                  // The refusal must be recorded before it is answered; without the database it cannot be.
                  if (databaseUnavailable(e)) throw new GraphQLError('the database is unavailable; retry later', { extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503 } } });
                  throw e;
                }
                // Which roles would do is for the audit trail, not for a production caller.
                throw new GraphQLError(config.production ? `not allowed: ${denial.field}` : `not allowed: ${denial.field} (${denial.reason})`, { extensions: { code: 'FORBIDDEN', field: denial.field, http: { status: 403 } } });
              }
              const slots = contextValue.admission;
              if (!operation || !slots) return;
              try {
                const p = contextValue.principal;
                await admission.charge(p.system ? `${p.sub}@${p.system}` : p.sub, cost, slots.bodyBytes);
                // Large writes (pushes) are what fills the heap; small ones are bounded by the
                // connection pools, and must not queue behind pushes or a held row lock.
                if (operation.operation === 'mutation' && slots.bodyBytes >= LARGE_WRITE_BYTES) slots.held.push(await admission.writes.acquire());
                else {
                  const weight = Math.max(cost, graphWeight(operation, request.variables ?? {}));
                  if (weight >= LARGE_READ_COST) slots.held.push(await admission.reads.acquire(weight));
                }
                if (operation.selectionSet.selections.some((sel) => sel.kind === Kind.FIELD && EXPORT_FIELDS.has(sel.name.value))) {
                  slots.held.push(await admission.exports.acquire());
                }
              } catch (e) {
                if (e instanceof Overloaded || e instanceof RateLimited) throw refusalError(e);
                throw e;
              }
            },
            async didEncounterErrors({ errors, contextValue, document }) {
              if (document) nameLiteralFields(document, errors);
              for (const e of errors) {
                const code = e.extensions?.code;
                if (databaseUnavailable(e.originalError)) {
                  logger.warn({ requestId: contextValue.requestId, err: safeError(e.originalError), path: e.path }, 'database unavailable during a GraphQL operation');
                } else if (!code || code === 'INTERNAL_SERVER_ERROR') {
                  logger.error({ requestId: contextValue.requestId, err: safeError(e.originalError ?? e), path: e.path }, 'unexpected error in GraphQL operation');
                }
              }
            },
            async willSendResponse({ response, contextValue, operation, operationName }) {
              const labels = { operation_type: operation?.operation ?? 'unknown', operation_name: operationLabel(operationName) };
              logger.debug({ requestId: contextValue.requestId, sub: contextValue.principal.sub, operation: labels.operation_type, name: labels.operation_name, statements: contextValue.sql.statements, ms: Number(process.hrtime.bigint() - started) / 1e6 }, 'graphql operation');
              statementsPerOperation.observe(labels, contextValue.sql.statements);
              operationDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
              if (response.body.kind === 'single') {
                const { errors, data } = response.body.singleResult;
                for (const e of errors ?? []) {
                  if (e.extensions?.code === 'INTERNAL_SERVER_ERROR') (e.extensions as Record<string, unknown>).requestId = contextValue.requestId;
                }
                // The database was unavailable for the whole operation: say so at the HTTP level
                // too, so that proxies and plain HTTP clients retry.
                if (errors?.some((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE')) {
                  // An admission refusal has set its own, longer Retry-After.
                  if (!response.http.headers.has('retry-after')) response.http.headers.set('retry-after', '1');
                  if (data == null || Object.values(data).every((v) => v === null)) response.http.status = 503;
                }
              }
            },
          };
        },
      },
    ],
  });
  await apollo.start();
  // Writes through the ORM commit in its own transactions: note them for the idempotency keys.
  orm.em.getEventManager().registerSubscriber({ afterTransactionCommit: () => markCommitted() });

  let migrationsApplied = false;
  const checkMigrations = async () => {
    if (!migrationsApplied) migrationsApplied = (await pendingMigrationNames((sql) => orm.em.getConnection().execute(sql))).length === 0;
    return migrationsApplied;
  };
  // Known before the first probe, so /readyz never waits for the ORM's connections.
  await checkMigrations();

  // In-flight responses, so that a drain can tell their keep-alive clients to go.
  const inFlight = new Set<http.ServerResponse>();
  let draining = false;

  const RESPONSE_CLOSED = new Error('the response is closed');
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const requestId = (typeof req.headers['x-request-id'] === 'string' && /^[A-Za-z0-9._-]{1,100}$/.test(req.headers['x-request-id']) ? req.headers['x-request-id'] : randomUUID());
    res.setHeader('x-request-id', requestId);
    if (draining) res.setHeader('connection', 'close');
    inFlight.add(res);
    httpInFlight.inc();
    // Aborted when the response is done or the client has gone: what the request holds goes back.
    const gone = new AbortController();
    res.on('close', () => {
      inFlight.delete(res);
      httpInFlight.dec();
      // A reason of our own: abort() without one builds a DOMException, stack and all, per response.
      gone.abort(RESPONSE_CLOSED);
    });
    const origin = req.headers.origin;
    if (origin && cors.has(origin)) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'Origin');
      res.setHeader('access-control-allow-headers', 'authorization, content-type, apollo-require-preflight, x-request-id');
      res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
      res.setHeader('access-control-max-age', '600');
    }
    const handle = async () => {
      if (req.method === 'OPTIONS') {
        res.writeHead(origin && cors.has(origin) ? 204 : 403);
        return res.end();
      }
      if (url.pathname === '/healthz') return send(res, 200, JSON.stringify({ status: 'ok' }));
      if (url.pathname === '/readyz') {
        // A stopping server takes no new work: load balancers should send it elsewhere.
        if (draining) return send(res, 503, JSON.stringify({ status: 'shutting down' }));
        try {
          await readyPool.query('select 1');
          if (!(await checkMigrations())) return send(res, 503, JSON.stringify({ status: 'migrations pending' }));
          return send(res, 200, JSON.stringify({ status: 'ready' }));
        } catch {
          return send(res, 503, JSON.stringify({ status: 'database unreachable' }));
        }
      }
      if (url.pathname === '/metrics') return send(res, 200, (await metricsText()) + (await requestDeadlineMetrics(readyPool)), registry.contentType);
      const ropa = /^\/exports\/ropa\.(csv|xlsx|json)$/.exec(url.pathname);
      if (url.pathname !== '/graphql' && !ropa && (await web(req, res, url))) return;
      if (url.pathname !== '/graphql' && !ropa) return send(res, 404, JSON.stringify({ error: 'not found' }));
      let principal;
      try {
        principal = await verify(req.headersDistinct.authorization);
      } catch (e) {
        if (!(e instanceof AuthError)) throw e;
        logger.info({ requestId, reason: e.message }, 'unauthenticated request');
        // Not awaited: a refusal is answered at once, whatever the audit write waits for.
        void recordAuthFailure(writePool, e, req.socket.remoteAddress ?? 'unknown', requestId);
        if (e.status === 401) res.setHeader('www-authenticate', 'Bearer realm="kiroku"');
        const answer = authFailureResponse(e, requestId);
        return send(res, answer.status, answer.body);
      }
      if (ropa) {
        if (req.method !== 'GET') return send(res, 405, JSON.stringify({ error: 'use GET' }));
        if (!principal.roles.some((r) => EXPORT_READERS.includes(r))) return send(res, 403, JSON.stringify({ errors: [{ message: 'not allowed', extensions: { code: 'FORBIDDEN' } }] }));
        const q = (name: string, allowed: string[], fallback: string) => {
          const v = (url.searchParams.get(name) ?? fallback).toUpperCase();
          return allowed.includes(v) ? v : null;
        };
        const framework = q('framework', ['APPI', 'GDPR'], 'APPI');
        const role = q('role', ['CONTROLLER', 'PROCESSOR'], 'CONTROLLER');
        const language = q('language', ['JA', 'EN'], 'JA');
        if (!framework || !role || !language) return send(res, 400, JSON.stringify({ errors: [{ message: 'framework=APPI|GDPR, role=CONTROLLER|PROCESSOR, language=JA|EN', extensions: { code: 'BAD_USER_INPUT' } }] }));
        const em = orm.em.fork();
        const ctx: Context = { requestId, em, loaders: new Loaders(readPool, model), principal, sql: { statements: 0 }, db };
        const release = await admission.exports.acquire();
        let file;
        try {
          file = await renderRopa(ctx, ropa[1].toUpperCase() as RopaFormat, framework as RopaFramework, role as RopaRole, language as RopaLanguage);
        } finally {
          release();
        }
        res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.body.length, 'content-disposition': `attachment; filename="${file.filename}"`, 'cache-control': 'no-store' });
        return res.end(file.body);
      }
      const length = Number(req.headers['content-length'] ?? 0);
      if (length > maxBody) throw new BodyTooLarge();
      // Bytes of bodies in flight are budgeted from the first byte to the response: the text,
      // its parse and the objects made from it are what fills the heap under many pushes.
      // Body bytes are held until the answer has gone out; the operation's slots (bulk, write,
      // read, export) until the answer is built.
      const bodyHeld: Array<() => void> = [];
      const held: Array<() => void> = [];
      // A slot granted after the client has gone (it waited in a queue) is given back at once.
      const keep = (list: Array<() => void>, release: () => void) => (gone.signal.aborted ? release() : list.push(release));
      gone.signal.addEventListener('abort', () => [...bodyHeld.splice(0), ...held.splice(0)].forEach((release) => release()), { once: true });
      let raw = '';
      if (req.method === 'POST') {
        keep(bodyHeld, await admission.bodies.acquire(Math.max(length, 1024), gone.signal));
        raw = await readBody(req, maxBody, Math.max(length, 1024), (n) => {
          const more = admission.bodies.tryTake(n);
          if (more) keep(bodyHeld, more);
          return !!more;
        });
      }
      /** Runs the operation; a complete answer is returned for the caller to send. */
      const serve = async (): Promise<string | null> => {
        let body: unknown;
        if (req.method === 'POST') {
          const type = req.headers['content-type'] ?? '';
          if (type.includes('json')) {
            try {
              body = raw ? JSON.parse(raw) : undefined;
            } catch {
              send(res, 400, JSON.stringify({ errors: [{ message: 'request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] }));
              return null;
            }
          } else {
            body = raw;
          }
        }
        // Before Apollo parses it (its parser and validation recurse, and errors thrown from its
        // hooks before execution are answered as internal ones).
        const source = req.method === 'POST' ? (body as { query?: unknown } | undefined)?.query : url.searchParams.get('query');
        const refused = typeof source === 'string' ? checkSource(source, limits) : null;
        if (refused) {
          send(res, 400, JSON.stringify({ errors: [{ message: refused.message, extensions: { code: refused.extensions.code, limit: refused.extensions.limit } }] }));
          return null;
        }
        const headers = new HeaderMap();
        for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
        const tally: SqlTally = { statements: 0 };
        const result = await sqlScope.run(tally, () =>
          apollo.executeHTTPGraphQLRequest({
            httpGraphQLRequest: { method: req.method?.toUpperCase() ?? 'GET', headers, search: url.search, body },
            context: async () => new RequestContext({ requestId, loaders: new Loaders(readPool, model), principal, sql: tally, db, admission: { held, bodyBytes: raw.length } }, orm) as BaseContext & Context,
          }),
        );
        // The answer is built: what the operation held (write, read and export slots) is free.
        held.splice(0).forEach((release) => release());
        for (const [k, v] of result.headers) res.setHeader(k, v);
        res.statusCode = result.status ?? 200;
        if (result.body.kind === 'complete') {
          return result.body.string;
        }
        for await (const chunk of result.body.asyncIterator) res.write(chunk);
        res.end();
        return null;
      };
      // Bodies over BULK_BODY_BYTES (bulk registration) are parsed, converted and written one at
      // a time: ten concurrent 10 MB pushes would need ten times the memory of one.
      if (raw.length > BULK_BODY_BYTES) keep(held, await admission.bulk.acquire(1, gone.signal));
      const answer = async () => {
        const key = req.headers['idempotency-key'];
        if (key === undefined || req.method !== 'POST') {
          const answer = await serve();
          if (answer !== null && answer !== undefined) res.end(answer);
          return;
        }
        if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)) {
          return send(res, 400, JSON.stringify({ errors: [{ message: 'Idempotency-Key must be 1 to 200 characters of A-Z a-z 0-9 . _ : -', extensions: { code: 'BAD_REQUEST' } }] }));
        }
        const caller = principal.system ? `${principal.sub}@${principal.system}` : principal.sub;
        const claim = await idempotency.claim(caller, key, Idempotency.hash(raw));
        if (claim.kind === 'replay') {
          res.setHeader('idempotent-replayed', 'true');
          return send(res, claim.status, claim.body);
        }
        if (claim.kind === 'mismatch') {
          return send(res, 422, JSON.stringify({ errors: [{ message: 'this Idempotency-Key was used for a different request', extensions: { code: 'BAD_USER_INPUT', field: 'Idempotency-Key' } }] }));
        }
        if (claim.kind === 'unknown') {
          return send(res, 409, JSON.stringify({ errors: [{ message: 'the first request with this Idempotency-Key never finished and its outcome is unknown: check whether it took effect, then send it again with a new key if needed', extensions: { code: 'CONFLICT', retryable: false } }] }));
        }
        if (claim.kind === 'pending') {
          res.setHeader('retry-after', '1');
          return send(res, 409, JSON.stringify({ errors: [{ message: 'a request with this Idempotency-Key is still running', extensions: { code: 'CONFLICT', retryable: true } }] }));
        }
        let answer: string | null | undefined;
        try {
          answer = await serve();
        } catch (e) {
          await idempotency.release(caller, key).catch(() => {});
          throw e;
        }
        // The answer goes out whatever becomes of keeping it: what was committed is never reported
        // as a failure. A key that could not be completed stays claimed (a retry gets CONFLICT
        // until it expires) rather than risk running the request twice.
        const status = res.statusCode;
        // A refusal sent from inside (invalid JSON, a document over a limit) frees the key too.
        // Once the request has committed a write, its key is never freed: a failure after the
        // commit (a lost connection while the answer was read back) is not "nothing was done".
        const committed = requestScope.getStore()?.committed === true;
        const recorded = answer == null ? (status >= 400 && !committed ? idempotency.release(caller, key) : Promise.resolve())
          : nothingDone(status, answer) && !committed ? idempotency.release(caller, key) : idempotency.complete(caller, key, status, answer);
        await recorded.catch((err) => logger.warn({ requestId, err: safeError(err) }, 'could not record the idempotent answer'));
        if (answer != null) res.end(answer);
      };
      try {
        return await answer();
      } finally {
        // Whatever path the answer took, the operation's slots are free once it is out.
        held.splice(0).forEach((release) => release());
      }
    };
    requestScope.run({ requestId }, handle).catch((err) => {
      // Nobody is waiting for an answer.
      if (err instanceof ClientGone) return res.destroyed || res.end();
      if (databaseUnavailable(err) && !res.headersSent) {
        res.setHeader('retry-after', '1');
        return send(res, 503, JSON.stringify({ errors: [{ message: 'the database is unavailable; retry later', extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true, requestId } }] }));
      }
      if (err instanceof Overloaded || err instanceof RateLimited) {
        if (res.headersSent) return res.end();
        // The rest of an unread body is discarded (not kept) and the connection closed after the
        // answer: destroying it while the client still uploads could reset it before it reads
        // the 503.
        res.setHeader('connection', 'close');
        req.removeAllListeners('data');
        req.resume();
        return sendRefusal(res, err, requestId);
      }
      if (err instanceof BodyTooLarge) {
        // Answer, then drop the connection rather than read the rest of an oversized body.
        res.setHeader('connection', 'close');
        res.on('finish', () => req.destroy());
        return send(res, 413, JSON.stringify({ errors: [{ message: `request body over ${maxBody} bytes`, extensions: { code: 'BAD_REQUEST' } }] }));
      }
      logger.error({ requestId, err: safeError(err) }, 'request failed');
      if (!res.headersSent) send(res, 500, JSON.stringify({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }] }));
      else res.end();
    });
  });
  server.keepAliveTimeout = 65_000;

  /**
   * Stop accepting, send idle keep-alive sockets away at once and tell busy ones to close after
   * their response, let in-flight requests finish within the grace period, then close the rest.
   */
  const drain = async (graceMs: number) => {
    draining = true;
    for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const deadline = Date.now() + graceMs;
    while (inFlight.size > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      server.closeIdleConnections();
    }
    if (inFlight.size > 0) logger.warn({ requests: inFlight.size }, 'requests still running after the shutdown grace period; closing their connections');
    server.closeAllConnections();
    await closed;
  };

  return {
    server,
    pool: readPool,
    apollo,
    orm,
    listen: (port, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve((server.address() as { port: number }).port));
      }),
    close: async () => {
      clearInterval(expireKeys);
      await drain(config.shutdownGraceMs ?? 10_000);
      await apollo.stop();
      // A transaction still running after the drain (its client gone) must not hold the stop
      // of PostgreSQL: the pools get a few seconds, then the database ends the sessions.
      await Promise.race([
        Promise.all([readPool.end(), writePool.end(), readyPool.end()]),
        new Promise((resolve) => setTimeout(resolve, 5_000).unref()),
      ]);
    },
  };
}

/**
 * A request's context. Reads never touch the EntityManager: one is forked only when a resolver asks
 * for it. The getter lives on the prototype because Apollo copies the context's own properties for
 * each operation (Object.assign), which would call an own getter and fork one for every request.
 */
class RequestContext {
  readonly requestId!: Context['requestId'];
  readonly loaders!: Context['loaders'];
  readonly principal!: Context['principal'];
  readonly sql!: Context['sql'];
  readonly db!: Context['db'];
  readonly admission?: Context['admission'];
  /** Shared by the copies Apollo makes, so all of them see one EntityManager. */
  private readonly lazy: { orm: MikroORM; em?: Context['em'] };

  constructor(fields: Omit<Context, 'em'>, orm: MikroORM) {
    Object.assign(this, fields);
    this.lazy = { orm };
  }

  get em(): Context['em'] {
    return (this.lazy.em ??= this.lazy.orm.em.fork());
  }
}
