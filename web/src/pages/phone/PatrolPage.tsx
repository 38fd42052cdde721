// 巡查: start and end a patrol, the track followed by watchPosition (kept on the phone until sent), check-ins
// (打卡) in the grid the worker stands in, and the last patrols.
import { lazy, Suspense, useState } from 'react';
import { Alert, Button, List, Popconfirm, Skeleton, Statistic, Typography } from 'antd';
import { EnvironmentOutlined, FlagOutlined, PlayCircleOutlined, StopOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import { gridAt } from '../../map/geo';
import { showError, showSuccess } from '../../notify';
import { checkInPatrol, patrolApi, startPatrol, stopPatrol } from '../../offline/patrol';
import { useOnline } from '../../offline/OutboxSync';
import { useGrids } from '../../queries';
import { useMe } from '../../session';
import { formatDuration, usePatrolState } from './patrolStore';
import { useCurrentPosition } from './useGeolocation';
import './phone.css';
import { patrolKeys } from '../../queryKeys';

const PatrolMap = lazy(() => import('./PatrolMap'));

export function PatrolPage() {
  const { t } = useTranslation();
  const me = useMe();
  const client = useQueryClient();
  const online = useOnline();
  const grids = useGrids();
  const { state, duration } = usePatrolState();
  const gps = useCurrentPosition(true);
  const [busy, setBusy] = useState<'start' | 'stop' | 'checkin' | null>(null);
  const history = useQuery({
    queryKey: patrolKeys.of(me.id),
    queryFn: () => patrolApi.list({ userId: me.id }),
    retry: false,
    meta: { silent: true },
  });

  const here = state?.last ?? (gps.fix ? { lng: gps.fix.lng, lat: gps.fix.lat, accuracy: gps.fix.accuracy, at: gps.fix.at } : null);
  const grid = here ? gridAt(grids.data, here.lng, here.lat) : null;
  const apiMissing = history.error instanceof ApiError && history.error.status === 404;
  const fail = (err: unknown) => showError(err instanceof Error ? err.message : String(err));

  const start = async () => {
    setBusy('start');
    try {
      await startPatrol(me.id, gps.fix ? { lng: gps.fix.lng, lat: gps.fix.lat, accuracy: gps.fix.accuracy, at: gps.fix.at } : null);
    } catch (err) {
      fail(err);
    } finally {
      setBusy(null);
    }
  };
  const stop = async () => {
    setBusy('stop');
    try {
      await stopPatrol();
      void client.invalidateQueries({ queryKey: patrolKeys.all });
    } catch (err) {
      fail(err);
    } finally {
      setBusy(null);
    }
  };
  const checkIn = () => {
    setBusy('checkin');
    const send = (fix: { lng: number; lat: number; accuracy: number; at: string }) =>
      checkInPatrol(fix)
        .then((c) => c && showSuccess(t('patrol.checkedIn', { grid: c.gridName })))
        .catch(fail)
        .finally(() => setBusy(null));
    // the patrol's own fix when it is fresh; otherwise ask for one
    const last = state?.last;
    if (last && last.accuracy != null && Date.now() - Date.parse(last.at) < 30_000) {
      void send({ lng: last.lng, lat: last.lat, accuracy: last.accuracy, at: new Date().toISOString() });
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        void send({ lng: pos.coords.longitude, lat: pos.coords.latitude, accuracy: Math.round(pos.coords.accuracy), at: new Date().toISOString() });
      },
      (err) => {
        setBusy(null);
        showError(`${t('map.locateFailed')} (${err.message})`);
      },
      { enableHighAccuracy: true, timeout: 20_000, maximumAge: 15_000 },
    );
  };

  const waitingPoints = state ? state.pending.length + state.batches.reduce((n, b) => n + b.points.length, 0) : 0;

  return (
    <div className="gw-phone" data-testid="patrol" data-active={state ? 'true' : 'false'}>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('patrol.title')}
      </Typography.Title>
      {!('geolocation' in navigator) && <Alert type="error" title={t('patrol.noGeolocation')} />}
      {(apiMissing || state?.local) && <Alert type="info" showIcon title={t('patrol.unavailable')} style={{ marginBottom: 12 }} />}
      {!online && <Alert type="warning" showIcon title={t('phone.offline')} style={{ marginBottom: 12 }} />}

      {state ? (
        <div className="gw-phone-patrol-stats">
          <Statistic title={t('patrol.durationLabel')} value={duration} data-testid="patrol-duration" />
          <Statistic title={t('patrol.distanceLabel')} value={(state.distanceM / 1000).toFixed(2)} suffix="km" />
          <Statistic title={t('patrol.pointsLabel')} value={state.pointCount} data-testid="patrol-points" />
        </div>
      ) : null}

      {state && (
        <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8, fontSize: 12 }}>
          {t('patrol.started', { time: dayjs(state.startedAt).format('HH:mm') })}
        </Typography.Text>
      )}
      <Typography.Paragraph type={grid ? undefined : 'secondary'} style={{ margin: '8px 0' }} data-testid="patrol-grid">
        <EnvironmentOutlined />{' '}
        {here ? (grid ? t('patrol.currentGrid', { grid: grid.properties.name }) : t('patrol.outside')) : t('patrol.locateFirst')}
        {here?.accuracy != null && <Typography.Text type="secondary"> · ±{here.accuracy} m</Typography.Text>}
      </Typography.Paragraph>

      <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height: 260 }} />}>
        <PatrolMap grids={grids.data} track={state?.track ?? []} here={here} checkins={state?.checkins ?? []} currentGridId={grid?.properties.id ?? null} />
      </Suspense>

      <div className="gw-phone-patrol-buttons">
        {!state ? (
          <Button type="primary" size="large" block icon={<PlayCircleOutlined />} loading={busy === 'start'} onClick={() => void start()} data-testid="patrol-start">
            {t('patrol.start')}
          </Button>
        ) : (
          <>
            <Button
              type="primary"
              size="large"
              block
              icon={<FlagOutlined />}
              loading={busy === 'checkin'}
              disabled={!online || state.local}
              onClick={checkIn}
              data-testid="patrol-checkin"
            >
              {t('patrol.checkIn')}
            </Button>
            <Popconfirm title={t('patrol.stopConfirm')} onConfirm={() => void stop()} okButtonProps={{ 'data-testid': 'patrol-stop-ok' }}>
              <Button danger size="large" block icon={<StopOutlined />} loading={busy === 'stop'} data-testid="patrol-stop">
                {t('patrol.stop')}
              </Button>
            </Popconfirm>
          </>
        )}
      </div>
      {state && waitingPoints > 0 && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('patrol.pendingPoints', { count: waitingPoints })}
        </Typography.Text>
      )}

      {state && (
        <div className="gw-phone-section">
          <Typography.Text strong>{t('patrol.checkins')}</Typography.Text>
          <List
            size="small"
            data-testid="patrol-checkins"
            locale={{ emptyText: t('patrol.noCheckins') }}
            dataSource={state.checkins}
            renderItem={(c) => (
              <List.Item>
                <span>{c.gridName}</span>
                <Typography.Text type="secondary">{dayjs(c.at).format('HH:mm')}</Typography.Text>
              </List.Item>
            )}
          />
        </div>
      )}

      {history.data && history.data.items.length > 0 && (
        <div className="gw-phone-section">
          <Typography.Text strong>{t('patrol.history')}</Typography.Text>
          <List
            size="small"
            dataSource={history.data.items}
            renderItem={(p) => (
              <List.Item>
                <span>{dayjs(p.startedAt).format('MM-DD HH:mm')}</span>
                <Typography.Text type="secondary">
                  {(p.distanceM / 1000).toFixed(2)} km · {p.endedAt ? formatDuration(Date.parse(p.endedAt) - Date.parse(p.startedAt)) : '…'} · {t('patrol.checkins')} {p.checkinCount}
                </Typography.Text>
              </List.Item>
            )}
          />
        </div>
      )}
    </div>
  );
}
