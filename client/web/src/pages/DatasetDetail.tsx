import { Alert, Descriptions, Flex, Table, Tabs, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { graphql } from '../gql';
import { History } from '../lib/History';
import { QueryState } from '../lib/QueryState';
import { useLocalized } from '../lib/text';
import { useUrlState } from '../lib/url-state';

const DatasetDoc = graphql(`
  query DatasetDetail($id: ID!) {
    dataset(id: $id) {
      id key name description status registeredBy lastRegisteredAt
      system { id key name }
      processor { id name { ja en } }
      storageLocation { id country region name { ja en } }
      fields { id path identityType description dataCategories { id kind name { ja en } } }
      activities { id name { ja en } }
      undeclaredDataCategories { id name { ja en } }
    }
  }
`);

export default function DatasetDetail() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const pick = useLocalized();
  const [get, set] = useUrlState<'tab'>();
  const [{ data, fetching, error }] = useQuery({ query: DatasetDoc, variables: { id } });
  const d = data?.dataset;
  if (!d) return <QueryState fetching={fetching} error={error}>{data && <Alert type="warning" title={t('common.notFound')} />}</QueryState>;
  const tab = get('tab') === 'history' ? 'history' : 'summary';
  return (
    <div data-testid="page-dataset">
      <Typography.Title level={1} style={{ fontSize: 24 }}>{d.name}</Typography.Title>
      {d.undeclaredDataCategories.length > 0 && (
        <Alert type="warning" style={{ marginBottom: 12 }} title={t('systems.undeclared')} description={d.undeclaredDataCategories.map((c) => pick(c.name)).join('、')} />
      )}
      <Tabs
        activeKey={tab}
        onChange={(k) => set({ tab: k === 'summary' ? null : k })}
        items={[
          {
            key: 'summary', label: t('activity.tab.summary'),
            children: (
              <>
                <Descriptions bordered size="small" column={1}>
                  <Descriptions.Item label={t('systems.key')}>{d.key}</Descriptions.Item>
                  <Descriptions.Item label={t('systems.system')}>{d.system.name}</Descriptions.Item>
                  <Descriptions.Item label={t('activity.description')}>{d.description}</Descriptions.Item>
                  <Descriptions.Item label={t('activity.location')}>{d.storageLocation ? `${pick(d.storageLocation.name)} (${d.storageLocation.country})` : ''}</Descriptions.Item>
                  <Descriptions.Item label={t('activities.col.processors')}>{pick(d.processor?.name)}</Descriptions.Item>
                  <Descriptions.Item label={t('systems.registeredBy')}>{d.registeredBy}</Descriptions.Item>
                  <Descriptions.Item label={t('systems.lastRegistered')}>{d.lastRegisteredAt ? dayjs(d.lastRegisteredAt).format('YYYY-MM-DD HH:mm') : ''}</Descriptions.Item>
                  <Descriptions.Item label={t('nav.activities')}>
                    <Flex wrap gap={4}>{d.activities.map((a) => <Tag key={a.id}><Link to={`/activities/${a.id}`}>{pick(a.name)}</Link></Tag>)}</Flex>
                  </Descriptions.Item>
                </Descriptions>
                <Typography.Title level={2} style={{ fontSize: 16, marginTop: 16 }}>{t('systems.fields')}</Typography.Title>
                <Table
                  size="small" rowKey="id" pagination={false} data-testid="fields-table"
                  dataSource={d.fields}
                  columns={[
                    { key: 'path', title: t('systems.path'), dataIndex: 'path' },
                    { key: 'categories', title: t('activities.col.data'), render: (_, f) => f.dataCategories.map((c) => <Tag key={c.id} color={c.kind === 'SPECIAL_CARE' ? 'red' : undefined}>{pick(c.name)}</Tag>) },
                    { key: 'identity', title: t('systems.identityType'), render: (_, f) => (f.identityType ? t(`identityType.${f.identityType}`) : '') },
                    { key: 'description', title: t('activity.description'), dataIndex: 'description' },
                  ]}
                />
              </>
            ),
          },
          { key: 'history', label: t('activity.tab.history'), children: tab === 'history' ? <History entityType="Dataset" entityId={d.id} /> : null },
        ]}
      />
    </div>
  );
}
