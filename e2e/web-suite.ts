import fs from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions } from 'playwright-core';
import { repoRoot, startServerProcess, type ServerProcess } from './server-process.js';

/** Where the browser suites put their screenshots (gitignored). */
export const shots = path.join(repoRoot, 'test-output/web-ui');

/**
 * What every browser suite starts with: the built web UI, the real server process on the demo seed
 * in dev mode (the dev sign-in page is what the suites drive) and Debian's chromium.
 */
export async function startWebSuite(): Promise<{ server: ServerProcess; browser: Browser }> {
  await fs.access(path.join(repoRoot, 'client/web/dist/index.html')).catch(() => {
    throw new Error('the web UI is not built: npm run build');
  });
  await fs.mkdir(shots, { recursive: true });
  const server = await startServerProcess({ env: { JWT_ISSUER: '', JWT_AUDIENCE: '', JWT_JWKS_FILE: '', KIROKU_DEV_AUTH: 'true', KIROKU_SEED: 'demo' } });
  const browser = await chromium.launch({ executablePath: process.env.KIROKU_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-background-networking'] });
  return { server, browser };
}

/** A token from the dev sign-in endpoint, as the sign-in page gets it. */
export async function devToken(server: ServerProcess, role: string): Promise<string> {
  const res = await fetch(`${server.url}/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role }) });
  return ((await res.json()) as { token: string }).token;
}

/**
 * A signed-out browser context as the suites use it: a laptop-sized window, Japanese, and the
 * system's reduced-motion setting on (the UI then opens drawers and dialogs without animating them,
 * which a test would only wait for).
 */
export function newContext(browser: Browser, extra: BrowserContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', reducedMotion: 'reduce', ...extra });
}
