// WCAG 2.1 AA on the staff pages: every page route under web/src/routes (read from the file system, so a
// page added later is walked without editing this file) is opened signed in as the admin and as a branch
// manager, in zh-CN and in en, and axe must find no serious or critical violation. Routes with parameters
// get real ids from the demo data through the API; a route whose id cannot be found is reported as skipped.
// Pages a role may not open (403/404) are not checked for that role.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { apiHeaders, signIn, type Role } from './support/session.ts';

const ROUTES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/src/routes');
/** Pages for customers or for signing in: not staff pages (the survey page has its own axe check). */
const PUBLIC = [/^\/s\//, /^\/login(\/|$)/];

/** Every page route: the folders holding a +page.svelte, groups `(x)` left out, as `/a/[id]/[[view]]`. */
function pageRoutes(dir = ROUTES_DIR, prefix = ''): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (name === '+page.svelte') found.push(prefix || '/');
    else if (statSync(full).isDirectory()) found.push(...pageRoutes(full, /^\(.+\)$/.test(name) ? prefix : `${prefix}/${name}`));
  }
  return found;
}

const STAFF_ROUTES = pageRoutes().filter((r) => !PUBLIC.some((p) => p.test(r)));

type Json = Record<string, unknown>;

async function getJson(request: APIRequestContext, url: string): Promise<unknown> {
  const res = await request.get(url, { headers: await apiHeaders(request, 'admin') });
  return res.ok() ? res.json() : null;
}

/** The first object with an `id` in a list answer (a bare array, or an array under any key). */
function firstWithId(body: unknown): Json | null {
  if (Array.isArray(body)) return (body.find((x) => x && typeof x === 'object' && 'id' in x) as Json) ?? null;
  if (body && typeof body === 'object') {
    for (const value of Object.values(body)) {
      if (Array.isArray(value)) {
        const hit = firstWithId(value);
        if (hit) return hit;
      }
    }
  }
  return null;
}

async function firstId(request: APIRequestContext, url: string): Promise<string | null> {
  const hit = firstWithId(await getJson(request, url));
  return hit ? String(hit.id) : null;
}

/** Real values for the parameters of known routes (from the demo data, read as the admin). */
const RESOLVERS: Record<string, (request: APIRequestContext) => Promise<Record<string, string> | null>> = {
  '/action-plans/[id]': async (r) => wrap('id', await firstId(r, '/api/action-plans')),
  '/admin/users/[id]': async (r) => wrap('id', await firstId(r, '/api/users')),
  '/admin/webhooks/[id]': async (r) => wrap('id', await firstId(r, '/api/webhooks')),
  '/branches/[code]/[[view]]': async (r) => {
    const branches = (await getJson(r, '/api/branches')) as { code: string; active: boolean }[] | null;
    const code = branches?.find((b) => b.code === 'SH01')?.code ?? branches?.[0]?.code;
    return code ? { code, view: '' } : null;
  },
  '/cases/[id]': async (r) => wrap('id', await firstId(r, '/api/cases')),
  '/cases/rules/[id]': async (r) => wrap('id', await firstId(r, '/api/alert-rules')),
  '/dashboard/[[view]]': async () => ({ view: '' }),
  '/distribution/import/[id]': async (r) => wrap('id', await firstId(r, '/api/imports')),
  '/distribution/rewards/[id]': async (r) => wrap('id', await firstId(r, '/api/rewards/programmes')),
  '/distribution/rules/[surveyId]': async (r) => wrap('surveyId', await firstId(r, '/api/surveys')),
  '/regions/[code]': async () => ({ code: '华东' }),
  '/responses/[id]': async (r) => {
    const survey = await postRentalSurvey(r);
    return survey ? wrap('id', await firstId(r, `/api/responses?survey=${survey}&pageSize=5`)) : null;
  },
  '/surveys/[id]': async (r) => wrap('id', await postRentalSurvey(r)),
  '/surveys/[id]/preview': async (r) => wrap('id', await postRentalSurvey(r)),
  '/surveys/[id]/versions/[version]': async (r) => {
    const id = await postRentalSurvey(r);
    return id ? { id, version: '1' } : null;
  },
};

const wrap = (name: string, value: string | null) => (value ? { [name]: value } : null);

async function postRentalSurvey(request: APIRequestContext): Promise<string | null> {
  const surveys = (await getJson(request, '/api/surveys')) as { id: string; kind: string }[] | null;
  return (surveys?.find((s) => s.kind === 'post_rental') ?? surveys?.[0])?.id ?? null;
}

/**
 * The URL of a route: its parameters from RESOLVERS, or else (a route added after this file) the first id
 * the API lists at the same path (`/x/[id]` → `GET /api/x`). Null when no value is found.
 */
async function urlOf(request: APIRequestContext, route: string): Promise<string | null> {
  const params = route.match(/\[\[?\w+\]?\]/g) ?? [];
  if (params.length === 0) return route;
  let values = RESOLVERS[route] ? await RESOLVERS[route](request) : null;
  if (!values && !RESOLVERS[route]) {
    const first = route.indexOf('/[');
    const id = await firstId(request, `/api${route.slice(0, first)}`);
    values = id && params.length === 1 ? { [params[0].replace(/[[\]]/g, '')]: id } : null;
  }
  if (!values) return null;
  const given = values;
  const url = route.replace(/\/\[\[?(\w+)\]?\]/g, (_, name: string) => (given[name] ? `/${encodeURIComponent(given[name])}` : ''));
  return url || '/';
}

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const ROLES: Role[] = ['admin', 'branch_manager'];
const LOCALES = ['zh-CN', 'en'] as const;

test('the walk finds the staff pages in the routes folder', () => {
  for (const known of ['/dashboard/[[view]]', '/cases/[id]', '/surveys/[id]', '/admin/users']) expect(STAFF_ROUTES).toContain(known);
  expect(STAFF_ROUTES.some((r) => r.startsWith('/s/') || r.startsWith('/login'))).toBe(false);
});

for (const role of ROLES) {
  for (const locale of LOCALES) {
    test.describe(`${role}, ${locale}`, () => {
      for (const route of STAFF_ROUTES) {
        test(`axe: ${route}`, async ({ page, request, baseURL }, testInfo) => {
          const url = await urlOf(request, route);
          test.skip(url === null, `no id in the demo data for ${route}`);
          await page.context().addCookies([{ name: 'lang', value: locale, url: baseURL! }]);
          await signIn(page, role);
          const res = await page.goto(url!);
          const status = res?.status() ?? 0;
          test.skip(status === 403 || status === 404, `${role} may not open ${url} (${status})`);
          expect(status, `${url} answers`).toBeLessThan(400);
          await page.waitForLoadState('networkidle');
          await expect(page.locator('html')).toHaveAttribute('lang', locale);
          const found = await seriousViolations(page);
          testInfo.annotations.push({ type: 'url', description: url! });
          expect(found, `${role} ${locale} ${url}`).toEqual([]);
        });
      }
    });
  }
}

// The staff sign-in page, signed out.
for (const locale of LOCALES) {
  test(`axe: /login, ${locale}`, async ({ page, baseURL }) => {
    await page.context().addCookies([{ name: 'lang', value: locale, url: baseURL! }]);
    await page.goto('/login');
    await page.locator('[data-testid="login-form"][data-ready="true"]').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });
}

// 200 % zoom: a 1280 px wide screen at 200 % leaves 640 CSS px. The main pages fit without a horizontal
// scroll bar (a wide table may scroll inside its own box, which is focusable).
const MAIN_PAGES = ['/dashboard', '/branches', '/cases', '/cases/metrics', '/surveys', '/responses', '/distribution', '/drivers', '/topics', '/admin/users'];

test.describe('at 200 % zoom', () => {
  test.use({ viewport: { width: 640, height: 900 }, deviceScaleFactor: 2 });
  for (const url of MAIN_PAGES) {
    test(`no horizontal scroll: ${url}`, async ({ page, baseURL }) => {
      await page.context().addCookies([{ name: 'lang', value: 'en', url: baseURL! }]);
      await signIn(page, 'admin');
      const res = await page.goto(url);
      expect(res?.status()).toBeLessThan(400);
      await page.waitForLoadState('networkidle');
      const { scrollWidth, clientWidth, widest } = await page.evaluate(() => {
        const width = document.documentElement.clientWidth;
        // The innermost elements reaching past the window's right edge: what to fix when this fails.
        const over = [...document.body.querySelectorAll('*')].filter((el) => el.getBoundingClientRect().right > width + 1);
        const innermost = over.filter((el) => !over.some((other) => other !== el && el.contains(other)));
        const name = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${[...el.classList].map((c) => `.${c}`).join('')}`;
        return {
          scrollWidth: document.documentElement.scrollWidth,
          clientWidth: width,
          widest: innermost.slice(0, 8).map((el) => `${name(el.parentElement ?? el)} > ${name(el)} (right ${Math.round(el.getBoundingClientRect().right)})`),
        };
      });
      expect(clientWidth).toBe(640);
      expect(scrollWidth, `${url} is ${scrollWidth} px wide at 640 px: ${widest.join('; ')}`).toBeLessThanOrEqual(clientWidth);
    });
  }
});

// Every chart has a text alternative: the table of its numbers in the same card, readable by screen readers
// while the chart is shown (ChartCard keeps it in the page, visually hidden).
test('every chart on the dashboard, branch, driver and case-metrics pages has its data table', async ({ page, baseURL }) => {
  await page.context().addCookies([{ name: 'lang', value: 'en', url: baseURL! }]);
  await signIn(page, 'admin');
  let charts = 0;
  for (const url of ['/dashboard', '/branches/SH01', '/drivers', '/cases/metrics']) {
    await page.goto(url);
    await page.waitForLoadState('networkidle');
    const missing = await page.locator('canvas').evaluateAll((canvases) =>
      canvases
        .filter((c) => {
          const card = c.closest('section');
          const rows = card?.querySelectorAll('table tbody tr').length ?? 0;
          return rows === 0;
        })
        .map((c) => c.getAttribute('aria-label') ?? c.outerHTML.slice(0, 80)),
    );
    expect(missing, `${url}: charts without a data table`).toEqual([]);
    charts += await page.locator('canvas').count();
  }
  expect(charts).toBeGreaterThan(0);
});
