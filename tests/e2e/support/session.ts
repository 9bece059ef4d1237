// Credentials for browser tests: staff pages and the staff API need a signed-in user or an API key.
// The demo data (DEMO_DATA=true in the global setup) has one user per role with a known password.
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_USERS } from '../../../api/src/demo/seed.ts';

export type Role = 'admin' | 'quality_manager' | 'branch_manager' | 'regional_manager' | 'executive';

export function demoUser(role: Role) {
  const user = DEMO_USERS.find((u) => u.role === role);
  if (!user) throw new Error(`no demo user for ${role}`);
  return { ...user, password: DEMO_PASSWORD };
}

/** Signs the page's browser context in as the demo user of a role (through the API; the cookie lands in the context). */
export async function signIn(page: Page, role: Role): Promise<void> {
  const user = demoUser(role);
  const res = await page.context().request.post('/api/auth/login', { data: { email: user.email, password: user.password } });
  expect(res.status(), `sign-in as ${role}`).toBe(200);
}

/** Signs in through the login form, as a person would. */
export async function signInWithForm(page: Page, role: Role, next = '/dashboard'): Promise<void> {
  const user = demoUser(role);
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.locator('[data-testid="login-form"][data-ready="true"]').waitFor();
  await page.locator('input[name="email"]').fill(user.email);
  await page.locator('input[name="password"]').fill(user.password);
  await page.getByTestId('login-form').locator('button[type="submit"]').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

const cached = new Map<Role, Record<string, string>>();

/**
 * Headers that authenticate API calls made from a test: a session of the role's demo user (admin by
 * default) and the header that marks cookie-authenticated writes as not cross-site.
 */
export async function apiHeaders(request: APIRequestContext, role: Role = 'admin'): Promise<Record<string, string>> {
  const known = cached.get(role);
  if (known) return known;
  const user = demoUser(role);
  const res = await request.post('/api/auth/login', { data: { email: user.email, password: user.password } });
  expect(res.status(), `API sign-in as ${role}`).toBe(200);
  const cookie = res
    .headersArray()
    .filter((h) => h.name.toLowerCase() === 'set-cookie')
    .map((h) => h.value.split(';')[0])
    .find((c) => c.startsWith('rs_session='));
  if (!cookie) throw new Error('no session cookie');
  const headers = { cookie, 'x-requested-with': 'playwright' };
  cached.set(role, headers);
  return headers;
}

/** Signs in as a role with the UI language set by its cookie, opens a staff page and waits until it is hydrated. */
export async function openAs(page: Page, role: Role, locale: 'zh-CN' | 'en', path: string): Promise<void> {
  await page.context().addCookies([{ name: 'lang', value: locale, url: test.info().project.use.baseURL ?? process.env.E2E_BASE_URL! }]);
  await signIn(page, role);
  await page.goto(path);
  await page.waitForLoadState('networkidle');
  await expect(page.locator('html')).toHaveAttribute('lang', locale);
}
