// The registry to and from Excel on the enterprise list: the template, the import (all or nothing; a refusal lists
// every bad row and field as the server words them in the reader's language) and the export under the list's filter.
import { useState } from 'react';
import { Alert, Button, Modal, Space, Upload } from 'antd';
import { DownloadOutlined, FileExcelOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, request } from '../../api';
import { enterpriseKeys } from '../../queryKeys';

export function EnterpriseSheetButtons({ canEdit, exportQuery }: { canEdit: boolean; exportQuery: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; message: string; details: { row: number; message: string }[] } | null>(null);
  const upload = async (file: File) => {
    setBusy(true);
    setResult(null);
    const body = new FormData();
    body.append('file', file);
    try {
      const r = await request<{ created: number; updated: number; unchanged: number }>('/enterprises/import', { method: 'POST', body });
      setResult({ ok: true, message: t('ent.imported', { n: r.created, updated: r.updated, unchanged: r.unchanged }), details: [] });
      void client.invalidateQueries({ queryKey: enterpriseKeys.all });
    } catch (e) {
      const details = e instanceof ApiError && Array.isArray(e.details) ? (e.details as { row: number; message: string }[]) : [];
      setResult({ ok: false, message: e instanceof Error ? e.message : t('ent.importFailed'), details });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space wrap>
      <Button icon={<FileExcelOutlined />} href={`/api/enterprises/export${exportQuery ? `?${exportQuery}` : ''}`} download data-testid="enterprise-export">{t('ent.export')}</Button>
      {canEdit && <Button icon={<UploadOutlined />} onClick={() => setOpen(true)} data-testid="enterprise-import">{t('ent.import')}</Button>}
      <Modal open={open} title={t('ent.importTitle')} footer={null} onCancel={() => setOpen(false)} destroyOnHidden>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Button icon={<DownloadOutlined />} href="/api/enterprises/template.xlsx" download data-testid="enterprise-template">{t('ent.template')}</Button>
          <Upload accept=".xlsx" maxCount={1} showUploadList={false} beforeUpload={(f) => { void upload(f); return false; }}>
            <Button type="primary" loading={busy} icon={<UploadOutlined />} data-testid="enterprise-import-file">{t('ent.import')}</Button>
          </Upload>
          {result && (
            <Alert
              type={result.ok ? 'success' : 'error'}
              showIcon
              data-testid="enterprise-import-result"
              title={result.message}
              description={result.details.length ? <ul style={{ margin: 0, paddingLeft: 16, maxHeight: 240, overflow: 'auto' }}>{result.details.map((d, i) => <li key={i}>{d.message}</li>)}</ul> : undefined}
            />
          )}
        </Space>
      </Modal>
    </Space>
  );
}
