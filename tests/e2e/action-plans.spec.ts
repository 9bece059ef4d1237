// Action plans in a real browser on the real server, in zh-CN and en: the demo plan with its figure before
// and after the start (chart, the numbers one click away); a branch manager opens a plan from a driver
// link, updates its status, and finds it on the branch page; the plan is not shown to another branch.
import { expect, test } from '@playwright/test';
import { apiHeaders, openAs } from './support/session.ts';

const TEXT = {
  en: { title: 'Action plans', before: 'Before', after: 'After', inProgress: 'In progress' },
  'zh-CN': { title: '行动计划', before: '开始前', after: '开始后', inProgress: '进行中' },
} as const;

for (const locale of ['en', 'zh-CN'] as const) {
  test(`action plans (${locale}): the demo plan before and after, a new plan from a driver, the branch page`, async ({ page, request, baseURL }) => {
    test.setTimeout(120_000);
    const headers = await apiHeaders(request, 'branch_manager');
    const list = await (await request.get(`${baseURL}/api/action-plans`, { headers })).json();
    const demo = list.items.find((p: { source: { key: string | null } }) => p.source.key === 'counter_wait');
    expect(demo).toBeTruthy();
    const detail = await (await request.get(`${baseURL}/api/action-plans/${demo.id}`, { headers })).json();

    await openAs(page, 'branch_manager', locale, '/action-plans');
    await expect(page.getByRole('heading', { level: 1, name: TEXT[locale].title })).toBeVisible();
    await page.getByRole('link', { name: new RegExp(`#${demo.number} `) }).click();
    await page.waitForURL(`**/action-plans/${demo.id}`);
    await expect(page.locator('canvas')).toBeVisible();
    await page.getByTestId('plan-toggle').click();
    const table = page.getByTestId('plan-effect');
    await expect(table.getByRole('row', { name: new RegExp(TEXT[locale].before) })).toContainText(String(detail.effect.before.n));
    await expect(table.getByRole('row', { name: new RegExp(TEXT[locale].after) })).toContainText(String(detail.effect.after.n));

    // From a driver to concentrate on: the link carries the source, metric and branch.
    const title = `E2E ${locale} ${Date.now()}`;
    await page.goto(`/action-plans/new?source=driver&key=staff&label=${encodeURIComponent('Staff')}&metric=nps&branch=SH01`);
    await page.waitForLoadState('networkidle');
    await expect(page.getByTestId('plan-branch-SH01')).toBeChecked();
    await expect(page.getByTestId('plan-source-label')).toHaveValue('Staff');
    await page.getByTestId('plan-title').fill(title);
    await page.getByTestId('plan-submit').click();
    await page.waitForURL(/\/action-plans\/[0-9a-f-]{36}$/);
    const planId = page.url().split('/').pop()!;
    await expect(page.getByTestId('plan-heading')).toContainText(title);
    await expect(page.getByTestId('plan-branches')).toContainText('SH01');
    await page.getByTestId('plan-edit-status').selectOption('in_progress');
    await page.getByTestId('plan-edit-notes').fill('Two more agents on Friday evenings');
    await page.getByTestId('plan-save').click();
    await expect(page.getByTestId('plan-status')).toHaveText(TEXT[locale].inProgress);
    const saved = await (await request.get(`${baseURL}/api/action-plans/${planId}`, { headers })).json();
    expect(saved).toMatchObject({
      status: 'in_progress',
      notes: 'Two more agents on Friday evenings',
      metric: 'nps',
      source: { kind: 'driver', key: 'staff' },
    });

    await page.goto('/branches/SH01');
    await page.waitForLoadState('networkidle');
    await expect(page.getByTestId('branch-plans')).toContainText(title);

    // Another region's manager does not see it.
    const other = await request.get(`${baseURL}/api/action-plans/${planId}`, { headers: await apiHeaders(request, 'regional_manager') });
    const regional = (await (await request.get(`${baseURL}/api/auth/me`, { headers: await apiHeaders(request, 'regional_manager') })).json()) as {
      branches: { code: string }[] | null;
    };
    if (!regional.branches?.some((b) => b.code === 'SH01')) expect(other.status()).toBe(404);
  });
}
