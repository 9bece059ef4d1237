// The page customers open from an email / SMS link. Works without JavaScript: every button is a form
// action; the page shown next is decided here with the shared display logic.
import { error, fail, type RequestEvent } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import {
  pipeLocalized,
  validateAnswers,
  type Answers,
  type PipingFacts,
  type SurveyDefinition,
} from '@rs/api/surveys/definition/index';
import { api, ApiError } from '$lib/api';
import {
  changeSet,
  faultsToErrors,
  firstErrorPageIndex,
  nextPageIndex,
  pageFaults,
  previousPageIndex,
  resumePageIndex,
  shownPageIndex,
  type FieldErrors,
} from '$lib/survey/flow';
import { formDataToAnswers, LANG_FIELD, LOCALE_FIELD, postedPageIndex, type PageAnswers } from '$lib/survey/form-data';
import { isSurveyLocale, st, type SurveyLocale } from '$lib/survey/texts';
import type { SurveyActionData, ThankYou } from '$lib/survey/types';
import type { Actions, PageServerLoad } from './$types';

interface RespondSession {
  survey: { id: string; versionId: string; version: number; definition: SurveyDefinition };
  locale: string;
  facts: PipingFacts;
  answers: Answers;
  page: number;
  status: 'new' | 'partial';
  optOutUrl: string;
}

interface SubmitResult {
  responseId: string;
  status: 'finished';
  alreadyFinished: boolean;
  npsCategory: 'promoter' | 'passive' | 'detractor' | null;
  shareUrl: string | null;
  followUpPromised: boolean;
}

// An action's outcome for the `load` that renders the page right after it in the same request (a post
// without JavaScript): which page, which language, or the thank-you state (the link no longer opens then).
const afterAction = new WeakMap<object, { pageIndex?: number; locale?: SurveyLocale; finished?: ThankYou }>();

// Dates are shown in the company's time zone (the API's COMPANY_TIME_ZONE, same default) unless the facts
// carry one; the browser formats with the same zone, so hydration shows the same text.
const timeZone = () => env.COMPANY_TIME_ZONE || 'Asia/Shanghai';

type Fetch = typeof fetch;

/** Any failure of the API as the page's error: one polite page for every unusable link. */
function pageError(e: unknown): never {
  if (e instanceof ApiError) {
    if (e.status === 404 || e.status === 400 || e.status === 410) error(404, 'link-unavailable');
    if (e.status === 429) error(429, 'busy');
    error(503, 'unavailable');
  }
  throw e;
}

const respondPath = (token: string) => `/respond/${encodeURIComponent(token)}`;

async function openSession(fetchFn: Fetch, token: string, locale?: SurveyLocale): Promise<RespondSession> {
  const query = locale ? `?locale=${encodeURIComponent(locale)}` : '';
  return api<RespondSession>(fetchFn, `${respondPath(token)}${query}`);
}

function offered(definition: SurveyDefinition, locale: unknown): locale is SurveyLocale {
  return isSurveyLocale(locale) && (definition.locales ?? [definition.defaultLocale]).includes(locale);
}

function sessionLocale(session: RespondSession): SurveyLocale {
  const def = session.survey.definition;
  return offered(def, session.locale) ? session.locale : def.defaultLocale;
}

function thankYou(result: SubmitResult, locale: SurveyLocale, session: RespondSession | null): ThankYou {
  const def = session?.survey.definition;
  const facts = session ? withTimeZone(session.facts) : {};
  return {
    locale,
    text: def?.thankYou ? pipeLocalized(def.thankYou, facts, locale, def.defaultLocale) : '',
    npsCategory: result.npsCategory,
    shareUrl: result.shareUrl && /^https?:\/\//i.test(result.shareUrl) ? result.shareUrl : null,
    followUpPromised: result.followUpPromised === true,
    optOutUrl: session?.optOutUrl ?? null,
  };
}

function withTimeZone(facts: PipingFacts): PipingFacts {
  return { ...facts, timeZone: facts.timeZone ?? timeZone() };
}

/**
 * The response was finished already (a second click, another tab): the API's submit is idempotent
 * and answers with the same result. Only called when the link no longer opens or a save says 409.
 */
async function alreadyFinished(fetchFn: Fetch, token: string, locale: SurveyLocale, session: RespondSession | null) {
  try {
    const result = await api<SubmitResult>(fetchFn, `${respondPath(token)}/submit`, {
      method: 'POST',
      json: { answers: {}, locale },
    });
    return thankYou(result, locale, session);
  } catch (e) {
    pageError(e);
  }
}

function problemErrors(e: ApiError, locale: SurveyLocale): FieldErrors {
  // the API's faults: path = question id, messages = { en, 'zh-CN' }
  const faults = (e.problem.errors ?? []).map((f) => ({
    questionId: f.path,
    code: f.code,
    messages: f.messages ?? { en: f.message },
  }));
  return faultsToErrors(faults, locale);
}

export const load: PageServerLoad = async ({ params, url, fetch, locals, setHeaders }) => {
  setHeaders({ 'cache-control': 'no-store' });
  const after = afterAction.get(locals);
  if (after?.finished) return { session: null, finished: after.finished };

  const requested = after?.locale ?? url.searchParams.get('lang');
  let session: RespondSession;
  try {
    session = await openSession(fetch, params.token, isSurveyLocale(requested) ? requested : undefined);
  } catch (e) {
    pageError(e);
  }
  const definition = session.survey.definition;
  const answers = session.answers ?? {};
  const pageIndex =
    after?.pageIndex !== undefined ? shownPageIndex(definition, answers, after.pageIndex) : resumePageIndex(definition, answers);
  return {
    finished: null,
    session: {
      definition,
      locale: sessionLocale(session),
      locales: (definition.locales ?? [definition.defaultLocale]).filter(isSurveyLocale),
      facts: withTimeZone(session.facts ?? {}),
      answers,
      pageIndex,
      status: session.status,
      optOutUrl: session.optOutUrl,
    },
  };
};

type Kind = 'next' | 'back' | 'submit' | 'lang';

async function act(event: RequestEvent, kind: Kind) {
  const { request, params, fetch, locals } = event;
  const token = params.token ?? '';
  const formData = await request.formData();
  const postedLocale = formData.get(LOCALE_FIELD);

  let session: RespondSession;
  try {
    session = await openSession(fetch, token, isSurveyLocale(postedLocale) ? postedLocale : undefined);
  } catch (e) {
    if ((kind === 'next' || kind === 'submit') && e instanceof ApiError && e.status === 404) {
      // e.g. a double click without JavaScript: the first post finished the response
      const finished = await alreadyFinished(fetch, token, isSurveyLocale(postedLocale) ? postedLocale : 'zh-CN', null);
      afterAction.set(locals, { finished });
      return { finished } satisfies SurveyActionData;
    }
    pageError(e);
  }

  const definition = session.survey.definition;
  const wanted = kind === 'lang' ? formData.get(LANG_FIELD) : postedLocale;
  const locale = offered(definition, wanted) ? wanted : offered(definition, postedLocale) ? postedLocale : sessionLocale(session);
  const saved = session.answers ?? {};
  const pageIndex = postedPageIndex(definition, formData) ?? resumePageIndex(definition, saved);
  const posted = formDataToAnswers(definition, formData, pageIndex);
  // answers to questions hidden by the logic are dropped here (a browser without JS cannot hide them)
  const { payload, answers } = changeSet(definition, saved, posted);

  const stay = (errors: FieldErrors, at = pageIndex, message?: string) => {
    afterAction.set(locals, { pageIndex: at, locale });
    return fail(400, { pageIndex: at, locale, errors, answers: at === pageIndex ? posted : undefined, message } satisfies SurveyActionData);
  };

  const save = async (body: Record<string, unknown>) => {
    await api(fetch, respondPath(token), { method: 'PUT', json: { answers: body, locale } });
  };

  // Back and language switch: keep what can be kept, never block.
  if (kind === 'back' || kind === 'lang') {
    for (const fault of pageFaults(definition, answers, pageIndex, false)) delete payload[fault.questionId];
    if (Object.keys(payload).length > 0) {
      try {
        await save(payload);
      } catch (e) {
        if (e instanceof ApiError && e.status === 409) {
          const finished = await alreadyFinished(fetch, token, locale, session);
          afterAction.set(locals, { finished });
          return { finished } satisfies SurveyActionData;
        }
        if (!(e instanceof ApiError && e.status === 400)) pageError(e);
      }
    }
    const target = kind === 'back' ? (previousPageIndex(definition, answers, pageIndex) ?? pageIndex) : pageIndex;
    afterAction.set(locals, { pageIndex: target, locale });
    return { pageIndex: target, locale } satisfies SurveyActionData;
  }

  // Next and submit: this page must be complete; then the next shown page, or finish when there is none
  // (the answers may have added or removed pages since the buttons were drawn).
  const faults = pageFaults(definition, answers, pageIndex, true);
  if (faults.length > 0) return stay(faultsToErrors(faults, locale), pageIndex, st(locale, 'fixErrors'));

  const next = nextPageIndex(definition, answers, pageIndex);
  if (next !== null) {
    try {
      await save(payload);
    } catch (e) {
      if (e instanceof ApiError && e.status === 400) return stay(problemErrors(e, locale), pageIndex, st(locale, 'fixErrors'));
      if (e instanceof ApiError && e.status === 409) {
        const finished = await alreadyFinished(fetch, token, locale, session);
        afterAction.set(locals, { finished });
        return { finished } satisfies SurveyActionData;
      }
      pageError(e);
    }
    afterAction.set(locals, { pageIndex: next, locale });
    return { pageIndex: next, locale } satisfies SurveyActionData;
  }

  // Finish. A required question elsewhere still open (e.g. the survey was resumed): go there first.
  const remaining = faultsToErrors(validateAnswers(definition, answers, { final: true }), locale);
  const firstOpen = firstErrorPageIndex(definition, remaining);
  if (firstOpen !== null) {
    if (firstOpen !== pageIndex && Object.keys(payload).length > 0) {
      try {
        await save(payload);
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 400)) pageError(e);
      }
    }
    return stay(remaining, firstOpen, st(locale, 'fixErrors'));
  }

  let result: SubmitResult;
  try {
    result = await api<SubmitResult>(fetch, `${respondPath(token)}/submit`, {
      method: 'POST',
      json: { answers: payload, locale },
    });
  } catch (e) {
    if (e instanceof ApiError && e.status === 400) {
      const errors = problemErrors(e, locale);
      return stay(errors, firstErrorPageIndex(definition, errors) ?? pageIndex, st(locale, 'fixErrors'));
    }
    pageError(e);
  }
  const finished = thankYou(result, locale, session);
  afterAction.set(locals, { finished });
  return { finished } satisfies SurveyActionData;
}

export const actions: Actions = {
  next: (event) => act(event, 'next'),
  back: (event) => act(event, 'back'),
  submit: (event) => act(event, 'submit'),
  lang: (event) => act(event, 'lang'),
};
