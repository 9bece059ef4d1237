// The survey editor. The draft travels as JSON in a hidden field ("definition"); the controls post their
// own values too ("<kind>:<path>") and a structural edit comes as the button "op", so the page works
// without JavaScript: the server applies the same edits (lib/builder/model.ts) and saves the draft.
import { error, fail, redirect } from '@sveltejs/kit';
import type { SurveyDefinition } from '@rs/api/surveys/definition/index';
import { api, ApiError } from '$lib/api';
import { write } from '$lib/builder/api';
import { applyFields, applyOp, fieldEntries, parseDefinition } from '$lib/builder/model';
import type { PublishPreview, PublishResult, SurveyDetail, SurveyListItem, VersionDetail } from '$lib/builder/types';
import { t, type MessageKey } from '$lib/i18n';
import type { Actions, PageServerLoad } from './$types';

type Fetch = typeof fetch;

export const load: PageServerLoad = async ({ fetch, params }) => {
  try {
    const survey = await api<SurveyDetail>(fetch, `/surveys/${params.id}`);
    const [latest, all] = await Promise.all([
      survey.latestVersion ? api<VersionDetail>(fetch, `/surveys/${params.id}/versions/${survey.latestVersion}`) : null,
      survey.kind === 'post_rental' ? api<SurveyListItem[]>(fetch, '/surveys') : [],
    ]);
    // Publishing a post-rental survey makes it the one new rentals are invited to.
    const target = all.find((s) => s.receivesRentalInvitations);
    return { survey, latest, rentalTarget: target ? { id: target.id, name: target.name } : null };
  } catch (e) {
    if (e instanceof ApiError) error(e.status, e.problem.detail ?? e.problem.title);
    throw e;
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
  return write<SurveyDetail>(fetch, `/surveys/${id}/draft`, { method: 'PUT',
    json: { definition: draft.definition, ...(draft.name ? { name: draft.name } : {}), ...(draft.expectedUpdatedAt ? { expectedUpdatedAt: draft.expectedUpdatedAt } : {}) },
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
      issues: (e.problem.errors ?? []).map(({ path, message }) => ({ path, message })),
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
      const published = await write<PublishResult>(fetch, `/surveys/${params.id}/publish`, { method: 'POST' });
      return { published };
    } catch (e) {
      if (e instanceof ApiError) return fail(e.status, { message: e.problem.detail ?? e.problem.title, status: e.status });
      throw e;
    }
  },

  archive: async ({ fetch, params }) => {
    try {
      await write(fetch, `/surveys/${params.id}/archive`, { method: 'POST' });
    } catch (e) {
      if (e instanceof ApiError) return fail(e.status, { message: e.problem.detail ?? e.problem.title });
      throw e;
    }
    return { archived: true };
  },

  unarchive: async ({ fetch, params }) => {
    try {
      await write(fetch, `/surveys/${params.id}/unarchive`, { method: 'POST' });
    } catch (e) {
      if (e instanceof ApiError) return fail(e.status, { message: e.problem.detail ?? e.problem.title });
      throw e;
    }
    return { unarchived: true };
  },

  duplicate: async ({ fetch, params, request, locals }) => {
    const name = String((await request.formData()).get('name') ?? '').trim();
    let created: SurveyDetail;
    try {
      created = await write<SurveyDetail>(fetch, `/surveys/${params.id}/duplicate`, { method: 'POST',
        json: name ? { name: t(locals.locale, 'surveys.copyName', { name }) } : {},
      });
    } catch (e) {
      if (e instanceof ApiError) return fail(e.status, { message: e.problem.detail ?? e.problem.title });
      throw e;
    }
    redirect(303, `/surveys/${created.id}`);
  },
};
