// The bell in the header: unread count (pushed live over server-sent events), the latest notices, a click opens
// the case (or, for a hazard notice, the hazard) and marks the notice read.
import { useEffect } from 'react';
import { Badge, Button, List, Popover, Space, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api, type NotificationList } from '../api';
import { fmtTime } from '../format';
import { taskKeys, notificationKeys } from '../queryKeys';

const KEY = notificationKeys.all;

export function NotificationBell() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const navigate = useNavigate();
  const query = useQuery({ queryKey: KEY, queryFn: () => api.notifications(20), meta: { silent: true }, refetchInterval: 5 * 60_000 });

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/notifications/stream');
    source.addEventListener('unread', (e) => {
      const unread = (JSON.parse((e as MessageEvent<string>).data) as { unread: number }).unread;
      const known = client.getQueryData<NotificationList>(KEY)?.unread;
      if (known !== unread) {
        void client.invalidateQueries({ queryKey: KEY });
        // a new notice usually means a new task
        void client.invalidateQueries({ queryKey: taskKeys.all });
      }
    });
    return () => source.close();
  }, [client]);

  const markRead = useMutation({
    mutationFn: (ids: number[] | 'all') => api.markRead(ids),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });

  const items = query.data?.items ?? [];
  const content = (
    <div style={{ width: 340, maxWidth: '80vw' }}>
      <List
        size="small"
        dataSource={items}
        locale={{ emptyText: t('notifications.empty') }}
        style={{ maxHeight: 400, overflow: 'auto' }}
        renderItem={(n) => (
          <List.Item
            style={{ cursor: n.caseId || n.hazardId ? 'pointer' : 'default', paddingInline: 4 }}
            data-testid="notification"
            data-hazard-id={n.hazardId ?? undefined}
            onClick={() => {
              if (!n.read) markRead.mutate([n.id]);
              if (n.caseId) navigate(`/cases/${n.caseId}`);
              // a hazard notice (major hazard, awaiting close-out approval, deadline warning) opens the hazard
              else if (n.hazardId) navigate(`/hazards?open=${n.hazardId}`);
            }}
          >
            <Space orientation="vertical" size={0} style={{ width: '100%' }}>
              <Space size={6}>
                {!n.read && <Badge status="processing" />}
                <Typography.Text strong={!n.read}>{n.title}</Typography.Text>
              </Space>
              {n.body && (
                <Typography.Text type="secondary" ellipsis style={{ maxWidth: 320 }}>
                  {n.body}
                </Typography.Text>
              )}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {fmtTime(n.createdAt)}
              </Typography.Text>
            </Space>
          </List.Item>
        )}
      />
    </div>
  );

  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      title={
        <Space style={{ width: '100%', justifyContent: 'space-between' }}>
          {t('notifications.title')}
          <Button size="small" type="link" disabled={!query.data?.unread} onClick={() => markRead.mutate('all')}>
            {t('notifications.markAllRead')}
          </Button>
        </Space>
      }
      content={content}
    >
      <Button type="text" aria-label={t('notifications.title')} data-testid="notifications">
        <Badge count={query.data?.unread ?? 0} size="small" overflowCount={99}>
          <BellOutlined style={{ fontSize: 18 }} />
        </Badge>
      </Button>
    </Popover>
  );
}
