import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { seriousViolations } from './axe.js';
import { devToken, newContext } from './web-suite.js';
import { repoRoot, startServerProcess, type ServerProcess } from './server-process.js';

/**
 * The processor heat-map (/processors?view=heatmap), the audit calendar (/audits) and the processor
 * audit page printed as an evidence sheet, in Debian's chromium against the real server on the demo
 * seed: cells and calendar entries are what GraphQL answers, cells take the keyboard, axe finds
 * nothing serious in ja and en, print media shows the sheet without the shell. Screenshots go to
 * test-output/web-ui/.
 */
const CHROMIUM = process.env.KIROKU_CHROMIUM ?? '/usr/bin/chromium';
const shots = path.join(repoRoot, 'test-output/web-ui');
const RANK: Record<string, number> = { HIGH: 3, MEDIUM: 2, LOW: 1 };
let server: ServerProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let token: string;
const errors: string[] = [];

async function gql(query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as any;
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}
async function axe(what: string) {
  assert.deepEqual(await seriousViolations(page, what), []);
}
const attrs = (testid: string, names: string[]) =>
  page.getByTestId(testid).evaluateAll((els, ns) => els.map((e) => ns.map((n) => e.getAttribute(n) ?? '').join('|')), names);
const language = (lang: 'ja' | 'en') => page.getByTestId('language-switch').getByText(lang === 'en' ? 'English' : '日本語').click();

before(async () => {
  await fs.access(path.join(repoRoot, 'client/web/dist/index.html')).catch(() => {
    throw new Error('the web UI is not built: npm run build');
  });
  await fs.mkdir(shots, { recursive: true });
  server = await startServerProcess({ env: { JWT_ISSUER: '', JWT_AUDIENCE: '', JWT_JWKS_FILE: '', KIROKU_DEV_AUTH: 'true', KIROKU_SEED: 'demo' } });
  token = await devToken(server, 'AUDITOR');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking'] });
  context = await newContext(browser);
  page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}/`);
  await page.getByTestId('sign-in-AUDITOR').click();
  await page.getByTestId('current-role').waitFor();
});
after(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

test('the heat-map cells are the findings per processor from GraphQL; a cell takes the keyboard and Enter opens its evidence', async () => {
  const audits = (await gql('{ processorAudits(first: 500) { edges { node { processor { id } findings { code severity } } } } }')).processorAudits.edges.map((e: any) => e.node);
  const expected = new Map<string, { count: number; severity: string }>();
  for (const a of audits) for (const f of a.findings) {
    const k = `${a.processor.id}|${f.code}`;
    const c = expected.get(k) ?? { count: 0, severity: 'LOW' };
    expected.set(k, { count: c.count + 1, severity: RANK[f.severity] > RANK[c.severity] ? f.severity : c.severity });
  }
  assert.ok(expected.size > 5, `${expected.size} processor × finding pairs in the seed`);
  const want = [...expected].map(([k, v]) => `${k}|${v.count}|${v.severity}`).sort();

  for (const lang of ['ja', 'en'] as const) {
    if (lang === 'en') await language('en');
    await page.getByTestId('nav-processors').click();
    // The menu opens the list: the heat-map of the pass before must be gone first, or the click
    // below lands on a control that still shows the heat-map and changes nothing.
    await page.getByTestId('heat-cell').first().waitFor({ state: 'detached' });
    await page.getByTestId('processors-view').getByText(lang === 'en' ? 'Heat-map' : 'ヒートマップ').click();
    await page.waitForURL(/view=heatmap/);
    await page.getByTestId('heat-cell').first().waitFor();
    assert.deepEqual((await attrs('heat-cell', ['data-processor-id', 'data-code', 'data-count', 'data-severity'])).sort(), want, `${lang}: cells`);
    assert.equal(await page.getByTestId('heat-row').count(), audits.length, `${lang}: one row per processor`);
    assert.equal(await page.locator('[data-testid="heatmap"] thead th[scope="col"]').count(), new Set(audits.flatMap((a: any) => a.findings.map((f: any) => f.code))).size + 1);
    await axe(`${lang} heat-map`);
    await page.screenshot({ path: path.join(shots, `${lang}-processors-heatmap.png`), fullPage: true });
  }

  // Keyboard: Tab moves from one cell to the next; Enter opens that cell's evidence, in English.
  await page.getByTestId('heat-cell').first().locator('button').focus();
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => {
    const td = (globalThis as any).document.activeElement?.closest('td');
    return td ? { testid: td.getAttribute('data-testid'), id: td.getAttribute('data-processor-id'), code: td.getAttribute('data-code'), count: Number(td.getAttribute('data-count')) } : null;
  });
  assert.equal(focused?.testid, 'heat-cell');
  await page.keyboard.press('Enter');
  await page.getByTestId('heat-evidence').first().waitFor();
  const evidence = (await gql('query($id: ID!) { processorAudit(processorId: $id) { findings { code evidence(language: EN) } } }', { id: focused!.id })).processorAudit.findings
    .filter((f: any) => f.code === focused!.code).map((f: any) => f.evidence);
  assert.equal(evidence.length, focused!.count);
  const shown = await page.getByTestId('heat-evidence').locator('.ant-typography').allInnerTexts();
  assert.deepEqual(shown, evidence, 'the drawer shows the evidence of that processor and finding');
  await page.screenshot({ path: path.join(shots, 'en-processors-heatmap-evidence.png') });
  await page.keyboard.press('Escape');
  await page.getByTestId('heat-drawer').waitFor({ state: 'hidden' });
});

test('the audit calendar shows upcomingAudits and contract expiries of the month, overdue flagged, with a list twin; ja and en', async () => {
  const data = await gql('{ upcomingAudits(days: 3660) { dueAt overdue processor { id } } processors(first: 500) { edges { node { id contract { expiresAt } } } } }');
  const today = new Date().toISOString().slice(0, 10);
  const all = [
    ...data.upcomingAudits.map((u: any) => ({ key: `AUDIT|${u.dueAt}|${u.processor.id}`, month: u.dueAt.slice(0, 7), overdue: u.overdue })),
    ...data.processors.edges.filter((e: any) => e.node.contract?.expiresAt).map((e: any) => ({ key: `CONTRACT_EXPIRY|${e.node.contract.expiresAt}|${e.node.id}`, month: e.node.contract.expiresAt.slice(0, 7), overdue: e.node.contract.expiresAt < today })),
  ];
  const months = new Map<string, any[]>();
  for (const e of all) months.set(e.month, [...(months.get(e.month) ?? []), e]);
  // A month with overdue entries, then with both kinds, then with the most entries.
  const score = (es: any[]) => [es.some((e) => e.overdue) ? 1 : 0, new Set(es.map((e) => e.key.split('|')[0])).size, es.length];
  const [month, entries] = [...months].sort(([, a], [, b]) => {
    const [x, y] = [score(a), score(b)];
    return y[0] - x[0] || y[1] - x[1] || y[2] - x[2];
  })[0];
  assert.ok(entries.some((e: any) => e.overdue), `the seed has something overdue in ${month}`);

  await page.goto(`${server.url}/audits?from=${month}&to=${month}`);
  for (const lang of ['en', 'ja'] as const) {
    if (lang === 'ja') {
      await language('ja');
      await page.goto(`${server.url}/audits?from=${month}&to=${month}`);
    }
    await page.getByTestId('cal-entry').first().waitFor();
    assert.deepEqual((await attrs('cal-entry', ['data-kind', 'data-date', 'data-processor-id'])).sort(), entries.map((e: any) => e.key).sort(), `${lang}: calendar entries of ${month}`);
    const overdue = await page.locator('[data-testid="cal-entry"][data-overdue="true"]').count();
    assert.equal(overdue, entries.filter((e: any) => e.overdue).length, `${lang}: overdue flagged`);
    await axe(`${lang} audits`);
    await page.screenshot({ path: path.join(shots, `${lang}-audits.png`), fullPage: true });
  }
  // Each entry leads to the processor audit page.
  const href = await page.getByTestId('cal-entry').first().locator('a').getAttribute('href');
  assert.match(href ?? '', /^\/processors\/\d+$/);

  // The list twin over the same state, for a range of months (the URL carries it).
  // From the chosen month to the last month with an entry (within two years): both kinds, several months.
  const [y, m] = month.split('-').map(Number);
  const cap = new Date(Date.UTC(y, m + 23, 1)).toISOString().slice(0, 7);
  const to = all.map((e: any) => e.month as string).filter((x) => x >= month && x <= cap).sort().at(-1)!;
  const inRange = all.filter((e: any) => e.month >= month && e.month <= to);
  await page.getByTestId('audits-view').getByText('一覧').click();
  await page.getByTestId('audits-row').first().waitFor();
  const twin = page.url().replace(/from=[^&]+&to=[^&]+/, `from=${month}&to=${to}`);
  assert.match(twin, /view=list/);
  await page.goto(twin);
  await page.getByTestId('audits-row').first().waitFor();
  assert.ok(inRange.length > entries.length, `${inRange.length} entries from ${month} to ${to}`);
  assert.deepEqual((await attrs('audits-row', ['data-kind', 'data-date', 'data-processor-id'])).sort(), inRange.map((e: any) => e.key).sort(), 'list twin');
  await page.screenshot({ path: path.join(shots, 'ja-audits-list.png'), fullPage: true });
});

test('the processor audit page prints as an evidence sheet: no shell, every section, the evidence; page.pdf() makes a real PDF', async () => {
  const [top] = (await gql('{ processorAudits(first: 1) { edges { node { processor { id code name { en } } findings { evidence(language: EN) } } } } }')).processorAudits.edges.map((e: any) => e.node);
  const org = (await gql('{ organization { name { ja en } } }')).organization.name;
  assert.ok(top.findings.length > 0);
  await language('en');
  await page.goto(`${server.url}/processors/${top.processor.id}`);
  await page.getByTestId('findings-table').waitFor();
  assert.equal(await page.getByTestId('print-evidence').isVisible(), true, 'the Print button on screen');
  assert.equal(await page.getByTestId('print-header').isVisible(), false, 'no sheet header on screen');

  await page.emulateMedia({ media: 'print' });
  try {
    assert.equal(await page.locator('.ant-layout-sider').isVisible(), false, 'navigation hidden');
    assert.equal(await page.locator('.ant-layout-header').isVisible(), false, 'header hidden');
    assert.equal(await page.getByTestId('print-evidence').isVisible(), false, 'buttons hidden');
    const header = await page.getByTestId('print-header').innerText();
    for (const s of [org.en || org.ja, top.processor.name.en, top.processor.code, new Date().toISOString().slice(0, 4)]) assert.ok(header.includes(s), `${s} in ${header}`);
    for (const id of ['findings-table', 'contract', 'audit-history', 'sub-processors']) assert.equal(await page.getByTestId(id).isVisible(), true, `${id} printed`);
    const printed = await page.getByTestId('findings-table').innerText();
    for (const f of top.findings) assert.ok(printed.includes(f.evidence.split('\n')[0]), `evidence printed: ${f.evidence.slice(0, 60)}`);
    await page.screenshot({ path: path.join(shots, 'en-processor-print.png'), fullPage: true });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    assert.ok(pdf.length > 20_000, `${pdf.length} bytes`);
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
    assert.ok(pages >= 4, `${pages} pages: each section starts a page`);
  } finally {
    await page.emulateMedia({ media: 'screen' });
  }
  assert.deepEqual(errors, []);
});
