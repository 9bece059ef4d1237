// Alert rules of every survey, the teams cases can go to, and who breached cases escalate to.
import { error, fail } from '@sveltejs/kit';
import { api, ApiError } from '$lib/api';
import { formValuesOf, ruleInputOf } from '$lib/cases/rule-form';
import type { AlertRule, EscalationContact } from '$lib/cases/types';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch }) => {
  try {
    const [rules, teams, escalation] = await Promise.all([
      api<AlertRule[]>(fetch, '/alert-rules'),
      api<{ id: string; name: string; email: string }[]>(fetch, '/case-teams'),
      api<{ contacts: EscalationContact[]; regions: string[] }>(fetch, '/escalation-contacts'),
    ]);
    return { rules, teams, escalation };
  } catch (e) {
    if (e instanceof ApiError) error(e.status, e.problem.detail ?? e.problem.title);
    throw e;
  }
};

const field = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === 'string' ? v.trim() : '';
};

async function run(action: string, call: () => Promise<unknown>) {
  try {
    await call();
    return { action, ok: true };
  } catch (e) {
    if (e instanceof ApiError) return fail(e.status, { action, message: e.problem.detail ?? e.problem.title, errors: e.problem.errors ?? [] });
    throw e;
  }
}

export const actions: Actions = {
  toggle: async ({ request, fetch }) => {
    const id = field(await request.formData(), 'id');
    return run('toggle', async () => {
      const rule = await api<AlertRule>(fetch, `/alert-rules/${id}`);
      const input = ruleInputOf({ ...formValuesOf(rule), enabled: !rule.enabled });
      await api(fetch, `/alert-rules/${id}`, { method: 'PUT', json: input });
    });
  },
  deleteRule: async ({ request, fetch }) => {
    const id = field(await request.formData(), 'id');
    return run('deleteRule', () => api(fetch, `/alert-rules/${id}`, { method: 'DELETE' }));
  },
  addTeam: async ({ request, fetch }) => {
    const form = await request.formData();
    return run('addTeam', () => api(fetch, '/case-teams', { method: 'POST', json: { name: field(form, 'name'), email: field(form, 'email') } }));
  },
  deleteTeam: async ({ request, fetch }) => {
    const id = field(await request.formData(), 'id');
    return run('deleteTeam', () => api(fetch, `/case-teams/${id}`, { method: 'DELETE' }));
  },
  addContact: async ({ request, fetch }) => {
    const form = await request.formData();
    const json = { level: field(form, 'level'), region: field(form, 'region') || null, name: field(form, 'name'), email: field(form, 'email') };
    return run('addContact', () => api(fetch, '/escalation-contacts', { method: 'POST', json }));
  },
  deleteContact: async ({ request, fetch }) => {
    const id = field(await request.formData(), 'id');
    return run('deleteContact', () => api(fetch, `/escalation-contacts/${id}`, { method: 'DELETE' }));
  },
};
