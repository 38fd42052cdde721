// The coloured tag of a case state, with the raw state in data-state for tests.
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CaseState, Urgency, WarningLevel } from '../../../src/shared/vocabulary';

const COLORS: Partial<Record<CaseState, string>> = {
  reported: 'gold',
  accepted: 'cyan',
  rejected: 'default',
  merged: 'default',
  suspended: 'orange',
  dispatched: 'blue',
  in_progress: 'geekblue',
  handled: 'purple',
  verified: 'lime',
  closed: 'green',
};

export function StateTag({ state, testId }: { state: CaseState; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLORS[state] ?? 'default'} data-testid={testId} data-state={state} style={{ marginInlineEnd: 0 }}>
      {t(`state.${state}`)}
    </Tag>
  );
}

/** 预警 (yellow) / 超期 (red) flag of the running time limit, as the server computed it; nothing when on time. */
export function WarningFlag({ level }: { level: WarningLevel | undefined }) {
  const { t } = useTranslation();
  if (!level || level === 'green') return null;
  return (
    <Tag color={level === 'red' ? 'red' : 'orange'} data-testid="warning-flag" data-level={level}>
      {t(`warning.${level}`)}
    </Tag>
  );
}

/** 紧急 / 特急 tag; nothing for normal urgency. */
export function UrgencyTag({ urgency }: { urgency: Urgency | undefined }) {
  const { t } = useTranslation();
  if (!urgency || urgency === 'normal') return null;
  return (
    <Tag color={urgency === 'critical' ? 'magenta' : 'volcano'} data-testid="urgency-tag">
      {t(`urgency.${urgency}`)}
    </Tag>
  );
}
