// 统计分析: the user's scope over a chosen period — flow counts, rates, trend, breakdown and the ranking (考核).
// Every number links to the case list with the filter the server gave for it, so the list's total equals it.
import { lazy, Suspense } from 'react';
import { Button, Card, Col, Empty, Row, Segmented, Skeleton, Space, Table, Tabs, Tooltip, Typography } from 'antd';
import { FullscreenOutlined, QuestionCircleOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import type { BreakdownItem, Count, Rate, StatsSummary } from '../../../../src/shared/stats-api';
import { casesHref } from '../../components/command/commandApi';
import { CountLink, percent } from '../../components/command/CountLink';
import { PeriodPicker } from '../../components/command/PeriodPicker';
import {
  BREAKDOWN_SERIES,
  breakdownOption,
  BUCKETS,
  FLOW,
  groupName,
  GROUPS,
  NOW,
  RATES,
  TREND_SERIES,
  trendOption,
  useStats,
  useStatsParams,
} from '../../components/command/statsViews';
import { useMe } from '../../session';
import './dashboard.css';

const Chart = lazy(() => import('../../components/command/Chart'));

type RankingItem = StatsSummary['ranking']['grids'][number];

function Kpi({ name, count, tone }: { name: string; count: Count; tone?: 'danger' | 'warning' }) {
  const { t } = useTranslation();
  return (
    <div className={`gw-kpi ${tone ? `gw-kpi-${tone}` : ''}`}>
      <div className="gw-kpi-label">{t(`metric.${name}`)}</div>
      <CountLink count={count} testId={`kpi-${name}`} className="gw-kpi-value" />
    </div>
  );
}

function RateTile({ name, rate }: { name: string; rate: Rate }) {
  const { t } = useTranslation();
  return (
    <div className="gw-kpi">
      <div className="gw-kpi-label">{t(`metric.${name}`)}</div>
      <div className="gw-kpi-value" data-testid={`rate-${name}`}>{percent(rate.value)}</div>
      <div className="gw-kpi-sub">
        <CountLink count={rate.numerator} testId={`rate-${name}-num`} /> / <CountLink count={rate.denominator} testId={`rate-${name}-den`} />
      </div>
    </div>
  );
}

function ChartBox({ height, children }: { height: number; children: React.ReactNode }) {
  return <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height }} />}>{children}</Suspense>;
}

export function DashboardPage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const [q, setQ] = useStatsParams();
  const stats = useStats(q);
  const s = stats.data;
  const open = (c: Count | undefined) => {
    const href = casesHref(c?.filter);
    if (href) navigate(href);
  };

  const breakdownColumns = [
    { title: t('dash.name'), dataIndex: 'name', key: 'name', render: (_: string, r: BreakdownItem) => groupName(r, q.groupBy, t) },
    ...[...FLOW, ...NOW].map((m) => ({
      title: t(`metric.${m}`),
      key: m,
      align: 'right' as const,
      render: (_: unknown, r: BreakdownItem) => <CountLink count={r.counts[m]} testId={`breakdown-${m}`} />,
    })),
    ...RATES.map((m) => ({
      title: t(`metric.${m}`),
      key: m,
      align: 'right' as const,
      render: (_: unknown, r: BreakdownItem) => percent(r.rates[m].value),
    })),
  ];

  const rankingColumns = [
    { title: t('metric.rank'), dataIndex: 'rank', key: 'rank', width: 64, render: (r: number | null) => r ?? '—' },
    { title: t('dash.name'), dataIndex: 'name', key: 'name' },
    { title: t('metric.score'), dataIndex: 'score', key: 'score', align: 'right' as const, render: (v: number | null) => (v == null ? '—' : v.toFixed(1)) },
    ...(['reported', 'handled', 'closed'] as const).map((m) => ({
      title: t(`metric.${m}`),
      key: m,
      align: 'right' as const,
      render: (_: unknown, r: RankingItem) => <CountLink count={r.counts[m]} testId={`ranking-${m}`} />,
    })),
    ...RATES.map((m) => ({
      title: t(`metric.${m}`),
      key: m,
      align: 'right' as const,
      render: (_: unknown, r: RankingItem) => (
        <Tooltip title={`${r.rates[m].numerator.value} / ${r.rates[m].denominator.value}`}>
          <span>{percent(r.rates[m].value)}</span>
        </Tooltip>
      ),
    })),
  ];

  return (
    <div className="gw-dash" data-testid="dashboard" data-loaded={s ? 'true' : 'false'}>
      <Card size="small" className="gw-dash-head">
        <Space wrap size={12} style={{ width: '100%', justifyContent: 'space-between' }}>
          <Space wrap size={12}>
            <Typography.Title level={4} style={{ margin: 0 }}>
              {t('dash.title')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('dash.scope', { scope: me.scopeName })}</Typography.Text>
          </Space>
          <Space wrap size={12}>
            <PeriodPicker value={q} onChange={(p) => setQ(p)} />
            <Link to={`/dashboard/screen?from=${q.from}&to=${q.to}`} data-testid="dashboard-screen">
              <Button icon={<FullscreenOutlined />}>{t('dash.bigScreen')}</Button>
            </Link>
          </Space>
        </Space>
        {s && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('dash.asOf', { time: dayjs(s.asOf).format('YYYY-MM-DD HH:mm') })} · <QuestionCircleOutlined /> {t('dash.clickHint')}
          </Typography.Text>
        )}
      </Card>

      {!s ? (
        <Skeleton active paragraph={{ rows: 10 }} />
      ) : (
        <>
          <Row gutter={[12, 12]}>
            <Col xs={24} xl={14}>
              <Card size="small" title={`${t('dash.flow')} · ${t('dash.inPeriod')}`}>
                <div className="gw-kpis">
                  {FLOW.map((m) => (
                    <Kpi key={m} name={m} count={s.totals[m]} />
                  ))}
                </div>
              </Card>
            </Col>
            <Col xs={24} xl={10}>
              <Card size="small" title={t('dash.now')}>
                <div className="gw-kpis">
                  <Kpi name="open" count={s.totals.open} tone="warning" />
                  <Kpi name="overdue" count={s.totals.overdue} tone="danger" />
                </div>
              </Card>
            </Col>
            <Col xs={24}>
              <Card size="small">
                <div className="gw-kpis">
                  {RATES.map((m) => (
                    <RateTile key={m} name={m} rate={s.rates[m]} />
                  ))}
                </div>
              </Card>
            </Col>
            <Col xs={24} xl={12}>
              <Card
                size="small"
                title={t('dash.trend')}
                extra={
                  <Segmented
                    size="small"
                    value={q.bucket}
                    onChange={(b) => setQ({ bucket: b })}
                    options={BUCKETS.map((b) => ({ value: b, label: t(`dash.bucket.${b}`) }))}
                  />
                }
              >
                <ChartBox height={300}>
                  <Chart
                    testId="trend-chart"
                    option={trendOption(s, t)}
                    onClick={(e) => open(s.trend.items[e.dataIndex]?.counts[TREND_SERIES[e.seriesIndex ?? 0]!])}
                  />
                </ChartBox>
              </Card>
            </Col>
            <Col xs={24} xl={12}>
              <Card
                size="small"
                title={t('dash.breakdown')}
                extra={
                  <Segmented
                    size="small"
                    value={q.groupBy}
                    onChange={(g) => setQ({ groupBy: g })}
                    options={GROUPS.map((g) => ({ value: g, label: t(`dash.groupBy.${g}`) }))}
                    data-testid="breakdown-group"
                  />
                }
              >
                {s.breakdown.items.length ? (
                  <ChartBox height={300}>
                    <Chart
                      testId="breakdown-chart"
                      option={breakdownOption(s, t)}
                      onClick={(e) => open(s.breakdown.items[e.dataIndex]?.counts[BREAKDOWN_SERIES[e.seriesIndex ?? 0]!])}
                    />
                  </ChartBox>
                ) : (
                  <Empty description={t('dash.empty')} />
                )}
              </Card>
            </Col>
            <Col xs={24}>
              <Card size="small" title={`${t('dash.breakdown')} · ${t(`dash.groupBy.${q.groupBy}`)}`}>
                <Table<BreakdownItem>
                  size="small"
                  rowKey="key"
                  dataSource={s.breakdown.items}
                  columns={breakdownColumns}
                  pagination={false}
                  scroll={{ x: 'max-content', y: 360 }}
                  data-testid="breakdown-table"
                />
              </Card>
            </Col>
            <Col xs={24}>
              <Card size="small" title={t('dash.ranking')}>
                <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                  {t('dash.weights', {
                    onTime: Math.round(s.ranking.weights.onTime * 100),
                    closure: Math.round(s.ranking.weights.closure * 100),
                    satisfaction: Math.round(s.ranking.weights.satisfaction * 100),
                    rework: Math.round(s.ranking.weights.rework * 100),
                  })}
                </Typography.Paragraph>
                <Tabs
                  items={[
                    { key: 'grids', label: t('dash.rankGrids'), rows: s.ranking.grids },
                    { key: 'departments', label: t('dash.rankDepartments'), rows: s.ranking.departments },
                  ].map(({ key, label, rows }) => ({
                    key,
                    label,
                    children: (
                      <Table<RankingItem>
                        size="small"
                        rowKey="id"
                        dataSource={rows}
                        columns={rankingColumns}
                        pagination={{ pageSize: 10, hideOnSinglePage: true }}
                        scroll={{ x: 'max-content' }}
                        data-testid={`ranking-${key}`}
                        rowClassName={(r) => (r.rank != null && r.rank <= 3 ? 'gw-rank-top' : '')}
                      />
                    ),
                  }))}
                />
              </Card>
            </Col>
          </Row>
        </>
      )}
    </div>
  );
}
