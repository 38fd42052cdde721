// 分派规则 (/routing, administrators): category × division → department. The most specific rule wins (exact
// category and division before a parent's, before "any"); without one the category's default department applies.
import { useState } from 'react';
import { Button, Card, Form, Input, Modal, Popconfirm, Select, Table, Tag, TreeSelect, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Category, Division } from '../../../../src/shared/api';
import { fmtTime } from '../../format';
import { showSuccess } from '../../notify';
import { useCategories, useDepartments, useDivisions } from '../../queries';
import { type RoutingRule, type RoutingRuleInput, gridWrites as writes, useRoutingRules } from '../../components/grids/gridsApi';
import { gridKeys } from '../../queryKeys';

interface TreeOption {
  value: number;
  title: string;
  children?: TreeOption[];
}

function categoryTree(categories: Category[], parentId: number | null = null): TreeOption[] {
  return categories
    .filter((c) => c.parentId === parentId)
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((c) => {
      const kids = categoryTree(categories, c.id);
      return { value: c.id, title: `${c.name}（${c.code}）`, ...(kids.length ? { children: kids } : {}) };
    });
}

function divisionTree(divisions: Division[], parentId: number | null = null): TreeOption[] {
  return divisions
    .filter((d) => d.parentId === parentId)
    .map((d) => {
      const kids = divisionTree(divisions, d.id);
      return { value: d.id, title: d.name, ...(kids.length ? { children: kids } : {}) };
    });
}

export function RoutingRulesPage() {
  const { t } = useTranslation();
  const rules = useRoutingRules();
  const client = useQueryClient();
  const [adding, setAdding] = useState(false);
  const remove = useMutation({
    mutationFn: (id: number) => writes.removeRule(id),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: gridKeys.routingRules() });
      showSuccess(t('routingRules.removed'));
    },
  });

  return (
    <Card
      title={t('routingRules.title')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="routing-add">
          {t('routingRules.add')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('routingRules.hint')}</Typography.Paragraph>
      <Table<RoutingRule>
        rowKey="id"
        size="small"
        loading={rules.isLoading}
        dataSource={rules.data?.items ?? []}
        pagination={false}
        scroll={{ x: 760 }}
        locale={{ emptyText: t('routingRules.empty') }}
        onRow={() => ({ 'data-testid': 'routing-row' }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t('routingRules.category'),
            dataIndex: 'categoryName',
            render: (n: string | null) => n ?? <Tag>{t('routingRules.anyCategory')}</Tag>,
          },
          {
            title: t('routingRules.division'),
            dataIndex: 'divisionName',
            render: (n: string | null) => n ?? <Tag>{t('routingRules.anyDivision')}</Tag>,
          },
          { title: t('routingRules.department'), dataIndex: 'departmentName', render: (n: string) => <Typography.Text strong>{n}</Typography.Text> },
          { title: t('routingRules.note'), dataIndex: 'note', render: (n: string) => n || '—' },
          { title: t('routingRules.createdAt'), dataIndex: 'createdAt', width: 150, render: (a: string) => fmtTime(a) },
          {
            key: 'remove',
            width: 70,
            render: (_, r) => (
              <Popconfirm title={t('routingRules.removeConfirm')} onConfirm={() => remove.mutate(r.id)}>
                <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('routingRules.remove')} data-testid="routing-remove" />
              </Popconfirm>
            ),
          },
        ]}
      />
      {adding && <AddRule onClose={() => setAdding(false)} />}
    </Card>
  );
}

interface Values {
  categoryId?: number;
  divisionId?: number;
  departmentId: number;
  note?: string;
}

function AddRule({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const client = useQueryClient();
  const categories = useCategories();
  const divisions = useDivisions();
  const departments = useDepartments();
  const add = useMutation({
    mutationFn: (v: Values) => {
      const body: RoutingRuleInput = {
        categoryId: v.categoryId ?? null,
        divisionId: v.divisionId ?? null,
        departmentId: v.departmentId,
        note: v.note ?? '',
      };
      return writes.addRule(body);
    },
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: gridKeys.routingRules() });
      showSuccess(t('routingRules.added'));
      onClose();
    },
  });
  return (
    <Modal
      open
      title={t('routingRules.addTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.submit')}
      okButtonProps={{ loading: add.isPending, 'data-testid': 'routing-submit' }}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" name="rule" onFinish={(v) => add.mutate(v)}>
        <Form.Item name="categoryId" label={t('routingRules.category')} extra={t('routingRules.categoryHint')}>
          <TreeSelect
            allowClear
            showSearch={{ treeNodeFilterProp: 'title' }}
            placeholder={t('routingRules.anyCategory')}
            treeData={categoryTree(categories.data ?? [])}
            data-testid="routing-category"
          />
        </Form.Item>
        <Form.Item name="divisionId" label={t('routingRules.division')} extra={t('routingRules.divisionHint')}>
          <TreeSelect allowClear treeDefaultExpandAll placeholder={t('routingRules.anyDivision')} treeData={divisionTree(divisions.data ?? [])} />
        </Form.Item>
        <Form.Item name="departmentId" label={t('routingRules.department')} rules={[{ required: true, message: t('routingRules.departmentRequired') }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
            data-testid="routing-department"
          />
        </Form.Item>
        <Form.Item name="note" label={t('routingRules.note')} rules={[{ max: 500 }]}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
