// The survey editor. The draft travels as JSON in a hidden field ("definition"); the controls post their
// own values too ("<kind>:<path>") and a structural edit comes as the button "op", so the page works
// without JavaScript: the server applies the same edits (lib/builder/model.ts) and saves the draft.
import { fail, redirect } from '@sveltejs/kit';
import type { SurveyDefinition } from '@rs/survey-definition';
import { api, ApiError } from '$lib/api';
import { actionFailure, loadFailure } from '$lib/form-actions';
import { write } from '$lib/builder/api';
import { applyFields, applyOp, fieldEntries, parseDefinition } from '$lib/builder/model';
import type { DuplicateSurveyBody, PublishPreview, PublishResult, SurveyDetail, SurveyVersion, TargetsPreview, UpdateDraftBody } from '@rs/api/contract';
import { t, type MessageKey } from '$lib/i18n';
import type { Actions, PageServerLoad } from './$types';

type Fetch = typeof fetch;

export const load: PageServerLoad = async ({ fetch, params }) => {
  try {
    const survey = await api<SurveyDetail>(fetch, `/surveys/${params.id}`);
    const [latest, rentalPreview] = await Promise.all([
      survey.latestVersion ? api<SurveyVersion>(fetch, `/surveys/${params.id}/versions/${survey.latestVersion}`) : null,
      // Which rentals publishing this post-rental survey takes over, and from which survey (needs distribution:read).
      survey.kind === 'post_rental' ? api<TargetsPreview>(fetch, `/surveys/${params.id}/invitation-targets/preview`).catch(() => null) : null,
    ]);
    return { survey, latest, rentalPreview };
  } catch (e) {
    loadFailure(e);
  }
};

interface Posted {
  definition: SurveyDefinition;
  name: string;
  expectedUpdatedAt: string | undefined;
  opMessage?: MessageKey;
}

/** The draft as posted: the JSON, then each control's value, then the structural edit. */
function posted(form: FormData): Posted | null {
  const definition = parseDefinition(form.get('definition'));
  if (!definition) return null;
  applyFields(definition, fieldEntries(form));
  const op = form.get('op');
  let opMessage: MessageKey | undefined;
  if (typeof op === 'string' && op) {
    const result = applyOp(definition, op, (name) => {
      const v = form.get(name);
      return typeof v === 'string' ? v : undefined;
    });
    if (result.message?.key === 'cannotDelete') opMessage = 'builder.op.cannotDelete';
  }
  const expected = form.get('expectedUpdatedAt');
  return {
    definition,
    name: String(form.get('name') ?? '').trim(),
    expectedUpdatedAt: typeof expected === 'string' && expected ? expected : undefined,
    opMessage,
  };
}

async function saveDraft(fetch: Fetch, id: string, draft: Posted) {
  return write<SurveyDetail>(fetch, `/surveys/${id}/draft`, {
    method: 'PUT',
    json: {
      definition: draft.definition,
      ...(draft.name ? { name: draft.name } : {}),
      ...(draft.expectedUpdatedAt ? { expectedUpdatedAt: draft.expectedUpdatedAt } : {}),
    } satisfies UpdateDraftBody,
  });
}

/** A failed save keeps what was posted on the page, with the API's message and issues. */
function saveFailure(e: unknown, draft: Posted) {
  if (e instanceof ApiError) {
    return fail(e.status, {
      definition: draft.definition,
      name: draft.name,
      message: e.problem.detail ?? e.problem.title,
      status: e.status,
      issues: (e.problem.errors ?? []).map(({ path, code, params, message }) => ({ path, code, params, message })),
    });
  }
  throw e;
}

export const actions: Actions = {
  save: async ({ request, fetch, params, locals }) => {
    const draft = posted(await request.formData());
    if (!draft) return fail(400, { message: t(locals.locale, 'builder.badForm') });
    if (draft.opMessage) {
      return fail(400, { definition: draft.definition, name: draft.name, message: t(locals.locale, draft.opMessage), status: 400, issues: [] });
    }
    try {
      await saveDraft(fetch, params.id, draft);
    } catch (e) {
      return saveFailure(e, draft);
    }
    return { saved: true };
  },

  publish: async ({ request, fetch, params, locals }) => {
    const form = await request.formData();
    const draft = posted(form);
    if (!draft) return fail(400, { message: t(locals.locale, 'builder.badForm') });
    try {
      await saveDraft(fetch, params.id, draft);
    } catch (e) {
      return saveFailure(e, draft);
    }
    try {
      const preview = await api<PublishPreview>(fetch, `/surveys/${params.id}/draft/changes`);
      if (preview.breaksComparability && form.get('confirmBreaking') !== 'yes') {
        return fail(409, { needsConfirm: true, message: t(locals.locale, 'publish.confirmNeeded') });
      }
      // Texts a language still misses: published only when the person said they know.
      if (preview.missingTranslations?.some((m) => m.missing.length > 0) && form.get('confirmMissing') !== 'yes') {
        return fail(409, { needsConfirmMissing: true, message: t(locals.locale, 'publish.confirmMissingNeeded') });
      }
      const published = await write<PublishResult>(fetch, `/surveys/${params.id}/publish`, { method: 'POST' });
      return { published };
    } catch (e) {
      return actionFailure(e, { status: e instanceof ApiError ? e.status : undefined });
    }
  },

  archive: async ({ fetch, params }) => {
    try {
      await write<SurveyDetail>(fetch, `/surveys/${params.id}/archive`, { method: 'POST' });
    } catch (e) {
      return actionFailure(e);
    }
    return { archived: true };
  },

  unarchive: async ({ fetch, params }) => {
    try {
      await write<SurveyDetail>(fetch, `/surveys/${params.id}/unarchive`, { method: 'POST' });
    } catch (e) {
      return actionFailure(e);
    }
    return { unarchived: true };
  },

  duplicate: async ({ fetch, params, request, locals }) => {
    const name = String((await request.formData()).get('name') ?? '').trim();
    let created: SurveyDetail;
    try {
      created = await write<SurveyDetail>(fetch, `/surveys/${params.id}/duplicate`, {
        method: 'POST',
        json: (name ? { name: t(locals.locale, 'surveys.copyName', { name }) } : {}) satisfies DuplicateSurveyBody,
      });
    } catch (e) {
      return actionFailure(e);
    }
    redirect(303, `/surveys/${created.id}`);
  },
};
