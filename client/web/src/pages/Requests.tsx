import { useMemo } from 'react';
import { Button, Flex, Select, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link, useNavigate } from 'react-router';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { graphql } from '../gql';
import type { RequestQueueQuery } from '../gql/graphql';
import { useAuth } from '../auth/session';
import { QueryState } from '../lib/QueryState';
import { useUrlState } from '../lib/url-state';
import { CLOSED_STATUSES, DaysLeftTag, TAG } from '../lib/deadline';

const QueueDoc = graphql(`
  query RequestQueue($filter: DataSubjectRequestFilter, $first: Int) {
    dataSubjectRequests(first: $first, filter: $filter) {
      totalCount
      edges { node { id reference framework type status channel receivedAt dueAt reply { status } } }
    }
  }
`);

type Row = RequestQueueQuery['dataSubjectRequests']['edges'][number]['node'];
export const REQUEST_STATUSES = ['RECEIVED', 'VERIFYING', 'IN_PROGRESS', 'COMPLETED', 'REFUSED', 'WITHDRAWN'] as const;
export const REQUEST_TYPES = ['NOTIFY_PURPOSE', 'DISCLOSE', 'DISCLOSE_PROVISION_RECORDS', 'CORRECT', 'ADD', 'DELETE', 'STOP_USE', 'ERASE', 'STOP_THIRD_PARTY_PROVISION', 'ACCESS', 'RECTIFY', 'RESTRICT', 'PORT', 'OBJECT'] as const;
const PAGE = 500;

export const statusColor = (s: string) => ({ RECEIVED: TAG.info, VERIFYING: TAG.warn, IN_PROGRESS: TAG.info, COMPLETED: TAG.ok, REFUSED: 'red', WITHDRAWN: 'default' } as Record<string, string>)[s] ?? 'default';

export default function Requests() {
  const { t } = useTranslation();
  const { canWrite } = useAuth();
  const navigate = useNavigate();
  const [get, set] = useUrlState<'status' | 'type' | 'overdue' | 'dueWithinDays' | 'open' | 'page'>();
  const filter = useMemo(
    () => ({
      ...(get('status') ? { status: get('status') as 'RECEIVED' } : {}),
      ...(get('type') ? { type: get('type') as 'DISCLOSE' } : {}),
      ...(get('overdue') === 'true' ? { overdue: true } : {}),
      ...(get('dueWithinDays') && /^\d+$/.test(get('dueWithinDays')) ? { dueWithinDays: Number(get('dueWithinDays')) } : {}),
    }),
    [get],
  );
  const [{ data, fetching, error }] = useQuery({ query: QueueDoc, variables: { filter, first: PAGE } });
  // "Open" is every status not yet closed: the API filters one status at a time, so it is narrowed here.
  const rows = (data?.dataSubjectRequests.edges.map((e) => e.node) ?? []).filter((r) => get('open') !== 'true' || !CLOSED_STATUSES.includes(r.status));

  const columns: ColumnsType<Row> = [
    { key: 'reference', title: t('requests.reference'), render: (_, r) => <Link to={`/requests/${r.id}`} data-testid="request-link">{r.reference}</Link> },
    { key: 'type', title: t('requests.type'), render: (_, r) => `${t(`requestType.${r.type}`)} (${r.framework})` },
    { key: 'status', title: t('requests.status'), render: (_, r) => <Tag color={statusColor(r.status)}>{t(`requestStatus.${r.status}`)}</Tag> },
    { key: 'received', title: t('requests.receivedAt'), render: (_, r) => dayjs(r.receivedAt).format('YYYY-MM-DD') },
    { key: 'due', title: t('requests.dueAt'), render: (_, r) => r.dueAt },
    { key: 'left', title: t('requests.left'), render: (_, r) => <DaysLeftTag dueAt={r.dueAt} receivedAt={r.receivedAt} status={r.status} /> },
    { key: 'reply', title: t('requests.reply'), render: (_, r) => (r.reply ? <Tag>{t(`replyStatus.${r.reply.status}`)}</Tag> : null) },
  ];

  return (
    <div data-testid="page-requests">
      <Flex justify="space-between" align="center">
        <Typography.Title level={1} style={{ fontSize: 24 }}>{t('nav.requests')}</Typography.Title>
        {canWrite && <Button type="primary" onClick={() => navigate('/requests/new')} data-testid="new-request">{t('requests.new')}</Button>}
      </Flex>
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        <Select
          aria-label={t('requests.status')} placeholder={t('requests.status')} allowClear style={{ width: 160 }} data-testid="filter-request-status"
          value={get('status') || undefined}
          onChange={(v?: string) => set({ status: v ?? null, page: null })}
          options={REQUEST_STATUSES.map((s) => ({ value: s, label: t(`requestStatus.${s}`) }))}
        />
        <Select
          aria-label={t('requests.type')} placeholder={t('requests.type')} allowClear style={{ width: 220 }}
          value={get('type') || undefined}
          onChange={(v?: string) => set({ type: v ?? null, page: null })}
          options={REQUEST_TYPES.map((s) => ({ value: s, label: t(`requestType.${s}`) }))}
        />
        <Select
          aria-label={t('requests.deadline')} placeholder={t('requests.deadline')} allowClear style={{ width: 200 }} data-testid="filter-deadline"
          value={get('overdue') === 'true' ? 'overdue' : get('dueWithinDays') ? 'dueSoon' : get('open') === 'true' ? 'open' : undefined}
          onChange={(v?: string) => set({ overdue: v === 'overdue' ? 'true' : null, dueWithinDays: v === 'dueSoon' ? '3' : null, open: v === 'open' ? 'true' : null, page: null })}
          options={[
            { value: 'open', label: t('requests.open') },
            { value: 'dueSoon', label: t('dashboard.dueSoon') },
            { value: 'overdue', label: t('dashboard.overdue') },
          ]}
        />
      </Flex>
      <QueryState fetching={fetching} error={error}>
        <Table<Row>
          data-testid="requests-table" rowKey="id" size="small" loading={fetching} columns={columns} dataSource={rows}
          locale={{ emptyText: t('requests.none') }}
          onChange={(p) => set({ page: p.current && p.current > 1 ? String(p.current) : null })}
          pagination={{ current: Number(get('page')) || 1, pageSize: 50, showSizeChanger: false }}
        />
      </QueryState>
    </div>
  );
}
