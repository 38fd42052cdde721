// 用户管理 (admin): a searchable list of accounts; create and edit with role, a scope picked on the division/grid
// tree and a department; reset password (shown once), lock/unlock, deactivate. Refusals show the server's message.
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, TreeSelect, Typography, Upload } from 'antd';
import { DownloadOutlined, FileExcelOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '../../../../src/shared/vocabulary';
import type { GridTreeNode } from '../../../../src/shared/grids-api';
import { adminApi, importUsersSheet, useAdminDepartments, type UsersImportResult, useScopeTree, useUsers, type UserAdmin, type UserFilters, type UserWithPassword } from '../../components/admin/adminApi';
import { fmtTime } from '../../format';
import { showSuccess } from '../../notify';
import { adminKeys } from '../../queryKeys';
import { ExportButton } from '../../components/ExportButton';

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

const scopeValue = (s: string) => {
  const [type, id] = s.split(':');
  return { type: type as 'division' | 'grid', id: Number(id) };
};
/** The picker's value (one place, or several for a grid worker) as the API's scopes. */
const scopesOf = (v: string | string[] | undefined) => (v == null ? [] : Array.isArray(v) ? v : [v]).filter(Boolean).map(scopeValue);

export function UsersPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<UserFilters>({ status: 'active', page: 1, pageSize: 20 });
  const users = useUsers(filters);
  const departments = useAdminDepartments();
  const client = useQueryClient();
  const [editing, setEditing] = useState<UserAdmin | 'new' | null>(null);
  const [temporary, setTemporary] = useState<UserWithPassword | null>(null);
  const [imported, setImported] = useState<{ ok: true; result: UsersImportResult } | { ok: false; messages: string[] } | null>(null);
  const upload = useMutation({
    mutationFn: (file: File) => importUsersSheet(file),
    onSuccess: (r) => {
      setImported(r);
      if (r.ok) void client.invalidateQueries({ queryKey: adminKeys.all });
    },
  });
  const refresh = () => void client.invalidateQueries({ queryKey: adminKeys.all });
  const [deactivating, setDeactivating] = useState<UserAdmin | null>(null);
  const act = useMutation({
    mutationFn: async ({ kind, user }: { kind: 'reset' | 'lock' | 'unlock'; user: UserAdmin }) => {
      if (kind === 'reset') setTemporary(await adminApi.resetPassword(user.id));
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
          <ExportButton url="/api/users/export" testId="user-export">
            {t('users.export')}
          </ExportButton>
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
                  <Button size="small" danger onClick={() => setDeactivating(u)} data-testid={`user-deactivate-${u.username}`}>
                    {t('users.deactivate')}
                  </Button>
                </Space>
              ),
          },
        ]}
      />
      {deactivating && <DeactivateUser user={deactivating} onClose={() => setDeactivating(null)} />}
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
  scope?: string | string[];
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
      const scopes = SCOPED.includes(v.role) ? scopesOf(v.scope) : [];
      const departmentId = v.role === 'department' ? (v.departmentId ?? null) : null;
      if (user) {
        // Left untouched, the scope and department stay as they are (the server drops what the new role cannot have).
        const body = { displayName: v.displayName, role: v.role, ...(scopes.length ? { scopes } : {}), ...(v.departmentId && v.role === 'department' ? { departmentId } : {}) };
        return { updated: await adminApi.updateUser(user.id, body) };
      }
      return {
        created: await adminApi.createUser({
          username: v.username,
          displayName: v.displayName,
          role: v.role,
          ...(scopes.length ? { scopes } : { scope: null }),
          departmentId,
          ...(v.password ? { password: v.password } : {}),
        }),
      };
    },
    onSuccess: (r) => {
      void client.invalidateQueries({ queryKey: adminKeys.all });
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
        initialValues={
          user
            ? {
                username: user.username,
                displayName: user.displayName,
                role: user.role,
                departmentId: user.departmentId ?? undefined,
                scope: (() => {
                  const held = user.scopes.filter((s) => s.id != null).map((s) => `${s.type}:${s.id}`);
                  return user.role === 'grid_worker' ? held : held[0];
                })(),
              }
            : { role: 'grid_worker' }
        }
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
              // a grid worker may hold several grids; every other role one place
              multiple={role === 'grid_worker'}
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

/**
 * Deactivation lists what the account still holds (a grid worker's grids and their open cases, or the cases only it
 * can act on); a grid worker's grids are handed to another grid worker in the same step.
 */
function DeactivateUser({ user, onClose }: { user: UserAdmin; onClose: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const tasks = useQuery({ queryKey: adminKeys.userTasks(user.id), queryFn: () => adminApi.userTasks(user.id) });
  const workers = useUsers({ role: 'grid_worker', status: 'active', page: 1, pageSize: 200 });
  const [successorId, setSuccessorId] = useState<number | undefined>();
  const go = useMutation({
    meta: { silent: true },
    mutationFn: () => adminApi.deactivateUser(user.id, successorId),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: adminKeys.all });
      showSuccess(t('users.saved'));
      onClose();
    },
  });
  const data = tasks.data;
  const handover = user.role === 'grid_worker' && (data?.grids.length ?? 0) > 0;
  const blocked = !!data?.mustReassign && !(handover && successorId);
  return (
    <Modal
      open
      width={640}
      title={t('users.deactivateTitle', { name: user.displayName })}
      onCancel={onClose}
      onOk={() => go.mutate()}
      okText={handover && successorId ? t('users.reassignAndDeactivate') : t('users.deactivateNow')}
      okButtonProps={{ danger: true, disabled: !data || blocked, loading: go.isPending, ...({ 'data-testid': 'user-deactivate-confirm' } as object) }}
      destroyOnHidden
    >
      {go.error && <Alert type="error" showIcon message={(go.error as Error).message} style={{ marginBottom: 12 }} />}
      {data?.reason && <Alert type="warning" showIcon message={data.reason} style={{ marginBottom: 12 }} data-testid="user-deactivate-reason" />}
      {data && !data.reason && !data.grids.length && <Typography.Paragraph>{t('users.deactivateNothing')}</Typography.Paragraph>}
      {!!data?.grids.length && (
        <>
          <Typography.Title level={5}>{t('users.deactivateGrids')}</Typography.Title>
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={data.grids}
            onRow={() => ({ 'data-testid': 'user-task-grid' }) as React.HTMLAttributes<HTMLElement>}
            columns={[
              { title: t('users.scope'), dataIndex: 'name', render: (n: string, g) => `${n}（${g.code}）` },
              { title: t('users.openCases'), dataIndex: 'openCases', width: 90 },
              { title: t('users.toVerify'), dataIndex: 'toVerify', width: 90 },
            ]}
          />
        </>
      )}
      {!!data?.cases.length && (
        <>
          <Typography.Title level={5} style={{ marginTop: 12 }}>
            {t('users.deactivateCases')}
          </Typography.Title>
          <Typography.Paragraph data-testid="user-task-cases">{data.cases.map((c) => c.number).join('、')}</Typography.Paragraph>
        </>
      )}
      {handover && (
        <Form layout="vertical">
          <Form.Item label={t('users.successor')} extra={t('users.successorHint')}>
            <Select
              showSearch
              optionFilterProp="label"
              value={successorId}
              onChange={setSuccessorId}
              options={(workers.data?.items ?? []).filter((u) => u.id !== user.id).map((u) => ({ value: u.id, label: `${u.displayName}（${u.username}）· ${u.scopeName ?? '—'}` }))}
              data-testid="user-successor"
            />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
