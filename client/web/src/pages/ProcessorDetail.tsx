import { useState } from 'react';
import { Alert, App, Button, DatePicker, Descriptions, Drawer, Flex, Form, Input, Select, Table, Tabs, Tag, Timeline, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { graphql } from '../gql';
import type { AuditMethod, AuditResult } from '../gql/graphql';
import { useAuth } from '../auth/session';
import { LocalizedText, useLocalized } from '../lib/text';
import { QueryState } from '../lib/QueryState';
import { useUrlState } from '../lib/url-state';
import { TAG } from '../lib/deadline';
import { AUDIT_READERS, severityColor } from './Processors';
import './processor-print.css';

const AuditDoc = graphql(`
  query ProcessorAuditDetail($id: ID!, $language: ReportLanguage!) {
    organization { name { ja en } }
    processorAudit(processorId: $id) {
      riskScore nextAuditDue
      processor { id code country version auditIntervalMonths services certifications name { ja en } description { ja en } }
      findings { code severity evidence(language: $language) records { type code } }
      contract { concluded signedAt expiresAt reference subProcessingAllowed confidentialityAgreement }
      audits { id code auditedAt method result auditor nextDueAt findings { ja en } }
      subProcessorChain { chain audit { riskScore processor { id code country name { ja en } } } }
      storageLocations { id code country region name { ja en } }
      activities { id code name { ja en } }
      dataCategories { id code kind name { ja en } }
    }
  }
`);
const RecordAuditDoc = graphql(`
  mutation RecordAudit($input: RecordAuditInput!) { recordAudit(input: $input) { nextAuditDue audits { id } } }
`);

const METHODS: AuditMethod[] = ['DOCUMENT_REVIEW', 'QUESTIONNAIRE', 'REMOTE', 'ON_SITE', 'CERTIFICATION_REVIEW'];
const RESULTS: AuditResult[] = ['SATISFACTORY', 'MINOR_FINDINGS', 'MAJOR_FINDINGS', 'FAILED'];
interface AuditForm { auditedAt: Dayjs; method: AuditMethod; result: AuditResult; auditor?: string; findingsJa?: string; findingsEn?: string }

/** 委託先監査: one processor's evidence sheet — findings, contract, audit history — and recording an audit. */
export default function ProcessorDetail() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const pick = useLocalized();
  const { session } = useAuth();
  const { message } = App.useApp();
  const [get, set] = useUrlState<'tab'>();
  const allowed = !!session?.roles.some((r) => AUDIT_READERS.includes(r));
  const isAdmin = !!session?.roles.includes('PRIVACY_ADMIN');
  const [{ data, fetching, error }, refetch] = useQuery({ query: AuditDoc, variables: { id, language: i18n.language === 'en' ? 'EN' : 'JA' }, pause: !allowed });
  const [{ fetching: saving }, record] = useMutation(RecordAuditDoc);
  const [open, setOpen] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [form] = Form.useForm<AuditForm>();
  const a = data?.processorAudit;

  if (!allowed) return <Alert type="info" title={t('processors.notForRole')} data-testid="not-for-role" />;
  if (!a) {
    return (
      <QueryState fetching={fetching} error={error}>
        {data && <Alert type="warning" title={t('common.notFound')} data-testid="not-found" />}
      </QueryState>
    );
  }

  const submit = async (v: AuditForm) => {
    setSaveError(null);
    const findings = v.findingsJa || v.findingsEn ? { ja: v.findingsJa || null, en: v.findingsEn || null } : null;
    const res = await record({ input: { processorCode: a.processor.code, auditedAt: v.auditedAt.format('YYYY-MM-DD'), method: v.method, result: v.result, auditor: v.auditor || null, findings } });
    if (res.error) {
      setSaveError(res.error.graphQLErrors.map((g) => `${g.message}${g.extensions?.field ? ` (${String(g.extensions.field)})` : ''}`).join('; ') || res.error.message);
      return;
    }
    setOpen(false);
    form.resetFields();
    void message.success(t('processor.recorded'));
    refetch({ requestPolicy: 'network-only' });
  };

  const yesNo = (v: boolean | null | undefined) => (v == null ? t('processor.unknown') : v ? t('common.yes') : t('common.no'));
  const c = a.contract;
  const tabs = [
    {
      key: 'findings', label: t('processor.tab.findings'),
      children: (
        <Table
          size="small" pagination={false} rowKey={(f) => `${f.code}:${f.evidence}`} dataSource={a.findings} data-testid="findings-table"
          locale={{ emptyText: t('processor.noFindings') }}
          columns={[
            { key: 'severity', title: t('processor.severity'), width: 100, render: (_, f) => <Tag color={severityColor(f.severity)}>{t(`severity.${f.severity}`)}</Tag> },
            { key: 'code', title: t('processors.finding'), render: (_, f) => t(`finding.${f.code}`) },
            { key: 'evidence', title: t('processor.evidence'), render: (_, f) => <span style={{ whiteSpace: 'pre-wrap' }}>{f.evidence}</span> },
            { key: 'records', title: t('processor.records'), render: (_, f) => <Flex wrap gap={4}>{f.records.map((r) => <Tag key={`${r.type}:${r.code}`}>{`${r.type} ${r.code}`}</Tag>)}</Flex> },
          ]}
        />
      ),
    },
    {
      key: 'contract', label: t('processor.tab.contract'),
      children: c ? (
        <Descriptions bordered size="small" column={1} data-testid="contract">
          <Descriptions.Item label={t('processor.concluded')}>{yesNo(c.concluded)}</Descriptions.Item>
          <Descriptions.Item label={t('processor.signedAt')}>{c.signedAt ?? t('processor.unknown')}</Descriptions.Item>
          <Descriptions.Item label={t('processors.contractExpires')}>{c.expiresAt ?? t('processor.unknown')}</Descriptions.Item>
          <Descriptions.Item label={t('processor.reference')}>{c.reference ?? ''}</Descriptions.Item>
          <Descriptions.Item label={t('processor.subProcessingAllowed')}>{yesNo(c.subProcessingAllowed)}</Descriptions.Item>
          <Descriptions.Item label={t('processor.confidentiality')}>{yesNo(c.confidentialityAgreement)}</Descriptions.Item>
        </Descriptions>
      ) : <Alert type="warning" title={t('finding.NO_CONTRACT')} data-testid="contract" />,
    },
    {
      key: 'audits', label: t('processor.tab.audits'),
      children: a.audits.length ? (
        <Timeline
          data-testid="audit-history"
          items={[...a.audits].sort((x, y) => y.auditedAt.localeCompare(x.auditedAt)).map((r) => ({
            key: r.id,
            color: r.result === 'SATISFACTORY' ? 'green' : r.result === 'FAILED' || r.result === 'MAJOR_FINDINGS' ? 'red' : 'orange',
            content: (
              <div>
                <Typography.Text strong>{r.auditedAt}</Typography.Text>{' '}
                <Tag>{t(`auditMethod.${r.method}`)}</Tag><Tag>{t(`auditResult.${r.result}`)}</Tag>
                {r.auditor && <Typography.Text type="secondary">{r.auditor}</Typography.Text>}
                {r.findings && <div><LocalizedText value={r.findings} /></div>}
                {r.nextDueAt && <Typography.Text type="secondary">{t('processor.nextDue', { date: r.nextDueAt })}</Typography.Text>}
              </div>
            ),
          }))}
        />
      ) : <Alert type="warning" title={t('finding.NEVER_AUDITED')} data-testid="audit-history" />,
    },
    {
      key: 'touches', label: t('processor.tab.touches'),
      children: (
        <Descriptions bordered size="small" column={1}>
          <Descriptions.Item label={t('activities.col.name')}>
            <Flex wrap gap={4}>{a.activities.map((x) => <Tag key={x.id}><Link to={`/activities/${x.id}`}>{pick(x.name)}</Link></Tag>)}</Flex>
          </Descriptions.Item>
          <Descriptions.Item label={t('activities.col.data')}>
            <Flex wrap gap={4}>{a.dataCategories.map((d) => <Tag key={d.id} color={d.kind === 'SPECIAL_CARE' ? 'red' : d.kind === 'PERSONALLY_REFERABLE' ? 'purple' : undefined}>{pick(d.name)}</Tag>)}</Flex>
          </Descriptions.Item>
          <Descriptions.Item label={t('activity.location')}>
            {a.storageLocations.map((l) => `${pick(l.name)} (${l.country}${l.region ? ` ${l.region}` : ''})`).join(' / ')}
          </Descriptions.Item>
          <Descriptions.Item label={t('processor.subProcessors')}>
            <ul style={{ margin: 0, paddingInlineStart: 18 }} data-testid="sub-processors">
              {a.subProcessorChain.map((s) => (
                <li key={s.chain.join('>')}>
                  <Link to={`/processors/${s.audit.processor.id}`}>{pick(s.audit.processor.name)}</Link>{` ${s.chain.join(' → ')} · ${t('processors.risk')} ${s.audit.riskScore}`}
                </li>
              ))}
            </ul>
          </Descriptions.Item>
        </Descriptions>
      ),
    },
  ];
  const tab = tabs.some((x) => x.key === get('tab')) ? get('tab') : 'findings';
  // Every section is rendered (forceRender) so that print, which hides the tab bar, shows them all, each under its own heading.
  const sections = tabs.map((x) => ({
    ...x, forceRender: true,
    children: <section className="evidence-section" aria-label={x.label}><h2 className="print-only">{x.label}</h2>{x.children}</section>,
  }));

  return (
    <div data-testid="page-processor" className="evidence-sheet">
      <div className="print-only" data-testid="print-header">
        <div>{t('evidenceSheet.title')}</div>
        <div>{`${t('evidenceSheet.organization')}: ${pick(data?.organization?.name)}`}</div>
        <div>{`${t('evidenceSheet.processor')}: ${pick(a.processor.name)} (${a.processor.code})`}</div>
        <div>{`${t('evidenceSheet.printedAt')}: ${dayjs().format('YYYY-MM-DD')}`}</div>
      </div>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Flex gap={8} align="center">
          <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>{pick(a.processor.name)}</Typography.Title>
          <Tag color={a.riskScore >= 50 ? 'red' : a.riskScore >= 20 ? TAG.warn : TAG.ok} data-testid="risk-score">{`${t('processors.risk')} ${a.riskScore}`}</Tag>
        </Flex>
        <Flex gap={8}>
          <Button onClick={() => window.print()} data-testid="print-evidence">{t('evidenceSheet.print')}</Button>
          {isAdmin && <Button type="primary" onClick={() => { setSaveError(null); setOpen(true); }} data-testid="record-audit">{t('processor.recordAudit')}</Button>}
        </Flex>
      </Flex>
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} style={{ margin: '12px 0' }} data-testid="processor-summary">
        <Descriptions.Item label={t('activities.col.code')}>{a.processor.code}</Descriptions.Item>
        <Descriptions.Item label={t('activities.col.countries')}>{a.processor.country ?? ''}</Descriptions.Item>
        <Descriptions.Item label={t('processor.services')}>{a.processor.services.join(', ')}</Descriptions.Item>
        <Descriptions.Item label={t('processor.certifications')}>{a.processor.certifications.join(', ')}</Descriptions.Item>
        <Descriptions.Item label={t('processor.interval')}>{a.processor.auditIntervalMonths ? t('processor.months', { count: a.processor.auditIntervalMonths }) : t('processor.unknown')}</Descriptions.Item>
        <Descriptions.Item label={t('processors.nextAudit')}><span data-testid="next-audit">{a.nextAuditDue ?? t('processor.unknown')}</span></Descriptions.Item>
      </Descriptions>
      <Tabs activeKey={tab} onChange={(k) => set({ tab: k === 'findings' ? null : k })} items={sections} />
      <Drawer open={open} onClose={() => setOpen(false)} title={t('processor.recordAudit')} size={480} destroyOnHidden>
        {saveError && <Alert type="error" title={saveError} style={{ marginBottom: 12 }} data-testid="save-error" />}
        <Form<AuditForm> form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ auditedAt: dayjs(), method: 'DOCUMENT_REVIEW', result: 'SATISFACTORY' }} data-testid="audit-form">
          <Form.Item name="auditedAt" label={t('processor.auditedAt')} rules={[{ required: true, message: t('intake.required') }]}>
            <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
          </Form.Item>
          <Form.Item name="method" label={t('processor.method')}>
            <Select options={METHODS.map((m) => ({ value: m, label: t(`auditMethod.${m}`) }))} />
          </Form.Item>
          <Form.Item name="result" label={t('processor.result')}>
            <Select data-testid="audit-result" options={RESULTS.map((m) => ({ value: m, label: t(`auditResult.${m}`) }))} />
          </Form.Item>
          <Form.Item name="auditor" label={t('processor.auditor')}><Input data-testid="audit-auditor" /></Form.Item>
          <Form.Item name="findingsJa" label={t('processor.findingsJa')}><Input.TextArea rows={3} data-testid="audit-findings-ja" /></Form.Item>
          <Form.Item name="findingsEn" label={t('processor.findingsEn')}><Input.TextArea rows={3} /></Form.Item>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="save-audit">{t('common.save')}</Button>
        </Form>
      </Drawer>
    </div>
  );
}
