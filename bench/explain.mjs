// EXPLAIN ANALYZE of the floor's statements on a benchmark database (run the benchmark with
// --keep, start Kiroku on the kept data directory, then):
//   node bench/explain.mjs <database-url> Q1 50 | Q2 <processor id> | Q3 <request id> | Q4 200
import pg from 'pg';
import { FLOOR_SQL } from './floor.mjs';

const [url, name, arg] = process.argv.slice(2);
const params = { Q1: [Number(arg ?? 50)], Q2: [Number(arg), 60, 365], Q3: [Number(arg)], Q4: [Number(arg ?? 200), 50] }[name];
if (!url || !params) {
  console.error('usage: node bench/explain.mjs <database-url> Q1 [first] | Q2 <processor id> | Q3 <request id> | Q4 [activities]');
  process.exit(2);
}
const client = new pg.Client(url);
await client.connect();
const { rows } = await client.query(`explain (analyze, buffers) ${FLOOR_SQL[name]}`, params);
console.log(rows.map((r) => r['QUERY PLAN']).join('\n'));
await client.end();
