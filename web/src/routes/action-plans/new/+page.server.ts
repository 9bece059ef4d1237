// A new action plan, often opened from a driver ("concentrate here"), a Pareto problem or a comment topic:
// those pages link here with the source, the metric, the survey and the branch in the URL (no personal data).
import { redirect } from '@sveltejs/kit';
import { api } from '$lib/api';
import { actionFailure, formText, loadFailure } from '$lib/form-actions';
import type { ActionPlanBody, ActionPlanDetail, CaseOptions, SurveySummary } from '@rs/api/contract';
import type { Actions, PageServerLoad } from './$types';

const SOURCES = ['driver', 'problem', 'topic', 'manual'] as const;
const METRICS = ['nps', 'csat', 'csi', 'pp100'] as const;

export const load: PageServerLoad = async ({ fetch, url, locals }) => {
  const p = url.searchParams;
  try {
    const [options, surveys] = await Promise.all([api<CaseOptions>(fetch, '/cases/options'), api<SurveySummary[]>(fetch, '/surveys')]);
    const analysable = surveys.filter((s) => s.kind === 'post_rental' && s.latestVersion !== null);
    const source = SOURCES.find((s) => s === p.get('source')) ?? 'manual';
    const metric = METRICS.find((m) => m === p.get('metric')) ?? (source === 'problem' ? 'pp100' : 'nps');
    const branchCode = p.get('branch');
    const today = new Date().toISOString().slice(0, 10);
    const due = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
    return {
      options,
      surveys: analysable,
      prefill: {
        source,
        key: (p.get('key') ?? '').slice(0, 200),
        label: (p.get('label') ?? '').slice(0, 200),
        metric,
        surveyId: analysable.find((s) => s.id === p.get('survey'))?.id ?? analysable[0]?.id ?? '',
        branchIds: options.branches.filter((b) => b.code === branchCode).map((b) => b.id),
        ownerUserId: options.users.find((u) => u.email === locals.user?.email)?.id ?? '',
        startDate: today,
        dueDate: due,
      },
    };
  } catch (e) {
    loadFailure(e);
  }
};

export const actions: Actions = {
  default: async ({ request, fetch }) => {
    const form = await request.formData();
    const body: ActionPlanBody = {
      title: formText(form, 'title'),
      source: {
        kind: formText(form, 'sourceKind') as NonNullable<ActionPlanBody['source']>['kind'],
        key: formText(form, 'sourceKey') || null,
        label: formText(form, 'sourceLabel') || null,
      },
      surveyId: formText(form, 'surveyId'),
      metric: formText(form, 'metric') as ActionPlanBody['metric'],
      ownerUserId: formText(form, 'ownerUserId'),
      branchIds: form.getAll('branchIds').map(String),
      startDate: formText(form, 'startDate'),
      dueDate: formText(form, 'dueDate'),
      notes: formText(form, 'notes'),
    };
    let plan: ActionPlanDetail;
    try {
      plan = await api<ActionPlanDetail>(fetch, '/action-plans', { method: 'POST', json: body });
    } catch (e) {
      return actionFailure(e);
    }
    redirect(303, `/action-plans/${plan.id}`);
  },
};
