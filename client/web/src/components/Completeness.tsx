import { Alert, Card, List, Tag, Typography } from 'antd';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../gql';
import { QueryState } from '../lib/QueryState';

const ScoresDoc = graphql(`
  query CompletenessScores($ids: [ID!]!, $first: Int!) {
    processingActivities(first: $first, filter: { ids: $ids }) { edges { node { id completeness { score } } } }
  }
`);

const MissingDoc = graphql(`
  query CompletenessMissing($id: ID!, $language: ReportLanguage!) {
    processingActivity(id: $id) { id completeness { score missing { code framework law label(language: $language) } } }
  }
`);

/** Green from 90, amber from 60, red below: the thresholds of a register that is nearly, partly or barely filled in. */
function colour(score: number): string {
  return score >= 90 ? '#389e0d' : score >= 60 ? '#d48806' : '#cf1322';
}

export function CompletenessDot({ score }: { score: number }) {
  const { t } = useTranslation();
  return (
    <span data-testid="completeness-dot" data-score={score} title={t('completeness.title')} style={{ whiteSpace: 'nowrap' }}>
      <span aria-hidden style={{ display: 'inline-block', width: 10, height: 10, borderRadius: 5, background: colour(score), marginRight: 6 }} />
      {t('completeness.percent', { score })}
    </span>
  );
}

/**
 * Scores of the rows on screen only: the list itself stays light, and a page of rows costs one
 * batched computation on the server.
 */
export function useCompletenessScores(ids: string[]): Map<string, number> {
  const [{ data }] = useQuery({ query: ScoresDoc, variables: { ids, first: Math.max(ids.length, 1) }, pause: ids.length === 0 });
  return new Map((data?.processingActivities.edges ?? []).map((e) => [e.node.id, e.node.completeness.score]));
}

/** What the record lacks, each with the framework whose record asks for it. */
export function MissingItems({ activityId }: { activityId: string }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language.startsWith('en') ? 'EN' : 'JA';
  const [{ data, fetching, error }] = useQuery({ query: MissingDoc, variables: { id: activityId, language } });
  const c = data?.processingActivity?.completeness;
  return (
    <Card size="small" title={<>{t('completeness.missingTitle')} {c && <CompletenessDot score={c.score} />}</>} style={{ marginBottom: 12 }} data-testid="missing-panel">
      <QueryState fetching={fetching} error={error}>
        {c && c.missing.length === 0 && <Alert type="success" title={t('completeness.none')} />}
        {c && c.missing.length > 0 && (
          <List
            size="small"
            dataSource={c.missing}
            renderItem={(m) => (
              <List.Item data-testid="missing-item" data-code={m.code} data-framework={m.framework}>
                <span>
                  <Tag color={m.framework === 'GDPR' ? 'blue' : 'geekblue'}>{t(`framework.${m.framework}`)}</Tag>
                  {!m.law && <Tag>{t('completeness.toolkit')}</Tag>}
                  <Typography.Text>{m.label}</Typography.Text>
                </span>
              </List.Item>
            )}
          />
        )}
      </QueryState>
    </Card>
  );
}
