import { useMemo } from 'react';
import { Flex, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { sankey, sankeyLinkHorizontal, type SankeyLink, type SankeyNode } from 'd3-sankey';
import { flowsOf, registerParams, type FlowEdge, type FlowNode } from '../lib/sankey-flows';

type N = FlowNode & { label: { ja?: string | null; en?: string | null } };
interface Extra { id: string; node?: N; spine?: boolean }
type SNode = SankeyNode<Extra, object>;
type SLink = SankeyLink<Extra, object>;

const WIDTH = 1040;
const NODE_WIDTH = 14;
const LABEL_ROOM = 160;
const FILL: Record<string, string> = { DATA_CATEGORY: '#8c8c8c', ACTIVITY: '#d48806', LEGAL_BASIS: '#08979c', PROCESSOR: '#722ed1', RECIPIENT: '#c41d7f', COUNTRY: '#1677ff' };
const SPECIAL = '#cf1322';
const REFERABLE = '#9254de';
const MAX_CHARS = 20;
const short = (s: string) => (s.length > MAX_CHARS ? `${s.slice(0, MAX_CHARS - 1)}…` : s);

/**
 * The Sankey of the map's graph (asked for with data categories and legal bases). A band or node
 * opens the register filtered to the activities behind it; both take the keyboard (Enter).
 */
export default function DataMapSankey({ graph, label, base }: { graph: { nodes: N[]; edges: FlowEdge[] }; label: (n: N) => string; base: Record<string, string> }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const layout = useMemo(() => {
    const flows = flowsOf(graph);
    const perColumn = new Map<number, number>();
    for (const n of flows.nodes) perColumn.set(flows.column(n), (perColumn.get(flows.column(n)) ?? 0) + 1);
    const height = Math.max(360, Math.max(0, ...perColumn.values()) * 24);
    // An invisible spine through every column keeps the columns apart however short the real flows are.
    const spine: Extra[] = Array.from({ length: flows.columns }, (_, i) => ({ id: `spine:${i}`, spine: true }));
    const real: Extra[] = flows.nodes.map((n) => ({ id: n.id, node: n }));
    const inOut = new Map<string, [number, number]>();
    for (const l of flows.links) {
      inOut.set(l.source, [(inOut.get(l.source)?.[0] ?? 0), (inOut.get(l.source)?.[1] ?? 0) + l.value]);
      inOut.set(l.target, [(inOut.get(l.target)?.[0] ?? 0) + l.value, (inOut.get(l.target)?.[1] ?? 0)]);
    }
    const gen = sankey<Extra, object>()
      .nodeId((d) => d.id)
      .nodeWidth(NODE_WIDTH)
      .nodePadding(6)
      .nodeAlign((d) => (d.spine ? Number(d.id.slice(6)) : flows.column(d.node!)))
      .nodeSort((a, b) => (a.spine ? 1 : b.spine ? -1 : (a.node!.code).localeCompare(b.node!.code)))
      .extent([[4, 4], [WIDTH - LABEL_ROOM, height - 4]]);
    const out = gen({
      // A node no band reaches still shows (a sliver), so the picture lists every node of its kinds.
      nodes: [...real.map((d) => ({ ...d, fixedValue: Math.max(1, ...(inOut.get(d.id) ?? [0, 0])) })), ...spine.map((d) => ({ ...d, fixedValue: 0 }))],
      links: [...flows.links.map((l) => ({ ...l })), ...spine.slice(1).map((s, i) => ({ source: spine[i].id, target: s.id, value: 0 }))],
    });
    return { nodes: out.nodes.filter((n) => !n.spine), links: out.links.filter((l) => (l.source as SNode).node && (l.target as SNode).node), height };
  }, [graph]);

  const open = (ends: N[]) => {
    const [only] = ends;
    if (ends.length === 1 && only.kind === 'ACTIVITY' && only.recordId) return navigate(`/activities/${only.recordId}`);
    const params = registerParams(ends, base);
    if (params) navigate(`/activities?${params}`);
  };
  const keys = (f: () => void) => (ev: React.KeyboardEvent) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); f(); } };
  const colour = (n: N) => (n.flags.includes('SPECIAL_CARE') ? SPECIAL : n.flags.includes('PERSONALLY_REFERABLE') ? REFERABLE : FILL[n.kind]);
  const path = sankeyLinkHorizontal();

  return (
    <div data-testid="map-sankey-section">
      <Flex gap={12} wrap style={{ marginBottom: 8 }} data-testid="sankey-legend">
        {[...['DATA_CATEGORY', 'ACTIVITY', 'LEGAL_BASIS', 'PROCESSOR', 'RECIPIENT', 'COUNTRY'].map((k) => [FILL[k], t(`map.kind.${k}`)]), [SPECIAL, t('map.flag.SPECIAL_CARE')], [REFERABLE, t('map.flag.PERSONALLY_REFERABLE')]].map(([c, text]) => (
          <span key={text}><span aria-hidden style={{ display: 'inline-block', width: 10, height: 10, background: c, marginRight: 4 }} />{text}</span>
        ))}
      </Flex>
      <Typography.Paragraph type="secondary">{t('sankey.hint')}</Typography.Paragraph>
      <div style={{ overflow: 'auto', maxHeight: 760, border: '1px solid #f0f0f0' }}>
        <svg xmlns="http://www.w3.org/2000/svg" role="group" aria-label={t('sankey.title')} viewBox={`0 0 ${WIDTH} ${layout.height}`} width={WIDTH} height={layout.height} data-testid="map-sankey" style={{ fontFamily: 'sans-serif' }}>
          {layout.links.map((l) => {
            const s = (l.source as SNode).node!;
            const d = (l.target as SNode).node!;
            const name = t('sankey.band', { source: label(s), target: label(d), count: l.value });
            return (
              <path
                key={`${s.id}>${d.id}`}
                d={path(l as SLink) ?? ''}
                fill="none"
                stroke={s.kind === 'DATA_CATEGORY' ? colour(s) : FILL[d.kind]}
                strokeOpacity={0.35}
                strokeWidth={Math.max(1, l.width ?? 1)}
                tabIndex={0}
                role="link"
                aria-label={name}
                onClick={() => open([s, d])}
                onKeyDown={keys(() => open([s, d]))}
                style={{ cursor: 'pointer' }}
                data-testid="sankey-band"
                data-source={s.id}
                data-target={d.id}
                data-value={l.value}
              >
                <title>{name}</title>
              </path>
            );
          })}
          {layout.nodes.map((p) => {
            const n = p.node!;
            const text = label(n);
            const y0 = p.y0 ?? 0;
            const h = Math.max(3, (p.y1 ?? 0) - y0);
            const name = `${t(`map.kind.${n.kind}`)}: ${text}${n.flags.length ? ` (${n.flags.map((f) => t(`map.flag.${f}`)).join(', ')})` : ''}`;
            return (
              <g
                key={n.id}
                transform={`translate(${p.x0 ?? 0},${y0})`}
                tabIndex={0}
                role="link"
                aria-label={name}
                onClick={() => open([n])}
                onKeyDown={keys(() => open([n]))}
                style={{ cursor: 'pointer' }}
                data-testid="sankey-node"
                data-node-id={n.id}
                data-kind={n.kind}
              >
                <rect width={NODE_WIDTH} height={h} fill={colour(n)} />
                <text x={NODE_WIDTH + 4} y={h / 2 + 4} fontSize={11} fill="#1f1f1f">{short(text)}</text>
                <title>{name}</title>
              </g>
            );
          })}
        </svg>
      </div>
    </div>
  );
}
