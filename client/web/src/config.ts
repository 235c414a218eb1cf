/** What the server tells the UI before sign-in (GET /ui-config.json): how people sign in here. */
export interface UiConfig {
  devSignIn: boolean;
  roles: string[];
  oidc: { issuer: string; clientId: string; scope: string } | null;
}

export async function loadUiConfig(): Promise<UiConfig> {
  const res = await fetch('/ui-config.json', { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`GET /ui-config.json: ${res.status}`);
  return (await res.json()) as UiConfig;
}
