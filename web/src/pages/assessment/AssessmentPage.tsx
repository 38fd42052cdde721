// 考核与排名: indicator tables per unit kind and period with each indicator's definition (口径) beside its figure,
// and monthly rankings (红黑榜) — drafted, recomputed, published (frozen), corrected with a reason; both editions kept.
import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Input, Modal, Select, Space, Table, Tabs, Tag, Timeline, Tooltip, Typography } from 'antd';
import { QuestionCircleOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { request } from '../../api';
import { currentLang } from '../../i18n';
import { fmtTime } from '../../format';
import { assessmentKeys } from '../../queryKeys';
import { ExportButton } from '../../components/ExportButton';

type UnitKind = 'grid' | 'community' | 'department' | 'grid_worker';
type Text = { 'zh-CN': string; en: string };
interface IndicatorDef {
  id: string;
  kind: 'count' | 'rate' | 'distance';
  name: Text;
  definition: Text;
  formula: string;
}
interface TableRow {
  unitId: number;
  code: string;
  name: string;
  values: Record<string, number | null>;
}
interface RankingRow extends TableRow {
  score: number | null;
  rank: number | null;
  ranked: boolean;
  board: 'red' | 'black' | null;
}
interface RankingView {
  id: number;
  period: string;
  unitKind: UnitKind;
  state: 'draft' | 'published' | 'corrected' | 'discarded';
  version: number;
  edition: number;
  reason: string | null;
  rows: RankingRow[];
  computedAt: string;
  allowedMoves: string[];
  editions: { id: number; edition: number; state: string; reason: string | null }[];
  timeline: { move: string; to: string; note: string | null; at: string; actor: string | null }[];
}
interface RankingSummary {
  id: number;
  period: string;
  unitKind: UnitKind;
  state: RankingView['state'];
  edition: number;
}

const thisMonth = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);

export function formatValue(def: IndicatorDef, v: number | null | undefined): string {
  if (v == null) return '—';
  return def.kind === 'rate' ? `${(Math.round(v * 1000) / 10).toFixed(1)}%` : String(v);
}

function indicatorColumns(defs: IndicatorDef[]) {
  const lang = currentLang();
  return defs.map((d) => ({
    key: d.id,
    title: (
      <Tooltip title={`${d.definition[lang]}（${d.formula}）`}>
        <span data-testid={`indicator-head-${d.id}`}>
          {d.name[lang]} <QuestionCircleOutlined />
        </span>
      </Tooltip>
    ),
    align: 'right' as const,
    render: (_: unknown, r: TableRow) => formatValue(d, r.values[d.id]),
  }));
}

interface Unavailable {
  id: string;
  name: Text;
  reason: Text;
}

/** The definitions (口径) of the figures shown, then the indicators the issue names that have no source yet, saying why. */
function Definitions({ defs }: { defs: IndicatorDef[] }) {
  const { t } = useTranslation();
  const lang = currentLang();
  const all = useQuery({ queryKey: assessmentKeys.definitions(), queryFn: () => request<{ indicators: (IndicatorDef & { units: string[] })[]; notYetAvailable: Unavailable[] }>('/assessment/definitions') });
  return (
    <Descriptions size="small" column={1} bordered title={t('assessment.definitions')} data-testid="assessment-definitions">
      {defs.map((d) => (
        <Descriptions.Item key={d.id} label={d.name[lang]}>
          {d.definition[lang]} <Typography.Text type="secondary">{t('assessment.formula')}：{d.formula}</Typography.Text>
        </Descriptions.Item>
      ))}
      {(all.data?.notYetAvailable ?? []).map((u) => (
        <Descriptions.Item key={u.id} label={u.name[lang]}>
          <Typography.Text type="secondary" data-testid={`indicator-unavailable-${u.id}`}>
            {t('assessment.notYetAvailable')}：{u.reason[lang]}
          </Typography.Text>
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}

function IndicatorsTab() {
  const { t } = useTranslation();
  const [unit, setUnit] = useState<UnitKind>('community');
  const [period, setPeriod] = useState(thisMonth());
  const table = useQuery({
    queryKey: assessmentKeys.indicators(unit, period),
    queryFn: () => request<{ indicators: IndicatorDef[]; rows: TableRow[] }>('/assessment/indicators', { query: { unit, period } }),
  });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Select<UnitKind> value={unit} onChange={setUnit} style={{ width: 140 }} options={(['grid', 'community', 'department', 'grid_worker'] as const).map((u) => ({ value: u, label: t(`assessment.units.${u}`) }))} />
        <Tooltip title={t('assessment.periodHelp')}>
          <Input value={period} onChange={(e) => setPeriod(e.target.value.trim())} style={{ width: 130 }} data-testid="assessment-period" />
        </Tooltip>
        <ExportButton url={`/api/assessment/indicators/export?unit=${unit}&period=${encodeURIComponent(period)}`} testId="assessment-indicators-export">{t('assessment.export')}</ExportButton>
      </Space>
      <Table<TableRow>
        rowKey="unitId"
        size="small"
        loading={table.isLoading}
        dataSource={table.data?.rows ?? []}
        pagination={false}
        scroll={{ x: true }}
        columns={[{ title: t('assessment.code'), dataIndex: 'code', width: 140 }, { title: t('assessment.name'), dataIndex: 'name' }, ...indicatorColumns(table.data?.indicators ?? [])]}
        data-testid="assessment-indicators"
      />
      {table.data && <Definitions defs={table.data.indicators} />}
    </Space>
  );
}

function RankingDetail({ id, defs }: { id: number; defs: IndicatorDef[] }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [correcting, setCorrecting] = useState(false);
  const [reason, setReason] = useState('');
  const r = useQuery({ queryKey: assessmentKeys.ranking(id), queryFn: () => request<RankingView>(`/assessment/rankings/${id}`) });
  const move = useMutation({
    mutationFn: (m: { move: string; note?: string }) => request<RankingView>(`/assessment/rankings/${id}/moves/${m.move}`, { method: 'POST', body: { version: r.data!.version, note: m.note } }),
    onSuccess: () => void client.invalidateQueries({ queryKey: assessmentKeys.all }),
  });
  if (!r.data) return null;
  const v = r.data;
  const shown = defs.filter((d) => d.kind === 'rate' || d.id === 'accepted' || d.id === 'overdue');
  return (
    <Card
      size="small"
      title={
        <Space>
          {v.period} {t(`assessment.units.${v.unitKind}`)} <Tag color={v.state === 'published' ? 'green' : v.state === 'draft' ? 'blue' : 'default'}>{t(`assessment.state.${v.state}`)}</Tag>
          {t('assessment.edition', { n: v.edition })}
        </Space>
      }
      extra={
        <Space>
          {v.allowedMoves.map((m) => (
            <Button key={m} type={m === 'publish' ? 'primary' : 'default'} loading={move.isPending} onClick={() => (m === 'correct' ? setCorrecting(true) : move.mutate({ move: m }))} data-testid={`ranking-move-${m}`}>
              {t(`assessment.move.${m}`)}
            </Button>
          ))}
          <ExportButton url={`/api/assessment/rankings/${v.id}/export`} testId="ranking-export">{t('assessment.export')}</ExportButton>
        </Space>
      }
      data-testid="ranking-detail"
    >
      {v.state !== 'draft' && <Alert type="info" showIcon message={t('assessment.frozen')} style={{ marginBottom: 8 }} />}
      {v.reason && <Alert type="warning" showIcon message={`${t('assessment.reason')}：${v.reason}`} style={{ marginBottom: 8 }} />}
      <Table<RankingRow>
        rowKey="unitId"
        size="small"
        pagination={false}
        scroll={{ x: true }}
        dataSource={v.rows}
        columns={[
          { title: t('assessment.rank'), key: 'rank', width: 80, render: (_, x) => (x.ranked ? x.rank : <Typography.Text type="secondary">{t('assessment.notRanked')}</Typography.Text>) },
          { title: t('assessment.name'), dataIndex: 'name' },
          { title: t('assessment.score'), dataIndex: 'score', align: 'right', render: (s: number | null) => s ?? '—' },
          { title: t('assessment.board'), key: 'board', render: (_, x) => (x.board ? <Tag color={x.board === 'red' ? 'red' : 'black'}>{t(`assessment.${x.board}`)}</Tag> : null) },
          ...indicatorColumns(shown),
        ]}
      />
      <Space align="start" size="large" style={{ marginTop: 12 }}>
        <div>
          <Typography.Text strong>{t('assessment.editions')}</Typography.Text>
          <ul data-testid="ranking-editions">
            {v.editions.map((e) => (
              <li key={e.id}>
                {t('assessment.edition', { n: e.edition })} · {t(`assessment.state.${e.state}`)}
                {e.reason ? ` · ${e.reason}` : ''}
              </li>
            ))}
          </ul>
        </div>
        <div>
          <Typography.Text strong>{t('assessment.timeline')}</Typography.Text>
          <Timeline
            data-testid="ranking-timeline"
            style={{ marginTop: 8 }}
            items={v.timeline.map((e) => ({ children: `${fmtTime(e.at)} ${e.actor ?? ''} ${t(`assessment.move.${e.move}`, { defaultValue: e.move })}${e.note ? `：${e.note}` : ''}` }))}
          />
        </div>
      </Space>
      <Modal
        open={correcting}
        title={t('assessment.move.correct')}
        onCancel={() => setCorrecting(false)}
        okButtonProps={{ disabled: !reason.trim() }}
        onOk={() => move.mutate({ move: 'correct', note: reason }, { onSuccess: () => setCorrecting(false) })}
      >
        <Input.TextArea value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('assessment.reasonRequired')} rows={3} />
      </Modal>
    </Card>
  );
}

function RankingsTab() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [unit, setUnit] = useState<Exclude<UnitKind, 'grid_worker'>>('community');
  const [period, setPeriod] = useState(thisMonth());
  const [selected, setSelected] = useState<number | null>(null);
  const defs = useQuery({ queryKey: assessmentKeys.definitions(), queryFn: () => request<{ indicators: (IndicatorDef & { units: string[] })[] }>('/assessment/definitions') });
  const list = useQuery({
    queryKey: assessmentKeys.rankings(unit, period),
    queryFn: () => request<RankingSummary[]>('/assessment/rankings', { query: { unit, period } }),
    enabled: /^\d{4}-\d{2}$/.test(period),
  });
  const draft = useMutation({
    mutationFn: () => request<RankingView>('/assessment/rankings', { method: 'POST', body: { period, unit } }),
    onSuccess: (r) => {
      setSelected(r.id);
      void client.invalidateQueries({ queryKey: assessmentKeys.all });
    },
  });
  const items = (list.data ?? []).filter((r) => r.state !== 'discarded');
  const current = selected ?? items.find((r) => r.state === 'published')?.id ?? items[0]?.id ?? null;
  const unitDefs = (defs.data?.indicators ?? []).filter((d) => d.units.includes(unit));
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Select value={unit} onChange={(u) => (setUnit(u), setSelected(null))} style={{ width: 140 }} options={(['grid', 'community', 'department'] as const).map((u) => ({ value: u, label: t(`assessment.units.${u}`) }))} />
        <Input value={period} onChange={(e) => (setPeriod(e.target.value.trim()), setSelected(null))} style={{ width: 110 }} data-testid="ranking-period" />
        <Button type="primary" onClick={() => draft.mutate()} loading={draft.isPending} data-testid="ranking-draft">
          {t('assessment.draft')}
        </Button>
      </Space>
      {items.length > 0 ? (
        <Space wrap>
          {items.map((r) => (
            <Tag.CheckableTag key={r.id} checked={r.id === current} onChange={() => setSelected(r.id)} data-testid="ranking-history-item">
              #{r.id} {t('assessment.edition', { n: r.edition })} · {t(`assessment.state.${r.state}`)}
            </Tag.CheckableTag>
          ))}
        </Space>
      ) : (
        <Typography.Text type="secondary">{t('assessment.none')}</Typography.Text>
      )}
      {current != null && <RankingDetail key={current} id={current} defs={unitDefs} />}
      {unitDefs.length > 0 && <Definitions defs={unitDefs} />}
    </Space>
  );
}

interface ReportView {
  id: number;
  period: string;
  state: 'draft' | 'issued' | 'discarded';
  version: number;
  title: string;
  sections: { remarks: string; nextSteps: string };
  numbers: {
    previous: string;
    lastYear: string;
    overall: { indicator: string; current: number | null; previous: number | null; lastYear: number | null }[];
    topCategories: { name: string; count: number }[];
    overdue: { handledLate: number; openOverdue: number; supervised: number };
    hotSpots?: { id: number; name: string; count: number }[];
    hazards?: { found: number; major: number; rectified: number; handedOver: number; due: number; onTime: number; rate: number | null; open: number; overdue: number };
    ranking: { source: 'published' | 'computed'; rows: { rank: number | null; name: string; score: number | null; board: string | null; ranked: boolean }[] };
  };
  allowedMoves: string[];
}

function ReportDetail({ id }: { id: number }) {
  const { t } = useTranslation();
  const lang = currentLang();
  const client = useQueryClient();
  const r = useQuery({ queryKey: assessmentKeys.report(id), queryFn: () => request<ReportView>(`/reports/${id}`) });
  const defs = useQuery({ queryKey: assessmentKeys.definitions(), queryFn: () => request<{ indicators: (IndicatorDef & { units: string[] })[] }>('/assessment/definitions') });
  const [draft, setDraft] = useState<{ title?: string; remarks?: string; nextSteps?: string }>({});
  const move = useMutation({
    mutationFn: (m: string) => request<ReportView>(`/reports/${id}/moves/${m}`, { method: 'POST', body: { version: r.data!.version, ...(m === 'edit' ? draft : {}) } }),
    onSuccess: () => {
      setDraft({});
      void client.invalidateQueries({ queryKey: assessmentKeys.all });
    },
  });
  if (!r.data) return null;
  const v = r.data;
  const editable = v.allowedMoves.includes('edit');
  const defOf = (id: string) => defs.data?.indicators.find((d) => d.id === id);
  return (
    <Card
      size="small"
      title={
        <Space>
          {v.title} <Tag color={v.state === 'issued' ? 'green' : v.state === 'draft' ? 'blue' : 'default'}>{t(`assessment.reportState.${v.state}`)}</Tag>
        </Space>
      }
      extra={
        <Space>
          {v.allowedMoves.map((m) => (
            <Button key={m} type={m === 'issue' ? 'primary' : 'default'} loading={move.isPending} onClick={() => move.mutate(m)} data-testid={`report-move-${m}`}>
              {t(`assessment.reportMove.${m}`)}
            </Button>
          ))}
          <Button href={`/api/reports/${v.id}/docx`} data-testid="report-docx">
            {t('assessment.downloadDocx')}
          </Button>
        </Space>
      }
      data-testid="report-detail"
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        {editable && <Input value={draft.title ?? v.title} onChange={(e) => setDraft({ ...draft, title: e.target.value })} />}
        <Typography.Title level={5}>{t('assessment.overall')}</Typography.Title>
        <Table
          rowKey="indicator"
          size="small"
          pagination={false}
          dataSource={v.numbers.overall}
          columns={[
            {
              title: t('assessment.indicator'),
              dataIndex: 'indicator',
              render: (id: string) => {
                const d = defOf(id);
                return d ? (
                  <Tooltip title={d.definition[lang]}>
                    {d.name[lang]} <QuestionCircleOutlined />
                  </Tooltip>
                ) : id;
              },
            },
            { title: v.period, key: 'c', align: 'right', render: (_, o) => (defOf(o.indicator) ? formatValue(defOf(o.indicator)!, o.current) : o.current) },
            { title: v.numbers.previous, key: 'p', align: 'right', render: (_, o) => (defOf(o.indicator) ? formatValue(defOf(o.indicator)!, o.previous) : o.previous) },
            { title: v.numbers.lastYear, key: 'l', align: 'right', render: (_, o) => (defOf(o.indicator) ? formatValue(defOf(o.indicator)!, o.lastYear) : o.lastYear) },
          ]}
        />
        <Input.TextArea disabled={!editable} value={draft.remarks ?? v.sections.remarks} onChange={(e) => setDraft({ ...draft, remarks: e.target.value })} placeholder={t('assessment.remarks')} rows={2} />
        <Typography.Title level={5}>{t('assessment.problems')}</Typography.Title>
        <Typography.Paragraph>{v.numbers.topCategories.map((c) => `${c.name} ${c.count}`).join('，') || '—'}</Typography.Paragraph>
        {v.numbers.hotSpots && (
          <Typography.Paragraph type="secondary">
            {t('assessment.hotSpots')}：
            {[...v.numbers.hotSpots].filter((g) => g.count > 0).sort((a, b) => b.count - a.count).slice(0, 5).map((g) => `${g.name} ${g.count}`).join('，') || '—'}
          </Typography.Paragraph>
        )}
        <Typography.Title level={5}>{t('assessment.overdueTitle')}</Typography.Title>
        <Typography.Paragraph>{t('assessment.overdueText', v.numbers.overdue)}</Typography.Paragraph>
        <Typography.Title level={5}>{t('assessment.hazardsTitle')}</Typography.Title>
        <Typography.Paragraph data-testid="report-hazards">
          {v.numbers.hazards
            ? t('assessment.hazardsText', { ...v.numbers.hazards, rate: v.numbers.hazards.rate == null ? '—' : `${(Math.round(v.numbers.hazards.rate * 1000) / 10).toFixed(1)}%` })
            : '—'}
        </Typography.Paragraph>
        <Typography.Title level={5}>{t('assessment.nextSteps')}</Typography.Title>
        <Input.TextArea disabled={!editable} value={draft.nextSteps ?? v.sections.nextSteps} onChange={(e) => setDraft({ ...draft, nextSteps: e.target.value })} rows={5} data-testid="report-next-steps" />
        {editable && (
          <Button onClick={() => move.mutate('edit')} loading={move.isPending} data-testid="report-save">
            {t('assessment.save')}
          </Button>
        )}
      </Space>
    </Card>
  );
}

function ReportsTab() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [period, setPeriod] = useState(thisMonth());
  const [selected, setSelected] = useState<number | null>(null);
  const list = useQuery({
    queryKey: assessmentKeys.reports(period),
    queryFn: () => request<{ id: number; state: string; title: string }[]>('/reports', { query: { period } }),
    enabled: /^\d{4}-\d{2}$/.test(period),
  });
  const draft = useMutation({
    mutationFn: () => request<ReportView>('/reports', { method: 'POST', body: { period } }),
    onSuccess: (r) => {
      setSelected(r.id);
      void client.invalidateQueries({ queryKey: assessmentKeys.all });
    },
  });
  const items = (list.data ?? []).filter((r) => r.state !== 'discarded');
  const current = selected ?? items[0]?.id ?? null;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Input value={period} onChange={(e) => (setPeriod(e.target.value.trim()), setSelected(null))} style={{ width: 110 }} data-testid="report-period" />
        <Button type="primary" onClick={() => draft.mutate()} loading={draft.isPending} data-testid="report-draft">
          {t('assessment.draftReport')}
        </Button>
      </Space>
      <Space wrap>
        {items.map((r) => (
          <Tag.CheckableTag key={r.id} checked={r.id === current} onChange={() => setSelected(r.id)}>
            #{r.id} {t(`assessment.reportState.${r.state}`)}
          </Tag.CheckableTag>
        ))}
      </Space>
      {current != null && <ReportDetail key={current} id={current} />}
    </Space>
  );
}

export function AssessmentPage() {
  const { t } = useTranslation();
  return (
    <Card title={t('assessment.title')}>
      <Tabs
        items={[
          { key: 'rankings', label: t('assessment.rankings'), children: <RankingsTab /> },
          { key: 'indicators', label: t('assessment.indicators'), children: <IndicatorsTab /> },
          { key: 'reports', label: t('assessment.reports'), children: <ReportsTab /> },
        ]}
      />
    </Card>
  );
}
