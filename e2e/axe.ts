import type { Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

/**
 * The serious and critical axe violations on what the page shows now, one line each.
 *
 * Legacy mode runs axe.run() in the page itself. The default mode opens a blank tab per analysis
 * to finish the run, which took 15–20 s on a page holding a sandboxed srcdoc iframe (the reply
 * preview) and failed with "Failed to open a new tab" on a loaded machine. Our frames are all
 * same-origin, which is the one case legacy mode covers fully.
 */
export async function seriousViolations(page: Page, name: string): Promise<string[]> {
  const result = await new AxeBuilder({ page }).setLegacyMode().options({ resultTypes: ['violations'] }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${name}: ${v.id} (${v.impact}) ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}
