// 初始化向导: what a fresh install still lacks, each step with a link to its screen (or, for categories, adopting
// the standard tree in one click). Administrators land here while anything is missing.
import { Button, Card, List, Space, Tag, Typography } from 'antd';
import { CheckCircleTwoTone, ExclamationCircleTwoTone } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router-dom';
import { adminApi, useSetupStatus, type SetupStatus } from '../../components/admin/adminApi';
import { homeOf } from '../../menu';
import { showSuccess } from '../../notify';
import { refKeys, adminKeys } from '../../queryKeys';

type Step = SetupStatus['missing'][number];

const LINKS: Record<Step, string> = {
  street: '/admin/divisions?create=street',
  communities: '/admin/divisions',
  boundaries: '/admin/divisions',
  departments: '/admin/departments',
  categories: '/admin/categories',
  grids: '/grids/import',
  users: '/admin/users',
};

export function SetupPage() {
  const { t } = useTranslation();
  const status = useSetupStatus();
  const client = useQueryClient();
  const adopt = useMutation({
    mutationFn: adminApi.adoptStandardCategories,
    onSuccess: (r) => {
      void client.invalidateQueries({ queryKey: adminKeys.all });
      void client.invalidateQueries({ queryKey: refKeys.categories() });
      showSuccess(t('setup.adopted', r));
    },
  });
  const s = status.data;
  const steps: { key: Step; done: boolean; text: string }[] = s
    ? [
        { key: 'street', done: s.streets > 0, text: t('setup.streetDone', { count: s.streets }) },
        { key: 'communities', done: s.communities > 0, text: t('setup.communitiesDone', { count: s.communities }) },
        {
          key: 'boundaries',
          done: s.communities > 0 && s.communitiesWithoutBoundary.length === 0,
          text:
            s.communities === 0
              ? t('setup.boundariesNone')
              : s.communitiesWithoutBoundary.length > 0
              ? t('setup.boundariesMissing', { count: s.communitiesWithoutBoundary.length, names: s.communitiesWithoutBoundary.map((d) => d.name).join('、') })
              : t('setup.boundariesDone'),
        },
        { key: 'departments', done: s.departments > 0, text: t('setup.departmentsDone', { count: s.departments }) },
        { key: 'categories', done: s.categories > 0, text: t('setup.categoriesDone', { count: s.categories }) },
        { key: 'grids', done: s.grids > 0, text: t('setup.gridsDone', { count: s.grids }) },
        { key: 'users', done: s.users > 0, text: t('setup.usersDone', { count: s.users }) },
      ]
    : [];
  return (
    <Card title={t('setup.title')} loading={status.isLoading}>
      <Typography.Paragraph type="secondary">{s?.complete ? t('setup.complete') : t('setup.intro')}</Typography.Paragraph>
      <List
        dataSource={steps}
        renderItem={(step) => (
          <List.Item
            data-testid={`setup-${step.key}`}
            actions={[
              step.key === 'categories' && !step.done ? (
                <Button key="adopt" type="primary" loading={adopt.isPending} onClick={() => adopt.mutate()} data-testid="setup-adopt">
                  {t('setup.adopt')}
                </Button>
              ) : null,
              <Link key="go" to={LINKS[step.key]}>
                {t('setup.go')}
              </Link>,
            ].filter(Boolean)}
          >
            <List.Item.Meta
              avatar={step.done ? <CheckCircleTwoTone twoToneColor="#52c41a" /> : <ExclamationCircleTwoTone twoToneColor="#faad14" />}
              title={
                <Space>
                  {t(`setup.${step.key}`)}
                  <Tag color={step.done ? 'green' : 'orange'}>{step.done ? t('setup.done') : t('setup.todo')}</Tag>
                </Space>
              }
              description={step.text}
            />
          </List.Item>
        )}
      />
    </Card>
  );
}

/** The administrator's home: the setup guide while anything is missing, else the usual first page. */
export function AdminHome() {
  const status = useSetupStatus();
  if (status.isLoading) return null;
  return <Navigate to={status.data && !status.data.complete ? '/admin/setup' : homeOf('admin')} replace />;
}
