import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import type { AuthConfig } from '../config.js';

export interface DevKeys {
  privateJwk: JWK;
  publicJwk: JWK;
}

export const DEV_ALG = 'ES256';

/**
 * Dev mode's signing key pair, generated once and kept in the data directory (0600), so that
 * tokens from `npm run token` stay valid across restarts. Never used when JWT settings exist.
 */
export async function ensureDevKeys(dataDir: string): Promise<DevKeys> {
  const file = path.join(dataDir, 'dev-signing-key.json');
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as DevKeys;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  await fs.mkdir(dataDir, { recursive: true });
  const { privateKey, publicKey } = await generateKeyPair(DEV_ALG, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const keys: DevKeys = {
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: DEV_ALG, use: 'sig' },
    publicJwk: { ...publicJwk, kid, alg: DEV_ALG, use: 'sig' },
  };
  // Written whole under a name of its own, then linked into place: a process starting at the same
  // moment either finds no key or a complete one (a file created first and written after was read
  // empty), and link fails on an existing key, so the first key stays and everyone uses it.
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}`;
  await fs.writeFile(temp, JSON.stringify(keys), { mode: 0o600, flag: 'wx' });
  try {
    await fs.link(temp, file).catch((e) => {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    });
  } finally {
    await fs.rm(temp, { force: true });
  }
  return JSON.parse(await fs.readFile(file, 'utf8')) as DevKeys;
}

/** A dev-mode token as `npm run token` prints it (also what the web UI's dev sign-in receives). */
export async function mintDevToken(auth: AuthConfig, dataDir: string, roles: string[], opts: { system?: string; sub?: string; hours?: number } = {}): Promise<string> {
  const { privateJwk } = await ensureDevKeys(dataDir);
  const hours = opts.hours !== undefined && Number.isFinite(opts.hours) && opts.hours > 0 ? opts.hours : 12;
  return new SignJWT({ [auth.rolesClaim]: roles, ...(opts.system ? { [auth.systemClaim]: opts.system } : {}) })
    .setProtectedHeader({ alg: DEV_ALG, kid: privateJwk.kid, typ: 'at+jwt' })
    .setIssuer(auth.issuer)
    .setAudience(auth.audience)
    .setSubject(opts.sub ?? `dev-${roles[0].toLowerCase()}`)
    .setIssuedAt()
    .setExpirationTime(`${hours}h`)
    .sign(await importJWK(privateJwk, DEV_ALG));
}
