import { useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Flex, Radio, Table, Tag, Typography } from 'antd';
import { useClient, useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { graphql } from '../gql';
import type { Framework, ReportLanguage, RopaFormat, SubjectRole } from '../gql/graphql';
import { QueryState } from '../lib/QueryState';
import { useLocalized } from '../lib/text';
import { useUrlState } from '../lib/url-state';
import { saveExport } from '../lib/download';

const RopaDoc = graphql(`
  query RopaFile($format: RopaFormat!, $framework: Framework!, $role: SubjectRole!, $language: ReportLanguage!) {
    ropaExport(format: $format, framework: $framework, role: $role, language: $language) { filename contentType encoding content }
  }
`);
const ProvisionDoc = graphql(`
  query ProvisionRecordList {
    provisionRecords { id code providedAt direction items { ja en } subjects { ja en } recipient { id name { ja en } country } basis { id title { ja en } } }
  }
`);
const ProvisionFileDoc = graphql(`
  query ProvisionFile($format: RopaFormat!, $from: LocalDate!, $to: LocalDate!) {
    provisionRecordsExport(format: $format, from: $from, to: $to) { filename contentType encoding content }
  }
`);

interface RopaJson { columns: Array<{ key: string; label: string }>; rows: Array<Record<string, unknown>> }
const cell = (v: unknown) => (v == null ? '' : typeof v === 'string' ? v : Array.isArray(v) ? v.join('; ') : JSON.stringify(v));

/** 出力: the record of processing (preview and files) and the provision records of a period. */
export default function Exports() {
  const { t } = useTranslation();
  const pick = useLocalized();
  const client = useClient();
  const { message } = App.useApp();
  const [get, set] = useUrlState<'framework' | 'role' | 'language' | 'from' | 'to'>();
  const framework = (get('framework') || 'APPI') as Framework;
  const role = (get('role') || 'CONTROLLER') as SubjectRole;
  const language = (get('language') || 'JA') as ReportLanguage;
  const from = get('from') || dayjs().subtract(1, 'year').format('YYYY-MM-DD');
  const to = get('to') || dayjs().format('YYYY-MM-DD');
  const [{ data, fetching, error }] = useQuery({ query: RopaDoc, variables: { format: 'JSON', framework, role, language } });
  const [{ data: prov, fetching: provFetching, error: provError }] = useQuery({ query: ProvisionDoc });
  const [busy, setBusy] = useState<string | null>(null);

  const preview = data ? (JSON.parse(data.ropaExport.content) as RopaJson) : null;
  const records = (prov?.provisionRecords ?? []).filter((r) => r.providedAt >= from && r.providedAt <= to).sort((a, b) => b.providedAt.localeCompare(a.providedAt));

  async function download(kind: 'ropa' | 'provision', format: RopaFormat) {
    setBusy(`${kind}-${format}`);
    const res = kind === 'ropa'
      ? await client.query(RopaDoc, { format, framework, role, language }, { requestPolicy: 'network-only' }).toPromise()
      : await client.query(ProvisionFileDoc, { format, from, to }, { requestPolicy: 'network-only' }).toPromise();
    setBusy(null);
    const file = res.data && ('ropaExport' in res.data ? res.data.ropaExport : res.data.provisionRecordsExport);
    if (res.error || !file) {
      void message.error(res.error?.message ?? t('common.error'));
      return;
    }
    saveExport(file);
  }

  return (
    <div data-testid="page-exports">
      <Typography.Title level={1} style={{ fontSize: 24 }}>{t('nav.exports')}</Typography.Title>
      <Card title={t('exports.ropa')} size="small" style={{ marginBottom: 16 }}>
        <Flex gap={16} wrap align="center" style={{ marginBottom: 12 }}>
          <Radio.Group optionType="button" aria-label={t('requests.framework')} value={framework} onChange={(e) => set({ framework: e.target.value === 'APPI' ? null : e.target.value }, { replace: true })}
            options={[{ value: 'APPI', label: t('framework.APPI') }, { value: 'GDPR', label: t('framework.GDPR') }]} />
          <Radio.Group optionType="button" aria-label={t('activities.role')} value={role} onChange={(e) => set({ role: e.target.value === 'CONTROLLER' ? null : e.target.value }, { replace: true })}
            options={[{ value: 'CONTROLLER', label: t('subjectRole.CONTROLLER') }, { value: 'PROCESSOR', label: t('subjectRole.PROCESSOR') }]} />
          <Radio.Group optionType="button" aria-label={t('shell.language')} value={language} onChange={(e) => set({ language: e.target.value === 'JA' ? null : e.target.value }, { replace: true })}
            options={[{ value: 'JA', label: t('shell.japanese') }, { value: 'EN', label: t('shell.english') }]} />
          <Flex gap={8}>
            {(['XLSX', 'CSV', 'JSON'] as const).map((f) => (
              <Button key={f} type={f === 'XLSX' ? 'primary' : 'default'} loading={busy === `ropa-${f}`} onClick={() => void download('ropa', f)} data-testid={`ropa-download-${f}`}>
                {t('exports.download', { format: f })}
              </Button>
            ))}
          </Flex>
        </Flex>
        {role === 'PROCESSOR' && framework === 'APPI' && <Alert type="info" title={t('exports.processorNote')} style={{ marginBottom: 12 }} />}
        <QueryState fetching={fetching} error={error}>
          {preview && (
            // The wide table scrolls in a focusable region, so that keyboard users can scroll it too.
            <div tabIndex={0} role="region" aria-label={t('exports.preview')} style={{ overflowX: 'auto' }}>
            <Table
              size="small" rowKey={(_, i) => String(i)} data-testid="ropa-preview" style={{ minWidth: Math.max(1200, preview.columns.length * 160) }} pagination={{ pageSize: 20, showSizeChanger: false }}
              dataSource={preview.rows}
              columns={preview.columns.map((c) => ({ key: c.key, title: c.label, render: (_: unknown, r: Record<string, unknown>) => <Typography.Text ellipsis={{ tooltip: cell(r[c.key]) }} style={{ maxWidth: 240 }}>{cell(r[c.key])}</Typography.Text> }))}
            />
            </div>
          )}
        </QueryState>
      </Card>
      <Card title={t('exports.provision')} size="small">
        <Flex gap={16} wrap align="center" style={{ marginBottom: 12 }}>
          <DatePicker.RangePicker
            aria-label={t('exports.period')} allowClear={false} value={[dayjs(from), dayjs(to)]}
            onChange={(v) => v?.[0] && v[1] && set({ from: v[0].format('YYYY-MM-DD'), to: v[1].format('YYYY-MM-DD') }, { replace: true })}
          />
          {(['CSV', 'XLSX'] as const).map((f) => (
            <Button key={f} loading={busy === `provision-${f}`} onClick={() => void download('provision', f)} data-testid={`provision-download-${f}`}>{t('exports.download', { format: f })}</Button>
          ))}
        </Flex>
        <QueryState fetching={provFetching} error={provError}>
          <Table
            size="small" rowKey="id" data-testid="provision-table" dataSource={records} pagination={{ pageSize: 20, showSizeChanger: false }}
            locale={{ emptyText: t('exports.noProvision') }}
            columns={[
              { key: 'date', title: t('exports.providedAt'), dataIndex: 'providedAt', width: 120 },
              { key: 'direction', title: t('exports.direction'), render: (_, r) => <Tag>{t(`direction.${r.direction}`)}</Tag> },
              { key: 'recipient', title: t('activity.recipient'), render: (_, r) => `${pick(r.recipient.name)}${r.recipient.country ? ` (${r.recipient.country})` : ''}` },
              { key: 'items', title: t('activities.col.data'), render: (_, r) => pick(r.items) },
              { key: 'subjects', title: t('activities.col.subjects'), render: (_, r) => pick(r.subjects) },
              { key: 'basis', title: t('activities.col.bases'), render: (_, r) => pick(r.basis?.title) },
            ]}
          />
        </QueryState>
      </Card>
    </div>
  );
}
