import fs from 'node:fs/promises';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { AuthConfig } from '../config.js';
import type { Principal } from '../graphql/context.js';
import { ensureDevKeys } from './dev-keys.js';
import { isRole, Role } from './roles.js';

/** Why a request is not authenticated; the message is ours, never the library's. */
export class AuthError extends Error {}

const ASYMMETRIC = ['RS256', 'ES256', 'EdDSA', 'Ed25519'];
const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/i;

export type Verifier = (authorization: string | undefined) => Promise<Principal>;

/**
 * Builds the token verifier from configuration only: keys come from the configured JWKS URL or
 * file (or dev mode's key), never from the token (`jku`, `jwk`, `x5u` headers are ignored), and
 * HS256 is accepted only with an explicitly configured secret.
 */
export async function createVerifier(auth: AuthConfig, dataDir: string): Promise<Verifier> {
  let jwks: JWTVerifyGetKey | undefined;
  if (auth.mode === 'dev') {
    const { publicJwk } = await ensureDevKeys(dataDir);
    jwks = createLocalJWKSet({ keys: [publicJwk] });
  } else if (auth.jwksFile) {
    jwks = createLocalJWKSet(JSON.parse(await fs.readFile(auth.jwksFile, 'utf8')));
  } else if (auth.jwksUrl) {
    jwks = createRemoteJWKSet(new URL(auth.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 });
  }
  const secret = auth.hs256Secret ? new TextEncoder().encode(auth.hs256Secret) : undefined;
  const algorithms = secret ? [...ASYMMETRIC, 'HS256'] : ASYMMETRIC;
  const getKey: JWTVerifyGetKey = async (header, token) => {
    if (header.alg === 'HS256') {
      if (!secret) throw new AuthError('algorithm not allowed');
      return secret;
    }
    if (!jwks) throw new AuthError('no key for this algorithm');
    return jwks(header, token);
  };

  // A verified token is remembered for at most CACHE_MS (and never past its exp/nbf): machine
  // clients send the same token on every request, and an ECDSA verification through WebCrypto
  // was a tenth of the CPU of a small request. Only successes are kept.
  const cache = new Map<string, { principal: Principal; until: number; notBefore: number }>();
  const tolerance = auth.clockToleranceSeconds * 1000;

  return async (authorization) => {
    if (!authorization) throw new AuthError('missing bearer token');
    const m = BEARER.exec(authorization.trim());
    if (!m) throw new AuthError('malformed bearer token');
    const now = Date.now();
    const hit = cache.get(m[1]);
    if (hit && now < hit.until && now >= hit.notBefore) return hit.principal;
    if (hit) cache.delete(m[1]);
    const principal = await verifyToken(m[1]);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(m[1], principal);
    return principal.principal;
  };

  async function verifyToken(token: string): Promise<{ principal: Principal; until: number; notBefore: number }> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, getKey, {
        algorithms,
        issuer: auth.issuer,
        audience: auth.audience,
        requiredClaims: ['iss', 'aud', 'exp', 'sub'],
        clockTolerance: auth.clockToleranceSeconds,
      }));
    } catch (e) {
      if (e instanceof errors.JWTExpired) throw new AuthError('token expired');
      if (e instanceof errors.JWKSNoMatchingKey) throw new AuthError('unknown signing key');
      throw new AuthError('invalid token');
    }
    const claim = payload[auth.rolesClaim];
    const roles = (Array.isArray(claim) ? claim : typeof claim === 'string' ? claim.split(/[\s,]+/) : []).filter(isRole);
    const system = payload[auth.systemClaim];
    if (roles.includes(Role.INTEGRATION) && (typeof system !== 'string' || !system)) {
      throw new AuthError(`an INTEGRATION token must name its system in "${auth.systemClaim}"`);
    }
    if (typeof payload.sub !== 'string' || !payload.sub) throw new AuthError('the token has no subject');
    const now = Date.now();
    return {
      principal: { sub: payload.sub, roles, system: typeof system === 'string' ? system : undefined },
      until: Math.min(now + CACHE_MS, payload.exp! * 1000 + tolerance),
      notBefore: payload.nbf !== undefined ? payload.nbf * 1000 - tolerance : 0,
    };
  }
}

const CACHE_MS = 60_000;
const CACHE_SIZE = 10_000;
