// 今日任务 on the phone: the worker's inbox (cases to verify, and anything else waiting for them) as cards.
import { Empty, List, Skeleton, Tag, Typography } from 'antd';
import { RightOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../../api';
import { StateTag, WarningFlag } from '../../components/StateTag';
import { fmtTime } from '../../format';
import './phone.css';

export function PhoneTasksPage() {
  const { t } = useTranslation();
  const tasks = useQuery({ queryKey: ['tasks', 'phone'], queryFn: () => api.tasks(1, 50) });
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
        <List
          dataSource={tasks.data.items}
          renderItem={(c) => (
            <Link to={`/cases/${c.id}`} className="gw-phone-card" data-testid="phone-task" data-case-number={c.number}>
              <div className="row">
                <Typography.Text strong>{c.categoryName}</Typography.Text>
                <span>
                  <StateTag state={c.state} /> <WarningFlag level={c.warningLevel} />
                </span>
              </div>
              <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: '4px 0' }}>
                {c.description}
              </Typography.Paragraph>
              <div className="row sub">
                <span>
                  {c.gridName ?? ''} · {c.number}
                </span>
                <span>
                  {c.dueAt ? fmtTime(c.dueAt) : fmtTime(c.reportedAt)} <RightOutlined />
                </span>
              </div>
            </Link>
          )}
        />
      )}
    </div>
  );
}
