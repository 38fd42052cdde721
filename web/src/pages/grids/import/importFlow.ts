// The grid import's steps and their state (reading the file, the dry-run check, the import) and the file's preview
// outlines.
import { type Crs, type GridProblemOut } from '../../../components/grids/gridsApi';
import type { MapShape } from '../../../components/grids/GridAdminMap';
import { type AreaGeometry, boundsOf } from '../../../components/grids/gridGeo';

/** the preview draws at most this many of the file's outlines */
export const PREVIEW_MAX = 2000;

export type PhaseName = 'reading' | 'validating' | 'saving';

export type PhaseStatus = 'wait' | 'active' | 'done' | 'error';

export interface Phase {
  status: PhaseStatus;
  /** 0…100, or null while the server works and nobody can say how far it is */
  percent: number | null;
  note?: string;
}

export type Phases = Record<PhaseName, Phase>;

export const WAITING: Phases = {
  reading: { status: 'wait', percent: 0 },
  validating: { status: 'wait', percent: 0 },
  saving: { status: 'wait', percent: 0 },
};

export interface Checked {
  ok: boolean;
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: GridProblemOut[];
}

export interface Imported {
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  grids: { code: string; action: 'create' | 'update' | 'unchanged'; id: number | null }[];
}

export function readText(file: File, onProgress: (f: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    reader.onload = () => resolve(String(reader.result ?? ''));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsText(file, 'utf-8');
  });
}

export const fmtSize = (n: number) => (n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);

export const problemId = (p: GridProblemOut) => `${p.index ?? 'f'}-${p.code}-${p.params.lng}-${p.params.lat}`;

/** The file's outlines in WGS-84 for the preview (converted from GCJ-02 / BD-09 the way the server does). */
export async function previewShapes(parsed: unknown, crs: Crs): Promise<MapShape[]> {
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
