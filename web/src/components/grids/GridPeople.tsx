// The people responsible for a grid (网格长, 网格员, 包片干部): phones masked, shown in full on request to readers
// who get them; administrators add and remove people.
import { useState } from 'react';
import { Button, Form, Input, Modal, Popconfirm, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { DeleteOutlined, UserAddOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { showSuccess } from '../../notify';
import { type GridDetail, type GridPerson, type PersonInput, gridWrites as writes } from './gridsApi';
import { maskPhone } from './gridGeo';
import { gridKeys } from '../../queryKeys';

const ROLES = ['grid_leader', 'grid_worker', 'liaison_cadre'] as const;
const ROLE_COLOR: Record<GridPerson['role'], string> = { grid_leader: 'geekblue', grid_worker: 'green', liaison_cadre: 'gold' };

export function GridPeople({ grid, admin }: { grid: GridDetail; admin: boolean }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [adding, setAdding] = useState(false);
  const [reveal, setReveal] = useState(false);
  const canReveal = grid.people.some((p) => p.phone && !p.phone.includes('*'));
  const remove = useMutation({
    mutationFn: (personId: number) => writes.removePerson(grid.id, personId),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: gridKeys.detail(grid.id) });
      showSuccess(t('grids.people.removed'));
    },
  });
  const people = [...grid.people].sort((a, b) => ROLES.indexOf(a.role) - ROLES.indexOf(b.role));

  return (
    <div data-testid="grid-people">
      <Space style={{ marginBottom: 8, width: '100%', justifyContent: 'space-between' }} wrap>
        {canReveal ? (
          <Space size={6}>
            <Switch size="small" checked={reveal} onChange={setReveal} data-testid="grid-people-reveal" />
            <Typography.Text type="secondary">{t('grids.people.reveal')}</Typography.Text>
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('grids.people.masked')}</Typography.Text>
        )}
        {admin && (
          <Button size="small" icon={<UserAddOutlined />} onClick={() => setAdding(true)} data-testid="grid-person-add">
            {t('grids.people.add')}
          </Button>
        )}
      </Space>
      <Table<GridPerson>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={people}
        locale={{ emptyText: t('grids.people.none') }}
        onRow={() => ({ 'data-testid': 'grid-person-row' }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t('grids.people.name'),
            dataIndex: 'name',
            width: 130,
            // a record that stands for a user account says so: the account's username, kept in step by 用户管理
            render: (n: string, p: GridPerson) =>
              p.username ? (
                <span data-testid="grid-person-account">
                  {n} <Tag icon={<UserOutlined />}>{p.username}</Tag>
                </span>
              ) : (
                n
              ),
          },
          {
            title: t('grids.people.role'),
            dataIndex: 'role',
            width: 110,
            render: (r: GridPerson['role']) => <Tag color={ROLE_COLOR[r]}>{t(`grids.personRole.${r}`)}</Tag>,
          },
          {
            title: t('grids.people.phone'),
            dataIndex: 'phone',
            width: 140,
            render: (p: string | null) => <span style={{ fontVariantNumeric: 'tabular-nums' }}>{reveal ? (p ?? '—') : maskPhone(p)}</span>,
          },
          { title: t('grids.people.note'), dataIndex: 'note', render: (n: string) => n || '—' },
          ...(admin
            ? [
                {
                  key: 'remove',
                  width: 60,
                  render: (_: unknown, p: GridPerson) => (
                    <Popconfirm title={t('grids.people.removeConfirm', { name: p.name })} onConfirm={() => remove.mutate(p.id)}>
                      <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('grids.people.remove')} />
                    </Popconfirm>
                  ),
                },
              ]
            : []),
        ]}
      />
      {adding && <AddPerson grid={grid} onClose={() => setAdding(false)} />}
    </div>
  );
}

function AddPerson({ grid, onClose }: { grid: GridDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<PersonInput>();
  const client = useQueryClient();
  const add = useMutation({
    mutationFn: (v: PersonInput) => writes.addPerson(grid.id, { ...v, note: v.note ?? '' }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: gridKeys.detail(grid.id) });
      showSuccess(t('grids.people.added'));
      onClose();
    },
  });
  return (
    <Modal
      open
      title={t('grids.people.addTitle', { grid: grid.name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.submit')}
      okButtonProps={{ loading: add.isPending, 'data-testid': 'grid-person-submit' }}
      destroyOnHidden
    >
      <Form<PersonInput> form={form} layout="vertical" name="person" initialValues={{ role: 'grid_worker' }} onFinish={(v) => add.mutate(v)}>
        <Form.Item name="name" label={t('grids.people.name')} rules={[{ required: true, whitespace: true, max: 50 }]}>
          <Input data-testid="grid-person-name" />
        </Form.Item>
        <Form.Item name="role" label={t('grids.people.role')} rules={[{ required: true }]}>
          <Select options={ROLES.map((r) => ({ value: r, label: t(`grids.personRole.${r}`) }))} />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t('grids.people.phone')}
          rules={[
            { required: true, whitespace: true },
            { pattern: /^[0-9+\-\s]{5,30}$/, message: t('grids.people.phoneRule') },
          ]}
        >
          <Input inputMode="tel" data-testid="grid-person-phone" />
        </Form.Item>
        <Form.Item name="note" label={t('grids.people.note')} rules={[{ max: 200 }]}>
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
}
