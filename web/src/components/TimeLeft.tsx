// How long until a case's running time limit ends (or how long past it), for inboxes on desktop and phone.
import { Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { CaseSummary } from '../../../src/shared/api';
import { fmtTime } from '../format';

export function fmtSpan(ms: number, t: TFunction): string {
  const m = Math.max(1, Math.round(Math.abs(ms) / 60_000));
  if (m < 60) return t('fd.minutes', { n: m });
  const h = Math.round(m / 60);
  if (h < 48) return t('fd.hours', { n: h });
  return t('fd.days', { n: Math.round(h / 24) });
}

/** 剩 3小时 / 超时 2天, coloured by the server's warning level; nothing when no clock runs. */
export function TimeLeft({ c, now = Date.now() }: { c: Pick<CaseSummary, 'dueAt' | 'warningLevel'>; now?: number }) {
  const { t } = useTranslation();
  if (!c.dueAt) return null;
  const ms = Date.parse(c.dueAt) - now;
  const color = ms <= 0 || c.warningLevel === 'red' ? 'red' : c.warningLevel === 'yellow' ? 'orange' : 'green';
  return (
    <Tag color={color} data-testid="time-left" data-overdue={ms <= 0 ? 'true' : 'false'} style={{ marginInlineEnd: 0 }}>
      {ms <= 0 ? t('fd.overdueBy', { d: fmtSpan(ms, t) }) : t('fd.left', { d: fmtSpan(ms, t) })}
    </Tag>
  );
}

/** The time limit in force: the running clock's due time, labelled with what it is for (签收/处置/核查). */
export function DueAt({ c }: { c: Pick<CaseSummary, 'dueAt' | 'clockKind'> }) {
  const { t } = useTranslation();
  if (!c.dueAt || !c.clockKind) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <span data-testid="due-at">
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t(`clock.${c.clockKind}`)}
      </Typography.Text>
      <br />
      {fmtTime(c.dueAt)}
    </span>
  );
}

/** 回头看: a closed case in an inbox was rated 不满意; the reporter's words. */
export function RevisitNote({ c }: { c: Pick<CaseSummary, 'state' | 'rating' | 'ratingNote'> }) {
  const { t } = useTranslation();
  if (c.state !== 'closed' || c.rating == null || c.ratingNote === undefined) return null;
  return (
    <div data-testid="revisit">
      <Tag color="red">{t('fd.revisit')}</Tag>
      <Typography.Text type="danger">
        {c.ratingNote ? t('fd.revisitReason', { rating: c.rating, note: c.ratingNote }) : t('fd.revisitNoNote', { rating: c.rating })}
      </Typography.Text>
    </div>
  );
}
