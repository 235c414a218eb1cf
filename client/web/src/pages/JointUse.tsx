import type { ReactNode } from 'react';
import { Alert, Card, Collapse, Descriptions, Flex, Pagination, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../gql';
import type { JointUsePageQuery } from '../gql/graphql';
import { QueryState } from '../lib/QueryState';
import { LocalizedText, useLocalized, type Localized } from '../lib/text';
import { useUrlState } from '../lib/url-state';
import { History } from '../lib/History';

const JointUseDoc = graphql(`
  query JointUsePage {
    jointUseArrangements {
      id code notifiedAt updatedAt memberListUrl
      name { ja en }
      itemsText { ja en }
      dataCategories { id code name { ja en } kind }
      scope { ja en }
      parties { name { ja en } address { ja en } country }
      purposes { id text { ja en } }
      responsibleManager { name { ja en } address { ja en } representative { ja en } }
      acquisitionMethods { ja en }
      activities { id code name { ja en } }
    }
  }
`);

type Arrangement = JointUsePageQuery['jointUseArrangements'][number];
const PAGE_SIZE = 10;
const present = (l: Localized | null | undefined) => !!(l && (l.ja || l.en));

/**
 * 共同利用: one card per arrangement, every item APPI Art. 27(5)(iii) requires as a definition
 * list in the law's order; an item not recorded says so instead of disappearing, since a missing
 * item is a gap in the notice.
 */
export default function JointUse() {
  const { t } = useTranslation();
  const pick = useLocalized();
  const [get, set] = useUrlState<'page'>();
  const [{ data, fetching, error }] = useQuery({ query: JointUseDoc });
  const all = data?.jointUseArrangements ?? [];
  const page = Math.max(1, Math.min(Number(get('page')) || 1, Math.ceil(all.length / PAGE_SIZE) || 1));
  const shown = all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);

  const missing = <Typography.Text type="secondary" data-missing="true">{t('jointUsePage.notRecorded')}</Typography.Text>;
  const text = (l: Localized | null | undefined) => (present(l) ? <LocalizedText value={l} /> : missing);
  const item = (key: string, label: string, children: ReactNode) => ({ key, label, children: <div data-testid={`ju-${key}`}>{children}</div> });

  const items = (a: Arrangement) => [
    item('items', t('jointUsePage.items'), (
      <>
        {text(a.itemsText)}
        {a.dataCategories.length > 0 && (
          <Flex wrap gap={4} style={{ marginTop: 6 }} aria-label={t('jointUsePage.categories')}>
            {a.dataCategories.map((c) => <Tag key={c.id} color={c.kind === 'SPECIAL_CARE' ? 'red' : c.kind === 'PERSONALLY_REFERABLE' ? 'purple' : undefined}>{pick(c.name) || c.code}</Tag>)}
          </Flex>
        )}
      </>
    )),
    item('scope', t('jointUsePage.scope'), (
      <>
        {text(a.scope)}
        {a.parties.length > 0 && (
          <ul style={{ margin: '6px 0 0', paddingInlineStart: 20 }} aria-label={t('jointUsePage.parties')}>
            {a.parties.map((p, i) => <li key={i}>{pick(p.name)}{present(p.address) && ` — ${pick(p.address)}`}{p.country && ` (${p.country})`}</li>)}
          </ul>
        )}
        {a.memberListUrl && <div style={{ marginTop: 6 }}>{t('jointUsePage.memberList')}: <a href={a.memberListUrl} rel="noreferrer" target="_blank">{a.memberListUrl}</a></div>}
      </>
    )),
    item('purposes', t('jointUsePage.purposes'), a.purposes.length ? <ul style={{ margin: 0, paddingInlineStart: 20 }}>{a.purposes.map((p) => <li key={p.id}><LocalizedText value={p.text} /></li>)}</ul> : missing),
    item('manager', t('jointUsePage.manager'), (
      <Descriptions size="small" column={1} items={[
        { key: 'name', label: t('jointUsePage.managerName'), children: <span data-testid="ju-manager-name">{text(a.responsibleManager.name)}</span> },
        { key: 'address', label: t('jointUsePage.managerAddress'), children: <span data-testid="ju-manager-address">{text(a.responsibleManager.address)}</span> },
        { key: 'representative', label: t('jointUsePage.representative'), children: <span data-testid="ju-manager-representative">{text(a.responsibleManager.representative)}</span> },
      ]} />
    )),
    item('acquisition', t('jointUsePage.acquisition'), a.acquisitionMethods.length ? <ul style={{ margin: 0, paddingInlineStart: 20 }}>{a.acquisitionMethods.map((m, i) => <li key={i}><LocalizedText value={m} /></li>)}</ul> : missing),
    item('notified', t('jointUsePage.notifiedAt'), a.notifiedAt ?? missing),
    item('updated', t('jointUsePage.updatedAt'), a.updatedAt.slice(0, 10)),
    item('activities', t('jointUsePage.activities'), a.activities.length ? <Flex wrap gap={8}>{a.activities.map((x) => <Link key={x.id} to={`/activities/${x.id}`}>{pick(x.name) || x.code}</Link>)}</Flex> : missing),
  ];

  return (
    <div data-testid="page-joint-use">
      <Typography.Title level={1} style={{ fontSize: 24 }}>{t('nav.jointUse')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('jointUsePage.intro')}</Typography.Paragraph>
      <QueryState fetching={fetching} error={error}>
        {data && all.length === 0 && <Alert type="info" title={t('jointUsePage.empty')} />}
        <Flex vertical gap={16}>
          {shown.map((a) => (
            <Card key={a.id} title={<Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}><LocalizedText value={a.name} /></Typography.Title>} extra={<Typography.Text code>{a.code}</Typography.Text>} data-testid="joint-use-card" data-id={a.id}>
              <Descriptions bordered size="small" column={1} items={items(a)} styles={{ label: { width: 280 } }} />
              <Collapse
                ghost destroyOnHidden style={{ marginTop: 8 }}
                items={[{ key: 'history', label: t('jointUsePage.showHistory'), children: <History entityType="JointUseArrangement" entityId={a.id} /> }]}
              />
            </Card>
          ))}
        </Flex>
        {all.length > PAGE_SIZE && (
          <Pagination style={{ marginTop: 16 }} current={page} pageSize={PAGE_SIZE} total={all.length} showSizeChanger={false} onChange={(p) => set({ page: p === 1 ? null : String(p) })} data-testid="joint-use-pages" />
        )}
      </QueryState>
    </div>
  );
}
