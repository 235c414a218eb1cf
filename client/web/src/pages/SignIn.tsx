import { useState } from 'react';
import { Alert, Button, Card, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../auth/session';
import { LanguageSwitch } from '../shell/LanguageSwitch';

export function SignIn() {
  const { t } = useTranslation();
  const { config, signInAs, signInWithProvider } = useAuth();
  const [error, setError] = useState<string | null>(null);
  const run = (p: Promise<void>) => p.catch((e: Error) => setError(e.message));
  return (
    <main>
      <Flex justify="center" align="center" style={{ minHeight: '100vh', background: '#f5f5f5' }}>
        <Card style={{ width: 420 }} data-testid="sign-in">
          <Flex justify="space-between" align="center">
            <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
              {t('app.title')}
            </Typography.Title>
            <LanguageSwitch />
          </Flex>
          <Typography.Paragraph type="secondary">{t('app.tagline')}</Typography.Paragraph>
          {error && <Alert type="error" title={t('signIn.failed')} description={error} style={{ marginBottom: 12 }} />}
          {config.oidc && (
            <Button type="primary" block onClick={() => void run(signInWithProvider())} data-testid="sign-in-oidc">
              {t('signIn.withProvider')}
            </Button>
          )}
          {config.devSignIn && (
            <>
              <Typography.Paragraph>{t('signIn.devNote')}</Typography.Paragraph>
              <Flex vertical gap={8}>
                {config.roles.map((role) => (
                  <Button key={role} block onClick={() => void run(signInAs(role))} data-testid={`sign-in-${role}`}>
                    {t(`roles.${role}`)}
                  </Button>
                ))}
              </Flex>
            </>
          )}
          {!config.oidc && !config.devSignIn && <Alert type="warning" title={t('signIn.noProvider')} />}
        </Card>
      </Flex>
    </main>
  );
}
