// 分类与时限 (admin): the category tree with each category's default department and time limits per urgency;
// editing applies to new cases.
import { useState } from 'react';
import { Button, Card, Col, Form, Input, InputNumber, Modal, Row, Select, Table, Tag, Typography } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Category } from '../../../../src/shared/api';
import { URGENCIES, type Urgency } from '../../../../src/shared/vocabulary';
import { api, type CategoryUpdate } from '../../api';
import { showSuccess } from '../../notify';
import { useCategories, useDepartments } from '../../queries';
import { NewCategory } from '../../components/admin/NewCategory';
import { refKeys } from '../../queryKeys';

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
        onRow={() => ({ 'data-testid': 'category-row' }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('categories.code'), dataIndex: 'code', width: 150 },
          { title: t('categories.name'), dataIndex: 'name', width: 160 },
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
            width: 90,
            render: (_, c) => (
              <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(c)} data-testid={`category-edit-${c.code}`}>
                {t('categories.edit')}
              </Button>
            ),
          },
        ]}
      />
      {editing && <EditCategory category={editing} onClose={() => setEditing(null)} />}
      {creating && <NewCategory categories={categories.data ?? []} onClose={() => setCreating(false)} />}
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
