// One alert rule's editor ("new" for a new rule): conditions on the answers and on the customer and
// rental, priority, owner, time limits, business hours and the follow-up survey.
import { error, fail, redirect } from '@sveltejs/kit';
import { api, ApiError } from '$lib/api';
import { defaultFormValues, formValuesFrom, formValuesOf, ruleInputOf } from '$lib/cases/rule-form';
import type { AlertRule, CaseOptions } from '$lib/cases/types';
import { t } from '$lib/i18n';
import type { SurveyDefinition } from '$lib/survey/definition';
import type { Actions, PageServerLoad } from './$types';

interface SurveyItem {
  id: string;
  name: string;
  kind: string;
  status: string;
  latestVersion: number | null;
}

/** The problems (id and texts) of the survey's newest published version, for "only these problems". */
async function problemChoices(fetch: typeof globalThis.fetch, survey: SurveyItem | undefined) {
  if (!survey?.latestVersion) return [];
  const version = await api<{ definition: SurveyDefinition }>(fetch, `/surveys/${survey.id}/versions/${survey.latestVersion}`);
  const def = version.definition;
  const q = def.pages.flatMap((p) => p.questions).find((x) => x.type === 'problems');
  if (!q || q.type !== 'problems') return [];
  return [...q.choices, ...(q.other ? [q.other] : [])].map((c) => ({ id: c.id, text: c.text as Record<string, string>, defaultLocale: def.defaultLocale }));
}

export const load: PageServerLoad = async ({ fetch, params, url }) => {
  try {
    const [surveys, options, teams, escalation] = await Promise.all([
      api<SurveyItem[]>(fetch, '/surveys'),
      api<CaseOptions>(fetch, '/cases/options'),
      api<{ id: string; name: string; email: string }[]>(fetch, '/case-teams'),
      api<{ regions: string[] }>(fetch, '/escalation-contacts'),
    ]);
    const usable = surveys.filter((s) => s.status !== 'archived' && s.kind !== 'complaint_follow_up');
    const rule = params.id === 'new' ? null : await api<AlertRule>(fetch, `/alert-rules/${params.id}`);
    const surveyId =
      rule?.surveyId ??
      url.searchParams.get('survey') ??
      (usable.find((s) => s.kind === 'post_rental' && s.status === 'active') ?? usable[0])?.id ??
      '';
    const values = rule ? formValuesOf(rule) : defaultFormValues(surveyId);
    const preview = rule ? await api<{ responses: number; matching: number }>(fetch, `/alert-rules/${rule.id}/preview?days=30`) : null;
    return {
      rule,
      values,
      surveys: usable,
      problems: await problemChoices(fetch, surveys.find((s) => s.id === values.surveyId)),
      branches: options.branches,
      regions: escalation.regions,
      teams,
      preview,
    };
  } catch (e) {
    if (e instanceof ApiError) error(e.status, e.problem.detail ?? e.problem.title);
    throw e;
  }
};

export const actions: Actions = {
  save: async ({ request, fetch, params, locals }) => {
    const values = formValuesFrom(await request.formData());
    const input = ruleInputOf(values);
    if (input.triggers.length === 0) {
      return fail(400, { values, message: t(locals.locale, 'rules.needTrigger'), errors: [{ path: 'triggers', message: t(locals.locale, 'rules.needTrigger') }] });
    }
    let saved: AlertRule;
    try {
      saved =
        params.id === 'new'
          ? await api<AlertRule>(fetch, '/alert-rules', { method: 'POST', json: input })
          : await api<AlertRule>(fetch, `/alert-rules/${params.id}`, { method: 'PUT', json: input });
    } catch (e) {
      if (e instanceof ApiError) return fail(e.status, { values, message: e.problem.detail ?? e.problem.title, errors: e.problem.errors ?? [] });
      throw e;
    }
    redirect(303, `/cases/rules/${saved.id}?saved=1`);
  },
};
