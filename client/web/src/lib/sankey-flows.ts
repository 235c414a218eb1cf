/**
 * The Sankey's picture of a data-flow graph, without d3 (the map's table twin uses it too): data
 * categories → activities → legal bases → processors and recipients → countries.
 */

export interface FlowNode { id: string; kind: string; recordId?: string | null; code: string; flags: string[] }
export interface FlowEdge { source: string; target: string; kind: string }
export interface Flows<N extends FlowNode> { nodes: N[]; links: Array<{ source: string; target: string; value: number }>; column: (n: N) => number; columns: number }

export const SANKEY_KINDS = ['DATA_CATEGORY', 'ACTIVITY', 'LEGAL_BASIS', 'PROCESSOR', 'RECIPIENT', 'COUNTRY'] as const;
const COLUMN: Record<string, number> = { DATA_CATEGORY: 0, ACTIVITY: 1, LEGAL_BASIS: 2, PROCESSOR: 3, RECIPIENT: 3, COUNTRY: 4 };

/**
 * A band's width is a number of activities: an activity with several bases and several processors
 * or recipients flows from each basis to each of them. Where an activity records no basis its flow
 * goes straight on, so nothing it gives to others is hidden. Sub-processors, datasets and joint
 * uses belong to the graph view, not here.
 */
export function flowsOf<N extends FlowNode>(graph: { nodes: N[]; edges: FlowEdge[] }): Flows<N> {
  const nodes = graph.nodes.filter((n) => n.kind in COLUMN);
  const ids = new Set(nodes.map((n) => n.id));
  const values = new Map<string, number>();
  const add = (s: string, t: string) => {
    if (!ids.has(s) || !ids.has(t)) return;
    const k = `${s}\u0000${t}`;
    values.set(k, (values.get(k) ?? 0) + 1);
  };
  const bases = new Map<string, string[]>();
  const parties = new Map<string, string[]>();
  const push = (m: Map<string, string[]>, k: string, v: string) => { const l = m.get(k); if (l) { if (!l.includes(v)) l.push(v); } else m.set(k, [v]); };
  for (const e of graph.edges) {
    if (e.kind === 'DATA_OF') add(e.source, e.target);
    else if (e.kind === 'BASED_ON') { add(e.source, e.target); push(bases, e.source, e.target); }
    else if (e.kind === 'ENTRUSTS' || e.kind === 'PROVIDES') push(parties, e.source, e.target);
    else if (e.kind === 'TRANSFERS_TO' || (e.kind === 'STORED_IN' && e.source.startsWith('ACTIVITY:'))) add(e.source, e.target);
  }
  for (const [activity, ps] of parties) {
    const bs = bases.get(activity) ?? [];
    for (const p of ps) {
      if (bs.length) for (const b of bs) add(b, p);
      else add(activity, p);
    }
  }
  // Dense columns: a filter that leaves no legal basis does not leave a gap in the picture.
  const used = [...new Set(nodes.map((n) => COLUMN[n.kind]))].sort((a, b) => a - b);
  const dense = new Map(used.map((c, i) => [c, i]));
  return {
    nodes,
    links: [...values].map(([k, value]) => { const [source, target] = k.split('\u0000'); return { source, target, value }; }),
    column: (n) => dense.get(COLUMN[n.kind]) ?? 0,
    columns: used.length,
  };
}

/**
 * The register's URL parameters that select the activities behind a node or band: each end
 * contributes its own filter (an activity end none), on top of the map's search and role.
 */
export function registerParams(ends: FlowNode[], base: Record<string, string>): URLSearchParams | null {
  const p = new URLSearchParams(Object.entries(base).filter(([, v]) => v));
  let narrowed = false;
  for (const n of ends) {
    const key = n.kind === 'DATA_CATEGORY' ? 'dc' : n.kind === 'LEGAL_BASIS' ? 'basis' : n.kind === 'PROCESSOR' ? 'processor' : n.kind === 'RECIPIENT' ? 'recipient' : n.kind === 'COUNTRY' ? 'country' : null;
    const value = n.kind === 'COUNTRY' ? n.code : n.recordId;
    if (key && value) { p.set(key, value); narrowed = true; }
  }
  return narrowed ? p : null;
}
