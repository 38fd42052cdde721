// 审计日志 (admin): every recorded action, newest first, paged, filterable by action.
import { useState } from 'react';
import { Card, Input, Table, Tag } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { AuditList } from '../../../src/shared/api';
import { api } from '../api';
import { fmtTime } from '../format';

type Entry = AuditList['items'][number];

export function AuditPage() {
  const { t } = useTranslation();
  const [state, setState] = useState({ page: 1, pageSize: 50, action: '' });
  const query = useQuery({
    queryKey: ['audit', state],
    queryFn: () => api.audit(state.page, state.pageSize, state.action || undefined),
    placeholderData: keepPreviousData,
  });
  return (
    <Card
      title={t('audit.title')}
      extra={
        <Input.Search
          allowClear
          placeholder={t('audit.actionFilter')}
          style={{ width: 220 }}
          data-testid="audit-action"
          onSearch={(action) => setState((s) => ({ ...s, page: 1, action: action.trim() }))}
        />
      }
    >
      <Table<Entry>
        rowKey="id"
        size="small"
        loading={query.isFetching}
        dataSource={query.data?.items ?? []}
        scroll={{ x: 800 }}
        onRow={() => ({ 'data-testid': 'audit-row' }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('audit.at'), dataIndex: 'at', width: 150, render: fmtTime },
          { title: t('audit.actor'), dataIndex: 'actorName', width: 120, render: (v: string | null) => v ?? '—' },
          { title: t('audit.action'), dataIndex: 'action', width: 150, render: (v: string) => <Tag>{v}</Tag> },
          {
            title: t('audit.target'),
            dataIndex: 'targetType',
            width: 140,
            render: (v: string, e) => (e.targetId ? `${v} #${e.targetId}` : v),
          },
          { title: t('audit.summary'), dataIndex: 'summary' },
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
