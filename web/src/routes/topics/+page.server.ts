// The topic lexicon of comment analysis: terms per topic and language, topics added and removed. Every
// change makes the API analyse all comments again, so the topic figures follow at once.
import { error } from '@sveltejs/kit';
import type { Lexicon, LexiconTopicBody } from '@rs/api/contract';
import { can } from '$lib/access';
import { api } from '$lib/api';
import { t } from '$lib/i18n';
import { actionFailure, loadFailure } from '$lib/form-actions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, locals }) => {
  // Quality managers and administrators; the API refuses everyone else as well.
  if (!can(locals.user, 'rules:write')) error(403, t(locals.locale, 'access.forbidden'));
  try {
    return { lexicon: await api<Lexicon>(fetch, '/text/lexicon') };
  } catch (e) {
    loadFailure(e);
  }
};

const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();
/** Terms as typed: one per line or separated by commas (Chinese and Latin), blanks dropped, each once. */
const terms = (form: FormData, name: string) => [
  ...new Set(
    text(form, name)
      .split(/[\n,，、;；]/)
      .map((x) => x.trim())
      .filter(Boolean),
  ),
];

function topicFrom(form: FormData): Omit<LexiconTopicBody, 'id'> {
  return { label: { 'zh-CN': text(form, 'labelZh'), en: text(form, 'labelEn') }, terms: { zh: terms(form, 'termsZh'), en: terms(form, 'termsEn') } };
}

export const actions: Actions = {
  save: async ({ request, fetch }) => {
    const form = await request.formData();
    const id = text(form, 'id');
    const body = topicFrom(form);
    try {
      await api<Lexicon>(fetch, `/text/lexicon/${encodeURIComponent(id)}`, { method: 'PUT', json: body });
      return { action: 'save', id, saved: body.label };
    } catch (e) {
      return actionFailure(e, { action: 'save', id });
    }
  },
  create: async ({ request, fetch }) => {
    const form = await request.formData();
    const body: LexiconTopicBody = { id: text(form, 'id'), ...topicFrom(form) };
    try {
      await api<Lexicon>(fetch, '/text/lexicon', { method: 'POST', json: body });
      return { action: 'create', id: body.id, saved: body.label };
    } catch (e) {
      return actionFailure(e, { action: 'create', id: body.id, values: body });
    }
  },
  remove: async ({ request, fetch }) => {
    const form = await request.formData();
    const id = text(form, 'id');
    const label = { 'zh-CN': text(form, 'labelZh'), en: text(form, 'labelEn') };
    try {
      await api<Lexicon>(fetch, `/text/lexicon/${encodeURIComponent(id)}`, { method: 'DELETE' });
      return { action: 'remove', id, removed: label };
    } catch (e) {
      return actionFailure(e, { action: 'remove', id });
    }
  },
};
