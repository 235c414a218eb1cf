import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Select, Table, Typography } from 'antd';
import { Link } from 'react-router';
import { useClient } from 'urql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../gql';
import type { IdentityType, SubjectLookupQuery } from '../gql/graphql';

const LookupDoc = graphql(`
  query SubjectLookup($identityType: IdentityType!, $value: String!) {
    subjectLookup(identityType: $identityType, value: $value) { id key name system { id name } }
  }
`);

const TYPES: IdentityType[] = ['EMAIL', 'PHONE', 'CUSTOMER_ID', 'EMPLOYEE_ID', 'NAME', 'POSTAL_ADDRESS', 'COOKIE_ID', 'AD_ID', 'DEVICE_ID', 'IP_ADDRESS', 'OTHER'];

/**
 * Which datasets hold an identifier. The value lives in this component only: never in the URL,
 * the history or storage; it travels in a POST body and the server audits the lookup by its HMAC.
 */
export default function Lookup() {
  const { t } = useTranslation();
  const client = useClient();
  const [result, setResult] = useState<SubjectLookupQuery['subjectLookup'] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ identityType: IdentityType; value: string }>();
  const run = async ({ identityType, value }: { identityType: IdentityType; value: string }) => {
    setBusy(true);
    setError(null);
    const res = await client.query(LookupDoc, { identityType, value }, { requestPolicy: 'network-only' }).toPromise();
    setBusy(false);
    if (res.error) {
      setResult(null);
      setError(res.error.graphQLErrors.map((g) => g.message).join('; ') || res.error.message);
    } else setResult(res.data?.subjectLookup ?? []);
    form.setFieldValue('value', '');
  };
  return (
    <div data-testid="page-lookup">
      <Typography.Title level={1} style={{ fontSize: 24 }}>{t('nav.lookup')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('lookup.note')}</Typography.Paragraph>
      <Card style={{ maxWidth: 640, marginBottom: 16 }}>
        <Form form={form} layout="vertical" initialValues={{ identityType: 'EMAIL' }} onFinish={(v) => void run(v)} autoComplete="off">
          <Form.Item name="identityType" label={t('systems.identityType')}>
            <Select options={TYPES.map((v) => ({ value: v, label: t(`identityType.${v}`) }))} data-testid="lookup-type" />
          </Form.Item>
          <Form.Item name="value" label={t('lookup.value')} rules={[{ required: true, message: t('lookup.valueRequired') }]}>
            <Input autoComplete="off" data-testid="lookup-value" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="lookup-submit">{t('lookup.submit')}</Button>
        </Form>
      </Card>
      {error && <Alert type="error" title={error} data-testid="lookup-error" />}
      {result && (
        <Table
          data-testid="lookup-result"
          size="small" rowKey="id" pagination={false}
          dataSource={result}
          locale={{ emptyText: t('lookup.none') }}
          columns={[
            { key: 'name', title: t('systems.dataset'), render: (_, d) => <Link to={`/datasets/${d.id}`}>{d.name}</Link> },
            { key: 'key', title: t('systems.key'), dataIndex: 'key' },
            { key: 'system', title: t('systems.system'), render: (_, d) => d.system.name },
          ]}
        />
      )}
    </div>
  );
}
