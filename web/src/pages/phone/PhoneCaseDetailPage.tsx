// A case on the phone: what and where at the top, the next move as a full-width button right under it, the
// photos, then the facts and the history — one column, nothing to scroll sideways.
import { useState } from 'react';
import { Button, Result, Skeleton, Space, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { MoveName } from '../../../../src/shared/vocabulary';
import { api, ApiError } from '../../api';
import { CaseAlerts, CaseFacts } from '../../components/CaseFacts';
import { CaseTimeline } from '../../components/CaseTimeline';
import { MoveDialog } from '../../components/moves/MoveDialog';
import { buttonMoves, orderMoves } from '../../components/moves/moveFields';
import { useCaseLifecycle } from '../../queries';
import { PhotoGallery } from '../../components/PhotoGallery';
import { StateTag, UrgencyTag, WarningFlag } from '../../components/StateTag';
import { DueAt, TimeLeft } from '../../components/TimeLeft';
import './phone.css';
import { caseKeys } from '../../queryKeys';

export function PhoneCaseDetailPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const id = Number(useParams().id);
  const [move, setMove] = useState<MoveName | null>(null);
  const lifecycle = useCaseLifecycle();
  const query = useQuery({
    queryKey: caseKeys.detail(id),
    queryFn: () => api.case(id),
    enabled: Number.isInteger(id) && id > 0,
    retry: (n, err) => !(err instanceof ApiError && err.status < 500) && n < 2,
    meta: { silent: true },
  });
  if (query.error || !Number.isInteger(id)) {
    return <Result status="404" title={t('detail.notFound')} extra={<Link to="/cases">{t('menu.cases')}</Link>} />;
  }
  const c = query.data;
  if (!c) return <Skeleton active />;
  const moves = orderMoves(buttonMoves(lifecycle.data, c.allowedMoves));
  const photos = [...c.photos, ...c.events.flatMap((e) => e.photos)].filter((p, i, all) => all.findIndex((q) => q.hash === p.hash) === i);

  return (
    <div className="gw-phone" data-testid="phone-case">
      <Space size={6} wrap style={{ marginBottom: 4 }}>
        <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)} aria-label={t('common.back')} />
        <Typography.Text strong data-testid="case-number">
          {c.number}
        </Typography.Text>
        <StateTag state={c.state} testId="case-state" />
        <WarningFlag level={c.warningLevel} />
        <UrgencyTag urgency={c.urgency} />
      </Space>
      <Typography.Title level={5} style={{ margin: '4px 0' }}>
        {c.categoryName}
      </Typography.Title>
      <Typography.Paragraph style={{ marginBottom: 4 }} data-testid="case-description">
        {c.description}
      </Typography.Paragraph>
      <Typography.Text type="secondary" style={{ fontSize: 13 }}>
        {c.gridName ? `${c.gridName} · ${c.communityName ?? ''}` : t('cases.unrouted')}
        {c.address ? ` · ${c.address}` : ''}
      </Typography.Text>
      {c.dueAt && (
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginTop: 8 }}>
          <DueAt c={c} />
          <TimeLeft c={c} />
        </div>
      )}

      <div className="gw-phone-block" data-testid="phone-next-move">
        <h5>{t('fd.nextMove')}</h5>
        {moves.length ? (
          <div className="gw-phone-moves" data-testid="case-actions">
            {moves.map(({ move: m, kind }) => (
              <Button key={m} block type={kind === 'primary' ? 'primary' : 'default'} danger={kind === 'danger'} data-testid={`move-${m}`} onClick={() => setMove(m)}>
                {t(`move.${m}`)}
              </Button>
            ))}
          </div>
        ) : (
          <Typography.Text type="secondary">{t('fd.noMove')}</Typography.Text>
        )}
        <div style={{ marginTop: 8 }}>
          <CaseAlerts c={c} />
        </div>
      </div>

      <div className="gw-phone-block">
        <h5>{t('fd.photos')}</h5>
        <PhotoGallery photos={photos} size={100} emptyText={t('fd.noPhotos')} testId="case-photos" />
      </div>
      <div className="gw-phone-block">
        <h5>{t('fd.facts')}</h5>
        <CaseFacts c={c} />
      </div>
      <div className="gw-phone-block">
        <h5>{t('fd.timeline')}</h5>
        <CaseTimeline events={c.events} />
      </div>
      <MoveDialog c={c} move={move} onClose={() => setMove(null)} />
    </div>
  );
}
