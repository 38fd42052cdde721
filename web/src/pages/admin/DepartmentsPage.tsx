// 部门管理 (admin): departments with their people and open work orders; create, rename, retire (the server refuses
// while work orders are open and names them).
import { useState } from 'react';
import { Button, Card, Form, Input, Modal, Popconfirm, Space, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { ExportButton } from '../../components/ExportButton';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { adminApi, useAdminDepartments, type DepartmentAdmin } from '../../components/admin/adminApi';
import { showSuccess } from '../../notify';
import { refKeys, adminKeys } from '../../queryKeys';

export function DepartmentsPage() {
  const { t } = useTranslation();
  const departments = useAdminDepartments();
  const client = useQueryClient();
  const [editing, setEditing] = useState<DepartmentAdmin | 'new' | null>(null);
  const done = () => {
    void client.invalidateQueries({ queryKey: adminKeys.all });
    void client.invalidateQueries({ queryKey: refKeys.departments() });
    showSuccess(t('departments.saved'));
  };
  const retire = useMutation({ mutationFn: (d: DepartmentAdmin) => adminApi.retireDepartment(d.id), onSuccess: done });
  return (
    <Card
      title={t('departments.title')}
      extra={
        <Space>
          <ExportButton path="/departments/export.xlsx" testId="departments-export" />
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="department-create">
            {t('departments.create')}
          </Button>
        </Space>
      }
    >
      <Table<DepartmentAdmin>
        rowKey="id"
        size="small"
        loading={departments.isLoading}
        dataSource={departments.data ?? []}
        pagination={false}
        columns={[
          { title: t('departments.code'), dataIndex: 'code', width: 100 },
          { title: t('departments.name'), dataIndex: 'name', render: (n: string, d) => (d.retired ? <Space>{n}<Tag>{t('departments.retired')}</Tag></Space> : n) },
          { title: t('departments.users'), dataIndex: 'userCount', width: 100 },
          { title: t('departments.openWorkOrders'), dataIndex: 'openWorkOrders', width: 130 },
          {
            key: 'actions',
            width: 180,
            render: (_, d) =>
              d.retired ? null : (
                <Space size={4}>
                  <Button size="small" onClick={() => setEditing(d)}>
                    {t('departments.rename')}
                  </Button>
                  <Popconfirm title={t('departments.retireConfirm', { name: d.name })} onConfirm={() => retire.mutate(d)}>
                    <Button size="small" danger>
                      {t('departments.retire')}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
          },
        ]}
      />
      {editing && <EditDepartment department={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onDone={done} />}
    </Card>
  );
}

function EditDepartment({ department, onClose, onDone }: { department: DepartmentAdmin | null; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ code: string; name: string }>();
  const save = useMutation({
    mutationFn: async (v: { code: string; name: string }) => {
      if (department) await adminApi.renameDepartment(department.id, v.name);
      else await adminApi.createDepartment(v);
    },
    onSuccess: () => {
      onDone();
      onClose();
    },
  });
  return (
    <Modal
      open
      title={department ? t('departments.renameTitle', { name: department.name }) : t('departments.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.submit')}
      okButtonProps={{ loading: save.isPending }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={department ?? {}} onFinish={(v) => save.mutate(v)}>
        <Form.Item name="code" label={t('departments.code')} rules={[{ required: true, pattern: /^[A-Za-z0-9_-]{1,20}$/ }]}>
          <Input disabled={!!department} />
        </Form.Item>
        <Form.Item name="name" label={t('departments.name')} rules={[{ required: true, whitespace: true, max: 100 }]}>
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
}
