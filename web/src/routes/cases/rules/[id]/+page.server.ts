// One alert rule's editor ("new" for a new rule): conditions on the answers and on the customer and
// rental, priority, owner, time limits, business hours and the follow-up survey.
import { fail, redirect } from '@sveltejs/kit';
import { api } from '$lib/api';
import { actionFailure, loadFailure } from '$lib/form-actions';
import { defaultFormValues, formValuesFrom, formValuesOf, ruleInputOf } from '$lib/cases/rule-form';
import { t } from '$lib/i18n';
import type { AlertRule, AlertRulePreview, CaseOptions, CaseTeam, EscalationContacts, Lexicon, SurveySummary, SurveyVersion } from '@rs/api/contract';
import type { Actions, PageServerLoad } from './$types';

/** The problems (id and texts) of the survey's newest published version, for "only these problems". */
async function problemChoices(fetch: typeof globalThis.fetch, survey: SurveySummary | undefined) {
  if (!survey?.latestVersion) return [];
  const version = await api<SurveyVersion>(fetch, `/surveys/${survey.id}/versions/${survey.latestVersion}`);
  const def = version.definition;
  const q = def.pages.flatMap((p) => p.questions).find((x) => x.type === 'problems');
  if (!q || q.type !== 'problems') return [];
  return [...q.choices, ...(q.other ? [q.other] : [])].map((c) => ({ id: c.id, text: c.text as Record<string, string>, defaultLocale: def.defaultLocale }));
}

export const load: PageServerLoad = async ({ fetch, params, url, locals }) => {
  try {
    const [surveys, options, teams, escalation, lexicon] = await Promise.all([
      api<SurveySummary[]>(fetch, '/surveys'),
      api<CaseOptions>(fetch, '/cases/options'),
      api<CaseTeam[]>(fetch, '/case-teams'),
      api<EscalationContacts>(fetch, '/escalation-contacts'),
      api<Lexicon>(fetch, '/text/lexicon'),
    ]);
    const usable = surveys.filter((s) => s.status !== 'archived' && s.kind !== 'complaint_follow_up');
    const rule = params.id === 'new' ? null : await api<AlertRule>(fetch, `/alert-rules/${params.id}`);
    const surveyId =
      rule?.surveyId ?? url.searchParams.get('survey') ?? (usable.find((s) => s.kind === 'post_rental' && s.status === 'active') ?? usable[0])?.id ?? '';
    const values = rule ? formValuesOf(rule) : defaultFormValues(surveyId);
    const preview = rule ? await api<AlertRulePreview>(fetch, `/alert-rules/${rule.id}/preview?days=30`) : null;
    return {
      rule,
      values,
      surveys: usable,
      problems: await problemChoices(
        fetch,
        surveys.find((s) => s.id === values.surveyId),
      ),
      branches: options.branches,
      regions: escalation.regions,
      // The comment topics a rule may test, named in the UI language.
      topics: lexicon.topics.map((x) => ({ id: x.id, label: x.label[locals.locale] })),
      teams,
      preview,
    };
  } catch (e) {
    loadFailure(e);
  }
};

export const actions: Actions = {
  save: async ({ request, fetch, params, locals }) => {
    const values = formValuesFrom(await request.formData());
    const input = ruleInputOf(values);
    if (input.triggers.length === 0) {
      return fail(400, {
        values,
        message: t(locals.locale, 'rules.needTrigger'),
        errors: [{ path: 'triggers', message: t(locals.locale, 'rules.needTrigger') }],
      });
    }
    let saved: AlertRule;
    try {
      saved =
        params.id === 'new'
          ? await api<AlertRule>(fetch, '/alert-rules', { method: 'POST', json: input })
          : await api<AlertRule>(fetch, `/alert-rules/${params.id}`, { method: 'PUT', json: input });
    } catch (e) {
      return actionFailure(e, { values });
    }
    redirect(303, `/cases/rules/${saved.id}?saved=1`);
  },
};
