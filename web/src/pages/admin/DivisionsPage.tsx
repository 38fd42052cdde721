// 区划管理 (admin): the office's divisions as a tree with codes, boundaries and grid counts; create a street (typing
// its district), communities and villages; rename and set a boundary from GeoJSON (checked like a grid's boundary).
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Modal, Select, Space, Table, Tag, Upload } from 'antd';
import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { adminApi, importDivisionsFile, useAdminDivisions, type DivisionAdmin, type DivisionsImportResult } from '../../components/admin/adminApi';
import { ExportButton } from '../../components/ExportButton';
import { showSuccess } from '../../notify';
import { refKeys, adminKeys } from '../../queryKeys';

type Row = DivisionAdmin & { children?: Row[] };
type Level = DivisionAdmin['level'];

function tree(list: DivisionAdmin[]): Row[] {
  const byParent = new Map<number | null, DivisionAdmin[]>();
  for (const d of list) byParent.set(d.parentId, [...(byParent.get(d.parentId) ?? []), d]);
  const build = (d: DivisionAdmin): Row => {
    const kids = byParent.get(d.id) ?? [];
    return kids.length ? { ...d, children: kids.map(build) } : { ...d };
  };
  return (byParent.get(null) ?? []).map(build);
}

/** The boundary typed or read from a file: a bare geometry, a Feature, or the first feature of a collection. */
function parseBoundary(text: string): unknown {
  const json = JSON.parse(text);
  if (json?.type === 'FeatureCollection') return json.features?.[0]?.geometry ?? null;
  if (json?.type === 'Feature') return json.geometry;
  return json;
}

export function DivisionsPage() {
  const { t } = useTranslation();
  const divisions = useAdminDivisions();
  const [params, setParams] = useSearchParams();
  // the setup guide's street step opens the dialog at once (/admin/divisions?create=street)
  const [editing, setEditing] = useState<DivisionAdmin | 'new' | null>(params.get('create') ? 'new' : null);
  const client = useQueryClient();
  const [importErrors, setImportErrors] = useState<string[] | null>(null);
  const upload = useMutation({
    mutationFn: (file: File) => importDivisionsFile(file),
    onSuccess: (r) => {
      if (!r.ok) {
        setImportErrors(r.messages);
        return;
      }
      setImportErrors(null);
      void client.invalidateQueries({ queryKey: adminKeys.all });
      void client.invalidateQueries({ queryKey: refKeys.divisions() });
      showSuccess(t('org.imported', r.result as DivisionsImportResult & Record<string, number>));
    },
  });
  return (
    <Card
      title={t('divisions.title')}
      extra={
        <Space wrap>
          <ExportButton url="/api/divisions/template" icon={<DownloadOutlined />} testId="divisions-template">
            {t('org.divisionsTemplate')}
          </ExportButton>
          <Upload
            accept=".xlsx,.json,.geojson"
            showUploadList={false}
            beforeUpload={(file) => {
              upload.mutate(file);
              return false;
            }}
          >
            <Button icon={<UploadOutlined />} loading={upload.isPending} data-testid="divisions-import">
              {t('org.importDivisions')}
            </Button>
          </Upload>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="division-create">
            {t('divisions.create')}
          </Button>
        </Space>
      }
    >
      <Alert type="info" showIcon message={t('org.importHint')} style={{ marginBottom: 12 }} />
      {importErrors && (
        <Alert
          type="error"
          showIcon
          closable
          onClose={() => setImportErrors(null)}
          style={{ marginBottom: 12 }}
          data-testid="divisions-import-errors"
          message={t('org.importErrors')}
          description={
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {importErrors.map((m, i) => (
                <li key={i}>{m}</li>
              ))}
            </ul>
          }
        />
      )}
      <Table<Row>
        key={divisions.data ? 'loaded' : 'loading'}
        rowKey="id"
        size="small"
        loading={divisions.isLoading}
        dataSource={tree(divisions.data ?? [])}
        pagination={false}
        expandable={{ defaultExpandAllRows: true }}
        columns={[
          { title: t('divisions.code'), dataIndex: 'code', width: 200 },
          { title: t('divisions.name'), dataIndex: 'name' },
          { title: t('divisions.level'), dataIndex: 'level', width: 110, render: (l: Level) => t(`divisions.levels.${l}`) },
          {
            title: t('divisions.boundary'),
            dataIndex: 'hasBoundary',
            width: 110,
            render: (b: boolean) => (b ? <Tag color="green">{t('divisions.hasBoundary')}</Tag> : <Tag color="orange">{t('divisions.noBoundary')}</Tag>),
          },
          { title: t('divisions.grids'), dataIndex: 'gridCount', width: 90 },
          {
            key: 'edit',
            width: 180,
            render: (_, d) => (
              <Space size={8}>
                <Button size="small" onClick={() => setEditing(d)}>
                  {t('divisions.edit')}
                </Button>
                {d.hasBoundary && d.gridCount > 0 && <Link to={`/grids/coverage?parent=${d.code}`}>{t('divisions.coverage')}</Link>}
              </Space>
            ),
          },
        ]}
      />
      {editing && (
        <EditDivision
          division={editing === 'new' ? null : editing}
          all={divisions.data ?? []}
          onClose={() => {
            setEditing(null);
            if (params.get('create')) setParams({}, { replace: true });
          }}
        />
      )}
    </Card>
  );
}

interface Values {
  level: Level;
  code: string;
  name: string;
  parentId?: number;
  districtCode?: string;
  districtName?: string;
  boundary?: string;
}

const PARENT: Record<Level, Level | null> = { district: null, street: 'district', community: 'street', village: 'street' };

function EditDivision({ division, all, onClose }: { division: DivisionAdmin | null; all: DivisionAdmin[]; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const level = Form.useWatch('level', form) ?? division?.level ?? 'community';
  const client = useQueryClient();
  const [jsonError, setJsonError] = useState<string | null>(null);
  const save = useMutation({
    meta: { silent: true },
    mutationFn: async (v: Values & { removeBoundary?: boolean }) => {
      let geometry: unknown = undefined;
      if (v.removeBoundary) geometry = null;
      else if (v.boundary?.trim()) {
        try {
          geometry = parseBoundary(v.boundary);
        } catch {
          setJsonError(t('divisions.badJson'));
          throw new Error(t('divisions.badJson'));
        }
      }
      if (division) return adminApi.updateDivision(division.id, { name: v.name, ...(geometry !== undefined ? { geometry } : {}) });
      return adminApi.createDivision({
        level: v.level,
        code: v.code,
        name: v.name,
        ...(v.parentId ? { parentId: v.parentId } : {}),
        ...(v.level === 'street' && !v.parentId && v.districtCode ? { district: { code: v.districtCode, name: v.districtName ?? v.districtCode } } : {}),
        ...(geometry !== undefined && geometry !== null ? { geometry } : {}),
      });
    },
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: adminKeys.all });
      void client.invalidateQueries({ queryKey: refKeys.divisions() });
      showSuccess(t('divisions.saved'));
      onClose();
    },
  });
  const parentLevel = PARENT[level];
  const parents = all.filter((d) => d.level === parentLevel);
  return (
    <Modal
      open
      width={640}
      title={division ? t('divisions.editTitle', { name: division.name }) : t('divisions.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.submit')}
      okButtonProps={{ loading: save.isPending }}
      destroyOnHidden
    >
      {(jsonError || save.error) && <Alert type="error" showIcon message={jsonError ?? (save.error as Error).message} style={{ marginBottom: 12 }} />}
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={division ? { name: division.name, level: division.level, code: division.code } : { level: all.some((d) => d.level === 'street') ? 'community' : 'street' }}
        onFinish={(v) => {
          setJsonError(null);
          save.mutate(v);
        }}
      >
        <Space.Compact block>
          <Form.Item name="level" label={t('divisions.level')} style={{ width: 160 }}>
            <Select disabled={!!division} options={(['district', 'street', 'community', 'village'] as const).map((l) => ({ value: l, label: t(`divisions.levels.${l}`) }))} />
          </Form.Item>
          <Form.Item name="code" label={t('divisions.code')} extra={t('divisions.codeHint')} rules={[{ required: true, pattern: /^\d{6,12}$/ }]} style={{ flex: 1 }}>
            <Input disabled={!!division} />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="name" label={t('divisions.name')} rules={[{ required: true, whitespace: true, max: 100 }]}>
          <Input />
        </Form.Item>
        {!division && parentLevel && (
          <Form.Item name="parentId" label={t('divisions.parent')} rules={[{ required: level !== 'street' || parents.length > 0 }]}>
            <Select allowClear options={parents.map((d) => ({ value: d.id, label: `${d.name}（${d.code}）` }))} />
          </Form.Item>
        )}
        {!division && level === 'street' && parents.length === 0 && (
          <Form.Item label={t('org.districtPick')}>
            <DistrictPicker
              onPick={(d) => {
                form.setFieldsValue({ districtCode: d.code, districtName: d.name });
                const code = form.getFieldValue('code') as string | undefined;
                if (!code || code.length < 9) form.setFieldValue('code', d.code);
              }}
            />
          </Form.Item>
        )}
        {!division && level === 'street' && parents.length === 0 && (
          <Space.Compact block>
            <Form.Item name="districtCode" label={t('divisions.districtCode')} rules={[{ required: true, pattern: /^\d{6}$/ }]} style={{ width: 200 }}>
              <Input />
            </Form.Item>
            <Form.Item name="districtName" label={t('divisions.districtName')} rules={[{ required: true }]} style={{ flex: 1 }}>
              <Input />
            </Form.Item>
          </Space.Compact>
        )}
        <Form.Item name="boundary" label={t('divisions.boundaryJson')}>
          <Input.TextArea rows={4} spellCheck={false} style={{ fontFamily: 'monospace' }} />
        </Form.Item>
        <Space>
          <Upload
            accept=".json,.geojson"
            showUploadList={false}
            beforeUpload={async (file) => {
              form.setFieldValue('boundary', await file.text());
              return false;
            }}
          >
            <Button icon={<UploadOutlined />}>{t('divisions.boundaryFile')}</Button>
          </Upload>
          {division?.hasBoundary && (
            <Button danger onClick={() => save.mutate({ ...form.getFieldsValue(), removeBoundary: true })}>
              {t('divisions.removeBoundary')}
            </Button>
          )}
        </Space>
      </Form>
    </Modal>
  );
}

/** Searches the GB/T 2260 county-level list the server ships, by name (济宁 邹城) or code (3708…). */
function DistrictPicker({ onPick }: { onPick: (d: { code: string; name: string }) => void }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const found = useQuery({ queryKey: adminKeys.gbt2260(q), queryFn: () => adminApi.gbt2260(q), enabled: q.trim().length > 0 });
  return (
    <Select
      showSearch
      allowClear
      filterOption={false}
      placeholder={t('org.districtSearch')}
      onSearch={setQ}
      loading={found.isFetching}
      notFoundContent={q ? t('org.districtNotListed') : null}
      options={(found.data ?? []).map((d) => ({ value: d.code, label: `${d.code} ${d.fullName}`, name: d.name }))}
      onChange={(code: string | undefined, option) => {
        const o = option as { name?: string } | undefined;
        if (code && o?.name) onPick({ code, name: o.name });
      }}
      data-testid="district-picker"
    />
  );
}
