// 企业档案, 隐患排查治理 and 台账: the enterprise registry, hazards with the moves the server allows the user now
// (GET /api/hazards/:id answers allowedMoves), the rectification notice as .docx, and the two hazard ledgers as
// filtered lists with an Excel export under the same filter.
import { useEffect, useState } from 'react';
import { Button, Card, DatePicker, Descriptions, Drawer, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tabs, Tag, Timeline } from 'antd';
import { DownloadOutlined, FileExcelOutlined, PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import type { Enterprise, HazardDetail, HazardSummary, LedgerList } from '../../../../src/shared/hazards-api';
import { request } from '../../api';
import { fmtTime } from '../../format';
import { useSession } from '../../session';
import { PhotoUpload } from '../../components/PhotoUpload';
import { refKeys, hazardKeys, enterpriseKeys } from '../../queryKeys';
import { EnterpriseSheetButtons } from './EnterpriseSheetButtons';
import { ExportButton } from '../../components/ExportButton';
import { NoticeExtras } from './HazardWorkPages';

const GRADES = ['general', 'larger', 'major'] as const;
const TYPES = ['fire', 'electrical', 'hazmat', 'special_equipment', 'environmental', 'construction', 'other'] as const;
const STATES = ['found', 'rectifying', 'failed', 'passed', 'fixed', 'closed', 'handed_over'] as const;
const GRADE_COLORS: Record<string, string> = { general: 'blue', larger: 'orange', major: 'red' };
const RISK_COLORS: Record<string, string> = { low: 'green', medium: 'orange', high: 'red' };

// ---- enterprises -------------------------------------------------------------------------------------------------

export function EnterprisesPage() {
  const { t } = useTranslation();
  const { user } = useSession();
  const client = useQueryClient();
  const [filters, setFilters] = useState<{ q?: string; page: number }>({ page: 1 });
  const [adding, setAdding] = useState(false);
  const [form] = Form.useForm();
  const list = useQuery({
    queryKey: enterpriseKeys.list(filters),
    queryFn: () => request<{ items: Enterprise[]; total: number }>('/enterprises', { query: { ...filters, pageSize: 50 } }),
    placeholderData: keepPreviousData,
  });
  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => request<Enterprise>('/enterprises', { method: 'POST', body }),
    onSuccess: () => {
      setAdding(false);
      form.resetFields();
      void client.invalidateQueries({ queryKey: enterpriseKeys.all });
    },
  });
  const canEdit = user?.role === 'admin' || user?.role === 'operator';
  return (
    <Card
      title={t('hz.enterprises')}
      extra={
        <Space wrap>
          <EnterpriseSheetButtons canEdit={canEdit} exportQuery={filters.q ? `q=${encodeURIComponent(filters.q)}` : ''} />
          {canEdit && <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="enterprise-new">{t('hz.newEnterprise')}</Button>}
        </Space>
      }
    >
      <Input.Search allowClear placeholder={t('hz.search')} style={{ width: 260, marginBottom: 16 }} onSearch={(v) => setFilters({ q: v.trim() || undefined, page: 1 })} />
      <Table<Enterprise>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        pagination={{ current: filters.page, pageSize: 50, total: list.data?.total ?? 0, onChange: (page) => setFilters((f) => ({ ...f, page })) }}
        scroll={{ x: 900 }}
        columns={[
          { title: t('hz.name'), dataIndex: 'name', render: (v: string, e) => <Link to={`/enterprises/${e.id}`} data-testid="enterprise-link">{v}</Link> },
          { title: t('hz.creditCode'), dataIndex: 'creditCode' },
          { title: t('hz.industry'), dataIndex: 'industryName' },
          { title: t('hz.grid'), dataIndex: 'gridName' },
          { title: t('hz.riskLevel'), dataIndex: 'riskLevel', render: (v: string) => <Tag color={RISK_COLORS[v]}>{t(`hz.risk.${v}`)}</Tag> },
          { title: t('hz.status'), dataIndex: 'status', render: (v: string) => t(`hz.statuses.${v}`) },
          { title: t('hz.watch'), dataIndex: 'watch', render: (v: boolean, e) => (v ? <Tag color="volcano" title={e.watchReason ?? ''}>{t('hz.watch')}</Tag> : null) },
          { title: t('hz.contact'), render: (_: unknown, e) => [e.contact, e.phone].filter(Boolean).join(' ') },
          { title: t('hz.openHazards'), dataIndex: 'openHazards' },
        ]}
      />
      <Modal open={adding} title={t('hz.newEnterprise')} onCancel={() => setAdding(false)} onOk={() => form.submit()} confirmLoading={create.isPending} destroyOnHidden>
        <Form form={form} layout="vertical" initialValues={{ riskLevel: 'low', status: 'operating', watch: false }} onFinish={(v) => create.mutate(v)}>
          <Form.Item name="name" label={t('hz.name')} rules={[{ required: true }]}><Input data-testid="enterprise-name" /></Form.Item>
          <Form.Item name="creditCode" label={t('hz.creditCode')} rules={[{ required: true, len: 18 }]}><Input maxLength={18} data-testid="enterprise-code" /></Form.Item>
          <Space>
            <Form.Item name="industryCode" label={t('hz.industryCode')}><Input style={{ width: 100 }} /></Form.Item>
            <Form.Item name="industryName" label={t('hz.industry')}><Input style={{ width: 240 }} /></Form.Item>
          </Space>
          <Form.Item name="address" label={t('hz.address')}><Input /></Form.Item>
          <Space>
            <Form.Item name="lng" label={t('hz.lng')} rules={[{ required: true }]}><InputNumber step={0.0001} style={{ width: 160 }} /></Form.Item>
            <Form.Item name="lat" label={t('hz.lat')} rules={[{ required: true }]}><InputNumber step={0.0001} style={{ width: 160 }} /></Form.Item>
          </Space>
          <Space>
            <Form.Item name="riskLevel" label={t('hz.riskLevel')}><Select style={{ width: 100 }} options={['low', 'medium', 'high'].map((v) => ({ value: v, label: t(`hz.risk.${v}`) }))} /></Form.Item>
            <Form.Item name="status" label={t('hz.status')}><Select style={{ width: 120 }} options={['operating', 'suspended', 'closed'].map((v) => ({ value: v, label: t(`hz.statuses.${v}`) }))} /></Form.Item>
            <Form.Item name="watch" label={t('hz.watch')} valuePropName="checked"><Switch /></Form.Item>
          </Space>
          <Form.Item name="watchReason" label={t('hz.watchReason')}><Input /></Form.Item>
          <Space>
            <Form.Item name="contact" label={t('hz.contact')}><Input /></Form.Item>
            <Form.Item name="phone" label={t('hz.phone')}><Input /></Form.Item>
          </Space>
        </Form>
      </Modal>
    </Card>
  );
}

// ---- hazards -----------------------------------------------------------------------------------------------------

function HazardDrawer({ id, onClose }: { id: number; onClose: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [move, setMove] = useState<string | null>(null);
  const [form] = Form.useForm();
  const detail = useQuery({ queryKey: hazardKeys.detail(id), queryFn: () => request<HazardDetail>(`/hazards/${id}`) });
  const departments = useQuery({ queryKey: refKeys.departments(), queryFn: () => request<{ id: number; name: string }[]>('/departments'), enabled: move === 'hand_over' });
  const act = useMutation({
    mutationFn: (body: Record<string, unknown>) => request<HazardDetail>(`/hazards/${id}/moves/${move}`, { method: 'POST', body: { version: detail.data!.version, ...body } }),
    onSuccess: (h) => {
      client.setQueryData(hazardKeys.detail(id), h);
      void client.invalidateQueries({ queryKey: hazardKeys.all });
      setMove(null);
      form.resetFields();
    },
  });
  const h = detail.data;
  const needs = (m: string | null) => ({
    note: ['fix_on_spot', 'reinspect_fail', 'hand_over', 'reinspect_pass', 'close_out', 'record_receipt', 'extend', 'issue_notice'].includes(m ?? ''),
    days: m === 'issue_notice' || m === 'extend',
    photos: m === 'fix_on_spot' || m === 'record_receipt' || m === 'reinspect_pass' || m === 'reinspect_fail',
    department: m === 'hand_over',
  });
  const n = needs(move);
  return (
    <Drawer open width={Math.min(560, window.innerWidth)} title={h ? `${h.number} · ${h.enterpriseName}` : ''} onClose={onClose} data-testid="hazard-drawer">
      {h && (
        <>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('hz.stateLabel')}><Tag data-testid="hazard-state">{t(`hz.state.${h.state}`)}</Tag>{h.warning !== 'none' && <Tag color={h.warning === 'red' ? 'red' : 'gold'}>{t(`hz.warning.${h.warning}`)}</Tag>}</Descriptions.Item>
            <Descriptions.Item label={t('hz.gradeLabel')}><Tag color={GRADE_COLORS[h.grade]}>{t(`hz.grade.${h.grade}`)}</Tag>{t(`hz.type.${h.type}`)}</Descriptions.Item>
            <Descriptions.Item label={t('hz.description')}>{h.description}</Descriptions.Item>
            <Descriptions.Item label={t('hz.foundAt')}>{fmtTime(h.foundAt)} {h.finderName}</Descriptions.Item>
            {h.noticeNumber && (
              <Descriptions.Item label={t('hz.notice')}>
                <div data-testid="hazard-notice-number">{h.noticeNumber}</div>
                <div>{t('hz.deadline')}：{fmtTime(h.deadline)}</div>
                <Button size="small" icon={<DownloadOutlined />} href={`/api/hazards/${h.id}/notice.docx`} download data-testid="hazard-notice-download">{t('hz.downloadNotice')}</Button>
                <NoticeExtras h={h} />
              </Descriptions.Item>
            )}
            {h.caseId && <Descriptions.Item label={t('hz.caseLink')}><Link to={`/cases/${h.caseId}`}>{h.caseId}</Link></Descriptions.Item>}
          </Descriptions>
          <Space wrap style={{ margin: '16px 0' }}>
            {h.allowedMoves.filter((m) => m !== 'record_receipt').length === 0 && <span>{t('hz.noMoves')}</span>}
            {/* the signed receipt is uploaded as a file with the notice above */}
            {h.allowedMoves.filter((m) => m !== 'record_receipt').map((m) => (
              <Button key={m} type={m === 'close_out' || m === 'reinspect_pass' ? 'primary' : 'default'} onClick={() => setMove(m)} data-testid={`hazard-move-${m}`}>
                {t(`hz.move.${m}`)}
              </Button>
            ))}
          </Space>
          <h4>{t('hz.timeline')}</h4>
          <Timeline items={h.events.map((e) => ({ children: <><b>{t(`hz.move.${e.move}`)}</b> {e.actorName} {fmtTime(e.at)}{e.note ? <div>{e.note}</div> : null}</> }))} />
          <Modal open={move != null} title={move ? t(`hz.move.${move}`) : ''} onCancel={() => setMove(null)} onOk={() => form.submit()} confirmLoading={act.isPending} destroyOnHidden>
            <Form form={form} layout="vertical" initialValues={{ deadlineDays: 5 }} onFinish={(v) => act.mutate(v)}>
              {n.days && <Form.Item name="deadlineDays" label={t('hz.deadlineDays')}><InputNumber min={1} max={90} data-testid="hazard-deadline-days" /></Form.Item>}
              {n.department && (
                <Form.Item name="departmentId" label={t('hz.department')} rules={[{ required: true }]}>
                  <Select options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))} />
                </Form.Item>
              )}
              {n.note && <Form.Item name="note" label={t('hz.note')}><Input.TextArea rows={2} data-testid="hazard-note" /></Form.Item>}
              {n.photos && <Form.Item name="photos" label={t('hz.photos')}><PhotoUpload testId="hazard-photos" /></Form.Item>}
            </Form>
          </Modal>
        </>
      )}
    </Drawer>
  );
}

export function HazardsPage() {
  const { t } = useTranslation();
  const { user } = useSession();
  const client = useQueryClient();
  const [params, setParams] = useSearchParams();
  const [filters, setFilters] = useState<{ state?: string; grade?: string; enterpriseId?: string; page: number }>({ page: 1, enterpriseId: params.get('enterpriseId') ?? undefined });
  const [open, setOpen] = useState<number | null>(params.get('open') ? Number(params.get('open')) : null);
  // a link to another hazard while the page is open (the notification bell) opens that one
  const openParam = params.get('open');
  useEffect(() => {
    if (openParam && Number.isInteger(Number(openParam))) setOpen(Number(openParam));
  }, [openParam]);
  const [adding, setAdding] = useState(false);
  const [form] = Form.useForm();
  const list = useQuery({
    queryKey: hazardKeys.list(filters),
    queryFn: () => request<{ items: HazardSummary[]; total: number }>('/hazards', { query: { ...filters, pageSize: 50 } }),
    placeholderData: keepPreviousData,
  });
  const enterprises = useQuery({ queryKey: enterpriseKeys.picker(), queryFn: () => request<{ items: Enterprise[] }>('/enterprises', { query: { pageSize: 200 } }), enabled: adding });
  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => request<HazardDetail>('/hazards', { method: 'POST', body }),
    onSuccess: (h) => {
      setAdding(false);
      form.resetFields();
      void client.invalidateQueries({ queryKey: hazardKeys.all });
      setOpen(h.id);
    },
  });
  const canFind = user && ['grid_worker', 'department', 'operator'].includes(user.role);
  return (
    <Card title={t('hz.hazards')} extra={canFind && <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="hazard-new">{t('hz.newHazard')}</Button>}>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select allowClear placeholder={t('hz.stateLabel')} style={{ width: 160 }} options={STATES.map((s) => ({ value: s, label: t(`hz.state.${s}`) }))} onChange={(v) => setFilters((f) => ({ ...f, state: v ?? undefined, page: 1 }))} />
        <Select allowClear placeholder={t('hz.gradeLabel')} style={{ width: 120 }} options={GRADES.map((s) => ({ value: s, label: t(`hz.grade.${s}`) }))} onChange={(v) => setFilters((f) => ({ ...f, grade: v ?? undefined, page: 1 }))} />
      </Space>
      <Table<HazardSummary>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        pagination={{ current: filters.page, pageSize: 50, total: list.data?.total ?? 0, onChange: (page) => setFilters((f) => ({ ...f, page })) }}
        onRow={(h) => ({ onClick: () => setOpen(h.id), style: { cursor: 'pointer' }, 'data-testid': 'hazard-row' }) as React.HTMLAttributes<HTMLElement>}
        scroll={{ x: 900 }}
        columns={[
          { title: t('hz.number'), dataIndex: 'number' },
          { title: t('hz.enterprise'), dataIndex: 'enterpriseName' },
          { title: t('hz.gradeLabel'), dataIndex: 'grade', render: (v: string) => <Tag color={GRADE_COLORS[v]}>{t(`hz.grade.${v}`)}</Tag> },
          { title: t('hz.typeLabel'), dataIndex: 'type', render: (v: string) => t(`hz.type.${v}`) },
          { title: t('hz.description'), dataIndex: 'description', ellipsis: true },
          { title: t('hz.stateLabel'), dataIndex: 'state', render: (v: string, h) => <>{t(`hz.state.${v}`)}{h.warning !== 'none' && <Tag color={h.warning === 'red' ? 'red' : 'gold'}>{t(`hz.warning.${h.warning}`)}</Tag>}</> },
          { title: t('hz.notice'), dataIndex: 'noticeNumber' },
          { title: t('hz.foundAt'), dataIndex: 'foundAt', render: (v: string) => fmtTime(v) },
        ]}
      />
      {open != null && (
        <HazardDrawer
          id={open}
          onClose={() => {
            setOpen(null);
            if (openParam) setParams((p) => (p.delete('open'), p), { replace: true });
          }}
        />
      )}
      <Modal open={adding} title={t('hz.newHazard')} onCancel={() => setAdding(false)} onOk={() => form.submit()} confirmLoading={create.isPending} destroyOnHidden>
        <Form form={form} layout="vertical" initialValues={{ grade: 'general', type: 'fire' }} onFinish={(v) => create.mutate(v)}>
          <Form.Item name="enterpriseId" label={t('hz.enterprise')} rules={[{ required: true }]}>
            <Select showSearch optionFilterProp="label" options={(enterprises.data?.items ?? []).map((e) => ({ value: e.id, label: e.name }))} data-testid="hazard-enterprise" />
          </Form.Item>
          <Space>
            <Form.Item name="grade" label={t('hz.gradeLabel')}><Select style={{ width: 120 }} options={GRADES.map((s) => ({ value: s, label: t(`hz.grade.${s}`) }))} /></Form.Item>
            <Form.Item name="type" label={t('hz.typeLabel')}><Select style={{ width: 160 }} options={TYPES.map((s) => ({ value: s, label: t(`hz.type.${s}`) }))} /></Form.Item>
          </Space>
          <Form.Item name="description" label={t('hz.description')} rules={[{ required: true, min: 2 }]}><Input.TextArea rows={3} data-testid="hazard-description" /></Form.Item>
          <Form.Item name="photos" label={t('hz.photos')}><PhotoUpload /></Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

// ---- ledgers -----------------------------------------------------------------------------------------------------

type LedgerKindName = 'inspection' | 'rectification' | 'handover' | 'industry' | 'watch';
const ENTERPRISE_LEDGERS: readonly LedgerKindName[] = ['industry', 'watch'];

function LedgerTab({ kind }: { kind: LedgerKindName }) {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<{ from?: string; to?: string; grade?: string; industry?: string; page: number }>({ page: 1 });
  const ofEnterprises = ENTERPRISE_LEDGERS.includes(kind);
  const list = useQuery({
    queryKey: hazardKeys.ledger(kind, filters),
    queryFn: () => request<LedgerList>(`/ledgers/${kind}`, { query: { ...filters, pageSize: 50 } }),
    placeholderData: keepPreviousData,
  });
  const exportQuery = new URLSearchParams(Object.entries({ from: filters.from, to: filters.to, grade: filters.grade, industry: filters.industry }).filter((e): e is [string, string] => Boolean(e[1]))).toString();
  const columns = list.data?.columns ?? [];
  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <DatePicker.RangePicker onChange={(r) => setFilters((f) => ({ ...f, from: r?.[0]?.format('YYYY-MM-DD'), to: r?.[1]?.format('YYYY-MM-DD'), page: 1 }))} />
        {ofEnterprises ? (
          <Input.Search allowClear placeholder={t('hz.industryFilter')} style={{ width: 200 }} onSearch={(v) => setFilters((f) => ({ ...f, industry: v.trim() || undefined, page: 1 }))} data-testid={`ledger-industry-${kind}`} />
        ) : (
          <Select allowClear placeholder={t('hz.gradeLabel')} style={{ width: 120 }} options={GRADES.map((s) => ({ value: s, label: t(`hz.grade.${s}`) }))} onChange={(v) => setFilters((f) => ({ ...f, grade: v ?? undefined, page: 1 }))} />
        )}
        <ExportButton url={`/api/ledgers/${kind}/export${exportQuery ? `?${exportQuery}` : ''}`} testId={`ledger-export-${kind}`}>{t('hz.export')}</ExportButton>
        <span data-testid={`ledger-total-${kind}`}>{t('hz.total', { count: list.data?.total ?? 0 })}</span>
      </Space>
      <Table<string[]>
        rowKey={(r) => r.join('|')}
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.rows ?? []}
        pagination={{ current: filters.page, pageSize: 50, total: list.data?.total ?? 0, onChange: (page) => setFilters((f) => ({ ...f, page })) }}
        scroll={{ x: 1200 }}
        onRow={() => ({ 'data-testid': `ledger-row-${kind}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('hz.serial'), render: (_: unknown, _r, i) => (filters.page - 1) * 50 + i + 1, width: 60 },
          ...columns.map((c, i) => ({
            title: c,
            // the rectification ledger's 预警 column in its colour
            render: (_: unknown, r: string[]) => (c === '预警' && r[i] ? <Tag color={r[i]!.startsWith('红') ? 'red' : 'gold'}>{r[i]}</Tag> : r[i]),
          })),
        ]}
      />
    </>
  );
}

export function LedgersPage() {
  const { t } = useTranslation();
  return (
    <Card title={t('hz.ledgers')}>
      <Tabs
        items={(['inspection', 'rectification', 'handover', 'industry', 'watch'] as const).map((k) => ({ key: k, label: t(`hz.ledger.${k}`), children: <LedgerTab kind={k} /> }))}
      />
    </Card>
  );
}
