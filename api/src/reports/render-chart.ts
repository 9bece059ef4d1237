// The digest's charts as PNG images, drawn on the server by chart.js on @napi-rs/canvas (Skia; its binary
// comes in the npm package). Labels are drawn with Noto Sans SC (lib/cjk-font.ts), so Chinese branch names
// show on a machine without any system font.
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import { Chart, registerables, type ChartConfiguration } from 'chart.js';
import { CJK_FONT_PATHS } from '../lib/cjk-font.ts';

const FAMILY = 'Report Sans';

let ready = false;
function setUp() {
  if (ready) return;
  GlobalFonts.registerFromPath(CJK_FONT_PATHS.regular, FAMILY);
  GlobalFonts.registerFromPath(CJK_FONT_PATHS.bold, FAMILY);
  Chart.register(...registerables);
  // Every label (ticks, legends, titles) in the bundled font: the machine may have no CJK font at all.
  Chart.defaults.font.family = FAMILY;
  Chart.defaults.color = '#334155';
  ready = true;
}

const ACCENT = '#2563eb';
const GOOD = '#15803d';
const BAD = '#b91c1c';
const MUTED = '#94a3b8';

/** Draws one chart.js configuration at its size (device pixel ratio 2 for sharp text in mail clients). */
export function renderChart(config: ChartConfiguration, width: number, height: number): Buffer {
  setUp();
  const scale = 2;
  const canvas = createCanvas(width * scale, height * scale);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width * scale, height * scale);
  const chart = new Chart(context as unknown as ConstructorParameters<typeof Chart>[0], {
    ...config,
    options: {
      ...config.options,
      responsive: false,
      animation: false,
      devicePixelRatio: scale,
    } as never,
  });
  // chart.js sizes the canvas from devicePixelRatio and the element's size; on a bare canvas it uses its width.
  chart.resize(width, height);
  chart.draw();
  const png = canvas.toBuffer('image/png');
  chart.destroy();
  return png;
}

export interface TrendPoint {
  label: string;
  value: number | null;
  n: number;
}

/** NPS per period as a line (gaps where a period has too few responses). */
export function trendChart(points: TrendPoint[], title: string): Buffer {
  return renderChart(
    {
      type: 'line',
      data: {
        labels: points.map((p) => p.label),
        datasets: [
          {
            label: title,
            data: points.map((p) => (p.value === null ? null : Math.round(p.value * 10) / 10)),
            borderColor: ACCENT,
            backgroundColor: ACCENT,
            pointRadius: 3,
            spanGaps: false,
            tension: 0,
          },
        ],
      },
      options: {
        plugins: { legend: { display: false }, title: { display: true, text: title, font: { family: FAMILY, size: 14, weight: 'bold' } } },
        scales: { y: { title: { display: true, text: 'NPS' } } },
      },
    },
    640,
    280,
  );
}

export interface LeagueBar {
  label: string;
  value: number | null;
  change: number | null;
}

/** NPS per branch as horizontal bars, best first; green / red where it rose / fell since the previous period. */
export function leagueChart(rows: LeagueBar[], title: string): Buffer {
  const shown = rows.filter((r) => r.value !== null).slice(0, 20);
  return renderChart(
    {
      type: 'bar',
      data: {
        labels: shown.map((r) => r.label),
        datasets: [
          {
            label: title,
            data: shown.map((r) => Math.round((r.value as number) * 10) / 10),
            backgroundColor: shown.map((r) => (r.change === null ? MUTED : r.change >= 0 ? GOOD : BAD)),
          },
        ],
      },
      options: {
        indexAxis: 'y',
        plugins: { legend: { display: false }, title: { display: true, text: title, font: { family: FAMILY, size: 14, weight: 'bold' } } },
        scales: { x: { suggestedMin: -20, suggestedMax: 100 } },
      },
    },
    640,
    Math.max(160, 60 + shown.length * 26),
  );
}
