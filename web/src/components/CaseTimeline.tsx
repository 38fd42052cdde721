// Every move of a case, oldest first: who (and in which role), when, from → to, note, department, deadline, photos.
import { Space, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CaseEvent } from '../../../src/shared/api';
import type { MoveName } from '../../../src/shared/vocabulary';
import { fmtTime } from '../format';
import { PhotoGallery } from './PhotoGallery';
import { StateTag } from './StateTag';

const MOVE_COLORS: Partial<Record<MoveName, string>> = {
  reject: 'red',
  verify_fail: 'red',
  close: 'green',
  verify_pass: 'green',
};

export function CaseTimeline({ events }: { events: CaseEvent[] }) {
  const { t } = useTranslation();
  const sorted = [...events].sort((a, b) => a.at.localeCompare(b.at) || a.id - b.id);
  return (
    <Timeline
      data-testid="case-timeline"
      items={sorted.map((e) => ({
        key: e.id,
        color: MOVE_COLORS[e.move] ?? 'blue',
        content: (
          <div data-testid="timeline-event" data-move={e.move}>
            <Space size={6} wrap>
              <Typography.Text strong>{t(`move.${e.move}`)}</Typography.Text>
              <Typography.Text type="secondary">{fmtTime(e.at)}</Typography.Text>
              {e.life > 1 && <Tag>{t('detail.life', { life: e.life })}</Tag>}
            </Space>
            <div>
              <Typography.Text>{t('detail.eventBy', { name: e.actorName, role: t(`role.${e.actorRole}`) })}</Typography.Text>
            </div>
            {e.fromState !== e.toState && (
              <div style={{ margin: '4px 0' }}>
                <Space size={4} wrap>
                  {e.fromState ? <StateTag state={e.fromState} /> : <Tag>—</Tag>}
                  <span aria-hidden>→</span>
                  <StateTag state={e.toState} />
                </Space>
              </div>
            )}
            <EventData data={e.data} />
            {e.departmentName && (
              <div>
                <Typography.Text type="secondary">{t('detail.toDepartment')}{t('common.colon')}</Typography.Text>
                {e.departmentName}
              </div>
            )}
            {e.deadline && (
              <div>
                <Typography.Text type="secondary">{t('detail.deadline')}{t('common.colon')}</Typography.Text>
                {fmtTime(e.deadline)}
              </div>
            )}
            {e.note && (
              <div style={{ whiteSpace: 'pre-wrap' }} data-testid="timeline-note">
                <Typography.Text type="secondary">{t('detail.note')}{t('common.colon')}</Typography.Text>
                {e.note}
              </div>
            )}
            {e.photos.length > 0 && (
              <div style={{ marginTop: 6 }}>
                <PhotoGallery photos={e.photos} size={64} />
              </div>
            )}
          </div>
        ),
      }))}
    />
  );
}

/** The few facts a move records beyond note, department and deadline. */
function EventData({ data }: { data: CaseEvent['data'] }) {
  const { t } = useTranslation();
  const lines: string[] = [];
  if (typeof data.rating === 'number') lines.push(t('detail.rated', { rating: t(`rating.r${data.rating}`) }));
  if (typeof data.proposedDeadline === 'string') lines.push(t('detail.proposedDeadline', { deadline: fmtTime(data.proposedDeadline) }));
  if (typeof data.masterNumber === 'string') lines.push(t('detail.masterCase', { number: data.masterNumber }));
  if (typeof data.rework === 'number') lines.push(t('detail.rework', { n: data.rework }));
  if (!lines.length) return null;
  return (
    <div>
      {lines.map((l) => (
        <div key={l}>
          <Typography.Text type="secondary">{l}</Typography.Text>
        </div>
      ))}
    </div>
  );
}
