// What an import did, grid by grid.
import { Button, Result, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Imported } from './importFlow';

export function Summary({ result, onAnother }: { result: Imported; onAnother: () => void }) {
  const { t } = useTranslation();
  const first = result.grids.find((g) => g.action !== 'unchanged' && g.id != null);
  return (
    <div data-testid="grid-import-summary">
      <Result
        status="success"
        style={{ padding: '8px 0 16px' }}
        title={t('gridImport.doneTitle', { total: result.total })}
        subTitle={t('gridImport.plan', { created: result.created, updated: result.updated, unchanged: result.unchanged })}
        extra={[
          first && (
            <Link key="open" to={`/grids?id=${first.id}`}>
              <Button type="primary">{t('gridImport.openGrid')}</Button>
            </Link>
          ),
          <Button key="again" onClick={onAnother}>
            {t('gridImport.another')}
          </Button>,
        ]}
      />
      <Table
        size="small"
        rowKey="code"
        dataSource={result.grids}
        pagination={result.grids.length > 10 ? { pageSize: 10, size: 'small' } : false}
        columns={[
          { title: t('grids.problems.gridCode'), dataIndex: 'code', render: (c: string, g) => (g.id ? <Link to={`/grids?id=${g.id}`}>{c}</Link> : c) },
          {
            title: t('gridImport.action'),
            dataIndex: 'action',
            render: (a: Imported['grids'][number]['action']) => (
              <Tag color={a === 'create' ? 'green' : a === 'update' ? 'blue' : 'default'}>{t(`gridImport.actions.${a}`)}</Tag>
            ),
          },
        ]}
      />
    </div>
  );
}
