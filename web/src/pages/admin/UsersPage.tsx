// 用户管理 (admin): a searchable list of accounts; create and edit with role, a scope picked on the division/grid
// tree and a department; reset password (shown once), lock/unlock, deactivate. Refusals show the server's message.
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, TreeSelect, Typography, Upload } from 'antd';
import { DownloadOutlined, FileExcelOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '../../../../src/shared/vocabulary';
import type { GridTreeNode } from '../../../../src/shared/grids-api';
import { adminApi, importUsersSheet, useAdminDepartments, type UsersImportResult, useScopeTree, useUsers, type UserAdmin, type UserFilters, type UserWithPassword } from '../../components/admin/adminApi';
import { fmtTime } from '../../format';
import { showSuccess } from '../../notify';
import { useSession } from '../../session';

const SCOPED: Role[] = ['operator', 'leader', 'grid_worker'];

interface TreeOption {
  value: string;
  title: string;
  children?: TreeOption[];
}

/** The division/grid tree as TreeSelect options; values are "division:ID" or "grid:ID". */
function treeOptions(nodes: GridTreeNode[]): TreeOption[] {
  return nodes.map((n) => ({
    value: `${n.kind}:${n.id}`,
    title: `${n.name}（${n.code}）`,
    ...(n.children.length ? { children: treeOptions(n.children) } : {}),
  }));
}

const scopeValue = (s: string | undefined) => {
  if (!s) return null;
  const [type, id] = s.split(':');
  return { type: type as 'division' | 'grid', id: Number(id) };
};

export function UsersPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<UserFilters>({ status: 'active', page: 1, pageSize: 20 });
  const users = useUsers(filters);
  const departments = useAdminDepartments();
  const client = useQueryClient();
  const [editing, setEditing] = useState<UserAdmin | 'new' | null>(null);
  const [temporary, setTemporary] = useState<UserWithPassword | null>(null);
  const csrf = useSession().session?.csrfToken ?? null;
  const [imported, setImported] = useState<{ ok: true; result: UsersImportResult } | { ok: false; messages: string[] } | null>(null);
  const upload = useMutation({
    mutationFn: (file: File) => importUsersSheet(csrf, file),
    onSuccess: (r) => {
      setImported(r);
      if (r.ok) void client.invalidateQueries({ queryKey: ['admin'] });
    },
  });
  const refresh = () => void client.invalidateQueries({ queryKey: ['admin'] });
  const act = useMutation({
    mutationFn: async ({ kind, user }: { kind: 'reset' | 'lock' | 'unlock' | 'deactivate'; user: UserAdmin }) => {
      if (kind === 'reset') setTemporary(await adminApi.resetPassword(user.id));
      else if (kind === 'deactivate') await adminApi.deactivateUser(user.id);
      else await adminApi.lockUser(user.id, kind === 'lock');
    },
    onSuccess: () => {
      refresh();
      showSuccess(t('users.saved'));
    },
  });

  return (
    <Card
      title={t('users.title')}
      extra={
        <Space wrap>
          <Button icon={<FileExcelOutlined />} href="/api/users/export" download data-testid="user-export">
            {t('users.export')}
          </Button>
          <Button icon={<DownloadOutlined />} href="/api/users/template" download>
            {t('users.template')}
          </Button>
          <Upload
            accept=".xlsx"
            showUploadList={false}
            beforeUpload={(file) => {
              upload.mutate(file);
              return false;
            }}
          >
            <Button icon={<UploadOutlined />} loading={upload.isPending} data-testid="user-import">
              {t('users.import')}
            </Button>
          </Upload>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="user-create">
            {t('users.create')}
          </Button>
        </Space>
      }
    >
      {imported && !imported.ok && (
        <Alert
          type="error"
          showIcon
          closable
          onClose={() => setImported(null)}
          style={{ marginBottom: 16 }}
          message={t('users.importRefused')}
          description={<ul style={{ margin: 0, paddingLeft: 20 }}>{imported.messages.map((m, i) => <li key={i}>{m}</li>)}</ul>}
        />
      )}
      {imported?.ok && (
        <Modal open width={640} title={t('users.importedTitle', { count: imported.result.created })} onCancel={() => setImported(null)} onOk={() => setImported(null)} cancelButtonProps={{ style: { display: 'none' } }}>
          <Typography.Paragraph>{t('users.importedText')}</Typography.Paragraph>
          <Table
            rowKey="username"
            size="small"
            pagination={false}
            dataSource={imported.result.users}
            columns={[
              { title: t('users.username'), dataIndex: 'username' },
              { title: t('users.displayName'), dataIndex: 'displayName' },
              { title: t('users.temporaryTitle'), dataIndex: 'temporaryPassword', render: (p: string) => <Typography.Text code copyable>{p}</Typography.Text> },
            ]}
          />
        </Modal>
      )}
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          placeholder={t('users.search')}
          style={{ width: 240 }}
          onSearch={(q) => setFilters({ ...filters, q: q || undefined, page: 1 })}
          data-testid="user-search"
        />
        <Select
          allowClear
          placeholder={t('users.allRoles')}
          style={{ width: 180 }}
          options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
          onChange={(role) => setFilters({ ...filters, role: role ?? undefined, page: 1 })}
        />
        <Select
          allowClear
          placeholder={t('users.department')}
          style={{ width: 180 }}
          options={(departments.data ?? []).filter((d) => !d.retired).map((d) => ({ value: d.id, label: d.name }))}
          onChange={(departmentId) => setFilters({ ...filters, departmentId: departmentId ?? undefined, page: 1 })}
        />
        <Select
          style={{ width: 120 }}
          value={filters.status}
          options={(['active', 'locked', 'deactivated', 'all'] as const).map((s) => ({ value: s, label: t(`users.statusOptions.${s}`) }))}
          onChange={(status) => setFilters({ ...filters, status, page: 1 })}
        />
      </Space>
      <Table<UserAdmin>
        rowKey="id"
        size="small"
        loading={users.isLoading}
        dataSource={users.data?.items ?? []}
        scroll={{ x: 1100 }}
        onRow={(u) => ({ 'data-testid': `user-row-${u.username}` }) as React.HTMLAttributes<HTMLElement>}
        pagination={{
          current: filters.page,
          pageSize: filters.pageSize,
          total: users.data?.total ?? 0,
          showTotal: (n) => t('users.total', { count: n }),
          onChange: (page, pageSize) => setFilters({ ...filters, page, pageSize }),
        }}
        columns={[
          { title: t('users.username'), dataIndex: 'username', width: 130 },
          { title: t('users.displayName'), dataIndex: 'displayName', width: 150 },
          { title: t('users.role'), dataIndex: 'role', width: 140, render: (r: Role) => t(`role.${r}`) },
          { title: t('users.scope'), dataIndex: 'scopeName', width: 150, render: (s: string | null) => s ?? '—' },
          { title: t('users.department'), dataIndex: 'departmentName', width: 140, render: (s: string | null) => s ?? '—' },
          { title: t('users.lastLogin'), dataIndex: 'lastLoginAt', width: 150, render: (s: string | null) => (s ? fmtTime(s) : t('users.never')) },
          {
            title: t('users.status'),
            key: 'status',
            width: 150,
            render: (_, u) => (
              <Space size={4} wrap>
                {u.deactivatedAt && <Tag>{t('users.deactivated')}</Tag>}
                {u.locked && <Tag color="red">{t('users.locked')}</Tag>}
                {u.throttledUntil && <Tag color="orange">{t('users.throttled')}</Tag>}
                {u.mustChangePassword && !u.deactivatedAt && <Tag color="blue">{t('users.mustChange')}</Tag>}
              </Space>
            ),
          },
          {
            key: 'actions',
            width: 300,
            render: (_, u) =>
              u.deactivatedAt ? null : (
                <Space size={4} wrap>
                  <Button size="small" onClick={() => setEditing(u)} data-testid={`user-edit-${u.username}`}>
                    {t('users.edit')}
                  </Button>
                  <Popconfirm title={t('users.resetConfirm', { name: u.displayName })} onConfirm={() => act.mutate({ kind: 'reset', user: u })}>
                    <Button size="small">{t('users.resetPassword')}</Button>
                  </Popconfirm>
                  {u.locked ? (
                    <Button size="small" onClick={() => act.mutate({ kind: 'unlock', user: u })}>
                      {t('users.unlock')}
                    </Button>
                  ) : (
                    <Popconfirm title={t('users.lockConfirm', { name: u.displayName })} onConfirm={() => act.mutate({ kind: 'lock', user: u })}>
                      <Button size="small">{t('users.lock')}</Button>
                    </Popconfirm>
                  )}
                  <Popconfirm title={t('users.deactivateConfirm', { name: u.displayName })} onConfirm={() => act.mutate({ kind: 'deactivate', user: u })}>
                    <Button size="small" danger data-testid={`user-deactivate-${u.username}`}>
                      {t('users.deactivate')}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
          },
        ]}
      />
      {editing && (
        <EditUser
          user={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onCreated={(made) => {
            setEditing(null);
            setTemporary(made);
          }}
        />
      )}
      {temporary && (
        <Modal open title={t('users.temporaryTitle')} onCancel={() => setTemporary(null)} onOk={() => setTemporary(null)} cancelButtonProps={{ style: { display: 'none' } }}>
          <Typography.Paragraph>{t('users.temporaryText', { name: temporary.user.displayName })}</Typography.Paragraph>
          <Typography.Text code copyable data-testid="temporary-password">
            {temporary.temporaryPassword}
          </Typography.Text>
        </Modal>
      )}
    </Card>
  );
}

interface Values {
  username: string;
  displayName: string;
  role: Role;
  scope?: string;
  departmentId?: number;
  password?: string;
}

function EditUser({ user, onClose, onCreated }: { user: UserAdmin | null; onClose: () => void; onCreated: (u: UserWithPassword) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const role = Form.useWatch('role', form) ?? user?.role;
  const tree = useScopeTree();
  const departments = useAdminDepartments();
  const client = useQueryClient();
  const save = useMutation({
    meta: { silent: true },
    mutationFn: async (v: Values) => {
      const scope = SCOPED.includes(v.role) ? scopeValue(v.scope) : null;
      const departmentId = v.role === 'department' ? (v.departmentId ?? null) : null;
      if (user) {
        // Left untouched, the scope and department stay as they are (the server drops what the new role cannot have).
        const body = { displayName: v.displayName, role: v.role, ...(v.scope ? { scope } : {}), ...(v.departmentId && v.role === 'department' ? { departmentId } : {}) };
        return { updated: await adminApi.updateUser(user.id, body) };
      }
      return { created: await adminApi.createUser({ username: v.username, displayName: v.displayName, role: v.role, scope, departmentId, ...(v.password ? { password: v.password } : {}) }) };
    },
    onSuccess: (r) => {
      void client.invalidateQueries({ queryKey: ['admin'] });
      showSuccess(t('users.saved'));
      if (r.created) onCreated(r.created);
      else onClose();
    },
  });
  return (
    <Modal
      open
      width={560}
      title={user ? t('users.editTitle', { name: user.displayName }) : t('users.createTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.submit')}
      okButtonProps={{ loading: save.isPending, ...({ 'data-testid': 'user-submit' } as object) }}
      destroyOnHidden
    >
      {save.error && <Alert type="error" showIcon message={(save.error as Error).message} style={{ marginBottom: 12 }} />}
      <Form<Values>
        form={form}
        layout="vertical"
        name="user"
        initialValues={user ? { username: user.username, displayName: user.displayName, role: user.role, departmentId: user.departmentId ?? undefined } : { role: 'grid_worker' }}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item name="username" label={t('users.username')} rules={[{ required: true, pattern: /^[A-Za-z0-9_.@-]{2,40}$/ }]}>
          <Input disabled={!!user} data-testid="user-username" />
        </Form.Item>
        <Form.Item name="displayName" label={t('users.displayName')} rules={[{ required: true, whitespace: true, max: 100 }]}>
          <Input data-testid="user-displayName" />
        </Form.Item>
        <Form.Item name="role" label={t('users.role')} rules={[{ required: true }]}>
          <Select options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))} data-testid="user-role" />
        </Form.Item>
        {role && SCOPED.includes(role) && (
          <Form.Item name="scope" label={t('users.scope')} extra={t('users.scopeHint')} rules={[{ required: !user }]}>
            <TreeSelect
              showSearch
              treeNodeFilterProp="title"
              placeholder={user?.scopeName ?? t('users.scopePlaceholder')}
              treeData={treeOptions(tree.data?.roots ?? [])}
              treeDefaultExpandAll
              data-testid="user-scope"
            />
          </Form.Item>
        )}
        {role === 'department' && (
          <Form.Item name="departmentId" label={t('users.department')} rules={[{ required: true }]}>
            <Select options={(departments.data ?? []).filter((d) => !d.retired).map((d) => ({ value: d.id, label: d.name }))} data-testid="user-department" />
          </Form.Item>
        )}
        {!user && (
          <Form.Item name="password" label={t('users.passwordOptional')} rules={[{ min: 8 }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
