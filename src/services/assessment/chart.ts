// Charts for documents, rendered on the server: ECharts server-side rendering to SVG, rasterised to PNG by sharp
// (librsvg + fontconfig). Chinese labels need a CJK font on the machine (Debian: fonts-noto-cjk); without one every
// label is drawn as a box, so the platform checks at start (cjkFontProblem) and says what to install.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as echarts from 'echarts';
import sharp from 'sharp';

/** The font family charts ask for; fontconfig falls back within CJK families when this exact one is missing. */
export const CHART_FONT = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', sans-serif";

/** A bar chart (one series) as PNG. */
export async function barChartPng(opts: { title: string; labels: string[]; values: number[]; width?: number; height?: number }): Promise<Buffer> {
  const width = opts.width ?? 640;
  const height = opts.height ?? 320;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: CHART_FONT },
    title: { text: opts.title, left: 'center', textStyle: { fontFamily: CHART_FONT, fontSize: 16 } },
    grid: { left: 48, right: 24, top: 72, bottom: 56 },
    xAxis: { type: 'category', data: opts.labels, axisLabel: { fontFamily: CHART_FONT, interval: 0, fontSize: 12 } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { fontFamily: CHART_FONT } },
    series: [{ type: 'bar', data: opts.values, itemStyle: { color: '#1677ff' }, label: { show: true, position: 'top', fontFamily: CHART_FONT } }],
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return sharp(Buffer.from(svg), { density: 144 }).png().toBuffer();
}

/** Text alone as PNG, in a given font family (for the font check). */
export async function textPng(text: string, fontFamily = CHART_FONT): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60"><rect width="120" height="60" fill="#fff"/><text x="10" y="44" font-size="40" font-family="${fontFamily.replace(/"/g, '')}" fill="#000">${text}</text></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/**
 * Null when Chinese text is drawn as glyphs; otherwise what to install. Two different characters drawn as the
 * missing-glyph box look the same, real glyphs do not — so the check draws 考 and 核 and compares the pixels.
 */
export async function cjkFontProblem(): Promise<string | null> {
  try {
    const { stdout } = await promisify(execFile)('fc-list', [':lang=zh', 'family'], { timeout: 5000 });
    if (!stdout.trim()) return 'no Chinese (CJK) font is installed: charts and reports would show boxes. Install one, e.g. `apt-get install fonts-noto-cjk`.';
  } catch {
    // no fontconfig tools: fall through to drawing
  }
  const [a, b] = await Promise.all([textPng('考'), textPng('核')]);
  const [ra, rb] = await Promise.all([sharp(a).greyscale().raw().toBuffer(), sharp(b).greyscale().raw().toBuffer()]);
  let differ = 0;
  for (let i = 0; i < ra.length; i++) if (Math.abs(ra[i]! - rb[i]!) > 64) differ++;
  return differ > 50 ? null : 'Chinese characters are drawn as boxes: install a CJK font, e.g. `apt-get install fonts-noto-cjk`.';
}
