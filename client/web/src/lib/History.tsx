import { Card, Empty, Flex, Tag, Typography } from 'antd';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { graphql } from '../gql';
import { ChangeDiff } from './ChangeDiff';
import { QueryState } from './QueryState';

const HistoryDoc = graphql(`
  query EntityHistory($entityType: String!, $entityId: String!) {
    auditEvents(first: 50, filter: { entityType: $entityType, entityId: $entityId, outcome: SUCCESS }) {
      edges { node { id at actorSub actorRoles operation before after } }
    }
  }
`);

/** The History tab of any record: its audit events, newest first, each as a before/after diff. */
export function History({ entityType, entityId }: { entityType: string; entityId: string }) {
  const { t } = useTranslation();
  const [{ data, fetching, error }] = useQuery({ query: HistoryDoc, variables: { entityType, entityId }, requestPolicy: 'network-only' });
  const events = data?.auditEvents.edges.map((e) => e.node) ?? [];
  return (
    <QueryState fetching={fetching} error={error}>
      <div data-testid="history">
      {data && !events.length && <Empty description={t('history.none')} />}
      <Flex vertical gap={12}>
        {events.map((e) => (
          <Card
            key={e.id}
            size="small"
            title={
              <Flex gap={8} align="center">
                <span>{dayjs(e.at).format('YYYY-MM-DD HH:mm:ss')}</span>
                <Tag>{e.operation}</Tag>
                <Typography.Text type="secondary">{e.actorSub}</Typography.Text>
              </Flex>
            }
          >
            <ChangeDiff before={e.before} after={e.after} />
          </Card>
        ))}
      </Flex>
      </div>
    </QueryState>
  );
}
