// Alert rules of every survey, the teams cases can go to, and who breached cases escalate to.
import { api } from '$lib/api';
import { loadFailure, runAction } from '$lib/form-actions';
import { formValuesOf, ruleInputOf } from '$lib/cases/rule-form';
import type { AlertRule, CaseTeam, CaseTeamBody, EscalationContact, EscalationContactBody, EscalationContacts } from '@rs/api/contract';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch }) => {
  try {
    const [rules, teams, escalation] = await Promise.all([
      api<AlertRule[]>(fetch, '/alert-rules'),
      api<CaseTeam[]>(fetch, '/case-teams'),
      api<EscalationContacts>(fetch, '/escalation-contacts'),
    ]);
    return { rules, teams, escalation };
  } catch (e) {
    loadFailure(e);
  }
};

const field = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === 'string' ? v.trim() : '';
};

export const actions: Actions = {
  toggle: async ({ request, fetch }) => {
    const id = field(await request.formData(), 'id');
    return runAction('toggle', async () => {
      const rule = await api<AlertRule>(fetch, `/alert-rules/${id}`);
      const input = ruleInputOf({ ...formValuesOf(rule), enabled: !rule.enabled });
      await api<AlertRule>(fetch, `/alert-rules/${id}`, { method: 'PUT', json: input });
    });
  },
  deleteRule: async ({ request, fetch }) => {
    const id = field(await request.formData(), 'id');
    return runAction('deleteRule', () => api<null>(fetch, `/alert-rules/${id}`, { method: 'DELETE' }));
  },
  addTeam: async ({ request, fetch }) => {
    const form = await request.formData();
    const json: CaseTeamBody = { name: field(form, 'name'), email: field(form, 'email') };
    return runAction('addTeam', () => api<CaseTeam>(fetch, '/case-teams', { method: 'POST', json }));
  },
  deleteTeam: async ({ request, fetch }) => {
    const id = field(await request.formData(), 'id');
    return runAction('deleteTeam', () => api<null>(fetch, `/case-teams/${id}`, { method: 'DELETE' }));
  },
  addContact: async ({ request, fetch }) => {
    const form = await request.formData();
    const json: EscalationContactBody = {
      level: field(form, 'level') as EscalationContactBody['level'],
      region: field(form, 'region') || null,
      name: field(form, 'name'),
      email: field(form, 'email'),
    };
    return runAction('addContact', () => api<EscalationContact>(fetch, '/escalation-contacts', { method: 'POST', json }));
  },
  deleteContact: async ({ request, fetch }) => {
    const id = field(await request.formData(), 'id');
    return runAction('deleteContact', () => api<null>(fetch, `/escalation-contacts/${id}`, { method: 'DELETE' }));
  },
};
