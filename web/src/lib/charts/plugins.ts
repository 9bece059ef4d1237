// Small chart.js plugins: interval whiskers on bars or points, and the quadrant lines of a scatter.
import type { Chart, Plugin } from 'chart.js';

/** Draws a 95 % interval (low, high) over each bar/point of dataset 0. */
export function intervalPlugin(intervals: ([number, number] | null)[], horizontal: boolean): Plugin {
  return {
    id: 'intervals',
    afterDatasetsDraw(chart: Chart) {
      const meta = chart.getDatasetMeta(0);
      const valueScale = horizontal ? chart.scales.x : chart.scales.y;
      const ctx = chart.ctx;
      ctx.save();
      ctx.strokeStyle = '#1a1f29';
      ctx.lineWidth = 1.5;
      meta.data.forEach((element, i) => {
        const ci = intervals[i];
        if (!ci) return;
        const { x, y } = element.getProps(['x', 'y'], true) as { x: number; y: number };
        const a = valueScale.getPixelForValue(ci[0]);
        const b = valueScale.getPixelForValue(ci[1]);
        const cap = 4;
        ctx.beginPath();
        if (horizontal) {
          ctx.moveTo(a, y);
          ctx.lineTo(b, y);
          ctx.moveTo(a, y - cap);
          ctx.lineTo(a, y + cap);
          ctx.moveTo(b, y - cap);
          ctx.lineTo(b, y + cap);
        } else {
          ctx.moveTo(x, a);
          ctx.lineTo(x, b);
          ctx.moveTo(x - cap, a);
          ctx.lineTo(x + cap, a);
          ctx.moveTo(x - cap, b);
          ctx.lineTo(x + cap, b);
        }
        ctx.stroke();
      });
      ctx.restore();
    },
  };
}

export interface QuadrantNames {
  topLeft: string;
  topRight: string;
  bottomLeft: string;
  bottomRight: string;
}

/** Dashed cut lines at (xCut, yCut) and the four quadrant names in the corners. */
export function quadrantPlugin(xCut: number, yCut: number, names: QuadrantNames): Plugin {
  return {
    id: 'quadrants',
    beforeDatasetsDraw(chart: Chart) {
      const { ctx, chartArea: area, scales } = chart;
      const x = scales.x.getPixelForValue(xCut);
      const y = scales.y.getPixelForValue(yCut);
      ctx.save();
      ctx.strokeStyle = '#8a93a6';
      ctx.setLineDash([5, 4]);
      ctx.beginPath();
      ctx.moveTo(x, area.top);
      ctx.lineTo(x, area.bottom);
      ctx.moveTo(area.left, y);
      ctx.lineTo(area.right, y);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = '#525a6b';
      ctx.font = '600 12px system-ui, sans-serif';
      const pad = 6;
      ctx.textBaseline = 'top';
      ctx.textAlign = 'left';
      ctx.fillText(names.topLeft, area.left + pad, area.top + pad);
      ctx.textAlign = 'right';
      ctx.fillText(names.topRight, area.right - pad, area.top + pad);
      ctx.textBaseline = 'bottom';
      ctx.textAlign = 'left';
      ctx.fillText(names.bottomLeft, area.left + pad, area.bottom - pad);
      ctx.textAlign = 'right';
      ctx.fillText(names.bottomRight, area.right - pad, area.bottom - pad);
      ctx.restore();
    },
  };
}

/** Writes each point's label beside it. */
export function pointLabelPlugin(labels: string[]): Plugin {
  return {
    id: 'pointLabels',
    afterDatasetsDraw(chart: Chart) {
      const meta = chart.getDatasetMeta(0);
      const ctx = chart.ctx;
      ctx.save();
      ctx.fillStyle = '#1a1f29';
      ctx.font = '12px system-ui, sans-serif';
      ctx.textBaseline = 'middle';
      meta.data.forEach((element, i) => {
        const { x, y } = element.getProps(['x', 'y'], true) as { x: number; y: number };
        ctx.fillText(labels[i] ?? '', x + 7, y);
      });
      ctx.restore();
    },
  };
}

export const PALETTE = ['#0b57d0', '#b3261e', '#1e7b34', '#e37400', '#7b1fa2', '#00838f', '#5d4037', '#c2185b', '#546e7a', '#827717'];
