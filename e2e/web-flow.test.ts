import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { seriousViolations } from './axe.js';
import { devToken, newContext } from './web-suite.js';
import { repoRoot, startServerProcess, type ServerProcess } from './server-process.js';

/**
 * A request's resolution flow, 共同利用 and 第三者提供 in Debian's chromium against the real server
 * on the demo seed: the drawn nodes are the resolution's records, POSSIBLE links dashed, the
 * NOT_HELD toggle adds what the resolution reaches only through a dataset without the person; the
 * joint-use cards show each Art. 27(5)(iii) item as GraphQL answers it. Screenshots go to
 * test-output/web-ui/.
 */
const CHROMIUM = process.env.KIROKU_CHROMIUM ?? '/usr/bin/chromium';
const shots = path.join(repoRoot, 'test-output/web-ui');
let server: ServerProcess;
let browser: Browser;
let dataDir: string;
let admin: string;

async function gql(query: string, variables: Record<string, unknown> = {}, token = admin): Promise<any> {
  const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as any;
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

before(async () => {
  await fs.access(path.join(repoRoot, 'client/web/dist/index.html')).catch(() => {
    throw new Error('the web UI is not built: npm run build');
  });
  await fs.mkdir(shots, { recursive: true });
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiroku-web-flow-'));
  server = await startServerProcess({ env: { JWT_ISSUER: '', JWT_AUDIENCE: '', JWT_JWKS_FILE: '', KIROKU_DEV_AUTH: 'true', KIROKU_SEED: 'demo', KIROKU_DATA_DIR: dataDir } });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking'] });
  admin = await devToken(server, 'PRIVACY_ADMIN');
});
after(async () => {
  await browser?.close();
  await server?.stop();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

async function signedIn(): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const context = await newContext(browser);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}/`);
  await page.getByTestId('sign-in-PRIVACY_ADMIN').click();
  await page.getByTestId('current-role').waitFor();
  return { page, errors, close: () => context.close() };
}

async function axe(page: Page, what: string) {
  assert.deepEqual(await seriousViolations(page, what), []);
}

const RESOLUTION = `query R($id: ID!) { dataSubjectRequest(id: $id) { resolution { frozen
  activities { activity { id } } excludedActivities { activity { id } routeTo { en } }
  datasets { dataset { id key } match dataCategories { id } }
  processors { processor { id } } jointUsers { arrangement { id } }
  thirdPartyRecipients { id } withheldRecipients { recipient { id } } foreignLocations { country }
  actions { action targetKind targetId }
  links { source target kind match } } } }`;

/** The nodes reached from the person over the links given: what the page draws. */
function reached(links: Array<{ source: string; target: string }>): string[] {
  const seen = new Set(['Person']);
  for (let grew = true; grew;) {
    grew = false;
    for (const l of links) if (seen.has(l.source) && !seen.has(l.target)) { seen.add(l.target); grew = true; }
  }
  return [...seen].sort();
}

test('the resolution flow draws the resolution: its records as nodes, POSSIBLE dashed, NOT_HELD on the toggle, chips, table twin, keyboard, frozen watermark', async () => {
  // A system of the test's own, serving an activity the organization controls with processors:
  // one dataset holds the person, the other (indexed) does not.
  const acts = (await gql('{ processingActivities(first: 100) { edges { node { id code role subjectCategories { code } processors { id } } } } }')).processingActivities.edges.map((e: any) => e.node);
  const activity = acts.find((a: any) => a.role === 'CONTROLLER' && a.processors.length > 0 && a.subjectCategories.length > 0);
  assert.ok(activity, 'the demo seed has a controller activity with processors');
  await gql('mutation { createSystem(input: { key: "flow-e2e", name: "Flow e2e" }) { system { id } } }');
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(repoRoot, 'server/dist/bin/token-cli.js'), '--role', 'INTEGRATION', '--system', 'flow-e2e'], { env: { ...process.env, KIROKU_DATA_DIR: dataDir } });
  const system = stdout.trim();
  const field = '[{ path: "email", identityType: EMAIL, dataCategoryCodes: ["contact.email"] }]';
  await gql(`mutation($a: String!) { registerDatasets(input: { systemKey: "flow-e2e", datasets: [
      { key: "flow-members", name: "Members", activityCodes: [$a], fields: ${field} },
      { key: "flow-leads", name: "Leads", activityCodes: [$a], fields: [{ path: "phone", identityType: PHONE, dataCategoryCodes: ["contact.phone"] }, { path: "email", identityType: EMAIL }] }
    ] }) { results { key } } }`, { a: activity.code }, system);
  for (const [dataset, value] of [['flow-members', 'flow-e2e@example.com'], ['flow-leads', 'other-e2e@example.com']]) {
    await gql(`mutation($v: [String!]!) { reportSubjects(input: { systemKey: "flow-e2e", datasetKey: "${dataset}", identityType: EMAIL, values: $v, op: ADD }) { added } }`, { v: [value] }, system);
  }
  // A claimed category the organization holds as a processor brings activities to route elsewhere.
  const entrusted = (await gql('{ subjectCategories { code role } }')).subjectCategories.filter((c: any) => c.role === 'PROCESSOR').map((c: any) => c.code);
  const create = 'mutation($input: CreateDataSubjectRequestInput!) { createDataSubjectRequest(input: $input) { request { id } } }';
  const input = { framework: 'APPI', type: 'DISCLOSE', channel: 'WEB', requester: { kind: 'SELF' }, responseMethod: 'ELECTRONIC', identities: [{ type: 'EMAIL', value: 'flow-e2e@example.com' }], subjectCategoryCodes: [activity.subjectCategories[0].code, ...entrusted] };
  const id = (await gql(create, { input })).createDataSubjectRequest.request.id;
  const res = (await gql(RESOLUTION, { id })).dataSubjectRequest.resolution;
  const match = Object.fromEntries(res.datasets.map((d: any) => [d.dataset.key, d.match]));
  assert.equal(match['flow-members'], 'HELD');
  assert.equal(match['flow-leads'], 'NOT_HELD');
  const listed = new Set<string>([
    'Person',
    ...[...res.activities, ...res.excludedActivities].map((a: any) => `ProcessingActivity:${a.activity.id}`),
    ...res.datasets.flatMap((d: any) => [`Dataset:${d.dataset.id}`, ...d.dataCategories.map((c: any) => `DataCategory:${c.id}`)]),
    ...res.processors.map((p: any) => `Processor:${p.processor.id}`),
    ...res.jointUsers.map((j: any) => `JointUseArrangement:${j.arrangement.id}`),
    ...[...res.thirdPartyRecipients, ...res.withheldRecipients.map((w: any) => w.recipient)].map((r: any) => `ThirdPartyRecipient:${r.id}`),
    ...res.foreignLocations.map((f: any) => `Country:${f.country}`),
  ]);
  const shown = reached(res.links.filter((l: any) => l.match !== 'NOT_HELD'));
  const all = reached(res.links);
  assert.deepEqual(all, [...listed].sort(), 'every record of the resolution is reached from the person');
  assert.ok(shown.length < all.length, 'the NOT_HELD dataset hides something');
  const possible = res.links.filter((l: any) => l.match === 'POSSIBLE' && shown.includes(l.source)).length;
  assert.ok(possible > 0, 'the claimed category brings POSSIBLE links');

  const { page, errors, close } = await signedIn();
  try {
    const drawn = async () => (await page.getByTestId('flow-node').evaluateAll((els) => els.map((e) => e.getAttribute('data-node-id') ?? ''))).sort();
    for (const lang of ['ja', 'en'] as const) {
      if (lang === 'en') await page.getByTestId('language-switch').getByText('English').click();
      await page.goto(`${server.url}/requests/${id}?tab=flow`);
      await page.getByTestId('flow-node').first().waitFor();
      assert.deepEqual(await drawn(), shown, `${lang}: the drawn nodes are the resolution's, NOT_HELD hidden`);
      await axe(page, `${lang} request flow`);
      await page.screenshot({ path: path.join(shots, `${lang}-request-flow.png`), fullPage: true });
    }
    // Dashed exactly where the resolution is not sure, solid where it holds the person.
    const edges = await page.getByTestId('flow-edge').evaluateAll((els) => els.map((e) => ({ match: e.getAttribute('data-match'), dash: e.getAttribute('stroke-dasharray') })));
    assert.equal(edges.filter((e) => e.match === 'POSSIBLE').length, possible);
    for (const e of edges) assert.equal(!!e.dash, e.match !== 'HELD', JSON.stringify(e));
    // The held dataset carries its action chip; the held dataset's DISCLOSE comes from the work list.
    const members = res.datasets.find((d: any) => d.dataset.key === 'flow-members').dataset.id;
    assert.ok(res.actions.some((a: any) => a.targetKind === 'Dataset' && a.targetId === members && a.action === 'DISCLOSE'));
    assert.equal(await page.locator(`[data-node-id="Dataset:${members}"] [data-testid="flow-chip"][data-action="DISCLOSE"]`).count(), 1);
    // Excluded activities are drawn greyed, saying where the request goes instead.
    assert.ok(res.excludedActivities.length > 0, 'the entrusted category excludes activities');
    for (const x of res.excludedActivities) {
      const n = page.locator(`[data-node-id="ProcessingActivity:${x.activity.id}"]`);
      assert.equal(await n.getAttribute('data-excluded'), 'true');
      assert.ok((await n.getAttribute('aria-label'))?.includes(x.routeTo.en.slice(0, 40)), 'the controller to route to');
    }
    // Keyboard: Tab moves from node to node.
    await page.getByTestId('flow-node').first().focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => (globalThis as any).document.activeElement?.getAttribute('data-testid')), 'flow-node');
    // The toggle shows what only the NOT_HELD dataset reaches, as the resolution says.
    await page.getByTestId('flow-not-held').click();
    await page.locator(`[data-node-id="Dataset:${res.datasets.find((d: any) => d.dataset.key === 'flow-leads').dataset.id}"]`).waitFor();
    assert.deepEqual(await drawn(), all);
    await page.waitForURL(/notHeld=1/);
    // The table twin lists the same nodes under the same toggle.
    await page.getByTestId('flow-view').getByText('Table').click();
    await page.getByTestId('flow-row').first().waitFor();
    assert.deepEqual((await page.getByTestId('flow-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-node-id') ?? ''))).sort(), all);
    await page.screenshot({ path: path.join(shots, 'en-request-flow-table.png'), fullPage: true });

    // Refused, the resolution is evidence: the picture says when it was frozen.
    const grounds = (await gql('{ organization { requestProcedure { refusalGrounds { code appliesTo } } } }')).organization.requestProcedure.refusalGrounds;
    const ground = grounds.find((g: any) => !g.appliesTo?.length || g.appliesTo.includes('DISCLOSE'));
    const refused = (await gql(create, { input })).createDataSubjectRequest.request.id;
    await gql('mutation($input: TransitionDataSubjectRequestInput!) { transitionDataSubjectRequest(input: $input) { request { status } } }', { input: { id: refused, to: 'REFUSED', refusalGround: ground.code, note: 'e2e' } });
    await page.goto(`${server.url}/requests/${refused}?tab=flow`);
    await page.getByTestId('flow-watermark').waitFor();
    assert.match(await page.getByTestId('flow-watermark').textContent() ?? '', /Frozen at \d{4}-\d{2}-\d{2}/);
    await page.screenshot({ path: path.join(shots, 'en-request-flow-frozen.png'), fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('共同利用 shows every Art. 27(5)(iii) item as GraphQL answers it; 第三者提供 lists the recipients and the records of the period', async () => {
  const jointUses = (await gql(`{ jointUseArrangements { id itemsText { ja en } scope { ja en } purposes { text { ja en } }
    responsibleManager { name { ja en } address { ja en } representative { ja en } } notifiedAt } }`)).jointUseArrangements;
  assert.ok(jointUses.length > 0, 'the demo seed has joint uses');
  const recipients = (await gql('{ thirdPartyRecipients { id } }')).thirdPartyRecipients;
  const today = new Date().toISOString().slice(0, 10);
  const yearAgo = new Date(Date.now() - 366 * 86400_000).toISOString().slice(0, 10);
  const { page, errors, close } = await signedIn();
  try {
    for (const lang of ['ja', 'en'] as const) {
      if (lang === 'en') await page.getByTestId('language-switch').getByText('English').click();
      const text = (l: { ja?: string | null; en?: string | null } | null) => (l ? (lang === 'en' ? l.en || l.ja : l.ja || l.en) ?? '' : '');
      await page.getByTestId('nav-jointUse').click();
      await page.getByTestId('joint-use-card').first().waitFor();
      assert.equal(await page.getByTestId('joint-use-card').count(), Math.min(10, jointUses.length));
      for (const j of jointUses.slice(0, 10)) {
        const card = page.locator(`[data-testid="joint-use-card"][data-id="${j.id}"]`);
        const item = async (key: string) => (await card.getByTestId(`ju-${key}`).innerText()).replace(/\s+/g, ' ');
        const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
        assert.ok((await item('items')).includes(squash(text(j.itemsText))), `${lang} ${j.id}: items`);
        assert.ok((await item('scope')).includes(squash(text(j.scope))), `${lang} ${j.id}: scope`);
        for (const p of j.purposes) assert.ok((await item('purposes')).includes(squash(text(p.text))), `${lang} ${j.id}: purpose`);
        for (const k of ['name', 'address', 'representative'] as const) {
          const shown = squash(await card.getByTestId(`ju-manager-${k}`).innerText());
          const want = squash(text(j.responsibleManager[k]));
          if (want) assert.ok(shown.startsWith(want), `${lang} ${j.id}: manager ${k}: ${shown} / ${want}`);
          else assert.equal(await card.getByTestId(`ju-manager-${k}`).locator('[data-missing]').count(), 1, `${lang} ${j.id}: a missing ${k} is said`);
        }
        const notified = await item('notified');
        assert.ok(j.notifiedAt ? notified.includes(j.notifiedAt) : (await card.getByTestId('ju-notified').locator('[data-missing]').count()) === 1);
      }
      await axe(page, `${lang} joint use`);
      await page.screenshot({ path: path.join(shots, `${lang}-joint-use.png`), fullPage: true });

      const period = (await gql('query($f: LocalDate!, $t: LocalDate!) { provisionRecordsOfPeriod(from: $f, to: $t, first: 20) { totalCount edges { node { code } } } }', { f: yearAgo, t: today })).provisionRecordsOfPeriod;
      await page.getByTestId('nav-recipients').click();
      await page.getByTestId('recipients-table').locator('tbody tr[data-id]').first().waitFor();
      assert.equal(await page.getByTestId('recipients-table').locator('tbody tr[data-id]').count(), Math.min(20, recipients.length));
      // Client-side routing: "networkidle" was reached before the click, so it does not wait for the
      // period's records, which come in a query of their own. Wait for the list (or time out, and
      // the assertion below says what it shows).
      await page.waitForFunction(
        (n) => (globalThis as any).document.querySelectorAll('[data-testid="provision-records"] tbody tr[data-code]').length === n,
        period.edges.length, { timeout: 10_000 },
      ).catch(() => {});
      const codes = (await page.getByTestId('provision-records').locator('tbody tr[data-code]').evaluateAll((els) => els.map((e) => e.getAttribute('data-code') ?? ''))).sort();
      assert.deepEqual(codes, period.edges.map((e: any) => e.node.code).sort(), `${lang}: the records of the default period`);
      await axe(page, `${lang} recipients`);
      await page.screenshot({ path: path.join(shots, `${lang}-recipients.png`), fullPage: true });
    }
    // A narrower period asks the server again.
    await page.goto(`${server.url}/recipients?from=${yearAgo}&to=${yearAgo}`);
    await page.getByTestId('provision-records').waitFor();
    await page.waitForLoadState('networkidle');
    const none = (await gql('query($f: LocalDate!) { provisionRecordsOfPeriod(from: $f, to: $f) { totalCount } }', { f: yearAgo })).provisionRecordsOfPeriod.totalCount;
    assert.equal(await page.getByTestId('provision-records').locator('tbody tr[data-code]').count(), none);
    // One recipient's records: the server narrows the period's list to it.
    const withRecords = (await gql('query($f: LocalDate!, $t: LocalDate!) { provisionRecordsOfPeriod(from: $f, to: $t, first: 1) { edges { node { recipient { id } } } } }', { f: yearAgo, t: today })).provisionRecordsOfPeriod.edges[0].node.recipient.id;
    const theirs = (await gql('query($f: LocalDate!, $t: LocalDate!, $r: ID) { provisionRecordsOfPeriod(from: $f, to: $t, recipientId: $r, first: 20) { edges { node { code } } } }', { f: yearAgo, t: today, r: withRecords })).provisionRecordsOfPeriod.edges.map((e: any) => e.node.code).sort();
    await page.goto(`${server.url}/recipients`);
    await page.locator(`[data-testid="recipients-table"] tr[data-id="${withRecords}"] [data-testid="recipient-records"]`).click();
    await page.getByTestId('provision-recipient').waitFor();
    // A click is client-side routing: "networkidle" was reached long before, so wait for the list
    // itself to change (or time out, and the assertion below says what it shows).
    await page.waitForFunction(
      (n) => (globalThis as any).document.querySelectorAll('[data-testid="provision-records"] tbody tr[data-code]').length === n,
      theirs.length, { timeout: 10_000 },
    ).catch(() => {});
    assert.deepEqual((await page.getByTestId('provision-records').locator('tbody tr[data-code]').evaluateAll((els) => els.map((e) => e.getAttribute('data-code') ?? ''))).sort(), theirs);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
