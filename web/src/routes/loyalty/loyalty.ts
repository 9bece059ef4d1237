// The loyalty page's choices (the API's enums, from the contract's types) and the flow chart's layout.
import type { LoyaltyLadder } from '@rs/api/contract';

export type Rung = LoyaltyLadder['rungs'][number];
export type FlowEnd = LoyaltyLadder['flows'][number]['from'];

export const RUNGS: readonly Rung[] = ['one_time', 'repeat', 'loyal', 'advocate', 'at_risk'];
export const GROUP_BYS: readonly LoyaltyLadder['groupBy'][] = ['none', 'branch', 'region', 'tier', 'customerType'];
export const BANDS = ['top', 'rest'] as const;
export const SORTS = ['revenue', 'lifetimeValue', 'recency'] as const;

/** The value when it is one of the choices, else null. */
export function pick<T extends string>(choices: readonly T[], value: string | null): T | null {
  return value !== null && (choices as readonly string[]).includes(value) ? (value as T) : null;
}

export const RUNG_COLOURS: Record<FlowEnd, string> = {
  none: '#9aa0a6',
  one_time: '#8ab4f8',
  repeat: '#4285f4',
  loyal: '#188038',
  advocate: '#0b8043',
  at_risk: '#d93025',
};

export interface FlowNode {
  end: FlowEnd;
  side: 'from' | 'to';
  value: number;
  y: number;
  height: number;
}

export interface FlowBand {
  from: FlowEnd;
  to: FlowEnd;
  customers: number;
  path: string;
}

/** Two columns of rungs (start and now) with bands between them whose widths are the customers moving. */
export function flowLayout(flows: LoyaltyLadder['flows'], size: { width: number; height: number; left: number; right: number; node: number; gap: number }) {
  const order: FlowEnd[] = ['none', ...RUNGS];
  const total = flows.reduce((s, f) => s + f.customers, 0);
  const sums = (side: 'from' | 'to') =>
    order.map((end) => ({ end, value: flows.filter((f) => f[side] === end).reduce((s, f) => s + f.customers, 0) })).filter((x) => x.value > 0);
  const nodes: FlowNode[] = [];
  const place = (side: 'from' | 'to') => {
    const items = sums(side);
    const scale = total > 0 ? (size.height - size.gap * Math.max(0, items.length - 1)) / total : 0;
    let y = 0;
    for (const item of items) {
      nodes.push({ end: item.end, side, value: item.value, y, height: item.value * scale });
      y += item.value * scale + size.gap;
    }
    return scale;
  };
  const scale = place('from');
  place('to');
  const node = (side: 'from' | 'to', end: FlowEnd) => nodes.find((n) => n.side === side && n.end === end) as FlowNode;
  const used = new Map<string, number>();
  const x0 = size.left + size.node;
  const x1 = size.right;
  const xm = (x0 + x1) / 2;
  const bands: FlowBand[] = [];
  const sorted = [...flows].sort((a, b) => order.indexOf(a.from) - order.indexOf(b.from) || order.indexOf(a.to) - order.indexOf(b.to));
  for (const f of sorted) {
    const h = f.customers * scale;
    const src = node('from', f.from);
    const dst = node('to', f.to);
    const sy = src.y + (used.get(`from:${f.from}`) ?? 0);
    const dy = dst.y + (used.get(`to:${f.to}`) ?? 0);
    used.set(`from:${f.from}`, (used.get(`from:${f.from}`) ?? 0) + h);
    used.set(`to:${f.to}`, (used.get(`to:${f.to}`) ?? 0) + h);
    const path = `M${x0},${sy} C${xm},${sy} ${xm},${dy} ${x1},${dy} L${x1},${dy + h} C${xm},${dy + h} ${xm},${sy + h} ${x0},${sy + h} Z`;
    bands.push({ from: f.from, to: f.to, customers: f.customers, path });
  }
  return { nodes, bands };
}
