// Kiroku's GraphQL answers and the floor's JSON reduced to the same shape (ids, sorted), so that
// the harness can check that both return the same data before it compares their speed.
const byId = (xs) => [...xs].sort((a, b) => Number(a.id ?? a) - Number(b.id ?? b));
const sorted = (xs) => [...xs].sort();
const idList = (xs) => byId(xs.map((x) => ({ id: String(x.id) }))).map((x) => x.id);

export function normalize(name, source, data) {
  if (name === 'Q1') {
    const rows = source === 'kiroku' ? data.processingActivities.edges.map((e) => e.node) : data;
    return {
      activities: idList(rows),
      links: byId(rows).map((a) => [
        String(a.id), a.code, a.name?.en ?? null, idList(a.purposes), idList(a.dataCategories), idList(a.subjectCategories),
        byId(a.processors).map((p) => [String(p.id), idList(p.storageLocations), sorted(p.storageLocations.map((l) => l.country))]),
      ]),
    };
  }
  if (name === 'Q2') {
    const a = source === 'kiroku' ? { ...data.processorAudit, id: data.processorAudit.processor.id, findings: data.processorAudit.findings.map((f) => f.code) } : data;
    return {
      processor: String(a.id), findings: sorted(a.findings), activities: idList(a.activities), dataCategories: idList(a.dataCategories),
      subjectCategories: idList(a.subjectCategories), datasets: idList(a.datasets), countries: sorted([...new Set(a.storageLocations.map((l) => l.country))]),
    };
  }
  if (name === 'Q3') {
    const r = source === 'kiroku' ? data.dataSubjectRequest.resolution : data;
    const k = source === 'kiroku';
    return {
      activities: idList(k ? r.activities.map((a) => a.activity) : r.activities),
      datasets: byId(k ? r.datasets.map((d) => ({ id: d.dataset.id, match: d.match })) : r.datasets).map((d) => `${d.id}:${d.match}`),
      held: (k ? r.datasets.filter((d) => d.match === 'HELD').length : r.datasets.filter((d) => d.match === 'HELD').length),
      processors: byId(k ? r.processors.map((p) => ({ id: p.processor.id, via: p.via })) : r.processors).map((p) => `${p.id}:${p.via}`),
      foreignLocations: sorted(r.foreignLocations.map((l) => `${l.kind}:${k ? (l.storageLocation ?? l.foreignTransfer).id : l.id}:${l.country}`)),
    };
  }
  if (name === 'Q4') {
    const g = source === 'kiroku' ? data.dataFlowGraph : data;
    return {
      nodes: sorted(g.nodes.map((n) => `${n.id}:${n.code}:${sorted(n.flags).join('+')}`)),
      edges: sorted(g.edges.map((e) => `${e.source} ${e.kind} ${e.target}`)),
      truncations: sorted(g.truncations.map((t) => `${t.source}|${t.edgeKind}|${t.shown}|${t.total}`)),
    };
  }
  throw new Error(`unknown query ${name}`);
}

/** The path of the first difference between two normalized answers, or null when they are equal. */
export function firstDifference(a, b, at = '') {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return at || '(root)';
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = firstDifference(a[i], b[i], `${at}[${i}]`);
      if (d) return `${d} (Kiroku ${a.length} items, floor ${b.length})`;
    }
    return null;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference(a[key], b[key], `${at}.${key}`);
      if (d) return d;
    }
    return null;
  }
  return a === b ? null : `${at}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`;
}
