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
