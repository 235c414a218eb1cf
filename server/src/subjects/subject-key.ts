import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import parsePhoneNumber from 'libphonenumber-js';
import { IdentityType } from '../graphql/enums.js';

/** The configured key, or in dev mode one generated once and kept in the data dir (0600). */
export async function loadSubjectKey(configured: string | undefined, dataDir: string): Promise<Buffer> {
  if (configured) return Buffer.from(configured);
  const file = path.join(dataDir, 'subject-index-key');
  try {
    return Buffer.from((await fs.readFile(file, 'utf8')).trim(), 'base64');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  await fs.mkdir(dataDir, { recursive: true });
  await fs.writeFile(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' }).catch((e) => {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  });
  return Buffer.from((await fs.readFile(file, 'utf8')).trim(), 'base64');
}

/**
 * The canonical form of an identifier, so that the same person hashes the same everywhere:
 * email trimmed and lower-cased, phone as E.164 (Japan the default region), others trimmed.
 * Returns null for a value that cannot be an identifier of that type.
 */
export function normalizeIdentifier(type: IdentityType, raw: string): string | null {
  const v = raw.trim();
  if (!v) return null;
  switch (type) {
    case IdentityType.EMAIL:
      return /^[^\s@]+@[^\s@]+$/.test(v) ? v.toLowerCase() : null;
    case IdentityType.PHONE: {
      const p = parsePhoneNumber(v, 'JP');
      return p?.isPossible() ? p.number : null;
    }
    default:
      return v;
  }
}

/** HMAC-SHA256 over type and normalized value: equal identifiers of different types never collide. */
export function subjectHash(key: Buffer, type: IdentityType, normalized: string): Buffer {
  return createHmac('sha256', key).update(type).update('\0').update(normalized).digest();
}
