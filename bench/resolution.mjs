// Times the resolution of a data-subject request on a synthetic inventory of N activities, each
// with a processor (in chains of sub-processors), a storage location and a dataset with fields.
//   node bench/resolution.mjs 2000
// It starts Kiroku (embedded PostgreSQL in a throwaway data dir), imports the synthetic manifest
// through the manifest importer, then creates a request and times 50 resolutions over HTTP.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';

const n = Number(process.argv[2] ?? 2000);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiroku-bench-'));
fs.chmodSync(dir, 0o755);
const manifestDir = path.join(dir, 'manifest');
fs.mkdirSync(manifestDir);
const countries = ['JP', 'JP', 'JP', 'US', 'SG', 'IE', 'DE', 'IN'];
fs.writeFileSync(path.join(manifestDir, 'inventory.yaml'), YAML.stringify({
  apiVersion: 'kiroku/v1',
  illustrative: true,
  subjectCategories: Array.from({ length: 10 }, (_, i) => ({ code: `sc-${i}`, name: { en: `Subjects ${i}` }, role: i === 9 ? 'PROCESSOR' : 'CONTROLLER' })),
  dataCategories: [{ code: 'contact.email', name: { en: 'Email' }, identityType: 'EMAIL' }, { code: 'identity.name', name: { en: 'Name' } }],
  countryAssessments: countries.filter((c) => c !== 'JP').map((country) => ({ country, regime: { en: `Regime of ${country}` } })),
  processors: Array.from({ length: n }, (_, i) => ({ code: `p-${i}`, name: { en: `Processor ${i}` }, country: countries[i % countries.length], subProcessors: i % 10 !== 9 ? [`p-${i + 1}`] : [] })),
  storageLocations: Array.from({ length: n }, (_, i) => ({ code: `l-${i}`, name: { en: `Location ${i}` }, country: countries[(i * 7) % countries.length], hostingProcessor: `p-${i}` })),
  processingActivities: Array.from({ length: n }, (_, i) => ({ code: `a-${i}`, name: { en: `Activity ${i}` }, subjectCategories: [`sc-${i % 10}`], dataCategories: ['contact.email', 'identity.name'], processors: [`p-${i}`], storageLocations: [`l-${i}`] })),
  systems: [{ key: 'sys', name: 'System', datasets: Array.from({ length: n }, (_, i) => ({ key: `d-${i}`, name: `Dataset ${i}`, processor: `p-${i}`, activities: [`a-${i}`], fields: [{ path: 'email', identityType: 'EMAIL', dataCategories: ['contact.email'] }, { path: 'name', dataCategories: ['identity.name'] }] })) }],
}));

const env = { ...process.env, KIROKU_DATA_DIR: dir, KIROKU_SEED: 'none', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATABASE_URL: '' };
const t0 = performance.now();
execFileSync(process.execPath, [path.join(root, 'server/dist/src/cli.js'), 'import', manifestDir], { env, stdio: 'inherit' });
console.log(`import of ${n} activities/processors/locations/datasets: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const server = spawn(process.execPath, [path.join(root, 'server/dist/src/main.js')], { env, stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve) => {
  let out = '';
  server.stdout.on('data', (d) => {
    out += d;
    const m = /GraphQL\s+(http:\/\/\S+)\/graphql/.exec(out);
    if (m) resolve(m[1]);
  });
});
const token = execFileSync(process.execPath, [path.join(root, 'server/dist/src/auth/token-cli.js'), '--role', 'PRIVACY_ADMIN'], { env }).toString().trim();
const gql = async (query, operationName = 'Resolve') => {
  const r = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, operationName }) });
  const j = await r.json();
  if (j.errors) throw new Error(JSON.stringify(j.errors));
  return j.data;
};
const created = await gql('mutation Create { createDataSubjectRequest(input: { framework: APPI, type: ERASE, channel: WEB, requester: { kind: SELF }, responseMethod: ELECTRONIC, identities: [{ type: EMAIL, value: "a@example.com" }], subjectCategoryCodes: ["sc-1", "sc-2"] }) { request { id } } }', 'Create');
const q = `query Resolve { dataSubjectRequest(id: "${created.createDataSubjectRequest.request.id}") { resolution { activities { activity { code } } excludedActivities { reason } datasets { match dataset { key } fields { path } } processors { processor { code } via chain } foreignLocations { country kind } actions { action target } } } }`;
const times = [];
let size;
for (let i = 0; i < 60; i++) {
  const s = performance.now();
  const d = await gql(q);
  times.push(performance.now() - s);
  size = d.dataSubjectRequest.resolution;
}
const warm = times.slice(10).sort((a, b) => a - b);
const metrics = await (await fetch(`${url}/metrics`)).text();
const line = (name) => Number(metrics.split('\n').find((l) => l.startsWith(name) && l.includes('operation_name="Resolve"'))?.split(' ').pop());
console.log(`resolution: ${size.activities.length} activities, ${size.datasets.length} datasets, ${size.processors.length} processors, ${size.foreignLocations.length} foreign locations, ${size.actions.length} actions`);
console.log(`median ${warm[Math.floor(warm.length / 2)].toFixed(1)} ms, p90 ${warm[Math.floor(warm.length * 0.9)].toFixed(1)} ms over HTTP; ${(line('kiroku_sql_statements_per_operation_sum') / line('kiroku_sql_statements_per_operation_count')).toFixed(1)} SQL statements per operation`);
server.kill('SIGINT');
await new Promise((r) => server.on('exit', r));
fs.rmSync(dir, { recursive: true, force: true });
