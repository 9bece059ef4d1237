// Server-side loading shared by the dashboard pages: survey choice, URL state, filter options, and
// fetching an analytics endpoint (its failure is shown in place of the view, not thrown).
import { error } from '@sveltejs/kit';
import { api, ApiError } from '$lib/api';
import { serverTimeZone } from '$lib/server/time-zone';
import type { UiLocale } from '$lib/i18n';
import type { AnalyticsFilterOptions, SurveySummary } from '@rs/api/contract';
import { apiParams, readState, todayIn, toQuery, type DashboardState, type Period, type PeriodKind, type QueryValue } from './filters';
import type { Loaded } from './loaded';

type Fetch = typeof fetch;

export interface FilterOptions {
  branches: { key: string; label: string }[];
  regions: string[];
  vehicleClasses: string[];
  /** Brands of the branches the user may see (?brand=). */
  brands: { key: string; label: string }[];
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

/** Signed out or not allowed: the page cannot be shown at all. */
function rethrowAccess(e: unknown) {
  if (e instanceof ApiError && (e.status === 401 || e.status === 403)) error(e.status, e.problem.detail ?? e.problem.title);
}

/**
 * GET an API path (T: its contract type); the result is the answer or the failure with its message. Web and
 * API ship together, so every failure (a 404 included) is an error the page shows.
 */
export async function fetchLoaded<T>(fetchFn: Fetch, path: string): Promise<Loaded<T>> {
  try {
    return { status: 'ok', data: await api<T>(fetchFn, path) };
  } catch (e) {
    rethrowAccess(e);
    if (e instanceof ApiError) return { status: 'error', httpStatus: e.status, message: e.problem.detail ?? e.problem.title };
    return { status: 'error', httpStatus: 500, message: e instanceof Error ? e.message : String(e) };
  }
}

export const analyticsPath = (endpoint: string, params: Record<string, QueryValue>) => `/analytics/${endpoint}${toQuery(params)}`;

/**
 * The chosen survey (from the URL, else the active post-rental one), the URL state and the filter options.
 * `defaultPeriod`: the period shown when the URL names none.
 */
export async function loadContext(fetchFn: Fetch, url: URL, locale: UiLocale, options: { defaultPeriod?: PeriodKind } = {}): Promise<DashboardContext> {
  let surveys: SurveySummary[];
  try {
    surveys = await api<SurveySummary[]>(fetchFn, '/surveys');
  } catch (e) {
    rethrowAccess(e);
    throw e;
  }
  const published = surveys.filter((s) => s.latestVersion !== null);
  const chosen =
    published.find((s) => s.id === url.searchParams.get('survey')) ?? published.find((s) => s.kind === 'post_rental' && s.status === 'active') ?? published[0];
  const today = todayIn(serverTimeZone());
  const state = readState(url, today, options.defaultPeriod);
  state.survey = chosen?.id ?? null;
  const filterOptions: FilterOptions = { branches: [], regions: [], vehicleClasses: [], brands: [] };
  let minN: number | null = null;
  if (chosen) {
    // Branches and regions the user may see and the vehicle classes, from small tables: no summary of the responses.
    const found = await fetchLoaded<AnalyticsFilterOptions>(fetchFn, analyticsPath('filter-options', { survey: chosen.id, lang: locale }));
    if (found.status === 'ok') {
      filterOptions.branches = found.data.branches;
      filterOptions.regions = found.data.regions.map((r) => r.key);
      filterOptions.vehicleClasses = found.data.vehicleClasses;
      filterOptions.brands = found.data.brands;
      minN = found.data.minN;
    }
  }
  return { surveys: published, surveyId: chosen?.id ?? null, state, today, lang: locale, minN, options: filterOptions };
}

/** The analytics query parameters of the context, plus the UI language for labels. */
export function contextParams(ctx: DashboardContext, extra: Record<string, QueryValue> = {}, range: Period = ctx.state.range) {
  return apiParams(ctx.state, { lang: ctx.lang, ...extra }, range);
}
