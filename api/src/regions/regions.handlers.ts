import { audit } from '../access/audit.ts';
import { branchScopeOf } from '../access/scope.ts';
import { buildSummary } from '../analytics/summary.queries.ts';
import { actorOf } from '../cases/cases.handlers.ts';
import { targetStatusReport } from '../targets/targets.queries.ts';
import { ProblemError, notFound, unprocessable } from '../lib/problem.ts';
import type { AppRouteHandler } from '../lib/types.ts';
import { txSql } from '../queue/queue.ts';
import { regionsFromCsv } from './regions.csv.ts';
import * as q from './regions.queries.ts';
import type { CreateRegionRoute, DeleteRegionRoute, ImportRegionsRoute, ListRegionsRoute, RegionRollupRoute, UpdateRegionRoute } from './regions.routes.ts';

const MAX_CSV_BYTES = 2 * 1024 * 1024;

export const listRegions: AppRouteHandler<ListRegionsRoute> = async (c) => {
  return c.json(await q.listRegions(c.get('deps').sql, branchScopeOf(c)), 200);
};

export const createRegion: AppRouteHandler<CreateRegionRoute> = async (c) => {
  const { sql, now } = c.get('deps');
  const region = await q.createRegion(sql, c.req.valid('json'), now());
  await audit(c, 'region.create', { type: 'region', id: region.id }, { code: region.code });
  return c.json(region, 201);
};

export const updateRegion: AppRouteHandler<UpdateRegionRoute> = async (c) => {
  const { sql, now } = c.get('deps');
  const { id } = c.req.valid('param');
  const input = c.req.valid('json');
  const region = await q.updateRegion(sql, id, input, now());
  await audit(c, 'region.update', { type: 'region', id }, { code: region.code, fields: Object.keys(input) });
  return c.json(region, 200);
};

export const deleteRegion: AppRouteHandler<DeleteRegionRoute> = async (c) => {
  const { sql } = c.get('deps');
  const { id } = c.req.valid('param');
  const { code } = await q.deleteRegion(sql, id);
  await audit(c, 'region.delete', { type: 'region', id }, { code });
  return c.body(null, 204);
};

export const importRegions: AppRouteHandler<ImportRegionsRoute> = async (c) => {
  const { db, now } = c.get('deps');
  const tooLarge = () => new ProblemError(413, 'Payload Too Large', `A region file may have at most ${MAX_CSV_BYTES / 1024 / 1024} MB`);
  if (Number(c.req.header('content-length') ?? 0) > MAX_CSV_BYTES) throw tooLarge();
  const text = await c.req.text();
  if (Buffer.byteLength(text) > MAX_CSV_BYTES) throw tooLarge();
  const parsed = regionsFromCsv(text);
  if (!parsed.ok) throw unprocessable('Some rows are not valid regions; nothing was imported', parsed.errors);
  const counts = await db.transaction(async (tx) => q.upsertRegions(txSql(tx), parsed.regions, now()));
  await audit(c, 'region.import', { type: 'region' }, { rows: parsed.regions.length, ...counts });
  return c.json({ rows: parsed.regions.length, ...counts }, 200);
};

/**
 * The roll-up reads the region's branches with the caller's scope, so it is only offered to callers who see
 * all of them: a branch manager would otherwise see a "region" made of their own branches.
 */
export const regionRollup: AppRouteHandler<RegionRollupRoute> = async (c) => {
  const deps = c.get('deps');
  const { sql, env } = deps;
  const { code } = c.req.valid('param');
  const query = c.req.valid('query');
  const scope = branchScopeOf(c);
  const found = await q.regionWithBranches(sql, code);
  if (!found || (scope !== null && !found.branchIds.every((id) => scope.includes(id)))) throw notFound('No such region');
  const options = { timeZone: env.COMPANY_TIME_ZONE };
  const regionScope = { ...options, branchScope: found.branchIds };
  // Targets are set for a whole company, region or branch: beside figures narrowed to some customers,
  // rentals, brands or channels they would not apply.
  const narrowed =
    [query.tier, query.customerType, query.vehicleClass, query.channel, query.brand].some((v) => (v?.length ?? 0) > 0) || query.openLinks === 'exclude';
  const period = { survey: query.survey, from: query.from, to: query.to, lang: query.lang };
  // The benchmark's case figures (SLA hit rate) are the company's too: aggregates, as the company totals.
  const benchmark = { ...actorOf(c), branchScope: null };
  const [branches, regionTotal, company, targets] = await Promise.all([
    buildSummary(sql, { ...query, groupBy: 'branch', weight: 'none' }, regionScope),
    buildSummary(sql, { ...query, groupBy: 'none', weight: 'none' }, regionScope),
    // The company's totals are the benchmark every regional manager is measured against: aggregates only.
    buildSummary(sql, { ...query, groupBy: 'none', weight: 'none' }, { ...options, branchScope: null }),
    narrowed
      ? null
      : Promise.all([
          targetStatusReport(deps, benchmark, { ...period, level: 'region', code }, { ...options, branchScope: null }),
          targetStatusReport(deps, benchmark, { ...period, level: 'company' }, { ...options, branchScope: null }),
          targetStatusReport(deps, { ...benchmark, branchScope: found.branchIds }, { ...period, level: 'branch' }, regionScope),
        ]).then(([region, whole, branchRows]) => ({ region, company: whole, branches: branchRows })),
  ]);
  return c.json({ region: found.region, branches, regionTotal, company, targets }, 200);
};
