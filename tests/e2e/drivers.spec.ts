// The driver page on the demo data: the outcome named by its question, drivers left out for low coverage
// named in a warning, and a picker that analyses exactly the ticked drivers; all against the API.
// Also the branch manager's export button on the responses page.
import { expect, test } from '@playwright/test';
import Papa from 'papaparse';
import { apiGet, attrNumber, postRentalSurveyId, query, shownPeriod, uiLang } from './dashboard-helpers.ts';
import { signIn } from './support/session.ts';

let survey: string;

test.beforeEach(async ({ page, request }) => {
  await signIn(page, 'admin');
  survey ??= await postRentalSurveyId(request);
});

test('drivers: outcome named by its question, low-coverage items left out with a warning', async ({ page, request }) => {
  await page.goto('/drivers?drivers=items');
  const params = { survey, to: (await shownPeriod(page)).to, lang: await uiLang(page) };
  const items = await apiGet(request, `/api/analytics/drivers${query({ ...params, drivers: 'items' })}`);

  // The outcome is the recommend question's text, not its id.
  const outcome = page.getByTestId('driver-outcome');
  await expect(outcome).toContainText(items.outcomeLabel);
  await expect(outcome).not.toContainText('q_nps');
  expect(items.outcomeLabel).not.toBe('q_nps');

  // In the demo data, the airport and equipment services are rated by about a quarter of the customers.
  expect(items.excluded.length).toBeGreaterThan(0);
  const warning = page.getByTestId('driver-excluded');
  await expect(warning).toBeVisible();
  await expect(warning).toHaveAttribute('data-ids', items.excluded.map((d: { id: string }) => d.id).join(','));
  for (const d of items.excluded) await expect(warning).toContainText(d.label);
  // The excluded ones are offered in the picker, unticked; the analysed ones ticked.
  for (const d of items.available) {
    const box = page.locator(`[data-testid="driver-choice"][data-key="${d.id}"] input`);
    if (items.drivers.some((x: { id: string }) => x.id === d.id)) await expect(box).toBeChecked();
    else await expect(box).not.toBeChecked();
  }
  await expect(page.locator('[data-testid="driver-table"] tbody tr')).toHaveCount(items.drivers.length);
});

test('drivers: the picker analyses exactly the ticked dimensions, and goes back to the default', async ({ page, request }) => {
  await page.goto('/drivers?method=shapley');
  const params = { survey, to: (await shownPeriod(page)).to, lang: await uiLang(page), method: 'shapley' };
  const all = await apiGet(request, `/api/analytics/drivers${query(params)}`);
  expect(all.available.length).toBeGreaterThan(3);
  const chosen = all.available.slice(1, 4).map((d: { id: string }) => d.id);

  const picker = page.getByTestId('driver-picker');
  await expect(picker.locator('[data-testid="driver-choice"]')).toHaveCount(all.available.length);
  for (const d of all.available) {
    const box = picker.locator(`[data-testid="driver-choice"][data-key="${d.id}"] input`);
    if (chosen.includes(d.id)) await box.check();
    else await box.uncheck();
  }
  await picker.getByTestId('driver-pick-apply').click();
  await expect(page).toHaveURL(/driver=/);

  const picked = await apiGet(request, `/api/analytics/drivers${query({ ...params, drivers: chosen.join(',') })}`);
  expect(picked.driverSet).toBe('chosen');
  const rows = page.locator('[data-testid="driver-table"] tbody tr');
  await expect(rows).toHaveCount(3);
  expect((await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-key')))).sort()).toEqual([...chosen].sort());
  const stats = page.getByTestId('driver-stats');
  expect(await attrNumber(stats, 'data-n')).toBe(picked.n);
  // The method chosen before is kept with the picked drivers.
  await expect(stats).toHaveAttribute('data-method', 'shapley');

  await page.getByTestId('driver-pick-default').click();
  await expect(rows).toHaveCount(all.drivers.length);
  expect(await attrNumber(stats, 'data-n')).toBe(all.n);
});

test('responses: a branch manager has the export button, and the file holds their branches only', async ({ page, request }) => {
  await signIn(page, 'branch_manager');
  const me = await apiGet(request, '/api/auth/me', 'branch_manager');
  await page.goto(`/responses?survey=${survey}`);
  const button = page.getByTestId('responses-export');
  await expect(button).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  const text = Buffer.concat(await (await download.createReadStream()).toArray()).toString('utf8');
  const rows = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true }).data;
  expect(rows.length).toBeGreaterThan(0);
  const mine = new Set((me.branches as { code: string }[]).map((b) => b.code));
  expect(mine.size).toBeGreaterThan(0);
  for (const code of new Set(rows.map((r) => r.branch_code))) expect(mine.has(code), code).toBe(true);
});
