import { isPreviewFramePath } from '$lib/builder/preview-frame';
import { t, type MessageKey, type UiLocale } from '$lib/i18n';
import { serverTimeZone } from '$lib/server/time-zone';
import type { LayoutServerLoad } from './$types';

/**
 * The staff bar's texts, looked up here so that the layout's browser code does not carry the whole
 * translation table: the customers' survey pages load that code too and must stay small.
 */
function staffBarTexts(locale: UiLocale, role: string | undefined) {
  return {
    'app.title': t(locale, 'app.title'),
    'nav.main': t(locale, 'nav.main'),
    'nav.dashboard': t(locale, 'nav.dashboard'),
    'nav.branches': t(locale, 'nav.branches'),
    'rollup.nav': t(locale, 'rollup.nav'),
    'nav.segments': t(locale, 'nav.segments'),
    'nav.drivers': t(locale, 'nav.drivers'),
    'nav.loyalty': t(locale, 'nav.loyalty'),
    'nav.targets': t(locale, 'nav.targets'),
    'nav.responses': t(locale, 'nav.responses'),
    'nav.topics': t(locale, 'nav.topics'),
    'nav.surveys': t(locale, 'nav.surveys'),
    'nav.distribution': t(locale, 'nav.distribution'),
    'nav.cases': t(locale, 'nav.cases'),
    'nav.actionPlans': t(locale, 'nav.actionPlans'),
    'nav.admin': t(locale, 'nav.admin'),
    'lang.switch': t(locale, 'lang.switch'),
    'nav.signOut': t(locale, 'nav.signOut'),
    role: role ? t(locale, `role.${role}` as MessageKey) : '',
  };
}

export type StaffBarTexts = ReturnType<typeof staffBarTexts>;

/** The texts of the staff error page (+error.svelte), for the same reason: that page's code loads with every page. */
function errorPageTexts(locale: UiLocale) {
  return { title: t(locale, 'unavailable.title'), body: t(locale, 'unavailable.body'), retry: t(locale, 'unavailable.retry') };
}

export type ErrorPageTexts = ReturnType<typeof errorPageTexts>;

export const load: LayoutServerLoad = ({ locals, url }) => {
  // The customer-facing survey pages (and the builder's preview of them) carry no staff bar.
  const surveyPage = url.pathname.startsWith('/s/') || isPreviewFramePath(url.pathname);
  return {
    locale: locals.locale,
    user: locals.user,
    timeZone: serverTimeZone(locals.user),
    bar: surveyPage ? null : staffBarTexts(locals.locale, locals.user?.role),
    errorTexts: errorPageTexts(locals.locale),
  };
};
