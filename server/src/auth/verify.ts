import fs from 'node:fs/promises';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { normalizeTokenType, type AuthConfig } from '../config.js';
import type { Principal } from '../graphql/context.js';
import { ensureDevKeys } from './dev-keys.js';
import { isRole, Role } from './roles.js';

/** Categories of authentication failures: bounded, so they can label metrics and audit entries. */
export type AuthFailure =
  | 'missing' | 'malformed' | 'duplicate_header' | 'expired' | 'not_yet_valid' | 'unknown_key' | 'invalid'
  | 'token_type' | 'issued_in_future' | 'lifetime' | 'claims' | 'roles' | 'no_role';

/**
 * Why a request is not authenticated (401), or is authenticated but grants nothing (403), or is
 * ambiguous (400); the message is ours, never the library's, and never contains the token.
 */
export class AuthError extends Error {
  constructor(message: string, readonly category: AuthFailure = 'invalid', readonly status: 400 | 401 | 403 = 401, readonly sub?: string) {
    super(message);
  }
}

const ASYMMETRIC = ['RS256', 'ES256', 'EdDSA', 'Ed25519'];
const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/i;

/** Takes every Authorization header of the request (node's `headersDistinct`), not just the first. */
export type Verifier = (authorization: string | string[] | undefined) => Promise<Principal>;

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

  const acceptedTypes = new Set(auth.acceptedTypes);

  return async (headers) => {
    // Two credentials leave it to chance (or to a proxy) which one is checked: refuse both.
    if (Array.isArray(headers) && headers.length > 1) throw new AuthError('more than one Authorization header', 'duplicate_header', 400);
    const authorization = Array.isArray(headers) ? headers[0] : headers;
    if (!authorization) throw new AuthError('missing bearer token', 'missing');
    const m = BEARER.exec(authorization.trim());
    if (!m) throw new AuthError('malformed bearer token', 'malformed');
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
    let typ: string | undefined;
    try {
      ({ payload, protectedHeader: { typ } } = await jwtVerify(token, getKey, {
        algorithms,
        issuer: auth.issuer,
        audience: auth.audience,
        requiredClaims: ['iss', 'aud', 'exp', 'sub'],
        clockTolerance: auth.clockToleranceSeconds,
      }));
    } catch (e) {
      if (e instanceof AuthError) throw e;
      if (e instanceof errors.JWTExpired) throw new AuthError('token expired', 'expired');
      if (e instanceof errors.JWKSNoMatchingKey) throw new AuthError('unknown signing key', 'unknown_key');
      if (e instanceof errors.JWTClaimValidationFailed) {
        if (e.claim === 'nbf') throw new AuthError('token not yet valid', 'not_yet_valid');
        throw new AuthError('invalid token claims', 'claims');
      }
      throw new AuthError('invalid token');
    }
    // Explicit typing (RFC 8725 §3.11, RFC 9068 §4): a refresh or ID token is not an access token.
    if (!acceptedTypes.has(typ === undefined ? 'untyped' : normalizeTokenType(typ))) throw new AuthError('token type not accepted', 'token_type');
    const now = Date.now();
    const tolerance = auth.clockToleranceSeconds;
    if (payload.iat !== undefined && payload.iat > now / 1000 + tolerance) throw new AuthError('token issued in the future', 'issued_in_future');
    if (auth.maxTokenAgeSeconds !== undefined) {
      if (payload.iat === undefined) throw new AuthError('token has no "iat"', 'claims');
      if (payload.exp! - payload.iat > auth.maxTokenAgeSeconds) throw new AuthError('token lifetime too long', 'lifetime');
    }
    if (typeof payload.sub !== 'string' || !payload.sub) throw new AuthError('the token has no subject', 'claims');
    const claim = payload[auth.rolesClaim];
    if (claim !== undefined && !(Array.isArray(claim) && claim.every((r) => typeof r === 'string'))) {
      throw new AuthError(`"${auth.rolesClaim}" must be an array of role names`, 'roles');
    }
    // Roles of other applications (an identity provider's defaults) are ignored, not an error.
    const roles = [...new Set(((claim ?? []) as string[]).filter(isRole))];
    // An integration acts for its system only: a human role beside it would lift that binding.
    if (roles.includes(Role.INTEGRATION) && roles.length > 1) throw new AuthError('INTEGRATION cannot be combined with another role', 'roles');
    const system = payload[auth.systemClaim];
    if (roles.includes(Role.INTEGRATION) && (typeof system !== 'string' || !system)) {
      throw new AuthError(`an INTEGRATION token must name its system in "${auth.systemClaim}"`, 'claims');
    }
    if (roles.length === 0) throw new AuthError('the token grants no known role', 'no_role', 403, payload.sub);
    return {
      principal: { sub: payload.sub, roles, system: typeof system === 'string' ? system : undefined },
      until: Math.min(now + CACHE_MS, (payload.exp! + tolerance) * 1000),
      notBefore: payload.nbf !== undefined ? (payload.nbf - tolerance) * 1000 : 0,
    };
  }
}

const CACHE_MS = 60_000;
const CACHE_SIZE = 10_000;
