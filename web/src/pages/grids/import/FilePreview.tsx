// The chosen file drawn on the map before it is checked, with its problems marked.
import { lazy, Suspense, useMemo } from 'react';
import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { type GridProblemOut } from '../../../components/grids/gridsApi';
import type { MapGrid, MapPoint, MapShape } from '../../../components/grids/GridAdminMap';
import { type AreaGeometry, type Bounds, boundsOf } from '../../../components/grids/gridGeo';
import { useGrids } from '../../../queries';
import { problemId } from './importFlow';

const GridAdminMap = lazy(() => import('../../../components/grids/GridAdminMap'));

export function FilePreview({ shapes, problems, located }: { shapes: MapShape[]; problems: GridProblemOut[]; located: { id: string; bounds: Bounds } | null }) {
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
