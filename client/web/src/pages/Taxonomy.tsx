import { Table, Tabs, Tag, Tree, Typography } from 'antd';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../gql';
import type { TaxonomyQuery } from '../gql/graphql';
import { QueryState } from '../lib/QueryState';
import { LocalizedText, useLocalized } from '../lib/text';
import { useUrlState } from '../lib/url-state';

const TaxonomyDoc = graphql(`
  query Taxonomy {
    dataCategories { id code kind identityType name { ja en } parent { id } }
    purposes { id code kind position text { ja en } subjectCategory { id name { ja en } } }
    legalBases { id code framework article scope title { ja en } }
    subjectCategories { id code number role requestsAccepted name { ja en } entrustingController { ja en } }
    securityMeasures { id code number category title { ja en } description { ja en } }
  }
`);

type Category = TaxonomyQuery['dataCategories'][number];
interface Node { key: string; title: React.ReactNode; children: Node[] }

export default function Taxonomy() {
  const { t } = useTranslation();
  const pick = useLocalized();
  const [get, set] = useUrlState<'tab'>();
  const [{ data, fetching, error }] = useQuery({ query: TaxonomyDoc });

  const tree = (cats: Category[]): Node[] => {
    const nodes = new Map<string, Node>(cats.map((c) => [c.id, {
      key: c.id,
      title: (
        <span>
          <LocalizedText value={c.name} /> <Typography.Text type="secondary">{c.code}</Typography.Text>
          {c.kind === 'SPECIAL_CARE' && <Tag color="red" style={{ marginInlineStart: 6 }}>{t('kind.SPECIAL_CARE')}</Tag>}
          {c.kind === 'PERSONALLY_REFERABLE' && <Tag color="purple" style={{ marginInlineStart: 6 }}>{t('kind.PERSONALLY_REFERABLE')}</Tag>}
        </span>
      ),
      children: [],
    }]));
    const roots: Node[] = [];
    for (const c of cats) (c.parent && nodes.get(c.parent.id) ? nodes.get(c.parent.id)!.children : roots).push(nodes.get(c.id)!);
    return roots;
  };

  const tabs = data
    ? [
        { key: 'categories', label: t('taxonomy.dataCategories'), children: <Tree treeData={tree(data.dataCategories)} defaultExpandAll selectable={false} data-testid="category-tree" /> },
        {
          key: 'purposes', label: t('taxonomy.purposes'),
          children: <Table size="small" rowKey="id" pagination={false} dataSource={[...data.purposes].sort((a, b) => a.position - b.position)} columns={[
            { key: 'text', title: t('taxonomy.purpose'), render: (_, p) => <LocalizedText value={p.text} /> },
            { key: 'subject', title: t('activities.col.subjects'), render: (_, p) => pick(p.subjectCategory?.name) },
            { key: 'code', title: t('activities.col.code'), dataIndex: 'code', width: 200 },
          ]} />,
        },
        {
          key: 'bases', label: t('taxonomy.legalBases'),
          children: <Table size="small" rowKey="id" pagination={false} dataSource={data.legalBases} columns={[
            { key: 'framework', title: t('taxonomy.framework'), dataIndex: 'framework', width: 100 },
            { key: 'article', title: t('taxonomy.article'), dataIndex: 'article', width: 160 },
            { key: 'title', title: t('taxonomy.title'), render: (_, b) => <LocalizedText value={b.title} /> },
          ]} />,
        },
        {
          key: 'subjects', label: t('taxonomy.subjectCategories'),
          children: <Table size="small" rowKey="id" pagination={false} dataSource={data.subjectCategories} columns={[
            { key: 'number', title: '#', dataIndex: 'number', width: 60 },
            { key: 'name', title: t('activities.col.name'), render: (_, s) => <LocalizedText value={s.name} /> },
            { key: 'role', title: t('activities.role'), render: (_, s) => t(`subjectRole.${s.role}`) },
            { key: 'controller', title: t('taxonomy.entrustingController'), render: (_, s) => pick(s.entrustingController) },
          ]} />,
        },
        {
          key: 'measures', label: t('taxonomy.securityMeasures'),
          children: <Table size="small" rowKey="id" pagination={false} dataSource={data.securityMeasures} columns={[
            { key: 'category', title: t('taxonomy.category'), render: (_, m) => (m.category ? t(`measureCategory.${m.category}`, { defaultValue: m.category }) : '') , width: 160 },
            { key: 'title', title: t('taxonomy.title'), render: (_, m) => <LocalizedText value={m.title} /> },
            { key: 'description', title: t('activity.description'), render: (_, m) => <LocalizedText value={m.description} /> },
          ]} />,
        },
      ]
    : [];
  const tab = tabs.some((x) => x.key === get('tab')) ? get('tab') : 'categories';
  return (
    <div data-testid="page-taxonomy">
      <Typography.Title level={1} style={{ fontSize: 24 }}>{t('nav.taxonomy')}</Typography.Title>
      <QueryState fetching={fetching} error={error}>
        {data && <Tabs activeKey={tab} onChange={(k) => set({ tab: k === 'categories' ? null : k })} items={tabs} />}
      </QueryState>
    </div>
  );
}
