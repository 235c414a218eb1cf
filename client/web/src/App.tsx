import { Suspense, useMemo, useRef, useSyncExternalStore } from 'react';
import { BrowserRouter, Route, Routes, useNavigate } from 'react-router';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import jaJP from 'antd/locale/ja_JP';
import enUS from 'antd/locale/en_US';
import 'dayjs/locale/ja';
import { Provider as UrqlProvider } from 'urql';
import { useTranslation } from 'react-i18next';
import type { UserManager } from 'oidc-client-ts';
import type { UiConfig } from './config';
import { AuthProvider, useAuth } from './auth/session';
import { createGraphqlClient } from './graphql';
import { ROUTES } from './routes';
import { AppShell } from './shell/AppShell';
import { SignIn } from './pages/SignIn';
import { Placeholder } from './pages/Placeholder';
import { OidcCallback } from './pages/OidcCallback';

// Secondary texts and group titles darker than antd's defaults: WCAG AA contrast (axe) on white.
const THEME = {
  token: { colorPrimary: '#1e5aa8', colorLink: '#1a4f94', colorTextDescription: 'rgba(0,0,0,0.62)', colorTextTertiary: 'rgba(0,0,0,0.62)', colorTextQuaternary: 'rgba(0,0,0,0.55)' },
  components: { Menu: { groupTitleColor: 'rgba(0,0,0,0.62)' } },
};
// Someone who asked their system for less motion gets drawers, dialogs and tabs without animation
// (WCAG 2.3.3), and it follows the setting when it changes.
const REDUCED_MOTION = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(prefers-reduced-motion: reduce)') : null;
const subscribeMotion = (changed: () => void) => {
  REDUCED_MOTION?.addEventListener('change', changed);
  return () => REDUCED_MOTION?.removeEventListener('change', changed);
};
const STILL_THEME = { ...THEME, token: { ...THEME.token, motion: false } };
// The click ripple of buttons is an animation of its own.
const NO_WAVE = { disabled: true };

function Pages() {
  const { session } = useAuth();
  const token = useRef<string | null>(null);
  token.current = session?.token ?? null;
  // A new client per signed-in user: nothing cached for one role leaks into another's pages.
  const client = useMemo(() => createGraphqlClient(() => token.current), [session?.sub, session?.roles.join()]);
  if (!session) return <SignIn />;
  return (
    <UrqlProvider value={client}>
      <AppShell>
        <Suspense fallback={<Spin data-testid="page-loading" />}>
          <Routes>
            {ROUTES.map((r) => {
              const Page = r.page;
              return <Route key={r.path} path={r.path} element={Page ? <Page /> : <Placeholder navKey={r.label} />} />;
            })}
            <Route path="*" element={<Placeholder navKey="notFound" />} />
          </Routes>
        </Suspense>
      </AppShell>
    </UrqlProvider>
  );
}

function CallbackRoute({ manager }: { manager: UserManager | null }) {
  const navigate = useNavigate();
  return <OidcCallback manager={manager} done={(to) => navigate(to, { replace: true })} />;
}

export function App({ config, manager }: { config: UiConfig; manager: UserManager | null }) {
  const { i18n } = useTranslation();
  const still = useSyncExternalStore(subscribeMotion, () => REDUCED_MOTION?.matches ?? false);
  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : jaJP} theme={still ? STILL_THEME : THEME} wave={still ? NO_WAVE : undefined}>
      <AntApp>
        <AuthProvider config={config} manager={manager}>
          <BrowserRouter>
            <Routes>
              <Route path="/auth/callback" element={<CallbackRoute manager={manager} />} />
              <Route path="*" element={<Pages />} />
            </Routes>
          </BrowserRouter>
        </AuthProvider>
      </AntApp>
    </ConfigProvider>
  );
}
