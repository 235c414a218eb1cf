import { useMemo, useRef } from 'react';
import { Alert, Button, Card, Checkbox, Col, DatePicker, Flex, List, Radio, Row, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { graphql } from '../gql';
import type { NoticeChecklistQuery, ReportLanguage } from '../gql/graphql';
import { useAuth } from '../auth/session';
import { QueryState } from '../lib/QueryState';
import { useLocalized } from '../lib/text';
import { useUrlState } from '../lib/url-state';
import { AsOfBanner, AsOfPicker, startOfDayJst, useAsOf } from '../lib/as-of';
import { sideBySide, type Piece } from '../lib/text-diff';
import { TAG } from '../lib/deadline';

const NoticeDoc = graphql(`
  query PublicNoticeView($language: ReportLanguage!, $asOf: DateTime) {
    publicNotice(language: $language, format: HTML, asOf: $asOf)
  }
`);
const RevisionsDoc = graphql(`
  query NoticeRevisions { organization { id notice { revisions { version effectiveDate summary { ja en } } } } }
`);
const CompareDoc = graphql(`
  query NoticeCompare($language: ReportLanguage!, $from: DateTime!, $to: DateTime) {
    before: publicNotice(language: $language, format: MARKDOWN, asOf: $from)
    after: publicNotice(language: $language, format: MARKDOWN, asOf: $to)
  }
`);
const RecordsDoc = graphql(`
  query NoticeRecordChanges($since: DateTime, $fromVersion: String, $toVersion: String) {
    publicNoticeDiff(since: $since, fromVersion: $fromVersion, toVersion: $toVersion) { entityType code change at }
  }
`);
const ChecklistDoc = graphql(`
  query NoticeChecklist($since: DateTime!, $until: DateTime) {
    noticeChangeChecklist(since: $since, until: $until) {
      code label { ja en } legalBasis duty { ja en } required
      events { id at entityType entityId entityCode operation fields }
    }
  }
`);

type Item = NoticeChecklistQuery['noticeChangeChecklist'][number];
type Key = 'tab' | 'lang' | 'since' | 'from' | 'to' | 'full';
/** Readers of the audit trail (the server's policy), which the checklist is built from. */
const TRAIL_READERS = ['PRIVACY_ADMIN', 'AUDITOR'];

/** The notice as the person reads it, in a frame without scripts; prints from there. */
function NoticePreview({ language, at }: { language: ReportLanguage; at: string | null }) {
  const { t } = useTranslation();
  const frame = useRef<HTMLIFrameElement>(null);
  const [{ data, fetching, error }] = useQuery({ query: NoticeDoc, variables: { language, asOf: at }, requestPolicy: 'network-only' });
  return (
    <div>
      <Button onClick={() => frame.current?.contentWindow?.print()} disabled={!data} style={{ marginBottom: 8 }} data-testid="notice-print">{t('notice.print')}</Button>
      <QueryState fetching={fetching} error={error}>
        {data && (
          // allow-same-origin without allow-scripts: the parent may call print(); the document can run nothing.
          <iframe
            ref={frame} sandbox="allow-same-origin allow-modals" srcDoc={data.publicNotice} title={t('notice.preview')}
            data-testid="notice-preview" style={{ width: '100%', height: 720, border: '1px solid #d9d9d9', background: '#fff' }}
          />
        )}
      </QueryState>
    </div>
  );
}

const CONTEXT_LINES = 2;

/**
 * An unchanged stretch cut to the lines next to the changes around it. Both columns hold the same
 * unchanged stretches in the same order, so they are cut alike and stay side by side.
 */
function condense(text: string, before: boolean, after: boolean): string {
  const lines = text.split(/(?<=\n)/);
  const head = before ? lines.slice(0, CONTEXT_LINES + 1) : [];
  const tail = after ? lines.slice(-CONTEXT_LINES - 1) : [];
  if (head.length + tail.length + 1 >= lines.length) return text;
  return `${head.join('')}⋯\n${tail.join('')}`;
}

function Side({ pieces, kind, testId, onlyChanges, label }: { pieces: Piece[]; kind: 'removed' | 'added'; testId: string; onlyChanges: boolean; label: string }) {
  const Mark = kind === 'removed' ? 'del' : 'ins';
  return (
    // Focusable so that a keyboard can scroll it.
    <div data-testid={testId} role="region" aria-label={label} tabIndex={0} style={{ whiteSpace: 'pre-wrap', fontSize: 13, lineHeight: 1.7, maxHeight: 720, overflow: 'auto' }}>
      {pieces.map((p, i) =>
        p.changed && !p.text ? null : p.changed ? (
          <Mark key={i} data-testid={`diff-${kind}`} style={{ background: kind === 'removed' ? '#ffd8d6' : '#cff5c0', color: '#1f1f1f', textDecoration: kind === 'removed' ? 'line-through' : 'none' }}>{p.text}</Mark>
        ) : (
          <span key={i}>{onlyChanges ? condense(p.text, i > 0, i < pieces.length - 1) : p.text}</span>
        ),
      )}
    </div>
  );
}

/** The day an instant falls on where the browser is, as the audit log's date filter reads it. */
const localDay = (iso: string) => dayjs(iso).format('YYYY-MM-DD');

function Checklist({ since, until }: { since: string; until: string | null }) {
  const { t } = useTranslation();
  const pick = useLocalized();
  const [{ data, fetching, error }] = useQuery({ query: ChecklistDoc, variables: { since, until } });
  const items = data?.noticeChangeChecklist ?? [];
  const required = items.filter((i) => i.required);
  return (
    <QueryState fetching={fetching} error={error}>
      {data && (
        <>
          <Typography.Paragraph data-testid="checklist-summary">{t('notice.checklistSummary', { count: required.length, total: items.length })}</Typography.Paragraph>
          <List<Item>
            data-testid="checklist" dataSource={[...required, ...items.filter((i) => !i.required)]} size="small" bordered
            renderItem={(item) => (
              <List.Item data-testid="checklist-item" data-code={item.code} data-required={item.required}>
                <Space direction="vertical" size={2} style={{ width: '100%' }}>
                  <Flex gap={8} align="center" wrap>
                    <Tag color={item.required ? TAG.warn : 'default'}>{item.required ? t('notice.required') : t('notice.noChange')}</Tag>
                    <Typography.Text strong>{pick(item.label)}</Typography.Text>
                    <Typography.Text type="secondary">{item.legalBasis}</Typography.Text>
                  </Flex>
                  {item.required && <Typography.Text>{pick(item.duty)}</Typography.Text>}
                  {item.events.length > 0 && (
                    <ul style={{ margin: 0 }}>
                      {item.events.map((e) => (
                        <li key={e.id}>
                          <Link
                            to={`/audit-log?${new URLSearchParams({ entityType: e.entityType, ...(e.entityId ? { entityId: e.entityId } : {}), from: localDay(e.at), to: localDay(e.at) })}`}
                            data-testid="checklist-event-link" data-event-id={e.id}
                          >
                            {dayjs(e.at).format('YYYY-MM-DD HH:mm')} {e.operation} {e.entityCode ?? e.entityId ?? ''}
                          </Link>
                          {e.fields.length > 0 && <Typography.Text type="secondary"> ({e.fields.join(', ')})</Typography.Text>}
                        </li>
                      ))}
                    </ul>
                  )}
                </Space>
              </List.Item>
            )}
          />
        </>
      )}
    </QueryState>
  );
}

function Changes({ language, at }: { language: ReportLanguage; at: string | null }) {
  const { t } = useTranslation();
  const pick = useLocalized();
  const { session } = useAuth();
  const [get, set] = useUrlState<Key>();
  const [{ data: rev }] = useQuery({ query: RevisionsDoc });
  const revisions = (rev?.organization?.notice?.revisions ?? []).filter((r): r is typeof r & { version: string } => !!r.version);
  const mode = get('from') ? 'versions' : 'since';
  // Without a choice, the changes since the notice was last revised: what the next revision must say.
  const latest = rev?.organization?.notice?.revisions?.at(-1)?.effectiveDate ?? null;
  const since = get('since') || (mode === 'since' ? latest : null);
  const effective = (v: string) => revisions.find((r) => r.version === v)?.effectiveDate ?? null;
  const fromDay = mode === 'versions' ? effective(get('from')) : since;
  const toDay = mode === 'versions' && get('to') ? effective(get('to')) : null;
  // A notice takes effect on its date in Japan (as publicNoticeDiff reads revisions).
  const from = fromDay ? startOfDayJst(fromDay) : null;
  const to = toDay ? startOfDayJst(toDay) : at;
  const [{ data, fetching, error }] = useQuery({ query: CompareDoc, variables: { language, from: from ?? '', to }, pause: !from });
  const [{ data: records }] = useQuery({
    query: RecordsDoc,
    variables: mode === 'versions' ? { fromVersion: get('from'), toVersion: get('to') || null } : { since: from },
    pause: !from,
  });
  const diff = useMemo(() => (data ? sideBySide(data.before, data.after) : null), [data]);
  const changedRecords = (records?.publicNoticeDiff ?? []).filter((c) => !to || c.at < to);
  const canReadTrail = !!session?.roles.some((r) => TRAIL_READERS.includes(r));
  const onlyChanges = get('full') !== '1';
  const beforeTitle = t('notice.before', { date: fromDay });
  const afterTitle = toDay ? t('notice.before', { date: toDay }) : at ? t('notice.asOfColumn') : t('notice.current');

  return (
    <div>
      <Flex gap={8} wrap align="center" style={{ marginBottom: 12 }}>
        <Segmented
          value={mode} data-testid="changes-mode"
          onChange={(v) => set(v === 'versions' ? { since: null, from: revisions[0]?.version ?? null } : { from: null, to: null })}
          options={[{ value: 'since', label: t('notice.sinceDate') }, { value: 'versions', label: t('notice.betweenVersions'), disabled: revisions.length === 0 }]}
        />
        {mode === 'since' ? (
          <DatePicker
            aria-label={t('notice.sinceDate')} placeholder={t('notice.sinceDate')} data-testid="notice-since"
            value={since ? dayjs(since) : null} disabledDate={(d) => d.isAfter(dayjs(), 'day')}
            onChange={(d) => set({ since: d ? d.format('YYYY-MM-DD') : null })}
          />
        ) : (
          <>
            <Select
              aria-label={t('notice.fromVersion')} style={{ width: 200 }} value={get('from') || undefined} data-testid="notice-from-version"
              onChange={(v: string) => set({ from: v })}
              options={revisions.map((r) => ({ value: r.version, label: `${r.version} (${r.effectiveDate})` }))}
            />
            <Select
              aria-label={t('notice.toVersion')} placeholder={t('notice.toNow')} allowClear style={{ width: 200 }} value={get('to') || undefined} data-testid="notice-to-version"
              onChange={(v?: string) => set({ to: v ?? null })}
              options={revisions.filter((r) => !fromDay || r.effectiveDate >= fromDay).map((r) => ({ value: r.version, label: `${r.version} (${r.effectiveDate})` }))}
            />
          </>
        )}
      </Flex>
      {!from && <Alert type="info" title={t('notice.chooseWindow')} />}
      {from && (
        <>
          <QueryState fetching={fetching} error={error}>
            {diff && (
              <>
                <Flex gap={12} align="center" wrap style={{ marginBottom: 8 }}>
                  <Typography.Text data-testid="diff-summary">
                    {t('notice.diffSummary', { count: diff.changes, from: fromDay, to: toDay ?? (at ? dayjs(at).subtract(1, 'day').format('YYYY-MM-DD') : t('notice.now')) })}
                  </Typography.Text>
                  <Checkbox checked={onlyChanges} onChange={(e) => set({ full: e.target.checked ? null : '1' }, { replace: true })} data-testid="diff-only-changes">{t('notice.onlyChanges')}</Checkbox>
                </Flex>
                <Row gutter={12}>
                  <Col span={12}>
                    <Card size="small" title={beforeTitle}><Side pieces={diff.before} kind="removed" testId="notice-diff-before" onlyChanges={onlyChanges} label={beforeTitle} /></Card>
                  </Col>
                  <Col span={12}>
                    <Card size="small" title={afterTitle}><Side pieces={diff.after} kind="added" testId="notice-diff-after" onlyChanges={onlyChanges} label={afterTitle} /></Card>
                  </Col>
                </Row>
              </>
            )}
          </QueryState>
          <Typography.Title level={2} style={{ fontSize: 18, marginTop: 20 }}>{t('notice.records')}</Typography.Title>
          <Table
            size="small" rowKey={(c) => `${c.entityType}|${c.code}|${c.at}`} dataSource={changedRecords} pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }} data-testid="notice-records"
            columns={[
              { key: 'at', title: t('auditLog.at'), render: (_: unknown, c) => dayjs(c.at).format('YYYY-MM-DD HH:mm') },
              { key: 'entityType', title: t('auditLog.entityType'), render: (_: unknown, c) => c.entityType },
              { key: 'code', title: t('activities.col.code'), render: (_: unknown, c) => c.code },
              { key: 'change', title: t('notice.change'), render: (_: unknown, c) => t(`notice.changeKind.${c.change}`, { defaultValue: c.change }) },
            ]}
          />
          <Typography.Title level={2} style={{ fontSize: 18, marginTop: 20 }}>{t('notice.checklist')}</Typography.Title>
          <Typography.Paragraph type="secondary">{t('notice.checklistNote')}</Typography.Paragraph>
          {canReadTrail ? <Checklist since={from} until={to} /> : <Alert type="info" title={t('notice.checklistNotForRole')} data-testid="checklist-not-for-role" />}
        </>
      )}
      {mode === 'since' && revisions.length > 0 && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
          {t('notice.revisions')}: {revisions.map((r) => `${r.version} (${r.effectiveDate}${pick(r.summary) ? `: ${pick(r.summary)}` : ''})`).join(' / ')}
        </Typography.Paragraph>
      )}
    </div>
  );
}

/** 公表事項: the generated notice (ja / en, as of a date) and what changed in it, with what the changes oblige. */
export default function Notice() {
  const { t, i18n } = useTranslation();
  const [get, set] = useUrlState<Key>();
  const { at } = useAsOf();
  const language: ReportLanguage = get('lang') === 'EN' || get('lang') === 'JA' ? (get('lang') as ReportLanguage) : i18n.language === 'en' ? 'EN' : 'JA';
  const tab = get('tab') === 'changes' ? 'changes' : 'notice';
  return (
    <div data-testid="page-notice">
      <Typography.Title level={1} style={{ fontSize: 24 }}>{t('nav.notice')}</Typography.Title>
      <AsOfBanner />
      <Flex gap={8} wrap align="center" style={{ marginBottom: 12 }}>
        <Segmented
          value={tab} data-testid="notice-tab" onChange={(v) => set({ tab: v === 'changes' ? 'changes' : null })}
          options={[{ value: 'notice', label: t('notice.tabNotice') }, { value: 'changes', label: t('notice.tabChanges') }]}
        />
        <Radio.Group
          optionType="button" value={language} aria-label={t('notice.language')} data-testid="notice-language"
          onChange={(e) => set({ lang: e.target.value }, { replace: true })}
          options={[{ value: 'JA', label: t('shell.japanese') }, { value: 'EN', label: t('shell.english') }]}
        />
        <AsOfPicker />
      </Flex>
      {tab === 'notice' ? <NoticePreview language={language} at={at} /> : <Changes language={language} at={at} />}
    </div>
  );
}
