// The page customers open from an email / SMS link. Works without JavaScript: every button is a form
// action; the page shown next is decided here with the shared display logic.
import { error, fail, type RequestEvent } from '@sveltejs/kit';
import { pipeLocalized, validateAnswers, type Answers, type PipingFacts, type SurveyDefinition } from '@rs/survey-definition';
import { api, ApiError } from '$lib/api';
import { serverTimeZone } from '$lib/server/time-zone';
import { formatLongDate } from '$lib/time';
import {
  changeSet,
  faultsToErrors,
  firstErrorPageIndex,
  nextPageIndex,
  pageFaults,
  previousPageIndex,
  shownPageIndex,
  type FieldErrors,
} from '$lib/survey/flow';
import { definitionInLocales } from '$lib/survey/in-locales';
import { carriedAnswers, formDataToAnswers, LANG_FIELD, LOCALE_FIELD, postedPageIndex } from '$lib/survey/form-data';
import { isSurveyLocale, st, surveyLocaleFromHeader, type SurveyLocale } from '$lib/survey/texts';
import type { ClosedLink, SurveyActionData, ThankYou } from '$lib/survey/types';
import type { EmailScoreResult, RespondSession, SaveAnswersBody, SaveResult, SubmitAnswersBody, SubmitResult } from '@rs/api/contract';
import type { Actions, PageServerLoad } from './$types';
import type { LinkBrand, PublicBrand } from '@rs/api/contract';

// An action's outcome for the `load` that renders the page right after it in the same request (a post
// without JavaScript): which page, which language, the answers as this page holds them, or the thank-you
// or closed-link state (the link no longer opens then).
const afterAction = new WeakMap<object, { pageIndex?: number; locale?: SurveyLocale; answers?: Answers; finished?: ThankYou; closed?: ClosedLink }>();

// Dates are shown in the company's time zone (the API's COMPANY_TIME_ZONE, same default) unless the facts
// carry one; the browser formats with the same zone, so hydration shows the same text.
const timeZone = () => serverTimeZone();

type Fetch = typeof fetch;

// Rendered on the server only: no framework code on the customer's phone, only $lib/survey/enhance.ts
// (the page's <script>); every button is a form post either way.
export const csr = false;

/** Any other failure of the API as the page's error (busy, or the service unavailable). */
function pageError(e: unknown): never {
  if (e instanceof ApiError) {
    if (e.status === 429) error(429, 'busy');
    error(503, 'unavailable');
  }
  throw e;
}

/** The day a used link was answered, in the customer's language and the company's time zone. */
function answeredOn(iso: unknown, locale: SurveyLocale): string | null {
  const date = typeof iso === 'string' ? new Date(iso) : null;
  if (!date || Number.isNaN(date.getTime())) return null;
  return formatLongDate(locale, date.toISOString(), timeZone());
}

/**
 * A link the API will not open, as what the page says instead: the API tells a used or expired link
 * (410, with the customer's language); anything else it does not know (404, or a malformed token: 400)
 * gets the generic text, in the language the browser asks for.
 */
function closedLink(e: unknown, acceptLanguage: string | null): ClosedLink | null {
  if (!(e instanceof ApiError)) return null;
  if (e.status === 410) {
    const problem = e.problem as { reason?: unknown; locale?: unknown; answeredAt?: unknown };
    const locale = isSurveyLocale(problem.locale) ? problem.locale : surveyLocaleFromHeader(acceptLanguage);
    return problem.reason === 'finished'
      ? { reason: 'finished', locale, answeredOn: answeredOn(problem.answeredAt, locale) }
      : { reason: 'expired', locale, answeredOn: null };
  }
  if (e.status === 404 || e.status === 400) return { reason: 'unknown', locale: surveyLocaleFromHeader(acceptLanguage), answeredOn: null };
  return null;
}

/**
 * A link that no longer opens: the page says why in one language, and the status says it too (unknown
 * or opted-out 404, used or expired 410) so that nothing caches or indexes it as a page that exists.
 */
function closedPage(closed: ClosedLink, locals: App.Locals): never {
  locals.pageLang = closed.locale;
  error(closed.reason === 'unknown' ? 404 : 410, { message: 'closed', closed });
}

const isFinishedLink = (e: unknown) => e instanceof ApiError && e.status === 410 && (e.problem as { reason?: unknown }).reason === 'finished';

const respondPath = (token: string) => `/respond/${encodeURIComponent(token)}`;

/** The brand of the link's branch (header, colours, legal footer); none when the API has none or fails. */
async function linkBrand(fetchFn: Fetch, token: string): Promise<PublicBrand | null> {
  try {
    return (await api<LinkBrand>(fetchFn, `${respondPath(token)}/brand`)).brand;
  } catch {
    return null;
  }
}

async function openSession(fetchFn: Fetch, token: string, locale: SurveyLocale | undefined, acceptLanguage: string | null): Promise<RespondSession> {
  const query = locale ? `?locale=${encodeURIComponent(locale)}` : '';
  return api<RespondSession>(fetchFn, `${respondPath(token)}${query}`, { headers: acceptLanguage ? { 'accept-language': acceptLanguage } : {} });
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
    reward: result.reward ?? null,
  };
}

function withTimeZone(facts: PipingFacts): PipingFacts {
  return { ...facts, timeZone: facts.timeZone ?? timeZone() };
}

/**
 * The response was finished already (a second click, another tab): the API's submit is idempotent
 * and answers with the same result (the answers sent are not used then). Only called when the link
 * says it was answered or a save says 409.
 */
async function alreadyFinished(fetchFn: Fetch, token: string, locale: SurveyLocale, session: RespondSession | null) {
  try {
    const result = await api<SubmitResult>(fetchFn, `${respondPath(token)}/submit`, {
      method: 'POST',
      json: { answers: {}, locale } satisfies SubmitAnswersBody,
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

export const load: PageServerLoad = async ({ params, url, fetch, locals, setHeaders, request }) => {
  setHeaders({ 'cache-control': 'no-store' });
  const after = afterAction.get(locals);
  const brand = await linkBrand(fetch, params.token);
  if (after?.finished) {
    locals.pageLang = after.finished.locale;
    return { session: null, finished: after.finished, brand };
  }
  if (after?.closed) closedPage(after.closed, locals);

  const requested = after?.locale ?? url.searchParams.get('lang');
  const acceptLanguage = request.headers.get('accept-language');
  // A score clicked in the invitation email: saved as the answer (the response stays open), then the
  // survey opens where it continues, with the score filled in and changeable.
  const score = url.searchParams.get('score');
  if (!after && score !== null && /^(10|[0-9])$/.test(score)) {
    try {
      await api<EmailScoreResult>(fetch, `${respondPath(params.token)}/email-score`, { method: 'PUT', json: { score: Number(score) } });
    } catch (e) {
      // an answered, expired or unknown link says so below; anything else is the page's error
      if (!(e instanceof ApiError && [400, 404, 409, 410].includes(e.status))) pageError(e);
    }
  }
  let session: RespondSession;
  try {
    session = await openSession(fetch, params.token, isSurveyLocale(requested) ? requested : undefined, acceptLanguage);
  } catch (e) {
    const closed = closedLink(e, acceptLanguage);
    if (closed) closedPage(closed, locals);
    pageError(e);
  }
  const definition = session.survey.definition;
  // after a post without JavaScript: the answers as the posting page held them (not another tab's draft)
  const answers = after?.answers ?? session.answers ?? {};
  // where the customer left off (the API never lands past a page they have not seen)
  const pageIndex = shownPageIndex(definition, answers, after?.pageIndex ?? session.page);
  const locale = sessionLocale(session);
  locals.pageLang = locale;
  return {
    finished: null,
    brand,
    session: {
      definition: definitionInLocales(definition, [locale, definition.defaultLocale]),
      locale,
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
  const acceptLanguage = request.headers.get('accept-language');

  let session: RespondSession;
  try {
    session = await openSession(fetch, token, isSurveyLocale(postedLocale) ? postedLocale : undefined, acceptLanguage);
  } catch (e) {
    if ((kind === 'next' || kind === 'submit') && isFinishedLink(e)) {
      // e.g. a double click without JavaScript: the first post finished the response
      const finished = await alreadyFinished(fetch, token, isSurveyLocale(postedLocale) ? postedLocale : 'zh-CN', null);
      afterAction.set(locals, { finished });
      return { finished } satisfies SurveyActionData;
    }
    const closed = closedLink(e, acceptLanguage);
    if (closed) {
      afterAction.set(locals, { closed });
      return { closed } satisfies SurveyActionData;
    }
    pageError(e);
  }

  const definition = session.survey.definition;
  const wanted = kind === 'lang' ? formData.get(LANG_FIELD) : postedLocale;
  const locale = offered(definition, wanted) ? wanted : offered(definition, postedLocale) ? postedLocale : sessionLocale(session);
  const saved = session.answers ?? {};
  const pageIndex = postedPageIndex(definition, formData) ?? shownPageIndex(definition, saved, session.page);
  const posted = formDataToAnswers(definition, formData, pageIndex);
  // What is saved: this page's changes over the saved draft; answers to questions hidden by the logic
  // are dropped here (a browser without JS cannot hide them).
  const { payload } = changeSet(definition, saved, posted);
  // What this page shows: its own answers over the other pages' answers it carries (not a draft another
  // tab saved meanwhile). Navigation, checks and the submit use these.
  const { answers } = changeSet(definition, carriedAnswers(definition, formData, pageIndex) ?? saved, posted);

  const stay = (errors: FieldErrors, at = pageIndex, message?: string) => {
    afterAction.set(locals, { pageIndex: at, locale, answers });
    return fail(400, { pageIndex: at, locale, errors, answers: at === pageIndex ? posted : undefined, message } satisfies SurveyActionData);
  };
  const moveTo = (target: number) => {
    afterAction.set(locals, { pageIndex: target, locale, answers });
    return { pageIndex: target, locale } satisfies SurveyActionData;
  };
  const showFinished = async () => {
    const finished = await alreadyFinished(fetch, token, locale, session);
    afterAction.set(locals, { finished });
    return { finished } satisfies SurveyActionData;
  };

  // Every save says on which page the customer is now: a reopened link continues there.
  const save = async (body: Record<string, unknown>, page: number) => {
    await api<SaveResult>(fetch, respondPath(token), { method: 'PUT', json: { answers: body, locale, page } satisfies SaveAnswersBody });
  };

  // Back and language switch: keep what can be kept, never block.
  if (kind === 'back' || kind === 'lang') {
    for (const fault of pageFaults(definition, answers, pageIndex, false)) delete payload[fault.questionId];
    const target = kind === 'back' ? (previousPageIndex(definition, answers, pageIndex) ?? pageIndex) : pageIndex;
    try {
      await save(payload, target);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) return showFinished();
      if (!(e instanceof ApiError && e.status === 400)) pageError(e);
    }
    return moveTo(target);
  }

  // Next and submit: this page must be complete; then the next shown page, or finish when there is none
  // (the answers may have added or removed pages since the buttons were drawn).
  const faults = pageFaults(definition, answers, pageIndex, true);
  if (faults.length > 0) return stay(faultsToErrors(faults, locale), pageIndex, st(locale, 'fixErrors'));

  const next = nextPageIndex(definition, answers, pageIndex);
  if (next !== null) {
    try {
      await save(payload, next);
    } catch (e) {
      if (e instanceof ApiError && e.status === 400) return stay(problemErrors(e, locale), pageIndex, st(locale, 'fixErrors'));
      if (e instanceof ApiError && e.status === 409) return showFinished();
      pageError(e);
    }
    return moveTo(next);
  }

  // Finish. A required question elsewhere still open (e.g. the survey was resumed): go there first.
  const remaining = faultsToErrors(validateAnswers(definition, answers, { final: true }), locale);
  const firstOpen = firstErrorPageIndex(definition, remaining);
  if (firstOpen !== null) {
    if (firstOpen !== pageIndex) {
      try {
        await save(payload, firstOpen);
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 400)) pageError(e);
      }
    }
    return stay(remaining, firstOpen, st(locale, 'fixErrors'));
  }

  // The finished response is exactly what this page shows: the API replaces the saved draft with it.
  let result: SubmitResult;
  try {
    result = await api<SubmitResult>(fetch, `${respondPath(token)}/submit`, {
      method: 'POST',
      json: { answers, locale } satisfies SubmitAnswersBody,
    });
  } catch (e) {
    if (e instanceof ApiError && e.status === 400) {
      const errors = problemErrors(e, locale);
      return stay(errors, firstErrorPageIndex(definition, errors) ?? pageIndex, st(locale, 'fixErrors'));
    }
    if (isFinishedLink(e)) return showFinished();
    const closed = closedLink(e, acceptLanguage);
    if (closed) {
      afterAction.set(locals, { closed });
      return { closed } satisfies SurveyActionData;
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
