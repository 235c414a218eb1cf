import { useMemo } from 'react';
import { Button, Checkbox, Flex, Input, Popover, Select, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../gql';
import type { ActivitiesQuery } from '../gql/graphql';
import { QueryState } from '../lib/QueryState';
import { useLocalized } from '../lib/text';
import { useUrlState } from '../lib/url-state';
import { download, toCsv } from '../lib/csv';
import { AsOfBanner, AsOfPicker, useActivitiesAsOf, useAsOf } from '../lib/as-of';
import { CompletenessDot, useCompletenessScores } from '../components/Completeness';

const ActivitiesDoc = graphql(`
  query Activities($filter: ProcessingActivityFilter, $first: Int!, $subjects: Boolean!, $data: Boolean!, $purposes: Boolean!, $bases: Boolean!, $processors: Boolean!, $jointUse: Boolean!, $countries: Boolean!, $retention: Boolean!) {
    processingActivities(first: $first, filter: $filter) {
      totalCount
      edges {
        node {
          id code status role updatedAt
          name { ja en }
          retention @include(if: $retention) { ja en }
          subjectCategories @include(if: $subjects) { id name { ja en } }
          dataCategories @include(if: $data) { id kind name { ja en } }
          purposes @include(if: $purposes) { id text { ja en } }
          legalBases @include(if: $bases) { id title { ja en } }
          processors @include(if: $processors) { id name { ja en } country }
          jointUses @include(if: $jointUse) { id }
          foreignTransfers @include(if: $countries) { id country }
          storageLocations @include(if: $countries) { id country }
          countryProcessors: processors @include(if: $countries) { id country }
        }
      }
    }
  }
`);

type Row = ActivitiesQuery['processingActivities']['edges'][number]['node'];
type Key = 'q' | 'status' | 'role' | 'country' | 'sort' | 'dir' | 'page' | 'cols' | 'dc' | 'basis' | 'processor' | 'recipient';

// The list loads the register in one page and pages on the client (sorting and the CSV of the
// visible columns need all rows); the server caps it at its maximum page size.
const PAGE = 500;
const ALL_COLUMNS = ['code', 'name', 'subjects', 'data', 'purposes', 'bases', 'processors', 'jointUse', 'countries', 'retention', 'status', 'completeness'] as const;
type Column = (typeof ALL_COLUMNS)[number];
const DEFAULT_COLUMNS: Column[] = ['code', 'name', 'subjects', 'data', 'purposes', 'processors', 'countries', 'status', 'completeness'];
const PAGE_SIZE = 100;

function countries(a: Row): string[] {
  return [...new Set([...(a.storageLocations ?? []).map((l) => l.country), ...(a.foreignTransfers ?? []).map((f) => f.country), ...(a.countryProcessors ?? []).map((p) => p.country ?? '')].filter(Boolean))].sort();
}

export default function Activities() {
  const { t } = useTranslation();
  const pick = useLocalized();
  const [get, set] = useUrlState<Key>();
  const search = get('q');
  const filter = useMemo(
    () => ({
      ...(search ? { search } : {}),
      ...(get('status') ? { status: get('status') as 'ACTIVE' } : {}),
      ...(get('role') ? { role: get('role') as 'CONTROLLER' } : {}),
      ...(get('country') ? { countries: [get('country')] } : {}),
      // Set by a link from the data map's Sankey (one band: its data category, basis, processor or recipient).
      ...(get('dc') ? { dataCategoryIds: [get('dc')] } : {}),
      ...(get('basis') ? { legalBasisIds: [get('basis')] } : {}),
      ...(get('processor') ? { processorIds: [get('processor')] } : {}),
      ...(get('recipient') ? { recipientIds: [get('recipient')] } : {}),
    }),
    [get, search],
  );
  const shown = (get('cols') ? get('cols').split(',') : DEFAULT_COLUMNS).filter((c): c is Column => (ALL_COLUMNS as readonly string[]).includes(c));
  // Only the relations of the visible columns are fetched: the list is the inventory's busiest read.
  const has = (c: Column) => shown.includes(c);
  const { at } = useAsOf();
  const [{ data: current, fetching: fetchingNow, error: errorNow }] = useQuery({
    query: ActivitiesDoc,
    variables: { filter, first: PAGE, subjects: has('subjects'), data: has('data'), purposes: has('purposes'), bases: has('bases'), processors: has('processors'), jointUse: has('jointUse'), countries: has('countries'), retention: has('retention') },
    pause: !!at,
  });
  // As of a date the rows come from the audit trail's reconstruction, in the same shape.
  const past = useActivitiesAsOf(at, { search, status: get('status'), role: get('role'), country: get('country') });
  const data = at ? (past.loaded ? { processingActivities: { totalCount: past.rows.length, edges: past.rows.map((node) => ({ node: node as unknown as Row })) } } : undefined) : current;
  const fetching = at ? past.fetching : fetchingNow;
  const error = at ? past.error : errorNow;

  /** One definition per column: the cell, and the text the CSV gets for it. */
  const defs: Record<Column, { title: string; text: (a: Row) => string; render?: (a: Row) => React.ReactNode; sort?: boolean }> = {
    code: { title: t('activities.col.code'), text: (a) => a.code, sort: true },
    name: { title: t('activities.col.name'), text: (a) => pick(a.name), render: (a) => (at ? <span data-testid="activity-name">{pick(a.name)}</span> : <Link to={`/activities/${a.id}`} data-testid="activity-link">{pick(a.name)}</Link>), sort: true },
    subjects: { title: t('activities.col.subjects'), text: (a) => (a.subjectCategories ?? []).map((s) => pick(s.name)).join('; ') },
    data: {
      title: t('activities.col.data'),
      text: (a) => (a.dataCategories ?? []).map((d) => pick(d.name)).join('; '),
      render: (a) => (
        <>
          {(a.dataCategories ?? []).slice(0, 4).map((d) => (
            <Tag key={d.id} color={d.kind === 'SPECIAL_CARE' ? 'red' : d.kind === 'PERSONALLY_REFERABLE' ? 'purple' : undefined}>{pick(d.name)}</Tag>
          ))}
          {(a.dataCategories?.length ?? 0) > 4 && <Tag>+{(a.dataCategories?.length ?? 0) - 4}</Tag>}
        </>
      ),
    },
    purposes: { title: t('activities.col.purposes'), text: (a) => (a.purposes ?? []).map((p) => pick(p.text)).join('; '), render: (a) => <Typography.Text ellipsis style={{ maxWidth: 260 }}>{(a.purposes ?? []).map((p) => pick(p.text)).join(' / ')}</Typography.Text> },
    bases: { title: t('activities.col.bases'), text: (a) => (a.legalBases ?? []).map((b) => pick(b.title)).join('; ') },
    processors: { title: t('activities.col.processors'), text: (a) => (a.processors ?? []).map((p) => pick(p.name)).join('; ') },
    jointUse: { title: t('activities.col.jointUse'), text: (a) => (a.jointUses?.length ? t('common.yes') : t('common.no')) },
    countries: { title: t('activities.col.countries'), text: (a) => countries(a).join(' ') },
    retention: { title: t('activities.col.retention'), text: (a) => pick(a.retention) },
    status: { title: t('activities.col.status'), text: (a) => t(`status.${a.status}`), render: (a) => <Tag>{t(`status.${a.status}`)}</Tag>, sort: true },
    completeness: {
      title: t('completeness.column'),
      text: (a) => (scores.has(a.id) ? String(scores.get(a.id)) : ''),
      render: (a) => (scores.has(a.id) ? <CompletenessDot score={scores.get(a.id)!} /> : null),
    },
  };

  const rows = data?.processingActivities.edges.map((e) => e.node) ?? [];
  const sortKey = (ALL_COLUMNS as readonly string[]).includes(get('sort')) && defs[get('sort') as Column].sort ? (get('sort') as Column) : null;
  const dir = get('dir') === 'desc' ? 'descend' : 'ascend';
  // The rows of the current page, in the table's order: only they ask for their completeness.
  const sortedRows = sortKey ? [...rows].sort((x, y) => defs[sortKey].text(x).localeCompare(defs[sortKey].text(y), 'ja') * (dir === 'descend' ? -1 : 1)) : rows;
  const pageNo = Number(get('page')) || 1;
  const visibleIds = has('completeness') ? sortedRows.slice((pageNo - 1) * PAGE_SIZE, pageNo * PAGE_SIZE).map((a) => a.id) : [];
  const scores = useCompletenessScores(visibleIds);
  const columns: ColumnsType<Row> = shown.map((c) => ({
    key: c,
    title: defs[c].title,
    render: (_: unknown, a: Row) => defs[c].render?.(a) ?? defs[c].text(a),
    sorter: defs[c].sort ? (x: Row, y: Row) => defs[c].text(x).localeCompare(defs[c].text(y), 'ja') : undefined,
    sortOrder: sortKey === c ? dir : null,
    width: c === 'name' ? 260 : c === 'code' ? 140 : undefined,
  }));

  const exportCsv = () => {
    download('processing-activities.csv', toCsv(shown.map((c) => defs[c].title), sortedRows.map((a) => shown.map((c) => defs[c].text(a)))));
  };

  return (
    <div data-testid="page-activities">
      <Typography.Title level={1} style={{ fontSize: 24 }}>{t('nav.activities')}</Typography.Title>
      <AsOfBanner />
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        <AsOfPicker />
        <Input.Search
          aria-label={t('activities.search')}
          placeholder={t('activities.search')}
          defaultValue={search}
          allowClear
          onSearch={(v) => set({ q: v, page: null })}
          style={{ width: 260 }}
          data-testid="activities-search"
        />
        <Select
          aria-label={t('activities.col.status')}
          placeholder={t('activities.col.status')}
          allowClear
          value={get('status') || undefined}
          onChange={(v?: string) => set({ status: v ?? null, page: null })}
          options={['ACTIVE', 'DRAFT', 'RETIRED'].map((s) => ({ value: s, label: t(`status.${s}`) }))}
          style={{ width: 140 }}
          data-testid="filter-status"
        />
        <Select
          aria-label={t('activities.role')}
          placeholder={t('activities.role')}
          allowClear
          value={get('role') || undefined}
          onChange={(v?: string) => set({ role: v ?? null, page: null })}
          options={['CONTROLLER', 'PROCESSOR'].map((s) => ({ value: s, label: t(`subjectRole.${s}`) }))}
          style={{ width: 160 }}
        />
        <Input
          aria-label={t('activities.country')}
          placeholder={t('activities.country')}
          defaultValue={get('country')}
          maxLength={2}
          onPressEnter={(e) => set({ country: e.currentTarget.value.toUpperCase(), page: null })}
          style={{ width: 120 }}
        />
        <Popover
          trigger="click"
          content={
            <Checkbox.Group
              value={shown}
              onChange={(v) => set({ cols: (v as string[]).length ? ALL_COLUMNS.filter((c) => v.includes(c)).join(',') : null })}
              data-testid="column-picker"
            >
              <Flex vertical>
                {ALL_COLUMNS.map((c) => (
                  <Checkbox key={c} value={c}>{defs[c].title}</Checkbox>
                ))}
              </Flex>
            </Checkbox.Group>
          }
        >
          <Button data-testid="column-picker-button">{t('activities.columns')}</Button>
        </Popover>
        <Button onClick={exportCsv} disabled={!rows.length} data-testid="export-csv">{t('activities.exportCsv')}</Button>
      </Flex>
      <QueryState fetching={fetching} error={error}>
        <Table<Row>
          data-testid="activities-table"
          rowKey="id"
          size="small"
          virtual
          scroll={{ x: 1200, y: 600 }}
          loading={fetching}
          columns={columns}
          dataSource={rows}
          onChange={(pagination, _filters, sorter) => {
            const s = Array.isArray(sorter) ? sorter[0] : sorter;
            set({ page: pagination.current && pagination.current > 1 ? String(pagination.current) : null, sort: s?.order ? String(s.columnKey) : null, dir: s?.order === 'descend' ? 'desc' : null });
          }}
          pagination={{ current: pageNo, pageSize: PAGE_SIZE, showTotal: (n) => t('activities.total', { count: n, total: data?.processingActivities.totalCount ?? n }), showSizeChanger: false }}
        />
      </QueryState>
    </div>
  );
}
