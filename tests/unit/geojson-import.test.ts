// Grid import from GeoJSON: all-or-nothing, every problem collected and named by feature; export in any datum
// re-imports to the same grids.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as turf from '@turf/turf';
import type { Feature, FeatureCollection, Polygon, Position } from 'geojson';
import { parseGridImport, toGridExport, type GridImportResult } from '../../src/domain/grids/geojson-import.js';
import { renderFeatureProblem } from '../../src/domain/grids/messages.js';

const read = (n: string) => JSON.parse(readFileSync(new URL(`../fixtures/grids/${n}`, import.meta.url), 'utf8')) as FeatureCollection<Polygon>;
const X = 116.66;
const Y = 35.43;
const rect = (x0: number, y0: number, x1: number, y1: number): Polygon => ({
  type: 'Polygon',
  coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]],
});
const feature = (properties: Record<string, unknown> | null, geometry: unknown): Feature => ({ type: 'Feature', properties, geometry } as Feature);
const collection = (...features: unknown[]) => ({ type: 'FeatureCollection', features });
const community = { code: '370871005001', geometry: read('community.geojson').features[0]!.geometry };

function errorsOf(r: GridImportResult) {
  if (r.ok) throw new Error('expected the import to be refused');
  return r.errors;
}
function gridsOf(r: GridImportResult) {
  if (!r.ok) throw new Error(`expected the import to pass: ${JSON.stringify(r.errors)}`);
  return r.grids;
}

describe('parseGridImport: good files', () => {
  it('imports the fixture tiles as A-class grids in WGS-84', () => {
    const grids = gridsOf(parseGridImport(read('tiles-clean.geojson'), { crs: 'WGS84', parents: [community] }));
    expect(grids.map((g) => [g.code, g.name, g.parentCode, g.gridClass])).toEqual([
      ['37087100500101', '第一网格', '370871005001', 'A'],
      ['37087100500102', '第二网格', '370871005001', 'A'],
      ['37087100500103', '第三网格', '370871005001', 'A'],
      ['37087100500104', '第四网格', '370871005001', 'A'],
    ]);
    expect(grids[0]!.geometry).toEqual(read('tiles-clean.geojson').features[0]!.geometry);
    expect(grids[0]!.properties).toEqual({});
    expect(grids[0]).not.toHaveProperty('level');
  });

  it('reads Chinese property keys, numeric codes, class spellings, level, and keeps other properties', () => {
    const r = parseGridImport(
      collection(
        feature({ 编码: '37087100500101', 名称: '一网格', 上级编码: '370871005001', 类别: 'b', 面积: 12.5 }, rect(X, Y, X + 0.01, Y + 0.01)),
        feature({ code: 37087100500102, name: ' 二网格 ', parent: 370871005001, class: 'C类', level: 1 }, rect(X + 0.01, Y, X + 0.02, Y + 0.01)),
        feature({ code: '37087100500103', name: '三网格', parent: '370871005001', class: '', 层级: '2' }, rect(X, Y + 0.01, X + 0.01, Y + 0.02)),
      ),
      { crs: 'WGS84' },
    );
    const grids = gridsOf(r);
    expect(grids.map((g) => [g.code, g.name, g.parentCode, g.gridClass, g.level])).toEqual([
      ['37087100500101', '一网格', '370871005001', 'B', undefined],
      ['37087100500102', '二网格', '370871005001', 'C', 1],
      ['37087100500103', '三网格', '370871005001', 'A', 2],
    ]);
    expect(grids[0]!.properties).toEqual({ 面积: 12.5 });
  });

  it('accepts the file text (with a BOM) as well as the parsed object', () => {
    const text = '\uFEFF' + readFileSync(new URL('../fixtures/grids/tiles-clean.geojson', import.meta.url), 'utf8');
    expect(gridsOf(parseGridImport(text, { crs: 'WGS84' }))).toHaveLength(4);
  });

  it('imports several levels at once, checking children against parents from the same file', () => {
    const r = parseGridImport(
      collection(
        feature({ code: '37087100500101', name: '一级', parent: '370871005001' }, rect(X, Y, X + 0.02, Y + 0.02)),
        feature({ code: '3708710050010101', name: '二级', parent: '37087100500101' }, rect(X, Y, X + 0.01, Y + 0.01)),
      ),
      { crs: 'WGS84', parents: [{ code: '370871005001' }] },
    );
    expect(gridsOf(r).map((g) => g.parentCode)).toEqual(['370871005001', '37087100500101']);
  });

  it('uses the default parent for features that name none', () => {
    const r = parseGridImport(collection(feature({ code: '37087100500101', name: '一网格' }, rect(X, Y, X + 0.01, Y + 0.01))), {
      crs: 'WGS84',
      defaultParentCode: '370871005001',
    });
    expect(gridsOf(r)[0]!.parentCode).toBe('370871005001');
  });

  it('drops repeated consecutive vertices from stored boundaries', () => {
    const g = rect(X, Y, X + 0.01, Y + 0.01);
    g.coordinates[0]!.splice(2, 0, [...g.coordinates[0]![2]!]);
    const grids = gridsOf(parseGridImport(collection(feature({ code: '37087100500101', name: 'a', parent: '370871005001' }, g)), { crs: 'WGS84' }));
    expect(grids[0]!.geometry).toEqual(rect(X, Y, X + 0.01, Y + 0.01));
  });
});

describe('parseGridImport: bad files are refused with every problem, naming the feature', () => {
  const bowtie: Polygon = { type: 'Polygon', coordinates: [[[X, Y], [X + 0.01, Y + 0.01], [X + 0.01, Y], [X, Y + 0.01], [X, Y]]] };
  const unclosed: Polygon = { type: 'Polygon', coordinates: [[[X, Y], [X + 0.01, Y], [X + 0.01, Y + 0.01], [X, Y + 0.01]]] };
  const file = collection(
    feature({ code: '37087100500101', name: '好网格', parent: '370871005001' }, rect(X, Y, X + 0.005, Y + 0.005)),
    feature({ code: '37087100500102', name: '自相交', parent: '370871005001' }, bowtie),
    feature({ name: '没有编码', parent: '370871005001' }, rect(X, Y, X + 0.005, Y + 0.005)),
    feature({ code: '37087100500104', name: '两处错误', parent: '370871005001', class: 'D' }, unclosed),
    feature({ code: '37087100500101', name: '重复', parent: '370871005001' }, rect(X + 0.005, Y, X + 0.01, Y + 0.005)),
    feature({ code: '37087100600106', name: '编码不对', parent: '370871005001' }, { type: 'LineString', coordinates: [[X, Y], [X + 1, Y]] }),
    { type: 'Point', coordinates: [X, Y] },
    feature({ code: '37087100500108', parent: '370871005001' }, null),
  );

  it('collects all errors, in feature order, and returns no grids', () => {
    const r = parseGridImport(file, { crs: 'WGS84' });
    expect(r.ok).toBe(false);
    expect(r).not.toHaveProperty('grids');
    expect(errorsOf(r).map((e) => [e.index, e.code, e.problem])).toEqual([
      [1, '37087100500102', 'self_intersection'],
      [2, undefined, 'missing_code'],
      [3, '37087100500104', 'invalid_class'],
      [3, '37087100500104', 'ring_not_closed'],
      [4, '37087100500101', 'duplicate_code'],
      [5, '37087100600106', 'not_polygon'],
      [5, '37087100600106', 'code_not_extending_parent'],
      [6, undefined, 'not_feature'],
      [7, '37087100500108', 'missing_name'],
      [7, '37087100500108', 'missing_geometry'],
    ]);
  });

  it('renders messages naming the feature by number and code, in Chinese and English', () => {
    const errors = errorsOf(parseGridImport(file, { crs: 'WGS84' }));
    const zh = errors.map((e) => renderFeatureProblem(e, 'zh-CN'));
    const en = errors.map((e) => renderFeatureProblem(e, 'en'));
    expect(zh[0]).toBe('第 2 个要素（编码 37087100500102）：边界自相交，位置 116.665,35.435（共 1 处）。');
    expect(en[0]).toBe('Feature 2 (code 37087100500102): ring self-intersects at 116.665,35.435 (1 place(s) in all).');
    expect(zh[1]).toBe('第 3 个要素：缺少网格编码（code / 编码）。');
    expect(zh[3]).toBe('第 4 个要素（编码 37087100500104）：第 1 个面的第 1 个环未闭合（首点 116.66,35.43，末点 116.66,35.44）。');
    expect(zh[4]).toBe('第 5 个要素（编码 37087100500101）：网格编码 37087100500101 重复（与第 1 个要素相同）。');
    expect(en[5]).toBe('Feature 6 (code 37087100600106): boundary is a LineString; it must be a Polygon or MultiPolygon.');
    expect(en[7]).toBe('Feature 7: is not a GeoJSON Feature.');
  });

  it('one bad feature among good ones refuses the whole file', () => {
    const fcoll = read('tiles-clean.geojson');
    (fcoll.features[2]!.geometry.coordinates[0]![1] as Position)[1] = 95;
    const errors = errorsOf(parseGridImport(fcoll, { crs: 'WGS84' }));
    expect(errors).toEqual([
      { index: 2, code: '37087100500103', problem: 'coordinate_out_of_range', params: { part: 1, ring: 1, position: 2, lng: 116.67125, lat: 95 } },
    ]);
  });

  it('refuses what is not a FeatureCollection, empty files, broken JSON and oversized files', () => {
    expect(errorsOf(parseGridImport({ type: 'Feature' }, { crs: 'WGS84' }))).toEqual([{ index: null, problem: 'not_feature_collection', params: {} }]);
    expect(errorsOf(parseGridImport([], { crs: 'WGS84' }))[0]!.problem).toBe('not_feature_collection');
    expect(errorsOf(parseGridImport(collection(), { crs: 'WGS84' }))[0]!.problem).toBe('no_features');
    const broken = errorsOf(parseGridImport('{"type": "FeatureCollection", ', { crs: 'WGS84' }));
    expect(broken[0]!.problem).toBe('invalid_json');
    expect(renderFeatureProblem(broken[0]!, 'zh-CN')).toMatch(/^文件不是有效的 JSON：/);
    expect(errorsOf(parseGridImport(read('tiles-clean.geojson'), { crs: 'WGS84', maxFeatures: 3 }))).toEqual([
      { index: null, problem: 'too_many_features', params: { count: 4, max: 3 } },
    ]);
  });

  it('refuses malformed codes and over-long names', () => {
    const errors = errorsOf(
      parseGridImport(
        collection(
          feature({ code: '3708-7100', name: 'a', parent: '3708' }, rect(X, Y, X + 0.01, Y + 0.01)),
          feature({ code: '37087100500102', name: '名'.repeat(101), parent: '370871005001' }, rect(X, Y, X + 0.01, Y + 0.01)),
          feature({ code: '37087100500103', name: 'b', parent: '370871005001', level: 0 }, rect(X, Y, X + 0.01, Y + 0.01)),
        ),
        { crs: 'WGS84' },
      ),
    );
    expect(errors.map((e) => [e.index, e.problem])).toEqual([
      [0, 'invalid_code'],
      [1, 'name_too_long'],
      [2, 'invalid_level'],
    ]);
  });

  it('refuses a missing parent, an unknown parent and a grid outside its parent when parents are given', () => {
    const errors = errorsOf(
      parseGridImport(
        collection(
          feature({ code: '37087100500101', name: 'a' }, rect(X, Y, X + 0.001, Y + 0.001)),
          feature({ code: '37087100900101', name: 'b', parent: '370871009001' }, rect(X, Y, X + 0.001, Y + 0.001)),
          feature({ code: '37087100500103', name: 'c', parent: '370871005001' }, rect(X + 0.1, Y + 0.1, X + 0.11, Y + 0.11)),
          feature({ code: '37087100500104', name: 'd', parent: '370871005001' }, read('tiles-clean.geojson').features[3]!.geometry),
        ),
        { crs: 'WGS84', parents: [community] },
      ),
    );
    expect(errors.map((e) => [e.index, e.problem])).toEqual([
      [0, 'missing_parent'],
      [1, 'unknown_parent'],
      [2, 'outside_parent'],
    ]);
    expect(errors[2]!.params.parent).toBe('370871005001');
  });

  it('checks the containment in WGS-84 after converting a GCJ-02 file', () => {
    // The tiles in GCJ-02 are ~500 m off their WGS-84 community; declared as WGS-84 they would stick out.
    const gcjTiles = toGridExport(
      gridsOf(parseGridImport(read('tiles-clean.geojson'), { crs: 'WGS84' })),
      'GCJ02',
    );
    expect(parseGridImport(gcjTiles, { crs: 'GCJ02', parents: [community] }).ok).toBe(true);
    const wrong = errorsOf(parseGridImport(gcjTiles, { crs: 'WGS84', parents: [community] }));
    expect(new Set(wrong.map((e) => e.problem))).toEqual(new Set(['outside_parent']));
  });
});

describe('toGridExport', () => {
  const grids = gridsOf(parseGridImport(read('tiles-clean.geojson'), { crs: 'WGS84' })).map((g, i) => ({
    ...g,
    level: i === 0 ? 1 : null,
    properties: { 备注: `第${i + 1}个`, code: 'stale' },
  }));

  it('writes the import property names and converts to the requested datum', () => {
    const out = toGridExport(grids, 'GCJ02');
    expect(out.type).toBe('FeatureCollection');
    expect(out.features[0]!.properties).toEqual({ 备注: '第1个', code: '37087100500101', name: '第一网格', parent: '370871005001', class: 'A', level: 1 });
    expect(out.features[1]!.properties).not.toHaveProperty('level');
    const shift = turf.distance((grids[0]!.geometry as Polygon).coordinates[0]![0]!, (out.features[0]!.geometry as Polygon).coordinates[0]![0]!, { units: 'meters' });
    expect(shift).toBeGreaterThan(300);
  });

  it('re-imports to the same grids in every datum', () => {
    for (const crs of ['WGS84', 'GCJ02', 'BD09'] as const) {
      const back = gridsOf(parseGridImport(toGridExport(grids, crs), { crs }));
      expect(back.map((g) => [g.code, g.name, g.parentCode, g.gridClass, g.properties])).toEqual(
        grids.map((g) => [g.code, g.name, g.parentCode, g.gridClass, { 备注: g.properties.备注 }]),
      );
      back.forEach((g, i) => {
        const a = grids[i]!.geometry.coordinates[0] as Position[];
        (g.geometry.coordinates[0] as Position[]).forEach((p, j) => expect(turf.distance(p, a[j]!, { units: 'meters' })).toBeLessThan(0.01));
      });
    }
  });
});
