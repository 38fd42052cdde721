// 网格导入 (/grids/import, administrators): a three-step wizard — choose a .geojson file and its datum; check it
// (dry run) with progress per phase and every problem in a table; import it (all or nothing) and read the summary.
// Below: exports (GeoJSON in a chosen datum, the people sheet, its template) and the people-sheet import.
import { useRef, useState } from 'react';
import { Alert, Button, Card, Col, Radio, Row, Space, Steps, Typography, Upload } from 'antd';
import { CloudUploadOutlined, InboxOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ApiError } from '../../api';
import { showSuccess } from '../../notify';
import { CRS_LIST, type Crs, problemsOf, gridWrites as writes } from '../../components/grids/gridsApi';
import { ProblemTable } from '../../components/grids/ProblemTable';
import type { MapShape } from '../../components/grids/GridAdminMap';
import { type Bounds } from '../../components/grids/gridGeo';
import { gridKeys } from '../../queryKeys';
import { type Checked, fmtSize, type Imported, type Phase, type PhaseName, type Phases, previewShapes, problemId, readText, WAITING } from './import/importFlow';
import { FilePreview } from './import/FilePreview';
import { PhaseList } from './import/PhaseList';
import { Summary } from './import/Summary';
import { Exports } from './import/Exports';

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
