import { useState } from 'react';
import { Alert, App, Button, Descriptions, Drawer, Flex, Form, Input, Modal, Select, Table, Tabs, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { useClient, useMutation, useQuery, type CombinedError } from 'urql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../gql';
import type { ActivityQuery } from '../gql/graphql';
import { useAuth } from '../auth/session';
import { History } from '../lib/History';
import { LocalizedText, useLocalized, type Localized } from '../lib/text';
import { QueryState } from '../lib/QueryState';
import { useUrlState } from '../lib/url-state';
import { MissingItems } from '../components/Completeness';

const ActivityDoc = graphql(`
  query Activity($id: ID!) {
    processingActivity(id: $id) {
      id code version status role owner profiling targetedAdvertising updatedAt
      name { ja en }
      description { ja en }
      retention { ja en }
      sources { ja en }
      subjectCategories { id code name { ja en } }
      dataCategories { id code kind name { ja en } }
      purposes { id code text { ja en } }
      legalBases { id code framework article title { ja en } }
      processors { id code country name { ja en } }
      recipients { id code country kind name { ja en } }
      jointUses { id code name { ja en } }
      storageLocations { id code country region name { ja en } }
      foreignTransfers { id code country basis recipientName { ja en } }
      securityMeasures { id code title { ja en } description { ja en } }
      datasets { id key name system { id name } }
    }
  }
`);

const UpdateActivity = graphql(`
  mutation UpdateActivity($input: UpdateProcessingActivityInput!) {
    updateProcessingActivity(input: $input) {
      processingActivity { id version status owner updatedAt name { ja en } description { ja en } retention { ja en } }
    }
  }
`);

type Activity = NonNullable<ActivityQuery['processingActivity']>;
interface Editable {
  nameJa: string;
  nameEn: string;
  descriptionJa: string;
  descriptionEn: string;
  retentionJa: string;
  retentionEn: string;
  owner: string;
  status: 'ACTIVE' | 'DRAFT' | 'RETIRED';
}

function editable(a: Activity): Editable {
  return {
    nameJa: a.name.ja ?? '', nameEn: a.name.en ?? '',
    descriptionJa: a.description?.ja ?? '', descriptionEn: a.description?.en ?? '',
    retentionJa: a.retention?.ja ?? '', retentionEn: a.retention?.en ?? '',
    owner: a.owner ?? '', status: a.status,
  };
}

const text = (ja: string, en: string) => ({ ja: ja || null, en: en || null });

function conflictOf(e: CombinedError | undefined): boolean {
  return !!e?.graphQLErrors.some((g) => g.extensions?.code === 'CONFLICT');
}

function Names({ items }: { items: Array<{ id: string; name: Localized; to?: string }> }) {
  const pick = useLocalized();
  const { t } = useTranslation();
  if (!items.length) return <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  return (
    <Flex wrap gap={4}>
      {items.map((i) => (
        <Tag key={i.id}>{i.to ? <Link to={i.to}>{pick(i.name)}</Link> : pick(i.name)}</Tag>
      ))}
    </Flex>
  );
}

export default function ActivityDetail() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const pick = useLocalized();
  const { canWrite } = useAuth();
  const { message } = App.useApp();
  const [get, set] = useUrlState<'tab'>();
  const [{ data, fetching, error }, refetch] = useQuery({ query: ActivityDoc, variables: { id } });
  const [, update] = useMutation(UpdateActivity);
  const client = useClient();
  const [editing, setEditing] = useState<Editable | null>(null);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  /** My edit that met a newer version: shown next to what the server now has. */
  const [conflict, setConflict] = useState<{ mine: Editable; current: Editable; version: number } | null>(null);
  const [form] = Form.useForm<Editable>();
  const a = data?.processingActivity;

  const save = async (values: Editable, version: number) => {
    setSaving(true);
    setSaveError(null);
    const result = await update({
      input: {
        id, version, owner: values.owner || null, status: values.status,
        name: text(values.nameJa, values.nameEn), description: text(values.descriptionJa, values.descriptionEn), retention: text(values.retentionJa, values.retentionEn),
      },
    });
    setSaving(false);
    if (conflictOf(result.error)) {
      // Someone saved first: fetch what they saved and let the user compare before deciding.
      const fresh = await refetchNow();
      if (fresh) setConflict({ mine: values, current: editable(fresh), version: fresh.version });
      return;
    }
    if (result.error) {
      setSaveError(result.error.graphQLErrors.map((g) => g.message).join('; ') || result.error.message);
      return;
    }
    setEditing(null);
    setConflict(null);
    void message.success(t('activity.saved'));
    refetch({ requestPolicy: 'network-only' });
  };

  async function refetchNow(): Promise<Activity | null> {
    // network-only: the cache still holds the version the edit started from; this also updates the page.
    const res = await client.query(ActivityDoc, { id }, { requestPolicy: 'network-only' }).toPromise();
    return res.data?.processingActivity ?? null;
  }

  if (!a) {
    return (
      <QueryState fetching={fetching} error={error}>
        {data && <Alert type="warning" title={t('common.notFound')} data-testid="not-found" />}
      </QueryState>
    );
  }

  const tabs = [
    {
      key: 'summary',
      label: t('activity.tab.summary'),
      children: (
        <Descriptions bordered size="small" column={1} data-testid="activity-summary">
          <Descriptions.Item label={t('activities.col.code')}>{a.code}</Descriptions.Item>
          <Descriptions.Item label={t('activities.col.name')}><LocalizedText value={a.name} /></Descriptions.Item>
          <Descriptions.Item label={t('activity.description')}><LocalizedText value={a.description} /></Descriptions.Item>
          <Descriptions.Item label={t('activities.col.status')}><Tag data-testid="activity-status">{t(`status.${a.status}`)}</Tag></Descriptions.Item>
          <Descriptions.Item label={t('activities.role')}>{t(`subjectRole.${a.role}`)}</Descriptions.Item>
          <Descriptions.Item label={t('activity.owner')}><span data-testid="activity-owner">{a.owner}</span></Descriptions.Item>
          <Descriptions.Item label={t('activities.col.retention')}><LocalizedText value={a.retention} /></Descriptions.Item>
          <Descriptions.Item label={t('activity.sources')}>{a.sources.map((s) => pick(s)).join(' / ')}</Descriptions.Item>
          <Descriptions.Item label={t('activity.profiling')}>{a.profiling ? t('common.yes') : t('common.no')}</Descriptions.Item>
          <Descriptions.Item label={t('activity.targetedAdvertising')}>{a.targetedAdvertising ? t('common.yes') : t('common.no')}</Descriptions.Item>
          <Descriptions.Item label={t('activity.version')}><span data-testid="activity-version">{a.version}</span></Descriptions.Item>
        </Descriptions>
      ),
    },
    {
      key: 'data',
      label: t('activity.tab.data'),
      children: (
        <Descriptions bordered size="small" column={1}>
          <Descriptions.Item label={t('activities.col.subjects')}><Names items={a.subjectCategories} /></Descriptions.Item>
          <Descriptions.Item label={t('activities.col.data')}>
            <Flex wrap gap={4}>
              {a.dataCategories.map((d) => (
                <Tag key={d.id} color={d.kind === 'SPECIAL_CARE' ? 'red' : d.kind === 'PERSONALLY_REFERABLE' ? 'purple' : undefined}>
                  {pick(d.name)}
                  {d.kind === 'SPECIAL_CARE' && ` · ${t('kind.SPECIAL_CARE')}`}
                  {d.kind === 'PERSONALLY_REFERABLE' && ` · ${t('kind.PERSONALLY_REFERABLE')}`}
                </Tag>
              ))}
            </Flex>
          </Descriptions.Item>
          <Descriptions.Item label={t('activity.securityMeasures')}>
            <Names items={a.securityMeasures.map((m) => ({ id: m.id, name: m.title ?? m.description }))} />
          </Descriptions.Item>
        </Descriptions>
      ),
    },
    {
      key: 'purposes',
      label: t('activity.tab.purposes'),
      children: (
        <Descriptions bordered size="small" column={1}>
          <Descriptions.Item label={t('activities.col.purposes')}>
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>{a.purposes.map((p) => <li key={p.id}><LocalizedText value={p.text} /></li>)}</ul>
          </Descriptions.Item>
          <Descriptions.Item label={t('activities.col.bases')}>
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>{a.legalBases.map((b) => <li key={b.id}>{b.framework} {b.article} — <LocalizedText value={b.title} /></li>)}</ul>
          </Descriptions.Item>
        </Descriptions>
      ),
    },
    {
      key: 'parties',
      label: t('activity.tab.parties'),
      children: (
        <Descriptions bordered size="small" column={1}>
          <Descriptions.Item label={t('activities.col.processors')}><Names items={a.processors.map((p) => ({ ...p, to: `/processors/${p.id}` }))} /></Descriptions.Item>
          <Descriptions.Item label={t('activity.recipients')}><Names items={a.recipients} /></Descriptions.Item>
          <Descriptions.Item label={t('activities.col.jointUse')}><Names items={a.jointUses} /></Descriptions.Item>
        </Descriptions>
      ),
    },
    {
      key: 'locations',
      label: t('activity.tab.locations'),
      children: (
        <>
          <Table
            size="small" rowKey="id" pagination={false}
            dataSource={a.storageLocations}
            columns={[
              { key: 'name', title: t('activity.location'), render: (_, l) => pick(l.name) },
              { key: 'country', title: t('activities.col.countries'), dataIndex: 'country' },
              { key: 'region', title: t('activity.region'), dataIndex: 'region' },
            ]}
          />
          <Typography.Title level={2} style={{ fontSize: 16, marginTop: 16 }}>{t('activity.foreignTransfers')}</Typography.Title>
          <Table
            size="small" rowKey="id" pagination={false}
            dataSource={a.foreignTransfers}
            columns={[
              { key: 'recipient', title: t('activity.recipient'), render: (_, f) => pick(f.recipientName) },
              { key: 'country', title: t('activities.col.countries'), dataIndex: 'country' },
              { key: 'basis', title: t('activity.transferBasis'), dataIndex: 'basis' },
            ]}
          />
        </>
      ),
    },
    {
      key: 'datasets',
      label: t('activity.tab.datasets'),
      children: (
        <Table
          size="small" rowKey="id" pagination={false}
          dataSource={a.datasets}
          columns={[
            { key: 'name', title: t('systems.dataset'), render: (_, d) => <Link to={`/datasets/${d.id}`}>{d.name}</Link> },
            { key: 'key', title: t('systems.key'), dataIndex: 'key' },
            { key: 'system', title: t('systems.system'), render: (_, d) => d.system.name },
          ]}
        />
      ),
    },
    { key: 'history', label: t('activity.tab.history'), children: get('tab') === 'history' ? <History entityType="ProcessingActivity" entityId={a.id} /> : null },
  ];
  const tab = tabs.some((x) => x.key === get('tab')) ? get('tab') : 'summary';

  return (
    <div data-testid="page-activity">
      <Flex justify="space-between" align="center">
        <Typography.Title level={1} style={{ fontSize: 24 }}>{pick(a.name)}</Typography.Title>
        {canWrite && (
          <Button type="primary" data-testid="edit-activity" onClick={() => { setSaveError(null); setEditing(editable(a)); form.setFieldsValue(editable(a)); }}>
            {t('common.edit')}
          </Button>
        )}
      </Flex>
      <MissingItems activityId={a.id} />
      <Tabs activeKey={tab} onChange={(k) => set({ tab: k === 'summary' ? null : k })} items={tabs} />
      <Drawer open={!!editing} onClose={() => setEditing(null)} title={t('activity.edit')} size={520} destroyOnHidden>
        {saveError && <Alert type="error" title={saveError} style={{ marginBottom: 12 }} data-testid="save-error" />}
        <Form form={form} layout="vertical" initialValues={editing ?? undefined} onFinish={(v) => void save(v, a.version)} data-testid="activity-form">
          <Form.Item name="nameJa" label={t('activity.nameJa')} rules={[{ required: true, message: t('activity.nameRequired') }]}><Input data-testid="field-nameJa" /></Form.Item>
          <Form.Item name="nameEn" label={t('activity.nameEn')}><Input data-testid="field-nameEn" /></Form.Item>
          <Form.Item name="descriptionJa" label={t('activity.descriptionJa')}><Input.TextArea rows={3} /></Form.Item>
          <Form.Item name="descriptionEn" label={t('activity.descriptionEn')}><Input.TextArea rows={3} /></Form.Item>
          <Form.Item name="retentionJa" label={t('activity.retentionJa')}><Input /></Form.Item>
          <Form.Item name="retentionEn" label={t('activity.retentionEn')}><Input /></Form.Item>
          <Form.Item name="owner" label={t('activity.owner')}><Input data-testid="field-owner" /></Form.Item>
          <Form.Item name="status" label={t('activities.col.status')}>
            <Select options={['ACTIVE', 'DRAFT', 'RETIRED'].map((s) => ({ value: s, label: t(`status.${s}`) }))} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="save-activity">{t('common.save')}</Button>
        </Form>
      </Drawer>
      <Modal
        open={!!conflict}
        title={t('activity.conflictTitle')}
        width={760}
        onCancel={() => setConflict(null)}
        footer={[
          <Button key="reload" data-testid="conflict-reload" onClick={() => { setConflict(null); setEditing(null); refetch({ requestPolicy: 'network-only' }); }}>
            {t('activity.conflictReload')}
          </Button>,
          <Button key="mine" type="primary" danger data-testid="conflict-overwrite" onClick={() => conflict && void save(conflict.mine, conflict.version)}>
            {t('activity.conflictKeepMine')}
          </Button>,
        ]}
      >
        <div data-testid="conflict-dialog">
          <Typography.Paragraph>{t('activity.conflictText')}</Typography.Paragraph>
          {conflict && (
            <Table
              size="small" pagination={false} rowKey="field"
              dataSource={(Object.keys(conflict.mine) as Array<keyof Editable>).filter((k) => conflict.mine[k] !== conflict.current[k]).map((k) => ({ field: k, mine: conflict.mine[k], current: conflict.current[k] }))}
              columns={[
                { key: 'field', title: t('history.field'), render: (_, r) => t(`activity.${r.field}`) },
                { key: 'mine', title: t('activity.conflictMine'), dataIndex: 'mine' },
                { key: 'current', title: t('activity.conflictCurrent'), dataIndex: 'current' },
              ]}
            />
          )}
        </div>
      </Modal>
    </div>
  );
}
