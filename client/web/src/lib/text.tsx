import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

export interface Localized {
  ja?: string | null;
  en?: string | null;
}

/** The text in the UI's language, falling back to the other one. */
export function useLocalized(): (t: Localized | null | undefined) => string {
  const { i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'ja';
  return (t) => (t ? (lang === 'en' ? t.en || t.ja : t.ja || t.en) ?? '' : '');
}

/** A `{ja, en}` text of the inventory, with a badge where one side is missing. */
export function LocalizedText({ value }: { value: Localized | null | undefined }) {
  const { t } = useTranslation();
  const pick = useLocalized();
  if (!value || (!value.ja && !value.en)) return null;
  const missing = !value.ja || !value.en;
  return (
    <span>
      {pick(value)}
      {missing && (
        <Tag color="magenta" style={{ marginInlineStart: 6 }} data-testid="missing-translation">
          {t('common.missingTranslation')}
        </Tag>
      )}
    </span>
  );
}
