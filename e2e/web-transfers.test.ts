import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { type Browser } from 'playwright-core';
import { seriousViolations } from './axe.js';
import { type ServerProcess } from './server-process.js';
import { devToken, newContext, shots, startWebSuite } from './web-suite.js';

/**
 * The 外国移転 page (/transfers) in Debian's chromium against the real server on the demo seed: the
 * coloured countries and the lines are those transferMap answers for the same filter, the table
 * twin lists the same countries, countries and lines take the keyboard and Enter opens the
 * country's panel, axe finds nothing serious in ja and en. Screenshots go to test-output/web-ui/.
 */
let server: ServerProcess;
let browser: Browser;

interface Answer { homeCountry: string; countries: Array<{ code: string; state: string; specialCare: boolean }>; arcs: Array<{ country: string; basis: string }> }

async function transferMap(variables: Record<string, unknown> = {}): Promise<Answer> {
  const token = await devToken(server, 'PRIVACY_ADMIN');
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: 'query($b: [ForeignTransferBasis!], $s: [TransferCountryState!]) { transferMap(basis: $b, states: $s) { homeCountry countries { code state specialCare } arcs { country basis } } }', variables }),
  });
  return ((await res.json()) as any).data.transferMap;
}
const countryKeys = (a: Answer) => a.countries.map((c) => `${c.code} ${c.state} ${c.specialCare}`).sort();
const arcKeys = (a: Answer) => a.arcs.map((x) => `${x.country} ${x.basis}`).sort();

before(async () => {
  ({ server, browser } = await startWebSuite());
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the transfer map draws what transferMap answers, its table twin lists the same countries, countries and lines take the keyboard', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const drawn = async () => ({
    countries: (await page.getByTestId('transfer-country').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-country')} ${e.getAttribute('data-state')} ${e.getAttribute('data-special-care')}`))).sort(),
    arcs: (await page.getByTestId('transfer-arc').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-country')} ${e.getAttribute('data-basis')}`))).sort(),
  });
  try {
    await page.goto(`${server.url}/`);
    await page.getByTestId('sign-in-PRIVACY_ADMIN').click();
    await page.getByTestId('current-role').waitFor();
    const all = await transferMap();
    const states = new Set(all.countries.map((c) => c.state));
    assert.ok(all.countries.length >= 4 && all.arcs.length >= 3 && states.size >= 2, JSON.stringify(all));
    assert.ok(all.countries.some((c) => c.specialCare), 'special-care data abroad in the seed');
    for (const lang of ['ja', 'en'] as const) {
      if (lang === 'en') await page.getByTestId('language-switch').getByText('English').click();
      await page.getByTestId('nav-transfers').click();
      await page.getByTestId('transfer-country').first().waitFor();
      const d = await drawn();
      assert.deepEqual(d.countries, countryKeys(all), `${lang}: the coloured countries are transferMap's`);
      assert.deepEqual(d.arcs, arcKeys(all), `${lang}: the lines are transferMap's`);
      const label = await page.locator(`[data-testid="transfer-country"][data-country="${all.countries[0].code}"]`).getAttribute('aria-label');
      assert.match(label ?? '', lang === 'ja' ? /[\u3040-\u30ff\u4e00-\u9fff]/ : /^[A-Za-z]/, `${lang}: ${label}`);
      assert.deepEqual(await seriousViolations(page, lang), []);
      await page.screenshot({ path: path.join(shots, `${lang}-transfers.png`), fullPage: true });
    }

    // Keyboard: every country and every line is in the Tab order; Tab goes from a country to the next, Enter opens its panel.
    const tabbable = await page.locator('[data-testid="transfer-country"], [data-testid="transfer-arc"]').evaluateAll((els) => els.map((e) => (e as any).tabIndex));
    assert.deepEqual(tabbable, Array(all.countries.length + all.arcs.length).fill(0));
    await page.getByTestId('transfer-country').first().focus();
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = (globalThis as any).document.activeElement;
      return { testid: el?.getAttribute('data-testid'), country: el?.getAttribute('data-country') };
    });
    assert.equal(focused.testid, 'transfer-country');
    await page.screenshot({ path: path.join(shots, 'en-transfers-focus.png') });
    await page.keyboard.press('Enter');
    const drawer = page.getByTestId('transfer-drawer');
    await drawer.getByTestId('transfer-drawer-state').waitFor();
    assert.match(await page.locator('.ant-drawer-open .ant-drawer-title').innerText(), new RegExp(`\\(${focused.country}\\)`));
    await page.waitForURL(new RegExp(`country=${focused.country}`));
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });

    // A line is reached by keyboard too and opens its destination.
    const arc = page.getByTestId('transfer-arc').first();
    const arcCountry = await arc.getAttribute('data-country');
    await arc.focus();
    await page.keyboard.press('Enter');
    await drawer.getByTestId('transfer-recipient').first().waitFor();
    assert.match(await page.locator('.ant-drawer-open .ant-drawer-title').innerText(), new RegExp(`\\(${arcCountry}\\)`));
    // The regime text, the recipients with their Art. 28 information, and the 18(3) statement.
    const special = all.countries.find((c) => c.specialCare && c.state !== 'MISSING' && all.arcs.some((a) => a.country === c.code))!;
    await page.goto(`${server.url}/transfers?country=${special.code}`);
    await drawer.getByTestId('transfer-regime').waitFor();
    assert.ok((await drawer.getByTestId('transfer-regime').innerText()).length > 10);
    assert.ok(await drawer.getByTestId('transfer-recipient').count() > 0);
    await page.screenshot({ path: path.join(shots, 'en-transfers-panel.png'), animations: 'disabled' });
    await drawer.getByTestId('transfer-statement-open').first().click();
    await page.getByTestId('transfer-statement-text').waitFor();
    assert.ok((await page.getByTestId('transfer-statement-text').innerText()).length > 50, 'the statement is shown');

    // The same filter state (in the URL) drives the map and its table twin.
    const basis = all.arcs[0].basis;
    const filtered = await transferMap({ b: [basis] });
    assert.ok(filtered.countries.length > 0 && filtered.countries.length < all.countries.length, `${filtered.countries.length} of ${all.countries.length}`);
    await page.goto(`${server.url}/transfers?basis=${basis}`);
    await page.getByTestId('transfer-country').first().waitFor();
    assert.deepEqual(await drawn(), { countries: countryKeys(filtered), arcs: arcKeys(filtered) });
    await page.getByTestId('transfer-view').getByText('Table').click();
    await page.getByTestId('transfer-row').first().waitFor();
    assert.deepEqual((await page.getByTestId('transfer-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-country')))).sort(), filtered.countries.map((c) => c.code).sort(), 'table twin');
    await page.waitForURL(/basis=.*view=table|view=table.*basis=/);
    await page.screenshot({ path: path.join(shots, 'en-transfers-table.png'), fullPage: true });
    const state = all.countries[0].state;
    const byState = await transferMap({ s: [state] });
    await page.goto(`${server.url}/transfers?state=${state}&view=table`);
    await page.getByTestId('transfer-row').first().waitFor();
    assert.deepEqual((await page.getByTestId('transfer-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-country')))).sort(), byState.countries.map((c) => c.code).sort(), 'state filter');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
