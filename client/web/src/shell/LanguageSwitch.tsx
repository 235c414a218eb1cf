import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { setLanguage, type Language } from '../i18n';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <Segmented<Language>
      size="small"
      aria-label={t('shell.language')}
      data-testid="language-switch"
      value={i18n.language === 'en' ? 'en' : 'ja'}
      options={[
        { value: 'ja', label: t('shell.japanese') },
        { value: 'en', label: t('shell.english') },
      ]}
      onChange={(v) => setLanguage(v)}
    />
  );
}
