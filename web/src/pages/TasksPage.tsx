// 我的待办: the cases waiting for an action of the logged-in user.
import { useState } from 'react';
import { Badge, Button, Card, Space, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { ExportButton } from '../components/ExportButton';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { CaseTable } from '../components/CaseTable';
import { taskKeys } from '../queryKeys';

export function TasksPage() {
  const { t } = useTranslation();
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const query = useQuery({
    queryKey: taskKeys.page(paging),
    queryFn: () => api.tasks(paging.page, paging.pageSize),
    refetchInterval: 60_000,
    placeholderData: keepPreviousData,
  });
  return (
    <Card
      title={
        <Space>
          {t('tasks.title')}
          <Badge count={query.data?.total ?? 0} showZero overflowCount={999} data-testid="tasks-count" />
        </Space>
      }
      extra={
        <Space>
          <ExportButton path="/tasks/export.xlsx" testId="tasks-export" />
          <Button icon={<ReloadOutlined />} onClick={() => void query.refetch()} loading={query.isFetching}>
            {t('common.reload')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('tasks.hint')}</Typography.Paragraph>
      <CaseTable
        items={query.data?.items ?? []}
        total={query.data?.total ?? 0}
        page={paging.page}
        pageSize={paging.pageSize}
        loading={query.isLoading}
        rowTestId="task-row"
        inbox
        emptyText={t('tasks.empty')}
        onPage={(page, pageSize) => setPaging({ page, pageSize })}
      />
    </Card>
  );
}
