import { audit } from '../access/audit.ts';
import { branchScopeOf } from '../access/scope.ts';
import { actorOf } from '../cases/cases.handlers.ts';
import { ProblemError, unprocessable } from '../lib/problem.ts';
import type { AppRouteHandler } from '../lib/types.ts';
import { txSql } from '../queue/queue.ts';
import { targetsFromCsv } from './targets.csv.ts';
import * as q from './targets.queries.ts';
import type { DeleteTargetRoute, ImportTargetsRoute, ListTargetsRoute, PutTargetRoute, TargetStatusRoute, TargetTrendRoute } from './targets.routes.ts';

const MAX_CSV_BYTES = 2 * 1024 * 1024;

export const listTargets: AppRouteHandler<ListTargetsRoute> = async (c) => {
  const english = c.req.header('accept-language')?.startsWith('en') ?? false;
  return c.json(await q.listTargets(c.get('deps').sql, c.req.valid('query'), branchScopeOf(c), english), 200);
};

export const putTarget: AppRouteHandler<PutTargetRoute> = async (c) => {
  const { sql, now } = c.get('deps');
  const input = c.req.valid('json');
  const { ids } = await q.upsertTargets(sql, [{ ...input, scope: input.level === 'company' ? null : input.scope }], now());
  const [target] = await q.listTargets(sql, { id: ids[0] }, null);
  await audit(
    c,
    'target.set',
    { type: 'target', id: target.id },
    { metric: target.metric, level: target.level, scope: target.scope, period: target.period, value: target.value },
  );
  return c.json(target, 200);
};

export const deleteTarget: AppRouteHandler<DeleteTargetRoute> = async (c) => {
  const { id } = c.req.valid('param');
  const target = await q.deleteTarget(c.get('deps').sql, id);
  await audit(c, 'target.delete', { type: 'target', id }, { metric: target.metric, level: target.level, scope: target.scope, period: target.period });
  return c.body(null, 204);
};

export const importTargets: AppRouteHandler<ImportTargetsRoute> = async (c) => {
  const { db, sql, now } = c.get('deps');
  const tooLarge = () => new ProblemError(413, 'Payload Too Large', `A target file may have at most ${MAX_CSV_BYTES / 1024 / 1024} MB`);
  if (Number(c.req.header('content-length') ?? 0) > MAX_CSV_BYTES) throw tooLarge();
  const text = await c.req.text();
  if (Buffer.byteLength(text) > MAX_CSV_BYTES) throw tooLarge();
  const codes = await q.scopeCodes(sql);
  const parsed = targetsFromCsv(text, { regions: new Set(codes.regions.keys()), branches: new Set(codes.branches.keys()) });
  if (!parsed.ok) throw unprocessable('Some rows are not valid targets; nothing was imported', parsed.errors);
  const counts = await db.transaction(async (tx) => q.upsertTargets(txSql(tx), parsed.targets, now()));
  await audit(c, 'target.import', { type: 'target' }, { rows: parsed.targets.length, created: counts.created, updated: counts.updated });
  return c.json({ rows: parsed.targets.length, created: counts.created, updated: counts.updated }, 200);
};

export const targetStatus: AppRouteHandler<TargetStatusRoute> = async (c) => {
  const deps = c.get('deps');
  return c.json(
    await q.targetStatusReport(deps, actorOf(c), c.req.valid('query'), { timeZone: deps.env.COMPANY_TIME_ZONE, branchScope: branchScopeOf(c) }),
    200,
  );
};

export const targetTrend: AppRouteHandler<TargetTrendRoute> = async (c) => {
  const deps = c.get('deps');
  return c.json(await q.targetTrend(deps, actorOf(c), c.req.valid('query'), { timeZone: deps.env.COMPANY_TIME_ZONE, branchScope: branchScopeOf(c) }), 200);
};
