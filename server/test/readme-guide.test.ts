import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Role, isRole } from '../src/auth/roles.js';
import { readManifests } from '../src/manifest/importer.js';
import { seedDirs } from '../src/manifest/seed.js';
import { repoRoot } from '../src/config.js';
import { startTestServer, token, type TestServer } from './helpers.js';

/** Every operation of the README guide, with the role line above it and the variables below it. */
interface Step { role: string; system?: string; query: string; variables: Record<string, unknown>; line: number }
function guideSteps(md: string): Step[] {
  const steps: Step[] = [];
  const re = /^Role: (\w+)(?: (\S+))?\n```graphql\n([\s\S]*?)```\n```json\n([\s\S]*?)```/gm;
  for (const m of md.matchAll(re)) {
    steps.push({ role: m[1], system: m[2], query: m[3], variables: JSON.parse(m[4]), line: md.slice(0, m.index).split('\n').length });
  }
  return steps;
}

let s: TestServer;
before(async () => { s = await startTestServer({ docs: await readManifests(seedDirs('demo')) }); });
after(() => s?.close());

/** Something came back: a zero count or an empty list is no proof that the operation did its job. */
const nonEmpty = (v: unknown): boolean =>
  v === null || v === undefined || v === '' || v === 0 ? false : Array.isArray(v) ? v.some(nonEmpty) : typeof v === 'object' ? Object.values(v).some(nonEmpty) : true;

test('every operation of the README guide runs on the seeded server, in order, with the role it names', async () => {
  const md = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const steps = guideSteps(md);
  const blocks = md.match(/^```graphql$/gm)?.length ?? 0;
  assert.ok(steps.length >= 10, `${steps.length} operations in the guide`);
  assert.equal(steps.length, blocks, 'every graphql block has a role line and a json block');
  const found: Record<string, unknown> = {};
  for (const step of steps) {
    assert.ok(isRole(step.role), `line ${step.line}: unknown role ${step.role}`);
    const vars = JSON.parse(JSON.stringify(step.variables), (_k, v) => (typeof v === 'string' && v in found ? found[v] : v));
    const r = await s.gql(step.query, vars, { token: await token(step.role as Role, step.system ? { system: step.system } : {}) });
    assert.equal(r.errors, undefined, `README line ${step.line}: ${JSON.stringify(r.errors)}`);
    for (const [k, v] of Object.entries(r.data)) assert.ok(nonEmpty(v), `README line ${step.line}: ${k} is empty`);
    const activity = r.data.processingActivities?.edges?.[0]?.node;
    if (activity?.version !== undefined) Object.assign(found, { '<activity id>': activity.id, '<activity version>': activity.version });
    if (r.data.createDataSubjectRequest) found['<request id>'] = r.data.createDataSubjectRequest.request.id;
  }
});
