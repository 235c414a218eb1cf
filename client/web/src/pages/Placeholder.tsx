import { Result } from 'antd';
import { useTranslation } from 'react-i18next';

/** A route of the page map whose page is not built yet: reachable, and says so. */
export function Placeholder({ navKey: label }: { navKey: string }) {
  const { t } = useTranslation();
  return (
    <Result
      status="info"
      data-testid="page-placeholder"
      title={label === 'notFound' ? t('common.notFound') : t(`nav.${label}`)}
      subTitle={label === 'notFound' ? undefined : t('common.notYetAvailable')}
    />
  );
}
