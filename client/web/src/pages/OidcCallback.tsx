import { useEffect, useRef, useState } from 'react';
import { Alert, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import type { UserManager } from 'oidc-client-ts';

/** The identity provider's redirect back: exchange the code (PKCE) and return where sign-in began. */
export function OidcCallback({ manager, done }: { manager: UserManager | null; done: (to: string) => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);
  useEffect(() => {
    if (!manager || started.current) return;
    started.current = true;
    manager
      .signinRedirectCallback()
      .then((user) => done(typeof user.state === 'string' && user.state.startsWith('/') ? user.state : '/'))
      .catch((e: Error) => setError(e.message));
  }, [manager, done]);
  if (!manager) return <Alert type="error" title={t('signIn.noProvider')} />;
  return error ? <Alert type="error" title={t('signIn.failed')} description={error} /> : <Spin />;
}
