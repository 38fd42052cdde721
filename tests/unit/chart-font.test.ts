// Charts are rendered on the server (ECharts SSR → SVG → PNG with sharp). Chinese labels need a CJK font
// (fonts-noto-cjk); without one each character is the same missing-glyph box. Two charts whose titles differ only in
// their Chinese characters must therefore differ where the title is drawn, and the title must be drawn at all.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { barChartPng, cjkFontProblem, textPng } from '../../src/services/assessment/chart.js';

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
});
