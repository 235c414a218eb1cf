import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { type Browser } from 'playwright-core';
import { seriousViolations } from './axe.js';
import { type ServerProcess } from './server-process.js';
import { devToken, newContext, shots, startWebSuite } from './web-suite.js';

/**
 * The データフロー page (/map) in Debian's chromium against the real server on the demo seed: the
 * drawn graph and its table twin show what dataFlowGraph answers for the same filter, nodes are
 * reached by keyboard, axe finds nothing serious. Screenshots go to test-output/web-ui/.
 */
let server: ServerProcess;
let browser: Browser;

async function graph(filter: Record<string, unknown> = {}, maxFanOut = 50): Promise<{ nodes: Array<{ id: string }>; truncations: Array<{ source: string | null }> }> {
  const token = await devToken(server, 'PRIVACY_ADMIN');
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: 'query($f: ProcessingActivityFilter, $n: Int!) { dataFlowGraph(filter: $f, maxFanOut: $n) { nodes { id } truncations { source } } }', variables: { f: filter, n: maxFanOut } }),
  });
  return ((await res.json()) as any).data.dataFlowGraph;
}
const graphNodes = async (filter: Record<string, unknown> = {}) => (await graph(filter)).nodes.map((n) => n.id).sort();

before(async () => {
  ({ server, browser } = await startWebSuite());
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the data map draws what dataFlowGraph answers, its table twin lists the same nodes, nodes take the keyboard', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(`${server.url}/`);
    await page.getByTestId('sign-in-PRIVACY_ADMIN').click();
    await page.getByTestId('current-role').waitFor();
    const all = await graphNodes();
    assert.ok(all.length > 20, `${all.length} nodes`);
    for (const lang of ['ja', 'en'] as const) {
      if (lang === 'en') await page.getByTestId('language-switch').getByText('English').click();
      await page.getByTestId('nav-map').click();
      await page.getByTestId('map-node').first().waitFor();
      await page.waitForLoadState('networkidle');
      const drawn = (await page.getByTestId('map-node').evaluateAll((els) => els.map((e) => e.getAttribute('data-node-id') ?? ''))).sort();
      assert.deepEqual(drawn, all, `${lang}: the drawn nodes are dataFlowGraph's`);
      assert.deepEqual(await seriousViolations(page, lang), []);
      await page.screenshot({ path: path.join(shots, `${lang}-map.png`), fullPage: true });
    }

    // Keyboard: Tab goes from node to node, Enter opens the node's drawer.
    const first = page.getByTestId('map-node').first();
    await first.focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => (globalThis as any).document.activeElement?.getAttribute('data-testid')), 'map-node');
    const focused = await page.evaluate(() => (globalThis as any).document.activeElement?.getAttribute('data-node-id'));
    await page.keyboard.press('Enter');
    const drawer = page.locator('.ant-drawer-open');
    await drawer.waitFor();
    const label = await page.locator(`[data-node-id="${focused}"]`).getAttribute('aria-label');
    assert.ok(label && label.includes((await drawer.locator('.ant-drawer-title').innerText()).slice(0, 10)), `${label} in the drawer`);
    await page.screenshot({ path: path.join(shots, 'en-map-drawer.png') });
    await page.keyboard.press('Escape');

    // The same filter state drives the graph and its table twin (and the URL carries it).
    const filtered = await graphNodes({ search: '採用' });
    assert.ok(filtered.length > 0 && filtered.length < all.length && filtered.length <= 100, `${filtered.length} nodes`);
    await page.goto(`${server.url}/map?q=${encodeURIComponent('採用')}`);
    await page.getByTestId('map-node').first().waitFor();
    assert.equal(await page.getByTestId('map-node').count(), filtered.length, 'graph');
    await page.getByTestId('map-view').getByText('Table').click();
    await page.getByTestId('map-row').first().waitFor();
    assert.equal(await page.getByTestId('map-row').count(), filtered.length, 'table twin');
    await page.waitForURL(/q=.*view=table|view=table.*q=/);
    await page.screenshot({ path: path.join(shots, 'en-map-table.png'), fullPage: true });

    // A cut fan-out is drawn as a "+N" node and listed as "N of M shown".
    const cut = await graph({}, 2);
    const cutsDrawn = cut.truncations.filter((c) => c.source !== null).length;
    assert.ok(cutsDrawn > 0);
    await page.goto(`${server.url}/map?fan=2`);
    await page.getByTestId('map-node').first().waitFor();
    assert.equal(await page.getByTestId('map-node').count(), cut.nodes.length);
    assert.equal(await page.getByTestId('map-more').count(), cutsDrawn);
    assert.match(await page.getByTestId('map-truncations').innerText(), /of \d+/);
    await page.screenshot({ path: path.join(shots, 'en-map-cut.png'), fullPage: true });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('map-png').click()]);
    const png = await fs.readFile((await download.path())!);
    assert.equal(png.subarray(1, 4).toString(), 'PNG', 'the download is a PNG');
    assert.ok(png.length > 10_000, `${png.length} bytes`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
