// 今日任务 on the phone: the user's inbox as cards, most urgent first (overdue, then the nearest time limit), each
// with its time limit and the time left.
import { Empty, List, Skeleton, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { PhoneCaseCard } from './PhoneCaseCard';
import './phone.css';
import { taskKeys } from '../../queryKeys';

export function PhoneTasksPage() {
  const { t } = useTranslation();
  const tasks = useQuery({ queryKey: taskKeys.phone(), queryFn: () => api.tasks(1, 50), refetchInterval: 60_000 });
  return (
    <div className="gw-phone" data-testid="phone-task-list">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('phone.tasks')} {tasks.data ? <Tag>{tasks.data.total}</Tag> : null}
      </Typography.Title>
      {!tasks.data ? (
        <Skeleton active />
      ) : tasks.data.items.length === 0 ? (
        <Empty description={t('phone.noTasks')} />
      ) : (
        <List dataSource={tasks.data.items} renderItem={(c) => <PhoneCaseCard c={c} testId="phone-task" />} />
      )}
    </div>
  );
}
