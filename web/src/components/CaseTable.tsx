// A paged table of cases (inbox and case list); a row opens the case.
import type { HTMLAttributes } from 'react';
import { Button, Grid, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import type { CaseSummary } from '../../../src/shared/api';
import { fmtTime } from '../format';
import { StateTag, UrgencyTag, WarningFlag } from './StateTag';
import { DueAt, RevisitNote, TimeLeft } from './TimeLeft';

interface Props {
  items: CaseSummary[];
  total: number;
  /** more cases than `total` (a capped count): shown as "10,000+" with a button to count exactly */
  totalCapped?: boolean;
  onExactCount?: () => void;
  page: number;
  pageSize: number;
  loading: boolean;
  rowTestId: string;
  emptyText: string;
  onPage: (page: number, pageSize: number) => void;
  /** an inbox: the time limit and the time left are shown at every width, 回头看 reasons under the description */
  inbox?: boolean;
}

export function CaseTable({ items, total, totalCapped, onExactCount, page, pageSize, loading, rowTestId, emptyText, onPage, inbox }: Props) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const columns: ColumnsType<CaseSummary> = [
    {
      title: t('cases.number'),
      dataIndex: 'number',
      width: 150,
      render: (number: string, c) => (
        <Link to={`/cases/${c.id}`} data-testid="row-number" onClick={(e) => e.stopPropagation()}>
          {number}
        </Link>
      ),
    },
    {
      title: t('cases.state'),
      dataIndex: 'state',
      width: 120,
      render: (_, c) => (
        <Space size={4} wrap>
          <StateTag state={c.state} testId="row-state" />
          <WarningFlag level={c.warningLevel} />
          <UrgencyTag urgency={c.urgency} />
        </Space>
      ),
    },
    { title: t('cases.category'), dataIndex: 'categoryName', width: 110, responsive: ['md'] },
    {
      title: t('cases.description'),
      dataIndex: 'description',
      onCell: () => ({ style: { minWidth: 160, maxWidth: 420 } }),
      render: (d: string, c) => (
        <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ marginBottom: 0 }} title={d}>
          {d}
          {c.address ? <Typography.Text type="secondary"> · {c.address}</Typography.Text> : null}
          {inbox ? <RevisitNote c={c} /> : null}
        </Typography.Paragraph>
      ),
    },
    {
      title: t('cases.grid'),
      dataIndex: 'gridName',
      width: 150,
      responsive: ['lg'],
      render: (g: string | null, c) =>
        g == null ? (
          <Typography.Text type="warning">{t('cases.unrouted')}</Typography.Text>
        ) : (
        <>
          {g}
          <br />
          <Typography.Text type="secondary">{c.communityName}</Typography.Text>
        </>
        ),
    },
    { title: t('cases.department'), dataIndex: 'departmentName', width: 110, responsive: ['xl'] },
    { title: t('cases.reportedAt'), dataIndex: 'reportedAt', width: 130, responsive: ['md'], render: fmtTime },
    inbox
      ? { title: t('fd.deadline'), dataIndex: 'dueAt', width: 140, render: (_: unknown, c: CaseSummary) => <DueAt c={c} /> }
      : {
          title: t('cases.dueAt'),
          dataIndex: 'dueAt',
          width: 140,
          responsive: ['xxl'],
          render: (d: string | null, c: CaseSummary) => (d && c.clockKind ? <Typography.Text title={t(`clock.${c.clockKind}`)}>{fmtTime(d)}</Typography.Text> : null),
        },
    ...(inbox ? [{ title: t('fd.timeLeft'), key: 'timeLeft', width: 100, render: (_: unknown, c: CaseSummary) => <TimeLeft c={c} /> }] : []),
  ];
  return (
    <Table<CaseSummary>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={items}
      loading={loading}
      locale={{ emptyText }}
      scroll={screens.md ? undefined : { x: 'max-content' }}
      onRow={(c) =>
        ({
          'data-testid': rowTestId,
          'data-case-number': c.number,
          'data-case-id': c.id,
          style: { cursor: 'pointer' },
          onClick: () => navigate(`/cases/${c.id}`),
        }) as HTMLAttributes<HTMLElement>
      }
      pagination={{
        current: page,
        pageSize,
        total,
        showSizeChanger: true,
        showTotal: (n) =>
          totalCapped ? (
            <span data-testid="list-total">
              {t('common.totalCapped', { count: n.toLocaleString() })}
              {onExactCount ? (
                <Button type="link" size="small" onClick={onExactCount} data-testid="list-exact-count">
                  {t('common.exactCount')}
                </Button>
              ) : null}
            </span>
          ) : (
            <span data-testid="list-total">{t('common.total', { count: n })}</span>
          ),
        onChange: onPage,
      }}
    />
  );
}
