import { Input, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { graphql } from '../gql';
import { QueryState } from '../lib/QueryState';
import { useUrlState } from '../lib/url-state';

const SystemsDoc = graphql(`
  query Systems($search: String) {
    systems(first: 200, filter: { search: $search }) {
      totalCount
      edges {
        node {
          id key name owner description
          datasets { id key name status registeredBy lastRegisteredAt storageLocation { id country } }
        }
      }
    }
  }
`);

export default function Systems() {
  const { t } = useTranslation();
  const [get, set] = useUrlState<'q'>();
  const [{ data, fetching, error }] = useQuery({ query: SystemsDoc, variables: { search: get('q') || null } });
  const systems = data?.systems.edges.map((e) => e.node) ?? [];
  return (
    <div data-testid="page-systems">
      <Typography.Title level={1} style={{ fontSize: 24 }}>{t('nav.systems')}</Typography.Title>
      <Input.Search aria-label={t('systems.search')} placeholder={t('systems.search')} defaultValue={get('q')} allowClear onSearch={(v) => set({ q: v })} style={{ width: 260, marginBottom: 12 }} />
      <QueryState fetching={fetching} error={error}>
        <Table
          data-testid="systems-table"
          size="small"
          rowKey="id"
          loading={fetching}
          dataSource={systems}
          pagination={false}
          expandable={{
            expandedRowRender: (s) => (
              <Table
                size="small" rowKey="id" pagination={false}
                dataSource={s.datasets}
                columns={[
                  { key: 'name', title: t('systems.dataset'), render: (_, d) => <Link to={`/datasets/${d.id}`} data-testid="dataset-link">{d.name}</Link> },
                  { key: 'key', title: t('systems.key'), dataIndex: 'key' },
                  { key: 'country', title: t('activities.col.countries'), render: (_, d) => d.storageLocation?.country },
                  { key: 'registeredBy', title: t('systems.registeredBy'), dataIndex: 'registeredBy' },
                  { key: 'last', title: t('systems.lastRegistered'), render: (_, d) => (d.lastRegisteredAt ? dayjs(d.lastRegisteredAt).format('YYYY-MM-DD HH:mm') : '') },
                  { key: 'status', title: t('activities.col.status'), render: (_, d) => <Tag>{t(`status.${d.status}`)}</Tag> },
                ]}
              />
            ),
            rowExpandable: (s) => s.datasets.length > 0,
          }}
          columns={[
            { key: 'name', title: t('systems.system'), dataIndex: 'name' },
            { key: 'key', title: t('systems.key'), dataIndex: 'key' },
            { key: 'owner', title: t('activity.owner'), dataIndex: 'owner' },
            { key: 'datasets', title: t('systems.datasets'), render: (_, s) => s.datasets.length },
          ]}
        />
      </QueryState>
    </div>
  );
}
