import { audit } from '../access/audit.ts';
import { notFound, unprocessable } from '../lib/problem.ts';
import type { AppRouteHandler } from '../lib/types.ts';
import { DEFAULT_TEXTS } from './messages.ts';
import { invitationTargets } from './ingest.ts';
import { DAY_MS } from './planning.ts';
import { knownBranchCodes } from '../branches/branches.queries.ts';
import { branchRegions, loadRules, recentRentalProfiles, saveRules, surveyExists, surveyForTargeting } from './rules.queries.ts';
import type { GetRulesRoute, PreviewTargetsRoute, PutRulesRoute } from './rules.routes.ts';
import { previewTakeover } from './targeting.ts';
import type { Sql } from '../db/client.ts';

async function assertSurvey(sql: Sql, id: string) {
  if (!(await surveyExists(sql, id))) throw notFound('No such survey');
}

export const getRules: AppRouteHandler<GetRulesRoute> = async (c) => {
  const { sql } = c.get('deps');
  const { surveyId } = c.req.valid('param');
  await assertSurvey(sql, surveyId);
  const { rules, stored, updatedAt } = await loadRules(sql, surveyId);
  return c.json({ surveyId, rules, isDefault: !stored, updatedAt, defaultTexts: DEFAULT_TEXTS }, 200);
};

export const putRules: AppRouteHandler<PutRulesRoute> = async (c) => {
  const { sql, now } = c.get('deps');
  const { surveyId } = c.req.valid('param');
  await assertSurvey(sql, surveyId);
  const rules = c.req.valid('json');
  const named = [
    ...rules.eligibility.branches.map((code) => ({ code, path: 'eligibility.branches' })),
    ...rules.targets.branches.map((code) => ({ code, path: 'targets.branches' })),
  ];
  if (named.length > 0) {
    const known = await knownBranchCodes(
      sql,
      named.map((n) => n.code),
    );
    const unknown = named.filter((n) => !known.has(n.code));
    if (unknown.length > 0)
      throw unprocessable(
        'Unknown branch',
        unknown.map((n) => ({ path: n.path, message: `no branch with code "${n.code}"`, code: 'unknown_branch' })),
      );
  }
  const updatedAt = await saveRules(sql, surveyId, rules, now());
  await audit(c, 'invitation_rules.update', { type: 'survey', id: surveyId });
  return c.json({ surveyId, rules, isDefault: false, updatedAt, defaultTexts: DEFAULT_TEXTS }, 200);
};

const PREVIEW_DAYS = 30;

export const previewTargets: AppRouteHandler<PreviewTargetsRoute> = async (c) => {
  const { sql, now } = c.get('deps');
  const { surveyId } = c.req.valid('param');
  const survey = await surveyForTargeting(sql, surveyId);
  if (!survey) throw notFound('No such survey');
  const { rules } = await loadRules(sql, surveyId);
  const base = { surveyId, targets: rules.targets, periodDays: PREVIEW_DAYS, alreadyActive: survey.status === 'active' };
  if (survey.kind !== 'post_rental') return c.json({ ...base, receivesRentals: false, moves: [], stays: [] }, 200);
  const [active, profiles, regions] = await Promise.all([
    invitationTargets(sql),
    recentRentalProfiles(sql, new Date(now().getTime() - PREVIEW_DAYS * DAY_MS)),
    branchRegions(sql),
  ]);
  const candidate = { surveyId, name: survey.name, createdAt: new Date(survey.created_at), rules };
  const { moves, stays } = previewTakeover(
    active,
    candidate,
    profiles.map((p) => ({ branchCode: p.branch_code, region: p.region, customerType: p.customer_type, vehicleClass: p.vehicle_class, n: p.n })),
    (code) => regions.get(code.toLowerCase()),
  );
  return c.json({ ...base, receivesRentals: true, moves, stays }, 200);
};
