import { useMemo, useState } from 'react';
import { Alert, Button, DatePicker, Flex, Input, Select, Table, Tag, Typography } from 'antd';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { graphql } from '../gql';
import type { AuditLogQuery } from '../gql/graphql';
import { useAuth } from '../auth/session';
import { ChangeDiff } from '../lib/ChangeDiff';
import { QueryState } from '../lib/QueryState';
import { useUrlState } from '../lib/url-state';
import { TAG } from '../lib/deadline';

const LogDoc = graphql(`
  query AuditLog($filter: AuditEventFilter, $after: String) {
    auditEvents(first: 50, after: $after, filter: $filter) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id at actorSub actorRoles actorSystem operation outcome entityType entityId reason requestId before after } }
    }
  }
`);
const VerifyDoc = graphql(`
  query VerifyTrail { verifyAuditTrail { ok checked headHash problem } }
`);

type Event = AuditLogQuery['auditEvents']['edges'][number]['node'];
/** Readers of the audit trail (the server's policy). */
const TRAIL_READERS = ['PRIVACY_ADMIN', 'AUDITOR'];

/** 監査ログ: the append-only trail, filtered by entity, actor, outcome and dates; each event opens as a before/after diff. */
export default function AuditLog() {
  const { t } = useTranslation();
  const { session } = useAuth();
  const allowed = !!session?.roles.some((r) => TRAIL_READERS.includes(r));
  const [get, set] = useUrlState<'entityType' | 'entityId' | 'actor' | 'outcome' | 'from' | 'to'>();
  const filter = useMemo(
    () => ({
      ...(get('entityType') ? { entityType: get('entityType') } : {}),
      ...(get('entityId') ? { entityId: get('entityId') } : {}),
      ...(get('actor') ? { actor: get('actor') } : {}),
      ...(get('outcome') ? { outcome: get('outcome') as 'SUCCESS' } : {}),
      ...(get('from') ? { from: dayjs(get('from')).startOf('day').toISOString() } : {}),
      ...(get('to') ? { to: dayjs(get('to')).add(1, 'day').startOf('day').toISOString() } : {}),
    }),
    [get],
  );
  // Pages already loaded, by cursor; a new filter starts again from the first page.
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const key = JSON.stringify(filter);
  const [seen, setSeen] = useState(key);
  if (seen !== key) {
    setSeen(key);
    setCursors([null]);
  }
  const cursor = cursors[cursors.length - 1];
  const [{ data, fetching, error }] = useQuery({ query: LogDoc, variables: { filter, after: cursor }, pause: !allowed });
  const [{ data: verify }] = useQuery({ query: VerifyDoc, pause: !allowed });
  const events = data?.auditEvents.edges.map((e) => e.node) ?? [];

  if (!allowed) return <Alert type="info" title={t('auditLog.notForRole')} data-testid="not-for-role" />;

  const text = (k: 'entityType' | 'entityId' | 'actor', label: string) => (
    <Input.Search key={`${k}:${get(k)}`} aria-label={label} placeholder={label} defaultValue={get(k)} allowClear onSearch={(v) => set({ [k]: v.trim() || null })} style={{ width: 200 }} data-testid={`filter-${k}`} />
  );

  return (
    <div data-testid="page-audit-log">
      <Flex justify="space-between" align="center" wrap>
        <Typography.Title level={1} style={{ fontSize: 24 }}>{t('nav.auditLog')}</Typography.Title>
        {verify && (
          <Tag color={verify.verifyAuditTrail.ok ? TAG.ok : 'red'} data-testid="trail-verified">
            {verify.verifyAuditTrail.ok ? t('auditLog.verified', { count: verify.verifyAuditTrail.checked }) : t('auditLog.broken', { problem: verify.verifyAuditTrail.problem ?? '' })}
          </Tag>
        )}
      </Flex>
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        {text('entityType', t('auditLog.entityType'))}
        {text('entityId', t('auditLog.entityId'))}
        {text('actor', t('auditLog.actor'))}
        <Select
          aria-label={t('auditLog.outcome')} placeholder={t('auditLog.outcome')} allowClear style={{ width: 140 }}
          value={get('outcome') || undefined} onChange={(v?: string) => set({ outcome: v ?? null })}
          options={['SUCCESS', 'DENIED'].map((o) => ({ value: o, label: t(`auditOutcome.${o}`) }))}
        />
        <DatePicker.RangePicker
          aria-label={t('exports.period')}
          value={get('from') && get('to') ? [dayjs(get('from')), dayjs(get('to'))] : null}
          onChange={(v) => set({ from: v?.[0]?.format('YYYY-MM-DD') ?? null, to: v?.[1]?.format('YYYY-MM-DD') ?? null })}
        />
      </Flex>
      <QueryState fetching={fetching} error={error}>
        <Table<Event>
          size="small" rowKey="id" data-testid="audit-table" dataSource={events} pagination={false} loading={fetching}
          expandable={{ expandedRowRender: (e) => (e.before || e.after ? <ChangeDiff before={e.before} after={e.after} /> : <Typography.Text type="secondary">{e.reason ?? t('auditLog.noChange')}</Typography.Text>), rowExpandable: () => true }}
          columns={[
            { key: 'at', title: t('auditLog.at'), width: 170, render: (_, e) => dayjs(e.at).format('YYYY-MM-DD HH:mm:ss') },
            { key: 'actor', title: t('auditLog.actor'), render: (_, e) => `${e.actorSub}${e.actorSystem ? ` (${e.actorSystem})` : ''}` },
            { key: 'roles', title: t('auditLog.roles'), render: (_, e) => e.actorRoles.map((r) => t(`roles.${r}`, { defaultValue: r })).join(', ') },
            { key: 'operation', title: t('auditLog.operation'), render: (_, e) => <Typography.Text code>{e.operation}</Typography.Text> },
            { key: 'entity', title: t('auditLog.entity'), render: (_, e) => (e.entityType ? `${e.entityType} ${e.entityId ?? ''}` : '') },
            { key: 'outcome', title: t('auditLog.outcome'), render: (_, e) => <Tag color={e.outcome === 'SUCCESS' ? TAG.ok : 'red'}>{t(`auditOutcome.${e.outcome}`)}</Tag> },
          ]}
        />
        <Flex gap={8} style={{ marginTop: 12 }} align="center">
          <Button disabled={cursors.length < 2} onClick={() => setCursors(cursors.slice(0, -1))}>{t('auditLog.newer')}</Button>
          <Button disabled={!data?.auditEvents.pageInfo.hasNextPage} onClick={() => setCursors([...cursors, data?.auditEvents.pageInfo.endCursor ?? null])} data-testid="audit-older">{t('auditLog.older')}</Button>
          {data && <Typography.Text type="secondary">{t('auditLog.total', { count: data.auditEvents.totalCount })}</Typography.Text>}
        </Flex>
      </QueryState>
    </div>
  );
}
