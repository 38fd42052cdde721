// 积分榜 on the phone: the month's points of the grid workers of the worker's street, its own row marked, and how
// points are earned (per report, verification, day on patrol, fix on the spot).
import { List, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { request } from '../../api';
import './phone.css';
import { assessmentKeys } from '../../queryKeys';

interface Board {
  rules: { perReport: number; perVerification: number; perPatrolDay: number; perFixOnSpot: number };
  me: number;
  rows: { userId: number; name: string; points: number; rank: number; reported: number; verifications: number; patrolDays: number; fixedOnSpot: number }[];
}

export function PhonePointsPage() {
  const { t } = useTranslation();
  const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
  const board = useQuery({ queryKey: assessmentKeys.points(month), queryFn: () => request<Board>('/assessment/points', { query: { period: month } }) });
  const r = board.data?.rules;
  return (
    <div className="gw-phone" data-testid="phone-points">
      <Typography.Title level={4}>{t('assessment.points.title', { month })}</Typography.Title>
      {r && <Typography.Paragraph type="secondary">{t('assessment.points.rules', r)}</Typography.Paragraph>}
      <List
        loading={board.isLoading}
        dataSource={board.data?.rows ?? []}
        renderItem={(x) => (
          <List.Item style={x.userId === board.data?.me ? { background: '#e6f4ff' } : undefined} data-testid={x.userId === board.data?.me ? 'points-me' : undefined}>
            <List.Item.Meta
              avatar={<Tag color={x.rank <= 3 ? 'red' : 'default'}>{x.rank}</Tag>}
              title={x.name}
              description={t('assessment.points.detail', x)}
            />
            <Typography.Text strong>{x.points}</Typography.Text>
          </List.Item>
        )}
      />
      <div className="gw-phone-links">
        <Link to="/m">{t('assessment.points.back')}</Link>
      </div>
    </div>
  );
}
