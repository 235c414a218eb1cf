import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { Role } from '../src/auth/roles.js';
import { doc, startTestServer, token, type TestServer } from './helpers.js';

const GRAPH = `query Graph($filter: ProcessingActivityFilter, $maxActivities: Int, $maxFanOut: Int) {
  dataFlowGraph(filter: $filter, maxActivities: $maxActivities, maxFanOut: $maxFanOut) {
    nodes { id kind recordId code label { ja en } flags }
    edges { source target kind }
    truncations { source edgeKind shown total }
  }
}`;

interface Graph {
  nodes: Array<{ id: string; kind: string; recordId: string | null; code: string; label: { ja: string | null; en: string | null }; flags: string[] }>;
  edges: Array<{ source: string; target: string; kind: string }>;
  truncations: Array<{ source: string | null; edgeKind: string | null; shown: number; total: number }>;
}

async function graph(s: TestServer, variables: Record<string, unknown> = {}, opts: { token?: string; operationName?: string } = {}): Promise<Graph> {
  const r = await s.gql(GRAPH, { maxActivities: 2000, maxFanOut: 1000, ...variables }, { operationName: 'Graph', ...opts });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return r.data.dataFlowGraph;
}

/**
 * The graph the list query's relations describe, built here from the ordinary resolvers (the
 * per-relation loaders), not from the graph's SQL.
 */
async function expected(s: TestServer, filter: Record<string, unknown> = {}): Promise<{ nodes: Set<string>; edges: Set<string> }> {
  const r = await s.gql(`query Expected($filter: ProcessingActivityFilter) {
    processingActivities(first: 500, filter: $filter) { edges { node {
      id subjectCategories { id } processors { id } jointUses { id } recipients { id } storageLocations { country }
      datasets { id system { id } storageLocation { country } }
      foreignTransfers { country processor { id } jointUse { id } recipient { id } }
    } } }
    processors(first: 500) { edges { node { id subProcessors { id } } } }
  }`, { filter });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  const nodes = new Set<string>();
  const edges = new Set<string>();
  const add = (sk: string, sid: string, kind: string, tk: string, tid: string) => {
    nodes.add(`${sk}:${sid}`);
    nodes.add(`${tk}:${tid}`);
    edges.add(`${sk}:${sid} ${kind} ${tk}:${tid}`);
  };
  const subs = new Map<string, string[]>(r.data.processors.edges.map((e: any) => [e.node.id, e.node.subProcessors.map((x: any) => x.id)]));
  const processors = new Set<string>();
  for (const { node: a } of r.data.processingActivities.edges) {
    nodes.add(`ACTIVITY:${a.id}`);
    for (const x of a.subjectCategories) add('SUBJECT_CATEGORY', x.id, 'SUBJECT_OF', 'ACTIVITY', a.id);
    for (const x of a.processors) { add('ACTIVITY', a.id, 'ENTRUSTS', 'PROCESSOR', x.id); processors.add(x.id); }
    for (const x of a.jointUses) add('ACTIVITY', a.id, 'JOINT_USE', 'JOINT_USE', x.id);
    for (const x of a.recipients) add('ACTIVITY', a.id, 'PROVIDES', 'RECIPIENT', x.id);
    for (const x of a.storageLocations) add('ACTIVITY', a.id, 'STORED_IN', 'COUNTRY', x.country);
    for (const d of a.datasets) {
      add('ACTIVITY', a.id, 'USES_DATASET', 'DATASET', d.id);
      add('DATASET', d.id, 'PART_OF', 'SYSTEM', d.system.id);
      if (d.storageLocation) add('DATASET', d.id, 'STORED_IN', 'COUNTRY', d.storageLocation.country);
    }
    for (const t of a.foreignTransfers) {
      if (t.processor) { add('ACTIVITY', a.id, 'ENTRUSTS', 'PROCESSOR', t.processor.id); processors.add(t.processor.id); add('PROCESSOR', t.processor.id, 'TRANSFERS_TO', 'COUNTRY', t.country); }
      else if (t.jointUse) { add('ACTIVITY', a.id, 'JOINT_USE', 'JOINT_USE', t.jointUse.id); add('JOINT_USE', t.jointUse.id, 'TRANSFERS_TO', 'COUNTRY', t.country); }
      else if (t.recipient) { add('ACTIVITY', a.id, 'PROVIDES', 'RECIPIENT', t.recipient.id); add('RECIPIENT', t.recipient.id, 'TRANSFERS_TO', 'COUNTRY', t.country); }
      else add('ACTIVITY', a.id, 'TRANSFERS_TO', 'COUNTRY', t.country);
    }
  }
  const queue = [...processors];
  const seen = new Set(queue);
  while (queue.length) {
    const p = queue.pop()!;
    for (const s2 of subs.get(p) ?? []) {
      add('PROCESSOR', p, 'SUB_PROCESSES', 'PROCESSOR', s2);
      if (!seen.has(s2)) { seen.add(s2); queue.push(s2); }
    }
  }
  return { nodes, edges };
}

const edgeKeys = (g: Graph) => new Set(g.edges.map((e) => `${e.source} ${e.kind} ${e.target}`));

for (const seed of ['notice', 'demo'] as const) {
  describe(`dataFlowGraph on the ${seed} seed`, () => {
    let s: TestServer;
    before(async () => { s = await startTestServer({ seed }); });
    after(() => s?.close());

    test('nodes and edges are those the relations of the listed activities describe', async () => {
      const g = await graph(s);
      const want = await expected(s);
      assert.deepEqual(new Set(g.nodes.map((n) => n.id)), want.nodes);
      assert.deepEqual(edgeKeys(g), want.edges);
      assert.equal(g.edges.length, want.edges.size, 'no edge twice');
      assert.deepEqual(g.truncations, []);
      const ids = new Set(g.nodes.map((n) => n.id));
      for (const e of g.edges) assert.ok(ids.has(e.source) && ids.has(e.target), `${e.source} → ${e.target} has both ends`);
      for (const n of g.nodes) assert.ok(n.label.ja || n.label.en, `${n.id} has a label`);
      const list = await s.gql('{ processingActivities(first: 500) { totalCount } }');
      assert.equal(g.nodes.filter((n) => n.kind === 'ACTIVITY').length, list.data.processingActivities.totalCount);
      if (seed === 'demo') {
        for (const kind of ['SUBJECT_CATEGORY', 'ACTIVITY', 'DATASET', 'SYSTEM', 'PROCESSOR', 'JOINT_USE', 'RECIPIENT', 'COUNTRY']) {
          assert.ok(g.nodes.some((n) => n.kind === kind), `a ${kind} node`);
        }
        assert.ok(g.edges.some((e) => e.kind === 'TRANSFERS_TO'), 'a foreign transfer');
      }
    });

    test('flags follow the records', async () => {
      const g = await graph(s);
      const r = await s.gql(`{ processingActivities(first: 500) { edges { node { id role dataCategories { kind } } } } }`);
      for (const { node: a } of r.data.processingActivities.edges) {
        const n = g.nodes.find((x) => x.id === `ACTIVITY:${a.id}`)!;
        assert.equal(n.flags.includes('SPECIAL_CARE'), a.dataCategories.some((c: any) => c.kind === 'SPECIAL_CARE'), `${n.code} SPECIAL_CARE`);
        assert.equal(n.flags.includes('PERSONALLY_REFERABLE'), a.dataCategories.some((c: any) => c.kind === 'PERSONALLY_REFERABLE'), `${n.code} PERSONALLY_REFERABLE`);
        assert.equal(n.flags.includes('EXCLUDED'), a.role === 'PROCESSOR', `${n.code} EXCLUDED`);
      }
      for (const n of g.nodes.filter((x) => x.kind === 'COUNTRY')) assert.equal(n.flags.includes('ABROAD'), n.code !== 'JP', n.code);
      if (seed === 'demo') {
        assert.ok(g.nodes.some((n) => n.kind === 'ACTIVITY' && n.flags.includes('ABROAD')), 'an activity abroad');
        assert.ok(g.nodes.some((n) => n.kind === 'COUNTRY' && n.flags.includes('ABROAD')), 'a country abroad');
      }
    });

    test('the filter of processingActivities narrows the graph the same way', async () => {
      const all = await graph(s);
      const firstCategory = all.nodes.find((n) => n.kind === 'SUBJECT_CATEGORY')!;
      for (const filter of [{ subjectCategoryIds: [firstCategory.recordId] }, { search: '採用' }, { countries: ['US'] }]) {
        const g = await graph(s, { filter });
        const want = await expected(s, filter);
        assert.deepEqual(new Set(g.nodes.map((n) => n.id)), want.nodes, JSON.stringify(filter));
        assert.deepEqual(edgeKeys(g), want.edges, JSON.stringify(filter));
        if (seed === 'demo' || !('countries' in filter)) assert.ok(g.nodes.length < all.nodes.length && g.nodes.some((n) => n.kind === 'ACTIVITY'), `${JSON.stringify(filter)} narrows`);
      }
    });
  });
}

describe('dataFlowGraph caps, policy and statements', () => {
  /** One hub activity with many processors, and `n` small activities. */
  function inventory(n: number) {
    return doc({
      subjectCategories: [{ code: 'users', name: { en: 'Users' } }, { code: 'staff', name: { en: 'Staff' }, role: 'PROCESSOR' }],
      dataCategories: [{ code: 'contact.email', name: { en: 'Email' }, identityType: 'EMAIL' }, { code: 'health', name: { ja: '健康情報' }, kind: 'SPECIAL_CARE' }],
      processors: Array.from({ length: n }, (_, i) => ({ code: `p${String(i).padStart(4, '0')}`, name: { en: `P${i}` }, country: i % 3 ? 'JP' : 'US', subProcessors: i + 1 < n ? [`p${String(i + 1).padStart(4, '0')}`] : [] })),
      storageLocations: Array.from({ length: n }, (_, i) => ({ code: `l${i}`, name: { en: `L${i}` }, country: i % 2 ? 'JP' : 'SG', hostingProcessor: `p${String(i).padStart(4, '0')}` })),
      thirdPartyRecipients: [{ code: 'r1', name: { en: 'R1' }, country: 'JP' }],
      processingActivities: [
        { code: 'a-hub', name: { en: 'Hub' }, subjectCategories: ['users'], processors: Array.from({ length: n }, (_, i) => `p${String(i).padStart(4, '0')}`), dataCategories: ['health'], recipients: ['r1'] },
        ...Array.from({ length: n }, (_, i) => ({ code: `a${String(i).padStart(4, '0')}`, name: { en: `A${i}` }, subjectCategories: [i % 2 ? 'users' : 'staff'], processors: [`p${String(i).padStart(4, '0')}`], storageLocations: [`l${i}`], dataCategories: ['contact.email'] })),
      ],
      systems: [{ key: 's', name: 'S', datasets: Array.from({ length: n }, (_, i) => ({ key: `d${i}`, name: `D${i}`, processor: `p${String(i).padStart(4, '0')}`, activities: [`a${String(i).padStart(4, '0')}`], fields: [{ path: 'email', identityType: 'EMAIL', dataCategories: ['contact.email'] }] })) }],
    });
  }
  let small: TestServer;
  let large: TestServer;
  before(async () => {
    await Promise.all([startTestServer({ docs: [inventory(5)] }).then((s) => (small = s)), startTestServer({ docs: [inventory(300)] }).then((s) => (large = s))]);
  });
  after(() => Promise.all([small?.close(), large?.close()]));

  test('a fan-out over maxFanOut is cut and says "N of M shown"', async () => {
    const g = await graph(large, { maxFanOut: 10 });
    const hub = g.nodes.find((n) => n.code === 'a-hub')!;
    assert.deepEqual(hub.flags, ['SPECIAL_CARE']);
    const fromHub = g.edges.filter((e) => e.source === hub.id && e.kind === 'ENTRUSTS');
    assert.equal(fromHub.length, 10);
    assert.deepEqual(g.truncations.find((t) => t.source === hub.id), { source: hub.id, edgeKind: 'ENTRUSTS', shown: 10, total: 300 });
    // 150 activities of each subject category: both are cut.
    assert.equal(g.truncations.filter((t) => t.edgeKind === 'SUBJECT_OF').length, 2);
    for (const t of g.truncations) assert.equal(g.edges.filter((e) => e.source === t.source && e.kind === t.edgeKind).length, t.shown);
    const ids = new Set(g.nodes.map((n) => n.id));
    for (const e of g.edges) assert.ok(ids.has(e.source) && ids.has(e.target));
  });

  test('activities over maxActivities are cut, in list order', async () => {
    const g = await graph(large, { maxActivities: 7 });
    const acts = g.nodes.filter((n) => n.kind === 'ACTIVITY');
    assert.equal(acts.length, 7);
    assert.deepEqual(g.truncations.find((t) => t.source === null), { source: null, edgeKind: null, shown: 7, total: 301 });
    const list = await large.gql('{ processingActivities(first: 7) { edges { node { id } } } }');
    assert.deepEqual(new Set(acts.map((n) => n.recordId)), new Set(list.data.processingActivities.edges.map((e: any) => e.node.id)));
  });

  test('a bounded number of statements, the same on 6 and on 301 activities', async () => {
    const count = async (s: TestServer) => {
      const labels = { operation_name: 'Graph' };
      const before = await s.metric('kiroku_sql_statements_per_operation_sum', labels);
      const g = await graph(s, {}, { operationName: 'Graph' });
      return { statements: (await s.metric('kiroku_sql_statements_per_operation_sum', labels)) - before, nodes: g.nodes.length };
    };
    const a = await count(small);
    const b = await count(large);
    assert.ok(b.nodes > 900 && a.nodes < 40, `${a.nodes} / ${b.nodes} nodes`);
    assert.equal(b.statements, a.statements, `small ${a.statements}, large ${b.statements}`);
    assert.ok(b.statements <= 4, `${b.statements} statements`);
    console.log(`dataFlowGraph: ${b.statements} statements for ${a.nodes} and ${b.nodes} nodes`);
    // As of a date: the records and the trail, whatever the inventory's size.
    const pastCount = async (s: TestServer) => {
      const labels = { operation_name: 'GraphAsOf' };
      const before = await s.metric('kiroku_sql_statements_per_operation_sum', labels);
      const r = await s.gql('query GraphAsOf($at: DateTimeISO) { dataFlowGraph(asOf: $at, maxActivities: 2000, maxFanOut: 1000) { nodes { id } } }', { at: new Date().toISOString() }, { operationName: 'GraphAsOf' });
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
      return { statements: (await s.metric('kiroku_sql_statements_per_operation_sum', labels)) - before, nodes: r.data.dataFlowGraph.nodes.length };
    };
    const pa = await pastCount(small);
    const pb = await pastCount(large);
    assert.ok(pb.nodes > 600 && pa.nodes < 40, `${pa.nodes} / ${pb.nodes} nodes as of now`);
    assert.equal(pb.statements, pa.statements, `as of a date: small ${pa.statements}, large ${pb.statements}`);
    console.log(`dataFlowGraph(asOf): ${pb.statements} statements for ${pa.nodes} and ${pb.nodes} nodes`);
  });

  test('the roles that read activities; an integration sees what its field policy allows', async () => {
    const auditor = await graph(small, {}, { token: await token(Role.AUDITOR) });
    assert.ok(auditor.nodes.some((n) => n.kind === 'RECIPIENT') && auditor.nodes.some((n) => n.kind === 'DATASET'));
    const integration = await graph(small, {}, { token: await token(Role.INTEGRATION, { system: 's' }) });
    assert.ok(integration.nodes.some((n) => n.kind === 'PROCESSOR'));
    for (const kind of ['RECIPIENT', 'DATASET', 'SYSTEM', 'JOINT_USE']) assert.ok(!integration.nodes.some((n) => n.kind === kind), `no ${kind} for an integration`);
    assert.ok(!integration.edges.some((e) => e.kind === 'TRANSFERS_TO'));
  });

  test("the benchmark's floor (bench/floor.mjs Q4) builds the same graph, cuts and pruning included", async () => {
    // The floor is plain JavaScript outside the compiled tree; loaded by path so its answer is compared as the benchmark compares it.
    const bench = new URL('../../../bench/', import.meta.url);
    const { FLOOR_SQL } = await import(new URL('floor.mjs', bench).href);
    const { normalize, firstDifference } = await import(new URL('compare.mjs', bench).href);
    const client = new pg.Client({ connectionString: large.orm.config.get('clientUrl') });
    await client.connect();
    try {
      for (const [activities, fanOut] of [[40, 3], [301, 10], [2000, 1000]]) {
        const body = (await client.query(String(FLOOR_SQL.Q4), [activities, fanOut])).rows[0].body as string;
        const kiroku = await graph(large, { maxActivities: activities, maxFanOut: fanOut });
        assert.ok(fanOut === 1000 || kiroku.truncations.length > 0, 'cuts are exercised');
        const diff = firstDifference(normalize('Q4', 'kiroku', { dataFlowGraph: kiroku }), normalize('Q4', 'floor', JSON.parse(body)));
        assert.equal(diff, null, `${activities}/${fanOut}: ${diff}`);
      }
    } finally {
      await client.end();
    }
  });

  test('bad limits are refused with the argument at fault', async () => {
    for (const [name, value] of [['maxFanOut', 0], ['maxActivities', 100000]] as const) {
      const r = await small.gql(GRAPH, { [name]: value });
      assert.equal(r.errors?.[0].extensions.code, 'BAD_USER_INPUT', JSON.stringify(r.errors));
      assert.match(JSON.stringify(r.errors?.[0].extensions), new RegExp(name));
    }
  });
});

describe('dataFlowGraph as of a date', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer({ seed: 'demo' }); });
  after(() => s?.close());

  const AS_OF = `query GraphAsOf($asOf: DateTimeISO, $filter: ProcessingActivityFilter, $include: [GraphNodeKind!]) {
    dataFlowGraph(asOf: $asOf, filter: $filter, maxActivities: 2000, maxFanOut: 1000, include: $include) {
      nodes { id kind recordId code label { ja en } flags }
      edges { source target kind }
      truncations { source edgeKind shown total }
      notReconstructed
    }
  }`;
  const asOf = async (at: string, variables: Record<string, unknown> = {}) => {
    const r = await s.gql(AS_OF, { asOf: at, ...variables }, { operationName: 'GraphAsOf' });
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    return r.data.dataFlowGraph as Graph & { notReconstructed: string[] };
  };
  const ok = async (query: string, variables: Record<string, unknown>) => {
    const r = await s.gql(query, variables);
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    return r.data;
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  /** A time strictly between the changes before and after it. */
  const mark = async () => { await sleep(20); const at = new Date().toISOString(); await sleep(20); return at; };
  /**
   * Today's graph without what the audit trail cannot rebuild: datasets and systems, their edges,
   * the countries only they reached, and an activity's ABROAD flag (datasets abroad count for it).
   */
  const reconstructable = (g: Graph) => {
    const edges = g.edges.filter((e) => ![e.source, e.target].some((n) => n.startsWith('DATASET:') || n.startsWith('SYSTEM:')));
    const touched = new Set(edges.flatMap((e) => [e.source, e.target]));
    const nodes = g.nodes.filter((n) => n.kind !== 'DATASET' && n.kind !== 'SYSTEM' && (n.kind !== 'COUNTRY' || touched.has(n.id)));
    return view({ nodes, edges, truncations: g.truncations });
  };
  const view = (g: Graph) => ({
    nodes: g.nodes.map((n) => `${n.id} ${n.code} ${n.label.ja ?? ''}|${n.label.en ?? ''} ${n.flags.filter((f) => n.kind !== 'ACTIVITY' || f !== 'ABROAD').join(',')}`).sort(),
    edges: g.edges.map((e) => `${e.source} ${e.kind} ${e.target}`).sort(),
    truncations: g.truncations,
  });

  test('each past graph equals the live graph as it was then, for everything the audit trail records', async () => {
    const live = () => graph(s, { filter: { includeArchived: false } });
    const snapshots: Array<{ at: string; graph: Graph }> = [];
    const take = async () => snapshots.push({ at: await mark(), graph: await live() });
    await take();

    // 1: an activity renamed and one of its processors unlinked.
    const acts = (await ok('{ processingActivities(first: 100) { edges { node { id version code processors { id } } } } }', {})).processingActivities.edges.map((e: any) => e.node);
    const a = acts.find((x: any) => x.processors.length > 0);
    await ok('mutation($i: UpdateProcessingActivityInput!) { updateProcessingActivity(input: $i) { processingActivity { version } } }', {
      i: { id: a.id, version: a.version, name: { ja: '改名された活動', en: 'A renamed activity' }, processorIds: a.processors.slice(1).map((p: any) => p.id) },
    });
    await take();

    // 2: a foreign transfer moved to another country.
    const ft = (await ok('{ foreignTransfers { id version country } }', {})).foreignTransfers[0];
    await ok('mutation($i: UpdateForeignTransferInput!) { updateForeignTransfer(input: $i) { foreignTransfer { version } } }', { i: { id: ft.id, version: ft.version, country: ft.country === 'GB' ? 'SG' : 'GB' } });
    await take();

    // 3: a third-party recipient archived.
    const rc = (await ok('{ thirdPartyRecipients { id version } }', {})).thirdPartyRecipients[0];
    await ok('mutation($i: ArchiveInput!) { archiveThirdPartyRecipient(input: $i) { thirdPartyRecipient { version } } }', { i: { id: rc.id, version: rc.version } });
    await take();

    for (const [i, snap] of snapshots.entries()) {
      const past = await asOf(snap.at);
      assert.deepEqual(past.notReconstructed, ['DATASET', 'SYSTEM']);
      assert.ok(!past.nodes.some((n) => n.kind === 'DATASET' || n.kind === 'SYSTEM'));
      assert.deepEqual(view(past), reconstructable(snap.graph), `as of step ${i}`);
    }
    // The steps are visible in what the past graphs differ by.
    const [g0, g1, g2, g3] = await Promise.all(snapshots.map((x) => asOf(x.at)));
    const label = (g: Graph) => g.nodes.find((n) => n.id === `ACTIVITY:${a.id}`)!.label.en;
    assert.notEqual(label(g0), 'A renamed activity');
    assert.equal(label(g1), 'A renamed activity');
    assert.ok(g0.edges.some((e) => e.source === `ACTIVITY:${a.id}` && e.target === `PROCESSOR:${a.processors[0].id}`));
    assert.ok(!g1.edges.some((e) => e.source === `ACTIVITY:${a.id}` && e.target === `PROCESSOR:${a.processors[0].id}`));
    const transferCountries = (g: Graph) => g.edges.filter((e) => e.kind === 'TRANSFERS_TO').map((e) => e.target).sort().join();
    assert.notEqual(transferCountries(g1), transferCountries(g2));
    assert.ok(g2.nodes.some((n) => n.id === `RECIPIENT:${rc.id}`) && !g3.nodes.some((n) => n.id === `RECIPIENT:${rc.id}`));
  });

  test('the Sankey columns, the activity filter and the caps apply as of a date too', async () => {
    const now = new Date().toISOString();
    const g = await asOf(now, { include: ['DATA_CATEGORY', 'LEGAL_BASIS'] });
    const today = await s.gql(`query { dataFlowGraph(maxActivities: 2000, maxFanOut: 1000, include: [DATA_CATEGORY, LEGAL_BASIS]) { nodes { id kind recordId code label { ja en } flags } edges { source target kind } truncations { source edgeKind shown total } } }`);
    assert.deepEqual(view(g), reconstructable(today.data.dataFlowGraph));
    const sc = g.nodes.find((n) => n.kind === 'SUBJECT_CATEGORY')!;
    const narrowed = await asOf(now, { filter: { subjectCategoryIds: [sc.recordId] } });
    const todayNarrowed = await graph(s, { filter: { subjectCategoryIds: [sc.recordId] } });
    assert.deepEqual(view(narrowed), reconstructable(todayNarrowed));
    assert.ok(narrowed.nodes.filter((n) => n.kind === 'ACTIVITY').length < g.nodes.filter((n) => n.kind === 'ACTIVITY').length);
  });

  test('filters that read today\'s tables are refused with the field at fault; an integration is refused', async () => {
    const r = await s.gql(AS_OF, { asOf: new Date().toISOString(), filter: { search: 'x' } });
    assert.equal(r.errors?.[0]?.extensions.code, 'BAD_USER_INPUT');
    assert.equal(r.errors?.[0]?.extensions.field, 'filter.search');
    const i = await s.gql(AS_OF, { asOf: new Date().toISOString() }, { token: await token(Role.INTEGRATION, { system: 'crm' }) });
    assert.equal(i.errors?.[0]?.extensions.code, 'FORBIDDEN');
  });
});
