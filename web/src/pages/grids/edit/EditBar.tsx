// The bar over the map while a boundary is edited
import { useMemo, useState } from 'react';
import { Alert, Button, Space, Typography } from 'antd';
import { CheckCircleOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { showSuccess } from '../../../notify';
import type { EditState } from '../../../components/grids/boundaryEditor';
import type { MapGrid } from '../../../components/grids/GridAdminMap';
import { type AreaGeometry, planarArea, reachesInto } from '../../../components/grids/gridGeo';
import { type GridDetail, type GridProblemOut, problemsOf, gridWrites as writes } from '../../../components/grids/gridsApi';
import { ProblemTable } from '../../../components/grids/ProblemTable';
import { gridKeys } from '../../../queryKeys';
import { asImportFeature, type EditSession } from './editSession';

export interface EditBarProps {
  grid: GridDetail;
  neighbours: MapGrid[];
  edit: EditSession;
  state: EditState | null;
  problems: GridProblemOut[] | null;
  setProblems: (p: GridProblemOut[] | null) => void;
  onRestart: () => void;
  onFinishDrawing: () => void;
  onSplit: () => void;
  onDone: () => void;
  onLocate: (lng: number, lat: number) => void;
}

export function EditBar({ grid, neighbours, edit, state, problems, setProblems, onRestart, onFinishDrawing, onSplit, onDone, onLocate }: EditBarProps) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [checkedKey, setCheckedKey] = useState<string | null>(null);
  const geometry = state?.geometry ?? null;
  const geometryKey = geometry ? JSON.stringify(geometry.coordinates) : null;
  const checkedOk = checkedKey !== null && checkedKey === geometryKey && problems?.length === 0;

  const areaRatio = geometry && checkedKey === geometryKey ? planarArea(geometry) / planarArea(grid.geometry as AreaGeometry) : 1;
  const reaching = useMemo(
    () => (geometry && checkedKey === geometryKey ? reachesInto(grid.geometry as AreaGeometry, geometry, neighbours) : []),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- geometryKey stands for geometry
    [checkedKey, geometryKey, neighbours, grid.geometry],
  );

  const check = useMutation({
    mutationFn: () => writes.validate('WGS84', asImportFeature(grid, geometry!)),
    onSuccess: (r) => {
      setProblems(r.errors);
      setCheckedKey(geometryKey);
    },
  });
  const save = useMutation({
    mutationFn: () => writes.update(grid.id, { version: grid.version, geometry: geometry!, crs: 'WGS84' }),
    meta: { silent: true },
    onSuccess: (d) => {
      client.setQueryData(gridKeys.detail(grid.id), d);
      void client.invalidateQueries({ queryKey: gridKeys.all });
      showSuccess(d.version > grid.version ? t('grids.edit.savedVersion', { version: d.version }) : t('grids.edit.unchanged'));
      onDone();
    },
    onError: (err) => {
      const p = problemsOf(err);
      if (p.length) setProblems(p);
      else setProblems([{ index: null, code: 'error', params: {}, message: (err as Error).message }]);
    },
  });

  const hint =
    edit.mode === 'vertices' ? t('grids.edit.hintVertices') : edit.mode === 'draw' ? t('grids.edit.hintDraw') : t('grids.edit.hintSplit');
  const points = state?.points.length ?? 0;
  return (
    <div className="gw-edit-bar" data-testid="grid-edit-bar" data-mode={edit.mode}>
      <Alert
        type="info"
        showIcon
        title={
          <Space wrap size={8}>
            <Typography.Text strong>{t(`grids.edit.title.${edit.mode}`, { name: grid.name })}</Typography.Text>
            <Typography.Text type="secondary">{hint}</Typography.Text>
          </Space>
        }
        description={
          <Space wrap size={8} style={{ marginTop: 4 }}>
            {edit.mode === 'draw' && (
              <Button size="small" type="primary" disabled={points < 3} onClick={onFinishDrawing} data-testid="grid-edit-finish">
                {t('grids.edit.finishDrawing', { count: points })}
              </Button>
            )}
            {edit.mode === 'split' && (
              <Button size="small" type="primary" danger disabled={points < 2} onClick={onSplit} data-testid="grid-edit-split-go">
                {t('grids.edit.splitGo', { count: points })}
              </Button>
            )}
            {edit.mode === 'vertices' && (
              <>
                <Button size="small" icon={<CheckCircleOutlined />} disabled={!geometry} loading={check.isPending} onClick={() => check.mutate()} data-testid="grid-edit-check">
                  {t('grids.edit.check')}
                </Button>
                <Button
                  size="small"
                  type="primary"
                  disabled={!geometry || (problems !== null && problems.length > 0 && checkedKey === geometryKey)}
                  loading={save.isPending}
                  onClick={() => save.mutate()}
                  data-testid="grid-edit-save"
                >
                  {t('grids.edit.save')}
                </Button>
              </>
            )}
            <Button size="small" onClick={onRestart}>
              {t('grids.edit.restart')}
            </Button>
            <Button size="small" onClick={onDone} data-testid="grid-edit-cancel">
              {t('common.cancel')}
            </Button>
            {state?.tooManyVertices && <Typography.Text type="warning">{t('grids.edit.tooMany')}</Typography.Text>}
          </Space>
        }
      />
      {checkedOk && (
        <Alert
          type="success"
          showIcon
          style={{ marginTop: 8 }}
          data-testid="grid-edit-ok"
          title={t('grids.edit.checkOk')}
          description={
            <span>
              {t('grids.edit.checkOkHint')} <Link to={`/grids/coverage?parent=${encodeURIComponent(grid.parent.code)}`}>{t('menu.gridCoverage')}</Link>
            </span>
          }
        />
      )}
      {grid.gridClass === 'A' && areaRatio < 0.98 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 8 }}
          data-testid="grid-edit-shrinks"
          title={t('grids.edit.shrinks', { percent: Math.round((1 - areaRatio) * 100) })}
        />
      )}
      {reaching.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 8 }}
          data-testid="grid-edit-neighbours"
          title={t('grids.edit.reachesInto', { names: reaching.map((n) => n.name).join('、') })}
          description={t('grids.edit.reachesIntoHint')}
        />
      )}
      {problems && problems.length > 0 && (
        <div style={{ marginTop: 8 }}>
          <Alert type="error" showIcon title={t('grids.edit.problems', { count: problems.length })} style={{ marginBottom: 8 }} />
          <ProblemTable
            problems={problems}
            testId="grid-edit-problems"
            pageSize={5}
            onLocate={(p) => onLocate(Number(p.params.lng), Number(p.params.lat))}
          />
        </div>
      )}
    </div>
  );
}
