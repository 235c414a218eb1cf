import type { ReactNode } from 'react';
import { Button, Flex, Layout, Menu, Tag, Typography } from 'antd';
import { Link, matchPath, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../auth/session';
import { GROUPS, ROUTES } from '../routes';
import { LanguageSwitch } from './LanguageSwitch';

export function AppShell({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { session, signOut } = useAuth();
  const { pathname } = useLocation();
  const current = ROUTES.find((r) => matchPath(r.path, pathname));
  const selected = current?.nav ? current.path : ROUTES.find((r) => r.nav && r.path !== '/' && pathname.startsWith(r.path))?.path ?? '';
  const items = GROUPS.map((g) => ({
    type: 'group' as const,
    key: g,
    label: t(`navGroup.${g}`),
    children: ROUTES.filter((r) => r.nav && r.group === g).map((r) => ({
      key: r.path,
      label: (
        <Link to={r.path} data-testid={`nav-${r.label}`}>
          {t(`nav.${r.label}`)}
        </Link>
      ),
    })),
  }));
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={220} theme="light" style={{ borderInlineEnd: '1px solid #eee' }}>
        <Typography.Title level={2} style={{ fontSize: 20, padding: '16px 24px', margin: 0 }}>
          <Link to="/">{t('app.title')}</Link>
        </Typography.Title>
        <nav aria-label={t('shell.navigation')}>
          <Menu mode="inline" selectedKeys={[selected]} items={items} style={{ borderInlineEnd: 0 }} />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', paddingInline: 24, borderBottom: '1px solid #eee' }}>
          <Flex justify="flex-end" align="center" gap={16} style={{ height: '100%' }}>
            <LanguageSwitch />
            <span data-testid="current-user">{session?.sub}</span>
            {session?.roles.map((r) => (
              <Tag key={r} color="blue" data-testid="current-role">
                {t(`roles.${r}`)}
              </Tag>
            ))}
            <Button onClick={() => void signOut()} data-testid="sign-out">
              {t('shell.signOut')}
            </Button>
          </Flex>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <main>{children}</main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
