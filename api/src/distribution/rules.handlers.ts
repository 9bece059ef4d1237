import { audit } from '../access/audit.ts';
import { notFound, unprocessable } from '../lib/problem.ts';
import type { AppRouteHandler } from '../lib/types.ts';
import { DEFAULT_TEXTS } from './messages.ts';
import { loadRules, saveRules } from './rules.queries.ts';
import type { GetRulesRoute, PutRulesRoute } from './rules.routes.ts';
import type { Sql } from '../db/client.ts';

async function assertSurvey(sql: Sql, id: string) {
  const [row] = await sql`select 1 from surveys where id = ${id}`;
  if (!row) throw notFound('No such survey');
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
  const codes = rules.eligibility.branches;
  if (codes.length > 0) {
    const known = new Set((await sql<{ code: string }[]>`select code from branches where code = any(${codes}::text[])`).map((r) => r.code));
    const unknown = codes.filter((code) => !known.has(code));
    if (unknown.length > 0) throw unprocessable('Unknown branch', unknown.map((code) => ({ path: 'eligibility.branches', message: `no branch with code "${code}"` })));
  }
  const updatedAt = await saveRules(sql, surveyId, rules, now());
  await audit(c, 'invitation_rules.update', { type: 'survey', id: surveyId });
  return c.json({ surveyId, rules, isDefault: false, updatedAt, defaultTexts: DEFAULT_TEXTS }, 200);
};
