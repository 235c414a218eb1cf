import { useMemo, useState } from 'react';
import { Alert, Drawer, Flex, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../gql';
import type { ProcessorAuditFilter, ProcessorFindingMatrixQuery, Severity } from '../gql/graphql';
import { QueryState } from '../lib/QueryState';
import { useLocalized } from '../lib/text';
import './processor-heatmap.css';

// processorAudits answers every processor's findings in one statement, evidence included, so the
// matrix and its drawer need no per-processor query.
const MatrixDoc = graphql(`
  query ProcessorFindingMatrix($filter: ProcessorAuditFilter, $language: ReportLanguage!) {
    processorAudits(first: 500, orderBy: RISK, filter: $filter) {
      totalCount
      edges { node { riskScore processor { id code name { ja en } } findings { code severity label(language: $language) evidence(language: $language) records { type code } } } }
    }
  }
`);

type Audit = ProcessorFindingMatrixQuery['processorAudits']['edges'][number]['node'];
type Finding = Audit['findings'][number];
const RANK: Record<Severity, number> = { HIGH: 3, MEDIUM: 2, LOW: 1 };
const worst = (fs: Finding[]): Severity => fs.reduce<Severity>((w, f) => (RANK[f.severity] > RANK[w] ? f.severity : w), 'LOW');

/** 委託先 heat-map: processors × finding codes, each cell the count at its highest severity; the table is its own twin. */
export function ProcessorHeatmap({ filter }: { filter: ProcessorAuditFilter }) {
  const { t, i18n } = useTranslation();
  const pick = useLocalized();
  const language = i18n.language === 'en' ? 'EN' : 'JA';
  const [{ data, fetching, error }] = useQuery({ query: MatrixDoc, variables: { filter, language } });
  const [open, setOpen] = useState<{ audit: Audit; code: string } | null>(null);
  const audits = useMemo(() => data?.processorAudits.edges.map((e) => e.node) ?? [], [data]);

  // Columns: the codes found anywhere, the most severe and most frequent first, so the hot corner is top-left.
  const codes = useMemo(() => {
    const by = new Map<string, { label: string; rank: number; n: number }>();
    for (const a of audits) for (const f of a.findings) {
      const c = by.get(f.code) ?? { label: f.label, rank: 0, n: 0 };
      by.set(f.code, { label: c.label, rank: Math.max(c.rank, RANK[f.severity]), n: c.n + 1 });
    }
    return [...by].sort(([ca, a], [cb, b]) => b.rank - a.rank || b.n - a.n || ca.localeCompare(cb)).map(([code, c]) => ({ code, label: c.label }));
  }, [audits]);

  const shown = open ? open.audit.findings.filter((f) => f.code === open.code) : [];
  const total = data?.processorAudits.totalCount ?? 0;
  return (
    <QueryState fetching={fetching} error={error}>
      {total > audits.length && <Alert type="info" title={t('heatmap.partial', { shown: audits.length, total })} style={{ marginBottom: 8 }} />}
      <Flex gap={8} align="center" wrap style={{ marginBottom: 8 }} data-testid="heatmap-legend">
        <Typography.Text type="secondary">{t('processor.severity')}</Typography.Text>
        {(['HIGH', 'MEDIUM', 'LOW'] as Severity[]).map((s) => <span key={s} className={`heat-cell heat-${s}`} style={{ padding: '2px 8px' }}>{t(`severity.${s}`)}</span>)}
      </Flex>
      <div className="heatmap-scroll">
        <table className="heatmap" data-testid="heatmap">
          <caption>{t('heatmap.caption', { count: audits.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('nav.processors')}</th>
              {codes.map((c) => <th scope="col" key={c.code} data-code={c.code}><span>{c.label}</span></th>)}
            </tr>
          </thead>
          <tbody>
            {audits.map((a) => (
              <tr key={a.processor.id} data-testid="heat-row" data-processor-id={a.processor.id}>
                <th scope="row"><Link to={`/processors/${a.processor.id}`}>{pick(a.processor.name)}</Link></th>
                {codes.map((c) => {
                  const fs = a.findings.filter((f) => f.code === c.code);
                  if (!fs.length) return <td key={c.code} className="heat-cell" />;
                  const sev = worst(fs);
                  return (
                    <td key={c.code} className={`heat-cell heat-${sev}`} data-testid="heat-cell" data-processor-id={a.processor.id} data-code={c.code} data-count={fs.length} data-severity={sev}>
                      <button type="button" onClick={() => setOpen({ audit: a, code: c.code })} aria-label={t('heatmap.cell', { processor: pick(a.processor.name), finding: c.label, count: fs.length, severity: t(`severity.${sev}`) })}>
                        {fs.length}
                      </button>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Drawer open={!!open} onClose={() => setOpen(null)} size="large" data-testid="heat-drawer"
        title={open ? `${pick(open.audit.processor.name)} — ${shown[0]?.label ?? ''}` : ''}>
        {open && (
          <>
            {shown.map((f, i) => (
              <div key={`${f.code}-${i}`} data-testid="heat-evidence" style={{ marginBottom: 16 }}>
                <Tag color={f.severity === 'HIGH' ? 'red' : f.severity === 'MEDIUM' ? 'orange' : 'blue'}>{t(`severity.${f.severity}`)}</Tag>
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginTop: 8 }}>{f.evidence}</Typography.Paragraph>
                <Flex wrap gap={4}>{f.records.map((r) => <Tag key={`${r.type}:${r.code}`}>{`${r.type} ${r.code}`}</Tag>)}</Flex>
              </div>
            ))}
            <Link to={`/processors/${open.audit.processor.id}`} data-testid="heat-open-audit">{t('heatmap.openAudit')}</Link>
          </>
        )}
      </Drawer>
    </QueryState>
  );
}
