// 网格导入 (/grids/import, administrators): a three-step wizard — choose a .geojson file and its datum; check it
// (dry run) with progress per phase and every problem in a table; import it (all or nothing) and read the summary.
// Below: exports (GeoJSON in a chosen datum, the people sheet, its template) and the people-sheet import.
import { lazy, Suspense, useMemo, useRef, useState } from 'react';
import { Alert, Button, Card, Col, Descriptions, Progress, Radio, Result, Row, Select, Space, Steps, Table, Tag, TreeSelect, Typography, Upload } from 'antd';
import { CloudUploadOutlined, DownloadOutlined, FileExcelOutlined, InboxOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ApiError } from '../../api';
import { showSuccess } from '../../notify';
import { CRS_LIST, type Crs, DOWNLOADS, type GridProblemOut, type GridTreeNode, type PeopleImportResult, problemsOf, useGridTree, gridWrites as writes } from '../../components/grids/gridsApi';
import { ProblemTable } from '../../components/grids/ProblemTable';
import type { MapGrid, MapPoint, MapShape } from '../../components/grids/GridAdminMap';
import { type AreaGeometry, type Bounds, boundsOf } from '../../components/grids/gridGeo';
import { useGrids } from '../../queries';
import { gridKeys } from '../../queryKeys';

const GridAdminMap = lazy(() => import('../../components/grids/GridAdminMap'));
/** the preview draws at most this many of the file's outlines */
const PREVIEW_MAX = 2000;

type PhaseName = 'reading' | 'validating' | 'saving';
type PhaseStatus = 'wait' | 'active' | 'done' | 'error';
interface Phase {
  status: PhaseStatus;
  /** 0…100, or null while the server works and nobody can say how far it is */
  percent: number | null;
  note?: string;
}
type Phases = Record<PhaseName, Phase>;
const WAITING: Phases = {
  reading: { status: 'wait', percent: 0 },
  validating: { status: 'wait', percent: 0 },
  saving: { status: 'wait', percent: 0 },
};

interface Checked {
  ok: boolean;
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: GridProblemOut[];
}
interface Imported {
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  grids: { code: string; action: 'create' | 'update' | 'unchanged'; id: number | null }[];
}

function readText(file: File, onProgress: (f: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    reader.onload = () => resolve(String(reader.result ?? ''));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsText(file, 'utf-8');
  });
}

const fmtSize = (n: number) => (n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);

export function GridImportPage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [step, setStep] = useState(0);
  const [file, setFile] = useState<File | null>(null);
  const [crs, setCrs] = useState<Crs>('WGS84');
  const [phases, setPhases] = useState<Phases>(WAITING);
  const [checked, setChecked] = useState<Checked | null>(null);
  const [imported, setImported] = useState<Imported | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** what was read from the file: the parsed document, or its text when it is not JSON (the server says why) */
  const doc = useRef<unknown>(null);
  const [preview, setPreview] = useState<MapShape[] | null>(null);
  const [located, setLocated] = useState<{ id: string; bounds: Bounds } | null>(null);

  const phase = (name: PhaseName, p: Partial<Phase>) => setPhases((all) => ({ ...all, [name]: { ...all[name], ...p } }));

  const reset = () => {
    setStep(0);
    setPhases(WAITING);
    setChecked(null);
    setImported(null);
    setFailure(null);
    setPreview(null);
    setLocated(null);
    doc.current = null;
  };

  const runCheck = async () => {
    if (!file) return;
    setStep(1);
    setBusy(true);
    setChecked(null);
    setFailure(null);
    setPhases(WAITING);
    try {
      phase('reading', { status: 'active', percent: 0 });
      const text = await readText(file, (f) => phase('reading', { percent: Math.round(f * 100) }));
      try {
        doc.current = JSON.parse(text.replace(/^\uFEFF/, ''));
      } catch {
        doc.current = text;
      }
      const count = Array.isArray((doc.current as { features?: unknown[] } | null)?.features) ? (doc.current as { features: unknown[] }).features.length : null;
      phase('reading', { status: 'done', percent: 100, note: count != null ? t('gridImport.featureCount', { count }) : undefined });
      setPreview(await previewShapes(doc.current, crs));
      phase('validating', { status: 'active', percent: 0 });
      const r = await writes.validate(crs, doc.current, {
        onUpload: (f) => phase('validating', { percent: Math.round(f * 100) }),
        onSent: () => phase('validating', { percent: null, note: t('gridImport.serverChecking') }),
      });
      phase('validating', { status: r.ok ? 'done' : 'error', percent: 100, note: r.ok ? t('gridImport.noProblems') : t('gridImport.problemCount', { count: r.errors.length }) });
      setChecked(r);
    } catch (err) {
      const problems = problemsOf(err);
      if (problems.length) {
        setChecked({ ok: false, total: 0, created: 0, updated: 0, unchanged: 0, errors: problems });
      } else {
        setFailure(err instanceof Error ? err.message : String(err));
      }
      setPhases((all) => ({
        ...all,
        ...(all.reading.status === 'active' ? { reading: { ...all.reading, status: 'error' } } : {}),
        ...(all.validating.status === 'active' ? { validating: { ...all.validating, status: 'error', percent: 100 } } : {}),
      }));
    } finally {
      setBusy(false);
    }
  };

  const runImport = async () => {
    setStep(2);
    setBusy(true);
    setFailure(null);
    try {
      phase('saving', { status: 'active', percent: 0 });
      const r = await writes.importGrids(crs, doc.current, {
        onUpload: (f) => phase('saving', { percent: Math.round(f * 100) }),
        onSent: () => phase('saving', { percent: null, note: t('gridImport.serverSaving') }),
      });
      phase('saving', { status: 'done', percent: 100, note: undefined });
      setImported(r);
      void client.invalidateQueries({ queryKey: gridKeys.all });
      showSuccess(t('gridImport.doneToast', { created: r.created, updated: r.updated }));
    } catch (err) {
      phase('saving', { status: 'error', percent: 100 });
      const problems = problemsOf(err);
      if (problems.length) {
        setChecked({ ok: false, total: checked?.total ?? 0, created: 0, updated: 0, unchanged: 0, errors: problems });
        setStep(1);
      } else {
        setFailure(err instanceof ApiError ? err.message : String(err));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card title={t('gridImport.title')} extra={<Link to="/grids">{t('menu.grids')}</Link>}>
        <Steps
          current={step}
          size="small"
          style={{ marginBottom: 24, maxWidth: 760 }}
          items={[
            { title: t('gridImport.step.choose') },
            { title: t('gridImport.step.check'), status: step === 1 && checked && !checked.ok ? 'error' : undefined },
            { title: t('gridImport.step.import'), status: step === 2 && imported ? 'finish' : undefined },
          ]}
        />
        {step === 0 && (
          <Row gutter={[24, 16]} data-testid="grid-import-choose">
            <Col xs={24} lg={13}>
              <div data-testid="grid-import-file">
                <Upload.Dragger
                  accept=".geojson,.json,application/geo+json,application/json"
                  multiple={false}
                  showUploadList={false}
                  beforeUpload={(f) => {
                    setFile(f);
                    return false;
                  }}
                >
                  <p className="ant-upload-drag-icon">
                    <InboxOutlined />
                  </p>
                  <p className="ant-upload-text">{t('gridImport.drop')}</p>
                  <p className="ant-upload-hint">{t('gridImport.dropHint')}</p>
                </Upload.Dragger>
              </div>
              {file && (
                <Alert
                  style={{ marginTop: 12 }}
                  type="info"
                  showIcon
                  data-testid="grid-import-chosen"
                  title={t('gridImport.chosen', { name: file.name, size: fmtSize(file.size) })}
                />
              )}
            </Col>
            <Col xs={24} lg={11}>
              <Typography.Title level={5} style={{ marginTop: 0 }}>
                {t('gridImport.datum')}
              </Typography.Title>
              <Radio.Group value={crs} onChange={(e) => setCrs(e.target.value as Crs)} data-testid="grid-import-crs">
                <Space orientation="vertical">
                  {CRS_LIST.map((c) => (
                    <Radio key={c} value={c} data-testid={`grid-import-crs-${c}`}>
                      <Typography.Text strong>{t(`gridImport.crs.${c}`)}</Typography.Text>{' '}
                      <Typography.Text type="secondary">{t(`gridImport.crsHint.${c}`)}</Typography.Text>
                    </Radio>
                  ))}
                </Space>
              </Radio.Group>
              <Typography.Paragraph type="secondary" style={{ marginTop: 16, fontSize: 13 }}>
                {t('gridImport.propertiesHint')}
              </Typography.Paragraph>
              <Button type="primary" disabled={!file} onClick={() => void runCheck()} data-testid="grid-import-check">
                {t('gridImport.checkButton')}
              </Button>
            </Col>
          </Row>
        )}
        {step > 0 && (
          <Row gutter={[24, 16]}>
            <Col xs={24} lg={9}>
              <PhaseList phases={phases} showSaving={step === 2} />
              {file && (
                <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8 }}>
                  {t('gridImport.chosen', { name: file.name, size: fmtSize(file.size) })} · {t(`gridImport.crs.${crs}`)}
                </Typography.Paragraph>
              )}
              {preview && preview.length > 0 && (
                <FilePreview shapes={preview} problems={checked?.errors ?? []} located={located} />
              )}
            </Col>
            <Col xs={24} lg={15}>
              {failure && <Alert type="error" showIcon title={failure} style={{ marginBottom: 12 }} data-testid="grid-import-failure" />}
              {step === 1 && checked && checked.ok && (
                <div data-testid="grid-import-ok">
                  <Alert
                    type="success"
                    showIcon
                    title={t('gridImport.checkOk', { total: checked.total })}
                    description={t('gridImport.plan', { created: checked.created, updated: checked.updated, unchanged: checked.unchanged })}
                  />
                  <Space style={{ marginTop: 16 }}>
                    <Button type="primary" icon={<CloudUploadOutlined />} loading={busy} onClick={() => void runImport()} data-testid="grid-import-go">
                      {t('gridImport.importButton', { total: checked.total })}
                    </Button>
                    <Button onClick={reset}>{t('gridImport.another')}</Button>
                  </Space>
                </div>
              )}
              {step === 1 && checked && !checked.ok && (
                <div data-testid="grid-import-errors">
                  <Alert
                    type="error"
                    showIcon
                    title={t('gridImport.checkFailed', { count: checked.errors.length })}
                    description={t('gridImport.checkFailedHint')}
                    style={{ marginBottom: 12 }}
                  />
                  <ProblemTable
                    problems={checked.errors}
                    testId="grid-import-problems"
                    onLocate={(p) => {
                      const lng = Number(p.params.lng);
                      const lat = Number(p.params.lat);
                      setLocated({ id: problemId(p), bounds: [lng - 0.003, lat - 0.0025, lng + 0.003, lat + 0.0025] });
                    }}
                  />
                  <Button icon={<ReloadOutlined />} onClick={reset} style={{ marginTop: 12 }} data-testid="grid-import-again">
                    {t('gridImport.chooseAgain')}
                  </Button>
                </div>
              )}
              {step === 2 && imported && <Summary result={imported} onAnother={reset} />}
              {step === 2 && !imported && failure && (
                <Button icon={<ReloadOutlined />} onClick={reset}>
                  {t('gridImport.chooseAgain')}
                </Button>
              )}
            </Col>
          </Row>
        )}
      </Card>
      <Exports />
    </Space>
  );
}

const problemId = (p: GridProblemOut) => `${p.index ?? 'f'}-${p.code}-${p.params.lng}-${p.params.lat}`;

/** The file's outlines in WGS-84 for the preview (converted from GCJ-02 / BD-09 the way the server does). */
async function previewShapes(parsed: unknown, crs: Crs): Promise<MapShape[]> {
  const features = (parsed as { type?: string; features?: unknown[] } | null)?.features;
  if (!Array.isArray(features)) return [];
  const areas = features
    .slice(0, PREVIEW_MAX)
    .map((f, i) => ({ i, g: (f as { geometry?: { type?: string; coordinates?: unknown } } | null)?.geometry }))
    .filter((x): x is { i: number; g: AreaGeometry } => (x.g?.type === 'Polygon' || x.g?.type === 'MultiPolygon') && Array.isArray(x.g.coordinates));
  let geometries = areas.map((a) => a.g);
  if (crs !== 'WGS84' && geometries.length) {
    try {
      const { default: gcoord } = await import('gcoord');
      const fc = { type: 'FeatureCollection' as const, features: geometries.map((g) => ({ type: 'Feature' as const, properties: {}, geometry: g })) };
      const out = gcoord.transform(structuredClone(fc) as never, crs === 'GCJ02' ? gcoord.GCJ02 : gcoord.BD09, gcoord.WGS84) as unknown as typeof fc;
      geometries = out.features.map((f) => f.geometry as AreaGeometry);
    } catch {
      return [];
    }
  }
  // a feature with coordinates a map cannot draw (projected metres, NaN) is left out of the preview
  return geometries
    .map((geometry, k) => ({ id: `f-${areas[k]!.i}`, kind: 'draft' as const, geometry }))
    .filter((s) => {
      const b = boundsOf([s.geometry]);
      return !!b && b.every(Number.isFinite) && b[0] >= -180 && b[2] <= 180 && b[1] >= -90 && b[3] <= 90;
    });
}

function FilePreview({ shapes, problems, located }: { shapes: MapShape[]; problems: GridProblemOut[]; located: { id: string; bounds: Bounds } | null }) {
  const { t } = useTranslation();
  const grids = useGrids();
  const existing: MapGrid[] = useMemo(
    () =>
      (grids.data?.features ?? [])
        .filter((f) => f.properties.gridClass === 'A')
        .map((f) => ({
          id: f.id,
          code: f.properties.code,
          name: f.properties.name,
          gridClass: f.properties.gridClass,
          level: 1,
          geometry: f.geometry as AreaGeometry,
          label: [f.properties.labelLng, f.properties.labelLat],
        })),
    [grids.data],
  );
  const points: MapPoint[] = useMemo(
    () =>
      problems
        .filter((p) => Number.isFinite(Number(p.params.lng)) && Number.isFinite(Number(p.params.lat)) && p.params.lng !== undefined)
        .map((p) => ({ id: problemId(p), lng: Number(p.params.lng), lat: Number(p.params.lat) })),
    [problems],
  );
  const all = useMemo(() => boundsOf(shapes.map((s) => s.geometry)), [shapes]);
  const fitTo = located ? { bounds: located.bounds, key: `${located.id}-${located.bounds.join()}` } : all ? { bounds: all, key: 'file' } : null;
  return (
    <div style={{ marginTop: 8 }} data-testid="grid-import-preview">
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('gridImport.previewHint')}
      </Typography.Text>
      <Suspense fallback={null}>
        <GridAdminMap grids={existing} shapes={shapes} points={points} selectedPointId={located?.id ?? null} fitTo={fitTo} height={320} testId="grid-import-map" />
      </Suspense>
    </div>
  );
}

function PhaseList({ phases, showSaving }: { phases: Phases; showSaving: boolean }) {
  const { t } = useTranslation();
  const names: PhaseName[] = showSaving ? ['reading', 'validating', 'saving'] : ['reading', 'validating'];
  return (
    <div data-testid="grid-import-phases">
      {names.map((name) => {
        const p = phases[name];
        return (
          <div key={name} style={{ marginBottom: 12 }} data-testid={`phase-${name}`} data-status={p.status}>
            <Space style={{ width: '100%', justifyContent: 'space-between' }}>
              <Typography.Text strong={p.status === 'active'} type={p.status === 'wait' ? 'secondary' : undefined}>
                {t(`gridImport.phase.${name}`)}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {p.note ?? t(`gridImport.phaseStatus.${p.status}`)}
              </Typography.Text>
            </Space>
            <Progress
              percent={p.percent ?? 100}
              showInfo={p.percent !== null && p.status !== 'wait'}
              status={p.status === 'error' ? 'exception' : p.status === 'done' ? 'success' : p.status === 'active' ? 'active' : 'normal'}
              size="small"
            />
          </div>
        );
      })}
    </div>
  );
}

function Summary({ result, onAnother }: { result: Imported; onAnother: () => void }) {
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

function divisionOptions(nodes: GridTreeNode[]): { value: string; title: string; children?: ReturnType<typeof divisionOptions> }[] {
  return nodes
    .filter((n) => n.kind === 'division')
    .map((n) => {
      const kids = divisionOptions(n.children);
      return { value: n.code, title: `${n.name}（${n.code}）`, ...(kids.length ? { children: kids } : {}) };
    });
}

function Exports() {
  const { t } = useTranslation();
  const tree = useGridTree();
  const [crs, setCrs] = useState<Crs>('WGS84');
  const [parent, setParent] = useState<string | undefined>();
  const [people, setPeople] = useState<{ busy: boolean; result?: PeopleImportResult; problems?: GridProblemOut[]; failure?: string; name?: string }>({ busy: false });
  const client = useQueryClient();

  const importPeople = async (file: File) => {
    setPeople({ busy: true, name: file.name });
    try {
      const result = await writes.importPeople(file, file.name);
      setPeople({ busy: false, result, name: file.name });
      void client.invalidateQueries({ queryKey: gridKeys.details() });
    } catch (err) {
      const problems = problemsOf(err);
      setPeople({ busy: false, name: file.name, ...(problems.length ? { problems } : { failure: err instanceof Error ? err.message : String(err) }) });
    }
  };

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={10}>
        <Card title={t('gridImport.exportTitle')} style={{ height: '100%' }}>
          <Descriptions
            size="small"
            column={1}
            items={[
              {
                key: 'crs',
                label: t('gridImport.datum'),
                children: (
                  <Select<Crs>
                    value={crs}
                    onChange={setCrs}
                    style={{ width: '100%' }}
                    data-testid="grid-export-crs"
                    options={CRS_LIST.map((c) => ({ value: c, label: `${t(`gridImport.crs.${c}`)} · ${t(`gridImport.crsHint.${c}`)}` }))}
                  />
                ),
              },
              {
                key: 'parent',
                label: t('gridImport.exportScope'),
                children: (
                  <TreeSelect
                    allowClear
                    value={parent}
                    onChange={setParent}
                    placeholder={t('gridImport.exportAll')}
                    style={{ width: '100%' }}
                    treeDefaultExpandAll
                    treeData={divisionOptions(tree.data?.roots ?? [])}
                  />
                ),
              },
            ]}
          />
          <Button type="primary" icon={<DownloadOutlined />} href={DOWNLOADS.geojson(crs, parent)} download data-testid="grid-export-geojson" style={{ marginTop: 8 }}>
            {t('gridImport.exportGeojson')}
          </Button>
        </Card>
      </Col>
      <Col xs={24} lg={14}>
        <Card title={t('gridImport.peopleTitle')} style={{ height: '100%' }}>
          <Typography.Paragraph type="secondary">{t('gridImport.peopleHint')}</Typography.Paragraph>
          <Space wrap>
            <Button icon={<FileExcelOutlined />} href={DOWNLOADS.people} download data-testid="grid-export-people">
              {t('gridImport.peopleExport')}
            </Button>
            <Button icon={<DownloadOutlined />} href={DOWNLOADS.peopleTemplate} download data-testid="grid-people-template">
              {t('gridImport.peopleTemplate')}
            </Button>
            <span data-testid="grid-people-upload">
              <Upload
                accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                showUploadList={false}
                beforeUpload={(f) => {
                  void importPeople(f);
                  return false;
                }}
              >
                <Button type="primary" icon={<CloudUploadOutlined />} loading={people.busy} data-testid="grid-people-import">
                  {t('gridImport.peopleImport')}
                </Button>
              </Upload>
            </span>
          </Space>
          {people.result && (
            <Alert
              type="success"
              showIcon
              style={{ marginTop: 12 }}
              data-testid="grid-people-import-ok"
              title={t('gridImport.peopleDone', { rows: people.result.rows, grids: people.result.grids, removed: people.result.removed })}
            />
          )}
          {people.failure && <Alert type="error" showIcon style={{ marginTop: 12 }} title={people.failure} />}
          {people.problems && (
            <div style={{ marginTop: 12 }} data-testid="grid-people-import-errors">
              <Alert
                type="error"
                showIcon
                style={{ marginBottom: 8 }}
                title={t('gridImport.peopleFailed', { name: people.name ?? '', count: people.problems.length })}
              />
              <ProblemTable problems={people.problems} kind="sheet" testId="grid-people-problems" pageSize={8} />
            </div>
          )}
        </Card>
      </Col>
    </Row>
  );
}
