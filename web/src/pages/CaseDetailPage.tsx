// 案件详情: summary, photos, position, every move on a timeline, and exactly the moves this user may make now.
import { lazy, Suspense, useState } from 'react';
import { Button, Card, Col, Result, Row, Skeleton, Space, Typography } from 'antd';
import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { CaseDetail } from '../../../src/shared/api';
import type { MoveName } from '../../../src/shared/vocabulary';
import { api, ApiError } from '../api';
import { CaseTimeline } from '../components/CaseTimeline';
import { MoveDialog } from '../components/moves/MoveDialog';
import { buttonMoves, orderMoves } from '../components/moves/moveFields';
import { CaseAlerts, CaseFacts } from '../components/CaseFacts';
import { PhotoGallery } from '../components/PhotoGallery';
import { RoutingWhy } from '../components/grids/RoutingWhy';
import { StateTag, UrgencyTag, WarningFlag } from '../components/StateTag';
import { useCaseLifecycle, useGrids } from '../queries';
import { caseKeys } from '../queryKeys';

const GridMap = lazy(() => import('../map/GridMap'));

/** On a desktop (a phone gets its own page: see the page table). */
export function CaseDetailPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const id = Number(useParams().id);
  const [move, setMove] = useState<MoveName | null>(null);
  const grids = useGrids();
  const query = useQuery({
    queryKey: caseKeys.detail(id),
    queryFn: () => api.case(id),
    enabled: Number.isInteger(id) && id > 0,
    retry: (n, err) => !(err instanceof ApiError && err.status < 500) && n < 2,
    meta: { silent: true },
  });

  if (query.error || !Number.isInteger(id)) {
    const notFound = !(query.error instanceof ApiError) || query.error.status === 404 || query.error.status === 403;
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? t('detail.notFound') : (query.error as Error).message}
        extra={<Link to="/cases">{t('menu.cases')}</Link>}
      />
    );
  }
  const c = query.data;
  if (!c) return <Skeleton active />;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={
          <Space wrap size={8}>
            <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)} aria-label={t('common.back')} />
            <Typography.Text strong data-testid="case-number" style={{ fontSize: 16 }}>
              {c.number}
            </Typography.Text>
            <StateTag state={c.state} testId="case-state" />
            <WarningFlag level={c.warningLevel} />
            <UrgencyTag urgency={c.urgency} />
          </Space>
        }
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void query.refetch()} loading={query.isFetching} data-testid="case-reload">
            <span className="gw-hide-xs">{t('common.reload')}</span>
          </Button>
        }
      >
        <MoveButtons c={c} onMove={setMove} />
        <CaseAlerts c={c} />
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card title={t('detail.summary')}>
              <CaseFacts c={c} />
            </Card>
            <Card title={t('detail.photos')}>
              <PhotoGallery photos={c.photos} emptyText={t('detail.noPhotos')} testId="case-photos" />
            </Card>
            <Card title={t('detail.map')}>
              <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height: 260 }} />}>
                <GridMap grids={grids.data} value={{ lng: c.lng, lat: c.lat }} highlightGridId={c.gridId} focus height={260} />
              </Suspense>
            </Card>
            <RoutingWhy caseId={c.id} />
          </Space>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={t('detail.timeline')}>
            <CaseTimeline events={c.events} />
          </Card>
        </Col>
      </Row>
      <MoveDialog c={c} move={move} onClose={() => setMove(null)} />
    </Space>
  );
}

function MoveButtons({ c, onMove }: { c: CaseDetail; onMove: (m: MoveName) => void }) {
  const { t } = useTranslation();
  const lifecycle = useCaseLifecycle();
  const moves = orderMoves(buttonMoves(lifecycle.data, c.allowedMoves));
  if (!moves.length) return <Typography.Text type="secondary">{t('detail.noActions')}</Typography.Text>;
  return (
    <Space wrap data-testid="case-actions">
      <Typography.Text type="secondary">
        {t('detail.actions')}
        {t('common.colon')}
      </Typography.Text>
      {moves.map(({ move, kind }) => (
        <Button
          key={move}
          type={kind === 'primary' ? 'primary' : 'default'}
          danger={kind === 'danger'}
          data-testid={`move-${move}`}
          onClick={() => onMove(move)}
        >
          {t(`move.${move}`)}
        </Button>
      ))}
    </Space>
  );
}
