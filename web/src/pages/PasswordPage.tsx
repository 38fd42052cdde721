// Password change; forced (no other page reachable) while the session says mustChangePassword.
import { useState } from 'react';
import { Alert, Button, Card, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api, ApiError } from '../api';
import { showError, showSuccess } from '../notify';
import { useMe, useSessionActions } from '../session';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

export function PasswordPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { refresh } = useSessionActions();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);

  const onFinish = async (v: Values) => {
    setBusy(true);
    try {
      await api.changePassword(v.currentPassword, v.newPassword);
      showSuccess(t('password.done'));
      await refresh();
      navigate('/', { replace: true });
    } catch (err) {
      showError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t('password.title')} style={{ maxWidth: 480 }}>
      {me.mustChangePassword && (
        <Alert type="warning" showIcon title={t('password.mustChange')} style={{ marginBottom: 16 }} data-testid="must-change" />
      )}
      <Form<Values> layout="vertical" name="password" onFinish={onFinish}>
        <Form.Item name="currentPassword" label={t('password.current')} rules={[{ required: true, message: t('password.required') }]}>
          <Input.Password autoComplete="current-password" data-testid="password-current" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('password.new')}
          extra={t('password.rule')}
          rules={[
            { required: true, message: t('password.required') },
            { min: 8, message: t('password.tooShort') },
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="password-new" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('password.confirm')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('password.required') },
            ({ getFieldValue }) => ({
              validator: (_, value: string) =>
                !value || value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('password.mismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="password-confirm" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="password-submit">
          {t('common.submit')}
        </Button>
      </Form>
    </Card>
  );
}
