// 指挥大屏: the dashboard for the command-centre wall — dark, large type, the grid map in the middle, refreshed
// every 60 s. Numbers still open their case lists (in a new tab, so the wall keeps showing).
import { lazy, Suspense, useEffect, useState } from 'react';
import { Button, Skeleton } from 'antd';
import { ExpandOutlined, FullscreenExitOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { StatsSummary } from '../../../../src/shared/stats-api';
import { commandApi } from '../../components/command/commandApi';
import { CountLink, percent } from '../../components/command/CountLink';
import { breakdownOption, FLOW, pieOption, RATES, trendOption, useStats, useStatsParams } from '../../components/command/statsViews';
import { useGrids } from '../../queries';
import { useMe } from '../../session';
import './screen.css';
import { mapKeys } from '../../queryKeys';

const Chart = lazy(() => import('../../components/command/Chart'));
const LoadMap = lazy(() => import('../../components/command/LoadMap'));

const REFRESH = 60_000;

function Panel({ title, children, className }: { title: string; children: React.ReactNode; className?: string }) {
  return (
    <section className={`gw-screen-panel ${className ?? ''}`}>
      <h3>{title}</h3>
      <div className="gw-screen-panel-body">{children}</div>
    </section>
  );
}

function Clock() {
  const [now, setNow] = useState(() => dayjs());
  useEffect(() => {
    const id = setInterval(() => setNow(dayjs()), 1000);
    return () => clearInterval(id);
  }, []);
  return <span className="gw-screen-clock">{now.format('YYYY-MM-DD HH:mm:ss')}</span>;
}

function Ranking({ rows, testId }: { rows: StatsSummary['ranking']['grids']; testId: string }) {
  const { t } = useTranslation();
  const scored = rows.filter((r) => r.score != null);
  const top = scored.slice(0, 5);
  const bottom = scored.length > 10 ? scored.slice(-5).reverse() : [];
  const row = (r: (typeof rows)[number], bad: boolean) => (
    <tr key={r.id} className={bad ? 'bad' : 'good'}>
      <td className="rank">{r.rank}</td>
      <td className="name">{r.name}</td>
      <td className="num">{r.score?.toFixed(1)}</td>
      <td className="num">{percent(r.rates.onTime.value)}</td>
    </tr>
  );
  return (
    <table className="gw-screen-rank" data-testid={testId}>
      <thead>
        <tr>
          <th>{t('metric.rank')}</th>
          <th>{t('dash.name')}</th>
          <th className="num">{t('metric.score')}</th>
          <th className="num">{t('metric.onTime')}</th>
        </tr>
      </thead>
      <tbody>
        {top.map((r) => row(r, false))}
        {bottom.length > 0 && (
          <tr className="sep">
            <td colSpan={4}>⋯</td>
          </tr>
        )}
        {bottom.map((r) => row(r, true))}
      </tbody>
    </table>
  );
}

export function BigScreenPage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const [params] = useStatsParams({ bucket: 'day' });
  // days for a month or so, weeks beyond: the wall shows a readable line
  const days = (Date.parse(params.to) - Date.parse(params.from)) / 86_400_000 + 1;
  const q = { ...params, bucket: days > 45 ? ('week' as const) : ('day' as const) };
  const byCategory = useStats({ ...q, groupBy: 'category' }, REFRESH);
  const bySource = useStats({ ...q, groupBy: 'source' }, REFRESH);
  const load = useQuery({ queryKey: mapKeys.gridsLoad(), queryFn: commandApi.gridsLoad, refetchInterval: REFRESH });
  const grids = useGrids();
  const s = byCategory.data;

  useEffect(() => {
    document.body.classList.add('gw-screen-body');
    return () => document.body.classList.remove('gw-screen-body');
  }, []);

  return (
    <div className="gw-screen" data-testid="big-screen" data-loaded={s ? 'true' : 'false'}>
      <header className="gw-screen-head">
        <div className="gw-screen-scope">
          {me.scopeName} · {q.from} ~ {q.to}
        </div>
        <h1>{t('screen.title')}</h1>
        <div className="gw-screen-right">
          <Clock />
          <span className="gw-screen-refresh">{t('screen.refresh')}</span>
          {document.fullscreenEnabled && (
            <Button
              ghost
              size="small"
              icon={<ExpandOutlined />}
              onClick={() => (document.fullscreenElement ? void document.exitFullscreen() : void document.documentElement.requestFullscreen())}
              aria-label={t('screen.fullscreen')}
            />
          )}
          <Button ghost size="small" icon={<FullscreenExitOutlined />} onClick={() => navigate(`/dashboard?from=${q.from}&to=${q.to}`)} data-testid="screen-exit">
            {t('screen.exit')}
          </Button>
        </div>
      </header>
      {!s ? (
        <Skeleton active paragraph={{ rows: 12 }} />
      ) : (
        <div className="gw-screen-grid">
          <div className="gw-screen-col">
            <Panel title={t('screen.flow')}>
              <div className="gw-screen-kpis">
                {FLOW.map((m) => (
                  <div key={m} className="gw-screen-kpi">
                    <CountLink count={s.totals[m]} testId={`screen-${m}`} className="v" />
                    <span className="l">{t(`metric.${m}`)}</span>
                  </div>
                ))}
                <div className="gw-screen-kpi warn">
                  <CountLink count={s.totals.open} testId="screen-open" className="v" />
                  <span className="l">{t('metric.open')}</span>
                </div>
                <div className="gw-screen-kpi red">
                  <CountLink count={s.totals.overdue} testId="screen-overdue" className="v" />
                  <span className="l">{t('metric.overdue')}</span>
                </div>
              </div>
            </Panel>
            <Panel title={t('screen.rates')}>
              <div className="gw-screen-rates">
                {RATES.map((m) => (
                  <div key={m} className="gw-screen-rate">
                    <span className="v">{percent(s.rates[m].value)}</span>
                    <span className="l">{t(`metric.${m}`)}</span>
                  </div>
                ))}
              </div>
            </Panel>
            <Panel title={t('screen.byCategory')} className="grow">
              <Suspense fallback={null}>
                <Chart option={pieOption(s, t, true)} height="100%" theme="dark" />
              </Suspense>
            </Panel>
          </div>
          <div className="gw-screen-col wide">
            <Panel title={t('screen.gridLoad')} className="grow map">
              <Suspense fallback={null}>
                <LoadMap grids={grids.data} load={load.data} />
              </Suspense>
            </Panel>
            <Panel title={t('screen.trend')} className="trend">
              <Suspense fallback={null}>
                <Chart option={trendOption(s, t, true)} height="100%" theme="dark" />
              </Suspense>
            </Panel>
          </div>
          <div className="gw-screen-col">
            <Panel title={t('screen.gridRank')}>
              <Ranking rows={s.ranking.grids} testId="screen-grid-rank" />
            </Panel>
            <Panel title={t('screen.deptRank')}>
              <Ranking rows={s.ranking.departments} testId="screen-dept-rank" />
            </Panel>
            <Panel title={t('screen.bySource')} className="grow">
              <Suspense fallback={null}>
                {bySource.data && <Chart option={breakdownOption(bySource.data, t, true, 8)} height="100%" theme="dark" />}
              </Suspense>
            </Panel>
          </div>
        </div>
      )}
    </div>
  );
}
