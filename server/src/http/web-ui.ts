import fs from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import type { AuthConfig } from '../config.js';
import { mintDevToken } from '../auth/dev-keys.js';
import { Role } from '../auth/roles.js';

export interface WebUiConfig {
  /** The built UI (client/web/dist). */
  dir: string;
  /** OpenID Connect provider the UI signs in with (production). */
  oidcIssuer?: string;
  oidcClientId?: string;
  oidcScope?: string;
}

/** The people's roles: INTEGRATION tokens belong to systems, never to a browser session. */
const DEV_SIGN_IN_ROLES: string[] = [Role.PRIVACY_ADMIN, Role.PRIVACY_ANALYST, Role.AUDITOR];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/**
 * Headers of every UI answer. Scripts only from this origin (Vite emits no inline script). antd 6
 * writes its CSS-in-JS as <style> elements and components set style attributes at run time, so
 * styles (and styles only) allow 'unsafe-inline': a style cannot run code, and a nonce would also
 * disable the inline style attributes antd relies on.
 */
function securityHeaders(oidcIssuer?: string): Record<string, string> {
  const idp = oidcIssuer ? ` ${new URL(oidcIssuer).origin}` : '';
  return {
    'content-security-policy': [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self' data:",
      `connect-src 'self'${idp}`,
      "worker-src 'self' blob:",
      `frame-src 'self'${idp}`,
      "frame-ancestors 'none'",
      "base-uri 'self'",
      `form-action 'self'${idp}`,
      "object-src 'none'",
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

/**
 * Paths the UI never answers: the API's own, so that a typo there gets the API's 404, not a page.
 * `/exports` itself is the UI's 出力 page; the files are under `/exports/`.
 */
const API_PATHS = /^\/(graphql|healthz|readyz|metrics)(\/|$)|^\/exports\//;

/**
 * The web UI: its static files with an SPA fallback, the public `/ui-config.json` it starts from
 * and, in dev mode only, `POST /dev/token` behind the sign-in page. Returns false for what it does
 * not serve.
 */
export function webUi(options: { ui: WebUiConfig; auth: AuthConfig; dataDir: string; production: boolean }) {
  const { ui, auth, dataDir } = options;
  const devSignIn = !options.production && auth.mode === 'dev';
  const headers = securityHeaders(ui.oidcIssuer);
  const root = path.resolve(ui.dir);
  const publicConfig = {
    devSignIn,
    roles: devSignIn ? DEV_SIGN_IN_ROLES : [],
    oidc: ui.oidcIssuer && ui.oidcClientId ? { issuer: ui.oidcIssuer, clientId: ui.oidcClientId, scope: ui.oidcScope ?? 'openid profile offline_access' } : null,
  };

  async function devToken(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'use POST' });
    // A JSON content type cannot be sent cross-site without a CORS preflight, which is refused.
    if (!(req.headers['content-type'] ?? '').includes('application/json')) return sendJson(res, 415, { errors: [{ message: 'send application/json', extensions: { code: 'BAD_REQUEST' } }] });
    let raw = '';
    for await (const chunk of req) {
      raw += chunk;
      if (raw.length > 1024) return sendJson(res, 413, { errors: [{ message: 'body too large', extensions: { code: 'BAD_REQUEST' } }] });
    }
    let role: unknown;
    try {
      role = (JSON.parse(raw) as { role?: unknown }).role;
    } catch {
      role = undefined;
    }
    if (typeof role !== 'string' || !DEV_SIGN_IN_ROLES.includes(role)) {
      return sendJson(res, 400, { errors: [{ message: `role must be one of ${DEV_SIGN_IN_ROLES.join(', ')}`, extensions: { code: 'BAD_USER_INPUT', field: 'role' } }] });
    }
    const hours = 8;
    const token = await mintDevToken(auth, dataDir, [role], { hours });
    return sendJson(res, 200, { token, role, expiresIn: hours * 3600 });
  }

  async function file(rel: string): Promise<{ body: Buffer; path: string } | null> {
    const full = path.resolve(root, '.' + rel);
    // Only files under the UI's folder, whatever the path says.
    if (full !== root && !full.startsWith(root + path.sep)) return null;
    try {
      const stat = await fs.stat(full);
      if (!stat.isFile()) return null;
      return { body: await fs.readFile(full), path: full };
    } catch {
      return null;
    }
  }

  return async function handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<boolean> {
    if (API_PATHS.test(url.pathname)) return false;
    if (url.pathname === '/dev/token') {
      if (!devSignIn) return false;
      await devToken(req, res);
      return true;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (url.pathname === '/ui-config.json') {
      sendJson(res, 200, publicConfig, headers);
      return true;
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(url.pathname);
    } catch {
      return false;
    }
    let found = decoded.endsWith('/') ? null : await file(decoded);
    let cache = found && /^\/assets\//.test(decoded) ? 'public, max-age=31536000, immutable' : 'no-cache';
    if (!found) {
      // Deep links (/activities/42) are the app's routes: browsers asking for a page get index.html.
      const wantsHtml = (req.headers.accept ?? '').includes('text/html');
      if (!wantsHtml || path.extname(decoded) !== '') return false;
      found = await file('/index.html');
      cache = 'no-cache';
      if (!found) {
        const text = 'The Kiroku web UI is not built. Run `npm run build` (or `npm run -w client/web build`) and reload; the GraphQL API is at /graphql.\n';
        res.writeHead(404, { ...headers, 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : text);
        return true;
      }
    }
    res.writeHead(200, { ...headers, 'content-type': TYPES[path.extname(found.path)] ?? 'application/octet-stream', 'content-length': found.body.length, 'cache-control': cache });
    res.end(req.method === 'HEAD' ? undefined : found.body);
    return true;
  };
}
