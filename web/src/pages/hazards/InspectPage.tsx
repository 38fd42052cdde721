// 企业排查 on the phone (and the desk): pick an enterprise of my scope and a checklist, mark each item
// pass / fail / n.a. (a failed one with a note and photos); on submit every failed item becomes a hazard.
import { useState } from 'react';
import { Button, Card, Input, List, Radio, Result, Select, Space, Tag } from 'antd';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Enterprise, Inspection, InspectionTemplate } from '../../../../src/shared/hazards-api';
import { request } from '../../api';
import { PhotoUpload } from '../../components/PhotoUpload';
import { hazardKeys, enterpriseKeys } from '../../queryKeys';

type Result = 'pass' | 'fail' | 'na';
interface Item { text: string; grade: string; type: string; result: Result; note?: string; photos: string[] }

export function InspectPage() {
  const { t } = useTranslation();
  const [enterpriseId, setEnterpriseId] = useState<number>();
  const [items, setItems] = useState<Item[]>([]);
  const [templateId, setTemplateId] = useState<number>();
  const enterprises = useQuery({ queryKey: enterpriseKeys.picker(), queryFn: () => request<{ items: Enterprise[] }>('/enterprises', { query: { pageSize: 200 } }) });
  const templates = useQuery({ queryKey: hazardKeys.inspectionTemplates(), queryFn: () => request<InspectionTemplate[]>('/inspection-templates') });
  const submit = useMutation({
    mutationFn: async () => {
      const pos = await new Promise<GeolocationPosition | null>((resolve) =>
        navigator.geolocation ? navigator.geolocation.getCurrentPosition(resolve, () => resolve(null), { timeout: 3000 }) : resolve(null),
      );
      return request<Inspection>('/inspections', {
        method: 'POST',
        body: { enterpriseId, templateId, items, ...(pos ? { lng: pos.coords.longitude, lat: pos.coords.latitude } : {}) },
      });
    },
  });
  const pick = (id: number) => {
    setTemplateId(id);
    setItems((templates.data?.find((x) => x.id === id)?.items ?? []).map((i) => ({ ...i, result: 'pass', photos: [] })));
  };
  const set = (k: number, patch: Partial<Item>) => setItems((xs) => xs.map((x, i) => (i === k ? { ...x, ...patch } : x)));
  if (submit.data) {
    const failed = submit.data.items.filter((i) => i.hazardId);
    return (
      <Result
        status={failed.length ? 'warning' : 'success'}
        title={t('hz.inspected', { count: failed.length })}
        extra={<Space wrap>{failed.map((i) => <Link key={i.hazardId} to={`/hazards?open=${i.hazardId}`} data-testid="inspect-hazard">{i.text}</Link>)}<Button onClick={() => submit.reset()}>{t('hz.inspectAgain')}</Button></Space>}
        data-testid="inspect-result"
      />
    );
  }
  return (
    <Card title={t('hz.inspect')} styles={{ body: { padding: 12 } }}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Select showSearch optionFilterProp="label" placeholder={t('hz.enterprise')} style={{ width: '100%' }} value={enterpriseId} onChange={setEnterpriseId}
          options={(enterprises.data?.items ?? []).map((e) => ({ value: e.id, label: e.name }))} data-testid="inspect-enterprise" />
        <Select placeholder={t('hz.template')} style={{ width: '100%' }} value={templateId} onChange={pick}
          options={(templates.data ?? []).map((x) => ({ value: x.id, label: x.name }))} data-testid="inspect-template" />
        <List
          dataSource={items}
          renderItem={(item, k) => (
            <List.Item data-testid="inspect-item">
              <Space direction="vertical" style={{ width: '100%' }}>
                <span>{k + 1}. {item.text} <Tag>{t(`hz.grade.${item.grade}`)}</Tag></span>
                <Radio.Group value={item.result} onChange={(e) => set(k, { result: e.target.value as Result })} optionType="button" buttonStyle="solid"
                  options={(['pass', 'fail', 'na'] as const).map((r) => ({ value: r, label: t(`hz.result.${r}`) }))} />
                {item.result === 'fail' && (
                  <>
                    <Input.TextArea rows={2} placeholder={t('hz.note')} value={item.note} onChange={(e) => set(k, { note: e.target.value })} />
                    <PhotoUpload onChange={(photos) => set(k, { photos })} />
                  </>
                )}
              </Space>
            </List.Item>
          )}
        />
        <Button type="primary" block size="large" disabled={!enterpriseId || items.length === 0} loading={submit.isPending} onClick={() => submit.mutate()} data-testid="inspect-submit">
          {t('hz.submitInspection')}
        </Button>
      </Space>
    </Card>
  );
}
