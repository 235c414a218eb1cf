import { useMemo } from 'react';
import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { buildSchema } from 'graphql';
import { GraphiQL } from 'graphiql';
import type { Fetcher } from '@graphiql/toolkit';
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './api-explorer.css';
import schemaText from '../../../../schema/schema.graphql?raw';
import { useAuth } from '../auth/session';

/**
 * API: GraphiQL bundled with the UI (this page is its own chunk, loaded only here), sending the
 * signed-in token. The schema is the one the UI was built against, so the explorer works where
 * introspection is switched off; the editor's history lives in session storage, like the token.
 */
export default function ApiExplorer() {
  const { t } = useTranslation();
  const { session } = useAuth();
  const token = session?.token;
  const schema = useMemo(() => buildSchema(schemaText), []);
  const fetcher = useMemo<Fetcher>(
    () => async (params, opts) => {
      const res = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(opts?.headers ?? {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(params),
      });
      return res.json();
    },
    [token],
  );
  return (
    <div data-testid="page-api">
      <Typography.Title level={1} style={{ fontSize: 24 }}>{t('nav.api')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('api.note')}</Typography.Paragraph>
      <div style={{ height: 'calc(100vh - 220px)', minHeight: 480, border: '1px solid #d9d9d9' }} data-testid="graphiql">
        <GraphiQL fetcher={fetcher} schema={schema} storage={sessionStorage} defaultQuery={t('api.defaultQuery')} />
      </div>
    </div>
  );
}
