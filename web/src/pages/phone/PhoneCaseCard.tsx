// One case as a card on the phone (今日任务, 案件): what, where, its state, and for an inbox the time limit with
// its label and the time left.
import { Typography } from 'antd';
import { RightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { CaseSummary } from '../../../../src/shared/api';
import { StateTag, UrgencyTag, WarningFlag } from '../../components/StateTag';
import { RevisitNote, TimeLeft } from '../../components/TimeLeft';
import { fmtTime } from '../../format';

export function PhoneCaseCard({ c, testId = 'phone-case' }: { c: CaseSummary; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Link to={`/cases/${c.id}`} className="gw-phone-card" data-testid={testId} data-case-number={c.number} data-case-id={c.id}>
      <div className="row">
        <Typography.Text strong ellipsis>
          {c.categoryName}
        </Typography.Text>
        <span className="tags">
          <StateTag state={c.state} /> <WarningFlag level={c.warningLevel} /> <UrgencyTag urgency={c.urgency} />
        </span>
      </div>
      <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: '4px 0' }}>
        {c.description}
      </Typography.Paragraph>
      <RevisitNote c={c} />
      {c.dueAt && c.clockKind ? (
        <div className="row due">
          <span>
            {t(`clock.${c.clockKind}`)} {fmtTime(c.dueAt)}
          </span>
          <TimeLeft c={c} />
        </div>
      ) : null}
      <div className="row sub">
        <span>
          {c.gridName ? `${c.gridName} · ${c.communityName ?? ''}` : t('cases.unrouted')} · {c.number}
        </span>
        <span>
          {fmtTime(c.reportedAt)} <RightOutlined />
        </span>
      </div>
    </Link>
  );
}
