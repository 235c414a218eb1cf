import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { type Browser, type Page } from 'playwright-core';
import { seriousViolations } from './axe.js';
import { type ServerProcess } from './server-process.js';
import { devToken, newContext, shots, startWebSuite } from './web-suite.js';

/**
 * The Sankey view of /map and the completeness of the register (list dot, missing-items panel) in
 * Debian's chromium against the real server on the demo seed: what is drawn is what GraphQL answers
 * for the same filter, a band opens the register on the activities behind it, axe finds nothing
 * serious in ja or en. Screenshots go to test-output/web-ui/.
 */
const SANKEY_KINDS = ['DATA_CATEGORY', 'ACTIVITY', 'LEGAL_BASIS', 'PROCESSOR', 'RECIPIENT', 'COUNTRY'];
let server: ServerProcess;
let browser: Browser;
let token: string;

async function gql(query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as any;
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

async function axe(page: Page, name: string) {
  assert.deepEqual(await seriousViolations(page, name), []);
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

const ids = (page: Page, testId: string) => page.getByTestId(testId).evaluateAll((els) => els.map((e) => e.getAttribute('data-node-id') ?? '').sort());

before(async () => {
  ({ server, browser } = await startWebSuite());
  token = await devToken(server, 'PRIVACY_ADMIN');
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the Sankey draws dataFlowGraph\'s nodes of its kinds, a band opens the register on its activities, completeness shows what the server says', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(`${server.url}/`);
    await page.getByTestId('sign-in-PRIVACY_ADMIN').click();
    await page.getByTestId('current-role').waitFor();

    const g = (await gql('{ dataFlowGraph(include: [DATA_CATEGORY, LEGAL_BASIS]) { nodes { id kind flags } } }')).dataFlowGraph;
    const want = g.nodes.filter((n: any) => SANKEY_KINDS.includes(n.kind)).map((n: any) => n.id).sort();
    for (const kind of SANKEY_KINDS) assert.ok(want.some((id: string) => id.startsWith(`${kind}:`)), `the demo seed has a ${kind}`);
    assert.ok(g.nodes.some((n: any) => n.kind === 'DATA_CATEGORY' && n.flags.includes('SPECIAL_CARE')), 'a special-care category to highlight');

    // Completeness: the activity of the demo seed that lacks the most.
    const list = (await gql('{ processingActivities(first: 50) { edges { node { id code completeness { score missing { code framework } } } } } }')).processingActivities.edges.map((e: any) => e.node);
    const weakest = list.reduce((a: any, b: any) => (b.completeness.score < a.completeness.score ? b : a));
    assert.ok(weakest.completeness.missing.length > 0, 'an activity with missing items');

    for (const lang of ['ja', 'en'] as const) {
      if (lang === 'en') await page.getByTestId('language-switch').getByText('English').click();
      await page.goto(`${server.url}/map?view=sankey`);
      await page.getByTestId('sankey-node').first().waitFor();
      assert.deepEqual(await ids(page, 'sankey-node'), want, `${lang}: the Sankey's nodes are dataFlowGraph's of its kinds`);
      await axe(page, `${lang}-map-sankey`);

      await page.goto(`${server.url}/activities/${weakest.id}`);
      await page.getByTestId('missing-item').first().waitFor();
      const shown = await page.getByTestId('missing-item').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-framework')}:${e.getAttribute('data-code')}`));
      assert.deepEqual(shown, weakest.completeness.missing.map((m: any) => `${m.framework}:${m.code}`), `${lang}: the panel lists what the server says is missing`);
      assert.equal(await page.getByTestId('missing-panel').getByTestId('completeness-dot').getAttribute('data-score'), String(weakest.completeness.score));
      await axe(page, `${lang}-activity-missing`);
    }

    // The register's dot, for the rows on screen.
    await page.goto(`${server.url}/activities?q=${encodeURIComponent(weakest.code)}`);
    const dot = page.locator(`[data-row-key="${weakest.id}"] [data-testid="completeness-dot"]`);
    await dot.waitFor();
    assert.equal(await dot.getAttribute('data-score'), String(weakest.completeness.score));
    await axe(page, 'en-activities-completeness');

    // The table twin lists the Sankey's nodes.
    await page.goto(`${server.url}/map?view=sankey`);
    await page.getByTestId('sankey-node').first().waitFor();
    await page.getByTestId('map-view').getByText('Table').click();
    await page.getByTestId('map-row').first().waitFor();
    await page.waitForURL(/twin=sankey/);
    assert.equal(await page.getByTestId('map-row').count(), want.length, 'table twin');

    // Keyboard: a band takes the focus, Enter opens the register filtered to the band's activities.
    await page.getByTestId('map-view').getByText('Sankey').click();
    await page.getByTestId('sankey-node').first().waitFor();
    const band = page.locator('[data-testid="sankey-band"][data-source^="LEGAL_BASIS:"][data-target^="PROCESSOR:"]').first();
    const value = Number(await band.getAttribute('data-value'));
    await band.focus();
    assert.equal(await page.evaluate(() => (globalThis as any).document.activeElement?.getAttribute('data-testid')), 'sankey-band');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/activities\?/);
    const params = new URL(page.url()).searchParams;
    assert.ok(params.get('basis') && params.get('processor'), page.url());
    const filter = { legalBasisIds: [params.get('basis')], processorIds: [params.get('processor')] };
    const total = (await gql('query($f: ProcessingActivityFilter) { processingActivities(filter: $f) { totalCount } }', { f: filter })).processingActivities.totalCount;
    assert.ok(total >= value && total > 0, `${total} activities for a band of ${value}`);
    const totalText = page.locator('.ant-pagination-total-text');
    await totalText.waitFor();
    assert.match(await totalText.innerText(), new RegExp(`\\(${total} `), 'the register counts what GraphQL counts for the filter');
    await page.screenshot({ path: path.join(shots, 'en-activities-from-sankey.png'), fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
