// The case page shows each question as the customer saw it: the post-rental survey pipes the branch's name
// and the rental's vehicle class into its texts ("{branch.name}", "{rental.vehicleClass}"); a detractor
// answers in English, a case is raised, and the case page reads those questions with the branch and the
// class filled in, in zh-CN (the branch's Chinese name) and in en (its English name), never a raw placeholder.
import { expect, test } from '@playwright/test';
import { rentalPayload, tokenFromLink } from '../support/rentals.ts';
import { apiHeaders, openAs } from './support/session.ts';
import { nextToPage, openSurvey } from './support/survey-page.ts';

const H = 3_600_000;
// A demo branch (api/src/demo/seed.ts) with a Chinese and an English name.
const BRANCH = { code: 'BJ02', zh: '北京西站店', en: 'Beijing West Station' };
const VEHICLE_CLASS = 'Full-size SUV';

test('a detractor’s case shows the questions with the branch and vehicle class filled in, in zh-CN and en', async ({ page, request, baseURL }) => {
  test.setTimeout(120_000);
  const headers = await apiHeaders(request);
  const stamp = Date.now();
  const customerName = `Ms Piping ${stamp}`;
  const returnedAt = new Date(stamp - 2 * H);
  const created = await request.post(`${baseURL}/api/rentals`, {
    headers,
    data: rentalPayload(stamp % 1_000_000, {
      externalId: `E2E-PIPE-${stamp}`,
      customer: { externalId: `E2E-PIPE-C-${stamp}`, name: customerName, email: `piping.${stamp}@example.com`, preferredLanguage: 'en' },
      pickupBranch: BRANCH.code,
      returnBranch: BRANCH.code,
      vehicleClass: VEHICLE_CLASS,
      pickedUpAt: new Date(returnedAt.getTime() - 24 * H).toISOString(),
      returnedAt: returnedAt.toISOString(),
    }),
  });
  expect(created.status(), await created.text()).toBe(201);
  const token = tokenFromLink((await created.json()).invitation.link);

  // The customer's page pipes the facts in; what it shows is what the case page must show.
  const customer = await page.context().browser()!.newPage();
  await openSurvey(customer, token);
  const csatEn = `Overall, how satisfied are you with this rental at ${BRANCH.en}?`;
  const vehicleEn = `Vehicle (${VEHICLE_CLASS})`;
  await expect(customer.locator('[data-question="q_csat"] legend.qtext')).toContainText(csatEn);
  await customer.locator('[data-question="q_nps"]').getByRole('radio', { name: /^1\b/ }).check();
  await customer.locator('[data-question="q_csat"]').getByRole('radio', { name: /^1\b/ }).check();
  await nextToPage(customer, 1, 2, 4);
  await expect(customer.locator('[data-question="q_vehicle"] legend.qtext')).toContainText(vehicleEn);
  await customer.locator('[data-question="q_vehicle"] [data-item="vehicle_clean"]').getByRole('radio', { name: /^1\b/ }).check();
  await nextToPage(customer, 2, 4, 4);
  await customer.locator('[data-question="q_problems"]').getByRole('checkbox').first().check();
  await customer.getByRole('button', { name: 'Submit' }).click();
  await expect(customer.getByTestId('thank-you')).toBeVisible();
  await customer.close();

  // The evaluation job raises the case.
  let caseId = '';
  await expect
    .poll(
      async () => {
        const list = await (await request.get(`${baseURL}/api/cases?sort=newest&limit=10`, { headers })).json();
        caseId = list.items.find((c: { customerName: string | null }) => c.customerName === customerName)?.id ?? '';
        return caseId;
      },
      { timeout: 30_000 },
    )
    .not.toBe('');

  const expected = {
    'zh-CN': { csat: `总体而言，您对这次在${BRANCH.zh}的租车体验满意吗？`, vehicle: `车辆（${VEHICLE_CLASS}）`, other: BRANCH.en },
    en: { csat: csatEn, vehicle: vehicleEn, other: BRANCH.zh },
  } as const;
  for (const locale of ['zh-CN', 'en'] as const) {
    await openAs(page, 'quality_manager', locale, `/cases/${caseId}`);
    const answers = page.getByTestId('case-answers');
    const questions = answers.locator('dt');
    await expect(questions).toContainText([expected[locale].csat]);
    await expect(questions).toContainText([expected[locale].vehicle]);
    // The answers beside them: CSAT 1 of 5, the vehicle's cleanliness 1 of 5.
    await expect(answers.locator('dt', { hasText: expected[locale].csat }).locator('xpath=following-sibling::dd[1]')).toHaveText('1 / 5');
    await expect(answers.locator('dt', { hasText: expected[locale].vehicle }).locator('xpath=following-sibling::dd[1]')).toContainText('1 / 5');
    // The branch in the reader's language only, and no placeholder left anywhere on the page.
    await expect(questions.filter({ hasText: expected[locale].other })).toHaveCount(0);
    await expect(answers).not.toContainText('{');
    await expect(page.locator('main')).not.toContainText(/\{(branch|rental|customer|company)\.[A-Za-z]+\}/);
  }
});
