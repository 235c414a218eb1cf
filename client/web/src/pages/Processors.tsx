import { useMemo } from 'react';
import { Alert, Flex, Input, Segmented, Select, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../gql';
import type { ProcessorRiskListQuery, Severity } from '../gql/graphql';
import { useAuth } from '../auth/session';
import { QueryState } from '../lib/QueryState';
import { useLocalized } from '../lib/text';
import { useUrlState } from '../lib/url-state';
import { TAG } from '../lib/deadline';
import { ProcessorHeatmap } from './ProcessorHeatmap';

const ListDoc = graphql(`
  query ProcessorRiskList($filter: ProcessorAuditFilter) {
    processorAudits(first: 500, orderBy: RISK, filter: $filter) {
      totalCount
      edges { node { riskScore nextAuditDue findings { code severity } contract { expiresAt } processor { id code country name { ja en } services } } }
    }
  }
`);

type Row = ProcessorRiskListQuery['processorAudits']['edges'][number]['node'];
export const SEVERITIES: Severity[] = ['HIGH', 'MEDIUM', 'LOW'];
export const severityColor = (s: string) => (s === 'HIGH' ? 'red' : s === 'MEDIUM' ? TAG.warn : TAG.info);
/** Readers of processor audits (the server's policy): analysts curate records but do not audit processors. */
export const AUDIT_READERS = ['PRIVACY_ADMIN', 'AUDITOR'];

export default function Processors() {
  const { t } = useTranslation();
  const pick = useLocalized();
  const { session } = useAuth();
  const [get, set] = useUrlState<'q' | 'severity' | 'finding' | 'page' | 'view'>();
  const filter = useMemo(
    () => ({
      ...(get('q') ? { search: get('q') } : {}),
      ...(get('severity') ? { minSeverity: get('severity') as Severity } : {}),
      ...(get('finding') ? { findings: [get('finding') as 'NO_CONTRACT'] } : {}),
    }),
    [get],
  );
  const allowed = !!session?.roles.some((r) => AUDIT_READERS.includes(r));
  const heatmap = get('view') === 'heatmap';
  const [{ data, fetching, error }] = useQuery({ query: ListDoc, variables: { filter }, pause: !allowed || heatmap });
  const rows = data?.processorAudits.edges.map((e) => e.node) ?? [];

  const columns: ColumnsType<Row> = [
    { key: 'risk', title: t('processors.risk'), width: 90, render: (_, r) => <Tag color={r.riskScore >= 50 ? 'red' : r.riskScore >= 20 ? TAG.warn : TAG.ok} data-testid="risk-score">{r.riskScore}</Tag> },
    { key: 'name', title: t('activities.col.name'), render: (_, r) => <Link to={`/processors/${r.processor.id}`} data-testid="processor-link">{pick(r.processor.name)}</Link> },
    { key: 'code', title: t('activities.col.code'), render: (_, r) => r.processor.code },
    { key: 'country', title: t('activities.col.countries'), render: (_, r) => r.processor.country },
    {
      key: 'findings', title: t('processors.findings'),
      render: (_, r) => (
        <Flex wrap gap={4}>
          {r.findings.map((f, i) => <Tag key={`${f.code}-${i}`} color={severityColor(f.severity)}>{t(`finding.${f.code}`)}</Tag>)}
        </Flex>
      ),
    },
    { key: 'contract', title: t('processors.contractExpires'), render: (_, r) => r.contract?.expiresAt ?? '' },
    { key: 'next', title: t('processors.nextAudit'), render: (_, r) => r.nextAuditDue ?? '' },
  ];

  return (
    <div data-testid="page-processors">
      <Typography.Title level={1} style={{ fontSize: 24 }}>{t('nav.processors')}</Typography.Title>
      {!allowed && <Alert type="info" title={t('processors.notForRole')} data-testid="not-for-role" />}
      {allowed && (
        <>
          <Flex gap={8} wrap style={{ marginBottom: 12 }}>
            <Input.Search aria-label={t('processors.search')} placeholder={t('processors.search')} defaultValue={get('q')} allowClear onSearch={(v) => set({ q: v, page: null })} style={{ width: 260 }} />
            <Select
              aria-label={t('processors.minSeverity')} placeholder={t('processors.minSeverity')} allowClear style={{ width: 180 }}
              value={get('severity') || undefined} onChange={(v?: string) => set({ severity: v ?? null, page: null })}
              options={SEVERITIES.map((s) => ({ value: s, label: t(`severity.${s}`) }))}
            />
            <Select
              aria-label={t('processors.finding')} placeholder={t('processors.finding')} allowClear style={{ width: 260 }}
              value={get('finding') || undefined} onChange={(v?: string) => set({ finding: v ?? null, page: null })}
              options={Object.keys(t('finding', { returnObjects: true }) as Record<string, string>).map((c) => ({ value: c, label: t(`finding.${c}`) }))}
            />
            <Segmented
              data-testid="processors-view" value={heatmap ? 'heatmap' : 'list'} onChange={(v) => set({ view: v === 'heatmap' ? 'heatmap' : null })}
              options={[{ value: 'list', label: t('heatmap.list') }, { value: 'heatmap', label: t('heatmap.title') }]}
            />
          </Flex>
          {heatmap ? <ProcessorHeatmap filter={filter} /> : (
          <QueryState fetching={fetching} error={error}>
            <Table<Row>
              data-testid="processors-table" rowKey={(r) => r.processor.id} size="small" loading={fetching} columns={columns} dataSource={rows}
              onChange={(p) => set({ page: p.current && p.current > 1 ? String(p.current) : null })}
              pagination={{ current: Number(get('page')) || 1, pageSize: 50, showSizeChanger: false }}
            />
          </QueryState>
          )}
        </>
      )}
    </div>
  );
}
