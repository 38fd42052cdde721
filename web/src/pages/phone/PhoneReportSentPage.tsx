// After a report on the phone: a short confirmation (number, where it went) and the next things one does —
// report another, look at the case, go home — instead of the long case page.
import { Button, Result, Skeleton } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api';
import { useMe } from '../../session';
import './phone.css';
import { caseKeys } from '../../queryKeys';

export function PhoneReportSentPage() {
  const { t } = useTranslation();
  const me = useMe();
  const id = Number(useParams().id);
  const c = useQuery({ queryKey: caseKeys.detail(id), queryFn: () => api.case(id), enabled: Number.isInteger(id) && id > 0 });
  if (!c.data) return <Skeleton active />;
  return (
    <div className="gw-phone" data-testid="phone-report-sent">
      <Result
        status="success"
        title={t('fd.sentTitle')}
        subTitle={
          <>
            <div data-testid="sent-number">{t('fd.sentNumber', { number: c.data.number })}</div>
            <div>{c.data.gridName ? t('fd.sentGrid', { grid: c.data.gridName, community: c.data.communityName ?? '' }) : t('fd.sentUnrouted')}</div>
          </>
        }
        extra={
          <div className="gw-phone-moves">
            <Link to="/m/report" replace>
              <Button type="primary" block size="large" data-testid="sent-again">
                {t('fd.reportAnother')}
              </Button>
            </Link>
            <Link to={`/cases/${c.data.id}`}>
              <Button block size="large" data-testid="sent-view">
                {t('fd.viewCase')}
              </Button>
            </Link>
            <Link to={me.role === 'grid_worker' ? '/m' : '/cases'}>
              <Button block size="large" type="text">
                {me.role === 'grid_worker' ? t('fd.home') : t('fd.myCases')}
              </Button>
            </Link>
          </div>
        }
      />
    </div>
  );
}
