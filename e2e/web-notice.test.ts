import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { type Browser } from 'playwright-core';
import { seriousViolations } from './axe.js';
import { type ServerProcess } from './server-process.js';
import { devToken, newContext, shots, startWebSuite } from './web-suite.js';

/**
 * The 公表事項 page (/notice) and the "as of" pickers in Debian's chromium against the real server on
 * the demo seed: the generated notice in both languages, a change made through the API highlighted
 * in the changes view and listed in the checklist with a link to its audit event, and the register
 * as of the day before showing the old value under a read-only banner. Screenshots go to
 * test-output/web-ui/.
 */
let server: ServerProcess;
let browser: Browser;
let token: string;

async function gql<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data: T; errors?: unknown };
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

/** Days as the page reads them: in Japan. */
const jstDay = (offsetDays = 0) => new Date(Date.now() + 9 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);

before(async () => {
  ({ server, browser } = await startWebSuite());
  token = await devToken(server, 'PRIVACY_ADMIN');
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const t0 = Date.now();
const lap = (what: string) => process.stderr.write(`web-notice: ${what} at ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);

async function noSeriousAxe(page: import('playwright-core').Page, what: string) {
  lap(`axe ${what}`);
  // The notice's script-less frame is checked too: the shared helper runs axe in legacy mode.
  const bad = await seriousViolations(page, what);
  lap(`axe ${what} done`);
  assert.deepEqual(bad, []);
}

test('the notice page shows the generated notice, highlights a change, lists what it obliges; the register as of the day before shows the old value', { timeout: 180_000 }, async () => {
  const context = await newContext(browser);
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    const { organization: org } = await gql('{ organization { name { ja en } } }');
    await page.goto(`${server.url}/`);
    await page.getByTestId('sign-in-PRIVACY_ADMIN').click();
    await page.getByTestId('current-role').waitFor();
    lap('signed in');
    for (const lang of ['ja', 'en'] as const) {
      if (lang === 'en') await page.getByTestId('language-switch').getByText('English').click();
      await page.getByTestId('nav-notice').click();
      await page.getByTestId('notice-preview').waitFor();
      // The frame keeps the previous language's notice until the new one arrives: wait for this one.
      const frame = page.frameLocator('[data-testid="notice-preview"]');
      await frame.locator(`html[lang="${lang}"] h1`).first().waitFor();
      const body = frame.locator('body');
      lap(`${lang} notice shown`);
      assert.ok((await body.innerText()).includes(org.name[lang]), `${lang}: the notice names ${org.name[lang]}`);
      await noSeriousAxe(page, lang);
      await page.screenshot({ path: path.join(shots, `${lang}-notice.png`), fullPage: true });
    }

    // Changes made now through the API: a joint use's responsible manager and an activity's name.
    const { jointUseArrangements: [ju] } = await gql('{ jointUseArrangements { id version responsibleManager { name { ja en } address { ja en } representative { ja en } } } }');
    // One word put before the old name: only that word may be marked, not the sentence around it.
    const old = ju.responsibleManager.name;
    const newManager = { ja: `新${old.ja ?? old.en}`, en: `Verification ${old.en ?? old.ja}` };
    await gql('mutation($i: UpdateJointUseArrangementInput!) { updateJointUseArrangement(input: $i) { jointUseArrangement { id } } }', {
      i: { id: ju.id, version: ju.version, responsibleManager: { ...ju.responsibleManager, name: newManager } },
    });
    const { processingActivities: { edges: [{ node: pa }] } } = await gql('{ processingActivities(first: 1) { edges { node { id code version name { ja en } } } } }');
    await gql('mutation($i: UpdateProcessingActivityInput!) { updateProcessingActivity(input: $i) { processingActivity { id } } }', { i: { id: pa.id, version: pa.version, name: { ja: `${pa.name.ja}（改称）`, en: `${pa.name.en} (renamed)` } } });

    // The changes since today (in Japan): the new name is marked, word by word, not the whole line.
    await page.goto(`${server.url}/notice?tab=changes&since=${jstDay()}&lang=EN`);
    await page.getByTestId('notice-diff-after').waitFor();
    lap('changes shown');
    const added = await page.getByTestId('diff-added').allInnerTexts();
    const removed = await page.getByTestId('diff-removed').allInnerTexts();
    assert.ok(added.some((s) => s.trim() === 'Verification'), `added: ${JSON.stringify(added)}`);
    assert.ok(!added.some((s) => s.includes(old.en ?? old.ja)), `the unchanged name is not marked: ${JSON.stringify(added)}`);
    assert.deepEqual(removed, [], 'nothing was taken out');
    // Both columns keep the same stretch around the change: the old name is there on the left too.
    assert.ok((await page.getByTestId('notice-diff-before').innerText()).includes(old.en ?? old.ja), 'the left column shows the lines around the change');
    assert.ok((await page.getByTestId('notice-diff-after').innerText()).includes(newManager.en));

    // The checklist lists it under the responsible person (Art. 27(6)), its link opens the audit log on the event.
    const item = page.locator('[data-testid="checklist-item"][data-code="JOINT_USE_RESPONSIBLE"]');
    assert.equal(await item.getAttribute('data-required'), 'true');
    const { noticeChangeChecklist } = await gql('query($s: DateTime!) { noticeChangeChecklist(since: $s) { code events { id entityId } } }', { s: `${jstDay()}T00:00:00+09:00` });
    const expected = noticeChangeChecklist.find((i: any) => i.code === 'JOINT_USE_RESPONSIBLE').events;
    assert.deepEqual(expected.map((e: any) => e.entityId), [ju.id]);
    const link = item.getByTestId('checklist-event-link');
    assert.equal(await link.getAttribute('data-event-id'), expected[0].id);
    assert.equal(await page.locator('[data-testid="checklist-item"][data-required="true"]').count(), noticeChangeChecklist.filter((i: any) => i.events.length > 0).length);
    await noSeriousAxe(page, 'changes');
    await page.screenshot({ path: path.join(shots, 'en-notice-changes.png'), fullPage: true });
    await link.click();
    await page.getByTestId('page-audit-log').waitFor();
    lap('audit log shown');
    await page.waitForURL(new RegExp(`entityType=JointUseArrangement.*entityId=${ju.id}`));
    const row = page.getByTestId('audit-table').locator('tbody tr', { hasText: 'updateJointUseArrangement' });
    await row.first().waitFor();
    assert.equal(await row.count(), 1);
    assert.ok((await row.innerText()).includes(`JointUseArrangement ${ju.id}`));

    // The register as of yesterday: the old name, the banner, no link into the editable record.
    const yesterday = jstDay(-1);
    await page.goto(`${server.url}/activities?asOf=${yesterday}&q=${encodeURIComponent(pa.code)}`);
    await page.getByTestId('as-of-banner').waitFor();
    assert.ok((await page.getByTestId('as-of-banner').innerText()).includes(yesterday));
    await page.getByTestId('activity-name').first().waitFor();
    assert.deepEqual(await page.getByTestId('activity-name').allInnerTexts(), [pa.name.en]);
    assert.equal(await page.getByTestId('activity-link').count(), 0);
    await page.screenshot({ path: path.join(shots, 'en-activities-as-of.png'), fullPage: true });
    // The picker is keyboard-reachable and clearing it brings the current register back.
    await page.getByTestId('as-of-clear').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('activity-link').first().waitFor();
    assert.equal(await page.getByTestId('as-of-banner').count(), 0);
    assert.deepEqual(await page.getByTestId('activity-link').allInnerTexts(), [`${pa.name.en} (renamed)`]);

    // The map as of yesterday draws the graph of then: the nodes dataFlowGraph(asOf:) answers, the old
    // name on the activity, and a note that datasets and systems are not in the trail.
    await page.goto(`${server.url}/map?asOf=${yesterday}`);
    await page.getByTestId('as-of-banner').waitFor();
    await page.getByTestId('map-node').first().waitFor();
    const { dataFlowGraph: past } = await gql('query($at: DateTimeISO) { dataFlowGraph(asOf: $at) { nodes { id } notReconstructed } }', { at: `${jstDay()}T00:00:00+09:00` });
    const drawn = await page.getByTestId('map-node').evaluateAll((els) => els.map((e) => e.getAttribute('data-node-id')));
    assert.deepEqual(drawn.sort(), past.nodes.map((n: any) => n.id).sort());
    assert.deepEqual(past.notReconstructed, ['DATASET', 'SYSTEM']);
    assert.ok((await page.getByTestId('map-not-reconstructed').innerText()).includes('audit trail'));
    const named = await page.locator(`[data-testid="map-node"][data-node-id="ACTIVITY:${pa.id}"]`).getAttribute('aria-label');
    assert.ok(named?.includes(pa.name.en) && !named.includes('(renamed)'), `the activity as it was named then: ${named}`);
    await page.screenshot({ path: path.join(shots, 'en-map-as-of.png'), fullPage: true });

    // The notice as of yesterday is the one before the change.
    await page.goto(`${server.url}/notice?asOf=${yesterday}&lang=EN`);
    await page.getByTestId('as-of-banner').waitFor();
    const then = page.frameLocator('[data-testid="notice-preview"]').locator('body');
    await then.locator('h1').first().waitFor();
    const thenText = await then.innerText();
    assert.ok(thenText.includes(old.en ?? old.ja) && !thenText.includes(newManager.en), 'the notice as of yesterday names the former manager');
    lap('done');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
