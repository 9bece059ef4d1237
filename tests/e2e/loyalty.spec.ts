// The loyalty page on the demo data, in zh-CN and en: the ladder's counts and flows as the API gives them,
// the customers behind a number one click away, the index with its parts, customer value, the quality
// manager's weights; and a branch manager who sees only their branches' customers, contacts masked.
import { expect, test, type Page } from '@playwright/test';
import { apiGet, postRentalSurveyId, query, shownPeriod } from './dashboard-helpers.ts';
import { apiHeaders, openAs } from './support/session.ts';

let survey: string;
const RUNGS = ['one_time', 'repeat', 'loyal', 'advocate', 'at_risk'] as const;

async function params(page: Page, locale: string) {
  const period = await shownPeriod(page);
  return { survey, from: period.from, to: period.to, lang: locale };
}

test.beforeEach(async ({ request }) => {
  survey ??= await postRentalSurveyId(request);
});

for (const locale of ['zh-CN', 'en'] as const) {
  test(`loyalty (${locale}): ladder, flows and the customers behind a number`, async ({ page, request }) => {
    await openAs(page, 'admin', locale, '/loyalty');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(locale === 'en' ? 'Customer loyalty' : '客户忠诚度');
    const p = await params(page, locale);
    const ladder = await apiGet(request, `/api/loyalty/ladder${query(p)}`);
    // Every rung holds customers in the demo, and the table shows the API's numbers.
    const table = page.getByTestId('ladder-table');
    for (const rung of RUNGS) {
      expect(ladder.total.counts[rung], rung).toBeGreaterThan(0);
      const row = table.locator(`tr[data-key="${rung}"]`);
      await expect(row.locator('[data-field="current"]')).toHaveAttribute('data-value', String(ladder.total.counts[rung]));
      await expect(row.locator('[data-field="previous"]')).toHaveAttribute('data-value', String(ladder.total.previous[rung]));
    }
    // The flow chart, and its numbers one click away.
    const flows = page.getByTestId('flow-table');
    await expect(page.getByTestId('flow-chart').locator('path')).toHaveCount(ladder.flows.length);
    await page.getByTestId('flow-table-toggle').click();
    await expect(flows.locator('tbody tr')).toHaveCount(ladder.flows.length);
    const move = ladder.flows.find((f: { from: string; to: string }) => f.from === 'loyal' && f.to === 'at_risk');
    expect(move.customers).toBeGreaterThan(0);
    await expect(flows.locator('tr[data-key="loyal>at_risk"] [data-field="customers"]')).toHaveAttribute('data-value', String(move.customers));

    // The customers behind "at risk".
    await page.getByTestId('ladder-table-toggle').click();
    await table.locator('tr[data-key="at_risk"] a').click();
    await expect(page).toHaveURL(/rung=at_risk/);
    const list = await apiGet(request, `/api/loyalty/customers${query({ ...p, rung: 'at_risk', sort: 'revenue', page: 1, pageSize: 50 })}`);
    await expect(page.getByTestId('loyalty-list-total')).toHaveAttribute('data-total', String(ladder.total.counts.at_risk));
    const rows = page.locator('[data-testid="loyalty-list"] tbody tr');
    await expect(rows).toHaveCount(list.customers.length);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-key')))).toEqual(
      list.customers.map((c: { externalId: string }) => c.externalId),
    );
    // The quality view sees contacts in full.
    expect(list.customers.some((c: { email: string | null }) => c.email && !c.email.includes('***'))).toBe(true);

    // The index beside its parts, and customer value.
    const index = await apiGet(request, `/api/loyalty/index${query(p)}`);
    expect(index.total.index).toBeGreaterThan(0);
    await page.getByTestId('index-table-toggle').click();
    const total = page.locator('[data-testid="index-table"] tr[data-key="all"]');
    await expect(total.locator('[data-field="index"]')).toHaveAttribute('data-value', String(index.total.index));
    await expect(total.locator('[data-field="repeatRate"]')).toHaveAttribute('data-value', String(index.total.parts.repeatRate));
    const value = await apiGet(request, `/api/loyalty/value${query(p)}`);
    await expect(page.getByTestId('value-customers')).toHaveText(String(value.customers));
    await expect(page.locator('[data-testid="band-table"] tr[data-key="nps"] [data-field="difference"]')).toHaveAttribute(
      'data-value',
      String(value.satisfaction.nps.difference),
    );
  });
}

test('loyalty: a branch manager sees only their customers, with contacts masked', async ({ page, request }) => {
  await openAs(page, 'branch_manager', 'zh-CN', '/loyalty?rung=loyal');
  const p = await params(page, 'zh-CN');
  const mine = await apiGet(request, `/api/loyalty/ladder${query(p)}`, 'branch_manager');
  const company = await apiGet(request, `/api/loyalty/ladder${query(p)}`);
  expect(mine.total.customers).toBeLessThan(company.total.customers);
  await expect(page.locator('[data-testid="ladder-table"] tr[data-key="loyal"] [data-field="current"]')).toHaveAttribute(
    'data-value',
    String(mine.total.counts.loyal),
  );
  await expect(page.getByTestId('loyalty-list-total')).toHaveAttribute('data-total', String(mine.total.counts.loyal));
  const rows = page.locator('[data-testid="loyalty-list"] tbody tr');
  expect(await rows.count()).toBeGreaterThan(0);
  const branches = await rows.locator('[data-field="branch"]').allTextContents();
  expect(new Set(branches)).toEqual(new Set(branches.filter((b) => b === 'SH01' || b === 'SH02')));
  for (const email of await rows.locator('[data-field="email"]').allTextContents()) if (email !== '–') expect(email).toMatch(/^.\*\*\*@/);
  for (const phone of await rows.locator('[data-field="phone"]').allTextContents()) expect(phone).toContain('****');
  // No settings form to save for them.
  await expect(page.getByTestId('loyalty-settings-save')).toHaveCount(0);
});

test('loyalty: the quality manager sets the index weights on the page', async ({ page, request }) => {
  await openAs(page, 'quality_manager', 'en', '/loyalty');
  const form = page.getByTestId('loyalty-settings');
  await form.locator('input[name="w.csi"]').fill('1');
  for (const name of ['w.nps', 'w.repeatRate', 'w.repeatRevenue']) await form.locator(`input[name="${name}"]`).fill('0');
  await form.getByTestId('loyalty-settings-save').click();
  await expect(page.getByTestId('loyalty-settings-message')).toBeVisible();
  const p = await params(page, 'en');
  const index = await apiGet(request, `/api/loyalty/index${query(p)}`, 'quality_manager');
  expect(index.weights).toEqual({ csi: 1, nps: 0, repeatRate: 0, repeatRevenue: 0 });
  expect(index.total.index).toBeCloseTo(index.total.parts.csi, 10);
  // Back to the documented defaults.
  const res = await request.get('/api/loyalty/settings', { headers: await apiHeaders(request, 'quality_manager') });
  const { defaults } = await res.json();
  const put = await request.put('/api/loyalty/settings', { headers: await apiHeaders(request, 'quality_manager'), data: defaults });
  expect(put.status()).toBe(200);
});
