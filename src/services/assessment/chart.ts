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

export interface HotSpotGrid {
  id: number;
  name: string;
  count: number;
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };
}

/**
 * The hot-spot map (热点分布图) as PNG: the area's grid polygons shaded by the month's cases per grid (a
 * choropleth — ECharts' map series over the grids as GeoJSON), the busiest grids labelled with name and count.
 */
export async function hotSpotMapPng(opts: { title: string; grids: HotSpotGrid[]; labelled?: number; width?: number; height?: number }): Promise<Buffer> {
  const width = opts.width ?? 640;
  const height = opts.height ?? 480;
  // one name, registered again for each map: registration, option and rendering run synchronously, so no other
  // rendering can interleave, and registered maps do not pile up
  const mapName = 'gridwork-grids';
  // features named by grid id: grid names need not be unique across communities
  echarts.registerMap(mapName, {
    type: 'FeatureCollection',
    features: opts.grids.map((g) => ({ type: 'Feature', properties: { name: String(g.id) }, geometry: g.geometry })),
  } as unknown as Parameters<typeof echarts.registerMap>[1]);
  const top = new Set([...opts.grids].filter((g) => g.count > 0).sort((a, b) => b.count - a.count || a.id - b.id).slice(0, opts.labelled ?? 5).map((g) => g.id));
  const max = Math.max(1, ...opts.grids.map((g) => g.count));
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: CHART_FONT },
    title: { text: opts.title, left: 'center', textStyle: { fontFamily: CHART_FONT, fontSize: 16 } },
    visualMap: {
      min: 0,
      max,
      left: 16,
      bottom: 16,
      text: ['多', '少'],
      calculable: false,
      inRange: { color: ['#f0f9ff', '#fde68a', '#f97316', '#b91c1c'] },
      textStyle: { fontFamily: CHART_FONT },
    },
    series: [
      {
        type: 'map',
        map: mapName,
        top: 56,
        bottom: 24,
        roam: false,
        itemStyle: { borderColor: '#64748b', borderWidth: 0.6 },
        label: { show: false },
        data: opts.grids.map((g) => ({
          name: String(g.id),
          value: g.count,
          label: top.has(g.id)
            ? { show: true, formatter: `${g.name}\n${g.count}件`, fontFamily: CHART_FONT, fontSize: 11, color: '#111827', backgroundColor: 'rgba(255,255,255,0.8)', padding: 2 }
            : { show: false },
        })),
      },
    ],
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return sharp(Buffer.from(svg), { density: 144 }).png().toBuffer();
}
