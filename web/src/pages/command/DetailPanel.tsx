// The command map's side panel: what was clicked, with links — a case (→ /cases/:id), a cluster (zoom in), a grid
// (its open and overdue cases as lists), a point of interest (its archive fields).
import { Button, Card, Descriptions, Empty, Skeleton, Space, Tag, Typography } from 'antd';
import { CloseOutlined, ZoomInOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { GridCollection } from '../../../../src/shared/api';
import type { GridLoad, PoiCollection } from '../../../../src/shared/map-api';
import { api } from '../../api';
import { CountLink } from '../../components/command/CountLink';
import { StateTag, WarningFlag } from '../../components/StateTag';
import { fmtTime } from '../../format';
import { caseKeys } from '../../queryKeys';

export type Selection =
  | { kind: 'case'; id: number }
  | { kind: 'cluster'; lng: number; lat: number; count: number; red: number; yellow: number; green: number; expansionZoom: number }
  | { kind: 'grid'; id: number }
  | { kind: 'community'; id: number }
  | { kind: 'poi'; id: number };

interface Props {
  selection: Selection;
  onClose: () => void;
  load: GridLoad | undefined;
  grids: GridCollection | undefined;
  poi: PoiCollection['features'][number] | undefined;
  community?: { id: number; name: string; open: number; overdue: number; gridIds: number[] } | undefined;
  onZoom: (lng: number, lat: number, zoom: number) => void;
}

function CaseBody({ id }: { id: number }) {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: caseKeys.detail(id), queryFn: () => api.case(id) });
  if (!q.data) return q.isError ? <Empty /> : <Skeleton active />;
  const c = q.data;
  return (
    <>
      <Space wrap style={{ marginBottom: 8 }}>
        <Typography.Text strong data-testid="panel-case-number">
          {c.number}
        </Typography.Text>
        <StateTag state={c.state} />
        <WarningFlag level={c.warningLevel} />
      </Space>
      <Typography.Paragraph ellipsis={{ rows: 3 }}>{c.description}</Typography.Paragraph>
      <Descriptions size="small" column={1} colon={false} labelStyle={{ width: 72, color: '#86909c' }}>
        <Descriptions.Item label={t('cases.category')}>{c.categoryName}</Descriptions.Item>
        <Descriptions.Item label={t('cases.grid')}>{c.gridName ?? t('cases.unrouted')}</Descriptions.Item>
        {c.address && <Descriptions.Item label={t('cases.address')}>{c.address}</Descriptions.Item>}
        <Descriptions.Item label={t('cases.source')}>{t(`source.${c.source}`)}</Descriptions.Item>
        <Descriptions.Item label={t('cases.reportedAt')}>{fmtTime(c.reportedAt)}</Descriptions.Item>
        {c.departmentName && <Descriptions.Item label={t('cases.department')}>{c.departmentName}</Descriptions.Item>}
        {c.dueAt && <Descriptions.Item label={t('cases.dueAt')}>{fmtTime(c.dueAt)}</Descriptions.Item>}
      </Descriptions>
      <Link to={`/cases/${c.id}`} data-testid="panel-open-case">
        <Button type="primary" block style={{ marginTop: 8 }}>
          {t('cmd.openCase')}
        </Button>
      </Link>
    </>
  );
}

export function DetailPanel({ selection, onClose, load, grids, poi, community, onZoom }: Props) {
  const { t } = useTranslation();
  let title = '';
  let body: React.ReactNode = null;
  switch (selection.kind) {
    case 'case':
      title = t('cmd.caseDetail');
      body = <CaseBody id={selection.id} />;
      break;
    case 'cluster':
      title = t('cmd.cluster', { count: selection.count });
      body = (
        <>
          <Space wrap>
            {selection.red > 0 && <Tag color="red">{t('warning.red')} {selection.red}</Tag>}
            {selection.yellow > 0 && <Tag color="orange">{t('warning.yellow')} {selection.yellow}</Tag>}
            <Tag color="green">
              {t('warning.green')} {selection.green}
            </Tag>
          </Space>
          <Button icon={<ZoomInOutlined />} block style={{ marginTop: 12 }} onClick={() => onZoom(selection.lng, selection.lat, selection.expansionZoom)}>
            {t('cmd.zoomIn')}
          </Button>
        </>
      );
      break;
    case 'grid': {
      const f = grids?.features.find((g) => g.id === selection.id);
      const l = load?.items.find((i) => i.gridId === selection.id);
      title = f?.properties.name ?? t('cmd.gridDetail');
      body = (
        <Descriptions size="small" column={1} colon={false} labelStyle={{ width: 84, color: '#86909c' }} data-testid="panel-grid">
          <Descriptions.Item label={t('cmd.code')}>{f?.properties.code}</Descriptions.Item>
          <Descriptions.Item label={t('cmd.community')}>{f?.properties.communityName}</Descriptions.Item>
          {l && (
            <>
              <Descriptions.Item label={t('cmd.openCases')}>
                <CountLink count={l.open} testId="panel-grid-open" />
              </Descriptions.Item>
              <Descriptions.Item label={t('cmd.overdueCases')}>
                <CountLink count={l.overdue} testId="panel-grid-overdue" />
              </Descriptions.Item>
            </>
          )}
        </Descriptions>
      );
      break;
    }
    case 'community': {
      title = community?.name ?? t('cmd.community');
      const id = String(selection.id);
      body = community ? (
        <Descriptions size="small" column={1} colon={false} labelStyle={{ width: 96, color: '#86909c' }} data-testid="panel-community">
          <Descriptions.Item label={t('cmd.gridCount')}>{community.gridIds.length}</Descriptions.Item>
          <Descriptions.Item label={t('cmd.openCases')}>
            <CountLink count={{ value: community.open, filter: { open: 'true', divisionId: id } }} testId="panel-community-open" />
          </Descriptions.Item>
          <Descriptions.Item label={t('cmd.overdueCases')}>
            <CountLink count={{ value: community.overdue, filter: { warningLevel: 'red', divisionId: id } }} testId="panel-community-overdue" />
          </Descriptions.Item>
        </Descriptions>
      ) : (
        <Empty />
      );
      break;
    }
    case 'poi': {
      const p = poi?.properties;
      title = p?.name ?? t('cmd.poiDetail');
      const extra = p ? Object.entries(p.properties).filter(([, v]) => v != null && v !== '' && typeof v !== 'object') : [];
      body = p ? (
        <>
          <Tag color="blue">{t(`cmd.poiTypes.${p.type}`)}</Tag>
          <Descriptions size="small" column={1} colon={false} labelStyle={{ width: 72, color: '#86909c' }} style={{ marginTop: 8 }} data-testid="panel-poi">
            {p.code && <Descriptions.Item label={t('cmd.code')}>{p.code}</Descriptions.Item>}
            {p.subtype && <Descriptions.Item label={t('cmd.subtype')}>{p.subtype}</Descriptions.Item>}
            {p.industry && <Descriptions.Item label={t('cmd.industry')}>{p.industry}</Descriptions.Item>}
            {p.riskLevel && <Descriptions.Item label={t('cmd.risk')}>{t(`cmd.riskLevel.${p.riskLevel}`)}</Descriptions.Item>}
            {p.address && <Descriptions.Item label={t('cmd.address')}>{p.address}</Descriptions.Item>}
            {p.gridId != null && (
              <Descriptions.Item label={t('cases.grid')}>{grids?.features.find((g) => g.id === p.gridId)?.properties.name ?? p.gridId}</Descriptions.Item>
            )}
            {p.contact && <Descriptions.Item label={t('cmd.contact')}>{p.contact}</Descriptions.Item>}
            {p.phone && <Descriptions.Item label={t('cmd.phone')}>{p.phone}</Descriptions.Item>}
            {p.streamUrl && (
              <Descriptions.Item label={t('cmd.stream')}>
                <Typography.Text copyable ellipsis style={{ maxWidth: 220 }}>
                  {p.streamUrl}
                </Typography.Text>
              </Descriptions.Item>
            )}
            {extra.map(([k, v]) => (
              <Descriptions.Item key={k} label={k}>
                {String(v)}
              </Descriptions.Item>
            ))}
          </Descriptions>
          {p.gridId != null && (
            <Link to={`/cases?gridId=${p.gridId}&open=true`}>
              <Button block style={{ marginTop: 8 }}>
                {t('cmd.openCases')}
              </Button>
            </Link>
          )}
        </>
      ) : (
        <Empty />
      );
      break;
    }
  }
  return (
    <Card
      size="small"
      className="gw-cmd-panel"
      title={title}
      data-testid="cmd-panel"
      data-kind={selection.kind}
      extra={<Button size="small" type="text" icon={<CloseOutlined />} onClick={onClose} aria-label={t('cmd.close')} data-testid="cmd-panel-close" />}
    >
      {body}
    </Card>
  );
}
