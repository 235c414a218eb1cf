// Measures the integration write paths against a running Kiroku (dev mode):
//   npm start   (in another terminal), then
//   KIROKU_TOKEN=$(npm run -s token -- --role PRIVACY_ADMIN) node bench/push-and-subjects.mjs [datasets] [fields] [subjects]
// It pushes N datasets × F fields to the demo system `dwh` in one registerDatasets call (then
// the identical push again), and reports S email identifiers to the subject index in one call.
import { KirokuClient } from '../client/dist/index.js';

const [datasets = 10_000, fields = 10, subjects = 100_000] = process.argv.slice(2).map(Number);
const client = new KirokuClient({ url: process.env.KIROKU_URL ?? 'http://localhost:4000', token: process.env.KIROKU_TOKEN ?? '' });
const cats = ['contact.email', 'contact.phone', 'identity.name', 'online.cookie_id', 'organization.company_name'];
const push = {
  systemKey: 'dwh',
  prune: false,
  datasets: Array.from({ length: datasets }, (_, i) => ({
    key: `bench.table_${i}`,
    name: `Bench table ${i}`,
    location: { code: 'loc-tokyo-dwh' },
    activityCodes: ['pa-demo-crm'],
    fields: Array.from({ length: fields }, (_, j) => ({ path: `column_${j}`, dataCategoryCodes: [cats[(i + j) % cats.length]], identityType: j === 0 ? 'EMAIL' : null })),
  })),
};
const time = async (label, fn) => {
  const t0 = performance.now();
  const r = await fn();
  const ms = performance.now() - t0;
  console.log(`${label}: ${(ms / 1000).toFixed(2)} s`);
  return r;
};
const first = await time(`registerDatasets ${datasets} × ${fields} (first push)`, () => client.registerDatasets(push));
console.log('  statuses:', Object.entries(first.reduce((m, r) => ((m[r.status] = (m[r.status] ?? 0) + 1), m), {})).map(([k, v]) => `${v} ${k}`).join(', '));
const again = await time(`registerDatasets ${datasets} × ${fields} (identical re-push)`, () => client.registerDatasets(push));
console.log('  statuses:', Object.entries(again.reduce((m, r) => ((m[r.status] = (m[r.status] ?? 0) + 1), m), {})).map(([k, v]) => `${v} ${k}`).join(', '));
const values = Array.from({ length: subjects }, (_, i) => `bench.person.${i}@example.com`);
const added = await time(`reportSubjects ${subjects} values (ADD)`, () => client.reportSubjects({ systemKey: 'dwh', datasetKey: 'bench.table_0', identityType: 'EMAIL', values, op: 'ADD' }));
console.log('  ', added);
const t0 = performance.now();
for (let i = 0; i < 200; i++) await client.subjectLookup('EMAIL', `bench.person.${i * 97}@example.com`);
console.log(`subjectLookup serial: ${((performance.now() - t0) / 200).toFixed(2)} ms each`);
