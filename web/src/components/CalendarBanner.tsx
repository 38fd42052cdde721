// Administrators' banner from 1 November while next year's holiday schedule has not been imported: deadlines
// into next year are provisional until it is.
import { Alert, Button } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api } from '../api';
import { calendarKeys } from '../queryKeys';

export function CalendarBanner({ role }: { role: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const status = useQuery({ queryKey: calendarKeys.status(), queryFn: api.calendarStatus, enabled: role === 'admin', staleTime: 10 * 60_000 });
  if (role !== 'admin' || !status.data?.importDue) return null;
  return (
    <Alert
      type="warning"
      showIcon
      banner
      data-testid="calendar-banner"
      title={t('calendar.banner', { year: status.data.nextYear })}
      action={
        <Button size="small" onClick={() => navigate('/admin/calendar')}>
          {t('calendar.bannerAction')}
        </Button>
      }
    />
  );
}
