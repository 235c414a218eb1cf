import { useMemo, useState } from 'react';
import { Alert, Button, Descriptions, Drawer, Flex, Modal, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../gql';
import type { ForeignTransferBasis, TransferCountryState, TransfersQuery } from '../gql/graphql';
import { QueryState } from '../lib/QueryState';
import { LocalizedText, useLocalized } from '../lib/text';
import { useUrlState } from '../lib/url-state';
import { arcPath, HEIGHT, shapeOf, WIDTH, worldAround } from './transfer-geo';

const TransfersDoc = graphql(`
  query Transfers($basis: [ForeignTransferBasis!], $states: [TransferCountryState!]) {
    transferMap(basis: $basis, states: $states) {
      homeCountry
      homeCountryName { ja en }
      countries {
        code name { ja en } state specialCare
        transfers { id basis recipientName { ja en } }
        storageLocations { id name { ja en } }
      }
      arcs { country basis transfers }
    }
  }
`);

const CountryDoc = graphql(`
  query TransferCountry($countries: [String!], $basis: [ForeignTransferBasis!], $language: ReportLanguage!) {
    transferMap(countries: $countries, basis: $basis) {
      countries {
        code name { ja en } state staleReasons reviewDue specialCare specialCareTransferIds
        assessment {
          reviewedAt regime { ja en } ppcReport { ja en } ppcReportUrl impediments { ja en }
          effectiveFacts { appiDesignation euAdequacyDecision cbprParticipation }
        }
        transfers {
          id code basis recipientKind recipientName { ja en } purpose { ja en } itemsText { ja en }
          dataCategories { id name { ja en } kind }
          activities { id name { ja en } }
          art28Information(language: $language) { incomplete missing items { key label text } }
        }
        storageLocations { id code name { ja en } region }
      }
    }
  }
`);

const StatementDoc = graphql(`
  query TransferStatement($transferId: ID!, $language: ReportLanguage!) {
    foreignTransferStatement(transferId: $transferId, language: $language)
  }
`);

type MapData = TransfersQuery['transferMap'];
type Key = 'basis' | 'state' | 'view' | 'country';

const BASES: ForeignTransferBasis[] = ['CONSENT_WITH_INFORMATION', 'EQUIVALENT_MEASURES_CONTRACT', 'EQUIVALENT_MEASURES_CBPR', 'ADEQUATE_COUNTRY', 'STATUTORY_EXCEPTION'];
const STATES: TransferCountryState[] = ['ASSESSED', 'STALE', 'MISSING'];

/** The four kinds of route a line can take; the two equivalent-measures routes share one colour. */
const ROUTE: Record<ForeignTransferBasis, 'consent' | 'equivalent' | 'adequate' | 'other'> = {
  CONSENT_WITH_INFORMATION: 'consent',
  EQUIVALENT_MEASURES_CONTRACT: 'equivalent',
  EQUIVALENT_MEASURES_CBPR: 'equivalent',
  ADEQUATE_COUNTRY: 'adequate',
  STATUTORY_EXCEPTION: 'other',
};
const ROUTE_COLOR = { consent: '#722ed1', equivalent: '#1677ff', adequate: '#08979c', other: '#595959' } as const;
const STATE_COLOR: Record<TransferCountryState, string> = { ASSESSED: '#95de64', STALE: '#ffc53d', MISSING: '#ff7875' };
const STATE_TAG: Record<TransferCountryState, string> = { ASSESSED: 'green', STALE: 'gold', MISSING: 'red' };
const SPECIAL = '#a8071a';

const list = <T extends string>(raw: string, allowed: readonly T[]): T[] => raw.split(',').filter((v): v is T => (allowed as readonly string[]).includes(v));

function activate(open: () => void) {
  return (ev: React.KeyboardEvent) => {
    if (ev.key === 'Enter' || ev.key === ' ') {
      ev.preventDefault();
      open();
    }
  };
}

function WorldMap({ data, onOpen }: { data: MapData; onOpen: (code: string) => void }) {
  const { t } = useTranslation();
  const pick = useLocalized();
  const w = useMemo(() => worldAround(data.homeCountry), [data.homeCountry]);
  const home = w.anchor(data.homeCountry);
  const homeXY = home && w.projection(home);
  const sphere = w.path({ type: 'Sphere' }) ?? '';
  return (
    <svg xmlns="http://www.w3.org/2000/svg" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="group" aria-label={t('transfers.mapLabel', { home: pick(data.homeCountryName) })} data-testid="transfer-map" style={{ width: '100%', maxWidth: WIDTH, height: 'auto', display: 'block', fontFamily: 'sans-serif' }}>
      {/* CSS outranks the shapes' presentation attributes: the focused country or line is drawn heavier instead of boxed by the browser's outline. */}
      <style>{'.tm-country:focus,.tm-arc:focus{outline:none}.tm-country:focus-visible path,.tm-country:focus-visible circle{stroke:#000;stroke-width:2.5px}.tm-arc:focus-visible path+path,.tm-arc:hover path+path{stroke-width:4.5px}'}</style>
      <defs>
        <pattern id="special-care" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect width="6" height="6" fill="none" />
          <line x1="0" y1="0" x2="0" y2="6" stroke={SPECIAL} strokeWidth="1.5" />
        </pattern>
      </defs>
      <path d={sphere} fill="#f0f5ff" stroke="#d9d9d9" aria-hidden="true" />
      <g aria-hidden="true">
        {w.shapes.map((s, i) => <path key={String(s.id ?? i)} d={w.path(s) ?? ''} fill="#f5f5f5" stroke="#d9d9d9" strokeWidth={0.4} />)}
      </g>
      {data.countries.map((c) => {
        const anchor = w.anchor(c.code);
        const xy = anchor && w.projection(anchor);
        const shape = shapeOf(c.code);
        const label = `${pick(c.name)} (${c.code}): ${t(`transfers.state.${c.state}`)}${c.specialCare ? `, ${t('transfers.specialCare')}` : ''}, ${t('transfers.counts', { transfers: c.transfers.length, locations: c.storageLocations.length })}`;
        return (
          <g key={c.code} className="tm-country" tabIndex={0} role="button" aria-label={label} onClick={() => onOpen(c.code)} onKeyDown={activate(() => onOpen(c.code))} style={{ cursor: 'pointer' }}
            data-testid="transfer-country" data-country={c.code} data-state={c.state} data-special-care={String(c.specialCare)}>
            <title>{label}</title>
            {shape && <path d={w.path(shape) ?? ''} fill={STATE_COLOR[c.state]} stroke="#595959" strokeWidth={0.6} />}
            {shape && c.specialCare && <path d={w.path(shape) ?? ''} fill="url(#special-care)" stroke={SPECIAL} strokeWidth={1.2} />}
            {xy && <circle cx={xy[0]} cy={xy[1]} r={c.specialCare ? 5 : 4} fill={STATE_COLOR[c.state]} stroke={c.specialCare ? SPECIAL : '#434343'} strokeWidth={c.specialCare ? 2.5 : 1} />}
          </g>
        );
      })}
      {home && data.arcs.map((a, i) => {
        const to = w.anchor(a.country);
        if (!to) return null;
        const same = data.arcs.filter((x) => x.country === a.country);
        const bow = (same.indexOf(a) - (same.length - 1) / 2) * 14;
        const route = ROUTE[a.basis];
        const country = data.countries.find((c) => c.code === a.country);
        const label = `${pick(data.homeCountryName)} → ${country ? pick(country.name) : a.country}: ${t(`transfers.basis.${a.basis}`)} (${t('transfers.transferCount', { count: a.transfers })})`;
        const d = arcPath(w, home, to, bow);
        return (
          <g key={`${a.country}|${a.basis}`} className="tm-arc" tabIndex={0} role="button" aria-label={label} onClick={() => onOpen(a.country)} onKeyDown={activate(() => onOpen(a.country))} style={{ cursor: 'pointer' }}
            data-testid="transfer-arc" data-country={a.country} data-basis={a.basis} data-index={i}>
            <title>{label}</title>
            <path d={d} fill="none" stroke="transparent" strokeWidth={9} />
            <path d={d} fill="none" stroke={ROUTE_COLOR[route]} strokeWidth={2} strokeDasharray={route === 'other' ? '6 4' : undefined} strokeLinecap="round" />
          </g>
        );
      })}
      {homeXY && (
        <g aria-hidden="true">
          <circle cx={homeXY[0]} cy={homeXY[1]} r={6} fill="#1f1f1f" stroke="#fff" strokeWidth={2} />
          <text x={homeXY[0] + 8} y={homeXY[1] - 8} fontSize={12} fill="#1f1f1f" stroke="#fff" strokeWidth={3} paintOrder="stroke">{pick(data.homeCountryName)}</text>
        </g>
      )}
    </svg>
  );
}

function Legend() {
  const { t } = useTranslation();
  const box = (fill: string, stroke = '#595959', pattern = false) => (
    <svg width="18" height="12" aria-hidden="true" style={{ verticalAlign: 'middle', marginInlineEnd: 4 }}>
      <rect x="0.5" y="0.5" width="17" height="11" fill={fill} stroke={stroke} />
      {pattern && <path d="M0 12 L12 0 M6 12 L18 0" stroke={SPECIAL} strokeWidth="1.5" />}
    </svg>
  );
  const line = (color: string, dashed: boolean) => (
    <svg width="24" height="12" aria-hidden="true" style={{ verticalAlign: 'middle', marginInlineEnd: 4 }}>
      <line x1="0" y1="6" x2="24" y2="6" stroke={color} strokeWidth="2.5" strokeDasharray={dashed ? '6 4' : undefined} />
    </svg>
  );
  return (
    <Flex gap={16} wrap style={{ marginTop: 8 }} data-testid="transfer-legend">
      {STATES.map((s) => <span key={s}>{box(STATE_COLOR[s])}{t(`transfers.state.${s}`)}</span>)}
      <span>{box('#fff', SPECIAL, true)}{t('transfers.specialCare')}</span>
      {(['consent', 'equivalent', 'adequate', 'other'] as const).map((r) => <span key={r}>{line(ROUTE_COLOR[r], r === 'other')}{t(`transfers.route.${r}`)}</span>)}
    </Flex>
  );
}

function Statement({ transferId, onClose }: { transferId: string | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const [{ data, fetching, error }] = useQuery({ query: StatementDoc, variables: { transferId: transferId ?? '', language: i18n.language === 'en' ? 'EN' : 'JA' }, pause: !transferId });
  return (
    <Modal open={!!transferId} onCancel={onClose} footer={null} title={t('transfers.statement')} width={760} data-testid="transfer-statement">
      <QueryState fetching={fetching} error={error}>
        {data && (data.foreignTransferStatement ? <pre style={{ whiteSpace: 'pre-wrap', fontFamily: 'inherit' }} data-testid="transfer-statement-text">{data.foreignTransferStatement}</pre> : <Alert type="info" title={t('transfers.noStatement')} />)}
      </QueryState>
    </Modal>
  );
}

function CountryPanel({ code, basis, onClose }: { code: string; basis: ForeignTransferBasis[]; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const pick = useLocalized();
  const [{ data, fetching, error }] = useQuery({ query: CountryDoc, variables: { countries: [code], basis: basis.length ? basis : null, language: i18n.language === 'en' ? 'EN' : 'JA' } });
  const [statement, setStatement] = useState<string | null>(null);
  const c = data?.transferMap.countries[0];
  return (
    <Drawer open onClose={onClose} title={c ? `${pick(c.name)} (${c.code})` : code} size="large" data-testid="transfer-drawer">
      <QueryState fetching={fetching} error={error}>
        {data && !c && <Alert type="info" title={t('transfers.noData')} />}
        {c && (
          <>
            <Descriptions column={1} size="small" bordered items={[
              { key: 'state', label: t('transfers.col.state'), children: <><Tag color={STATE_TAG[c.state]} data-testid="transfer-drawer-state">{t(`transfers.state.${c.state}`)}</Tag>{c.staleReasons.map((r) => <Tag key={r}>{t(`transfers.stale.${r}`)}</Tag>)}</> },
              { key: 'reviewed', label: t('transfers.reviewedAt'), children: c.assessment?.reviewedAt ?? t('common.none') },
              { key: 'due', label: t('transfers.reviewDue'), children: c.reviewDue ?? '—' },
              { key: 'special', label: t('transfers.specialCare'), children: c.specialCare ? <Tag color="red">{t('common.yes')}</Tag> : t('common.no') },
              ...(c.assessment ? [
                { key: 'facts', label: t('transfers.facts'), children: (['appiDesignation', 'euAdequacyDecision', 'cbprParticipation'] as const).map((k) => <Tag key={k}>{t(`transfers.fact.${k}`)}: {t(`transfers.factValue.${c.assessment!.effectiveFacts[k]}`)}</Tag>) },
                { key: 'regime', label: t('transfers.regime'), children: <div data-testid="transfer-regime"><LocalizedText value={c.assessment.regime} /></div> },
                { key: 'report', label: t('transfers.ppcReport'), children: <>{<LocalizedText value={c.assessment.ppcReport} />}{c.assessment.ppcReportUrl && <div><a href={c.assessment.ppcReportUrl} target="_blank" rel="noreferrer">{c.assessment.ppcReportUrl}</a></div>}</> },
                { key: 'impediments', label: t('transfers.impediments'), children: <LocalizedText value={c.assessment.impediments} /> },
              ] : []),
            ]} />
            {!c.assessment && <Alert style={{ marginTop: 12 }} type="warning" title={t('transfers.noAssessment')} data-testid="transfer-no-assessment" />}
            <Typography.Title level={2} style={{ fontSize: 16, marginTop: 16 }}>{t('transfers.recipients')} ({c.transfers.length})</Typography.Title>
            {c.transfers.map((tr) => (
              <div key={tr.id} style={{ border: '1px solid #f0f0f0', borderRadius: 6, padding: 12, marginBottom: 12 }} data-testid="transfer-recipient">
                <Space wrap>
                  <strong>{pick(tr.recipientName)}</strong>
                  <Tag color={ROUTE_COLOR[ROUTE[tr.basis]]}>{t(`transfers.basis.${tr.basis}`)}</Tag>
                  <Tag>{t(`transfers.recipientKind.${tr.recipientKind}`)}</Tag>
                  {c.specialCareTransferIds.includes(tr.id) && <Tag color="red">{t('transfers.specialCare')}</Tag>}
                </Space>
                <dl style={{ margin: '8px 0' }}>
                  {[
                    { key: 'purpose', label: t('transfers.purpose'), children: <LocalizedText value={tr.purpose} /> },
                    { key: 'items', label: t('transfers.items'), children: <><LocalizedText value={tr.itemsText} /><Flex gap={4} wrap style={{ marginTop: 4 }}>{tr.dataCategories.map((d) => <Tag key={d.id} color={d.kind === 'SPECIAL_CARE' ? 'red' : undefined}>{pick(d.name)}</Tag>)}</Flex></> },
                    { key: 'activities', label: t('transfers.activities'), children: tr.activities.map((a, i) => <span key={a.id}>{i > 0 && '、'}<Link to={`/activities/${a.id}`}>{pick(a.name)}</Link></span>) },
                    { key: 'art28', label: t('transfers.art28'), children: (
                      <>
                        {tr.art28Information.incomplete && <Tag color="orange">{t('transfers.art28Missing', { items: tr.art28Information.missing.join(', ') })}</Tag>}
                        {tr.art28Information.items.map((it) => <div key={it.key} style={{ marginTop: 4 }}><div style={{ fontWeight: 600 }}>{it.label}</div><div style={{ whiteSpace: 'pre-wrap' }}>{it.text}</div></div>)}
                      </>
                    ) },
                  ].map((row) => (
                    <div key={row.key} style={{ marginBottom: 8 }}>
                      <dt><Typography.Text type="secondary">{row.label}</Typography.Text></dt>
                      <dd style={{ marginInlineStart: 0 }}>{row.children}</dd>
                    </div>
                  ))}
                </dl>
                <Button size="small" onClick={() => setStatement(tr.id)} data-testid="transfer-statement-open">{t('transfers.openStatement')}</Button>
              </div>
            ))}
            {c.storageLocations.length > 0 && (
              <>
                <Typography.Title level={2} style={{ fontSize: 16 }}>{t('transfers.storage')} ({c.storageLocations.length})</Typography.Title>
                <ul>{c.storageLocations.map((l) => <li key={l.id}>{pick(l.name)} <Typography.Text type="secondary">{[l.code, l.region].filter(Boolean).join(' · ')}</Typography.Text></li>)}</ul>
              </>
            )}
          </>
        )}
      </QueryState>
      <Statement transferId={statement} onClose={() => setStatement(null)} />
    </Drawer>
  );
}

export default function Transfers() {
  const { t } = useTranslation();
  const pick = useLocalized();
  const [get, set] = useUrlState<Key>();
  const basis = list(get('basis'), BASES);
  const states = list(get('state'), STATES);
  const [{ data, fetching, error }] = useQuery({ query: TransfersDoc, variables: { basis: basis.length ? basis : null, states: states.length ? states : null } });
  const map = data?.transferMap;
  const view = get('view') === 'table' ? 'table' : 'map';
  const open = (code: string) => set({ country: code });
  return (
    <div data-testid="page-transfers">
      <Typography.Title level={1} style={{ fontSize: 24 }}>{t('nav.transfers')}</Typography.Title>
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        <Select mode="multiple" allowClear aria-label={t('transfers.filterBasis')} placeholder={t('transfers.filterBasis')} value={basis} style={{ minWidth: 280 }} data-testid="transfer-basis"
          onChange={(v: ForeignTransferBasis[]) => set({ basis: v.join(',') })} options={BASES.map((b) => ({ value: b, label: t(`transfers.basis.${b}`) }))} />
        <Select mode="multiple" allowClear aria-label={t('transfers.filterState')} placeholder={t('transfers.filterState')} value={states} style={{ minWidth: 220 }} data-testid="transfer-state"
          onChange={(v: TransferCountryState[]) => set({ state: v.join(',') })} options={STATES.map((s) => ({ value: s, label: t(`transfers.state.${s}`) }))} />
        <Segmented value={view} onChange={(v) => set({ view: v === 'table' ? 'table' : null })} options={[{ value: 'map', label: t('transfers.map') }, { value: 'table', label: t('map.table') }]} data-testid="transfer-view" />
      </Flex>
      <QueryState fetching={fetching} error={error}>
        {map && (
          <>
            <Typography.Paragraph type="secondary" data-testid="transfer-summary">
              {t('transfers.summary', { countries: map.countries.length, lines: map.arcs.length, home: pick(map.homeCountryName) })}
            </Typography.Paragraph>
            {map.countries.length === 0 && <Alert type="info" title={t('transfers.empty')} style={{ marginBottom: 12 }} />}
            {view === 'map' && (
              <div style={{ border: '1px solid #f0f0f0' }}>
                <WorldMap data={map} onOpen={open} />
              </div>
            )}
            {view === 'map' && map.countries.some((c) => !shapeOf(c.code)) && (
              <Typography.Paragraph type="secondary" data-testid="transfer-unplaced">
                {t('transfers.unplaced', { countries: map.countries.filter((c) => !shapeOf(c.code)).map((c) => `${pick(c.name)} (${c.code})`).join(', ') })}
              </Typography.Paragraph>
            )}
            {view === 'map' && <Legend />}
            {view === 'table' && (
              <Table
                data-testid="transfer-table"
                rowKey="code"
                size="small"
                dataSource={map.countries}
                pagination={false}
                columns={[
                  { key: 'country', title: t('transfers.col.country'), render: (_: unknown, c) => <a onClick={() => open(c.code)} onKeyDown={activate(() => open(c.code))} tabIndex={0} role="button" data-testid="transfer-row" data-country={c.code}>{pick(c.name)} ({c.code})</a> },
                  { key: 'state', title: t('transfers.col.state'), render: (_: unknown, c) => <Tag color={STATE_TAG[c.state]}>{t(`transfers.state.${c.state}`)}</Tag> },
                  { key: 'special', title: t('transfers.specialCare'), render: (_: unknown, c) => (c.specialCare ? <Tag color="red">{t('transfers.specialCare')}</Tag> : null) },
                  { key: 'recipients', title: t('transfers.recipients'), render: (_: unknown, c) => c.transfers.map((tr) => <div key={tr.id}>{pick(tr.recipientName)} <Tag color={ROUTE_COLOR[ROUTE[tr.basis]]}>{t(`transfers.basis.${tr.basis}`)}</Tag></div>) },
                  { key: 'storage', title: t('transfers.storage'), render: (_: unknown, c) => c.storageLocations.map((l) => pick(l.name)).join('、') },
                ]}
              />
            )}
          </>
        )}
      </QueryState>
      {get('country') && <CountryPanel key={get('country')} code={get('country')} basis={basis} onClose={() => set({ country: null })} />}
    </div>
  );
}
