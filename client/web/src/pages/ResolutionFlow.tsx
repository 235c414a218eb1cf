import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, Flex, Segmented, Switch, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { graphql } from '../gql';
import type { ResolutionFlowFragment } from '../gql/graphql';
import { useLocalized } from '../lib/text';
import { useUrlState } from '../lib/url-state';
import { downloadPng, layeredLayout, short, widthOf, type Placed } from '../lib/elk-graph';

graphql(`
  fragment ResolutionFlow on Resolution {
    frozen computedAt
    activities { activity { id code name { ja en } } }
    excludedActivities { routeTo { ja en } activity { id code name { ja en } } }
    datasets { match dataset { id key name system { key } } dataCategories { id code name { ja en } kind } }
    processors { via processor { id code name { ja en } } }
    jointUsers { arrangement { id code name { ja en } } }
    thirdPartyRecipients { id code name { ja en } }
    withheldRecipients { article recipient { id code name { ja en } } }
    foreignLocations { country }
    actions { action targetKind targetCode targetId }
    links { source target kind match }
  }
`);

type Match = 'HELD' | 'POSSIBLE' | 'NOT_HELD';
interface FlowNode { id: string; kind: string; label: string; match: Match; excluded: boolean; routeTo?: string; flags: string[]; actions: string[] }

const FILL: Record<string, string> = {
  Person: '#e6f4ff', DataCategory: '#f0f5ff', ProcessingActivity: '#fff7e6', Dataset: '#f6ffed', Processor: '#f9f0ff', JointUseArrangement: '#fff0f6', ThirdPartyRecipient: '#fcffe6', Country: '#e6fffb',
};
const RANK: Record<Match, number> = { NOT_HELD: 0, POSSIBLE: 1, HELD: 2 };
const CHIP_HEIGHT = 18;
/** Past this many nodes a drawing helps nobody and the layout would hold the page: the table is shown. */
const MAX_DRAWN = 400;
const kindOf = (id: string) => id.split(':')[0];

/**
 * The request's resolution drawn left to right, from the links the server records with it: HELD
 * links solid, POSSIBLE dashed, NOT_HELD only on demand; excluded activities greyed with the
 * controller to route to; the actions of the work list as chips on their targets. The table view
 * lists the same nodes under the same toggle.
 */
export function ResolutionFlow({ resolution, closedAt }: { resolution: ResolutionFlowFragment; closedAt?: string | null }) {
  const { t, i18n } = useTranslation();
  const pick = useLocalized();
  const [get, set] = useUrlState<'notHeld' | 'flowView'>();
  const showNotHeld = get('notHeld') === '1';
  const asked = get('flowView') === 'table' ? 'table' : 'graph';
  const svgRef = useRef<SVGSVGElement>(null);

  const all = useMemo(() => {
    const r = resolution;
    const nodes = new Map<string, FlowNode>();
    const add = (id: string, label: string, extra: Partial<FlowNode> = {}) => nodes.set(id, { id, kind: kindOf(id), label, match: 'NOT_HELD', excluded: false, flags: [], actions: [], ...extra });
    add('Person', t('flow.person'), { match: 'HELD' });
    for (const a of r.activities) add(`ProcessingActivity:${a.activity.id}`, pick(a.activity.name) || a.activity.code);
    for (const a of r.excludedActivities) add(`ProcessingActivity:${a.activity.id}`, pick(a.activity.name) || a.activity.code, { excluded: true, routeTo: a.routeTo ? pick(a.routeTo) : t('flow.controller') });
    for (const d of r.datasets) {
      add(`Dataset:${d.dataset.id}`, `${d.dataset.system.key}/${d.dataset.key}`);
      for (const c of d.dataCategories) {
        add(`DataCategory:${c.id}`, pick(c.name) || c.code, { flags: c.kind === 'SPECIAL_CARE' ? ['SPECIAL_CARE'] : c.kind === 'PERSONALLY_REFERABLE' ? ['PERSONALLY_REFERABLE'] : [] });
      }
    }
    for (const p of r.processors) add(`Processor:${p.processor.id}`, pick(p.processor.name) || p.processor.code);
    for (const j of r.jointUsers) add(`JointUseArrangement:${j.arrangement.id}`, pick(j.arrangement.name) || j.arrangement.code);
    for (const x of r.thirdPartyRecipients) add(`ThirdPartyRecipient:${x.id}`, pick(x.name) || x.code);
    for (const w of r.withheldRecipients) add(`ThirdPartyRecipient:${w.recipient.id}`, pick(w.recipient.name) || w.recipient.code, { flags: ['WITHHELD'] });
    for (const f of r.foreignLocations) add(`Country:${f.country}`, f.country);
    // A node is as sure as the surest link into it.
    for (const l of r.links) {
      const n = nodes.get(l.target);
      if (n && RANK[l.match as Match] > RANK[n.match]) n.match = l.match as Match;
    }
    // Actions name their target by kind and code (a dataset by id): matched to the node drawn for it.
    const byCode = new Map<string, string>();
    for (const a of r.activities) byCode.set(`ProcessingActivity:${a.activity.code}`, `ProcessingActivity:${a.activity.id}`);
    for (const a of r.excludedActivities) byCode.set(`ProcessingActivity:${a.activity.code}`, `ProcessingActivity:${a.activity.id}`);
    for (const p of r.processors) byCode.set(`Processor:${p.processor.code}`, `Processor:${p.processor.id}`);
    for (const j of r.jointUsers) byCode.set(`JointUseArrangement:${j.arrangement.code}`, `JointUseArrangement:${j.arrangement.id}`);
    for (const x of [...r.thirdPartyRecipients, ...r.withheldRecipients.map((w) => w.recipient)]) byCode.set(`ThirdPartyRecipient:${x.code}`, `ThirdPartyRecipient:${x.id}`);
    for (const a of r.actions) {
      const id = a.targetKind === 'Dataset' && a.targetId ? `Dataset:${a.targetId}` : byCode.get(`${a.targetKind}:${a.targetCode}`);
      const n = id ? nodes.get(id) : undefined;
      if (n && !n.actions.includes(a.action)) n.actions.push(a.action);
    }
    return nodes;
    // Labels follow the language.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [resolution, i18n.language]);

  // What is drawn: everything reached from the person, over NOT_HELD links only when asked.
  const { nodes, links } = useMemo(() => {
    const links = resolution.links.filter((l) => showNotHeld || l.match !== 'NOT_HELD');
    const seen = new Set(['Person']);
    for (let grew = true; grew;) {
      grew = false;
      for (const l of links) if (seen.has(l.source) && !seen.has(l.target)) { seen.add(l.target); grew = true; }
    }
    return { nodes: [...all.values()].filter((n) => seen.has(n.id)), links: links.filter((l) => seen.has(l.source) && all.has(l.target)) };
  }, [all, resolution.links, showNotHeld]);
  const hidden = all.size - nodes.length;
  const tooMany = nodes.length > MAX_DRAWN;
  const view = tooMany ? 'table' : asked;

  const nodeWidth = (n: FlowNode) => Math.max(widthOf(n.label), 16 + n.actions.reduce((w, a) => w + widthOf(t(`actionKind.${a}`, { defaultValue: a })) - 4, 0));
  const nodeHeight = (n: FlowNode) => 30 + (n.actions.length ? CHIP_HEIGHT + 4 : 0) + (n.excluded ? 16 : 0);
  const [placed, setPlaced] = useState<Placed | null>(null);
  useEffect(() => {
    let live = true;
    setPlaced(null);
    if (nodes.length > MAX_DRAWN) return;
    void layeredLayout(
      nodes.map((n) => ({ id: n.id, width: nodeWidth(n), height: nodeHeight(n) })),
      links.map((l, i) => ({ id: `l${i}`, source: l.source, target: l.target })),
    ).then((p) => live && setPlaced(p));
    return () => { live = false; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [nodes, links]);

  const frozenAt = resolution.frozen ? dayjs(closedAt ?? resolution.computedAt).format('YYYY-MM-DD HH:mm') : null;
  const kindLabel = (k: string) => t(`flow.kind.${k}`);
  const describe = (n: FlowNode) => [
    `${kindLabel(n.kind)}: ${n.label}`,
    t(`match.${n.match}`),
    ...(n.excluded ? [t('flow.routeTo', { to: n.routeTo })] : []),
    ...n.flags.map((f) => t(`flow.flag.${f}`)),
    ...(n.actions.length ? [`${t('flow.actions')}: ${n.actions.map((a) => t(`actionKind.${a}`, { defaultValue: a })).join(', ')}`] : []),
  ].join(' — ');

  return (
    <div data-testid="resolution-flow" data-frozen={resolution.frozen ? 'true' : 'false'}>
      <Flex gap={12} align="center" wrap style={{ marginBottom: 8 }}>
        <Segmented
          value={view} data-testid="flow-view" disabled={tooMany}
          onChange={(v) => set({ flowView: v === 'table' ? 'table' : null }, { replace: true })}
          options={[{ value: 'graph', label: t('map.graph') }, { value: 'table', label: t('map.table') }]}
        />
        <Flex gap={6} align="center">
          <Switch checked={showNotHeld} onChange={(v) => set({ notHeld: v ? '1' : null }, { replace: true })} aria-label={t('flow.showNotHeld')} data-testid="flow-not-held" size="small" />
          <Typography.Text>{t('flow.showNotHeld')}</Typography.Text>
        </Flex>
        <Typography.Text type="secondary" data-testid="flow-count">{t('flow.shown', { shown: nodes.length, total: all.size })}{!showNotHeld && hidden > 0 ? ` · ${t('flow.hiddenNotHeld', { count: hidden })}` : ''}</Typography.Text>
        <Flex gap={8} align="center">
          <svg width={40} height={8} aria-hidden><line x1={0} y1={4} x2={40} y2={4} stroke="#595959" strokeWidth={1.5} /></svg><Typography.Text>{t('match.HELD')}</Typography.Text>
          <svg width={40} height={8} aria-hidden><line x1={0} y1={4} x2={40} y2={4} stroke="#595959" strokeWidth={1.5} strokeDasharray="6 4" /></svg><Typography.Text>{t('match.POSSIBLE')}</Typography.Text>
          <svg width={40} height={8} aria-hidden><line x1={0} y1={4} x2={40} y2={4} stroke="#bfbfbf" strokeWidth={1} strokeDasharray="2 3" /></svg><Typography.Text>{t('match.NOT_HELD')}</Typography.Text>
        </Flex>
        {view === 'graph' && <Button disabled={!placed} onClick={() => svgRef.current && downloadPng(svgRef.current, 'resolution-flow.png')} data-testid="flow-png">{t('map.downloadPng')}</Button>}
      </Flex>
      {tooMany && <Alert type="info" style={{ marginBottom: 8 }} title={t('flow.tooMany', { count: nodes.length, max: MAX_DRAWN })} data-testid="flow-too-many" />}
      {view === 'graph' && placed && (
        <div style={{ overflow: 'auto', maxHeight: 720, border: '1px solid #f0f0f0' }}>
          <svg ref={svgRef} xmlns="http://www.w3.org/2000/svg" role="group" aria-label={t('flow.title')} viewBox={`0 0 ${placed.width} ${placed.height}`} width={placed.width} height={placed.height} data-testid="flow-graph" style={{ fontFamily: 'sans-serif' }}>
            <defs>
              <marker id="flow-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#8c8c8c" /></marker>
            </defs>
            {frozenAt && (
              // The watermark says the picture is evidence, not the live state of the register.
              <text x={placed.width / 2} y={placed.height / 2} textAnchor="middle" fontSize={Math.min(48, Math.max(18, placed.width / 16))} fill="#000" fillOpacity={0.08} transform={`rotate(-12 ${placed.width / 2} ${placed.height / 2})`} data-testid="flow-watermark" aria-hidden>
                {t('flow.frozenAt', { at: frozenAt })}
              </text>
            )}
            {placed.edges.map((e) => {
              const l = links[Number(e.id.slice(1))];
              return (
                <polyline
                  key={e.id} points={e.points.map((p) => `${p.x},${p.y}`).join(' ')} fill="none" markerEnd="url(#flow-arrow)"
                  stroke={l.match === 'NOT_HELD' ? '#bfbfbf' : '#595959'} strokeWidth={l.match === 'HELD' ? 1.5 : 1}
                  strokeDasharray={l.match === 'POSSIBLE' ? '6 4' : l.match === 'NOT_HELD' ? '2 3' : undefined}
                  data-testid="flow-edge" data-source={l.source} data-target={l.target} data-match={l.match} data-kind={l.kind}
                />
              );
            })}
            {placed.nodes.map((p) => {
              const n = all.get(p.id)!;
              const grey = n.excluded || n.match === 'NOT_HELD';
              let x = 8;
              return (
                <g key={p.id} transform={`translate(${p.x},${p.y})`} tabIndex={0} role="img" aria-label={describe(n)} style={{ outlineOffset: 2 }}
                  data-testid="flow-node" data-node-id={n.id} data-match={n.match} data-excluded={n.excluded ? 'true' : undefined}>
                  <rect width={p.width} height={p.height} rx={6} fill={grey ? '#f5f5f5' : FILL[n.kind]} stroke={n.flags.includes('SPECIAL_CARE') ? '#cf1322' : grey ? '#bfbfbf' : '#8c8c8c'}
                    strokeWidth={n.flags.includes('SPECIAL_CARE') ? 2 : 1} strokeDasharray={n.match === 'POSSIBLE' ? '4 3' : undefined} />
                  <text x={8} y={19} fontSize={12} fill={grey ? '#595959' : '#1f1f1f'}>{short(n.label)}</text>
                  {n.excluded && <text x={8} y={34} fontSize={11} fill="#595959">{short(`→ ${n.routeTo}`)}</text>}
                  {n.actions.map((a) => {
                    const label = t(`actionKind.${a}`, { defaultValue: a });
                    const w = widthOf(label) - 8;
                    const chip = (
                      <g key={a} transform={`translate(${x},${p.height - CHIP_HEIGHT - 4})`} data-testid="flow-chip" data-action={a}>
                        <rect width={w} height={CHIP_HEIGHT} rx={9} fill="#fff" stroke="#1677ff" />
                        <text x={w / 2} y={13} fontSize={11} textAnchor="middle" fill="#0958d9">{label}</text>
                      </g>
                    );
                    x += w + 4;
                    return chip;
                  })}
                  <title>{describe(n)}</title>
                </g>
              );
            })}
          </svg>
        </div>
      )}
      {view === 'table' && (
        <Table<FlowNode>
          data-testid="flow-table" rowKey="id" size="small" dataSource={nodes} pagination={{ pageSize: 50, showSizeChanger: false, hideOnSinglePage: true }}
          onRow={(n) => ({ 'data-node-id': n.id, 'data-testid': 'flow-row' }) as never}
          columns={[
            { key: 'kind', title: t('map.col.kind'), render: (_, n) => kindLabel(n.kind), filters: [...new Set(nodes.map((n) => n.kind))].map((k) => ({ text: kindLabel(k), value: k })), onFilter: (v, n) => n.kind === v },
            { key: 'label', title: t('map.col.label'), render: (_, n) => <>{n.label}{n.flags.map((f) => <Tag key={f} color={f === 'SPECIAL_CARE' ? 'red' : 'purple'} style={{ marginLeft: 6 }}>{t(`flow.flag.${f}`)}</Tag>)}</> },
            { key: 'match', title: t('request.match'), render: (_, n) => <Tag style={n.match === 'POSSIBLE' ? { borderStyle: 'dashed' } : undefined}>{t(`match.${n.match}`)}</Tag> },
            { key: 'route', title: t('request.routeTo'), render: (_, n) => (n.excluded ? n.routeTo : '') },
            { key: 'actions', title: t('flow.actions'), render: (_, n) => n.actions.map((a) => <Tag key={a} color="blue">{t(`actionKind.${a}`, { defaultValue: a })}</Tag>) },
          ]}
        />
      )}
    </div>
  );
}
