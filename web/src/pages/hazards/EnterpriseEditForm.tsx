// The enterprise archive's edit form (修改档案): every archive field, including 重点单位 (keyUnit) and its own C grid
// (cGridId), checked as the API checks them — name length, the 统一社会信用代码 per GB 32100, the GB/T 4754 industry
// code, the position's range, a C grid only for a key unit — then PUT /api/enterprises/:id with the version seen;
// what the server still refuses (a code taken, a position outside the grids, a stale version) shows in the form.
import { Button, DatePicker, Form, Input, InputNumber, Modal, Select, Space, Switch } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import type { Enterprise, EnterpriseUpdate } from '../../../../src/shared/hazards-api';
import type { GridCollection } from '../../../../src/shared/api';
import { creditCodeProblem, normaliseCreditCode } from '../../../../src/domain/hazards/credit-code';
import { industryOf } from '../../../../src/domain/hazards/industries';
import { request } from '../../api';
import { enterpriseKeys, gridKeys, hazardKeys, refKeys } from '../../queryKeys';

type Values = Omit<EnterpriseUpdate, 'watchReviewOn' | 'version'> & { watchReviewOn?: Dayjs | null };

/** The body the API takes: empty text left out (which clears it), the review date as YYYY-MM-DD. */
export function archiveBody(v: Values, version: number): EnterpriseUpdate {
  const text = (s: string | null | undefined) => (s && s.trim() ? s.trim() : undefined);
  return {
    name: v.name.trim(),
    creditCode: normaliseCreditCode(v.creditCode),
    industryCode: text(v.industryCode),
    industryName: text(v.industryName),
    address: text(v.address),
    lng: v.lng,
    lat: v.lat,
    riskLevel: v.riskLevel,
    status: v.status,
    watch: v.watch,
    watchReason: v.watch ? text(v.watchReason) : undefined,
    watchReviewOn: v.watch && v.watchReviewOn ? v.watchReviewOn.format('YYYY-MM-DD') : undefined,
    contact: text(v.contact),
    phone: text(v.phone),
    departmentIds: v.departmentIds ?? [],
    keyUnit: v.keyUnit ?? false,
    cGridId: v.keyUnit ? (v.cGridId ?? null) : null,
    version,
  };
}

export function EnterpriseEditButton({ ent }: { ent: Enterprise }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Values>();
  const keyUnit = Form.useWatch('keyUnit', form);
  const watch = Form.useWatch('watch', form);
  const departments = useQuery({ queryKey: refKeys.departments(), queryFn: () => request<{ id: number; name: string }[]>('/departments'), enabled: open });
  const grids = useQuery({ queryKey: gridKeys.collection(), queryFn: () => request<GridCollection>('/grids'), enabled: open });
  const save = useMutation({
    mutationFn: (v: Values) => request<Enterprise>(`/enterprises/${ent.id}`, { method: 'PUT', body: archiveBody(v, ent.version) }),
    onSuccess: (next) => {
      client.setQueryData(enterpriseKeys.detail(ent.id), next);
      void client.invalidateQueries({ queryKey: enterpriseKeys.all });
      void client.invalidateQueries({ queryKey: enterpriseKeys.timeline(ent.id) });
      // a move into another grid, or a shutdown, changes the plans it is in
      void client.invalidateQueries({ queryKey: hazardKeys.plans() });
      setOpen(false);
    },
  });
  const initial: Values = {
    name: ent.name,
    creditCode: ent.creditCode ?? '',
    industryCode: ent.industryCode ?? undefined,
    industryName: ent.industryName ?? undefined,
    address: ent.address ?? undefined,
    lng: ent.lng,
    lat: ent.lat,
    riskLevel: ent.riskLevel,
    status: ent.status,
    watch: ent.watch,
    watchReason: ent.watchReason ?? undefined,
    watchReviewOn: ent.watchReviewOn ? dayjs(ent.watchReviewOn) : null,
    contact: ent.contact ?? undefined,
    phone: ent.phone ?? undefined,
    departmentIds: ent.departmentIds,
    keyUnit: ent.keyUnit,
    cGridId: ent.cGridId,
  };
  const cGrids = (grids.data?.features ?? []).filter((f) => f.properties.gridClass === 'C');
  return (
    <>
      <Button icon={<EditOutlined />} onClick={() => (save.reset(), setOpen(true))} data-testid="enterprise-edit">{t('ck.editArchive')}</Button>
      <Modal open={open} width={760} title={`${t('ck.editArchive')} · ${ent.name}`} onCancel={() => setOpen(false)} onOk={() => form.submit()} okButtonProps={{ 'data-testid': 'enterprise-edit-save' }} confirmLoading={save.isPending} destroyOnHidden>
        <Form form={form} layout="vertical" initialValues={initial} onFinish={(v) => save.mutate(v)}>
          <Space align="start" wrap>
            <Form.Item name="name" label={t('hz.name')} rules={[{ required: true, whitespace: true, min: 2, max: 100 }]}><Input style={{ width: 300 }} data-testid="enterprise-edit-name" /></Form.Item>
            <Form.Item
              name="creditCode"
              label={t('hz.creditCode')}
              rules={[
                { required: true },
                { validator: async (_, v: string | undefined) => { if (v && creditCodeProblem(normaliseCreditCode(v))) throw new Error(t('ck.creditCodeInvalid')); } },
              ]}
            >
              <Input style={{ width: 220 }} maxLength={18} data-testid="enterprise-edit-code" />
            </Form.Item>
          </Space>
          <Space align="start" wrap>
            <Form.Item
              name="industryCode"
              label={t('hz.industryCode')}
              rules={[{ validator: async (_, v: string | undefined) => { if (v && v.trim() && !industryOf(v)) throw new Error(`GB/T 4754: ${v}`); } }]}
            >
              <Input style={{ width: 110 }} />
            </Form.Item>
            <Form.Item name="industryName" label={t('hz.industry')} rules={[{ max: 60 }]}><Input style={{ width: 260 }} /></Form.Item>
            <Form.Item name="riskLevel" label={t('hz.riskLevel')}><Select style={{ width: 100 }} options={['low', 'medium', 'high'].map((v) => ({ value: v, label: t(`hz.risk.${v}`) }))} /></Form.Item>
            <Form.Item name="status" label={t('hz.status')}><Select style={{ width: 120 }} options={['operating', 'suspended', 'closed'].map((v) => ({ value: v, label: t(`hz.statuses.${v}`) }))} data-testid="enterprise-edit-status" /></Form.Item>
          </Space>
          <Form.Item name="address" label={t('hz.address')} rules={[{ max: 200 }]}><Input /></Form.Item>
          <Space align="start" wrap>
            <Form.Item name="lng" label={t('hz.lng')} rules={[{ required: true }, { type: 'number', min: -180, max: 180 }]}><InputNumber step={0.0001} style={{ width: 160 }} /></Form.Item>
            <Form.Item name="lat" label={t('hz.lat')} rules={[{ required: true }, { type: 'number', min: -90, max: 90 }]}><InputNumber step={0.0001} style={{ width: 160 }} /></Form.Item>
            <Form.Item name="contact" label={t('hz.contact')} rules={[{ max: 50 }]}><Input style={{ width: 140 }} /></Form.Item>
            <Form.Item name="phone" label={t('hz.phone')} rules={[{ max: 30 }]}><Input style={{ width: 160 }} /></Form.Item>
          </Space>
          <Form.Item name="departmentIds" label={t('ck.departments')}>
            <Select mode="multiple" maxCount={10} optionFilterProp="label" loading={departments.isFetching} options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))} />
          </Form.Item>
          <Space align="start" wrap>
            <Form.Item name="keyUnit" label={t('ck.keyUnit')} valuePropName="checked"><Switch data-testid="enterprise-edit-keyunit" /></Form.Item>
            <Form.Item name="cGridId" label={t('ck.cGrid')} extra={t('ck.cGridAuto')}>
              <Select
                allowClear
                showSearch
                optionFilterProp="label"
                disabled={!keyUnit}
                style={{ width: 280 }}
                loading={grids.isFetching}
                data-testid="enterprise-edit-cgrid"
                options={cGrids.map((f) => ({ value: f.properties.id, label: `${f.properties.name}（${f.properties.code}）` }))}
              />
            </Form.Item>
          </Space>
          <Space align="start" wrap>
            <Form.Item name="watch" label={t('hz.watch')} valuePropName="checked"><Switch /></Form.Item>
            <Form.Item name="watchReason" label={t('hz.watchReason')} rules={[{ max: 500 }]}><Input style={{ width: 320 }} disabled={!watch} /></Form.Item>
            <Form.Item name="watchReviewOn" label={t('ck.watchReviewOn')}><DatePicker disabled={!watch} /></Form.Item>
          </Space>
          {save.error && <div style={{ color: '#cf1322' }} data-testid="enterprise-edit-error">{(save.error as Error).message}</div>}
        </Form>
      </Modal>
    </>
  );
}
