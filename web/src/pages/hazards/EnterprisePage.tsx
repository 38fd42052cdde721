// One enterprise (企业档案): its archive, and its inspections, hazards, notices and cases on one timeline, newest
// first (GET /api/enterprises/:id/timeline, each source in the reader's scope). Opened from the registry list and
// from the enterprise layer of 一张图. Administrators and operators edit the archive here (EnterpriseEditForm.tsx).
import { Card, Descriptions, Empty, Space, Tag, Timeline, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import type { Enterprise } from '../../../../src/shared/hazards-api';
import type { EnterpriseTimeline, TimelineEntry } from '../../../../src/shared/enterprises-api';
import { request } from '../../api';
import { enterpriseKeys } from '../../queryKeys';
import { fmtTime } from '../../format';
import { useSession } from '../../session';
import { EnterpriseEditButton } from './EnterpriseEditForm';

const RISK_COLORS: Record<string, string> = { low: 'green', medium: 'orange', high: 'red' };
const KIND_COLORS: Record<TimelineEntry['kind'], string> = { archive: 'gray', inspection: 'blue', hazard: 'orange', notice: 'red', case: 'purple' };

function linkOf(e: TimelineEntry): string | null {
  if (!e.link) return null;
  if (e.link.type === 'case') return `/cases/${e.link.id}`;
  if (e.link.type === 'hazard') return `/hazards?open=${e.link.id}`;
  return null;
}

export function EnterprisePage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const e = useQuery({ queryKey: enterpriseKeys.detail(id), queryFn: () => request<Enterprise>(`/enterprises/${id}`), enabled: Number.isInteger(id) });
  const tl = useQuery({ queryKey: enterpriseKeys.timeline(id), queryFn: () => request<EnterpriseTimeline>(`/enterprises/${id}/timeline`), enabled: Number.isInteger(id) });
  const what = (x: TimelineEntry) => {
    if (x.what.startsWith('hazard.')) return t(`hz.move.${x.what.slice(7)}`);
    if (x.what.startsWith('case.')) return `${t('ent.kind.case')} · ${t(`state.${x.what.slice(5)}`)}`;
    return t(`ent.what.${x.what}`, { defaultValue: x.what });
  };
  const ent = e.data;
  const { user } = useSession();
  const canEdit = user?.role === 'admin' || user?.role === 'operator';
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card title={<span data-testid="enterprise-name">{ent?.name ?? t('ent.archive')}</span>} loading={e.isLoading} extra={ent && canEdit && <EnterpriseEditButton ent={ent} />}>
        {ent && (
          <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} data-testid="enterprise-archive">
            <Descriptions.Item label={t('hz.creditCode')}>{ent.creditCode ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('ent.industry')}>{[ent.industryCode, ent.industryName].filter(Boolean).join(' ') || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('hz.riskLevel')}><Tag color={RISK_COLORS[ent.riskLevel]}>{t(`hz.risk.${ent.riskLevel}`)}</Tag></Descriptions.Item>
            <Descriptions.Item label={t('ent.status')}>{t(`ent.statusName.${ent.status}`)}</Descriptions.Item>
            <Descriptions.Item label={t('ent.aGrid')}>{ent.gridName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('ent.cGrid')}>{ent.keyUnit ? <><Tag color="geekblue">{t('ent.keyUnit')}</Tag>{ent.cGridName ?? '—'}</> : '—'}</Descriptions.Item>
            <Descriptions.Item label={t('ent.address')}>{ent.address ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('ent.contact')}>{[ent.contact, ent.phone].filter(Boolean).join(' ') || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('ent.openHazards')}><span data-testid="enterprise-open-hazards">{ent.openHazards}</span></Descriptions.Item>
            {ent.watch && <Descriptions.Item label={t('ent.watch')}><Tag color="volcano">{ent.watchReason ?? t('ent.watch')}</Tag>{ent.watchReviewOn ?? ''}</Descriptions.Item>}
          </Descriptions>
        )}
      </Card>
      <Card title={t('ent.timeline')} loading={tl.isLoading}>
        {tl.data && tl.data.items.length === 0 && <Empty description={t('ent.noEvents')} />}
        {tl.data && tl.data.items.length > 0 && (
          <Timeline
            data-testid="enterprise-timeline"
            items={tl.data.items.map((x, i) => {
              const to = linkOf(x);
              return {
                color: KIND_COLORS[x.kind],
                children: (
                  <div data-testid="timeline-entry" data-kind={x.kind} data-what={x.what} key={i}>
                    <Space size={6} wrap>
                      <Typography.Text type="secondary">{fmtTime(x.at)}</Typography.Text>
                      <Tag color={KIND_COLORS[x.kind]}>{t(`ent.kind.${x.kind}`)}</Tag>
                      <Typography.Text strong>{what(x)}</Typography.Text>
                      {x.actorName && <Typography.Text type="secondary">{x.actorName}</Typography.Text>}
                    </Space>
                    <div>{to ? <Link to={to}>{x.title}</Link> : x.title}</div>
                    {x.detail && <Typography.Text type="secondary">{x.detail}</Typography.Text>}
                  </div>
                ),
              };
            })}
          />
        )}
      </Card>
    </Space>
  );
}
