// The frame of every signed-in page: header (brand, language, user menu) and the role's side menu, which becomes a
// drawer on phone widths.
import { useState } from 'react';
import { Avatar, Button, Drawer, Dropdown, Grid, Layout, Menu, Space, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { KeyOutlined, LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { CalendarBanner } from './components/CalendarBanner';
import { LangSwitch } from './components/LangSwitch';
import { NotificationBell } from './components/NotificationBell';
import { menuKeyOf, menuOf } from './menu';
import { useMe, useSessionActions } from './session';

export function AppLayout() {
  const { t } = useTranslation();
  const me = useMe();
  const { logout } = useSessionActions();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const mobile = !screens.md;
  const [drawer, setDrawer] = useState(false);
  const [collapsed, setCollapsed] = useState(false);

  const section = menuKeyOf(location.pathname);
  const entries = me.mustChangePassword ? [] : menuOf(me.role);
  const items: MenuProps['items'] = entries.map(({ key, icon, path, external }) => ({
    key,
    icon,
    label: external ? (
      <a href={path} target="_blank" rel="noreferrer" data-testid={`menu-${key}`}>
        {t(`menu.${key}`)}
      </a>
    ) : (
      <span data-testid={`menu-${key}`}>{t(`menu.${key}`)}</span>
    ),
  }));

  const menu = (
    <Menu
      mode="inline"
      selectedKeys={section ? [section] : []}
      items={items}
      style={{ borderInlineEnd: 0 }}
      onClick={({ key }) => {
        const entry = entries.find((m) => m.key === key);
        if (!entry || entry.external) return;
        navigate(entry.path);
        setDrawer(false);
      }}
    />
  );

  const userItems: MenuProps['items'] = [
    {
      key: 'who',
      disabled: true,
      label: (
        <div style={{ lineHeight: 1.4 }}>
          <div>{me.displayName}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(`role.${me.role}`)} · {me.scopeName}
          </Typography.Text>
        </div>
      ),
    },
    { type: 'divider' },
    { key: 'password', icon: <KeyOutlined />, label: <span data-testid="menu-password">{t('menu.password')}</span> },
    { key: 'logout', icon: <LogoutOutlined />, label: <span data-testid="menu-logout">{t('menu.logout')}</span> },
  ];

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header className="gw-header">
        <Space size={12}>
          {mobile && (
            <Button type="text" icon={<MenuOutlined />} onClick={() => setDrawer(true)} aria-label={t('menu.openMenu')} data-testid="menu-toggle" />
          )}
          <div className="gw-logo" aria-hidden />
          <span className="gw-brand">{t('app.name')}</span>
          {!mobile && <span className="gw-brand-sub">{t('app.subtitle')}</span>}
        </Space>
        <Space size={mobile ? 4 : 12}>
          <LangSwitch />
          {!me.mustChangePassword && <NotificationBell />}
          <Dropdown
            trigger={['click']}
            menu={{
              items: userItems,
              onClick: ({ key }) => {
                if (key === 'password') navigate('/password');
                if (key === 'logout') void logout().then(() => navigate('/login'));
              },
            }}
          >
            <Button type="text" data-testid="user-menu" className="gw-user">
              <Avatar size="small" icon={<UserOutlined />} style={{ background: '#1677ff' }} />
              {!mobile && <span data-testid="user-name">{me.displayName}</span>}
            </Button>
          </Dropdown>
        </Space>
      </Layout.Header>
      <Layout>
        {!mobile && !me.mustChangePassword && (
          <Layout.Sider
            theme="light"
            width={200}
            collapsible
            collapsed={collapsed}
            onCollapse={setCollapsed}
            breakpoint="lg"
            className="gw-sider"
          >
            {menu}
          </Layout.Sider>
        )}
        {mobile && (
          <Drawer placement="left" open={drawer} onClose={() => setDrawer(false)} size={220} title={t('app.name')} styles={{ body: { padding: 0 } }}>
            {menu}
          </Drawer>
        )}
        <Layout.Content className="gw-content">
          <CalendarBanner role={me.role} />
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
