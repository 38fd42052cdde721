// The facts of a case for its page: summary fields, departments (main / co-handlers and their reports), merge
// links, criteria; and the alerts that need attention (pending extension or suspension, merged into a master).
import { ProvisionalMark } from './ProvisionalMark';
import { Alert, Descriptions, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { CaseDetail } from '../../../src/shared/api';
import { fmtTime } from '../format';
import { StateTag } from './StateTag';

export function CaseFacts({ c }: { c: CaseDetail }) {
  const { t } = useTranslation();
  const items = [
    { key: 'category', label: t('cases.category'), children: c.categoryName },
    { key: 'source', label: t('cases.source'), children: t(`source.${c.source}`) },
    {
      key: 'grid',
      label: t('cases.grid'),
      children: c.gridId ? `${c.gridName} · ${c.communityName}` : <Tag color="orange">{t('cases.unrouted')}</Tag>,
    },
    { key: 'reporter', label: t('cases.reporter'), children: c.reporterName },
    { key: 'reportedAt', label: t('cases.reportedAt'), children: fmtTime(c.reportedAt) },
    { key: 'urgency', label: t('cases.urgency'), children: t(`urgency.${c.urgency}`) },
    { key: 'department', label: t('cases.department'), children: <Departments c={c} /> },
    { key: 'deadline', label: t('cases.deadline'), children: <>{fmtTime(c.deadline) || '—'}{c.deadline && <ProvisionalMark show={c.limitsProvisional} />}</> },
    ...(c.dueAt && c.clockKind
      ? [{ key: 'dueAt', label: t(`clock.${c.clockKind}`), children: <><span data-testid="case-due">{fmtTime(c.dueAt)}</span>{!c.deadline && <ProvisionalMark show={c.limitsProvisional} />}</> }]
      : []),
    ...(c.reworkCount ? [{ key: 'rework', label: t('cases.rework'), children: c.reworkCount }] : []),
    ...(c.escalationLevel ? [{ key: 'escalation', label: t('cases.escalation'), children: c.escalationLevel }] : []),
    ...(c.rating != null ? [{ key: 'rating', label: t('cases.rating'), children: t(`rating.r${c.rating}`) }] : []),
    { key: 'updatedAt', label: t('cases.updatedAt'), children: fmtTime(c.updatedAt) },
    { key: 'address', label: t('cases.address'), children: c.address ?? '—', span: 'filled' as const },
    { key: 'position', label: t('cases.position'), children: `${c.lng.toFixed(6)}, ${c.lat.toFixed(6)}`, span: 'filled' as const },
    {
      key: 'description',
      label: t('cases.description'),
      span: 'filled' as const,
      children: (
        <span style={{ whiteSpace: 'pre-wrap' }} data-testid="case-description">
          {c.description}
        </span>
      ),
    },
    ...(c.duplicates?.length
      ? [
          {
            key: 'duplicates',
            label: t('detail.duplicates'),
            span: 'filled' as const,
            children: (
              <Space wrap>
                {c.duplicates.map((d) => (
                  <Link key={d.id} to={`/cases/${d.id}`}>
                    {d.number} <StateTag state={d.state} />
                  </Link>
                ))}
              </Space>
            ),
          },
        ]
      : []),
    ...(c.categoryCriteria?.accept || c.categoryCriteria?.close
      ? [
          {
            key: 'criteria',
            label: t('detail.criteria'),
            span: 'filled' as const,
            children: (
              <Typography.Text type="secondary" style={{ whiteSpace: 'pre-wrap' }}>
                {c.categoryCriteria.accept && `${t('detail.acceptCriteria')}${t('common.colon')}${c.categoryCriteria.accept}`}
                {c.categoryCriteria.accept && c.categoryCriteria.close && '\n'}
                {c.categoryCriteria.close && `${t('detail.closeCriteria')}${t('common.colon')}${c.categoryCriteria.close}`}
              </Typography.Text>
            ),
          },
        ]
      : []),
  ];
  return <Descriptions column={{ xs: 1, sm: 1, md: 2 }} size="small" items={items} />;
}

function Departments({ c }: { c: CaseDetail }) {
  const { t } = useTranslation();
  if (!c.assignments?.length) return <>{c.departmentName ?? '—'}</>;
  return (
    <Space orientation="vertical" size={2}>
      {c.assignments.map((a) => (
        <span key={`${a.role}-${a.departmentId}`}>
          <Tag color={a.role === 'main' ? 'blue' : 'default'}>{t(a.role === 'main' ? 'detail.mainDept' : 'detail.coDept')}</Tag>
          {a.departmentName}
          {a.role === 'co' && (
            <Typography.Text type="secondary">
              {' '}
              · {a.reportedAt ? `${t('detail.coReported')} ${fmtTime(a.reportedAt)}` : t('detail.coPending')}
              {a.reportNote ? `${t('common.colon')}${a.reportNote}` : ''}
            </Typography.Text>
          )}
        </span>
      ))}
    </Space>
  );
}

export function CaseAlerts({ c }: { c: CaseDetail }) {
  const { t } = useTranslation();
  const alerts: { key: string; type: 'info' | 'warning'; text: React.ReactNode }[] = [];
  if (c.pendingExtension) {
    alerts.push({
      key: 'ext',
      type: 'warning',
      text: (
        <>
          {t('detail.pendingExtension', { note: c.pendingExtension.note })}
          {c.pendingExtension.deadline && ` · ${t('detail.proposedDeadline', { deadline: fmtTime(c.pendingExtension.deadline) })}`}
        </>
      ),
    });
  }
  if (c.pendingSuspend) alerts.push({ key: 'sus', type: 'warning', text: t('detail.pendingSuspend', { note: c.pendingSuspend.note }) });
  if (c.masterId && c.masterNumber) {
    alerts.push({
      key: 'master',
      type: 'info',
      text: (
        <>
          {t('detail.mergedInto')} <Link to={`/cases/${c.masterId}`}>{c.masterNumber}</Link>
        </>
      ),
    });
  }
  if (!alerts.length) return null;
  return (
    <Space orientation="vertical" style={{ width: '100%', marginTop: 12 }}>
      {alerts.map((a) => (
        <Alert key={a.key} type={a.type} showIcon title={a.text} data-testid={`case-alert-${a.key}`} />
      ))}
    </Space>
  );
}
