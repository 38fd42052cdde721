// 审计日志 (admin): every recorded action, newest first, paged; filtered by who, what, which object and when, each
// entry opening to what it recorded (before/after of a change).
import { ExportButton } from '../components/ExportButton';
import { useState } from 'react';
import { Card, DatePicker, Input, Select, Space, Table, Tag } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import i18n from 'i18next';
import type { AuditList } from '../../../src/shared/api';
import { request } from '../api';
import { fmtTime } from '../format';
import { auditKeys } from '../queryKeys';

type Entry = AuditList['items'][number];

interface Filters {
  page: number;
  pageSize: number;
  action?: string;
  actor?: string;
  targetType?: string;
  targetId?: string;
  q?: string;
  from?: string;
  to?: string;
}

const TARGET_TYPES = ['case', 'user', 'grid', 'division', 'department', 'category', 'calendar', 'setting'];

export function AuditPage() {
  const { t } = useTranslation();
  // 'case.accept' is a move: its name comes from the workflow's words; other actions have their own label
  const actionLabel = (action: string): string => {
    const move = /^case\.([a-z_]+)$/.exec(action)?.[1];
    if (move && i18n.exists(`move.${move}`)) return t('auditLog.caseMove', { move: t(`move.${move}`) });
    return t(`auditLog.actions.${action}`, { defaultValue: action });
  };
  // a case move's summary ("案件 2026…: reported → accepted") is rebuilt from its recorded states
  const summaryOf = (summary: string, e: Entry): string => {
    const data = (e.data ?? {}) as { from?: unknown; to?: unknown };
    const number = /案件 (\d+)/.exec(summary)?.[1];
    if (e.targetType === 'case' && number && typeof data.from === 'string' && typeof data.to === 'string') {
      return t('auditLog.caseSummary', { number, from: t(`state.${data.from}`), to: t(`state.${data.to}`) });
    }
    return summary;
  };
  const [state, setState] = useState<Filters>({ page: 1, pageSize: 50 });
  const set = (patch: Partial<Filters>) => setState((s) => ({ ...s, ...patch, page: 1 }));
  const query = useQuery({
    queryKey: auditKeys.list(state),
    queryFn: () => request<AuditList>('/audit', { query: { ...state } }),
    placeholderData: keepPreviousData,
  });
  return (
    <Card title={t('audit.title')} extra={<ExportButton path="/audit/export.xlsx" query={{ ...state }} testId="audit-export" />}>
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search allowClear placeholder={t('audit.actionFilter')} style={{ width: 200 }} data-testid="audit-action" onSearch={(v) => set({ action: v.trim() || undefined })} />
        <Input.Search allowClear placeholder={t('auditSearch.actor')} style={{ width: 200 }} data-testid="audit-actor" onSearch={(v) => set({ actor: v.trim() || undefined })} />
        <Select
          allowClear
          placeholder={t('auditSearch.targetType')}
          style={{ width: 140 }}
          options={TARGET_TYPES.map((v) => ({ value: v, label: t(`auditLog.targets.${v}`, { defaultValue: v }) }))}
          onChange={(v) => set({ targetType: v ?? undefined })}
        />
        <Input.Search allowClear placeholder={t('auditSearch.targetId')} style={{ width: 140 }} onSearch={(v) => set({ targetId: v.trim() || undefined })} />
        <Input.Search allowClear placeholder={t('auditSearch.q')} style={{ width: 200 }} onSearch={(v) => set({ q: v.trim() || undefined })} />
        <DatePicker.RangePicker
          showTime
          placeholder={[t('auditSearch.when'), t('auditSearch.when')]}
          onChange={(range) => set({ from: range?.[0]?.toISOString(), to: range?.[1]?.toISOString() })}
        />
      </Space>
      <Table<Entry>
        rowKey="id"
        size="small"
        loading={query.isFetching}
        dataSource={query.data?.items ?? []}
        scroll={{ x: 800 }}
        onRow={() => ({ 'data-testid': 'audit-row' }) as React.HTMLAttributes<HTMLElement>}
        expandable={{
          rowExpandable: (e) => Object.keys(e.data ?? {}).length > 0,
          expandedRowRender: (e) => (
            <div>
              <div style={{ marginBottom: 4, color: '#888' }}>{t('auditSearch.data')}</div>
              <pre style={{ margin: 0, whiteSpace: 'pre-wrap', fontSize: 12 }}>{JSON.stringify(e.data, null, 2)}</pre>
            </div>
          ),
        }}
        columns={[
          { title: t('audit.at'), dataIndex: 'at', width: 150, render: fmtTime },
          { title: t('audit.actor'), dataIndex: 'actorName', width: 120, render: (v: string | null) => v ?? '—' },
          { title: t('audit.action'), dataIndex: 'action', width: 170, render: (v: string) => <Tag title={v}>{actionLabel(v)}</Tag> },
          {
            title: t('audit.target'),
            dataIndex: 'targetType',
            width: 140,
            render: (v: string, e) => {
              const name = t(`auditLog.targets.${v}`, { defaultValue: v });
              return e.targetId ? `${name} ${e.targetId}` : name;
            },
          },
          { title: t('audit.summary'), dataIndex: 'summary', render: (v: string, e) => summaryOf(v, e) },
          { title: t('audit.ip'), dataIndex: 'ip', width: 120, responsive: ['lg'] },
        ]}
        pagination={{
          current: state.page,
          pageSize: state.pageSize,
          total: query.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (n) => t('common.total', { count: n }),
          onChange: (page, pageSize) => setState((s) => ({ ...s, page, pageSize })),
        }}
      />
    </Card>
  );
}
