// The coloured tag of a case state, with the raw state in data-state for tests.
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CaseState } from '../../../src/shared/vocabulary';
import { deadlineStatus } from '../format';

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

/** 超期 / 预警 flag for an open case with a deadline; nothing otherwise. */
export function DeadlineFlag({ state, deadline }: { state: CaseState; deadline: string | null }) {
  const { t } = useTranslation();
  const status = deadlineStatus(state, deadline);
  if (!status) return null;
  return (
    <Tag color={status === 'overdue' ? 'red' : 'orange'} data-testid="deadline-flag" data-status={status}>
      {t(status === 'overdue' ? 'common.overdue' : 'common.warning')}
    </Tag>
  );
}
