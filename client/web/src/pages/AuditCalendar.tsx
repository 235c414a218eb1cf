import { useMemo, type HTMLAttributes } from 'react';
import { Alert, Button, Calendar, DatePicker, Flex, Segmented, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { graphql } from '../gql';
import { useAuth } from '../auth/session';
import { QueryState } from '../lib/QueryState';
import { useLocalized, type Localized } from '../lib/text';
import { useUrlState } from '../lib/url-state';
import { TAG } from '../lib/deadline';
import { AUDIT_READERS } from './Processors';
import './processor-heatmap.css';

// Audits from upcomingAudits (never-audited processors with an interval included, as due today);
// contract expiries from the processors' contracts: both lists come whole in one request.
const CalendarDoc = graphql(`
  query AuditCalendar($days: Int!) {
    upcomingAudits(days: $days) { dueAt overdue processor { id code name { ja en } } }
    processors(first: 500) { totalCount edges { node { id code name { ja en } contract { expiresAt } } } }
  }
`);

export interface CalendarEntry { kind: 'AUDIT' | 'CONTRACT_EXPIRY'; date: string; overdue: boolean; processor: { id: string; code: string; name: Localized } }
const MONTH = 'YYYY-MM';
const MAX_DAYS = 3660;
const HIDDEN = { position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' } as const;

/** 監査予定: audits due and contracts expiring in a range of months, as a calendar and as its list twin. */
export default function AuditCalendar() {
  const { t } = useTranslation();
  const pick = useLocalized();
  const { session } = useAuth();
  const [get, set] = useUrlState<'from' | 'to' | 'month' | 'view'>();
  const allowed = !!session?.roles.some((r) => AUDIT_READERS.includes(r));
  const today = dayjs().format('YYYY-MM-DD');
  const valid = (s: string) => (/^\d{4}-\d{2}$/.test(s) && dayjs(`${s}-01`).isValid() ? dayjs(`${s}-01`) : null);
  const from = valid(get('from')) ?? dayjs().startOf('month');
  const toRaw = valid(get('to')) ?? from.add(2, 'month');
  const to = toRaw.isBefore(from) ? from : toRaw;
  const first = from.format('YYYY-MM-DD');
  const last = to.endOf('month').format('YYYY-MM-DD');
  const shownMonth = valid(get('month')) ?? from;
  // The server's horizon counts from today; a range wholly in the past still needs the overdue ones (days 0).
  const days = Math.min(MAX_DAYS, Math.max(0, dayjs(last).diff(dayjs(today), 'day') + 1));
  const [{ data, fetching, error }] = useQuery({ query: CalendarDoc, variables: { days }, pause: !allowed });

  const entries = useMemo<CalendarEntry[]>(() => {
    if (!data) return [];
    const audits: CalendarEntry[] = data.upcomingAudits.map((u) => ({ kind: 'AUDIT', date: u.dueAt, overdue: u.overdue, processor: u.processor }));
    const expiries: CalendarEntry[] = data.processors.edges
      .filter((e) => e.node.contract?.expiresAt)
      .map((e) => ({ kind: 'CONTRACT_EXPIRY', date: e.node.contract!.expiresAt!, overdue: e.node.contract!.expiresAt! < today, processor: e.node }));
    return [...audits, ...expiries]
      .filter((e) => e.date >= first && e.date <= last)
      .sort((a, b) => a.date.localeCompare(b.date) || a.kind.localeCompare(b.kind) || a.processor.code.localeCompare(b.processor.code));
  }, [data, first, last, today]);
  const byDate = useMemo(() => {
    const m = new Map<string, CalendarEntry[]>();
    for (const e of entries) m.set(e.date, [...(m.get(e.date) ?? []), e]);
    return m;
  }, [entries]);
  const overdue = entries.filter((e) => e.overdue).length;

  if (!allowed) return <Alert type="info" title={t('processors.notForRole')} data-testid="not-for-role" />;

  const entryTag = (e: CalendarEntry) => (
    <Tag color={e.overdue ? 'red' : e.kind === 'AUDIT' ? TAG.info : TAG.warn} style={{ marginInlineEnd: 4 }}>
      {e.overdue ? t(e.kind === 'AUDIT' ? 'auditCalendar.overdue' : 'auditCalendar.expired') : t(`auditCalendar.kind.${e.kind}`)}
    </Tag>
  );
  const cell = (d: Dayjs) => {
    if (!d.isSame(shownMonth, 'month')) return null;
    const list = byDate.get(d.format('YYYY-MM-DD')) ?? [];
    return (
      <ul className="audit-cal-cell" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
        {list.map((e) => (
          <li key={`${e.kind}:${e.processor.id}`} data-testid="cal-entry" data-kind={e.kind} data-date={e.date} data-processor-id={e.processor.id} data-overdue={e.overdue}>
            <Link to={`/processors/${e.processor.id}`} style={{ fontSize: 12 }}>
              {e.overdue ? '⚠ ' : ''}{t(`auditCalendar.short.${e.kind}`)} {pick(e.processor.name)}
            </Link>
          </li>
        ))}
      </ul>
    );
  };
  const showMonth = (d: Dayjs) => set({ month: d.isSame(from, 'month') ? null : d.format(MONTH) });
  const inShown = entries.filter((e) => dayjs(e.date).isSame(shownMonth, 'month')).length;

  return (
    <div data-testid="page-audits">
      <Typography.Title level={1} style={{ fontSize: 24 }}>{t('nav.audits')}</Typography.Title>
      <Flex gap={8} wrap align="center" style={{ marginBottom: 12 }}>
        {/* The two month inputs of the range each need a name of their own (axe: label). */}
        <label htmlFor="audits-from" style={HIDDEN}>{t('auditCalendar.fromMonth')}</label>
        <label htmlFor="audits-to" style={HIDDEN}>{t('auditCalendar.toMonth')}</label>
        <DatePicker.RangePicker
          picker="month" allowClear={false} value={[from, to]} data-testid="audits-range" id={{ start: 'audits-from', end: 'audits-to' }}
          aria-label={t('auditCalendar.range')}
          onChange={(v) => v?.[0] && v[1] && set({ from: v[0].format(MONTH), to: v[1].format(MONTH), month: null })}
        />
        <Segmented
          data-testid="audits-view" value={get('view') === 'list' ? 'list' : 'calendar'} onChange={(v) => set({ view: v === 'list' ? 'list' : null })}
          options={[{ value: 'calendar', label: t('auditCalendar.calendar') }, { value: 'list', label: t('auditCalendar.list') }]}
        />
        <Typography.Text data-testid="audits-count">{t('auditCalendar.count', { count: entries.length, overdue })}</Typography.Text>
      </Flex>
      {data && data.processors.totalCount > data.processors.edges.length && (
        <Alert type="warning" title={t('auditCalendar.partial', { shown: data.processors.edges.length, total: data.processors.totalCount })} style={{ marginBottom: 8 }} />
      )}
      <QueryState fetching={fetching} error={error}>
        {get('view') === 'list' ? (
          <Table<CalendarEntry>
            data-testid="audits-table" size="small" dataSource={entries} rowKey={(e) => `${e.kind}:${e.processor.id}:${e.date}`}
            onRow={(e) => ({ 'data-testid': 'audits-row', 'data-kind': e.kind, 'data-date': e.date, 'data-processor-id': e.processor.id } as HTMLAttributes<HTMLElement>)}
            pagination={{ pageSize: 100, hideOnSinglePage: true, showSizeChanger: false }}
            locale={{ emptyText: t('auditCalendar.none') }}
            columns={[
              { key: 'date', title: t('auditCalendar.date'), render: (_, e) => e.date, width: 120 },
              { key: 'kind', title: t('auditCalendar.what'), render: (_, e) => entryTag(e) },
              { key: 'processor', title: t('evidenceSheet.processor'), render: (_, e) => <Link to={`/processors/${e.processor.id}`}>{pick(e.processor.name)}</Link> },
              { key: 'code', title: t('activities.col.code'), render: (_, e) => e.processor.code },
            ]}
          />
        ) : (
          <>
            <Typography.Text type="secondary" data-testid="audits-month-count">{t('auditCalendar.inMonth', { month: shownMonth.format(MONTH), count: inShown })}</Typography.Text>
            <Calendar
              data-testid="audits-calendar" className="audits-calendar" mode="month" value={shownMonth} validRange={[from, to.endOf('month')]}
              // antd's header selects carry no accessible name (axe: label); months are stepped within the range instead.
              headerRender={() => (
                <Flex gap={8} align="center" justify="flex-end" style={{ padding: '8px 0' }}>
                  <Button size="small" icon={<LeftOutlined />} aria-label={t('auditCalendar.prevMonth')} disabled={!shownMonth.isAfter(from, 'month')} onClick={() => showMonth(shownMonth.subtract(1, 'month'))} data-testid="audits-prev" />
                  <Typography.Text strong data-testid="audits-month">{shownMonth.format(MONTH)}</Typography.Text>
                  <Button size="small" icon={<RightOutlined />} aria-label={t('auditCalendar.nextMonth')} disabled={!shownMonth.isBefore(to, 'month')} onClick={() => showMonth(shownMonth.add(1, 'month'))} data-testid="audits-next" />
                </Flex>
              )}
              cellRender={(d, info) => (info.type === 'date' ? cell(d) : info.originNode)}
            />
          </>
        )}
      </QueryState>
    </div>
  );
}
