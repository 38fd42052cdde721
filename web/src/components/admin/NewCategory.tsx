// 新建分类: a class (2-digit code) or a subcategory of a class (its code + 2 digits), with its default department and
// normal handling days (urgent and critical limits follow, as in the standard tree).
import { Alert, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Category } from '../../../../src/shared/api';
import { request } from '../../api';
import { showSuccess } from '../../notify';
import { useDepartments } from '../../queries';
import { refKeys, adminKeys } from '../../queryKeys';

interface Values {
  parentId?: number;
  code: string;
  name: string;
  kind?: 'event' | 'component';
  defaultDepartmentId?: number;
  handleDays?: number;
}

export function NewCategory({ categories, onClose }: { categories: Category[]; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const parentId = Form.useWatch('parentId', form);
  const departments = useDepartments();
  const client = useQueryClient();
  const save = useMutation({
    mutationFn: (v: Values) => request<{ id: number }>('/categories', { method: 'POST', body: { ...v, parentId: v.parentId ?? null } }),
    meta: { silent: true },
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: refKeys.categories() });
      void client.invalidateQueries({ queryKey: adminKeys.all });
      showSuccess(t('newCategory.saved'));
      onClose();
    },
  });
  const classes = categories.filter((c) => c.parentId == null).sort((a, b) => a.code.localeCompare(b.code));
  return (
    <Modal open title={t('newCategory.create')} onCancel={onClose} onOk={() => form.submit()} okText={t('common.submit')} okButtonProps={{ loading: save.isPending }} destroyOnHidden>
      {save.error && <Alert type="error" showIcon message={(save.error as Error).message} style={{ marginBottom: 12 }} />}
      <Form<Values> form={form} layout="vertical" initialValues={{ kind: 'event', handleDays: 3 }} onFinish={(v) => save.mutate(v)}>
        <Form.Item name="parentId" label={t('newCategory.parent')} extra={t('newCategory.parentHint')}>
          <Select allowClear options={classes.map((c) => ({ value: c.id, label: `${c.code} ${c.name}` }))} />
        </Form.Item>
        <Form.Item name="code" label={t('categories.code')} extra={t('newCategory.codeHint')} rules={[{ required: true, pattern: /^\d{2}(\d{2})?$/ }]}>
          <Input />
        </Form.Item>
        <Form.Item name="name" label={t('categories.name')} rules={[{ required: true, whitespace: true, max: 50 }]}>
          <Input />
        </Form.Item>
        {parentId == null ? (
          <Form.Item name="kind" label={t('categories.kind')}>
            <Select options={(['event', 'component'] as const).map((k) => ({ value: k, label: t(`kind.${k}`) }))} />
          </Form.Item>
        ) : (
          <>
            <Form.Item name="defaultDepartmentId" label={t('categories.defaultDepartment')}>
              <Select allowClear options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))} />
            </Form.Item>
            <Form.Item name="handleDays" label={t('categories.handleDays')}>
              <InputNumber min={0.25} max={365} step={0.5} />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  );
}
