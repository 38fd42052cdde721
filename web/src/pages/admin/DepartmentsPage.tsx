// 部门管理 (admin): departments with their people, open work orders, contacts and default categories; create, rename,
// edit contacts and default categories, merge into another department, retire (the dialog lists the open work
// orders first; the server refuses while any is open and names them).
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Modal, Select, Space, Table, Tag, TreeSelect, Typography, type ButtonProps } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { ExportButton } from '../../components/ExportButton';
import { ContactList } from '../../components/DepartmentContacts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { adminApi, useAdminDepartments, type DepartmentAdmin, type DepartmentContactInput } from '../../components/admin/adminApi';
import { showSuccess } from '../../notify';
import { refKeys, adminKeys } from '../../queryKeys';
import { useCategories } from '../../queries';
import { fmtTime } from '../../format';

type Dialog = { kind: 'new' } | { kind: 'rename' | 'contacts' | 'categories' | 'merge' | 'retire'; department: DepartmentAdmin };

export function DepartmentsPage() {
  const { t } = useTranslation();
  const departments = useAdminDepartments();
  const client = useQueryClient();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const done = (text = t('departments.saved')) => {
    void client.invalidateQueries({ queryKey: adminKeys.all });
    void client.invalidateQueries({ queryKey: refKeys.departments() });
    void client.invalidateQueries({ queryKey: refKeys.categories() });
    showSuccess(text);
  };
  const close = () => setDialog(null);
  return (
    <Card
      title={t('departments.title')}
      extra={
        <Space>
          <ExportButton path="/departments/export.xlsx" testId="departments-export" />
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ kind: 'new' })} data-testid="department-create">
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
        scroll={{ x: 1100 }}
        onRow={(d) => ({ 'data-testid': `department-row-${d.code}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('departments.code'), dataIndex: 'code', width: 90 },
          { title: t('departments.name'), dataIndex: 'name', width: 170, render: (n: string, d) => (d.retired ? <Space>{n}<Tag>{t('departments.retired')}</Tag></Space> : n) },
          { title: t('departments.users'), dataIndex: 'userCount', width: 70 },
          { title: t('departments.openWorkOrders'), dataIndex: 'openWorkOrders', width: 100 },
          {
            title: t('org.contacts'),
            key: 'contacts',
            width: 220,
            render: (_, d) => <ContactList contacts={d.contacts} />,
          },
          {
            title: t('org.defaultCategories'),
            key: 'categories',
            render: (_, d) => d.defaultCategories.map((c) => <Tag key={c.id}>{c.name}</Tag>),
          },
          {
            key: 'actions',
            width: 300,
            render: (_, d) =>
              d.retired ? null : (
                <Space size={4} wrap>
                  <Button size="small" onClick={() => setDialog({ kind: 'rename', department: d })}>
                    {t('departments.rename')}
                  </Button>
                  <Button size="small" onClick={() => setDialog({ kind: 'contacts', department: d })} data-testid={`department-contacts-${d.code}`}>
                    {t('org.contacts')}
                  </Button>
                  <Button size="small" onClick={() => setDialog({ kind: 'categories', department: d })} data-testid={`department-categories-${d.code}`}>
                    {t('org.defaultCategories')}
                  </Button>
                  <Button size="small" onClick={() => setDialog({ kind: 'merge', department: d })} data-testid={`department-merge-${d.code}`}>
                    {t('org.merge')}
                  </Button>
                  <Button size="small" danger onClick={() => setDialog({ kind: 'retire', department: d })} data-testid={`department-retire-${d.code}`}>
                    {t('departments.retire')}
                  </Button>
                </Space>
              ),
          },
        ]}
      />
      {dialog?.kind === 'new' && <EditDepartment department={null} onClose={close} onDone={done} />}
      {dialog?.kind === 'rename' && <EditDepartment department={dialog.department} onClose={close} onDone={done} />}
      {dialog?.kind === 'contacts' && <ContactsDialog department={dialog.department} onClose={close} onDone={done} />}
      {dialog?.kind === 'categories' && <CategoriesDialog department={dialog.department} onClose={close} onDone={done} />}
      {(dialog?.kind === 'merge' || dialog?.kind === 'retire') && (
        <WorkOrdersDialog
          key={dialog.kind}
          action={dialog.kind}
          department={dialog.department}
          all={departments.data ?? []}
          onClose={close}
          onDone={done}
          onMerge={() => setDialog({ kind: 'merge', department: dialog.department })}
        />
      )}
    </Card>
  );
}

interface DialogProps {
  department: DepartmentAdmin;
  onClose: () => void;
  onDone: (text?: string) => void;
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

function ContactsDialog({ department, onClose, onDone }: DialogProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ contacts: DepartmentContactInput[] }>();
  const save = useMutation({
    meta: { silent: true },
    mutationFn: (v: { contacts?: DepartmentContactInput[] }) => adminApi.setDepartmentContacts(department.id, (v.contacts ?? []).map((c) => ({ ...c, title: c.title ?? '' }))),
    onSuccess: () => {
      onDone();
      onClose();
    },
  });
  return (
    <Modal
      open
      width={720}
      title={t('org.contactsTitle', { name: department.name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.submit')}
      okButtonProps={{ loading: save.isPending, 'data-testid': 'contacts-save' } as ButtonProps}
      destroyOnHidden
    >
      {save.error && <Alert type="error" showIcon message={(save.error as Error).message} style={{ marginBottom: 12 }} data-testid="contacts-error" />}
      <Form form={form} initialValues={{ contacts: department.contacts }} onFinish={(v) => save.mutate(v)}>
        <Form.List name="contacts">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" style={{ display: 'flex' }}>
                  <Form.Item name={[f.name, 'name']} rules={[{ required: true, whitespace: true, max: 50 }]}>
                    <Input placeholder={t('org.contactName')} style={{ width: 140 }} data-testid="contact-name" />
                  </Form.Item>
                  <Form.Item name={[f.name, 'title']} rules={[{ max: 50 }]}>
                    <Input placeholder={t('org.contactTitle')} style={{ width: 120 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'phone']} rules={[{ required: true, whitespace: true, max: 30 }]}>
                    <Input placeholder={t('org.contactPhone')} style={{ width: 260 }} data-testid="contact-phone" />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} />
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ name: '', title: '', phone: '' })} data-testid="contact-add">
                {t('org.addContact')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}

function CategoriesDialog({ department, onClose, onDone }: DialogProps) {
  const { t } = useTranslation();
  const categories = useCategories();
  const [value, setValue] = useState<number[]>(department.defaultCategories.map((c) => c.id));
  const save = useMutation({
    mutationFn: () => adminApi.setDepartmentCategories(department.id, value),
    onSuccess: () => {
      onDone();
      onClose();
    },
  });
  const all = (categories.data ?? []).filter((c) => !c.retired || value.includes(c.id));
  const classes = all.filter((c) => c.parentId == null).sort((a, b) => a.code.localeCompare(b.code));
  const treeData = classes.map((cls) => ({
    value: `class-${cls.id}`,
    title: `${cls.code} ${cls.name}`,
    selectable: false,
    checkable: false,
    children: all
      .filter((c) => c.parentId === cls.id)
      .sort((a, b) => a.code.localeCompare(b.code))
      .map((c) => ({ value: c.id, title: `${c.code} ${c.name}` })),
  }));
  return (
    <Modal
      open
      width={640}
      title={t('org.categoriesTitle', { name: department.name })}
      onCancel={onClose}
      onOk={() => save.mutate()}
      okText={t('common.submit')}
      okButtonProps={{ loading: save.isPending, 'data-testid': 'categories-save' } as ButtonProps}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('org.categoriesHint')}</Typography.Paragraph>
      <TreeSelect<number[]>
        multiple
        treeCheckable
        showCheckedStrategy={TreeSelect.SHOW_CHILD}
        treeDefaultExpandAll
        style={{ width: '100%' }}
        value={value}
        onChange={(v) => setValue((v as unknown[]).filter((x): x is number => typeof x === 'number'))}
        treeData={treeData}
        treeNodeFilterProp="title"
        data-testid="department-category-select"
      />
    </Modal>
  );
}

/**
 * The dialog of the moves that take a department's work away: retiring (refused while it has open work orders, so it
 * offers merging instead) and merging into another department (which moves them). Both list the open work orders first.
 */
function WorkOrdersDialog({ department, action, all, onClose, onDone, onMerge }: DialogProps & { action: 'retire' | 'merge'; all: DepartmentAdmin[]; onMerge: () => void }) {
  const { t } = useTranslation();
  const orders = useQuery({ queryKey: adminKeys.workOrders(department.id), queryFn: () => adminApi.departmentWorkOrders(department.id) });
  const [intoId, setIntoId] = useState<number | undefined>();
  const merging = action === 'merge';
  const run = useMutation({
    meta: { silent: true },
    mutationFn: async () => (merging ? t('org.merged', await adminApi.mergeDepartment(department.id, intoId!)) : (await adminApi.retireDepartment(department.id), undefined)),
    onSuccess: (text) => {
      onDone(text);
      onClose();
    },
  });
  const open = orders.data?.total ?? 0;
  return (
    <Modal
      open
      width={720}
      title={t(merging ? 'org.mergeTitle' : 'org.retireTitle', { name: department.name })}
      onCancel={onClose}
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        !merging && open > 0 ? (
          <Button key="merge" onClick={onMerge} data-testid="department-retire-merge">
            {t('org.merge')}
          </Button>
        ) : null,
        <Button
          key="ok"
          danger
          type="primary"
          disabled={merging ? intoId == null : orders.isLoading || open > 0}
          loading={run.isPending}
          onClick={() => run.mutate()}
          data-testid={merging ? 'department-merge-confirm' : 'department-retire-confirm'}
        >
          {t(merging ? 'org.merge' : 'departments.retire')}
        </Button>,
      ]}
      destroyOnHidden
    >
      {merging && <Typography.Paragraph type="secondary">{t('org.mergeHint')}</Typography.Paragraph>}
      {!merging && orders.data && (
        <Alert
          type={open > 0 ? 'warning' : 'info'}
          showIcon
          style={{ marginBottom: 12 }}
          message={open > 0 ? t('org.retireBlocked', { name: department.name, count: open }) : t('org.retireFree', { name: department.name })}
          data-testid="department-retire-note"
        />
      )}
      {run.error && <Alert type="error" showIcon message={(run.error as Error).message} style={{ marginBottom: 12 }} />}
      {merging && (
        <Form layout="vertical">
          <Form.Item label={t('org.mergeInto')}>
            <Select
              value={intoId}
              onChange={setIntoId}
              data-testid="department-merge-into"
              options={all.filter((d) => d.id !== department.id && !d.retired).map((d) => ({ value: d.id, label: `${d.code} ${d.name}` }))}
            />
          </Form.Item>
        </Form>
      )}
      {!!orders.data?.items.length && (
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          scroll={{ y: 240 }}
          dataSource={orders.data.items}
          data-testid="department-work-orders"
          columns={[
            { title: t('org.workOrder'), dataIndex: 'number', render: (n: string, o) => <Link to={`/cases/${o.id}`}>{n}</Link> },
            { title: t('org.workOrderState'), dataIndex: 'state', render: (st: string) => t(`state.${st}`) },
            { title: t('org.workOrderCategory'), dataIndex: 'category' },
            { title: t('org.workOrderDeadline'), dataIndex: 'deadline', render: (d: string | null) => (d ? fmtTime(d) : '—') },
            { title: t('org.workOrderRole'), dataIndex: 'main', render: (m: boolean) => (m ? t('org.main') : t('org.co')) },
          ]}
        />
      )}
    </Modal>
  );
}
