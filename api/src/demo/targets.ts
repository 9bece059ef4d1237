// Demo data for targets: the company's targets for this year on every metric, a tighter one for East China,
// and this quarter's for a few branches (a strong one with a stretch target, a weak one with a modest one).
// Called from seedDemoData inside its transaction.
import { inArray } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { branches, regions, targets } from '../db/schema.ts';
import { periodBounds, type TargetMetric } from '../targets/targets.schemas.ts';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

export async function seedDemoTargets(tx: Tx, { now, timeZone = 'Asia/Shanghai' }: { now: Date; timeZone?: string }) {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone }).format(now);
  const year = today.slice(0, 4);
  const quarter = `${year}-Q${Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1}`;
  const company: [TargetMetric, number][] = [
    ['nps', 40],
    ['csi', 80],
    ['csat_top2', 85],
    ['csat_top_box', 55],
    ['pp100', 25],
    ['response_rate', 30],
    ['sla_hit_rate', 90],
  ];
  const regionRows = await tx
    .select({ id: regions.id, code: regions.code })
    .from(regions)
    .where(inArray(regions.code, ['华东']));
  const branchRows = await tx
    .select({ id: branches.id, code: branches.code })
    .from(branches)
    .where(inArray(branches.code, ['SH01', 'XA01', 'BJ02']));
  const branchId = new Map(branchRows.map((b) => [b.code, b.id]));
  const row = (
    metric: TargetMetric,
    level: 'company' | 'region' | 'branch',
    period: string,
    value: number,
    ids: { regionId?: string; branchId?: string } = {},
  ) => {
    const bounds = periodBounds(period)!;
    return {
      metric,
      level,
      period,
      periodStart: bounds.start,
      periodEnd: bounds.end,
      value,
      regionId: ids.regionId ?? null,
      branchId: ids.branchId ?? null,
      createdAt: now,
      updatedAt: now,
    };
  };
  const values = [
    ...company.map(([metric, value]) => row(metric, 'company', year, value)),
    ...regionRows.map((r) => row('nps', 'region', year, 45, { regionId: r.id })),
    ...(branchId.has('SH01')
      ? [row('nps', 'branch', quarter, 55, { branchId: branchId.get('SH01') }), row('csat_top_box', 'branch', quarter, 60, { branchId: branchId.get('SH01') })]
      : []),
    ...(branchId.has('XA01') ? [row('nps', 'branch', quarter, 20, { branchId: branchId.get('XA01') })] : []),
    ...(branchId.has('BJ02') ? [row('pp100', 'branch', quarter, 30, { branchId: branchId.get('BJ02') })] : []),
  ];
  await tx.insert(targets).values(values).onConflictDoNothing();
}
