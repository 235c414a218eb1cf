import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import type { UiConfig } from '../config';

/** Roles allowed to change the inventory; the server decides, the UI only hides what would be refused. */
const WRITERS = ['PRIVACY_ADMIN', 'PRIVACY_ANALYST'];

export interface Session {
  token: string;
  sub: string;
  roles: string[];
}

interface AuthApi {
  config: UiConfig;
  session: Session | null;
  /** Dev mode: a token for one of the dev roles from POST /dev/token. */
  signInAs(role: string): Promise<void>;
  /** Production: redirect to the identity provider (authorization code + PKCE). */
  signInWithProvider(): Promise<void>;
  signOut(): Promise<void>;
  canWrite: boolean;
}

const AuthContext = createContext<AuthApi | null>(null);
// Session storage: a token dies with the tab rather than lingering on a shared machine.
const DEV_KEY = 'kiroku.devSession';

function claims(token: string): { sub: string; roles: string[]; exp?: number } {
  const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: string; roles?: unknown; exp?: number };
  return { sub: payload.sub ?? '', roles: Array.isArray(payload.roles) ? (payload.roles as string[]) : [], exp: payload.exp };
}

function fromUser(user: User | null): Session | null {
  if (!user || user.expired) return null;
  const c = claims(user.access_token);
  return { token: user.access_token, sub: (user.profile.name as string | undefined) ?? user.profile.sub ?? c.sub, roles: c.roles };
}

function storedDevSession(): Session | null {
  const token = sessionStorage.getItem(DEV_KEY);
  if (!token) return null;
  const c = claims(token);
  if (c.exp && c.exp * 1000 < Date.now()) {
    sessionStorage.removeItem(DEV_KEY);
    return null;
  }
  return { token, sub: c.sub, roles: c.roles };
}

export function oidcManager(config: UiConfig): UserManager | null {
  if (!config.oidc) return null;
  return new UserManager({
    authority: config.oidc.issuer,
    client_id: config.oidc.clientId,
    redirect_uri: `${location.origin}/auth/callback`,
    post_logout_redirect_uri: `${location.origin}/`,
    response_type: 'code',
    scope: config.oidc.scope,
    // Refresh before expiry with the refresh token (no hidden iframe, which frame-ancestors forbids).
    automaticSilentRenew: true,
    userStore: new WebStorageStateStore({ store: sessionStorage }),
  });
}

export function AuthProvider({ config, manager, children }: { config: UiConfig; manager: UserManager | null; children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(() => (config.devSignIn ? storedDevSession() : null));
  useEffect(() => {
    if (!manager) return;
    void manager.getUser().then((u) => setSession(fromUser(u)));
    const loaded = (u: User) => setSession(fromUser(u));
    const gone = () => setSession(null);
    manager.events.addUserLoaded(loaded);
    manager.events.addUserUnloaded(gone);
    manager.events.addAccessTokenExpired(gone);
    return () => {
      manager.events.removeUserLoaded(loaded);
      manager.events.removeUserUnloaded(gone);
      manager.events.removeAccessTokenExpired(gone);
    };
  }, [manager]);

  const signInAs = useCallback(async (role: string) => {
    const res = await fetch('/dev/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role }) });
    if (!res.ok) throw new Error(`POST /dev/token: ${res.status}`);
    const { token } = (await res.json()) as { token: string };
    sessionStorage.setItem(DEV_KEY, token);
    const c = claims(token);
    setSession({ token, sub: c.sub, roles: c.roles });
  }, []);
  const signInWithProvider = useCallback(async () => {
    await manager?.signinRedirect({ state: location.pathname + location.search });
  }, [manager]);
  const signOut = useCallback(async () => {
    sessionStorage.removeItem(DEV_KEY);
    setSession(null);
    if (manager) await manager.signoutRedirect().catch(() => manager.removeUser());
  }, [manager]);

  const value = useMemo<AuthApi>(
    () => ({ config, session, signInAs, signInWithProvider, signOut, canWrite: !!session?.roles.some((r) => WRITERS.includes(r)) }),
    [config, session, signInAs, signInWithProvider, signOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthApi {
  const api = useContext(AuthContext);
  if (!api) throw new Error('useAuth outside AuthProvider');
  return api;
}
