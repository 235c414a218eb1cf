import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Frame, Page } from 'playwright-core';
import type { AxeResults } from 'axe-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core in a frame once per document. axe's own Playwright builder evaluates the 560 kB script
 * into the page twice on every analysis; on the page walk that was a third of axe's time.
 */
async function ensureAxe(frame: Frame): Promise<void> {
  if (await frame.evaluate('typeof window.axe === "object"')) return;
  await frame.evaluate(axeSource);
  // Frames are asked for their results by the top one, same-origin only (all of ours are).
  await frame.evaluate('axe.configure({ allowedOrigins: ["<same_origin>"] })');
}

/**
 * The serious and critical axe violations on what the page shows now, one line each.
 *
 * axe.run() in the page itself, with axe in every frame (the legacy way of axe's builder). The
 * default way of the builder opens a blank tab per analysis to finish the run, which took 15–20 s
 * on a page holding a sandboxed srcdoc iframe (the reply preview) and failed with "Failed to open a
 * new tab" on a loaded machine. Our frames are all same-origin, which is the case this covers fully.
 */
export async function seriousViolations(page: Page, name: string): Promise<string[]> {
  for (const frame of page.frames()) await ensureAxe(frame);
  const result = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] })')) as AxeResults;
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${name}: ${v.id} (${v.impact}) ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}
