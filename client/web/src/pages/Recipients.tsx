import { useEffect, useMemo, useState } from 'react';
import { App, Button, Card, DatePicker, Flex, Segmented, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useClient, useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { graphql } from '../gql';
import type { ProvisionDirection } from '../gql/graphql';
import { QueryState } from '../lib/QueryState';
import { LocalizedText, useLocalized } from '../lib/text';
import { useUrlState } from '../lib/url-state';
import { saveExport } from '../lib/download';

const RecipientsDoc = graphql(`
  query RecipientsPage {
    thirdPartyRecipients {
      id code kind country
      name { ja en } description { ja en } items { ja en }
      basis { id framework article title { ja en } }
      activities { id code name { ja en } }
    }
  }
`);
const PeriodDoc = graphql(`
  query ProvisionRecordsOfPeriod($from: LocalDate!, $to: LocalDate!, $direction: ProvisionDirection, $recipientId: ID, $first: Int, $after: String) {
    provisionRecordsOfPeriod(from: $from, to: $to, direction: $direction, recipientId: $recipientId, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id code providedAt direction items { ja en } subjects { ja en } notes { ja en } recipient { id code name { ja en } country } basis { id article title { ja en } } } }
    }
  }
`);
const PeriodFileDoc = graphql(`
  query RecipientsProvisionFile($from: LocalDate!, $to: LocalDate!) {
    provisionRecordsExport(format: CSV, from: $from, to: $to) { filename contentType encoding content }
  }
`);

const PAGE_SIZE = 20;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * 第三者提供: the recipients with their basis, and the provision / receipt records (APPI Art. 29,
 * 30) of a period paged by the server, so a long period never loads whole.
 */
export default function Recipients() {
  const { t } = useTranslation();
  const pick = useLocalized();
  const client = useClient();
  const { message } = App.useApp();
  const [get, set] = useUrlState<'from' | 'to' | 'dir' | 'recipient'>();
  const from = DAY.test(get('from')) ? get('from') : dayjs().subtract(1, 'year').format('YYYY-MM-DD');
  const to = DAY.test(get('to')) ? get('to') : dayjs().format('YYYY-MM-DD');
  const direction = (['PROVIDED', 'RECEIVED'].includes(get('dir')) ? get('dir') : undefined) as ProvisionDirection | undefined;
  const recipientId = /^\d+$/.test(get('recipient')) ? get('recipient') : undefined;
  const [{ data: rec, fetching: recFetching, error: recError }] = useQuery({ query: RecipientsDoc });
  // Cursors of the pages seen so far; a new period or direction starts again at the first page.
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const [page, setPage] = useState(0);
  useEffect(() => { setCursors([null]); setPage(0); }, [from, to, direction, recipientId]);
  const variables = useMemo(() => ({ from, to, direction, recipientId, first: PAGE_SIZE, after: cursors[page] ?? null }), [from, to, direction, recipientId, cursors, page]);
  const [{ data, fetching, error }] = useQuery({ query: PeriodDoc, variables });
  const conn = data?.provisionRecordsOfPeriod;
  const rows = conn?.edges.map((e) => e.node) ?? [];
  const [busy, setBusy] = useState(false);

  const next = () => {
    if (!conn?.pageInfo.endCursor) return;
    setCursors((c) => [...c.slice(0, page + 1), conn.pageInfo.endCursor]);
    setPage(page + 1);
  };
  async function exportCsv() {
    setBusy(true);
    const res = await client.query(PeriodFileDoc, { from, to }, { requestPolicy: 'network-only' }).toPromise();
    setBusy(false);
    if (res.error || !res.data) { void message.error(res.error?.message ?? t('common.error')); return; }
    saveExport(res.data.provisionRecordsExport);
  }

  const recipients = rec?.thirdPartyRecipients ?? [];
  return (
    <div data-testid="page-recipients">
      <Typography.Title level={1} style={{ fontSize: 24 }}>{t('nav.recipients')}</Typography.Title>
      <Card title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('recipientsPage.recipients')}</Typography.Title>} size="small" style={{ marginBottom: 16 }}>
        <QueryState fetching={recFetching} error={recError}>
          <Table
            size="small" rowKey="id" data-testid="recipients-table" dataSource={recipients} pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
            onRow={(r) => ({ 'data-id': r.id }) as never}
            columns={[
              {
                key: 'name', title: t('recipientsPage.recipient'),
                render: (_, r) => (
                  <>
                    <LocalizedText value={r.name} /><br />
                    <Typography.Text type="secondary" code>{r.code}</Typography.Text>{' '}
                    <Button type="link" size="small" onClick={() => set({ recipient: r.id }, { replace: true })} data-testid="recipient-records">{t('recipientsPage.showRecords')}</Button>
                  </>
                ),
              },
              { key: 'kind', title: t('recipientsPage.kindCol'), render: (_, r) => <Tag>{t(`recipientsPage.kind.${r.kind}`)}</Tag>, filters: [...new Set(recipients.map((r) => r.kind))].map((k) => ({ text: t(`recipientsPage.kind.${k}`), value: k })), onFilter: (v, r) => r.kind === v },
              { key: 'country', title: t('recipientsPage.country'), render: (_, r) => r.country ?? '' },
              { key: 'basis', title: t('recipientsPage.basis'), render: (_, r) => (r.basis ? `${pick(r.basis.title)} (${r.basis.framework} ${r.basis.article})` : <Typography.Text type="secondary">{t('jointUsePage.notRecorded')}</Typography.Text>) },
              { key: 'items', title: t('recipientsPage.items'), render: (_, r) => <LocalizedText value={r.items} /> },
              { key: 'description', title: t('recipientsPage.description'), render: (_, r) => <LocalizedText value={r.description} /> },
              { key: 'activities', title: t('recipientsPage.activities'), render: (_, r) => <Flex wrap gap={6}>{r.activities.map((a) => <Link key={a.id} to={`/activities/${a.id}`}>{pick(a.name) || a.code}</Link>)}</Flex> },
            ]}
          />
        </QueryState>
      </Card>
      <Card title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('recipientsPage.records')}</Typography.Title>} size="small">
        <Flex gap={16} wrap align="center" style={{ marginBottom: 12 }}>
          <DatePicker.RangePicker
            aria-label={t('recipientsPage.period')} allowClear={false} value={[dayjs(from), dayjs(to)]} data-testid="provision-period"
            onChange={(v) => v?.[0] && v[1] && set({ from: v[0].format('YYYY-MM-DD'), to: v[1].format('YYYY-MM-DD') }, { replace: true })}
          />
          <Segmented
            value={direction ?? 'ALL'} data-testid="provision-direction"
            onChange={(v) => set({ dir: v === 'ALL' ? null : String(v) }, { replace: true })}
            options={[{ value: 'ALL', label: t('recipientsPage.all') }, { value: 'PROVIDED', label: t('direction.PROVIDED') }, { value: 'RECEIVED', label: t('direction.RECEIVED') }]}
          />
          {recipientId && (
            <Tag closable onClose={() => set({ recipient: null }, { replace: true })} data-testid="provision-recipient">
              {pick(recipients.find((r) => r.id === recipientId)?.name) || recipientId}
            </Tag>
          )}
          <Typography.Text data-testid="provision-total">{conn ? t('recipientsPage.total', { count: conn.totalCount }) : ''}</Typography.Text>
          <Button loading={busy} onClick={() => void exportCsv()} data-testid="provision-csv">{t('recipientsPage.exportCsv')}</Button>
        </Flex>
        <QueryState fetching={fetching} error={error}>
          <Table
            size="small" rowKey="id" data-testid="provision-records" dataSource={rows} pagination={false}
            locale={{ emptyText: t('recipientsPage.noRecords') }}
            onRow={(r) => ({ 'data-code': r.code }) as never}
            columns={[
              { key: 'date', title: t('recipientsPage.providedAt'), dataIndex: 'providedAt', width: 120 },
              { key: 'direction', title: t('recipientsPage.direction'), render: (_, r) => <Tag>{t(`direction.${r.direction}`)}</Tag> },
              { key: 'recipient', title: t('recipientsPage.recipient'), render: (_, r) => `${pick(r.recipient.name)}${r.recipient.country ? ` (${r.recipient.country})` : ''}` },
              { key: 'items', title: t('recipientsPage.items'), render: (_, r) => <LocalizedText value={r.items} /> },
              { key: 'subjects', title: t('recipientsPage.subjects'), render: (_, r) => <LocalizedText value={r.subjects} /> },
              { key: 'basis', title: t('recipientsPage.basis'), render: (_, r) => (r.basis ? `${pick(r.basis.title)} (${r.basis.article})` : '') },
              { key: 'notes', title: t('recipientsPage.notes'), render: (_, r) => <LocalizedText value={r.notes} /> },
            ]}
          />
          <Flex gap={8} justify="flex-end" style={{ marginTop: 8 }}>
            <Button disabled={page === 0} onClick={() => setPage(page - 1)} data-testid="provision-prev" aria-label={t('recipientsPage.prev')}>‹</Button>
            <Typography.Text>{page + 1}</Typography.Text>
            <Button disabled={!conn?.pageInfo.hasNextPage} onClick={next} data-testid="provision-next" aria-label={t('recipientsPage.next')}>›</Button>
          </Flex>
        </QueryState>
      </Card>
    </div>
  );
}
