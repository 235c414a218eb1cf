import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { seriousViolations } from './axe.js';
import { type ServerProcess } from './server-process.js';
import { devToken as tokenFor, newContext, shots, startWebSuite } from './web-suite.js';

/**
 * The web UI in a real browser (Debian's chromium) against the real server process on the demo
 * seed, signed in through the dev sign-in page. Screenshots go to test-output/web-ui/ (gitignored).
 */
let server: ServerProcess;
let browser: Browser;
const timings: string[] = [];

const devToken = (role: string) => tokenFor(server, role);

async function gql(token: string, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  return res.json();
}

async function signIn(role: string, options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext(browser, options);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}/`);
  await page.getByTestId(`sign-in-${role}`).click();
  await page.getByTestId('current-role').waitFor();
  assert.deepEqual(errors, []);
  return { context, page };
}

/** No serious or critical axe violation on what the page shows now. */
async function axe(page: Page, name: string): Promise<void> {
  assert.deepEqual(await seriousViolations(page, name), []);
}

before(async () => {
  ({ server, browser } = await startWebSuite());
});
after(async () => {
  await browser?.close();
  await server?.stop();
  if (timings.length) process.stdout.write(`# web UI timings (not asserted)\n${timings.map((t) => `#   ${t}`).join('\n')}\n`);
});

test('PRIVACY_ADMIN walks every built page in Japanese and English: screenshots, shell and URL state; axe clean in Japanese, and on the English shell and letter', async () => {
  const admin = await devToken('PRIVACY_ADMIN');
  const datasetId = (await gql(admin, '{ datasets(first: 1) { edges { node { id } } } }')).data.datasets.edges[0].node.id;
  const requestId = (await gql(admin, 'mutation($input: CreateDataSubjectRequestInput!) { createDataSubjectRequest(input: $input) { request { id } } }', {
    input: { framework: 'APPI', type: 'DISCLOSE', channel: 'WEB', requester: { kind: 'SELF' }, responseMethod: 'ELECTRONIC', identities: [{ type: 'EMAIL', value: 'walk@example.com' }] },
  })).data.createDataSubjectRequest.request.id;
  const processorId = (await gql(admin, '{ processorAudits(first: 1) { edges { node { processor { id } } } } }')).data.processorAudits.edges[0].node.processor.id;
  const { context, page } = await signIn('PRIVACY_ADMIN');
  try {
    // First load of the dashboard, from navigation to its tiles (the app is cached after sign-in: reload without it).
    const started = Date.now();
    await page.goto(`${server.url}/`);
    await page.getByTestId('tile-activities').waitFor();
    timings.push(`dashboard first load ${Date.now() - started} ms`);
    assert.match(await page.getByTestId('current-user').innerText(), /dev-privacy_admin/);

    // Pages without a menu entry are reached by URL. `load` ones are loaded from the server (a deep
    // link); the others change the route inside the app, as its links do: a full load costs a second
    // of the browser's CPU, and three of them cover the shapes (an id, an id with a tab, a new form).
    const pages: Array<{ name: string; nav?: string; url: string; ready: string; load?: true }> = [
      { name: 'dashboard', nav: 'nav-dashboard', url: '/', ready: 'tile-activities' },
      { name: 'activities', nav: 'nav-activities', url: '/activities', ready: 'activity-link' },
      { name: 'activity', url: '/activities/1', ready: 'activity-summary', load: true },
      { name: 'activity-history', url: '/activities/1?tab=history', ready: 'history' },
      { name: 'taxonomy', nav: 'nav-taxonomy', url: '/taxonomy', ready: 'category-tree' },
      { name: 'systems', nav: 'nav-systems', url: '/systems', ready: 'systems-table' },
      { name: 'dataset', url: `/datasets/${datasetId}`, ready: 'fields-table' },
      { name: 'lookup', nav: 'nav-lookup', url: '/lookup', ready: 'lookup-submit' },
      { name: 'requests', nav: 'nav-requests', url: '/requests', ready: 'request-link' },
      { name: 'request-new', url: '/requests/new', ready: 'intake-next', load: true },
      { name: 'request', url: `/requests/${requestId}`, ready: 'actions-table' },
      { name: 'request-datasets', url: `/requests/${requestId}?tab=datasets`, ready: 'datasets-table' },
      { name: 'request-reply', url: `/requests/${requestId}?tab=reply`, ready: 'reply-preview', load: true },
      { name: 'request-timeline', url: `/requests/${requestId}?tab=timeline`, ready: 'request-timeline' },
      { name: 'processors', nav: 'nav-processors', url: '/processors', ready: 'processor-link' },
      { name: 'processor', url: `/processors/${processorId}`, ready: 'findings-table' },
      { name: 'processor-contract', url: `/processors/${processorId}?tab=contract`, ready: 'contract' },
      { name: 'processor-audits', url: `/processors/${processorId}?tab=audits`, ready: 'audit-history' },
      { name: 'exports', nav: 'nav-exports', url: '/exports', ready: 'ropa-preview' },
      { name: 'audit-log', nav: 'nav-auditLog', url: '/audit-log', ready: 'audit-table' },
      { name: 'api', nav: 'nav-api', url: '/api', ready: 'graphiql' },
      { name: 'placeholder', nav: 'nav-settings', url: '/settings', ready: 'page-placeholder' },
    ];
    // Every URL the app routes is answered with the app's page by the server (its index.html fallback).
    const appPage = await (await fetch(`${server.url}/`, { headers: { accept: 'text/html' } })).text();
    assert.match(appPage, /<div id="root"><\/div>/);
    for (const p of pages) {
      const res = await fetch(`${server.url}${p.url}`, { headers: { accept: 'text/html' } });
      assert.equal(res.status, 200, p.url);
      assert.equal(await res.text(), appPage, `${p.url} is answered with the app`);
    }
    for (const lang of ['ja', 'en'] as const) {
      if (lang === 'en') {
        const before = page.url();
        await page.getByTestId('language-switch').getByText('English').click();
        assert.equal(page.url(), before, 'the language switch changes no URL');
        assert.equal(await page.evaluate(() => (globalThis as any).document.documentElement.lang), 'en');
      }
      for (const p of pages) {
        if (p.nav) {
          // A page transition inside the app (client-side routing), timed.
          const t0 = Date.now();
          await page.getByTestId(p.nav).click();
          await page.getByTestId(p.ready).first().waitFor();
          timings.push(`${lang} → ${p.name} ${Date.now() - t0} ms`);
          assert.equal(new URL(page.url()).pathname, p.url);
        } else if (lang === 'ja' && p.load) {
          // A deep link: the server's index.html fallback, then the app starting on that route.
          await page.goto(`${server.url}${p.url}`);
          await page.getByTestId(p.ready).first().waitFor();
          await page.waitForLoadState('networkidle');
        } else {
          // The route changes inside the app, as its links do.
          await page.evaluate((url) => {
            const w = globalThis as any;
            w.history.pushState(null, '', url);
            w.dispatchEvent(new w.PopStateEvent('popstate'));
          }, p.url);
          await page.getByTestId(p.ready).first().waitFor();
          assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, p.url);
        }
        // Every page is checked in Japanese. In English the structure is the same, the texts come from
        // the message files (web-i18n): axe checks the English shell and the English reply letter.
        // Screenshots likewise: every page in Japanese, the English shell and letter.
        if (lang === 'ja' || p.name === 'dashboard' || p.name === 'request-reply') {
          await axe(page, `${lang} ${p.name}`);
          await page.screenshot({ path: path.join(shots, `${lang}-${p.name}.png`), fullPage: true });
        }
      }
      const text = await page.locator('nav').innerText();
      assert.match(text, lang === 'ja' ? /処理活動\(台帳\)/ : /Processing activities/);
    }
    // The language is kept in this browser, Japanese being the default.
    await page.reload();
    await page.getByTestId('current-role').waitFor();
    assert.equal(await page.getByTestId('current-role').innerText(), 'Privacy admin');

    // Filters and sort live in the URL, so the same link shows the same list.
    await page.goto(`${server.url}/activities?q=pa-01`);
    await page.getByTestId('activity-link').first().waitFor();
    assert.equal(await page.getByTestId('activity-link').count(), 1);
    // The CSV holds the visible columns only.
    await page.goto(`${server.url}/activities?cols=code,status`);
    await page.getByTestId('activity-link').first().waitFor({ state: 'detached' }).catch(() => {});
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const csv = await fs.readFile((await download.path())!, 'utf8');
    const [header, first] = csv.replace(/^\ufeff/, '').split('\r\n');
    assert.equal(header, 'Code,Status');
    assert.match(first, /^pa-[\w-]+,(Active|Draft|Retired)$/);
    // The walk's request is closed again: the dashboard test counts open requests from none.
    const withdrawn = await gql(admin, 'mutation($id: ID!) { transitionDataSubjectRequest(input: { id: $id, to: WITHDRAWN }) { request { status } } }', { id: requestId });
    assert.equal(withdrawn.data.transitionDataSubjectRequest.request.status, 'WITHDRAWN');
  } finally {
    await context.close();
  }
});

test('editing an activity sends its version; a concurrent change offers reload-and-compare', async () => {
  const admin = await devToken('PRIVACY_ADMIN');
  const { context, page } = await signIn('PRIVACY_ADMIN');
  try {
    await page.goto(`${server.url}/activities/2`);
    await page.getByTestId('activity-summary').waitFor();
    const v0 = Number(await page.getByTestId('activity-version').innerText());
    await page.getByTestId('edit-activity').click();
    await page.getByTestId('field-owner').fill('UI owner');
    await page.getByTestId('save-activity').click();
    await page.getByTestId('activity-owner').getByText('UI owner').waitFor();
    assert.equal(Number(await page.getByTestId('activity-version').innerText()), v0 + 1);

    // Someone else saves while the drawer is open.
    await page.getByTestId('edit-activity').click();
    await page.getByTestId('field-owner').fill('Mine');
    const other = await gql(admin, 'mutation($v: Int!) { updateProcessingActivity(input: { id: "2", version: $v, owner: "Theirs" }) { processingActivity { version } } }', { v: v0 + 1 });
    assert.equal(other.data.updateProcessingActivity.processingActivity.version, v0 + 2);
    await page.getByTestId('save-activity').click();
    const dialog = page.getByTestId('conflict-dialog');
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /Mine[\s\S]*Theirs/, 'mine and the latest side by side');
    await page.screenshot({ path: path.join(shots, 'ja-activity-conflict.png') });
    await page.getByTestId('conflict-reload').click();
    await page.getByTestId('activity-owner').getByText('Theirs').waitFor();
    const stored = await gql(admin, '{ processingActivity(id: "2") { owner version } }');
    assert.deepEqual(stored.data.processingActivity, { owner: 'Theirs', version: v0 + 2 }, 'reloading discarded mine');
    // The history shows the change side by side.
    await page.goto(`${server.url}/activities/2?tab=history`);
    await page.getByTestId('change-diff').first().waitFor();
    assert.match(await page.getByTestId('history').innerText(), /UI owner[\s\S]*Theirs|Theirs[\s\S]*UI owner/);
  } finally {
    await context.close();
  }
});

test('AUDITOR sees no mutation control, and a mutation forged from its page is refused', async () => {
  const { context, page } = await signIn('AUDITOR');
  try {
    for (const url of ['/activities/1', '/activities', '/taxonomy', '/systems']) {
      await page.goto(`${server.url}${url}`);
      await page.locator('[data-testid^="page-"]').first().waitFor();
      await page.waitForLoadState('networkidle');
      assert.equal(await page.getByTestId('edit-activity').count(), 0, `${url}: no edit button`);
      assert.equal(await page.getByRole('button', { name: /編集|保存|Edit|Save/ }).count(), 0, `${url}: no mutation control`);
    }
    await page.goto(`${server.url}/activities/1`);
    await page.getByTestId('activity-summary').waitFor();
    await axe(page, 'auditor activity');
    await page.screenshot({ path: path.join(shots, 'ja-auditor-activity.png') });
    const forged = await page.evaluate(async () => {
      const token = (globalThis as any).sessionStorage.getItem('kiroku.devSession');
      const res = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: 'mutation { updateProcessingActivity(input: { id: "1", version: 1, owner: "forged" }) { processingActivity { id } } }' }),
      });
      return { status: res.status, body: (await res.json()) as any };
    });
    assert.equal(forged.body.errors[0].extensions.code, 'FORBIDDEN');
    const admin = await devToken('PRIVACY_ADMIN');
    assert.notEqual((await gql(admin, '{ processingActivity(id: "1") { owner } }')).data.processingActivity.owner, 'forged');
  } finally {
    await context.close();
  }
});

test('PRIVACY_ANALYST looks up a subject: the value never enters the URL or the history', async () => {
  const { context, page } = await signIn('PRIVACY_ANALYST');
  try {
    await page.getByTestId('nav-lookup').click();
    await page.getByTestId('lookup-value').fill('someone@example.com');
    await page.getByTestId('lookup-submit').click();
    await page.getByTestId('lookup-result').waitFor();
    assert.doesNotMatch(page.url(), /someone|example\.com/);
    const history = await page.evaluate(() => JSON.stringify((globalThis as any).history.state));
    assert.doesNotMatch(history, /someone/);
    assert.equal(await page.getByTestId('lookup-value').inputValue(), '', 'the field is cleared after the lookup');
    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in').waitFor();
    assert.equal(await page.evaluate(() => (globalThis as any).sessionStorage.getItem('kiroku.devSession')), null, 'signing out forgets the token');
  } finally {
    await context.close();
  }
});

test('the dashboard counts open requests and splits them on track / due soon / overdue as the API does', async () => {
  const admin = await devToken('PRIVACY_ADMIN');
  const create = (receivedAt: string) => gql(admin, 'mutation($input: CreateDataSubjectRequestInput!) { createDataSubjectRequest(input: $input) { request { id } } }', {
    input: { framework: 'APPI', type: 'DISCLOSE', channel: 'WEB', receivedAt, requester: { kind: 'SELF' }, responseMethod: 'ELECTRONIC', identities: [{ type: 'EMAIL', value: 'person@example.com' }] },
  });
  for (const daysAgo of [0, 60]) {
    const made = await create(new Date(Date.now() - daysAgo * 86_400_000).toISOString());
    assert.equal(made.errors, undefined, JSON.stringify(made.errors));
  }
  const overdue = (await gql(admin, '{ dataSubjectRequests(filter: { overdue: true }) { totalCount } }')).data.dataSubjectRequests.totalCount;
  const { context, page } = await signIn('PRIVACY_ADMIN');
  try {
    await page.getByTestId('sla-overdue').waitFor();
    assert.match(await page.getByTestId('tile-open-requests').innerText(), /\b2\b/);
    assert.match(await page.getByTestId('sla-overdue').innerText(), new RegExp(`\\b${overdue}$`));
    const counts = await Promise.all(['onTrack', 'dueSoon', 'overdue'].map(async (k) => Number(/(\d+)$/.exec(await page.getByTestId(`sla-${k}`).innerText())![1])));
    assert.equal(counts.reduce((a, b) => a + b, 0), 2, 'every open request in one band');
  } finally {
    await context.close();
  }
});

test('the API page is GraphiQL from the bundle: it runs an operation with the signed-in token and loads nothing from elsewhere', async () => {
  const { context, page } = await signIn('AUDITOR');
  const foreign: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(server.url) && !/^(data|blob):/.test(r.url())) foreign.push(r.url());
  });
  try {
    await page.getByTestId('nav-api').click();
    await page.locator('.graphiql-container').waitFor();
    // The editor holds the default operation once Monaco has started.
    await page.locator('.graphiql-query-editor').getByText('whoami').first().waitFor();
    await page.locator('.graphiql-execute-button').click();
    await page.locator('.result-window').getByText('dev-auditor').waitFor({ timeout: 15_000 }).catch(async (e) => {
      await page.screenshot({ path: path.join(shots, 'api-failure.png') });
      throw e;
    });
    assert.match(await page.locator('.result-window').innerText(), /"AUDITOR"/);
    assert.deepEqual(foreign, [], 'no CDN');
  } finally {
    await context.close();
  }
});

test('a system asking for reduced motion gets drawers without animation; without it they animate', async () => {
  const classesWhileOpening = async (reducedMotion: 'reduce' | 'no-preference') => {
    const { context, page } = await signIn('PRIVACY_ADMIN', { reducedMotion });
    try {
      await page.goto(`${server.url}/activities/1`);
      await page.getByTestId('activity-summary').waitFor();
      // Every class an element takes while the edit drawer opens: the motion classes of an animation.
      await page.evaluate(() => {
        const w = globalThis as any;
        w.__seen = new Set<string>();
        new w.MutationObserver((records: any[]) => {
          for (const r of records) for (const c of (r.target.className?.baseVal ?? r.target.className ?? '').split(/\s+/)) if (c) w.__seen.add(c);
        }).observe(w.document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['class'] });
      });
      await page.getByTestId('edit-activity').click();
      await page.getByTestId('field-owner').waitFor();
      await page.waitForTimeout(400);
      return (await page.evaluate(() => [...(globalThis as any).__seen] as string[])).filter((c) => /motion/.test(c));
    } finally {
      await context.close();
    }
  };
  assert.deepEqual(await classesWhileOpening('reduce'), []);
  assert.ok((await classesWhileOpening('no-preference')).length > 0, 'the drawer animates by default');
});
