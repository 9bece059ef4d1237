import type { Context } from 'hono';
import { audit } from '../access/audit.ts';
import { branchScopeOf } from '../access/scope.ts';
import type { AppBindings, AppRouteHandler } from '../lib/types.ts';
import * as q from './action-plans.queries.ts';
import type * as R from './action-plans.routes.ts';
import { planEffect } from './effect.ts';

function actorOf(c: Context<AppBindings>): q.PlanActor {
  const p = c.get('principal');
  const label = !p ? 'anonymous' : p.kind === 'user' ? p.email : `API key “${p.name}”`;
  return { label, branchScope: branchScopeOf(c), canWrite: !!p?.permissions.has('cases:write') };
}

/** The plan with its before/after figure, as this caller may see it. */
async function detail(c: Context<AppBindings>, id: string, window = 90) {
  const deps = c.get('deps');
  const actor = actorOf(c);
  const at = deps.now();
  const tz = deps.env.COMPANY_TIME_ZONE;
  const plan = await q.getPlan(deps.db, actor, id, at, tz);
  const effect = await planEffect(
    deps.readSql ?? deps.sql,
    { surveyId: plan.surveyId, metric: plan.metric, startDate: plan.startDate, branchCodes: plan.branches.map((b) => b.code) },
    { window, today: q.today(at, tz), timeZone: tz, branchScope: actor.branchScope, primary: deps.sql },
  );
  return { ...plan, effect };
}

export const listPlans: AppRouteHandler<R.ListPlansRoute> = async (c) => {
  const deps = c.get('deps');
  return c.json(await q.listPlans(deps.db, actorOf(c), c.req.valid('query'), deps.now(), deps.env.COMPANY_TIME_ZONE), 200);
};

export const createPlan: AppRouteHandler<R.CreatePlanRoute> = async (c) => {
  const deps = c.get('deps');
  const input = c.req.valid('json');
  const id = await q.createPlan(deps.db, actorOf(c), input, deps.now());
  await audit(c, 'action_plan.create', { type: 'action_plan', id }, { metric: input.metric, source: input.source.kind, branches: input.branchIds.length });
  return c.json(await detail(c, id), 201);
};

export const getPlan: AppRouteHandler<R.GetPlanRoute> = async (c) => {
  return c.json(await detail(c, c.req.valid('param').id, c.req.valid('query').window), 200);
};

export const updatePlan: AppRouteHandler<R.UpdatePlanRoute> = async (c) => {
  const deps = c.get('deps');
  const { id } = c.req.valid('param');
  const input = c.req.valid('json');
  const changed = await q.updatePlan(deps.db, actorOf(c), id, input, deps.now());
  if (changed.length > 0)
    await audit(c, 'action_plan.update', { type: 'action_plan', id }, { fields: changed, ...(input.status ? { status: input.status } : {}) });
  return c.json(await detail(c, id), 200);
};
