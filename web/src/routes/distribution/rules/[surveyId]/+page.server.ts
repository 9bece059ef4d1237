// A survey's invitation rules, edited as a plain form.
import { error, fail } from '@sveltejs/kit';
import { api, ApiError } from '$lib/api';
import type { Channel, InvitationRules, MessageKind, MessageLocale, RulesResult } from '../../types';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params }) => {
  try {
    const [rules, survey] = await Promise.all([
      api<RulesResult>(fetch, `/surveys/${params.surveyId}/invitation-rules`),
      api<{ id: string; name: string }>(fetch, `/surveys/${params.surveyId}`),
    ]);
    return { result: rules, surveyName: survey.name };
  } catch (e) {
    if (e instanceof ApiError) error(e.status, e.problem.detail ?? e.problem.title);
    throw e;
  }
};

const KINDS: MessageKind[] = ['invitation', 'reminder_not_opened', 'reminder_unfinished'];
const LOCALES: MessageLocale[] = ['zh-CN', 'zh-TW', 'en'];
const list = (v: FormDataEntryValue | null) =>
  String(v ?? '')
    .split(/[\s,，;；]+/)
    .map((x) => x.trim())
    .filter(Boolean);
const num = (v: FormDataEntryValue | null, fallback: number) => {
  const n = Number(String(v ?? '').trim());
  return String(v ?? '').trim() === '' || Number.isNaN(n) ? fallback : n;
};

function rulesFromForm(form: FormData): InvitationRules {
  const templates: InvitationRules['templates'] = {};
  for (const kind of KINDS) {
    for (const locale of LOCALES) {
      const text: Record<string, string> = {};
      for (const part of ['subject', 'body', 'sms'] as const) {
        const v = String(form.get(`tpl.${kind}.${locale}.${part}`) ?? '').trim();
        if (v) text[part] = v;
      }
      if (Object.keys(text).length > 0) ((templates[kind] ??= {})[locale] = text);
    }
  }
  const order = String(form.get('channelOrder') ?? 'email,sms').split(',') as Channel[];
  return {
    enabled: form.get('enabled') === 'on',
    eligibility: {
      branches: list(form.get('branches')),
      vehicleClasses: list(form.get('vehicleClasses')),
      bookingChannels: form.getAll('bookingChannels').map(String),
      sampleRatePercent: num(form.get('sampleRatePercent'), 100),
      maxDaysSinceReturn: num(form.get('maxDaysSinceReturn'), 30),
    },
    delayMinutes: Math.round(num(form.get('delayHours'), 2) * 60),
    quietHours: {
      enabled: form.get('quietEnabled') === 'on',
      start: String(form.get('quietStart') || '21:00'),
      end: String(form.get('quietEnd') || '09:00'),
      channels: form.getAll('quietChannels').map(String) as Channel[],
    },
    channelOrder: order,
    fatigueDays: num(form.get('fatigueDays'), 30),
    expiryDays: num(form.get('expiryDays'), 14),
    reminders: {
      count: num(form.get('reminderCount'), 1),
      afterDays: num(form.get('reminderAfterDays'), 3),
      notOpened: form.get('remindNotOpened') === 'on',
      openedNotFinished: form.get('remindOpenedNotFinished') === 'on',
    },
    templates,
  };
}

export const actions: Actions = {
  save: async ({ request, fetch, params }) => {
    const rules = rulesFromForm(await request.formData());
    try {
      await api(fetch, `/surveys/${params.surveyId}/invitation-rules`, { method: 'PUT', json: rules });
      return { saved: true };
    } catch (e) {
      if (e instanceof ApiError) return fail(e.status, { message: e.problem.detail ?? e.problem.title, errors: e.problem.errors ?? [], rules });
      throw e;
    }
  },
};
