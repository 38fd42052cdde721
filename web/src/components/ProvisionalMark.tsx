// The mark beside a deadline counted over days of a provisional calendar year (no official schedule imported
// yet): it may move when the administrator imports the official schedule.
import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';

export function ProvisionalMark({ show }: { show: boolean | undefined }) {
  const { t } = useTranslation();
  if (!show) return null;
  return (
    <Tooltip title={t('calendar.provisionalDeadline')}>
      <Tag color="orange" style={{ marginInlineStart: 6 }} data-testid="deadline-provisional">
        {t('calendar.provisionalShort')}
      </Tag>
    </Tooltip>
  );
}
