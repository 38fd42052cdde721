// The grid worker's phone home (移动工作台): big buttons for 上报, 今日任务 (cases to verify) and 巡查, the offline
// state and the reports waiting on this phone to be sent.
import { Alert, Badge } from 'antd';
import { CameraOutlined, CarryOutOutlined, CompassOutlined, DesktopOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../../api';
import { OutboxList } from '../../offline/OutboxList';
import { useOnline, useOutbox } from '../../offline/OutboxSync';
import { useMe } from '../../session';
import { usePatrolState } from './patrolStore';
import './phone.css';
import { taskKeys } from '../../queryKeys';

export function PhoneHomePage() {
  const { t } = useTranslation();
  const me = useMe();
  const online = useOnline();
  const tasks = useQuery({ queryKey: taskKeys.phone(), queryFn: () => api.tasks(1, 50), enabled: online, meta: { silent: true } });
  const patrol = usePatrolState();
  const waiting = useOutbox(me.id).length;

  return (
    <div className="gw-phone gw-phone-home" data-testid="phone-home">
      <div className="gw-phone-hello">
        <div className="name">{t('phone.hello', { name: me.displayName })}</div>
        <div className="sub">
          {me.scopeName} · {t('phone.today', { date: dayjs().format('M月D日 dddd') })}
        </div>
      </div>
      {!online && <Alert type="warning" showIcon title={t('phone.offline')} data-testid="phone-offline" style={{ marginBottom: 12 }} />}
      <div className="gw-phone-actions">
        <Link to="/m/report" className="gw-phone-action report" data-testid="phone-report">
          <CameraOutlined />
          <span className="t">{t('phone.report')}</span>
          <span className="s">{waiting ? t('phone.outbox', { count: waiting }) : t('phone.reportSub')}</span>
        </Link>
        <Link to="/m/tasks" className="gw-phone-action tasks" data-testid="phone-tasks">
          <Badge count={tasks.data?.total ?? 0} offset={[6, -4]}>
            <CarryOutOutlined />
          </Badge>
          <span className="t">{t('phone.tasks')}</span>
          <span className="s">{t('phone.tasksSub', { count: tasks.data?.total ?? 0 })}</span>
        </Link>
        <Link to="/m/patrol" className="gw-phone-action patrol" data-testid="phone-patrol">
          <CompassOutlined />
          <span className="t">{t('phone.patrol')}</span>
          <span className="s">{patrol.active ? t('phone.patrolActive', { duration: patrol.duration }) : t('phone.patrolSub')}</span>
        </Link>
      </div>
      <OutboxList />
      <div className="gw-phone-links">
        <Link to="/cases">{t('phone.myCases')}</Link>
        <Link to="/m/points" data-testid="phone-points-link">{t('assessment.points.link')}</Link>
        <Link to="/tasks">
          <DesktopOutlined /> {t('phone.desktop')}
        </Link>
      </div>
    </div>
  );
}
