// The page a scanned QR code opens: an open link's survey, answered without an invitation. The survey
// components are the answering page's own ($lib/survey); nothing is saved before the last page: the
// answers of the pages before travel with the form (hidden fields) and are sent once, with the signed
// ticket of when the page first opened, the honeypot and the optional rental number or phone.
import { error, fail, type RequestEvent } from '@sveltejs/kit';
import { validateAnswers } from '@rs/survey-definition';
import { definitionInLocales } from '$lib/survey/in-locales';
import { api, ApiError } from '$lib/api';
import { serverTimeZone } from '$lib/server/time-zone';
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
import { carriedAnswers, formDataToAnswers, LOCALE_FIELD, postedPageIndex } from '$lib/survey/form-data';
import { isSurveyLocale, st, surveyLocaleFromHeader, type SurveyLocale } from '$lib/survey/texts';
import type { OpenSession, OpenSubmitBody, OpenSubmitResult } from '@rs/api/contract';
import type { Actions, PageServerLoad } from './$types';
import { HONEYPOT_FIELD, RENTAL_FIELD, TICKET_FIELD, type OpenActionData } from './fields';

/** The device cookie the API counts answers per device by (random, HTTP-only, a year). */
const DEVICE_COOKIE = 'rs_open_device';
function ensureDevice(event: Pick<RequestEvent, 'cookies' | 'url'>) {
  if (event.cookies.get(DEVICE_COOKIE)) return;
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  const value = Buffer.from(bytes).toString('base64url');
  event.cookies.set(DEVICE_COOKIE, value, { path: '/', httpOnly: true, sameSite: 'lax', secure: event.url.protocol === 'https:', maxAge: 365 * 86_400 });
}

async function openSession(event: Pick<RequestEvent, 'fetch' | 'params' | 'request'>, locale: string | null): Promise<OpenSession> {
  const slug = encodeURIComponent(event.params.slug ?? '');
  const acceptLanguage = event.request.headers.get('accept-language');
  try {
    return await api<OpenSession>(event.fetch, `/open/${slug}${isSurveyLocale(locale) ? `?locale=${locale}` : ''}`, {
      headers: acceptLanguage ? { 'accept-language': acceptLanguage } : {},
    });
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 400)) {
      error(404, { message: 'closed', closed: { reason: 'unknown', locale: surveyLocaleFromHeader(acceptLanguage), answeredOn: null } } as never);
    }
    if (e instanceof ApiError && e.status === 429) error(429, 'busy');
    throw e;
  }
}

// Rendered on the server only: no framework code on the customer's phone, only $lib/survey/enhance.ts
// (the page's <script>); every button is a form post either way.
export const csr = false;

// The language a post was answered in, for the `load` that renders the page right after it (the post's
// address carries no ?lang=).
const postedLocale = new WeakMap<object, SurveyLocale>();

const branchOf = (session: OpenSession, locale: SurveyLocale) => (locale === 'en' && session.branch.nameEn ? session.branch.nameEn : session.branch.name);

export const load: PageServerLoad = async (event) => {
  event.setHeaders({ 'cache-control': 'no-store' });
  ensureDevice(event);
  const session = await openSession(event, postedLocale.get(event.locals) ?? event.url.searchParams.get('lang'));
  const def = session.survey.definition;
  const locale = (isSurveyLocale(session.locale) ? session.locale : def.defaultLocale) as SurveyLocale;
  event.locals.pageLang = locale;
  return {
    session: {
      definition: definitionInLocales(def, [locale, def.defaultLocale]),
      locale,
      locales: (def.locales ?? [def.defaultLocale]).filter(isSurveyLocale),
      facts: { ...session.facts, timeZone: serverTimeZone() },
      branch: branchOf(session, locale),
      tag: session.tag,
      ticket: session.ticket,
      pageIndex: shownPageIndex(def, {}, 0),
    },
  };
};

async function act(event: RequestEvent, kind: 'next' | 'back' | 'submit') {
  const formData = await event.request.formData();
  const posted = formData.get(LOCALE_FIELD);
  const session = await openSession(event, isSurveyLocale(posted) ? posted : null);
  const def = session.survey.definition;
  const locale = (isSurveyLocale(posted) ? posted : isSurveyLocale(session.locale) ? session.locale : def.defaultLocale) as SurveyLocale;
  postedLocale.set(event.locals, locale);
  // The ticket of the first opening travels with the form: the time on page counts from there.
  const ticket = String(formData.get(TICKET_FIELD) ?? '') || session.ticket;
  const pageIndex = postedPageIndex(def, formData) ?? shownPageIndex(def, {}, 0);
  const { answers } = changeSet(def, carriedAnswers(def, formData, pageIndex) ?? {}, formDataToAnswers(def, formData, pageIndex));
  // the rental number or phone typed on the last page, shown again when the page comes back
  const rentalRef = String(formData.get(RENTAL_FIELD) ?? '')
    .trim()
    .slice(0, 40);
  const stay = (errors: FieldErrors, at = pageIndex, extra: Partial<OpenActionData> = {}) =>
    fail(400, { pageIndex: at, locale, errors, answers, ticket, rentalRef, message: st(locale, 'fixErrors'), ...extra } satisfies OpenActionData);

  if (kind === 'back') return { pageIndex: previousPageIndex(def, answers, pageIndex) ?? pageIndex, locale, answers, ticket } satisfies OpenActionData;
  const faults = pageFaults(def, answers, pageIndex, true);
  if (faults.length > 0) return stay(faultsToErrors(faults, locale));
  const next = nextPageIndex(def, answers, pageIndex);
  if (next !== null) return { pageIndex: next, locale, answers, ticket } satisfies OpenActionData;

  const remaining = faultsToErrors(validateAnswers(def, answers, { final: true }), locale);
  const firstOpen = firstErrorPageIndex(def, remaining);
  if (firstOpen !== null) return stay(remaining, firstOpen);

  const body: OpenSubmitBody = {
    answers,
    locale,
    ticket,
    website: String(formData.get(HONEYPOT_FIELD) ?? ''),
    ...(rentalRef ? { rentalRef } : {}),
  };
  try {
    await api<OpenSubmitResult>(event.fetch, `/open/${encodeURIComponent(event.params.slug ?? '')}/submit`, { method: 'POST', json: body });
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    if (e.status === 429) return fail(429, { pageIndex, locale, answers, ticket, rentalRef, problem: 'limit' } satisfies OpenActionData);
    const first = e.problem.errors?.[0] as { path?: string; code?: string } | undefined;
    if (e.status === 400 && first?.code === 'too_fast')
      return fail(400, { pageIndex, locale, answers, ticket, rentalRef, problem: 'tooFast' } satisfies OpenActionData);
    if (e.status === 400 && first?.path === 'ticket') return fail(400, { pageIndex, locale, answers, rentalRef, problem: 'stale' } satisfies OpenActionData);
    if (e.status === 400 && first?.path === 'device')
      return fail(400, { pageIndex, locale, answers, ticket, rentalRef, problem: 'cookies' } satisfies OpenActionData);
    if (e.status === 400) {
      const errors = faultsToErrors(
        (e.problem.errors ?? []).map((f) => ({ questionId: f.path, code: f.code, messages: f.messages ?? { en: f.message } })),
        locale,
      );
      return stay(errors, firstErrorPageIndex(def, errors) ?? pageIndex);
    }
    throw e;
  }
  return { finished: { locale, branch: branchOf(session, locale) } } satisfies OpenActionData;
}

export const actions: Actions = {
  next: (event) => act(event, 'next'),
  back: (event) => act(event, 'back'),
  submit: (event) => act(event, 'submit'),
};
