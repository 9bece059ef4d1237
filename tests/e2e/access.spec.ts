// Signing in as each demo role: the navigation, the pages and the data each role may see, and nothing more.
import { expect, test, type Page } from '@playwright/test';
import { demoUser, signInWithForm, type Role } from './support/session.ts';

const NAV = ['/dashboard', '/responses', '/surveys', '/cases', '/admin'] as const;

async function navLinks(page: Page) {
  const hrefs = await page.locator('header nav a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  return NAV.filter((href) => hrefs.includes(href));
}

/** The branches the role's session gets from the analytics API of the post-rental survey. */
async function branchesSeen(page: Page) {
  const surveys = await (await page.context().request.get('/api/surveys')).json();
  const survey = surveys.find((s: { kind: string }) => s.kind === 'post_rental');
  const res = await page.context().request.get(`/api/analytics/summary?survey=${survey.id}&groupBy=branch`);
  expect(res.status()).toBe(200);
  const body = await res.json();
  return (body.groups as { key: string }[]).map((g) => g.key).sort();
}

test('staff pages send an anonymous visitor to the login page; survey links stay public', async ({ page }) => {
  const login = await page.goto('/dashboard?from=2026-01-01');
  await expect(page).toHaveURL(/\/login\?next=%2Fdashboard%3Ffrom%3D2026-01-01$/);
  // Security headers on the pages: no framing, a content security policy, a referrer policy.
  const headers = login!.headers();
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(headers['content-security-policy']).toContain("script-src 'self'");
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['referrer-policy']).toMatch(/^(same-origin|no-referrer|strict-origin)/);
  expect(headers['x-content-type-options']).toBe('nosniff');
  await expect(page.locator('header nav a')).toHaveCount(0);

  const survey = await page.goto('/s/AAAAAAAAAAAAAAAAAAAAAA');
  expect(new URL(page.url()).pathname).toBe('/s/AAAAAAAAAAAAAAAAAAAAAA');
  expect(survey?.status()).toBe(404);

  const api = await page.request.get('/api/surveys');
  expect(api.status()).toBe(401);
});

test('a wrong password is refused with a message; the right one signs in and returns to the asked page', async ({ page }) => {
  const qm = demoUser('quality_manager');
  await page.goto('/login?next=%2Faccount');
  await page.locator('[data-testid="login-form"][data-ready="true"]').waitFor();
  await page.locator('input[name="email"]').fill(qm.email);
  await page.locator('input[name="password"]').fill('not the password');
  await page.getByTestId('login-form').locator('button[type="submit"]').click();
  await expect(page.getByTestId('login-error')).toBeVisible();
  await expect(page).toHaveURL(/\/login/);

  await page.locator('input[name="password"]').fill(qm.password);
  await page.getByTestId('login-form').locator('button[type="submit"]').click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId('account-role')).toHaveText(/Quality manager|质量经理/);
  const cookie = (await page.context().cookies()).find((c) => c.name === 'rs_session');
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
});

// Regional managers, whose branches follow their regions, have their own spec (regions.spec.ts).
const expectations: Record<Exclude<Role, 'regional_manager'>, { nav: (typeof NAV)[number][]; admin: boolean; branches: 'all' | string[] }> = {
  admin: { nav: ['/dashboard', '/responses', '/surveys', '/cases', '/admin'], admin: true, branches: 'all' },
  quality_manager: { nav: ['/dashboard', '/responses', '/surveys', '/cases'], admin: false, branches: 'all' },
  branch_manager: { nav: ['/dashboard', '/responses', '/cases'], admin: false, branches: ['SH01', 'SH02'] },
  executive: { nav: ['/dashboard'], admin: false, branches: 'all' },
};

for (const [role, expected] of Object.entries(expectations) as [
  Exclude<Role, 'regional_manager'>,
  (typeof expectations)[Exclude<Role, 'regional_manager'>],
][]) {
  test(`${role}: sees only what the role may`, async ({ page }) => {
    await signInWithForm(page, role);
    await expect(page).toHaveURL(/\/dashboard/);
    await expect(page.getByTestId('user-menu')).toContainText(demoUser(role).name);
    expect(await navLinks(page)).toEqual(expected.nav);

    const admin = await page.goto('/admin/users');
    if (expected.admin) {
      expect(admin?.status()).toBe(200);
      for (const user of ['admin', 'quality_manager', 'branch_manager', 'executive'] as Role[]) {
        await expect(page.locator(`[data-testid="users-table"] tr[data-email="${demoUser(user).email}"]`)).toHaveCount(1);
      }
    } else {
      expect(admin?.status()).toBe(403);
      await expect(page.getByText(/Your role may not open this page|您的角色无权查看此页面/)).toBeVisible();
      expect((await page.request.get('/api/users')).status()).toBe(403);
    }

    const seen = await branchesSeen(page);
    if (expected.branches === 'all') expect(seen.length).toBeGreaterThan(5);
    else expect(seen).toEqual(expected.branches);

    await page.goto('/account');
    const branches = page.getByTestId('account-branches');
    if (expected.branches === 'all') await expect(branches).toHaveText(/All branches|全部门店/);
    else for (const code of expected.branches) await expect(branches).toContainText(code);

    // Signing out ends the session: staff pages go back to the login page.
    await page.getByRole('button', { name: /Sign out|退出登录/ }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.goto('/dashboard');
    await expect(page).toHaveURL(/\/login/);
  });
}

test('an administrator creates an API key (shown once) and finds it in the audit log', async ({ page }) => {
  await signInWithForm(page, 'admin', '/admin/api-keys');
  await page.locator('input[name="name"]').fill('E2E rental system');
  await page.locator('input[name="scopes"][value="rentals:write"]').check();
  await page.getByRole('button', { name: /Create key|创建密钥/ }).click();
  const key = (await page.getByTestId('new-key').locator('code').textContent())!.trim();
  expect(key).toMatch(/^rsk_/);

  const ok = await page.request.get('/api/surveys', { headers: { authorization: `Bearer ${key}`, cookie: '' } });
  expect(ok.status()).toBe(403);

  await page.goto('/admin/audit?action=api_key.');
  await expect(page.getByTestId('audit-table').locator('tbody tr').first()).toContainText('api_key.create');
  await expect(page.getByTestId('audit-table').locator('tbody tr').first()).toContainText(demoUser('admin').email);
});

test('an administrator finds a customer by email, downloads their data, and adds a webhook whose secret is shown once', async ({ page }) => {
  await signInWithForm(page, 'admin', '/admin/privacy');
  await expect(page.getByTestId('retention-days')).toContainText('730');
  await page.locator('input[name="query"]').fill('customer1@example.com');
  await page.getByRole('button', { name: /^(Find|查找)$/ }).click();
  const row = page.getByTestId('customer-matches').locator('tbody tr');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('C000001');
  // The search went in a POST body: the address never appears in the URL.
  expect(page.url()).not.toContain('customer1');
  const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('link', { name: /Export data|导出数据/ }).click()]);
  const exported = JSON.parse(await (await import('node:fs/promises')).readFile((await download.path())!, 'utf8'));
  expect(exported.customer).toMatchObject({ externalId: 'C000001', email: 'customer1@example.com' });

  await page.goto('/admin/webhooks');
  await page.locator('input[name="url"]').fill('http://127.0.0.1:9/hook');
  await page.locator('input[name="events"][value="response.finished"]').check();
  await page.getByRole('button', { name: /^(Add|添加)$/ }).click();
  await expect(page.getByTestId('webhook-secret').locator('code')).toHaveText(/^whsec_/);
  await page.reload();
  await expect(page.getByTestId('webhook-secret')).toHaveCount(0);
  const hook = page.locator('section.hook', { hasText: 'http://127.0.0.1:9/hook' });
  await expect(hook).toHaveCount(1);
  await hook.getByRole('button', { name: /^(Delete|删除)$/ }).click();
  await expect(hook).toHaveCount(0);
});
