import { useMemo } from 'react';
import { Card, Col, Flex, List, Row, Statistic, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { graphql } from '../gql';
import { QueryState } from '../lib/QueryState';
import { useLocalized } from '../lib/text';

const DashboardQuery = graphql(`
  query Dashboard($soon: DateTimeISO!) {
    activities: processingActivities(first: 1) { totalCount }
    processors(first: 1) { totalCount }
    foreignTransfers { id country }
    received: dataSubjectRequests(first: 1, filter: { status: RECEIVED }) { totalCount }
    verifying: dataSubjectRequests(first: 1, filter: { status: VERIFYING }) { totalCount }
    inProgress: dataSubjectRequests(first: 1, filter: { status: IN_PROGRESS }) { totalCount }
    overdue: dataSubjectRequests(first: 1, filter: { overdue: true }) { totalCount }
    soonReceived: dataSubjectRequests(first: 1, filter: { status: RECEIVED, overdue: false, dueBefore: $soon }) { totalCount }
    soonVerifying: dataSubjectRequests(first: 1, filter: { status: VERIFYING, overdue: false, dueBefore: $soon }) { totalCount }
    soonInProgress: dataSubjectRequests(first: 1, filter: { status: IN_PROGRESS, overdue: false, dueBefore: $soon }) { totalCount }
    riskiest: processorAudits(first: 5, orderBy: RISK) {
      edges { node { riskScore processor { id name { ja en } } findings { code severity } } }
    }
    expiring: processorAudits(first: 8, filter: { findings: [CONTRACT_EXPIRED, CONTRACT_EXPIRES_SOON] }) {
      edges { node { processor { id name { ja en } } contract { expiresAt } } }
    }
    upcomingAudits(days: 60) { dueAt overdue processor { id name { ja en } } }
  }
`);

const RecentChangesQuery = graphql(`
  query RecentChanges {
    auditEvents(first: 8, filter: { outcome: SUCCESS }) {
      edges { node { id at actorSub operation entityType entityId } }
    }
  }
`);

const SEVERITY_COLOR: Record<string, string> = { HIGH: 'red', MEDIUM: 'magenta', LOW: 'default' };

function Counter({ title, value, to, testId, danger }: { title: string; value: number | undefined; to: string; testId: string; danger?: boolean }) {
  return (
    <Link to={to} data-testid={testId}>
      <Card hoverable size="small">
        <Statistic title={title} value={value ?? '—'} styles={{ content: danger && value ? { color: '#b42318' } : undefined }} />
      </Card>
    </Link>
  );
}

export default function Dashboard() {
  const { t } = useTranslation();
  const pick = useLocalized();
  // Due within three days: before the start of the fourth day from now.
  const soon = useMemo(() => dayjs().add(4, 'day').startOf('day').toISOString(), []);
  const [{ data, fetching, error }] = useQuery({ query: DashboardQuery, variables: { soon } });
  const [recent] = useQuery({ query: RecentChangesQuery });
  const countries = new Set(data?.foreignTransfers.map((f) => f.country));
  const open = data ? data.received.totalCount + data.verifying.totalCount + data.inProgress.totalCount : undefined;
  const dueSoon = data ? data.soonReceived.totalCount + data.soonVerifying.totalCount + data.soonInProgress.totalCount : 0;
  const sla = data && open ? [
    { key: 'onTrack', count: open - dueSoon - data.overdue.totalCount, color: '#237804', to: '/requests?open=true' },
    { key: 'dueSoon', count: dueSoon, color: '#ad6800', to: '/requests?dueWithinDays=3' },
    { key: 'overdue', count: data.overdue.totalCount, color: '#a8071a', to: '/requests?overdue=true' },
  ] : [];
  return (
    <div data-testid="page-dashboard">
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('nav.dashboard')}
      </Typography.Title>
      <QueryState fetching={fetching} error={error}>
        {data && (
          <>
            <Row gutter={[16, 16]}>
              <Col xs={12} md={4}><Counter title={t('dashboard.activities')} value={data.activities.totalCount} to="/activities" testId="tile-activities" /></Col>
              <Col xs={12} md={4}><Counter title={t('dashboard.processors')} value={data.processors.totalCount} to="/processors" testId="tile-processors" /></Col>
              <Col xs={12} md={4}><Counter title={t('dashboard.countries')} value={countries.size} to="/transfers" testId="tile-countries" /></Col>
              <Col xs={12} md={4}><Counter title={t('dashboard.openRequests')} value={open} to="/requests?open=true" testId="tile-open-requests" /></Col>
              <Col xs={12} md={4}><Counter title={t('dashboard.overdueRequests')} value={data.overdue.totalCount} to="/requests?overdue=true" testId="tile-overdue-requests" danger /></Col>
            </Row>
            <Card size="small" title={t('dashboard.sla')} style={{ marginTop: 16 }} data-testid="tile-sla">
              {sla.length === 0 ? (
                <Typography.Text type="secondary">{t('dashboard.noOpenRequests')}</Typography.Text>
              ) : (
                <>
                  <div style={{ display: 'flex', height: 14, borderRadius: 4, overflow: 'hidden' }} role="img" aria-label={sla.map((x) => `${t(`dashboard.${x.key}`)} ${x.count}`).join(', ')}>
                    {sla.filter((x) => x.count > 0).map((x) => (
                      <div key={x.key} style={{ flex: x.count, background: x.color }} />
                    ))}
                  </div>
                  <Flex gap={16} style={{ marginTop: 8 }}>
                    {sla.map((x) => (
                      <Link key={x.key} to={x.to} data-testid={`sla-${x.key}`}>
                        <span style={{ display: 'inline-block', width: 10, height: 10, background: x.color, marginInlineEnd: 6 }} />
                        {t(`dashboard.${x.key}`)} {x.count}
                      </Link>
                    ))}
                  </Flex>
                </>
              )}
            </Card>
            <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
              <Col xs={24} lg={12}>
                <Card title={<Link to="/processors">{t('dashboard.riskiest')}</Link>} size="small" data-testid="tile-riskiest">
                  <List
                    dataSource={data.riskiest.edges.map((e) => e.node)}
                    locale={{ emptyText: t('common.none') }}
                    renderItem={(a) => (
                      <List.Item extra={<Tag>{t('dashboard.risk', { score: a.riskScore })}</Tag>}>
                        <div>
                          <Link to={`/processors/${a.processor.id}`}>{pick(a.processor.name)}</Link>
                          <div>
                            {a.findings.slice(0, 4).map((f) => (
                              <Tag key={f.code} color={SEVERITY_COLOR[f.severity]}>{t(`finding.${f.code}`, { defaultValue: f.code })}</Tag>
                            ))}
                          </div>
                        </div>
                      </List.Item>
                    )}
                  />
                </Card>
              </Col>
              <Col xs={24} lg={12}>
                <Card title={<Link to="/audits">{t('dashboard.contractsExpiring')}</Link>} size="small" data-testid="tile-contracts">
                  <List
                    dataSource={data.expiring.edges.map((e) => e.node)}
                    locale={{ emptyText: t('common.none') }}
                    renderItem={(a) => (
                      <List.Item extra={<span>{a.contract?.expiresAt}</span>}>
                        <Link to={`/processors/${a.processor.id}`}>{pick(a.processor.name)}</Link>
                      </List.Item>
                    )}
                  />
                </Card>
              </Col>
              <Col xs={24} lg={12}>
                <Card title={<Link to="/audits">{t('dashboard.auditsDue')}</Link>} size="small" data-testid="tile-audits">
                  <List
                    dataSource={data.upcomingAudits.slice(0, 8)}
                    locale={{ emptyText: t('common.none') }}
                    renderItem={(a) => (
                      <List.Item extra={a.overdue ? <Tag color="red">{t('dashboard.overdue')}</Tag> : <span>{a.dueAt}</span>}>
                        <Link to={`/processors/${a.processor.id}`}>{pick(a.processor.name)}</Link>
                      </List.Item>
                    )}
                  />
                </Card>
              </Col>
              <Col xs={24} lg={12}>
                <Card title={<Link to="/audit-log">{t('dashboard.recentChanges')}</Link>} size="small" data-testid="tile-recent">
                  <QueryState fetching={recent.fetching} error={recent.error}>
                    <List
                      dataSource={recent.data?.auditEvents.edges.map((e) => e.node) ?? []}
                      locale={{ emptyText: t('common.none') }}
                      renderItem={(e) => (
                        <List.Item extra={<span>{dayjs(e.at).format('YYYY-MM-DD HH:mm')}</span>}>
                          <Link to={`/audit-log?entityType=${encodeURIComponent(e.entityType ?? '')}&entityId=${encodeURIComponent(e.entityId ?? '')}`}>{e.operation}</Link>{' '}
                          <Typography.Text type="secondary">{e.actorSub}</Typography.Text>
                        </List.Item>
                      )}
                    />
                  </QueryState>
                </Card>
              </Col>
            </Row>
          </>
        )}
      </QueryState>
    </div>
  );
}
