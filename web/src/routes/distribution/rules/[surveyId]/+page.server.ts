// A survey's invitation rules, edited as a plain form.
import { api } from '$lib/api';
import { actionFailure, loadFailure } from '$lib/form-actions';
import type {
  InvitationChannel as Channel,
  InvitationRules,
  InvitationRulesBody,
  InvitationRulesResult,
  MessageKind,
  MessageLocale,
  SurveyDetail,
} from '@rs/api/contract';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params }) => {
  try {
    const [rules, survey] = await Promise.all([
      api<InvitationRulesResult>(fetch, `/surveys/${params.surveyId}/invitation-rules`),
      api<SurveyDetail>(fetch, `/surveys/${params.surveyId}`),
    ]);
    return { result: rules, surveyName: survey.name };
  } catch (e) {
    loadFailure(e);
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
      if (Object.keys(text).length > 0) (templates[kind] ??= {})[locale] = text;
    }
  }
  const order = String(form.get('channelOrder') ?? 'email,sms').split(',') as Channel[];
  return {
    targets: {
      branches: list(form.get('targetBranches')),
      regions: list(form.get('targetRegions')),
      customerTypes: form.getAll('targetCustomerTypes').map(String) as ('business' | 'leisure')[],
      vehicleClasses: list(form.get('targetVehicleClasses')),
    },
    enabled: form.get('enabled') === 'on',
    eligibility: {
      branches: list(form.get('branches')),
      vehicleClasses: list(form.get('vehicleClasses')),
      bookingChannels: form.getAll('bookingChannels').map(String) as InvitationRules['eligibility']['bookingChannels'],
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
      await api<InvitationRulesResult>(fetch, `/surveys/${params.surveyId}/invitation-rules`, { method: 'PUT', json: rules satisfies InvitationRulesBody });
      return { saved: true };
    } catch (e) {
      return actionFailure(e, { rules });
    }
  },
};
