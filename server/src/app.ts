import http from 'node:http';
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
import { checkLimits, DEFAULT_LIMITS, type QueryLimits } from './graphql/limits.js';
import { GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import { loadSubjectKey } from './subjects/subject-key.js';
import type { Context } from './graphql/context.js';
import { Loaders, ReadModel } from './graphql/loaders.js';
import { buildKirokuSchema } from './graphql/schema.js';
import { formatError, formatProductionError } from './graphql/error-format.js';
import { configure } from './graphql/settings.js';
import { registry, metricsText, operationDuration, statementsPerOperation } from './observability/metrics.js';
import { installSqlCounter, sqlScope, type SqlTally } from './observability/sql-counter.js';
import { logger, safeError } from './observability/logger.js';

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

const LARGE_BODY = 4 * 1024 * 1024;

/** Runs tasks one at a time, in arrival order. */
class Serial {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

function readBody(req: http.IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        req.removeAllListeners('data');
        reject(new BodyTooLarge());
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

export type AppConfig = Pick<Config, 'maxPageSize' | 'production' | 'auth' | 'corsOrigins' | 'introspection' | 'dataDir'> &
  Partial<Pick<Config, 'subjectKey' | 'maxBodyBytes' | 'contractWindowDays' | 'assessmentMaxAgeDays'>> & { limits?: QueryLimits };

/**
 * Execution by graphql-jit: each operation, once parsed and validated by Apollo, is compiled to a
 * JavaScript function (kept with the parsed document, which Apollo caches) instead of being
 * interpreted field by field by graphql-js. Apollo offers this only through its gateway interface;
 * parsing, validation, plugins, the policy and error formatting stay Apollo's.
 */
function compiledExecution(schema: GraphQLSchema): GatewayInterface {
  type Compiled = CompiledQuery<Record<string, unknown>, Record<string, unknown>> | ExecutionResult<Record<string, unknown>>;
  const compiled = new WeakMap<DocumentNode, Map<string, Compiled>>();
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
          const result = await (query.query(undefined, rc.context, rc.request.variables ?? {}) as Promise<ExecutionResult<Record<string, unknown>>> | ExecutionResult<Record<string, unknown>>);
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
  configure({ maxPageSize: config.maxPageSize, contractWindowDays: config.contractWindowDays ?? 60, assessmentMaxAgeDays: config.assessmentMaxAgeDays ?? 365 });
  const { schema, specs } = await buildKirokuSchema(orm.getMetadata());
  const verify = await createVerifier(config.auth, config.dataDir);
  const policy = rootPolicy([...specs.values()]);
  const limits = { ...DEFAULT_LIMITS, maxPageSize: config.maxPageSize, ...config.limits };
  const cors = new Set(config.corsOrigins);
  const maxBody = config.maxBodyBytes ?? 32 * 1024 * 1024;
  const largeBodies = new Serial();
  const model = new ReadModel(orm);
  // Reads bypass the ORM: plain rows from a pool of their own (DESIGN.md, performance by design);
  // transactions of bulk writes and requests get another, so queued writers cannot starve reads.
  // The wait for a connection is bounded: an exhausted pool answers with an error instead of hanging.
  const newPool = (name: string, max: number, waitMs: number) => {
    const p = new pg.Pool({ connectionString: orm.config.get('clientUrl'), max, connectionTimeoutMillis: waitMs });
    p.on('error', (err) => logger.warn({ err: safeError(err), pool: name }, 'idle connection failed'));
    return p;
  };
  const readPool = newPool('read', 20, 15_000);
  const writePool = newPool('write', 8, 30_000);
  const db = { pool: readPool, writePool, subjectKey: await loadSubjectKey(config.subjectKey, config.dataDir) };

  const apollo = new ApolloServer<Context>({
    gateway: compiledExecution(schema),
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
              if (operation) checkLimits(schema, document, operation, request.variables ?? {}, limits);
              const denial = checkOperation(schema, document, operationName, contextValue.principal, policy);
              if (denial) {
                logger.info({ requestId: contextValue.requestId, sub: contextValue.principal.sub, field: denial.field }, 'operation denied');
                await appendAudit(contextValue.em.fork(), contextValue.principal, contextValue.requestId, {
                  operation: denial.field, outcome: AuditOutcome.DENIED, reason: denial.reason,
                });
                // Which roles would do is for the audit trail, not for a production caller.
                throw new GraphQLError(config.production ? `not allowed: ${denial.field}` : `not allowed: ${denial.field} (${denial.reason})`, { extensions: { code: 'FORBIDDEN', field: denial.field, http: { status: 403 } } });
              }
            },
            async didEncounterErrors({ errors, contextValue }) {
              for (const e of errors) {
                const code = e.extensions?.code;
                if (!code || code === 'INTERNAL_SERVER_ERROR') {
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
                for (const e of response.body.singleResult.errors ?? []) {
                  if (e.extensions?.code === 'INTERNAL_SERVER_ERROR') (e.extensions as Record<string, unknown>).requestId = contextValue.requestId;
                }
              }
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  let migrationsApplied = false;
  const checkMigrations = async () => {
    if (!migrationsApplied) migrationsApplied = (await orm.getMigrator().getPendingMigrations()).length === 0;
    return migrationsApplied;
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const requestId = (typeof req.headers['x-request-id'] === 'string' && /^[A-Za-z0-9._-]{1,100}$/.test(req.headers['x-request-id']) ? req.headers['x-request-id'] : randomUUID());
    res.setHeader('x-request-id', requestId);
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
        try {
          await orm.em.getConnection().execute('select 1');
          if (!(await checkMigrations())) return send(res, 503, JSON.stringify({ status: 'migrations pending' }));
          return send(res, 200, JSON.stringify({ status: 'ready' }));
        } catch {
          return send(res, 503, JSON.stringify({ status: 'database unreachable' }));
        }
      }
      if (url.pathname === '/metrics') return send(res, 200, await metricsText(), registry.contentType);
      const ropa = /^\/exports\/ropa\.(csv|xlsx|json)$/.exec(url.pathname);
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
        const file = await renderRopa(ctx, ropa[1].toUpperCase() as RopaFormat, framework as RopaFramework, role as RopaRole, language as RopaLanguage);
        res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.body.length, 'content-disposition': `attachment; filename="${file.filename}"`, 'cache-control': 'no-store' });
        return res.end(file.body);
      }
      const length = Number(req.headers['content-length'] ?? 0);
      if (length > maxBody) throw new BodyTooLarge();
      // The body is read before the gate below, so a slow upload holds no one up.
      const raw = req.method === 'POST' ? await readBody(req, maxBody) : '';
      const serve = async () => {
        let body: unknown;
        if (req.method === 'POST') {
          const type = req.headers['content-type'] ?? '';
          if (type.includes('json')) {
            try {
              body = raw ? JSON.parse(raw) : undefined;
            } catch {
              return send(res, 400, JSON.stringify({ errors: [{ message: 'request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] }));
            }
          } else {
            body = raw;
          }
        }
        const headers = new HeaderMap();
        for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
        const tally: SqlTally = { statements: 0 };
        const result = await sqlScope.run(tally, () =>
          apollo.executeHTTPGraphQLRequest({
            httpGraphQLRequest: { method: req.method?.toUpperCase() ?? 'GET', headers, search: url.search, body },
            context: async () => {
              // Reads never touch the EntityManager: fork one only when a resolver asks for it.
              let em: Context['em'] | undefined;
              return {
                requestId, loaders: new Loaders(readPool, model), principal, sql: tally, db,
                get em() {
                  return (em ??= orm.em.fork());
                },
              } satisfies Context as BaseContext & Context;
            },
          }),
        );
        for (const [k, v] of result.headers) res.setHeader(k, v);
        res.statusCode = result.status ?? 200;
        if (result.body.kind === 'complete') {
          res.end(result.body.string);
        } else {
          for await (const chunk of result.body.asyncIterator) res.write(chunk);
          res.end();
        }
      };
      // Bodies over LARGE_BODY (bulk registration) are parsed, converted and written one at a
      // time: ten concurrent 10 MB pushes would need ten times the memory of one.
      const large = raw.length > LARGE_BODY;
      return large ? largeBodies.run(serve) : serve();
    };
    handle().catch((err) => {
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
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await apollo.stop();
      await readPool.end();
      await writePool.end();
    },
  };
}
