// The foundation slice in a real browser: a tokenized link is answered, and the branch's NPS on the
// dashboard moves by exactly that answer.
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { rentalPayload, tokenFromLink } from '../support/rentals.ts';
import { query, shownPeriod } from './dashboard-helpers.ts';
import { apiHeaders, signIn } from './support/session.ts';
import { nextToPage, openSurvey } from './support/survey-page.ts';

interface Row {
  n: number;
  nps: number;
  /** the period the dashboard shows (its default; data-from empty for all time) */
  period: { from: string | null; to: string };
}

async function readBranchRow(page: Page, code: string): Promise<Row> {
  await page.goto('/dashboard');
  const row = page.locator(`[data-testid="nps-table"] tr[data-branch="${code}"]`);
  await expect(row).toHaveCount(1);
  return {
    n: Number(await row.locator('[data-field="n"]').textContent()),
    nps: Number(await row.locator('[data-field="nps"]').getAttribute('data-value')),
    period: await shownPeriod(page),
  };
}

async function apiCounts(request: APIRequestContext, baseURL: string, code: string, period: Row['period']) {
  const headers = await apiHeaders(request);
  const surveys = await (await request.get(`${baseURL}/api/surveys`, { headers })).json();
  const survey = surveys.find((s: { kind: string }) => s.kind === 'post_rental');
  const summary = await (
    await request.get(`${baseURL}/api/analytics/summary${query({ survey: survey.id, groupBy: 'branch', ...period })}`, { headers })
  ).json();
  return summary.groups.find((g: { key: string }) => g.key === code).nps as { n: number; promoters: number; detractors: number; score: number };
}

test('answering a survey link moves the branch NPS on the dashboard', async ({ page, request, baseURL }) => {
  await signIn(page, 'admin');
  // the dashboard opens on a period (not all time): the API is asked for the same one
  const before = await readBranchRow(page, 'SH01');
  expect(before.period.to).toBeTruthy();
  const counts = await apiCounts(request, baseURL!, 'SH01', before.period);
  expect(before.n).toBe(counts.n);
  expect(before.nps).toBeCloseTo(counts.score, 9);

  const created = await request.post(`${baseURL}/api/rentals`, {
    headers: await apiHeaders(request),
    data: rentalPayload(Date.now() % 1_000_000, {
      // Returned three hours ago: recent enough to be invited now.
      pickedUpAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
      returnedAt: new Date(Date.now() - 3 * 3_600_000).toISOString(),
      pickupBranch: 'SH01',
      returnBranch: 'SH01',
      customer: { externalId: `E2E-${Date.now()}`, email: 'e2e.customer@example.com', preferredLanguage: 'en' },
    }),
  });
  expect(created.status()).toBe(201);
  const token = tokenFromLink((await created.json()).invitation.link);

  const customer = await page.context().browser()!.newPage();
  await openSurvey(customer, token);
  await customer.locator('[data-question="q_nps"]').getByRole('radio', { name: /^10\b/ }).check();
  await customer.locator('[data-question="q_csat"]').getByRole('radio', { name: /^5\b/ }).check();
  // Pages 2 and 3 hold only optional questions; the last page asks for the problem checklist.
  await nextToPage(customer, 1, 4, 4);
  await customer.locator('[data-question="q_problems"]').getByRole('checkbox').last().check();
  await customer.getByRole('button', { name: 'Submit' }).click();
  await expect(customer.getByTestId('thank-you')).toBeVisible();
  await customer.close();

  // One more promoter: n + 1, and the NPS recomputed from the counts before.
  const after = await readBranchRow(page, 'SH01');
  expect(after.period).toEqual(before.period);
  expect(after.n).toBe(counts.n + 1);
  expect(after.nps).toBeCloseTo((100 * (counts.promoters + 1 - counts.detractors)) / (counts.n + 1), 9);
});
