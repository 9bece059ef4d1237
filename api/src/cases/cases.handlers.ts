import type { Context } from 'hono';
import { audit } from '../access/audit.ts';
import { contactFor, maskContactDeep, masksContacts } from '../access/mask.ts';
import { branchScopeOf } from '../access/scope.ts';
import type { AppBindings, AppRouteHandler } from '../lib/types.ts';
import * as q from './cases.queries.ts';
import type * as R from './cases.routes.ts';
import * as rules from './rules.queries.ts';

/** The caller as cases see them. */
export function actorOf(c: Context<AppBindings>): q.Actor {
  const p = c.get('principal');
  if (!p) return { label: 'anonymous', userId: null, email: null, branchScope: [] };
  if (p.kind === 'user') return { label: p.email, userId: p.id, email: p.email, branchScope: branchScopeOf(c) };
  return { label: `API key “${p.name}”`, userId: null, email: null, branchScope: branchScopeOf(c) };
}

/**
 * The case as this caller may see it: one masking rule for every caller who sees contacts masked, owner
 * or not; the customer's email and phone written into notes, contact logs or answers are masked too.
 */
export async function caseView(c: Context<AppBindings>, id: string) {
  const detail = await q.getCase(c.get('deps'), actorOf(c), id);
  const principal = c.get('principal');
  const view = { ...detail, permissions: { write: !!principal?.permissions.has('cases:write') } };
  if (!masksContacts(c) || !detail.customer) return view;
  return { ...maskContactDeep(view, detail.customer), customer: contactFor(c, detail.customer) };
}

export const listCases: AppRouteHandler<R.ListCasesRoute> = async (c) => {
  return c.json(await q.listCases(c.get('deps'), actorOf(c), c.req.valid('query')), 200);
};

export const caseMetrics: AppRouteHandler<R.CaseMetricsRoute> = async (c) => {
  return c.json(await q.caseMetrics(c.get('deps'), actorOf(c), c.req.valid('query')), 200);
};

export const caseOptions: AppRouteHandler<R.CaseOptionsRoute> = async (c) => {
  const { db } = c.get('deps');
  const actor = actorOf(c);
  return c.json({ ...(await q.listAssignees(db)), branches: await q.branchesInScope(db, actor.branchScope), me: { email: actor.email } }, 200);
};

export const getCase: AppRouteHandler<R.GetCaseRoute> = async (c) => {
  return c.json(await caseView(c, c.req.valid('param').id), 200);
};

export const updateCase: AppRouteHandler<R.UpdateCaseRoute> = async (c) => {
  const { id } = c.req.valid('param');
  const input = c.req.valid('json');
  await q.updateCase(c.get('deps'), actorOf(c), id, input);
  const { version: _v, ...fields } = input;
  await audit(c, 'case.update', { type: 'case', id }, { fields: Object.keys(fields) });
  return c.json(await caseView(c, id), 200);
};

export const transitionCase: AppRouteHandler<R.TransitionCaseRoute> = async (c) => {
  const deps = c.get('deps');
  const { id } = c.req.valid('param');
  const input = c.req.valid('json');
  await q.transitionCase(deps, actorOf(c), id, input);
  await audit(c, `case.${input.to === 'in_progress' ? 'start' : input.to === 'reopened' ? 'reopen' : input.to === 'resolved' ? 'resolve' : 'close'}`, {
    type: 'case',
    id,
  });
  return c.json(await caseView(c, id), 200);
};

export const addNote: AppRouteHandler<R.AddNoteRoute> = async (c) => {
  const { id } = c.req.valid('param');
  await q.addNote(c.get('deps'), actorOf(c), id, c.req.valid('json').body);
  return c.json(await caseView(c, id), 201);
};

export const addContact: AppRouteHandler<R.AddContactRoute> = async (c) => {
  const { id } = c.req.valid('param');
  const input = c.req.valid('json');
  await q.addContact(c.get('deps'), actorOf(c), id, input);
  await audit(c, 'case.contact', { type: 'case', id }, { channel: input.channel });
  return c.json(await caseView(c, id), 201);
};

// ── Alert rules, teams, escalation contacts ─────────────────────────────────────────────────────

export const listRules: AppRouteHandler<R.ListRulesRoute> = async (c) => {
  return c.json(await rules.listRules(c.get('deps').db, c.req.valid('query').survey, branchScopeOf(c)), 200);
};

export const getRule: AppRouteHandler<R.GetRuleRoute> = async (c) => {
  return c.json(await rules.getRule(c.get('deps').db, c.req.valid('param').id, branchScopeOf(c)), 200);
};

export const createRule: AppRouteHandler<R.CreateRuleRoute> = async (c) => {
  const { db, now } = c.get('deps');
  const rule = await rules.createRule(db, c.req.valid('json'), now());
  await audit(c, 'rule.create', { type: 'alert_rule', id: rule.id });
  return c.json(rule, 201);
};

export const updateRule: AppRouteHandler<R.UpdateRuleRoute> = async (c) => {
  const { db, now } = c.get('deps');
  const { id } = c.req.valid('param');
  const rule = await rules.updateRule(db, id, c.req.valid('json'), now());
  await audit(c, 'rule.update', { type: 'alert_rule', id });
  return c.json(rule, 200);
};

export const deleteRule: AppRouteHandler<R.DeleteRuleRoute> = async (c) => {
  const { id } = c.req.valid('param');
  await rules.deleteRule(c.get('deps').db, id);
  await audit(c, 'rule.delete', { type: 'alert_rule', id });
  return c.body(null, 204);
};

export const previewRule: AppRouteHandler<R.PreviewRuleRoute> = async (c) => {
  const { db, now } = c.get('deps');
  return c.json(await rules.previewRule(db, c.req.valid('param').id, c.req.valid('query').days, now(), branchScopeOf(c)), 200);
};

export const listTeams: AppRouteHandler<R.ListTeamsRoute> = async (c) => c.json(await rules.listTeams(c.get('deps').db), 200);

export const createTeam: AppRouteHandler<R.CreateTeamRoute> = async (c) => {
  const team = await rules.createTeam(c.get('deps').db, c.req.valid('json'));
  await audit(c, 'case_team.create', { type: 'case_team', id: team.id });
  return c.json(team, 201);
};

export const deleteTeam: AppRouteHandler<R.DeleteTeamRoute> = async (c) => {
  const { id } = c.req.valid('param');
  await rules.deleteTeam(c.get('deps').db, id);
  await audit(c, 'case_team.delete', { type: 'case_team', id });
  return c.body(null, 204);
};

export const listEscalations: AppRouteHandler<R.ListEscalationsRoute> = async (c) => {
  const { db } = c.get('deps');
  return c.json({ contacts: await rules.listEscalationContacts(db), regions: await rules.listRegions(db) }, 200);
};

export const createEscalation: AppRouteHandler<R.CreateEscalationRoute> = async (c) => {
  const contact = await rules.createEscalationContact(c.get('deps').db, c.req.valid('json'));
  await audit(c, 'escalation_contact.create', { type: 'escalation_contact', id: contact.id }, { level: contact.level });
  return c.json(contact, 201);
};

export const deleteEscalation: AppRouteHandler<R.DeleteEscalationRoute> = async (c) => {
  const { id } = c.req.valid('param');
  await rules.deleteEscalationContact(c.get('deps').db, id);
  await audit(c, 'escalation_contact.delete', { type: 'escalation_contact', id });
  return c.body(null, 204);
};
