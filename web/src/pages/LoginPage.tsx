// Login: username + password; on success go where the user was heading (or the role's home).
import { useState } from 'react';
import { Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { ApiError } from '../api';
import { LangSwitch } from '../components/LangSwitch';
import { showError, showSuccess } from '../notify';
import { useSession, useSessionActions } from '../session';

interface LoginValues {
  username: string;
  password: string;
}

export function LoginPage() {
  const { t } = useTranslation();
  const { user } = useSession();
  const { login } = useSessionActions();
  const navigate = useNavigate();
  const location = useLocation();
  const [busy, setBusy] = useState(false);
  const from = (location.state as { from?: string } | null)?.from ?? '/';

  if (user) return <Navigate to={from} replace />;

  const onFinish = async (values: LoginValues) => {
    setBusy(true);
    try {
      const session = await login(values.username.trim(), values.password);
      showSuccess(t('login.welcome', { name: session.user.displayName }));
      navigate(session.user.mustChangePassword ? '/password' : from, { replace: true });
    } catch (err) {
      showError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="gw-login">
      <div className="gw-login-lang">
        <LangSwitch size="middle" />
      </div>
      <Card className="gw-login-card">
        <div className="gw-login-brand">
          <div className="gw-logo" aria-hidden />
          <div>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {t('app.name')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('app.subtitle')}</Typography.Text>
          </div>
        </div>
        <Typography.Title level={5} style={{ marginTop: 24 }}>
          {t('login.title')}
        </Typography.Title>
        <Form<LoginValues> name="login" layout="vertical" size="large" onFinish={onFinish} requiredMark={false}>
          <Form.Item name="username" rules={[{ required: true, message: t('login.usernameRequired') }]}>
            <Input
              prefix={<UserOutlined />}
              placeholder={t('login.username')}
              autoComplete="username"
              autoFocus
              data-testid="login-username"
            />
          </Form.Item>
          <Form.Item name="password" rules={[{ required: true, message: t('login.passwordRequired') }]}>
            <Input.Password
              prefix={<LockOutlined />}
              placeholder={t('login.password')}
              autoComplete="current-password"
              data-testid="login-password"
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
      <Typography.Text type="secondary" className="gw-login-footer">
        {t('app.footer')}
      </Typography.Text>
    </div>
  );
}
