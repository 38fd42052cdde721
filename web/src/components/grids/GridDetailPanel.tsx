// One grid: code, name, class, level, where it hangs, industry, archive (档案), people, versions, key units and its
// open cases. Administrators edit the archive here; boundary edits start here and happen on the map.
import { useState } from 'react';
import { Button, Descriptions, Empty, Form, Input, InputNumber, Modal, Popconfirm, Space, Table, Tabs, Tag, Typography } from 'antd';
import { BorderOuterOutlined, EditOutlined, EyeOutlined, HighlightOutlined, ScissorOutlined, StopOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { fmtTime } from '../../format';
import { showSuccess } from '../../notify';
import { type GridDetail, gridWrites as writes } from './gridsApi';
import { CLASS_TAG } from './gridGeo';
import { GridPeople } from './GridPeople';
import { gridKeys } from '../../queryKeys';

type Version = GridDetail['versions'][number];
type KeyUnit = GridDetail['keyUnits'][number];

interface Props {
  grid: GridDetail;
  admin: boolean;
  shownVersion: number | null;
  onShowVersion: (v: Version | null) => void;
  onSelectGrid: (id: number) => void;
  onEdit: (mode: 'vertices' | 'draw' | 'split') => void;
  /** an edit is under way on the map: no other change meanwhile */
  editing: boolean;
}

export function industryLabel(t: TFunction, industry: string | null): string {
  if (!industry) return '—';
  return t(`grids.industry.${industry}`, { defaultValue: industry });
}

export function GridDetailPanel({ grid, admin, shownVersion, onShowVersion, onSelectGrid, onEdit, editing }: Props) {
  const { t } = useTranslation();
  const [archiveOpen, setArchiveOpen] = useState(false);
  const client = useQueryClient();
  const retire = useMutation({
    mutationFn: () => writes.retire(grid.id, grid.version),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: gridKeys.all });
      showSuccess(t('grids.retired', { name: grid.name }));
    },
  });
  const extraArchive = Object.entries(grid.archive).filter(([, v]) => v !== null && v !== '' && typeof v !== 'object');

  return (
    <div data-testid="grid-detail" data-code={grid.code} data-id={grid.id}>
      <Space wrap size={8} style={{ marginBottom: 12 }}>
        <Tag color={CLASS_TAG[grid.gridClass]} data-testid="grid-detail-class">
          {t(`grids.class.${grid.gridClass}`)}
        </Tag>
        <Typography.Text strong style={{ fontSize: 16 }} data-testid="grid-detail-name">
          {grid.name}
        </Typography.Text>
        <Typography.Text type="secondary" copyable data-testid="grid-detail-code">
          {grid.code}
        </Typography.Text>
        {grid.retiredAt && <Tag color="default">{t('grids.retiredTag')}</Tag>}
      </Space>
      {admin && !grid.retiredAt && (
        <Space wrap size={8} style={{ marginBottom: 12 }} data-testid="grid-admin-actions">
          <Button size="small" icon={<EditOutlined />} onClick={() => setArchiveOpen(true)} disabled={editing} data-testid="grid-edit-archive">
            {t('grids.editArchive')}
          </Button>
          <Button size="small" icon={<BorderOuterOutlined />} onClick={() => onEdit('vertices')} disabled={editing} data-testid="grid-edit-vertices">
            {t('grids.edit.vertices')}
          </Button>
          <Button size="small" icon={<HighlightOutlined />} onClick={() => onEdit('draw')} disabled={editing} data-testid="grid-edit-draw">
            {t('grids.edit.draw')}
          </Button>
          <Button
            size="small"
            icon={<ScissorOutlined />}
            onClick={() => onEdit('split')}
            disabled={editing || grid.children.some((c) => !c.retired) || grid.geometry.type !== 'Polygon'}
            title={grid.geometry.type !== 'Polygon' ? t('grids.edit.splitMulti') : undefined}
            data-testid="grid-edit-split"
          >
            {t('grids.edit.split')}
          </Button>
          <Popconfirm title={t('grids.retireConfirm', { name: grid.name })} description={t('grids.retireHint')} onConfirm={() => retire.mutate()}>
            <Button size="small" danger icon={<StopOutlined />} disabled={editing} loading={retire.isPending}>
              {t('grids.retire')}
            </Button>
          </Popconfirm>
        </Space>
      )}
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, xl: 3 }}
        items={[
          { key: 'class', label: t('grids.field.class'), children: `${grid.gridClass} · ${t(`grids.classHint.${grid.gridClass}`)}` },
          { key: 'level', label: t('grids.field.level'), children: t('grids.levelN', { level: grid.level }) },
          { key: 'version', label: t('grids.field.version'), children: `v${grid.version}` },
          { key: 'division', label: t('grids.field.division'), children: grid.division.name },
          {
            key: 'parent',
            label: t('grids.field.parent'),
            children:
              grid.parent.kind === 'grid' ? (
                <a onClick={() => onSelectGrid(grid.parent.id)}>{grid.parent.name}</a>
              ) : (
                `${grid.parent.name}（${t('grids.field.divisionShort')}）`
              ),
          },
          {
            key: 'cases',
            label: t('grids.field.openCases'),
            children: (
              <Link to={`/cases?gridId=${grid.id}`} data-testid="grid-open-cases">
                {t('grids.openCasesLink', { count: grid.openCases })}
              </Link>
            ),
          },
          ...(grid.gridClass === 'B' || grid.industry
            ? [
                {
                  key: 'industry',
                  label: t('grids.field.industry'),
                  span: 3,
                  children: (
                    <Space size={4} wrap>
                      {industryLabel(t, grid.industry)}
                      {grid.industryCategories.map((c) => (
                        <Tag key={c.id}>{c.name}</Tag>
                      ))}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Tabs
        size="small"
        style={{ marginTop: 8 }}
        items={[
          {
            key: 'archive',
            label: t('grids.tab.archive'),
            children: (
              <div data-testid="grid-archive">
                <Descriptions
                  size="small"
                  bordered
                  column={{ xs: 1, sm: 3 }}
                  items={[
                    { key: 'households', label: t('grids.field.households'), children: grid.households ?? '—' },
                    { key: 'population', label: t('grids.field.population'), children: grid.population ?? '—' },
                    { key: 'enterprises', label: t('grids.field.enterprises'), children: grid.enterprises ?? '—' },
                    {
                      key: 'notes',
                      label: t('grids.field.notes'),
                      span: 3,
                      children: <span style={{ whiteSpace: 'pre-wrap' }}>{grid.notes || '—'}</span>,
                    },
                    ...extraArchive.map(([k, v]) => ({ key: `x-${k}`, label: t(`grids.archiveKey.${k}`, { defaultValue: k }), children: String(v) })),
                    { key: 'updated', label: t('grids.field.updatedAt'), span: 3, children: fmtTime(grid.updatedAt) },
                  ]}
                />
              </div>
            ),
          },
          {
            key: 'people',
            label: t('grids.tab.people', { count: grid.people.length }),
            children: <GridPeople grid={grid} admin={admin && !grid.retiredAt} />,
          },
          {
            key: 'versions',
            label: t('grids.tab.versions', { count: grid.versions.length }),
            children: <Versions grid={grid} shown={shownVersion} onShow={onShowVersion} />,
          },
          ...(grid.children.length
            ? [
                {
                  key: 'children',
                  label: t('grids.tab.children', { count: grid.children.length }),
                  children: (
                    <Space wrap>
                      {grid.children.map((c) => (
                        <Button key={c.id} size="small" disabled={c.retired} onClick={() => onSelectGrid(c.id)}>
                          <Tag color={CLASS_TAG[c.gridClass]}>{c.gridClass}</Tag>
                          {c.name}
                        </Button>
                      ))}
                    </Space>
                  ),
                },
              ]
            : []),
          ...(grid.keyUnits.length
            ? [
                {
                  key: 'units',
                  label: t('grids.tab.keyUnits', { count: grid.keyUnits.length }),
                  children: <KeyUnits units={grid.keyUnits} />,
                },
              ]
            : []),
        ]}
      />
      {archiveOpen && <ArchiveDialog grid={grid} onClose={() => setArchiveOpen(false)} />}
    </div>
  );
}

function Versions({ grid, shown, onShow }: { grid: GridDetail; shown: number | null; onShow: (v: Version | null) => void }) {
  const { t } = useTranslation();
  const versions = [...grid.versions].sort((a, b) => b.version - a.version);
  return (
    <Table<Version>
      rowKey="version"
      size="small"
      pagination={versions.length > 8 ? { pageSize: 8, size: 'small' } : false}
      dataSource={versions}
      scroll={{ x: 560 }}
      onRow={() => ({ 'data-testid': 'grid-version-row' }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        {
          title: t('grids.version.version'),
          dataIndex: 'version',
          width: 70,
          render: (v: number) => (v === grid.version && !grid.retiredAt ? <Tag color="blue">v{v}</Tag> : `v${v}`),
        },
        { title: t('grids.version.name'), dataIndex: 'name', width: 150 },
        {
          title: t('grids.version.change'),
          dataIndex: 'change',
          width: 120,
          render: (c: string) =>
            c
              .split(',')
              .filter(Boolean)
              .map((x) => t(`grids.change.${x}`, { defaultValue: x }))
              .join('、'),
        },
        {
          title: t('grids.version.period'),
          key: 'period',
          width: 230,
          render: (_, v) => `${fmtTime(v.validFrom)} — ${v.validTo ? fmtTime(v.validTo) : t('grids.version.current')}`,
        },
        { title: t('grids.version.by'), dataIndex: 'changedBy', width: 90, render: (b: string | null) => b ?? t('grids.version.system') },
        {
          key: 'show',
          width: 70,
          render: (_, v) => (
            <Button
              size="small"
              type={shown === v.version ? 'primary' : 'text'}
              icon={<EyeOutlined />}
              aria-label={t('grids.version.show')}
              title={t('grids.version.show')}
              onClick={() => onShow(shown === v.version ? null : v)}
            />
          ),
        },
      ]}
    />
  );
}

function KeyUnits({ units }: { units: KeyUnit[] }) {
  const { t } = useTranslation();
  if (!units.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  return (
    <Table<KeyUnit>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={units}
      columns={[
        { title: t('grids.unit.name'), dataIndex: 'name' },
        { title: t('grids.field.industry'), dataIndex: 'industry', render: (i: string | null) => industryLabel(t, i) },
        { title: t('grids.unit.address'), dataIndex: 'address', render: (a: string | null) => a ?? '—' },
        {
          title: t('grids.unit.risk'),
          dataIndex: 'riskLevel',
          render: (r: KeyUnit['riskLevel']) =>
            r ? <Tag color={r === 'high' ? 'red' : r === 'medium' ? 'orange' : 'green'}>{t(`grids.risk.${r}`)}</Tag> : '—',
        },
      ]}
    />
  );
}

interface ArchiveValues {
  name: string;
  households: number | null;
  population: number | null;
  enterprises: number | null;
  notes: string;
}

function ArchiveDialog({ grid, onClose }: { grid: GridDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ArchiveValues>();
  const client = useQueryClient();
  const save = useMutation({
    mutationFn: (v: ArchiveValues) =>
      writes.update(grid.id, {
        version: grid.version,
        name: v.name,
        households: v.households ?? null,
        population: v.population ?? null,
        enterprises: v.enterprises ?? null,
        notes: v.notes ?? '',
      }),
    onSuccess: (d) => {
      client.setQueryData(gridKeys.detail(grid.id), d);
      void client.invalidateQueries({ queryKey: gridKeys.all });
      showSuccess(t('grids.archiveSaved'));
      onClose();
    },
  });
  return (
    <Modal
      open
      width={560}
      title={t('grids.editArchiveTitle', { name: grid.name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.submit')}
      okButtonProps={{ loading: save.isPending, 'data-testid': 'grid-archive-submit' }}
      destroyOnHidden
    >
      <Form<ArchiveValues>
        form={form}
        layout="vertical"
        name="archive"
        initialValues={{ name: grid.name, households: grid.households, population: grid.population, enterprises: grid.enterprises, notes: grid.notes }}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item name="name" label={t('grids.field.name')} rules={[{ required: true, whitespace: true, max: 100 }]} extra={t('grids.nameVersionHint')}>
          <Input />
        </Form.Item>
        <Space size={12} wrap>
          <Form.Item name="households" label={t('grids.field.households')}>
            <InputNumber min={0} max={100_000_000} precision={0} style={{ width: 150 }} data-testid="grid-archive-households" />
          </Form.Item>
          <Form.Item name="population" label={t('grids.field.population')}>
            <InputNumber min={0} max={100_000_000} precision={0} style={{ width: 150 }} />
          </Form.Item>
          <Form.Item name="enterprises" label={t('grids.field.enterprises')}>
            <InputNumber min={0} max={100_000_000} precision={0} style={{ width: 150 }} />
          </Form.Item>
        </Space>
        <Form.Item name="notes" label={t('grids.field.notes')} rules={[{ max: 2000 }]}>
          <Input.TextArea rows={4} maxLength={2000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
