// Picks the grid for a 'route' move: every grid, nearest to the case's position first (the containing one, if
// any, preselected by being first).
import { Select } from 'antd';
import type { CaseDetail } from '../../../../src/shared/api';
import { gridAt } from '../../map/geo';
import { useGrids } from '../../queries';

interface Props {
  c: CaseDetail;
  value?: number;
  onChange?: (id: number) => void;
}

export function GridSelect({ c, value, onChange }: Props) {
  const grids = useGrids();
  const features = grids.data?.features ?? [];
  const containing = gridAt(grids.data, c.lng, c.lat);
  const dist = (lng: number, lat: number) => (lng - c.lng) ** 2 * Math.cos((c.lat * Math.PI) / 180) ** 2 + (lat - c.lat) ** 2;
  const sorted = [...features].sort(
    (a, b) =>
      Number(b.id === containing?.id) - Number(a.id === containing?.id) ||
      dist(a.properties.labelLng, a.properties.labelLat) - dist(b.properties.labelLng, b.properties.labelLat),
  );
  return (
    <Select
      data-testid="move-grid"
      value={value}
      onChange={onChange}
      loading={grids.isLoading}
      showSearch={{ optionFilterProp: 'label' }}
      options={sorted.map((f) => ({ value: f.properties.id, label: `${f.properties.name} · ${f.properties.communityName}` }))}
    />
  );
}
