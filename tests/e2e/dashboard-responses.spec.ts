// The responses explorer: filters in the URL, the list and one response as the API has them, and the
// streamed CSV export (BOM, formula cells escaped).
import { expect, test } from '@playwright/test';
import Papa from 'papaparse';
import { tokenFromLink } from '../support/rentals.ts';
import { apiGet, downloadCsv, postRentalSurveyId, query, screenshots, shownPeriod } from './dashboard-helpers.ts';
import { apiHeaders, signIn } from './support/session.ts';

let survey: string;
const stamp = Date.now() % 1_000_000;
const marker = `探针${stamp}`;

test.beforeAll(async ({ request, baseURL }) => {
  survey = await postRentalSurveyId(request);
  // A detractor at SH01 whose comment starts like a formula.
  const created = await request.post(`${baseURL}/api/rentals`, {
    headers: await apiHeaders(request),
    data: {
      externalId: `RA-EXP-${stamp}`,
      customer: { externalId: `C-EXP-${stamp}`, name: '测试客户', email: `exp${stamp}@example.com`, preferredLanguage: 'zh-CN', customerType: 'business' },
      pickupBranch: 'SH01',
      returnBranch: 'SH01',
      vehicleClass: 'premium',
      pickedUpAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
      returnedAt: new Date(Date.now() - 3_600_000).toISOString(),
      amount: 2300,
      bookingChannel: 'phone',
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const token = tokenFromLink((await created.json()).invitation.link);
  const res = await request.post(`${baseURL}/api/respond/${token}/submit`, {
    data: {
      answers: {
        q_nps: 3,
        q_nps_reason: `=CMD("calc") ${marker}`,
        q_csat: 2,
        q_pickup: { pickup_wait: 1 },
        q_problems: { choices: ['counter_wait', 'unexpected_fees'] },
        q_comment: `+${marker} 押金退得太慢`,
      },
    },
  });
  expect(res.status(), await res.text()).toBe(200);
});

test.beforeEach(async ({ page }) => {
  await signIn(page, 'quality_manager');
});

test('list and filters equal the API; a response opens with customer, rental, branch and answers', async ({ page, request }, testInfo) => {
  await page.goto('/responses?period=30d&npsCategory=detractor&hasComment=true');
  const period = await shownPeriod(page);
  const filters = { survey, from: period.from, to: period.to, npsCategory: 'detractor', hasComment: 'true' };
  const list = await apiGet(request, `/api/responses${query({ ...filters, pageSize: 50 })}`, 'quality_manager');
  expect(list.total).toBeGreaterThan(0);
  await expect(page.getByTestId('responses-total')).toHaveAttribute('data-value', String(list.total));
  const ids = await page.locator('[data-testid="responses-table"] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id')));
  expect(ids).toEqual(list.items.map((i: { id: string }) => i.id));
  for (const item of list.items.slice(0, 10)) {
    const row = page.locator(`[data-testid="responses-table"] tr[data-id="${item.id}"]`);
    await expect(row.locator('[data-field="nps"]')).toHaveAttribute('data-value', String(item.nps));
    expect(item.nps).toBeLessThanOrEqual(6);
    await expect(row.locator('[data-field="branch"]')).toHaveAttribute('data-value', item.branch?.code ?? '');
    await expect(row.locator('[data-field="rental"]')).toHaveAttribute('data-value', item.rental?.externalId ?? '');
  }
  await screenshots(page, testInfo, 'responses-list');

  // The text search finds the new response; the filters stay in the URL.
  await page.locator('input[name="q"]').fill(marker);
  await page.getByTestId('filter-bar').locator('button[type="submit"]').click();
  await expect(page).toHaveURL(new RegExp(`q=${encodeURIComponent(marker)}`));
  await expect(page).toHaveURL(/npsCategory=detractor/);
  await expect(page.getByTestId('responses-total')).toHaveAttribute('data-value', '1');
  const found = await apiGet(request, `/api/responses${query({ ...filters, q: marker })}`, 'quality_manager');
  expect(found.items).toHaveLength(1);
  const id = found.items[0].id;

  await page.locator(`[data-testid="responses-table"] tr[data-id="${id}"] a`).click();
  await expect(page).toHaveURL(new RegExp(`/responses/${id}`));
  const detail = await apiGet(request, `/api/responses/${id}`, 'quality_manager');
  await expect(page.getByTestId('detail-customer').locator('[data-field="externalId"]')).toHaveText(`C-EXP-${stamp}`);
  await expect(page.getByTestId('detail-customer').locator('[data-field="name"]')).toHaveText('测试客户');
  await expect(page.getByTestId('detail-rental').locator('[data-field="externalId"]')).toHaveText(`RA-EXP-${stamp}`);
  await expect(page.getByTestId('detail-branch').locator('[data-field="code"]')).toHaveAttribute('data-value', 'SH01');
  await expect(page.getByTestId('detail-nps')).toHaveAttribute('data-value', '3');
  // Answers with their question texts in the UI language, as the customer saw them: "{branch.name}"
  // filled with this response's branch (SH01), in that language.
  const lang = (await page.locator('html').getAttribute('lang'))!;
  const branchName = lang === 'en' ? 'Shanghai Hongqiao Airport' : '上海虹桥机场店';
  expect(detail.branch).toMatchObject({ code: 'SH01', name: '上海虹桥机场店', nameEn: 'Shanghai Hongqiao Airport' });
  const answered = detail.answers.filter((x: { answered: boolean }) => x.answered);
  expect(answered.some((a: { question: Record<string, string> }) => (a.question[lang] ?? a.question['zh-CN']).includes('{branch.name}'))).toBe(true);
  for (const a of answered) {
    const item = page.locator(`[data-testid="detail-answers"] li[data-question="${a.questionId}"]`);
    await expect(item.locator('.q')).toHaveText((a.question[lang] ?? a.question['zh-CN']).replaceAll('{branch.name}', branchName));
  }
  await expect(page.locator('li[data-question="q_csat"] .q')).toContainText(branchName);
  await expect(page.locator('li[data-question="q_comment"] [data-field="answer"]')).toHaveText(`+${marker} 押金退得太慢`);
  await expect(page.locator('li[data-question="q_pickup"] tr[data-item="pickup_wait"] td.num')).toHaveAttribute('data-value', '1');
  await expect(page.locator('li[data-question="q_booking"]')).toHaveClass(/unanswered/);
  await screenshots(page, testInfo, 'response-detail');
  await page.getByTestId('back-to-list').click();
  await expect(page).toHaveURL(/\/responses\?.*q=/);
});

test('CSV export: streamed file with BOM, the filtered responses, formula cells escaped', async ({ page, request }) => {
  await page.goto('/responses?period=30d&branch=SH01');
  const period = await shownPeriod(page);
  const filters = { survey, from: period.from, to: period.to, branch: 'SH01' };
  const list = await apiGet(request, `/api/responses${query({ ...filters, pageSize: 200 })}`, 'quality_manager');
  const csv = await downloadCsv(page, page.getByTestId('responses-export'));
  expect(csv.name).toMatch(/^responses-\d{8}\.csv$/);
  expect(csv.header.slice(0, 2)).toEqual(['response_id', 'status']);
  expect(csv.rows).toHaveLength(list.total);
  const col = (name: string) => csv.header.indexOf(name);
  expect(new Set(csv.rows.map((r) => r[col('branch_code')]))).toEqual(new Set(['SH01']));
  const byId = new Map(csv.rows.map((r) => [r[col('response_id')], r]));
  for (const item of list.items) {
    const row = byId.get(item.id)!;
    expect(row, item.id).toBeTruthy();
    expect(row[col('q_nps')]).toBe(item.nps === null ? '' : String(item.nps));
    expect(row[col('rental_id')]).toBe(item.rental?.externalId ?? '');
  }
  const mine = csv.rows.find((r) => r[col('rental_id')] === `RA-EXP-${stamp}`)!;
  expect(mine[col('q_comment')]).toBe(`'+${marker} 押金退得太慢`);
  expect(mine[col('q_nps_reason')]).toBe(`'=CMD("calc") ${marker}`);
  expect(mine[col('q_problems')]).toMatch(/;/);
  expect(mine[col('branch_name')]).toBe('上海虹桥机场店');
  // Contact details stay out of the file.
  expect(csv.text).not.toContain(`exp${stamp}@example.com`);
  // No cell starts a formula.
  for (const r of csv.rows) for (const cell of r) expect(cell).not.toMatch(/^[=+\-@]/);
  // The raw bytes: the escaped cell quoted as papaparse writes it.
  expect(Papa.parse(csv.text.split('\r\n')[0]).data[0]).toEqual(csv.header);
  expect(csv.text).toContain(`"'=CMD(""calc"") ${marker}"`);
});

test('a branch manager sees only their branches, with contacts masked, and may export them', async ({ page, request }) => {
  await signIn(page, 'branch_manager');
  await page.goto('/responses');
  const branches = await page
    .locator('[data-testid="responses-table"] [data-field="branch"]')
    .evaluateAll((cells) => [...new Set(cells.map((c) => c.getAttribute('data-value')))]);
  expect(branches.length).toBeGreaterThan(0);
  for (const b of branches) expect(['SH01', 'SH02']).toContain(b);
  await expect(page.getByTestId('responses-export')).toBeVisible();
  const list = await apiGet(request, `/api/responses${query({ survey, q: marker })}`, 'branch_manager');
  expect(list.total).toBe(1);
  await page.goto(`/responses/${list.items[0].id}`);
  await expect(page.getByTestId('detail-customer')).toContainText(`e***@example.com`);
  await expect(page.getByTestId('detail-customer')).not.toContainText(`exp${stamp}@example.com`);
});
