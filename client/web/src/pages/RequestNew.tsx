import { useState } from 'react';
import { Alert, Button, Descriptions, Flex, Form, Input, Radio, Select, Space, Steps, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../gql';
import type { CreateDataSubjectRequestInput, IdentityType } from '../gql/graphql';
import { useLocalized } from '../lib/text';

const CategoriesDoc = graphql(`
  query IntakeCategories { subjectCategories { id code role name { ja en } } }
`);
const CreateDoc = graphql(`
  mutation CreateRequest($input: CreateDataSubjectRequestInput!) {
    createDataSubjectRequest(input: $input) { request { id reference } }
  }
`);

const APPI = ['NOTIFY_PURPOSE', 'DISCLOSE', 'DISCLOSE_PROVISION_RECORDS', 'CORRECT', 'ADD', 'DELETE', 'STOP_USE', 'ERASE', 'STOP_THIRD_PARTY_PROVISION'];
const GDPR = ['ACCESS', 'RECTIFY', 'ERASE', 'RESTRICT', 'PORT', 'OBJECT'];
const IDENTITY_TYPES: IdentityType[] = ['EMAIL', 'PHONE', 'NAME', 'POSTAL_ADDRESS', 'CUSTOMER_ID', 'EMPLOYEE_ID', 'COOKIE_ID', 'AD_ID', 'DEVICE_ID', 'IP_ADDRESS', 'OTHER'];

interface Values {
  framework: 'APPI' | 'GDPR';
  type: string;
  identities: Array<{ type: IdentityType; value: string }>;
  subjectCategoryCodes: string[];
  channel: 'WEB' | 'MAIL' | 'PHONE';
  requesterKind: 'SELF' | 'AGENT';
  agentName?: string;
  responseMethod: 'ELECTRONIC' | 'WRITTEN' | 'ORAL' | 'OTHER';
  contact?: string;
}

/** Which fields each step owns: a step is validated before the next one opens. */
const STEP_FIELDS: Array<Array<string | Array<string | number>>> = [['framework', 'type'], ['identities', 'subjectCategoryCodes'], ['channel', 'requesterKind', 'agentName', 'responseMethod', 'contact'], []];

/**
 * Step-by-step intake. The identities typed here go to the server once, in the mutation, and are
 * kept there only as HMACs; they never enter the URL or the browser history.
 */
export default function RequestNew() {
  const { t } = useTranslation();
  const pick = useLocalized();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [step, setStep] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [{ data: cats }] = useQuery({ query: CategoriesDoc });
  const [{ fetching }, create] = useMutation(CreateDoc);
  const framework = Form.useWatch('framework', form) ?? 'APPI';
  const requesterKind = Form.useWatch('requesterKind', form);

  const next = async () => {
    try {
      await form.validateFields(STEP_FIELDS[step] as never, { recursive: true } as never);
      setStep(step + 1);
    } catch { /* the form shows what is missing */ }
  };

  const submit = async () => {
    const v = form.getFieldsValue(true) as Values;
    const input: CreateDataSubjectRequestInput = {
      framework: v.framework,
      type: v.type as CreateDataSubjectRequestInput['type'],
      identities: v.identities.filter((i) => i.value?.trim()).map((i) => ({ type: i.type, value: i.value.trim() })),
      subjectCategoryCodes: v.subjectCategoryCodes?.length ? v.subjectCategoryCodes : null,
      channel: v.channel,
      requester: { kind: v.requesterKind, agentName: v.requesterKind === 'AGENT' ? v.agentName || null : null },
      responseMethod: v.responseMethod,
      contact: v.contact?.trim() || null,
    };
    setError(null);
    const res = await create({ input });
    if (res.error) {
      setError(res.error.graphQLErrors.map((g) => `${g.message}${g.extensions?.field ? ` (${String(g.extensions.field)})` : ''}`).join('; ') || res.error.message);
      return;
    }
    const made = res.data?.createDataSubjectRequest.request;
    // Replace: going back must not reopen a filled-in intake form.
    if (made) navigate(`/requests/${made.id}`, { replace: true });
  };

  const v = form.getFieldsValue(true) as Partial<Values>;
  const stepItems = ['stepRequest', 'stepPerson', 'stepContact', 'stepConfirm'].map((k) => ({ title: t(`intake.${k}`) }));

  return (
    <div data-testid="page-request-new">
      <Typography.Title level={1} style={{ fontSize: 24 }}>{t('nav.requestNew')}</Typography.Title>
      <Steps current={step} items={stepItems} style={{ marginBottom: 24 }} />
      {error && <Alert type="error" title={error} style={{ marginBottom: 12 }} data-testid="intake-error" />}
      <Form<Values>
        form={form} layout="vertical" style={{ maxWidth: 640 }} autoComplete="off"
        initialValues={{ framework: 'APPI', type: 'DISCLOSE', identities: [{ type: 'EMAIL', value: '' }], subjectCategoryCodes: [], channel: 'WEB', requesterKind: 'SELF', responseMethod: 'ELECTRONIC' }}
      >
        <div hidden={step !== 0}>
          <Form.Item name="framework" label={t('requests.framework')}>
            <Radio.Group onChange={(e) => form.setFieldValue('type', e.target.value === 'GDPR' ? 'ACCESS' : 'DISCLOSE')} options={[{ value: 'APPI', label: t('framework.APPI') }, { value: 'GDPR', label: t('framework.GDPR') }]} />
          </Form.Item>
          <Form.Item name="type" label={t('requests.type')} rules={[{ required: true, message: t('intake.required') }]}>
            <Select data-testid="intake-type" options={(framework === 'GDPR' ? GDPR : APPI).map((x) => ({ value: x, label: t(`requestType.${x}`) }))} />
          </Form.Item>
        </div>
        <div hidden={step !== 1}>
          <Typography.Paragraph type="secondary">{t('intake.identitiesNote')}</Typography.Paragraph>
          <Form.List name="identities" rules={[{ validator: async (_, list: Values['identities']) => { if (!list?.some((i) => i?.value?.trim())) throw new Error(t('intake.identityRequired')); } }]}>
            {(fields, { add, remove }, { errors }) => (
              <>
                {fields.map((f, i) => (
                  <Space key={f.key} align="baseline" wrap>
                    <Form.Item name={[f.name, 'type']} label={t('intake.identityType')}>
                      <Select style={{ width: 180 }} options={IDENTITY_TYPES.map((x) => ({ value: x, label: t(`identityType.${x}`) }))} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'value']} label={t('intake.identityValue')}>
                      <Input style={{ width: 280 }} data-testid={`intake-identity-${i}`} />
                    </Form.Item>
                    {fields.length > 1 && <Button onClick={() => remove(f.name)}>{t('common.remove')}</Button>}
                  </Space>
                ))}
                <Form.ErrorList errors={errors} />
                <Button onClick={() => add({ type: 'EMAIL', value: '' })} style={{ marginBottom: 16 }}>{t('intake.addIdentity')}</Button>
              </>
            )}
          </Form.List>
          <Form.Item name="subjectCategoryCodes" label={t('intake.claimedCategories')} extra={t('intake.claimedNote')}>
            <Select mode="multiple" allowClear options={(cats?.subjectCategories ?? []).map((c) => ({ value: c.code, label: `${pick(c.name)}${c.role === 'PROCESSOR' ? ` · ${t('subjectRole.PROCESSOR')}` : ''}` }))} />
          </Form.Item>
        </div>
        <div hidden={step !== 2}>
          <Form.Item name="channel" label={t('requests.channel')}>
            <Radio.Group options={['WEB', 'MAIL', 'PHONE'].map((x) => ({ value: x, label: t(`channel.${x}`) }))} />
          </Form.Item>
          <Form.Item name="requesterKind" label={t('requests.requester')}>
            <Radio.Group options={['SELF', 'AGENT'].map((x) => ({ value: x, label: t(`requesterKind.${x}`) }))} />
          </Form.Item>
          {requesterKind === 'AGENT' && (
            <Form.Item name="agentName" label={t('requests.agentName')} rules={[{ required: true, message: t('intake.required') }]}>
              <Input />
            </Form.Item>
          )}
          <Form.Item name="responseMethod" label={t('requests.responseMethod')}>
            <Radio.Group options={['ELECTRONIC', 'WRITTEN', 'ORAL', 'OTHER'].map((x) => ({ value: x, label: t(`responseMethod.${x}`) }))} />
          </Form.Item>
          <Form.Item name="contact" label={t('requests.contact')} extra={t('intake.contactNote')}>
            <Input data-testid="intake-contact" />
          </Form.Item>
        </div>
        {step === 3 && (
          <Descriptions bordered size="small" column={1} data-testid="intake-summary" style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t('requests.type')}>{`${t(`requestType.${v.type}`)} (${v.framework})`}</Descriptions.Item>
            <Descriptions.Item label={t('intake.identities')}>{(v.identities ?? []).filter((i) => i?.value?.trim()).map((i) => t(`identityType.${i.type}`)).join(', ')}</Descriptions.Item>
            <Descriptions.Item label={t('intake.claimedCategories')}>{v.subjectCategoryCodes?.length ? v.subjectCategoryCodes.join(', ') : t('intake.allCategories')}</Descriptions.Item>
            <Descriptions.Item label={t('requests.channel')}>{t(`channel.${v.channel}`)}</Descriptions.Item>
            <Descriptions.Item label={t('requests.requester')}>{t(`requesterKind.${v.requesterKind}`)}</Descriptions.Item>
            <Descriptions.Item label={t('requests.responseMethod')}>{t(`responseMethod.${v.responseMethod}`)}</Descriptions.Item>
          </Descriptions>
        )}
        <Flex gap={8}>
          {step > 0 && <Button onClick={() => setStep(step - 1)} data-testid="intake-back">{t('intake.back')}</Button>}
          {step < 3 && <Button type="primary" onClick={() => void next()} data-testid="intake-next">{t('intake.next')}</Button>}
          {step === 3 && <Button type="primary" loading={fetching} onClick={() => void submit()} data-testid="intake-submit">{t('intake.submit')}</Button>}
        </Flex>
      </Form>
    </div>
  );
}
