import type { ReactNode } from 'react';
import { Alert, Spin } from 'antd';
import type { CombinedError } from 'urql';
import { useTranslation } from 'react-i18next';

/** The loading and error states every page shows the same way. */
export function QueryState({ fetching, error, children }: { fetching: boolean; error?: CombinedError; children: ReactNode }) {
  const { t } = useTranslation();
  if (error && !children) return <Alert type="error" title={t('common.error')} description={error.message} data-testid="query-error" />;
  if (fetching && !children) return <Spin aria-label={t('common.loading')} />;
  return (
    <>
      {error && <Alert type="warning" title={t('common.error')} description={error.message} style={{ marginBottom: 12 }} data-testid="query-error" />}
      {children}
    </>
  );
}
