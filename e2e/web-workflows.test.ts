import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import ExcelJS from 'exceljs';
import { repoRoot, startServerProcess, type ServerProcess } from './server-process.js';
import { devToken as tokenFor, newContext } from './web-suite.js';

/**
 * The daily workflows of the web UI end to end, in a real browser against the real server process
 * on the demo seed: a disclosure request from intake to sent reply (with four-eyes approval by a
 * second admin), a processor audit, the RoPA download. Screenshots go to test-output/web-ui/.
 */
const CHROMIUM = process.env.KIROKU_CHROMIUM ?? '/usr/bin/chromium';
const shots = path.join(repoRoot, 'test-output/web-ui');
let server: ServerProcess;
let browser: Browser;
let dataDir: string;

const devToken = (role: string) => tokenFor(server, role);

/** A dev token for another person than the sign-in page's, from the token command (as an operator would mint it). */
async function cliToken(role: string, sub: string): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(repoRoot, 'server/dist/bin/token-cli.js'), '--role', role, '--sub', sub], { env: { ...process.env, KIROKU_DATA_DIR: dataDir } });
  return stdout.trim();
}

async function gql(token: string, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  return res.json();
}

async function newPage(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await newContext(browser, { acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, errors };
}

async function signIn(role: string): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const s = await newPage();
  await s.page.goto(`${server.url}/`);
  await s.page.getByTestId(`sign-in-${role}`).click();
  await s.page.getByTestId('current-role').waitFor();
  return s;
}

/** Signed in with a given token: the session the dev sign-in page would have stored. */
async function signInWith(token: string): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const s = await newPage();
  await s.context.addInitScript((t) => (globalThis as any).sessionStorage.setItem('kiroku.devSession', t), token);
  await s.page.goto(`${server.url}/`);
  await s.page.getByTestId('current-role').waitFor();
  return s;
}

before(async () => {
  await fs.access(path.join(repoRoot, 'client/web/dist/index.html')).catch(() => {
    throw new Error('the web UI is not built: npm run build');
  });
  await fs.mkdir(shots, { recursive: true });
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiroku-web-workflows-'));
  // Four-eyes stays on (the default): the second admin's token comes from the token command.
  server = await startServerProcess({ env: { JWT_ISSUER: '', JWT_AUDIENCE: '', JWT_JWKS_FILE: '', KIROKU_DEV_AUTH: 'true', KIROKU_SEED: 'demo', KIROKU_DATA_DIR: dataDir } });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking'] });
});
after(async () => {
  await browser?.close();
  await server?.stop();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

const REQUEST = `query R($id: ID!) { dataSubjectRequest(id: $id) { status verificationMethod reply { status draftedBy approvedBy sentAt method } resolution { frozen datasets { dataset { id key } match confirmation { holding confirmedBy } } actions { status } } } }`;

test('PRIVACY_ADMIN handles a disclosure request from intake to sent reply; a second admin approves it (four-eyes)', async () => {
  const admin = await devToken('PRIVACY_ADMIN');
  const { context, page, errors } = await signIn('PRIVACY_ADMIN');
  let id = '';
  try {
    await page.getByTestId('nav-requests').click();
    await page.getByTestId('requests-table').waitFor();
    await page.getByTestId('new-request').click();
    // Step 1: the request (APPI disclosure is the default); step 2: the person; step 3: contact.
    await page.getByTestId('intake-next').click();
    await page.getByTestId('intake-next').click();
    await page.locator('.ant-form-item-explain-error').first().waitFor();
    await page.getByTestId('intake-identity-0').fill('workflow-person@example.com');
    await page.getByTestId('intake-next').click();
    await page.getByTestId('intake-contact').fill('workflow-contact@example.com');
    await page.getByTestId('intake-next').click();
    await page.getByTestId('intake-summary').waitFor();
    await page.screenshot({ path: path.join(shots, 'ja-request-intake-confirm.png'), fullPage: true });
    await page.getByTestId('intake-submit').click();
    await page.getByTestId('page-request').waitFor();
    id = /\/requests\/(\d+)$/.exec(page.url())?.[1] ?? '';
    assert.ok(id, `on the new request's page: ${page.url()}`);
    assert.doesNotMatch(page.url() + JSON.stringify(await page.evaluate(() => (globalThis as any).history.state)), /workflow-person/, 'the identity never enters the URL or history');
    assert.equal((await gql(admin, REQUEST, { id })).data.dataSubjectRequest.status, 'RECEIVED');

    // The contact is masked until revealed, and the reveal is in the audit trail.
    assert.doesNotMatch(await page.getByTestId('request-summary').innerText(), /workflow-contact/);
    await page.getByTestId('reveal-contact').click();
    await page.getByTestId('request-contact').getByText('workflow-contact@example.com').waitFor();
    const reveals = await gql(admin, `query($id: String!) { auditEvents(first: 20, filter: { entityType: "DataSubjectRequest", entityId: $id }) { edges { node { operation actorSub } } } }`, { id });
    assert.deepEqual(reveals.data.auditEvents.edges.map((e: any) => e.node).filter((e: any) => e.operation === 'revealRequestContact'), [{ operation: 'revealRequestContact', actorSub: 'dev-privacy_admin' }]);

    // Verification: RECEIVED → VERIFYING → IN_PROGRESS with how identity was verified.
    await page.getByTestId('transition-VERIFYING').click();
    await page.getByTestId('transition-IN_PROGRESS').waitFor();
    await page.getByTestId('transition-IN_PROGRESS').click();
    await page.getByTestId('dialog-ok').click();
    await page.locator('.ant-form-item-explain-error').first().waitFor(); // the method is required
    await page.getByTestId('verification-method').fill('Copy of ID checked by mail');
    await page.getByTestId('dialog-ok').click();
    await page.getByTestId('transition-COMPLETED').waitFor();
    const progressed = (await gql(admin, REQUEST, { id })).data.dataSubjectRequest;
    assert.deepEqual([progressed.status, progressed.verificationMethod], ['IN_PROGRESS', 'Copy of ID checked by mail']);

    // Settle a POSSIBLE dataset as held.
    const possible = progressed.resolution.datasets.find((d: any) => d.match === 'POSSIBLE' && !d.confirmation);
    assert.ok(possible, 'the demo seed leaves a dataset the index cannot answer for');
    await page.getByRole('tab', { name: /データセット/ }).click();
    await page.getByTestId(`settle-held-${possible.dataset.key}`).first().click();
    await page.getByTestId('settled').first().waitFor();
    const settled = (await gql(admin, REQUEST, { id })).data.dataSubjectRequest.resolution.datasets.find((d: any) => d.dataset.id === possible.dataset.id);
    assert.deepEqual(settled.confirmation, { holding: 'HELD', confirmedBy: 'dev-privacy_admin' });
    await page.screenshot({ path: path.join(shots, 'ja-request-datasets.png'), fullPage: true });

    // The checklist: the datasets nobody has checked come first. Completing now is refused by the
    // server, and the page says why; one finding settles the rest.
    await page.getByRole('tab', { name: /対応項目/ }).click();
    const state = (await gql(admin, `query($id: ID!) { dataSubjectRequest(id: $id) { resolution { unindexedActivityCodes datasets { match confirmation { holding } }
      activities { activity { code } confirmation { holding } } } } }`, { id })).data.dataSubjectRequest.resolution;
    const left = state.datasets.filter((d: any) => d.match === 'POSSIBLE' && !d.confirmation).length;
    const unchecked = state.activities.filter((a: any) => state.unindexedActivityCodes.includes(a.activity.code) && !a.confirmation).length;
    assert.ok(left > 0 && unchecked > 0, 'the demo request has more datasets, and activities without datasets, to settle');
    assert.match(await page.getByTestId('unsettled-alert').innerText(), new RegExp(`処理活動が ${left + unchecked} 件あります`));
    assert.equal(await page.getByTestId('unindexed-table').locator('tbody tr').count(), unchecked);
    await page.screenshot({ path: path.join(shots, 'ja-request-unsettled.png'), fullPage: true });
    await page.getByTestId('transition-COMPLETED').click();
    await page.locator('.ant-message').getByText(/not settled/).waitFor();
    await page.getByTestId('settle-all-not-held').click();
    assert.match(await page.getByTestId('dialog-targets').innerText(), new RegExp(`次の ${left + unchecked} 件`), 'the dialog says what it will record');
    await page.getByTestId('dialog-ok').click();
    await page.locator('.ant-form-item-explain-error').first().waitFor(); // how it was checked is required
    await page.getByTestId('dialog-note').fill('Searched each system by the e-mail address: no record');
    await page.getByTestId('dialog-ok').click();
    await page.getByTestId('unsettled-alert').waitFor({ state: 'detached' });
    const after = (await gql(admin, REQUEST, { id })).data.dataSubjectRequest.resolution.datasets.filter((d: any) => d.match === 'POSSIBLE');
    assert.ok(after.every((d: any) => d.confirmation), JSON.stringify(after));
    assert.equal(after.filter((d: any) => d.confirmation.holding === 'NOT_HELD').length, left);
    assert.equal(await page.getByTestId('activity-settled').count(), unchecked, 'the activities show their finding');
    // Then every action done, the request completes and its resolution freezes.
    await page.locator('[data-testid="actions-table"] thead input[type="checkbox"]').check();
    await page.getByTestId('actions-done').click();
    await page.waitForFunction(() => /(\d+)\/\1/.test((globalThis as any).document.querySelector('[data-testid="checklist-progress"]')?.textContent ?? ''));
    assert.ok((await gql(admin, REQUEST, { id })).data.dataSubjectRequest.resolution.actions.every((a: any) => a.status === 'DONE'));
    await page.getByTestId('transition-COMPLETED').click();
    await page.getByTestId('frozen-banner').waitFor();
    assert.equal(await page.getByTestId('transition-REFUSED').count(), 0, 'a closed request offers no transition');
    assert.equal((await gql(admin, REQUEST, { id })).data.dataSubjectRequest.resolution.frozen, true);

    // The reply: drafted here; the drafter may not approve it; the preview shows the letter.
    await page.getByRole('tab', { name: /回答書/ }).click();
    await page.getByTestId('draft-reply-JA').click();
    await page.getByTestId('reply-status').getByText('下書き').waitFor();
    const preview = page.frameLocator('[data-testid="reply-preview"]');
    await preview.getByText('保有個人データの開示について').first().waitFor();
    await page.getByTestId('reply-language').getByText('English').click();
    await preview.getByText('Disclosure of retained personal data').first().waitFor();
    await page.screenshot({ path: path.join(shots, 'ja-request-reply.png'), fullPage: true });
    await page.getByTestId('approve-reply').click();
    await page.locator('.ant-message-error').waitFor();
    assert.equal((await gql(admin, REQUEST, { id })).data.dataSubjectRequest.reply.status, 'DRAFT', 'the drafter cannot approve');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }

  const second = await signInWith(await cliToken('PRIVACY_ADMIN', 'second-admin'));
  try {
    await second.page.goto(`${server.url}/requests/${id}?tab=reply`);
    await second.page.getByTestId('approve-reply').click();
    await second.page.getByTestId('mark-sent').click();
    await second.page.getByTestId('reply-status').getByText('送付済み').waitFor();
    const done = (await gql(admin, REQUEST, { id })).data.dataSubjectRequest.reply;
    assert.equal(done.status, 'SENT');
    assert.equal(done.draftedBy, 'dev-privacy_admin');
    assert.equal(done.approvedBy, 'second-admin');
    assert.equal(done.method, 'ELECTRONIC');
    await second.page.getByRole('tab', { name: /経過/ }).click();
    await second.page.getByTestId('request-timeline').getByText('回答書の送付').waitFor();
    assert.equal(await second.page.getByTestId('draft-reply-JA').count(), 0, 'a sent reply is final');
    assert.deepEqual(second.errors, []);
  } finally {
    await second.context.close();
  }
});

test('PRIVACY_ADMIN records a processor audit from the riskiest-first list; the history and next due date follow', async () => {
  const admin = await devToken('PRIVACY_ADMIN');
  const { context, page, errors } = await signIn('PRIVACY_ADMIN');
  try {
    await page.getByTestId('nav-processors').click();
    await page.getByTestId('processor-link').first().waitFor();
    const scores = (await page.getByTestId('risk-score').allInnerTexts()).map(Number);
    assert.deepEqual(scores, [...scores].sort((a, b) => b - a), 'riskiest first');
    await page.getByTestId('processor-link').first().click();
    await page.getByTestId('page-processor').waitFor();
    const processorId = /\/processors\/(\d+)/.exec(page.url())![1];
    const before = (await gql(admin, 'query($id: ID!) { processorAudit(processorId: $id) { audits { id } processor { code } } }', { id: processorId })).data.processorAudit;
    await page.getByTestId('record-audit').click();
    await page.getByTestId('audit-auditor').fill('Workflow auditor');
    await page.getByTestId('audit-findings-ja').fill('アクセスログの保存期間を確認した');
    await page.getByTestId('save-audit').click();
    await page.getByTestId('audit-form').waitFor({ state: 'detached' });
    const after = (await gql(admin, 'query($id: ID!) { processorAudit(processorId: $id) { nextAuditDue audits { auditor method result findings { ja } } } }', { id: processorId })).data.processorAudit;
    assert.equal(after.audits.length, before.audits.length + 1);
    assert.ok(after.audits.some((a: any) => a.auditor === 'Workflow auditor' && a.method === 'DOCUMENT_REVIEW' && a.result === 'SATISFACTORY' && a.findings.ja === 'アクセスログの保存期間を確認した'));
    await page.getByRole('tab', { name: /監査履歴/ }).click();
    await page.getByTestId('audit-history').getByText('Workflow auditor').waitFor();
    assert.equal(await page.getByTestId('next-audit').innerText(), after.nextAuditDue ?? '不明');
    await page.screenshot({ path: path.join(shots, 'ja-processor-audit-recorded.png'), fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('AUDITOR reviews processors and the trail, downloads the RoPA XLSX (read back), sees no mutation control; forged mutations are refused', async () => {
  const admin = await devToken('PRIVACY_ADMIN');
  const made = await gql(admin, 'mutation($input: CreateDataSubjectRequestInput!) { createDataSubjectRequest(input: $input) { request { id } } }', {
    input: { framework: 'APPI', type: 'DISCLOSE', channel: 'WEB', requester: { kind: 'SELF' }, responseMethod: 'ELECTRONIC', contact: 'secret-contact@example.com', identities: [{ type: 'EMAIL', value: 'auditor-case@example.com' }] },
  });
  const requestId = made.data.createDataSubjectRequest.request.id;
  const processorId = (await gql(admin, '{ processorAudits(first: 1) { edges { node { processor { id } } } } }')).data.processorAudits.edges[0].node.processor.id;
  const { context, page, errors } = await signIn('AUDITOR');
  try {
    for (const url of ['/requests', `/requests/${requestId}`, `/requests/${requestId}?tab=datasets`, `/requests/${requestId}?tab=reply`, '/processors', `/processors/${processorId}`, '/exports', '/audit-log']) {
      await page.goto(`${server.url}${url}`);
      await page.locator('[data-testid^="page-"]').first().waitFor({ timeout: 10_000 }).catch(async (e) => {
        throw new Error(`${url}: ${e.message}\n${errors.join("\n")}\n${(await page.content()).slice(0, 3000)}`);
      });
      await page.waitForLoadState('networkidle');
      for (const id of ['new-request', 'reveal-contact', 'record-audit', 'draft-reply-JA', 'approve-reply', 'mark-sent', 'actions-done']) {
        assert.equal(await page.getByTestId(id).count(), 0, `${url}: no ${id}`);
      }
      assert.equal(await page.locator('[data-testid^="transition-"], [data-testid^="settle-"]').count(), 0, `${url}: no transition or settling`);
      assert.doesNotMatch(await page.locator('main').first().innerText(), /secret-contact/, `${url}: the contact stays hidden`);
    }

    // The RoPA as XLSX, downloaded from the page and read back.
    await page.goto(`${server.url}/exports`);
    await page.getByTestId('ropa-preview').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('ropa-download-XLSX').click()]);
    assert.match(download.suggestedFilename(), /\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await fs.readFile((await download.path())!)) as never);
    const sheet = book.worksheets[0];
    const activities = (await gql(admin, '{ processingActivities(first: 500, filter: { role: CONTROLLER, status: ACTIVE }) { edges { node { code } } } }')).data.processingActivities.edges.map((e: any) => e.node.code);
    const codes = sheet.getColumn(1).values.slice(2).map(String);
    assert.ok(activities.length > 0);
    assert.deepEqual([...codes].sort(), [...activities].sort(), 'one row per active controller activity');
    assert.ok(book.worksheets.length >= 2, 'with its gaps sheet');

    // A mutation forged from the auditor's page, with its token, is refused and changes nothing.
    const forged = await page.evaluate(async (id) => {
      const token = (globalThis as any).sessionStorage.getItem('kiroku.devSession');
      const post = async (query: string) => (await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) })).json();
      return [
        await post(`mutation { revealRequestContact(input: { requestId: "${id}" }) { contact } }`),
        await post(`mutation { transitionDataSubjectRequest(input: { id: "${id}", to: WITHDRAWN }) { request { status } } }`),
        await post('mutation { recordAudit(input: { processorCode: "x", auditedAt: "2026-01-01", method: REMOTE, result: FAILED }) { riskScore } }'),
      ];
    }, requestId);
    assert.deepEqual(forged.map((f: any) => f.errors?.[0]?.extensions?.code), ['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    assert.ok(forged.every((f: any) => !JSON.stringify(f).includes('secret-contact')));
    assert.equal((await gql(admin, 'query($id: ID!) { dataSubjectRequest(id: $id) { status } }', { id: requestId })).data.dataSubjectRequest.status, 'RECEIVED');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
