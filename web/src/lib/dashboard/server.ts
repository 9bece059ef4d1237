// Server-side loading shared by the dashboard pages: survey choice, URL state, filter options, and
// fetching an analytics endpoint that may not exist on this server yet.
import { error } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { api, ApiError } from '$lib/api';
import type { UiLocale } from '$lib/i18n';
import type { Summary, SurveySummary } from '$lib/types';
import { apiParams, readState, todayIn, toQuery, type DashboardState, type Period, type QueryValue } from './filters';
import type { Loaded } from './types';

type Fetch = typeof fetch;

export interface FilterOptions {
  branches: { key: string; label: string }[];
  regions: string[];
  vehicleClasses: string[];
}

export interface DashboardContext {
  surveys: SurveySummary[];
  surveyId: string | null;
  state: DashboardState;
  today: string;
  lang: UiLocale;
  minN: number | null;
  options: FilterOptions;
}

/** Parameters an older API does not know yet: a 400 about them means "this view is not available". */
const NEWER_PARAMETERS = new Set(['groupBy', 'against', 'method', 'drivers', 'outcome', 'metric', 'interval', 'window', 'weight']);

export function unavailable(e: unknown): boolean {
  if (!(e instanceof ApiError)) return false;
  if (e.status === 404 && e.problem.detail === 'No such endpoint') return true;
  if (e.status === 405 || e.status === 501) return true;
  return e.status === 400 && !!e.problem.errors?.length && e.problem.errors.every((x) => NEWER_PARAMETERS.has(x.path.split('.')[0]));
}

/** Signed out or not allowed: the page cannot be shown at all. */
function rethrowAccess(e: unknown) {
  if (e instanceof ApiError && (e.status === 401 || e.status === 403)) error(e.status, e.problem.detail ?? e.problem.title);
}

/** GET an API path; the result says whether it answered, is not available here, or failed (with the message). */
export async function fetchOptional<T>(fetchFn: Fetch, path: string, normalize?: (raw: unknown) => T): Promise<Loaded<T>> {
  try {
    const raw = await api<unknown>(fetchFn, path);
    return { status: 'ok', data: normalize ? normalize(raw) : (raw as T) };
  } catch (e) {
    rethrowAccess(e);
    if (unavailable(e)) return { status: 'unavailable' };
    if (e instanceof ApiError) return { status: 'error', httpStatus: e.status, message: e.problem.detail ?? e.problem.title };
    return { status: 'error', httpStatus: 500, message: e instanceof Error ? e.message : String(e) };
  }
}

export const analyticsPath = (endpoint: string, params: Record<string, QueryValue>) => `/analytics/${endpoint}${toQuery(params)}`;

/** The chosen survey (from the URL, else the active post-rental one), the URL state and the filter options. */
export async function loadContext(fetchFn: Fetch, url: URL, locale: UiLocale): Promise<DashboardContext> {
  let surveys: SurveySummary[];
  try {
    surveys = await api<SurveySummary[]>(fetchFn, '/surveys');
  } catch (e) {
    rethrowAccess(e);
    throw e;
  }
  const published = surveys.filter((s) => s.latestVersion !== null);
  const chosen =
    published.find((s) => s.id === url.searchParams.get('survey')) ??
    published.find((s) => s.kind === 'post_rental' && s.status === 'active') ??
    published[0];
  const today = todayIn(env.COMPANY_TIME_ZONE || 'Asia/Shanghai');
  const state = readState(url, today);
  state.survey = chosen?.id ?? null;
  const options: FilterOptions = { branches: [], regions: [], vehicleClasses: [] };
  let minN: number | null = null;
  if (chosen) {
    // Every value that occurs in the survey's answers, whatever the period and filters.
    const all = (groupBy: string) => fetchOptional<Summary>(fetchFn, analyticsPath('summary', { survey: chosen.id, groupBy, lang: locale }));
    const [branches, regions, vehicles] = await Promise.all([all('branch'), all('region'), all('vehicleClass')]);
    if (branches.status === 'ok') {
      options.branches = branches.data.groups.map((g) => ({ key: g.key, label: g.label }));
      minN = branches.data.minN;
    }
    if (regions.status === 'ok') options.regions = regions.data.groups.map((g) => g.key);
    if (vehicles.status === 'ok') options.vehicleClasses = vehicles.data.groups.map((g) => g.key).filter((k) => k !== 'unknown');
  }
  return { surveys: published, surveyId: chosen?.id ?? null, state, today, lang: locale, minN, options };
}

/** The analytics query parameters of the context, plus the UI language for labels. */
export function contextParams(ctx: DashboardContext, extra: Record<string, QueryValue> = {}, range: Period = ctx.state.range) {
  return apiParams(ctx.state, { lang: ctx.lang, ...extra }, range);
}
