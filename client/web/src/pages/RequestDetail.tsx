import { useRef, useState, type ReactNode } from 'react';
import { Alert, App, Button, Descriptions, Flex, Form, Input, Modal, Radio, Select, Space, Table, Tabs, Tag, Timeline, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { useClient, useQuery, type AnyVariables, type CombinedError, type TypedDocumentNode } from 'urql';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { graphql } from '../gql';
import type { RequestDetailQuery, ReportLanguage, ResponseMethod } from '../gql/graphql';
import { useAuth } from '../auth/session';
import { LocalizedText, useLocalized } from '../lib/text';
import { QueryState } from '../lib/QueryState';
import { useUrlState } from '../lib/url-state';
import { CLOSED_STATUSES, DaysLeftTag, TAG } from '../lib/deadline';
import { statusColor } from './Requests';
import { ResolutionFlow } from './ResolutionFlow';

const RequestDoc = graphql(`
  query RequestDetail($id: ID!) {
    dataSubjectRequest(id: $id) {
      id reference framework type status channel requesterKind responseMethod plannedResponseMethod receivedAt dueAt closedAt version
      identityTypes claimedSubjectCategoryCodes verificationMethod verifiedBy verifiedAt refusalGround refusalReason extensionReason contactErasedAt
      refusal { code article text { ja en } }
      declinedByPolicy { ja en }
      reply { status language draftedBy draftedAt approvedBy approvedAt sentAt sentBy method contentHash }
      timeline { id at actor kind fromStatus toStatus note }
      resolution {
        frozen computedAt scope warnings settlementRequired unindexedActivityCodes
        excludedActivities { reason routeTo { ja en } activity { id code name { ja en } } }
        datasets { match dataset { id key name system { key name } } confirmation { holding confirmedBy confirmedAt note } }
        activities { activity { id code name { ja en } } confirmation { holding confirmedBy note } }
        actions { key target targetKind targetCode targetId action detail status awaitsSettlement note decidedBy decidedAt refusalGround }
        ...ResolutionFlow
      }
    }
    organization { requestProcedure { refusalGrounds { code article appliesTo text { ja en } } } }
  }
`);

const TransitionDoc = graphql(`
  mutation TransitionRequest($input: TransitionDataSubjectRequestInput!) { transitionDataSubjectRequest(input: $input) { request { id status version } } }
`);
const SettleDoc = graphql(`
  mutation SettleHoldings($input: SettleHoldingsInput!) { settleHoldings(input: $input) { request { id version } } }
`);
const ActionDoc = graphql(`
  mutation SetActionStatus($input: SetRequestActionStatusInput!) { setRequestActionStatus(input: $input) { request { id version } } }
`);
const DraftDoc = graphql(`
  mutation DraftReply($input: DraftReplyInput!) { draftReply(input: $input) { request { id reply { status } } } }
`);
const ApproveDoc = graphql(`
  mutation ApproveReply($input: ApproveReplyInput!) { approveReply(input: $input) { request { id reply { status } } } }
`);
const SentDoc = graphql(`
  mutation MarkReplySent($input: MarkReplySentInput!) { markReplySent(input: $input) { request { id reply { status } } } }
`);
const RevealDoc = graphql(`
  mutation RevealContact($input: RevealRequestContactInput!) { revealRequestContact(input: $input) { contact agentName contactErasedAt revealedAt } }
`);
const ReportDoc = graphql(`
  query ReplyPreview($id: ID!, $language: ReportLanguage!) { disclosureReport(requestId: $id, language: $language, format: HTML) { content } }
`);

type Request = NonNullable<RequestDetailQuery['dataSubjectRequest']>;
type Action = Request['resolution']['actions'][number];

/** The next statuses the server accepts from each status (its status machine). */
const NEXT: Record<string, string[]> = {
  RECEIVED: ['VERIFYING', 'REFUSED', 'WITHDRAWN'],
  VERIFYING: ['IN_PROGRESS', 'REFUSED', 'WITHDRAWN'],
  IN_PROGRESS: ['COMPLETED', 'REFUSED', 'WITHDRAWN'],
};

function errorText(e: CombinedError): string {
  return e.graphQLErrors.map((g) => `${g.message}${g.extensions?.field ? ` (${String(g.extensions.field)})` : ''}`).join('; ') || e.message;
}

const matchColor = (m: string) => (m === 'HELD' ? TAG.ok : m === 'POSSIBLE' ? TAG.warn : 'default');
const actionColor = (s: string) => (s === 'DONE' ? TAG.ok : s === 'WAIVED' ? 'purple' : 'default');

/** The reply in one language, as the person will receive it, in a frame without scripts; prints from there. */
function ReplyPreview({ id }: { id: string }) {
  const { t } = useTranslation();
  const [get, set] = useUrlState<'replyLang'>();
  const language = (get('replyLang') === 'EN' ? 'EN' : 'JA') as ReportLanguage;
  const frame = useRef<HTMLIFrameElement>(null);
  const [{ data, fetching, error }] = useQuery({ query: ReportDoc, variables: { id, language }, requestPolicy: 'network-only' });
  return (
    <div>
      <Flex gap={8} align="center" style={{ marginBottom: 8 }}>
        <Radio.Group
          optionType="button" value={language} data-testid="reply-language"
          onChange={(e) => set({ replyLang: e.target.value === 'EN' ? 'EN' : null }, { replace: true })}
          options={[{ value: 'JA', label: t('shell.japanese') }, { value: 'EN', label: t('shell.english') }]}
        />
        <Button onClick={() => frame.current?.contentWindow?.print()} disabled={!data} data-testid="reply-print">{t('reply.print')}</Button>
      </Flex>
      <QueryState fetching={fetching} error={error}>
        {data && (
          // allow-same-origin without allow-scripts: the parent may call print(); the document can run nothing.
          <iframe
            ref={frame} sandbox="allow-same-origin allow-modals" srcDoc={data.disclosureReport.content} title={t('reply.preview')}
            data-testid="reply-preview" style={{ width: '100%', height: 640, border: '1px solid #d9d9d9', background: '#fff' }}
          />
        )}
      </QueryState>
    </div>
  );
}

export default function RequestDetail() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const pick = useLocalized();
  const { canWrite, session } = useAuth();
  const isAdmin = !!session?.roles.includes('PRIVACY_ADMIN');
  const { message } = App.useApp();
  const client = useClient();
  const [get, set] = useUrlState<'tab'>();
  const [{ data, fetching, error }, refetch] = useQuery({ query: RequestDoc, variables: { id } });
  const [busy, setBusy] = useState(false);
  const [revealed, setRevealed] = useState<{ contact?: string | null; agentName?: string | null; contactErasedAt?: string | null } | null>(null);
  const [dialog, setDialog] = useState<null | { kind: 'VERIFY' | 'REFUSE' | 'WITHDRAW' | 'NOT_HELD' | 'WAIVE'; target?: string[]; activities?: string[] }>(null);
  const [dialogForm] = Form.useForm<{ verificationMethod?: string; refusalGround?: string; note?: string }>();
  const [selected, setSelected] = useState<string[]>([]);
  const [selectedDatasets, setSelectedDatasets] = useState<string[]>([]);
  const [sendMethod, setSendMethod] = useState<ResponseMethod | null>(null);
  const r = data?.dataSubjectRequest;

  async function run<D, V extends AnyVariables>(doc: TypedDocumentNode<D, V>, variables: V): Promise<D | null> {
    setBusy(true);
    const res = await client.mutation(doc, variables).toPromise();
    setBusy(false);
    if (res.error) {
      void message.error({ content: errorText(res.error), key: 'request-error' });
      return null;
    }
    refetch({ requestPolicy: 'network-only' });
    return res.data ?? null;
  }

  if (!r) {
    return (
      <QueryState fetching={fetching} error={error}>
        {data && <Alert type="warning" title={t('common.notFound')} data-testid="not-found" />}
      </QueryState>
    );
  }

  const closed = CLOSED_STATUSES.includes(r.status);
  const open = !closed;
  const grounds = (data?.organization?.requestProcedure?.refusalGrounds ?? []).filter((g) => !g.appliesTo?.length || g.appliesTo.includes(r.type));
  const actions = r.resolution.actions;
  const doneCount = actions.filter((a) => a.status !== 'OPEN').length;

  const confirmDialog = async () => {
    // A rejected validation is shown on the form itself.
    const v = await dialogForm.validateFields().catch(() => null);
    if (!v || !dialog) return;
    let ok: unknown = null;
    if (dialog.kind === 'VERIFY') ok = await run(TransitionDoc, { input: { id: r.id, to: 'IN_PROGRESS', verificationMethod: v.verificationMethod, note: v.note || null } });
    if (dialog.kind === 'REFUSE') ok = await run(TransitionDoc, { input: { id: r.id, to: 'REFUSED', refusalGround: v.refusalGround, note: v.note || null } });
    if (dialog.kind === 'WITHDRAW') ok = await run(TransitionDoc, { input: { id: r.id, to: 'WITHDRAWN', note: v.note || null } });
    if (dialog.kind === 'NOT_HELD') ok = await run(SettleDoc, { input: { requestId: r.id, datasetIds: dialog.target ?? [], activityIds: dialog.activities ?? [], holding: 'NOT_HELD', note: v.note } });
    if (dialog.kind === 'WAIVE') ok = await run(ActionDoc, { input: { requestId: r.id, actionKeys: dialog.target!, status: 'WAIVED', note: v.note, refusalGround: v.refusalGround || null } });
    if (ok) {
      setDialog(null);
      setSelected([]);
      setSelectedDatasets([]);
      dialogForm.resetFields();
    }
  };

  const setActions = async (keys: string[], status: 'DONE' | 'OPEN') => {
    if (await run(ActionDoc, { input: { requestId: r.id, actionKeys: keys, status } })) setSelected([]);
  };
  const settleHeld = async (datasetIds: string[], activityIds: string[] = []) => {
    if (await run(SettleDoc, { input: { requestId: r.id, datasetIds, activityIds, holding: 'HELD' } })) setSelectedDatasets([]);
  };
  // Datasets nobody has checked yet: the request cannot complete, nor their actions be decided, until each is settled.
  const unsettledRows = r.resolution.datasets.filter((d) => d.match === 'POSSIBLE' && !d.confirmation);
  const unsettled = unsettledRows.map((d) => d.dataset.id);
  const labelOf = new Map(r.resolution.datasets.map((d) => [d.dataset.id, `${d.dataset.system.key}/${d.dataset.key}`]));
  // Activities no dataset serves: someone looks in their files and records what was found there.
  const unindexed = r.resolution.settlementRequired ? r.resolution.activities.filter((a) => r.resolution.unindexedActivityCodes.includes(a.activity.code)) : [];
  const unchecked = unindexed.filter((a) => !a.confirmation).map((a) => a.activity.id);
  const activityLabel = new Map(r.resolution.activities.map((a) => [a.activity.id, pick(a.activity.name) || a.activity.code]));
  // A selection made before a refetch keeps only what can still be chosen (antd cannot untick a disabled row).
  const datasetChoice = selectedDatasets.filter((id) => unsettled.includes(id));
  const actionChoice = selected.filter((k) => actions.some((a) => a.key === k && !a.awaitsSettlement));
  const settleButtons = (datasetIds: string[], testId: string, activityIds: string[] = []) => (
    <Space>
      <Button size="small" disabled={busy} data-testid={`settle-held-${testId}`} onClick={() => void settleHeld(datasetIds, activityIds)}>{t('request.settleHeld')}</Button>
      <Button size="small" disabled={busy} data-testid={`settle-not-held-${testId}`} onClick={() => setDialog({ kind: 'NOT_HELD', target: datasetIds, activities: activityIds })}>{t('request.settleNotHeld')}</Button>
    </Space>
  );

  const transitionButtons: ReactNode[] = (canWrite && NEXT[r.status] ? NEXT[r.status] : []).map((to) => {
    const common = { key: to, disabled: busy, 'data-testid': `transition-${to}` };
    if (to === 'IN_PROGRESS') return <Button {...common} type="primary" onClick={() => setDialog({ kind: 'VERIFY' })}>{t('requestAction.verify')}</Button>;
    if (to === 'REFUSED') return <Button {...common} onClick={() => setDialog({ kind: 'REFUSE' })}>{t('requestAction.refuse')}</Button>;
    if (to === 'WITHDRAWN') return <Button {...common} onClick={() => setDialog({ kind: 'WITHDRAW' })}>{t('requestAction.withdraw')}</Button>;
    return (
      <Button {...common} type="primary" onClick={() => void run(TransitionDoc, { input: { id: r.id, to: to as 'VERIFYING' } })}>
        {t(`requestAction.to.${to}`)}
      </Button>
    );
  });

  const contactCell = (value: string | null | undefined, testId: string) => {
    if (r.contactErasedAt && !revealed?.contact) return <Typography.Text type="secondary">{t('request.contactErased', { at: dayjs(r.contactErasedAt).format('YYYY-MM-DD') })}</Typography.Text>;
    if (revealed) return <span data-testid={testId}>{value ?? t('common.none')}</span>;
    return <span data-testid={testId} aria-label={t('request.masked')}>{'••••••••'}</span>;
  };

  const checklist = (
    <div data-testid="request-checklist">
      {open && r.resolution.settlementRequired && unsettled.length + unchecked.length > 0 && (
        <Alert
          type="warning" showIcon style={{ marginBottom: 8 }} data-testid="unsettled-alert"
          title={t('request.unsettled', { count: unsettled.length + unchecked.length })}
          description={t('request.unsettledNote')}
          action={canWrite ? <Button size="small" disabled={busy} data-testid="settle-all-not-held" onClick={() => setDialog({ kind: 'NOT_HELD', target: unsettled, activities: unchecked })}>{t('request.settleAllNotHeld')}</Button> : undefined}
        />
      )}
      {unindexed.length > 0 && (
        <Table
          size="small" rowKey={(a) => a.activity.id} pagination={false} dataSource={unindexed} data-testid="unindexed-table" style={{ marginBottom: 12 }}
          title={() => t('request.unindexedTitle')}
          columns={[
            { key: 'activity', title: t('nav.activity'), render: (_, a) => <Link to={`/activities/${a.activity.id}`}>{pick(a.activity.name) || a.activity.code}</Link> },
            {
              key: 'settled', title: t('request.settled'), render: (_, a) => {
                if (a.confirmation) return <span data-testid="activity-settled">{`${t(`match.${a.confirmation.holding}`)} — ${a.confirmation.confirmedBy}${a.confirmation.note ? ` (${a.confirmation.note})` : ''}`}</span>;
                return canWrite && open ? settleButtons([], `activity-${a.activity.code}`, [a.activity.id]) : null;
              },
            },
          ]}
        />
      )}
      <Flex gap={8} align="center" style={{ marginBottom: 8 }}>
        <Typography.Text data-testid="checklist-progress">{t('request.progress', { done: doneCount, total: actions.length })}</Typography.Text>
        {canWrite && open && (
          <>
            <Button disabled={!actionChoice.length || busy} onClick={() => void setActions(actionChoice, 'DONE')} data-testid="actions-done">{t('request.markDone')}</Button>
            <Button disabled={!actionChoice.length || busy} onClick={() => setDialog({ kind: 'WAIVE', target: actionChoice })} data-testid="actions-waive">{t('request.waive')}</Button>
          </>
        )}
      </Flex>
      <Table<Action>
        size="small" rowKey="key" pagination={false} dataSource={actions} data-testid="actions-table"
        rowSelection={canWrite && open ? { selectedRowKeys: actionChoice, onChange: (k) => setSelected(k as string[]), getCheckboxProps: (a) => ({ 'aria-label': a.target, disabled: a.awaitsSettlement }) as never } : undefined}
        columns={[
          { key: 'action', title: t('request.action'), render: (_, a) => <Tag>{t(`actionKind.${a.action}`, { defaultValue: a.action })}</Tag> },
          { key: 'target', title: t('request.target'), render: (_, a) => (a.targetKind === 'Dataset' && a.targetId ? <Link to={`/datasets/${a.targetId}`}>{a.target}</Link> : a.target) },
          { key: 'detail', title: t('request.detail'), dataIndex: 'detail' },
          {
            key: 'status', title: t('request.actionStatus'), render: (_, a) => (
              <>
                <Tag color={actionColor(a.status)} data-testid="action-status">{t(`actionStatus.${a.status}`)}</Tag>
                {open && a.awaitsSettlement && <Tag color={TAG.warn} style={{ borderStyle: 'dashed' }} data-testid="awaits-settlement">{t('request.awaitsSettlement')}</Tag>}
              </>
            ),
          },
          { key: 'decided', title: t('request.decided'), render: (_, a) => (a.decidedBy ? `${a.decidedBy} ${dayjs(a.decidedAt).format('MM-DD HH:mm')}${a.note ? ` — ${a.note}` : ''}` : '') },
          ...(canWrite && open ? [{ key: 'do', title: t('request.do'), render: (_: unknown, a: Action) => (a.awaitsSettlement && a.targetId
            ? (a.targetKind === 'ProcessingActivity' ? settleButtons([], `action-${a.targetCode}`, [a.targetId]) : settleButtons([a.targetId], `action-${a.targetCode}`))
            : a.status === 'OPEN'
            ? <Button size="small" onClick={() => void setActions([a.key], 'DONE')} disabled={busy}>{t('request.markDone')}</Button>
            : <Button size="small" onClick={() => void setActions([a.key], 'OPEN')} disabled={busy}>{t('request.reopen')}</Button>) }] : []),
        ]}
      />
    </div>
  );

  const datasets = (
    <>
    {canWrite && open && unsettled.length > 0 && (
      <Flex gap={8} align="center" style={{ marginBottom: 8 }}>
        <Typography.Text>{t('request.settleSelected', { count: datasetChoice.length })}</Typography.Text>
        <Button disabled={!datasetChoice.length || busy} data-testid="datasets-held" onClick={() => void settleHeld(datasetChoice)}>{t('request.settleHeld')}</Button>
        <Button disabled={!datasetChoice.length || busy} data-testid="datasets-not-held" onClick={() => setDialog({ kind: 'NOT_HELD', target: datasetChoice })}>{t('request.settleNotHeld')}</Button>
      </Flex>
    )}
    <Table
      size="small" rowKey={(d) => d.dataset.id} pagination={false} dataSource={r.resolution.datasets} data-testid="datasets-table"
      rowSelection={canWrite && open ? {
        selectedRowKeys: datasetChoice, onChange: (k) => setSelectedDatasets(k as string[]),
        getCheckboxProps: (d) => ({ 'aria-label': `${d.dataset.system.key}/${d.dataset.key}`, disabled: d.match !== 'POSSIBLE' || !!d.confirmation }) as never,
      } : undefined}
      columns={[
        { key: 'dataset', title: t('systems.dataset'), render: (_, d) => <Link to={`/datasets/${d.dataset.id}`}>{`${d.dataset.system.key}/${d.dataset.key}`}</Link> },
        { key: 'name', title: t('activities.col.name'), render: (_, d) => d.dataset.name },
        { key: 'match', title: t('request.match'), render: (_, d) => <Tag color={matchColor(d.match)} style={d.match === 'POSSIBLE' ? { borderStyle: 'dashed' } : undefined} data-testid={`match-${d.dataset.key}`}>{t(`match.${d.match}`)}</Tag> },
        {
          key: 'settled', title: t('request.settled'),
          render: (_, d) => {
            if (d.confirmation) return <span data-testid="settled">{`${t(`match.${d.confirmation.holding}`)} — ${d.confirmation.confirmedBy}${d.confirmation.note ? ` (${d.confirmation.note})` : ''}`}</span>;
            if (d.match !== 'POSSIBLE' || !canWrite || !open) return null;
            return settleButtons([d.dataset.id], d.dataset.key);
          },
        },
      ]}
    />
    </>
  );

  const excluded = (
    <Table
      size="small" rowKey={(x) => x.activity.id} pagination={false} dataSource={r.resolution.excludedActivities} data-testid="excluded-table"
      locale={{ emptyText: t('common.none') }}
      columns={[
        { key: 'activity', title: t('nav.activity'), render: (_, x) => <Link to={`/activities/${x.activity.id}`}>{pick(x.activity.name)}</Link> },
        { key: 'reason', title: t('request.reason'), dataIndex: 'reason' },
        { key: 'route', title: t('request.routeTo'), render: (_, x) => <LocalizedText value={x.routeTo} /> },
      ]}
    />
  );

  const reply = r.reply;
  const replyPanel = (
    <div data-testid="request-reply">
      <Descriptions bordered size="small" column={1} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('requests.reply')}>
          <span data-testid="reply-status">{reply ? t(`replyStatus.${reply.status}`) : t('reply.none')}</span>
        </Descriptions.Item>
        {reply && <Descriptions.Item label={t('reply.drafted')}>{`${reply.draftedBy} ${dayjs(reply.draftedAt).format('YYYY-MM-DD HH:mm')} (${reply.language})`}</Descriptions.Item>}
        {reply?.approvedBy && <Descriptions.Item label={t('reply.approved')}>{`${reply.approvedBy} ${dayjs(reply.approvedAt).format('YYYY-MM-DD HH:mm')}`}</Descriptions.Item>}
        {reply?.sentAt && <Descriptions.Item label={t('reply.sent')}>{`${reply.sentBy ?? ''} ${dayjs(reply.sentAt).format('YYYY-MM-DD HH:mm')} · ${t(`responseMethod.${reply.method}`)}`}</Descriptions.Item>}
        {reply?.contentHash && <Descriptions.Item label={t('reply.hash')}><Typography.Text code>{reply.contentHash}</Typography.Text></Descriptions.Item>}
      </Descriptions>
      {canWrite && reply?.status !== 'SENT' && (
        <Flex gap={8} wrap style={{ marginBottom: 12 }}>
          {(['JA', 'EN'] as const).map((l) => (
            <Button key={l} disabled={busy} data-testid={`draft-reply-${l}`} onClick={() => void run(DraftDoc, { input: { requestId: r.id, language: l } })}>
              {t(l === 'JA' ? 'reply.draftJa' : 'reply.draftEn')}
            </Button>
          ))}
          {isAdmin && reply?.status === 'DRAFT' && (
            <Button type="primary" disabled={busy} data-testid="approve-reply" onClick={() => void run(ApproveDoc, { input: { requestId: r.id } })}>{t('reply.approve')}</Button>
          )}
          {reply?.status === 'APPROVED' && (
            <>
              <Select<ResponseMethod>
                aria-label={t('requests.responseMethod')} style={{ width: 200 }} value={sendMethod ?? r.plannedResponseMethod ?? r.responseMethod}
                onChange={setSendMethod} options={(['ELECTRONIC', 'WRITTEN', 'ORAL', 'OTHER'] as const).map((m) => ({ value: m, label: t(`responseMethod.${m}`) }))}
              />
              <Button type="primary" disabled={busy} data-testid="mark-sent" onClick={() => void run(SentDoc, { input: { requestId: r.id, method: sendMethod ?? r.plannedResponseMethod ?? r.responseMethod } })}>{t('reply.markSent')}</Button>
            </>
          )}
        </Flex>
      )}
      {get('tab') === 'reply' && <ReplyPreview id={r.id} />}
    </div>
  );

  const timeline = (
    <Timeline
      data-testid="request-timeline"
      items={r.timeline.map((e) => ({
        key: e.id,
        content: (
          <span>
            <Typography.Text strong>{dayjs(e.at).format('YYYY-MM-DD HH:mm')}</Typography.Text>{' '}
            {t(`timelineKind.${e.kind}`, { defaultValue: e.kind })}
            {e.toStatus && ` → ${t(`requestStatus.${e.toStatus}`)}`}
            {' · '}{e.actor}
            {e.note && <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{e.note}</Typography.Paragraph>}
          </span>
        ),
      }))}
    />
  );

  const tabs = [
    { key: 'checklist', label: t('request.tab.checklist'), children: checklist },
    { key: 'flow', label: t('flow.title'), children: <ResolutionFlow resolution={r.resolution} closedAt={r.closedAt} /> },
    { key: 'datasets', label: t('request.tab.datasets'), children: datasets },
    { key: 'excluded', label: t('request.tab.excluded'), children: excluded },
    { key: 'reply', label: t('request.tab.reply'), children: replyPanel },
    { key: 'timeline', label: t('request.tab.timeline'), children: timeline },
  ];
  const tab = tabs.some((x) => x.key === get('tab')) ? get('tab') : 'checklist';

  return (
    <div data-testid="page-request">
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Flex gap={8} align="center">
          <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }} data-testid="request-reference">{r.reference}</Typography.Title>
          <Tag color={statusColor(r.status)} data-testid="request-status">{t(`requestStatus.${r.status}`)}</Tag>
          <DaysLeftTag dueAt={r.dueAt} receivedAt={r.receivedAt} status={r.status} />
        </Flex>
        <Space wrap>{transitionButtons}</Space>
      </Flex>
      {closed && (
        <Alert
          type="info" showIcon style={{ margin: '12px 0' }} data-testid="frozen-banner"
          title={t('request.frozen', { at: dayjs(r.closedAt ?? r.resolution.computedAt).format('YYYY-MM-DD HH:mm') })}
          description={t('request.frozenNote')}
        />
      )}
      {r.declinedByPolicy && <Alert type="warning" style={{ margin: '12px 0' }} title={t('request.declinedByPolicy')} description={pick(r.declinedByPolicy)} />}
      {r.resolution.warnings.map((w) => <Alert key={w} type="warning" showIcon style={{ margin: '8px 0' }} title={w} />)}
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} style={{ margin: '12px 0' }} data-testid="request-summary">
        <Descriptions.Item label={t('requests.type')}>{`${t(`requestType.${r.type}`)} (${r.framework})`}</Descriptions.Item>
        <Descriptions.Item label={t('requests.channel')}>{t(`channel.${r.channel}`)}</Descriptions.Item>
        <Descriptions.Item label={t('requests.receivedAt')}>{dayjs(r.receivedAt).format('YYYY-MM-DD HH:mm')}</Descriptions.Item>
        <Descriptions.Item label={t('requests.dueAt')}>{r.dueAt}{r.extensionReason && ` (${r.extensionReason})`}</Descriptions.Item>
        <Descriptions.Item label={t('requests.requester')}>{t(`requesterKind.${r.requesterKind}`)}</Descriptions.Item>
        <Descriptions.Item label={t('requests.responseMethod')}>{t(`responseMethod.${r.responseMethod}`)}{r.plannedResponseMethod && r.plannedResponseMethod !== r.responseMethod && ` → ${t(`responseMethod.${r.plannedResponseMethod}`)}`}</Descriptions.Item>
        <Descriptions.Item label={t('intake.identities')}>{r.identityTypes.map((x) => t(`identityType.${x}`)).join(', ')}</Descriptions.Item>
        <Descriptions.Item label={t('intake.claimedCategories')}>{r.claimedSubjectCategoryCodes.length ? r.claimedSubjectCategoryCodes.join(', ') : t('intake.allCategories')}</Descriptions.Item>
        <Descriptions.Item label={t('requests.contact')}>
          <Flex gap={8} align="center">
            {contactCell(revealed?.contact, 'request-contact')}
            {canWrite && !revealed && !r.contactErasedAt && (
              <Button size="small" data-testid="reveal-contact" disabled={busy} onClick={async () => {
                const d = await run(RevealDoc, { input: { requestId: r.id } });
                if (d) setRevealed(d.revealRequestContact);
              }}>{t('request.reveal')}</Button>
            )}
          </Flex>
        </Descriptions.Item>
        {r.requesterKind === 'AGENT' && <Descriptions.Item label={t('requests.agentName')}>{contactCell(revealed?.agentName, 'request-agent')}</Descriptions.Item>}
        <Descriptions.Item label={t('request.verification')}>{r.verificationMethod ? `${r.verificationMethod} — ${r.verifiedBy ?? ''} ${r.verifiedAt ? dayjs(r.verifiedAt).format('YYYY-MM-DD') : ''}` : t('common.none')}</Descriptions.Item>
        {r.refusal && <Descriptions.Item label={t('request.refusalGround')}><span data-testid="refusal-ground"><LocalizedText value={r.refusal.text} />{r.refusal.article && ` (${r.refusal.article})`}</span></Descriptions.Item>}
        <Descriptions.Item label={t('request.scope')}>{t(`scope.${r.resolution.scope}`)}</Descriptions.Item>
      </Descriptions>
      <Tabs activeKey={tab} onChange={(k) => set({ tab: k === 'checklist' ? null : k })} items={tabs} />
      <Modal
        open={!!dialog} onCancel={() => setDialog(null)} onOk={() => void confirmDialog()} confirmLoading={busy} destroyOnHidden
        okText={t('common.confirm')} cancelText={t('common.cancel')} okButtonProps={{ 'data-testid': 'dialog-ok' } as never}
        title={dialog ? t(`request.dialog.${dialog.kind}`) : ''}
      >
        <Form form={dialogForm} layout="vertical" preserve={false} data-testid="request-dialog">
          {dialog?.kind === 'NOT_HELD' && (
            <Typography.Paragraph data-testid="dialog-targets">
              {t('request.notHeldFor', { count: (dialog.target ?? []).length + (dialog.activities ?? []).length })}{' '}
              <Typography.Text code>{[...(dialog.target ?? []).map((id) => labelOf.get(id) ?? id), ...(dialog.activities ?? []).map((id) => activityLabel.get(id) ?? id)].join(', ')}</Typography.Text>
            </Typography.Paragraph>
          )}
          {dialog?.kind === 'VERIFY' && (
            <Form.Item name="verificationMethod" label={t('request.verificationMethod')} rules={[{ required: true, message: t('intake.required') }]}>
              <Input data-testid="verification-method" />
            </Form.Item>
          )}
          {(dialog?.kind === 'REFUSE' || (dialog?.kind === 'WAIVE' && actions.some((a) => selected.includes(a.key) && a.action === 'DISCLOSE'))) && (
            <Form.Item name="refusalGround" label={t('request.refusalGround')} rules={dialog.kind === 'REFUSE' && !r.declinedByPolicy ? [{ required: true, message: t('intake.required') }] : []}>
              <Select
                data-testid="refusal-ground-select" allowClear
                options={grounds.map((g) => ({ value: g.code, label: `${pick(g.text)}${g.article ? ` (${g.article})` : ''}` }))}
                optionRender={(o) => <span style={{ whiteSpace: 'normal' }}>{o.label}</span>}
              />
            </Form.Item>
          )}
          <Form.Item
            name="note" label={t('request.note')} extra={dialog?.kind === 'WAIVE' ? t('request.waiveNoteHelp') : undefined}
            rules={dialog?.kind === 'NOT_HELD' || dialog?.kind === 'WAIVE' ? [{ required: true, whitespace: true, message: t('intake.required') }] : []}
          >
            <Input.TextArea rows={3} data-testid="dialog-note" />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
