// Targets in the browser: a quality manager sees the company, regions and branches against the demo's
// targets (each status in words), sets a target (a wrong period refused with the field named) and imports a
// CSV (a bad row named, nothing written); the dashboard shows CSAT top-box and the targets card, the league
// table each branch's status, in zh-CN and in en.
import { expect, test } from '@playwright/test';
import { signIn } from './support/session.ts';

test('a quality manager reads figures against targets, sets one and imports a file', async ({ page, baseURL }) => {
  await page.context().addCookies([{ name: 'lang', value: 'zh-CN', url: baseURL! }]);
  await signIn(page, 'quality_manager');
  await page.goto('/dashboard');
  await page.locator('nav a[href="/targets"]').click();
  await expect(page).toHaveURL(/\/targets/);
  const company = page.getByTestId('against-company');
  await expect(company.locator('tr[data-metric]')).toHaveCount(7);
  // Every status is said in words with a symbol, never by colour alone.
  for (const cell of await company.locator('[data-status]').all()) {
    await expect(cell).toHaveText(/^(✓ 达标|✗ 未达标|≈ 无法区分|– 无数据)$/);
  }
  await expect(page.getByTestId('against-branch').locator('tr[data-key="SH01"]').first()).toBeVisible();

  const period = `${new Date().getFullYear() + 1}-Q1`;
  const form = page.getByTestId('target-form');
  await form.locator('select[name="metric"]').selectOption('csat_top_box');
  await form.locator('select[name="level"]').selectOption('branch');
  await form.locator('input[name="scope"]').fill('HZ01');
  await form.locator('input[name="period"]').fill('2027-Q5');
  await form.locator('input[name="value"]').fill('52');
  await form.locator('button[type="submit"]').click();
  await expect(page.getByTestId('target-error')).toContainText('期间');
  await form.locator('input[name="period"]').fill(period);
  await form.locator('button[type="submit"]').click();
  await expect(page.getByTestId('target-saved')).toBeVisible();
  const row = page.locator(`[data-testid="targets"] tr[data-scope="HZ01"][data-period="${period}"]`);
  await expect(row).toContainText('CSAT 最高分占比');
  await expect(row).toContainText('52');

  // A CSV with one bad row: refused with the row named, the good row not written either.
  const upload = page.locator('form[action="?/import"]');
  const bad = `metric,level,scope,period,target\nnps,branch,HZ01,${period},44\nnps,branch,NOPE,${period},40\n`;
  await upload.locator('input[type="file"]').setInputFiles({ name: 'targets.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await upload.locator('button[type="submit"]').click();
  const errors = page.getByTestId('targets-import-errors');
  await expect(errors.locator('li')).toHaveCount(1);
  await expect(errors.locator('li')).toContainText('3');
  await expect(page.locator(`[data-testid="targets"] tr[data-scope="HZ01"][data-metric="nps"][data-period="${period}"]`)).toHaveCount(0);
  const good = `metric,level,scope,period,target\nnps,branch,HZ01,${period},44\n`;
  await upload.locator('input[type="file"]').setInputFiles({ name: 'targets.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await upload.locator('button[type="submit"]').click();
  await expect(page.getByTestId('targets-imported')).toBeVisible();
  await expect(page.locator(`[data-testid="targets"] tr[data-scope="HZ01"][data-metric="nps"][data-period="${period}"]`)).toContainText('44');
});

test('the dashboard, a branch page and the league table show CSAT top-box and each figure against its target', async ({ page, baseURL }) => {
  await page.context().addCookies([{ name: 'lang', value: 'zh-CN', url: baseURL! }]);
  await signIn(page, 'executive');
  await page.goto('/dashboard');
  await expect(page.getByTestId('kpi-csat-top-box')).toBeVisible();
  const card = page.getByTestId('targets-card');
  await expect(card.locator('tr[data-metric="nps"] [data-status]')).toHaveText(/^(✓ 达标|✗ 未达标|≈ 无法区分)$/);

  await page.goto('/branches/SH01');
  await expect(page.getByTestId('targets-card').locator('tr[data-metric="nps"]')).toContainText('55');

  await page.goto('/branches');
  const league = page.getByTestId('league-table');
  await expect(league.locator('tr[data-key="SH01"]')).toContainText(/NPS：(✓ 达标|✗ 未达标|≈ 无法区分)（目标 55）/);

  await page.context().addCookies([{ name: 'lang', value: 'en', url: baseURL! }]);
  await page.goto('/branches');
  await expect(page.getByTestId('league-table').locator('tr[data-key="SH01"]')).toContainText(/NPS: (✓ Met|✗ Not met|≈ Not distinguishable) \(target 55\)/);
  await page.goto('/dashboard');
  await expect(page.getByTestId('kpi-csat-top-box')).toContainText('CSAT top-box');
});
