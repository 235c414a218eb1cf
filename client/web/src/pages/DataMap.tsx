import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, Descriptions, Drawer, Flex, Input, Segmented, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../gql';
import type { DataMapQuery } from '../gql/graphql';
import { QueryState } from '../lib/QueryState';
import { useLocalized } from '../lib/text';
import { useUrlState } from '../lib/url-state';
import { downloadPng, layeredLayout, short, widthOf, type Point } from '../lib/elk-graph';
import { AsOfBanner, AsOfPicker, useAsOf } from '../lib/as-of';
import { flowsOf } from '../lib/sankey-flows';

const Sankey = lazy(() => import('./DataMapSankey'));

const DataMapDoc = graphql(`
  query DataMap($filter: ProcessingActivityFilter, $maxFanOut: Int, $include: [GraphNodeKind!], $asOf: DateTimeISO) {
    dataFlowGraph(filter: $filter, maxFanOut: $maxFanOut, include: $include, asOf: $asOf) {
      nodes { id kind recordId code label { ja en } flags }
      edges { source target kind }
      truncations { source edgeKind shown total }
      notReconstructed
    }
  }
`);

type Graph = DataMapQuery['dataFlowGraph'];
type GNode = Graph['nodes'][number];
type Key = 'q' | 'country' | 'role' | 'view' | 'fan' | 'twin';

const COLORS: Record<string, string> = {
  SUBJECT_CATEGORY: '#e6f4ff', ACTIVITY: '#fff7e6', DATASET: '#f6ffed', SYSTEM: '#f0f5ff', PROCESSOR: '#f9f0ff', JOINT_USE: '#fff0f6', RECIPIENT: '#fcffe6', COUNTRY: '#e6fffb',
};

type Placed = Omit<Awaited<ReturnType<typeof layeredLayout>>, 'edges'> & { edges: Array<{ id: string; kind: string; points: Point[] }> };

/** A cut fan-out is drawn as one "+N" node after the edges shown, so the picture says it is partial. */
function cuts(g: Graph): Array<{ id: string; source: string; hidden: number; shown: number; total: number }> {
  return g.truncations
    .filter((c): c is typeof c & { source: string } => c.source !== null && g.nodes.some((n) => n.id === c.source))
    .map((c) => ({ id: `more:${c.source}|${c.edgeKind}`, source: c.source, hidden: c.total - c.shown, shown: c.shown, total: c.total }));
}

async function layout(g: Graph, label: (n: GNode) => string): Promise<Placed> {
  const out = await layeredLayout(
    [...g.nodes.map((n) => ({ id: n.id, width: widthOf(label(n)) })), ...cuts(g).map((c) => ({ id: c.id, width: 90 }))],
    [...g.edges.map((e, i) => ({ id: `e${i}`, source: e.source, target: e.target })), ...cuts(g).map((c) => ({ id: `m${c.id}`, source: c.source, target: c.id }))],
  );
  return { ...out, edges: out.edges.map((e, i) => ({ ...e, kind: g.edges[i]?.kind ?? 'MORE' })) };
}

export default function DataMap() {
  const { t, i18n } = useTranslation();
  const pick = useLocalized();
  const [get, set] = useUrlState<Key>();
  const { at } = useAsOf();
  // Text search and countries read today's datasets and texts: the server refuses them as of a date,
  // so the past map shows every activity (the role filter still applies).
  const filter = useMemo(
    () => ({
      ...(get('q') && !at ? { search: get('q') } : {}),
      ...(get('role') ? { role: get('role') as 'CONTROLLER' } : {}),
      ...(get('country') && !at ? { countries: [get('country')] } : {}),
    }),
    [get, at],
  );
  // `fan` (edges of one kind per node before the rest collapse into "+N") is a link parameter only.
  const fan = Number(get('fan'));
  const view = get('view') === 'table' ? 'table' : get('view') === 'sankey' ? 'sankey' : 'graph';
  // The Sankey's table twin (view=table&twin=sankey) lists the Sankey's nodes, from the same answer.
  const flows = view === 'sankey' || (view === 'table' && get('twin') === 'sankey');
  const include: Array<'DATA_CATEGORY' | 'LEGAL_BASIS'> | null = flows ? ['DATA_CATEGORY', 'LEGAL_BASIS'] : null;
  const [{ data, fetching, error }] = useQuery({ query: DataMapDoc, variables: { filter, include, asOf: at, ...(Number.isInteger(fan) && fan >= 1 && fan <= 1000 ? { maxFanOut: fan } : {}) } });
  const graph = data?.dataFlowGraph;
  const [placed, setPlaced] = useState<Placed | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const byId = useMemo(() => new Map((graph?.nodes ?? []).map((n) => [n.id, n])), [graph]);
  const label = (n: GNode) => (n.kind === 'COUNTRY' ? `${pick(n.label)} (${n.code})` : pick(n.label) || n.code);

  useEffect(() => {
    let live = true;
    setPlaced(null);
    if (graph && !flows) void layout(graph, label).then((p) => live && setPlaced(p));
    return () => { live = false; };
    // The layout follows the graph and the language of its labels.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [graph, i18n.language]);

  const node = selected ? byId.get(selected) : undefined;
  const outgoing = graph?.edges.filter((e) => e.source === selected) ?? [];
  const incoming = graph?.edges.filter((e) => e.target === selected) ?? [];
  const degree = (id: string) => (graph?.edges ?? []).filter((e) => e.source === id || e.target === id).length;
  const flagTags = (n: GNode) => n.flags.map((f) => <Tag key={f} color={f === 'SPECIAL_CARE' ? 'red' : f === 'PERSONALLY_REFERABLE' ? 'purple' : f === 'ABROAD' ? 'blue' : undefined}>{t(`map.flag.${f}`)}</Tag>);

  return (
    <div data-testid="page-map">
      <Typography.Title level={1} style={{ fontSize: 24 }}>{t('nav.map')}</Typography.Title>
      <AsOfBanner />
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        <AsOfPicker />
        <Input.Search aria-label={t('activities.search')} placeholder={t('activities.search')} defaultValue={get('q')} allowClear onSearch={(v) => set({ q: v })} style={{ width: 260 }} data-testid="map-search" disabled={!!at} />
        <Input aria-label={t('activities.country')} placeholder={t('activities.country')} defaultValue={get('country')} maxLength={2} disabled={!!at} onPressEnter={(e) => set({ country: e.currentTarget.value.toUpperCase() })} style={{ width: 120 }} />
        <Segmented
          value={view}
          onChange={(v) => set({ view: v === 'graph' ? null : String(v), twin: v === 'table' && view === 'sankey' ? 'sankey' : v === 'table' && view === 'table' ? get('twin') : null })}
          options={[{ value: 'graph', label: t('map.graph') }, { value: 'sankey', label: t('sankey.view') }, { value: 'table', label: t('map.table') }]}
          data-testid="map-view"
        />
        <Button disabled={!placed || view !== 'graph'} onClick={() => svgRef.current && downloadPng(svgRef.current, 'data-map.png')} data-testid="map-png">{t('map.downloadPng')}</Button>
      </Flex>
      <QueryState fetching={fetching} error={error}>
        {graph && graph.notReconstructed.length > 0 && (
          <Alert type="info" style={{ marginBottom: 12 }} data-testid="map-not-reconstructed"
            title={t('map.notReconstructed', { kinds: graph.notReconstructed.map((k) => t(`map.kind.${k}`)).join(t('map.listSeparator')) })} />
        )}
        {graph && graph.truncations.length > 0 && (
          <Alert
            type="info"
            style={{ marginBottom: 12 }}
            data-testid="map-truncations"
            title={t('map.truncated')}
            description={
              <ul style={{ margin: 0 }}>
                {graph.truncations.map((c) => (
                  <li key={`${c.source}|${c.edgeKind}`}>
                    {c.source === null
                      ? t('map.truncatedActivities', { shown: c.shown, total: c.total })
                      : t('map.truncatedFanOut', { source: byId.get(c.source) ? label(byId.get(c.source)!) : c.source, kind: t(`map.edge.${c.edgeKind}`), shown: c.shown, total: c.total })}
                  </li>
                ))}
              </ul>
            }
          />
        )}
        {graph && graph.nodes.length === 0 && <Alert type="info" title={t('map.empty')} />}
        {graph && view === 'graph' && placed && (
          <div style={{ overflow: 'auto', maxHeight: 720, border: '1px solid #f0f0f0' }}>
            <svg ref={svgRef} xmlns="http://www.w3.org/2000/svg" role="group" aria-label={t('nav.map')} viewBox={`0 0 ${placed.width} ${placed.height}`} width={placed.width} height={placed.height} data-testid="map-graph" style={{ fontFamily: 'sans-serif' }}>
              <defs>
                <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#8c8c8c" /></marker>
              </defs>
              {placed.edges.map((e) => (
                <polyline key={e.id} points={e.points.map((p) => `${p.x},${p.y}`).join(' ')} fill="none" stroke={e.kind === 'TRANSFERS_TO' ? '#1677ff' : '#bfbfbf'} strokeWidth={e.kind === 'TRANSFERS_TO' ? 1.6 : 1} markerEnd="url(#arrow)" />
              ))}
              {placed.nodes.map((p) => {
                const more = graph && cuts(graph).find((c) => c.id === p.id);
                if (more) {
                  return (
                    <g key={p.id} transform={`translate(${p.x},${p.y})`} data-testid="map-more">
                      <rect width={p.width} height={p.height} rx={6} fill="#fafafa" stroke="#8c8c8c" strokeDasharray="2 2" />
                      <text x={8} y={p.height / 2 + 4} fontSize={12} fill="#1f1f1f">{t('map.more', { count: more.hidden })}</text>
                      <title>{t('map.shownOf', { shown: more.shown, total: more.total })}</title>
                    </g>
                  );
                }
                const n = byId.get(p.id)!;
                const text = label(n);
                const special = n.flags.includes('SPECIAL_CARE');
                const open = () => setSelected(n.id);
                return (
                  <g
                    key={p.id}
                    transform={`translate(${p.x},${p.y})`}
                    tabIndex={0}
                    role="button"
                    aria-label={`${t(`map.kind.${n.kind}`)}: ${text}${n.flags.length ? ` (${n.flags.map((f) => t(`map.flag.${f}`)).join(', ')})` : ''}`}
                    onClick={open}
                    onKeyDown={(ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); open(); } }}
                    style={{ cursor: 'pointer', outlineOffset: 2 }}
                    data-testid="map-node"
                    data-node-id={n.id}
                  >
                    <rect width={p.width} height={p.height} rx={6} fill={COLORS[n.kind]} stroke={special ? '#cf1322' : n.flags.includes('ABROAD') ? '#1677ff' : '#8c8c8c'} strokeWidth={special ? 2 : 1} strokeDasharray={n.flags.includes('EXCLUDED') ? '4 3' : undefined} />
                    <text x={8} y={p.height / 2 + 4} fontSize={12} fill="#1f1f1f">{short(text)}</text>
                    <title>{`${t(`map.kind.${n.kind}`)}: ${text}`}</title>
                  </g>
                );
              })}
            </svg>
          </div>
        )}
        {graph && view === 'sankey' && graph.nodes.length > 0 && (
          <Suspense fallback={null}>
            <Sankey graph={graph} label={(n) => label(n as GNode)} base={{ q: get('q'), role: get('role'), country: get('country') }} />
          </Suspense>
        )}
        {graph && view === 'table' && (
          <Table<GNode>
            data-testid="map-table"
            rowKey="id"
            size="small"
            dataSource={flows ? flowsOf(graph).nodes : graph.nodes}
            pagination={{ pageSize: 100, showSizeChanger: false }}
            onRow={(n) => ({ onClick: () => setSelected(n.id) })}
            columns={[
              { key: 'kind', title: t('map.col.kind'), render: (_: unknown, n) => t(`map.kind.${n.kind}`), filters: [...new Set(graph.nodes.map((n) => n.kind))].map((k) => ({ text: t(`map.kind.${k}`), value: k })), onFilter: (v, n) => n.kind === v },
              { key: 'label', title: t('map.col.label'), render: (_: unknown, n) => <a onClick={() => setSelected(n.id)} data-testid="map-row">{label(n)}</a> },
              { key: 'code', title: t('map.col.code'), render: (_: unknown, n) => n.code },
              { key: 'flags', title: t('map.col.flags'), render: (_: unknown, n) => flagTags(n) },
              { key: 'degree', title: t('map.col.connections'), render: (_: unknown, n) => degree(n.id) },
            ]}
          />
        )}
      </QueryState>
      <Drawer open={!!node} onClose={() => setSelected(null)} title={node ? label(node) : ''} size="large" data-testid="map-drawer">
        {node && (
          <>
            <Descriptions column={1} size="small" bordered items={[
              { key: 'kind', label: t('map.col.kind'), children: t(`map.kind.${node.kind}`) },
              { key: 'code', label: t('map.col.code'), children: node.code },
              { key: 'flags', label: t('map.col.flags'), children: flagTags(node) },
            ]} />
            {node.kind === 'ACTIVITY' && node.recordId && <p style={{ marginTop: 12 }}><Link to={`/activities/${node.recordId}`} data-testid="map-open-record">{t('map.openRecord')}</Link></p>}
            {([['outgoing', outgoing, 'target'], ['incoming', incoming, 'source']] as const).map(([title, list, end]) => (
              <div key={title} style={{ marginTop: 12 }}>
                <Typography.Title level={2} style={{ fontSize: 16 }}>{t(`map.${title}`)} ({list.length})</Typography.Title>
                <ul>
                  {list.map((e) => {
                    const other = byId.get(e[end]);
                    return <li key={`${e.source}|${e.kind}|${e.target}`}>{t(`map.edge.${e.kind}`)}: <a onClick={() => setSelected(e[end])}>{other ? label(other) : e[end]}</a></li>;
                  })}
                </ul>
              </div>
            ))}
          </>
        )}
      </Drawer>
    </div>
  );
}
