// 分类与时限 (admin): the category tree with each category's default department and time limits per urgency;
// editing applies to new cases.
import { useState } from 'react';
import { Button, Card, Col, Form, Input, InputNumber, Modal, Popconfirm, Row, Select, Space, Table, Tag, Typography, type ButtonProps } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Category } from '../../../../src/shared/api';
import { URGENCIES, type Urgency } from '../../../../src/shared/vocabulary';
import { api, type CategoryUpdate } from '../../api';
import { showSuccess } from '../../notify';
import { useCategories, useDepartments } from '../../queries';
import { NewCategory } from '../../components/admin/NewCategory';
import { adminKeys, refKeys } from '../../queryKeys';
import { adminApi } from '../../components/admin/adminApi';

type Row = Category & { children?: Row[] };

function tree(categories: Category[]): Row[] {
  const byParent = new Map<number | null, Category[]>();
  for (const c of categories) byParent.set(c.parentId, [...(byParent.get(c.parentId) ?? []), c]);
  const build = (c: Category): Row => {
    const kids = (byParent.get(c.id) ?? []).sort((a, b) => a.code.localeCompare(b.code));
    return kids.length ? { ...c, children: kids.map(build) } : { ...c };
  };
  return (byParent.get(null) ?? []).sort((a, b) => a.code.localeCompare(b.code)).map(build);
}

export function CategoriesPage() {
  const { t } = useTranslation();
  const categories = useCategories();
  const departments = useDepartments();
  const [editing, setEditing] = useState<Category | null>(null);
  const [creating, setCreating] = useState(false);
  const [moving, setMoving] = useState<Category | null>(null);
  const client = useQueryClient();
  const refresh = () => {
    void client.invalidateQueries({ queryKey: refKeys.categories() });
    void client.invalidateQueries({ queryKey: adminKeys.all });
  };
  const retire = useMutation({
    mutationFn: (c: Category) => adminApi.retireCategory(c.id),
    onSuccess: (r) => {
      refresh();
      showSuccess(t('org.retiredDone', { count: r.retired.length, openCases: r.openCases }));
    },
  });
  const restore = useMutation({
    mutationFn: (c: Category) => adminApi.restoreCategory(c.id),
    onSuccess: () => {
      refresh();
      showSuccess(t('org.restored'));
    },
  });
  const deptName = new Map((departments.data ?? []).map((d) => [d.id, d.name]));

  return (
    <Card
      title={t('categories.title')}
      extra={
        <Button icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="category-create">
          {t('newCategory.create')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('categories.hint')}</Typography.Paragraph>
      <Table<Row>
        key={categories.data ? 'loaded' : 'loading'}
        rowKey="id"
        size="small"
        loading={categories.isLoading}
        dataSource={tree(categories.data ?? [])}
        pagination={false}
        scroll={{ x: 900 }}
        expandable={{ defaultExpandAllRows: true }}
        onRow={(c) => ({ 'data-testid': 'category-row', 'data-code': c.code, style: c.retired ? { opacity: 0.55 } : undefined }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('categories.code'), dataIndex: 'code', width: 150 },
          { title: t('categories.name'), dataIndex: 'name', width: 180, render: (n: string, c) => (c.retired ? <Space>{n}<Tag data-testid={`category-retired-${c.code}`}>{t('org.retiredCategory')}</Tag></Space> : n) },
          { title: t('categories.kind'), dataIndex: 'kind', width: 80, render: (k: Category['kind']) => <Tag>{t(`kind.${k}`)}</Tag> },
          {
            title: t('categories.defaultDepartment'),
            dataIndex: 'defaultDepartmentId',
            width: 150,
            render: (id: number | null) => (id ? deptName.get(id) : '—'),
          },
          {
            title: t('categories.limits'),
            key: 'limits',
            render: (_, c) =>
              URGENCIES.filter((u) => c.limits?.[u]).map((u) => (
                <div key={u}>
                  <Tag color={u === 'normal' ? 'default' : u === 'urgent' ? 'volcano' : 'magenta'}>{t(`urgency.${u}`)}</Tag>
                  {t('categories.limitCell', { sign: c.limits[u].signHours, handle: c.limits[u].handleDays, verify: c.limits[u].verifyHours })}
                </div>
              )),
          },
          {
            key: 'edit',
            width: 250,
            render: (_, c) =>
              c.retired ? (
                <Button size="small" onClick={() => restore.mutate(c)} data-testid={`category-restore-${c.code}`}>
                  {t('org.restore')}
                </Button>
              ) : (
                <Space size={4}>
                  <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(c)} data-testid={`category-edit-${c.code}`}>
                    {t('categories.edit')}
                  </Button>
                  {c.parentId != null && (
                    <Button size="small" onClick={() => setMoving(c)} data-testid={`category-move-${c.code}`}>
                      {t('org.move')}
                    </Button>
                  )}
                  <Popconfirm title={t('org.retireConfirm', { name: c.name })} onConfirm={() => retire.mutate(c)} okButtonProps={{ 'data-testid': 'category-retire-confirm' } as ButtonProps}>
                    <Button size="small" danger data-testid={`category-retire-${c.code}`}>
                      {t('org.retire')}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
          },
        ]}
      />
      {editing && <EditCategory category={editing} onClose={() => setEditing(null)} />}
      {creating && <NewCategory categories={(categories.data ?? []).filter((c) => !c.retired)} onClose={() => setCreating(false)} />}
      {moving && <MoveCategory category={moving} categories={categories.data ?? []} onClose={() => setMoving(null)} />}
    </Card>
  );
}

type Limits = Record<Urgency, { signHours: number; handleDays: number; verifyHours: number }>;
interface Values {
  name: string;
  defaultDepartmentId: number | null;
  acceptCriteria: string;
  closeCriteria: string;
  returnHours: number;
  limits: Limits;
}

function EditCategory({ category, onClose }: { category: Category; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const client = useQueryClient();
  const departments = useDepartments();
  const save = useMutation({
    mutationFn: (v: Values) => {
      const body: CategoryUpdate = {
        name: v.name,
        defaultDepartmentId: v.defaultDepartmentId ?? null,
        acceptCriteria: v.acceptCriteria ?? '',
        closeCriteria: v.closeCriteria ?? '',
        returnHours: v.returnHours,
        limits: v.limits,
      };
      return api.updateCategory(category.id, body);
    },
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: refKeys.categories() });
      showSuccess(t('categories.saved'));
      onClose();
    },
  });
  const hasLimits = URGENCIES.every((u) => category.limits?.[u]);
  return (
    <Modal
      open
      width={640}
      title={t('categories.editTitle', { name: category.name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.submit')}
      okButtonProps={{ loading: save.isPending }}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        name="category"
        initialValues={{
          name: category.name,
          defaultDepartmentId: category.defaultDepartmentId,
          acceptCriteria: category.acceptCriteria,
          closeCriteria: category.closeCriteria,
          returnHours: category.returnHours,
          limits: category.limits,
        }}
        onFinish={(v) => save.mutate(hasLimits ? v : { ...v, limits: category.limits as Limits })}
      >
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item name="name" label={t('categories.name')} rules={[{ required: true, whitespace: true, max: 50 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="defaultDepartmentId" label={t('categories.defaultDepartment')}>
              <Select allowClear options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="acceptCriteria" label={t('categories.acceptCriteria')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item name="closeCriteria" label={t('categories.closeCriteria')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item name="returnHours" label={t('categories.returnHours')} rules={[{ required: true }]}>
          <InputNumber min={0.5} max={240} step={0.5} />
        </Form.Item>
        {hasLimits &&
          URGENCIES.map((u) => (
            <Row gutter={12} key={u} align="bottom">
              <Col span={24}>
                <Tag>{t(`urgency.${u}`)}</Tag>
              </Col>
              <Col xs={24} sm={8}>
                <Form.Item name={['limits', u, 'signHours']} label={t('categories.signHours')} rules={[{ required: true }]}>
                  <InputNumber min={0.5} max={240} step={0.5} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={8}>
                <Form.Item name={['limits', u, 'handleDays']} label={t('categories.handleDays')} rules={[{ required: true }]}>
                  <InputNumber min={0.5} max={365} step={0.5} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={8}>
                <Form.Item name={['limits', u, 'verifyHours']} label={t('categories.verifyHours')} rules={[{ required: true }]}>
                  <InputNumber min={0.5} max={240} step={0.5} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            </Row>
          ))}
      </Form>
    </Modal>
  );
}

/** 移动: a subcategory goes under another class of its kind, with the code given or the next free one. */
function MoveCategory({ category, categories, onClose }: { category: Category; categories: Category[]; onClose: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [form] = Form.useForm<{ parentId: number; code?: string }>();
  const save = useMutation({
    mutationFn: (v: { parentId: number; code?: string }) => adminApi.moveCategory(category.id, v.parentId, v.code?.trim() || undefined),
    onSuccess: (r) => {
      void client.invalidateQueries({ queryKey: refKeys.categories() });
      void client.invalidateQueries({ queryKey: adminKeys.all });
      showSuccess(t('org.moved', { code: r.code }));
      onClose();
    },
  });
  const classes = categories.filter((c) => c.parentId == null && !c.retired && c.kind === category.kind && c.id !== category.parentId).sort((a, b) => a.code.localeCompare(b.code));
  return (
    <Modal open title={t('org.moveTitle', { name: category.name })} onCancel={onClose} onOk={() => form.submit()} okText={t('common.submit')} okButtonProps={{ loading: save.isPending, 'data-testid': 'category-move-save' } as ButtonProps} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="parentId" label={t('org.moveTo')} rules={[{ required: true }]}>
          <Select options={classes.map((c) => ({ value: c.id, label: `${c.code} ${c.name}` }))} data-testid="category-move-to" />
        </Form.Item>
        <Form.Item name="code" label={t('org.newCode')} rules={[{ pattern: /^\d{4}$/ }]}>
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
}
