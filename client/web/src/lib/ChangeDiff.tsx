import { Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

function show(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : JSON.stringify(v, null, 1);
}

/**
 * Before and after of an audit event side by side, one row per changed field (all fields of a
 * creation or deletion). Used by the History tabs and the audit trail.
 */
export function ChangeDiff({ before, after }: { before: unknown; after: unknown }) {
  const { t } = useTranslation();
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => k !== 'version' && show(b[k]) !== show(a[k]));
  return (
    <Table
      size="small"
      pagination={false}
      rowKey="field"
      data-testid="change-diff"
      dataSource={keys.map((field) => ({ field, before: show(b[field]), after: show(a[field]) }))}
      columns={[
        { key: 'field', title: t('history.field'), dataIndex: 'field', width: 160 },
        { key: 'before', title: t('history.before'), dataIndex: 'before', render: (v: string) => <Typography.Text delete={!!v} type="danger" style={{ whiteSpace: 'pre-wrap' }}>{v}</Typography.Text> },
        { key: 'after', title: t('history.after'), dataIndex: 'after', render: (v: string) => <Typography.Text type="success" style={{ whiteSpace: 'pre-wrap' }}>{v}</Typography.Text> },
      ]}
    />
  );
}
