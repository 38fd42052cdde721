// Issue 14, second part, in the web app: the rectification notice as a print-ready A4 page (the same paragraphs and
// number as the .docx, GET /api/hazards/:id/notice), the signed-receipt upload and view in the hazard drawer, and the
// monthly inspection plans per grid with progress per grid and community, edited after they were made.
import { useState } from 'react';
import { Alert, Button, Card, Checkbox, DatePicker, Descriptions, Form, Input, Modal, Progress, Select, Space, Table } from 'antd';
import { EditOutlined, FilePdfOutlined, PlusOutlined, PrinterOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import dayjs from 'dayjs';
import type { HazardDetail } from '../../../../src/shared/hazards-api';
import type { InspectionPlanBoard, InspectionPlanDetail, InspectionPlanOptions, InspectionPlanSummary, InspectionPlanUpdate, NoticePrint } from '../../../../src/shared/hazard-work-api';
import type { GridCollection } from '../../../../src/shared/api';
import { gridKeys, hazardKeys } from '../../queryKeys';
import { request } from '../../api';
import { fmtTime } from '../../format';
import { useSession } from '../../session';

// ---- the notice, printed -----------------------------------------------------------------------------------------

// A4 with the margins of the .docx (top 2000, bottom 1800, left 1600, right 1500 twips); the line height of its
// 28 pt line spacing; 仿宋 for the text and 小标宋 for the title, as official documents (GB/T 9704) use.
const PRINT_CSS = `
@page { size: A4; margin: 35mm 26mm 32mm 28mm; }
.notice-sheet { width: 210mm; min-height: 297mm; box-sizing: border-box; margin: 16px auto; padding: 35mm 26mm 32mm 28mm;
  background: #fff; color: #000; box-shadow: 0 0 8px rgba(0,0,0,.2); font-family: FangSong, 仿宋, STFangsong, serif; }
.notice-sheet p { margin: 0 0 6pt; line-height: 28pt; white-space: pre-wrap; }
.notice-sheet .title { font-family: '方正小标宋简体', SimSun, serif; letter-spacing: 2pt; margin-bottom: 12pt; }
.notice-sheet .number { margin-bottom: 18pt; }
.notice-sheet .receipt-first { margin-top: 24pt; }
@media print {
  body * { visibility: hidden; }
  .notice-sheet, .notice-sheet * { visibility: visible; }
  .notice-sheet { position: absolute; left: 0; top: 0; margin: 0; padding: 0; box-shadow: none; width: auto; min-height: 0; }
  .no-print { display: none !important; }
}`;

export function NoticePrintPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const notice = useQuery({ queryKey: hazardKeys.notice(Number(id)), queryFn: () => request<NoticePrint>(`/hazards/${id}/notice`) });
  const n = notice.data;
  return (
    <div style={{ background: '#eee', minHeight: '100vh', padding: '8px 0' }}>
      <style>{PRINT_CSS}</style>
      <Space className="no-print" style={{ display: 'flex', justifyContent: 'center' }}>
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} disabled={!n} data-testid="notice-print">{t('hz.print')}</Button>
        {n && <Button href={`/api/hazards/${n.hazardId}/notice.docx`} download>{t('hz.downloadNotice')}</Button>}
      </Space>
      {notice.error && <p className="no-print" style={{ textAlign: 'center' }}>{(notice.error as Error).message}</p>}
      {n && (
        <div className="notice-sheet" data-testid="notice-sheet">
          {n.paragraphs.map((p, i) => (
            <p
              key={i}
              className={`${p.role}${p.role === 'receipt' && n.paragraphs[i - 1]?.role !== 'receipt' ? ' receipt-first' : ''}`}
              data-testid={p.role === 'number' ? 'notice-number' : undefined}
              style={{ textAlign: p.align, fontWeight: p.bold ? 700 : 400, fontSize: `${p.size / 2}pt`, textIndent: p.indent ? '2em' : undefined }}
            >
              {p.text || '\u00a0'}
            </p>
          ))}
          {n.receipt && <p className="small" style={{ fontSize: '12pt' }}>（{t('hz.receipt')}：{t('hz.receiptBy', { name: n.receipt.byName ?? '', at: fmtTime(n.receipt.at) })}）</p>}
        </div>
      )}
    </div>
  );
}

// ---- the signed receipt, in the hazard drawer --------------------------------------------------------------------

/** The notice's print link, the receipt on record (who, when, the file) and, when the move is allowed, its upload. */
export function NoticeExtras({ h }: { h: HazardDetail }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [note, setNote] = useState('');
  const upload = useMutation({
    mutationFn: () => {
      const form = new FormData();
      form.append('file', file!, file!.name);
      return request<HazardDetail>(`/hazards/${h.id}/receipt`, { method: 'POST', body: form, query: { version: h.version, note: note || undefined } });
    },
    onSuccess: (next) => {
      client.setQueryData(hazardKeys.detail(h.id), next);
      void client.invalidateQueries({ queryKey: hazardKeys.all });
      void client.invalidateQueries({ queryKey: hazardKeys.ledgers() });
      setOpen(false);
      setFile(null);
      setNote('');
    },
  });
  if (!h.noticeNumber) return null;
  return (
    <>
      <Space wrap style={{ marginTop: 8 }}>
        <Button size="small" icon={<PrinterOutlined />} href={`/hazards/${h.id}/notice`} target="_blank" data-testid="hazard-notice-print">{t('hz.printNotice')}</Button>
        {h.allowedMoves.includes('record_receipt') && (
          <Button size="small" icon={<FilePdfOutlined />} onClick={() => setOpen(true)} data-testid="hazard-receipt-open">{t('hz.move.record_receipt')}</Button>
        )}
      </Space>
      {h.receipt && (
        <div style={{ marginTop: 8 }} data-testid="hazard-receipt">
          {t('hz.receipt')}：{t('hz.receiptBy', { name: h.receipt.byName ?? '', at: fmtTime(h.receipt.at) })}{' '}
          <a href={h.receipt.url} target="_blank" rel="noreferrer" data-testid="hazard-receipt-link">{t('hz.viewReceipt')}</a>
        </div>
      )}
      <Modal open={open} title={t('hz.move.record_receipt')} onCancel={() => setOpen(false)} onOk={() => upload.mutate()} okButtonProps={{ disabled: !file }} confirmLoading={upload.isPending} destroyOnHidden>
        <Form layout="vertical">
          <Form.Item label={t('hz.receiptFile')} required>
            <input type="file" accept="image/jpeg,image/png,image/webp,application/pdf" data-testid="hazard-receipt-file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          </Form.Item>
          <Form.Item label={t('hz.note')}>
            <Input.TextArea rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
          </Form.Item>
          {upload.error && <div style={{ color: '#cf1322' }}>{(upload.error as Error).message}</div>}
        </Form>
      </Modal>
    </>
  );
}

// ---- monthly inspection plans --------------------------------------------------------------------------------------

function PlanItems({ id }: { id: number }) {
  const { t } = useTranslation();
  const detail = useQuery({ queryKey: hazardKeys.plan(id), queryFn: () => request<InspectionPlanDetail>(`/inspection-plans/${id}`) });
  return (
    <Table
      rowKey="enterpriseId"
      size="small"
      pagination={false}
      loading={detail.isFetching}
      dataSource={detail.data?.items ?? []}
      columns={[
        { title: t('hz.enterprise'), dataIndex: 'enterpriseName' },
        { title: t('hz.industry'), dataIndex: 'industryName' },
        { title: t('hz.template'), dataIndex: 'templateName' },
        { title: t('hz.inspectedAt'), dataIndex: 'inspectedAt', render: (v: string | null) => (v ? fmtTime(v) : t('hz.notInspected')) },
        { title: t('hz.inspector'), dataIndex: 'inspectorName' },
        { title: t('hz.failedItems'), dataIndex: 'failed' },
      ]}
    />
  );
}

/**
 * A plan edited after it was made: the inspector it is assigned to, enterprises of the grid added, items not yet
 * inspected removed (PATCH /api/inspection-plans/:id with the version seen).
 */
function PlanEditor({ plan, onClose }: { plan: InspectionPlanSummary; onClose: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const detail = useQuery({ queryKey: hazardKeys.plan(plan.id), queryFn: () => request<InspectionPlanDetail>(`/inspection-plans/${plan.id}`) });
  const options = useQuery({ queryKey: hazardKeys.planOptions(plan.id), queryFn: () => request<InspectionPlanOptions>(`/inspection-plans/${plan.id}/options`) });
  const [inspectorId, setInspectorId] = useState<number | null | undefined>(undefined);
  const [add, setAdd] = useState<number[]>([]);
  const [remove, setRemove] = useState<number[]>([]);
  const d = detail.data;
  const save = useMutation({
    mutationFn: () => {
      const body: InspectionPlanUpdate = { version: d!.version, add, remove, ...(inspectorId !== undefined ? { inspectorId } : {}) };
      return request<InspectionPlanDetail>(`/inspection-plans/${plan.id}`, { method: 'PATCH', body });
    },
    onSuccess: (next) => {
      client.setQueryData(hazardKeys.plan(plan.id), next);
      void client.invalidateQueries({ queryKey: hazardKeys.plans() });
      void client.invalidateQueries({ queryKey: hazardKeys.planOptions(plan.id) });
      onClose();
    },
  });
  const inspectorValue = inspectorId !== undefined ? inspectorId : (d?.inspectorId ?? null);
  return (
    <Modal
      open
      width={760}
      title={`${t('ck.editPlan')} · ${plan.gridName} ${plan.month}`}
      onCancel={onClose}
      onOk={() => save.mutate()}
      okButtonProps={{ disabled: !d, 'data-testid': 'plan-edit-save' }}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Alert type="info" showIcon message={t('ck.autoJoin')} style={{ marginBottom: 12 }} />
      <Form layout="vertical">
        <Form.Item label={t('ck.planInspector')}>
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('ck.unassigned')}
            style={{ width: 320 }}
            value={inspectorValue ?? undefined}
            onChange={(v: number | undefined) => setInspectorId(v ?? null)}
            loading={options.isFetching}
            data-testid="plan-edit-inspector"
            options={(options.data?.inspectors ?? []).map((u) => ({ value: u.id, label: `${u.name}（${t(`role.${u.role}`)}）` }))}
          />
        </Form.Item>
        <Form.Item label={t('ck.addEnterprises')} extra={t('ck.addEnterprisesHelp')}>
          <Select
            mode="multiple"
            showSearch
            optionFilterProp="label"
            value={add}
            onChange={setAdd}
            data-testid="plan-edit-add"
            options={(options.data?.enterprises ?? []).map((e) => ({ value: e.id, label: `${e.name}${e.templateName ? ` · ${e.templateName}` : ''}` }))}
          />
        </Form.Item>
      </Form>
      <Table
        rowKey="enterpriseId"
        size="small"
        pagination={false}
        loading={detail.isFetching}
        dataSource={d?.items ?? []}
        onRow={(i) => ({ 'data-testid': 'plan-edit-item', 'data-name': i.enterpriseName }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('hz.enterprise'), dataIndex: 'enterpriseName' },
          { title: t('hz.template'), dataIndex: 'templateName', render: (v: string | null) => v ?? '—' },
          { title: t('hz.inspectedAt'), dataIndex: 'inspectedAt', render: (v: string | null) => (v ? fmtTime(v) : t('hz.notInspected')) },
          {
            title: t('ck.removeFromPlan'),
            render: (_: unknown, i) => (
              <Checkbox
                disabled={i.inspectionId != null}
                checked={remove.includes(i.enterpriseId)}
                data-testid="plan-edit-remove"
                onChange={(e) => setRemove((r) => (e.target.checked ? [...r, i.enterpriseId] : r.filter((x) => x !== i.enterpriseId)))}
              />
            ),
          },
        ]}
      />
      {save.error && <div style={{ color: '#cf1322', marginTop: 8 }} data-testid="plan-edit-error">{(save.error as Error).message}</div>}
    </Modal>
  );
}

export function InspectionPlansPage() {
  const { t } = useTranslation();
  const { user } = useSession();
  const client = useQueryClient();
  const [month, setMonth] = useState(dayjs().format('YYYY-MM'));
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<InspectionPlanSummary | null>(null);
  const [form] = Form.useForm();
  const board = useQuery({ queryKey: hazardKeys.planBoard(month), queryFn: () => request<InspectionPlanBoard>('/inspection-plans', { query: { month } }) });
  const grids = useQuery({ queryKey: gridKeys.collection(), queryFn: () => request<GridCollection>('/grids'), enabled: adding });
  const create = useMutation({
    mutationFn: (gridId: number) => request<InspectionPlanDetail>('/inspection-plans', { method: 'POST', body: { gridId, month } }),
    onSuccess: () => {
      setAdding(false);
      form.resetFields();
      void client.invalidateQueries({ queryKey: hazardKeys.plans() });
    },
  });
  const canPlan = user?.role === 'admin' || user?.role === 'operator';
  const b = board.data;
  const pct = (done: number, total: number, percent: number) => <Progress percent={percent} size="small" format={() => `${done}/${total}`} style={{ width: 160 }} />;
  return (
    <Card
      title={t('hz.plans')}
      extra={
        <Space>
          <DatePicker picker="month" allowClear={false} value={dayjs(`${month}-01`)} onChange={(d) => d && setMonth(d.format('YYYY-MM'))} data-testid="plans-month" />
          {canPlan && <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="plan-new">{t('hz.newPlan')}</Button>}
        </Space>
      }
    >
      {b && (
        <Descriptions size="small" column={1} style={{ marginBottom: 16 }}>
          <Descriptions.Item label={t('hz.overall')}><span data-testid="plans-overall">{pct(b.overall.done, b.overall.total, b.overall.percent)}</span></Descriptions.Item>
        </Descriptions>
      )}
      <Table
        rowKey="communityName"
        size="small"
        pagination={false}
        style={{ marginBottom: 16 }}
        dataSource={b?.communities ?? []}
        columns={[
          { title: t('hz.community'), dataIndex: 'communityName' },
          { title: t('hz.progress'), render: (_: unknown, c) => pct(c.done, c.total, c.percent) },
        ]}
      />
      <Table
        rowKey="id"
        size="small"
        loading={board.isFetching}
        dataSource={b?.plans ?? []}
        expandable={{ expandedRowRender: (p) => <PlanItems id={p.id} /> }}
        onRow={() => ({ 'data-testid': 'plan-row' }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('hz.grid'), dataIndex: 'gridName' },
          { title: t('hz.community'), dataIndex: 'communityName' },
          { title: t('hz.planned'), dataIndex: 'total' },
          { title: t('ck.planInspector'), dataIndex: 'inspectorName', render: (v: string | null) => v ?? t('ck.unassigned') },
          { title: t('hz.progress'), render: (_: unknown, p) => pct(p.done, p.total, p.percent) },
          ...(canPlan
            ? [{ title: '', render: (_: unknown, p: InspectionPlanSummary) => <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(p)} data-testid="plan-edit">{t('ck.editPlan')}</Button> }]
            : []),
        ]}
      />
      {editing && <PlanEditor plan={editing} onClose={() => setEditing(null)} />}
      <Modal open={adding} title={`${t('hz.newPlan')} · ${month}`} onCancel={() => setAdding(false)} onOk={() => form.submit()} confirmLoading={create.isPending} destroyOnHidden>
        <Form form={form} layout="vertical" onFinish={(v: { gridId: number }) => create.mutate(v.gridId)}>
          <Form.Item name="gridId" label={t('hz.grid')} rules={[{ required: true }]}>
            <Select
              showSearch
              optionFilterProp="label"
              data-testid="plan-grid"
              options={(grids.data?.features ?? []).filter((f) => f.properties.gridClass === 'A').map((f) => ({ value: f.properties.id, label: `${f.properties.name}（${f.properties.code}）` }))}
            />
          </Form.Item>
          {create.error && <div style={{ color: '#cf1322' }}>{(create.error as Error).message}</div>}
        </Form>
      </Modal>
    </Card>
  );
}
