// Pure rules behind the rest of administration: a department contact's phone in one written form, the shipped
// GB/T 2260 county list, and reading communities/villages from GeoJSON (every bad feature named).
import { describe, expect, it } from 'vitest';
import { normaliseContactPhone } from '../../src/domain/department-contacts.js';
import { findGbt2260District, gbt2260Size, searchGbt2260Districts } from '../../src/domain/gbt2260/index.js';
import { parseDivisionsGeoJson } from '../../src/domain/divisions-sheet.js';

describe('department contact phones', () => {
  it('accepts mobiles and office lines with an area code, in one form', () => {
    expect(normaliseContactPhone('+86 139 0537 1234')).toBe('13905371234');
    expect(normaliseContactPhone('0537 2345678')).toBe('0537-2345678');
    expect(normaliseContactPhone('（010）87654321-12')).toBe('010-87654321-12');
    for (const bad of ['12345', '2345678', '0537-1234567', 'abc', '']) expect(normaliseContactPhone(bad), bad).toBeNull();
  });
});

describe('the GB/T 2260 county list', () => {
  it('covers the country and Shandong’s districts, found by code or name', () => {
    expect(gbt2260Size()).toBeGreaterThan(2800);
    expect(findGbt2260District('370871')).toMatchObject({ name: '济宁高新技术产业开发区', city: '济宁市', province: '山东省' });
    const shandong = searchGbt2260Districts('37', 1000);
    expect(shandong.length).toBeGreaterThan(100);
    expect(shandong.every((d) => d.code.startsWith('37'))).toBe(true);
    expect(searchGbt2260Districts('济宁 邹城').map((d) => d.code)).toEqual(['370883']);
    expect(findGbt2260District('110101')?.fullName).toBe('北京市 东城区');
    expect(searchGbt2260Districts('  ')).toEqual([]);
  });
});

describe('communities and villages from GeoJSON', () => {
  it('reads code, name and level (English or Chinese keys); names every bad feature', () => {
    const g = { type: 'Polygon', coordinates: [] };
    const ok = parseDivisionsGeoJson({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { code: '370871005001', name: '甲社区' }, geometry: g },
      { type: 'Feature', properties: { 编码: '370871005201', 名称: '乙村', 级别: '村' }, geometry: g },
    ] });
    expect(ok.problems).toEqual([]);
    expect(ok.rows.map((r) => [r.index, r.code, r.level])).toEqual([[0, '370871005001', 'community'], [1, '370871005201', 'village']]);
    const bad = parseDivisionsGeoJson({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { code: '370871005001', name: '甲' }, geometry: g },
      { type: 'Feature', properties: { code: '370871005001', name: '甲二' }, geometry: g },
      { type: 'Feature', properties: { code: '370871005002', level: '小区' }, geometry: g },
    ] });
    expect(bad.problems.map((p) => [p.index, p.problem])).toEqual([[1, 'division_import_duplicate'], [2, 'division_import_missing'], [2, 'division_import_level']]);
    expect(parseDivisionsGeoJson({ type: 'Point' }).problems[0]!.problem).toBe('division_import_unreadable');
    expect(parseDivisionsGeoJson({ type: 'FeatureCollection', features: [] }).problems[0]!.problem).toBe('division_import_empty');
  });
});
