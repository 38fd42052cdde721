// The administrator's industry checklists (排查表管理): list them (with the retired ones on demand), create and edit
// one — name, industry (GB/T 4754 code prefix, industry name or 通用), items with the hazard type and default grade a
// failed item becomes, added, removed and reordered — and retire one (kept for past inspections and plans). The
// server checks the same (POST/PUT /api/inspection-templates, POST …/:id/retire) and answers in the reader's language.
import { useState } from 'react';
import { Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Switch, Table, Tag } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, EditOutlined, PlusOutlined, StopOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { InspectionTemplate, InspectionTemplateInput } from '../../../../src/shared/hazards-api';
import { request } from '../../api';
import { hazardKeys } from '../../queryKeys';

const GRADES = ['general', 'larger', 'major'] as const;
const TYPES = ['fire', 'electrical', 'hazmat', 'special_equipment', 'environmental', 'construction', 'other'] as const;
const NEW_ITEM = { text: '', type: 'fire', grade: 'general' } as const;

type Editing = { id: number | null; initial: InspectionTemplateInput };

export function ChecklistsPage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [showRetired, setShowRetired] = useState(false);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [form] = Form.useForm<InspectionTemplateInput>();
  const list = useQuery({ queryKey: hazardKeys.inspectionTemplatesAll(), queryFn: () => request<InspectionTemplate[]>('/inspection-templates', { query: { includeRetired: 'true' } }) });
  const done = () => void client.invalidateQueries({ queryKey: hazardKeys.inspectionTemplates() });
  const save = useMutation({
    mutationFn: (body: InspectionTemplateInput) =>
      editing?.id != null
        ? request<InspectionTemplate>(`/inspection-templates/${editing.id}`, { method: 'PUT', body })
        : request<InspectionTemplate>('/inspection-templates', { method: 'POST', body }),
    onSuccess: () => {
      setEditing(null);
      done();
      // plan items take the checklist that now fits their industry
      void client.invalidateQueries({ queryKey: hazardKeys.plans() });
    },
  });
  const retire = useMutation({
    mutationFn: (id: number) => request<InspectionTemplate>(`/inspection-templates/${id}/retire`, { method: 'POST' }),
    onSuccess: () => {
      done();
      void client.invalidateQueries({ queryKey: hazardKeys.plans() });
    },
  });
  const open = (tpl: InspectionTemplate | null) => {
    save.reset();
    setEditing(
      tpl
        ? { id: tpl.id, initial: { name: tpl.name, industry: tpl.industry ?? undefined, items: tpl.items.map((i) => ({ ...i })) } }
        : { id: null, initial: { name: '', industry: '通用', items: [{ ...NEW_ITEM }] } },
    );
  };
  const rows = (list.data ?? []).filter((x) => showRetired || !x.retiredAt);
  return (
    <Card
      title={t('ck.title')}
      extra={
        <Space>
          <Space size={4}>
            <Switch size="small" checked={showRetired} onChange={setShowRetired} data-testid="checklists-show-retired" />
            {t('ck.showRetired')}
          </Space>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => open(null)} data-testid="checklist-new">{t('ck.new')}</Button>
        </Space>
      }
    >
      <Table<InspectionTemplate>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={rows}
        pagination={false}
        onRow={(r) => ({ 'data-testid': 'checklist-row', 'data-name': r.name }) as React.HTMLAttributes<HTMLElement>}
        expandable={{
          expandedRowRender: (r) => (
            <ol style={{ margin: 0 }}>
              {r.items.map((i, k) => (
                <li key={k}>
                  {i.text} <Tag>{t(`hz.type.${i.type}`)}</Tag>
                  <Tag color={i.grade === 'major' ? 'red' : i.grade === 'larger' ? 'orange' : undefined}>{t(`hz.grade.${i.grade}`)}</Tag>
                </li>
              ))}
            </ol>
          ),
        }}
        columns={[
          { title: t('ck.name'), dataIndex: 'name' },
          { title: t('ck.industry'), dataIndex: 'industry', render: (v: string | null) => v ?? t('ck.general') },
          { title: t('ck.items'), render: (_: unknown, r) => t('ck.itemCount', { count: r.items.length }) },
          { title: t('hz.status'), render: (_: unknown, r) => (r.retiredAt ? <Tag>{t('ck.retired')}</Tag> : <Tag color="green">{t('ck.active')}</Tag>) },
          {
            title: '',
            render: (_: unknown, r) =>
              r.retiredAt ? null : (
                <Space>
                  <Button size="small" icon={<EditOutlined />} onClick={() => open(r)} data-testid="checklist-edit">{t('ck.edit')}</Button>
                  <Popconfirm title={t('ck.retireConfirm')} onConfirm={() => retire.mutate(r.id)} okButtonProps={{ 'data-testid': 'checklist-retire-ok' }}>
                    <Button size="small" danger icon={<StopOutlined />} data-testid="checklist-retire">{t('ck.retire')}</Button>
                  </Popconfirm>
                </Space>
              ),
          },
        ]}
      />
      {retire.error && <div style={{ color: '#cf1322', marginTop: 8 }}>{(retire.error as Error).message}</div>}
      <Modal
        open={editing != null}
        width={820}
        title={editing?.id != null ? t('ck.edit') : t('ck.new')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        okButtonProps={{ 'data-testid': 'checklist-save' }}
        confirmLoading={save.isPending}
        destroyOnHidden
      >
        {editing && (
          <Form form={form} layout="vertical" initialValues={editing.initial} onFinish={(v) => save.mutate({ ...v, industry: v.industry?.trim() || undefined, items: v.items.map((i) => ({ ...i, text: i.text.trim() })) })}>
            <Space align="start" wrap>
              <Form.Item name="name" label={t('ck.name')} rules={[{ required: true, whitespace: true, min: 2, max: 100, message: t('ck.nameRequired') }]}>
                <Input style={{ width: 300 }} data-testid="checklist-name" />
              </Form.Item>
              <Form.Item name="industry" label={t('ck.industry')} tooltip={t('ck.industryHelp')}>
                <Input style={{ width: 200 }} placeholder="通用 / C29 / 餐饮业" data-testid="checklist-industry" />
              </Form.Item>
            </Space>
            <Form.List
              name="items"
              rules={[
                {
                  validator: async (_, items: { text?: string }[] | undefined) => {
                    if (!items?.length) throw new Error(t('ck.atLeastOne'));
                    const seen = new Set<string>();
                    for (const i of items) {
                      const k = (i?.text ?? '').trim();
                      if (k && seen.has(k)) throw new Error(t('ck.duplicate', { text: k }));
                      seen.add(k);
                    }
                  },
                },
              ]}
            >
              {(fields, { add, remove, move }, { errors }) => (
                <>
                  <div style={{ marginBottom: 8, fontWeight: 500 }}>{t('ck.items')}</div>
                  {fields.map((f, k) => (
                    <Space key={f.key} align="start" style={{ display: 'flex' }} data-testid="checklist-item">
                      <span style={{ lineHeight: '32px', width: 20, textAlign: 'right' }}>{k + 1}.</span>
                      <Form.Item name={[f.name, 'text']} rules={[{ required: true, whitespace: true, min: 2, max: 300, message: t('ck.itemRequired') }]} style={{ marginBottom: 8 }}>
                        <Input style={{ width: 320 }} placeholder={t('ck.itemText')} data-testid="checklist-item-text" />
                      </Form.Item>
                      <Form.Item name={[f.name, 'type']} style={{ marginBottom: 8 }}>
                        <Select style={{ width: 120 }} aria-label={t('ck.itemType')} options={TYPES.map((x) => ({ value: x, label: t(`hz.type.${x}`) }))} data-testid="checklist-item-type" />
                      </Form.Item>
                      <Form.Item name={[f.name, 'grade']} style={{ marginBottom: 8 }}>
                        <Select style={{ width: 90 }} aria-label={t('ck.itemGrade')} options={GRADES.map((x) => ({ value: x, label: t(`hz.grade.${x}`) }))} data-testid="checklist-item-grade" />
                      </Form.Item>
                      <Button title={t('ck.moveUp')} aria-label={t('ck.moveUp')} icon={<ArrowUpOutlined />} disabled={k === 0} onClick={() => move(k, k - 1)} data-testid="checklist-item-up" />
                      <Button title={t('ck.moveDown')} aria-label={t('ck.moveDown')} icon={<ArrowDownOutlined />} disabled={k === fields.length - 1} onClick={() => move(k, k + 1)} data-testid="checklist-item-down" />
                      <Button title={t('ck.remove')} aria-label={t('ck.remove')} icon={<DeleteOutlined />} danger disabled={fields.length === 1} onClick={() => remove(f.name)} data-testid="checklist-item-remove" />
                    </Space>
                  ))}
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ ...NEW_ITEM })} data-testid="checklist-item-add">{t('ck.addItem')}</Button>
                  <Form.ErrorList errors={errors} />
                </>
              )}
            </Form.List>
            {save.error && <div style={{ color: '#cf1322', marginTop: 8 }} data-testid="checklist-error">{(save.error as Error).message}</div>}
          </Form>
        )}
      </Modal>
    </Card>
  );
}
