// Problems of a refused import, boundary edit, split or people sheet, as the server wrote them (in the reader's
// language): feature number (or sheet row and column), grid code, problem code, reason.
import { Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { GridProblemOut } from './gridsApi';

interface Props {
  problems: GridProblemOut[];
  /** 'features' for GeoJSON, 'sheet' for the people sheet */
  kind?: 'features' | 'sheet';
  onLocate?: (p: GridProblemOut) => void;
  testId?: string;
  pageSize?: number;
}

/** The server prefixes each message with the feature it names; the table shows that in its own columns. */
function reasonOf(p: GridProblemOut): string {
  if (p.index == null && p.row == null) return p.message;
  const m = /^(第\s*\d+\s*(个要素|行)[^：]*：|(Feature|Row)\s+\d+[^:]*:\s*)/.exec(p.message);
  return m ? p.message.slice(m[0].length) : p.message;
}

export function ProblemTable({ problems, kind = 'features', onLocate, testId = 'problem-table', pageSize = 10 }: Props) {
  const { t } = useTranslation();
  const sheet = kind === 'sheet';
  return (
    <Table<GridProblemOut & { key: number }>
      size="small"
      data-testid={testId}
      dataSource={problems.map((p, key) => ({ ...p, key }))}
      pagination={problems.length > pageSize ? { pageSize, size: 'small', showSizeChanger: false } : false}
      scroll={{ x: 640 }}
      onRow={(p) =>
        ({
          'data-testid': 'problem-row',
          'data-code': p.code,
          onClick: onLocate && p.params.lng != null ? () => onLocate(p) : undefined,
          style: onLocate && p.params.lng != null ? { cursor: 'pointer' } : undefined,
        }) as React.HTMLAttributes<HTMLElement>
      }
      columns={[
        sheet
          ? { title: t('grids.problems.row'), key: 'row', width: 70, render: (_, p) => (p.row ? p.row : '—') }
          : { title: t('grids.problems.feature'), key: 'index', width: 80, render: (_, p) => (p.index == null ? t('grids.problems.wholeFile') : p.index + 1) },
        sheet
          ? { title: t('grids.problems.column'), key: 'column', width: 90, render: (_, p) => p.column ?? '—' }
          : { title: t('grids.problems.gridCode'), key: 'gridCode', width: 150, render: (_, p) => p.gridCode ?? '—' },
        {
          title: t('grids.problems.code'),
          dataIndex: 'code',
          width: 150,
          render: (c: string) => (
            <Tag color="red" style={{ fontFamily: 'monospace', fontSize: 11 }}>
              {c}
            </Tag>
          ),
        },
        {
          title: t('grids.problems.reason'),
          key: 'reason',
          render: (_, p) => <Typography.Text data-testid="problem-reason">{reasonOf(p)}</Typography.Text>,
        },
      ]}
    />
  );
}
