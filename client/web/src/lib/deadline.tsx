import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';

/** Tag colours dark enough for white text (WCAG AA, axe): antd's light green, orange and blue presets are not. */
export const TAG = { ok: '#237804', warn: '#874d00', info: '#1e5aa8' };

export const CLOSED_STATUSES = ['COMPLETED', 'REFUSED', 'WITHDRAWN'];

/** Days from today (the browser's date) to a due date; negative once past. */
export function daysLeft(dueAt: string): number {
  return dayjs(dueAt).startOf('day').diff(dayjs().startOf('day'), 'day');
}

/**
 * Days left as a tag: red once overdue or when under a quarter of the request's time frame remains
 * (as Fides does), orange within three days, green otherwise; a closed request shows no countdown.
 */
export function DaysLeftTag({ dueAt, receivedAt, status }: { dueAt: string; receivedAt: string; status: string }) {
  const { t } = useTranslation();
  if (CLOSED_STATUSES.includes(status)) return <Tag data-testid="days-left">{t('requests.closed')}</Tag>;
  const left = daysLeft(dueAt);
  const frame = Math.max(1, dayjs(dueAt).startOf('day').diff(dayjs(receivedAt).startOf('day'), 'day'));
  const color = left < 0 || left < frame / 4 ? 'red' : left <= 3 ? TAG.warn : TAG.ok;
  return (
    <Tag color={color} data-testid="days-left">
      {left < 0 ? t('requests.overdueBy', { count: -left }) : t('requests.daysLeft', { count: left })}
    </Tag>
  );
}
