// "为什么分到这里" on the case page: the grid the case fell in (and why), the B/C grid answering for it, and the
// department the routing rules suggest next to the one it went to. The sentences come from the server in the
// reader's language; nothing shows when the reader may not see them.
import { Card, Descriptions, Space, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useSession } from '../../session';
import { gridReads } from './gridsApi';
import { caseKeys } from '../../queryKeys';

export function RoutingWhy({ caseId }: { caseId: number }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const q = useQuery({
    queryKey: caseKeys.routing(caseId),
    queryFn: () => gridReads.caseRouting(caseId),
    retry: false,
    meta: { silent: true },
  });
  const r = q.data;
  if (!r) return null;
  const gridLink = (g: { id: number; name: string } | null) =>
    g && (user?.role === 'admin' || user?.role === 'operator') ? <Link to={`/grids?id=${g.id}`}>{g.name}</Link> : g?.name;
  return (
    <Card title={t('routingWhy.title')} data-testid="routing-why">
      <Descriptions
        size="small"
        column={1}
        items={[
          {
            key: 'grid',
            label: t('routingWhy.grid'),
            children: (
              <Space orientation="vertical" size={2}>
                <Space size={6} wrap>
                  {r.grid.reason && <Tag color={r.grid.reason === 'outside' ? 'red' : 'blue'}>{t(`routingWhy.gridReason.${r.grid.reason}`)}</Tag>}
                  {gridLink(r.grid.grid)}
                  {r.grid.gridVersion != null && <Typography.Text type="secondary">v{r.grid.gridVersion}</Typography.Text>}
                </Space>
                <Typography.Text type="secondary">{r.grid.text}</Typography.Text>
              </Space>
            ),
          },
          ...(r.responsible
            ? [
                {
                  key: 'responsible',
                  label: t('routingWhy.responsible'),
                  children: (
                    <Space orientation="vertical" size={2}>
                      <Space size={6} wrap>
                        <Tag color={r.responsible.reason === 'industry' ? 'orange' : 'purple'}>{t(`routingWhy.responsibleReason.${r.responsible.reason}`)}</Tag>
                        {gridLink(r.responsible.grid)}
                      </Space>
                      <Typography.Text type="secondary">{r.responsible.text}</Typography.Text>
                    </Space>
                  ),
                },
              ]
            : []),
          {
            key: 'department',
            label: t('routingWhy.department'),
            children: (
              <Space orientation="vertical" size={2}>
                <Space size={6} wrap>
                  <Tag>{t(`routingWhy.departmentReason.${r.department.reason}`)}</Tag>
                  {r.department.suggested && <Typography.Text strong>{r.department.suggested.name}</Typography.Text>}
                  {r.department.current && r.department.current.id !== r.department.suggested?.id && (
                    <Typography.Text type="warning">{t('routingWhy.actually', { name: r.department.current.name })}</Typography.Text>
                  )}
                </Space>
                <Typography.Text type="secondary">{r.department.text}</Typography.Text>
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
