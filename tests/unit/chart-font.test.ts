// Charts are rendered on the server (ECharts SSR → SVG → PNG with sharp). Chinese labels need a CJK font
// (fonts-noto-cjk); without one each character is the same missing-glyph box. Two charts whose titles differ only in
// their Chinese characters must therefore differ where the title is drawn, and the title must be drawn at all.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { barChartPng, cjkFontProblem, hotSpotMapPng, textPng } from '../../src/services/assessment/chart.js';

async function grey(png: Buffer) {
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

describe('server-side charts draw Chinese glyphs', () => {
  it('the start-up check finds a CJK font', async () => {
    expect(await cjkFontProblem()).toBeNull();
  });

  it('two titles with different Chinese characters draw different pixels (boxes would be identical)', async () => {
    const common = { labels: ['市容环境', '街面秩序', '园林绿化'], values: [12, 7, 3] };
    const a = await grey(await barChartPng({ title: '主要问题类别', ...common }));
    const b = await grey(await barChartPng({ title: '考核排名情况', ...common }));
    expect([a.width, a.height]).toEqual([b.width, b.height]);
    // the title band (top 15 %): ink present, and different between the two
    const band = Math.floor(a.height * 0.15) * a.width;
    let inkA = 0;
    let differ = 0;
    for (let i = 0; i < band; i++) {
      if (a.data[i]! < 128) inkA++;
      if (Math.abs(a.data[i]! - b.data[i]!) > 64) differ++;
    }
    expect(inkA).toBeGreaterThan(200);
    expect(differ).toBeGreaterThan(200);
  });

  it('a single character is drawn with strokes, not a blank', async () => {
    const g = await grey(await textPng('考'));
    expect([...g.data].filter((v) => v < 128).length).toBeGreaterThan(100);
  });

  it('the hot-spot map shades the grids by cases and draws the busiest grids by their Chinese names', async () => {
    const square = (x: number, y: number) => ({ type: 'Polygon' as const, coordinates: [[[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]] });
    const grids = (names: [string, string]) => [
      { id: 1, name: names[0], count: 12, geometry: square(116.5, 35.4) },
      { id: 2, name: names[1], count: 3, geometry: square(116.51, 35.4) },
      { id: 3, name: '无案件网格', count: 0, geometry: square(116.52, 35.4) },
    ];
    const a = await grey(await hotSpotMapPng({ title: '案件热点分布', grids: grids(['柳行社区第1网格', '接庄社区第2网格']) }));
    const b = await grey(await hotSpotMapPng({ title: '案件热点分布', grids: grids(['南集一村第3网格', '前王村第4网格']) }));
    expect([a.width, a.height]).toEqual([b.width, b.height]);
    // the shading is the same, only the labels differ: the names are drawn as different glyphs
    let differ = 0;
    for (let i = 0; i < a.data.length; i++) if (Math.abs(a.data[i]! - b.data[i]!) > 64) differ++;
    expect(differ).toBeGreaterThan(200);
    // the busiest grid is darker than the one without cases (greyscale of the fill, sampled across the map's middle row)
    const row = Math.floor(a.height * 0.55) * a.width;
    const line = [...a.data.subarray(row, row + a.width)];
    expect(Math.min(...line)).toBeLessThan(200);
  });
});
