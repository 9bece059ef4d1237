// Rewards for feedback in a real browser on the real server: a quality manager sets up a programme and its
// code pool in the Chinese UI (a bad file is refused row by row first), a customer answers the survey with a
// low score and sees a code of that pool on the thank-you page, with the note that it never depends on the
// answers; the pool then has one code less.
import { expect, test } from '@playwright/test';
import { rentalPayload, tokenFromLink } from '../support/rentals.ts';
import { apiHeaders, signIn } from './support/session.ts';
import { answerAsDetractor, openSurvey } from './support/survey-page.ts';

const H = 3_600_000;

test('a pool set up in the UI gives the customer a code on the thank-you page', async ({ page, request, baseURL }) => {
  test.setTimeout(120_000);
  const headers = await apiHeaders(request);
  const stamp = Date.now();
  const branch = `RW${stamp % 1_000_000}`;
  const surveyName = `反馈奖励测试 ${stamp}`;

  // A branch of its own and a survey that invites the rentals of that branch (the demo survey has a programme already).
  expect((await request.post(`${baseURL}/api/branches`, { headers, data: { code: branch, name: '奖励测试店', city: '上海', region: '华东' } })).status()).toBe(
    201,
  );
  const created = await request.post(`${baseURL}/api/surveys`, { headers, data: { name: surveyName, fromTemplate: 'post-rental' } });
  expect(created.status()).toBe(201);
  const surveyId = (await created.json()).id as string;
  expect((await request.post(`${baseURL}/api/surveys/${surveyId}/publish`, { headers })).status()).toBe(201);
  expect((await request.put(`${baseURL}/api/surveys/${surveyId}/invitation-rules`, { headers, data: { targets: { branches: [branch] } } })).status()).toBe(200);

  // The quality manager starts the programme in Chinese.
  await page.context().addCookies([{ name: 'lang', value: 'zh-CN', url: baseURL! }]);
  await signIn(page, 'quality_manager');
  await page.goto('/distribution/rewards');
  await page.waitForLoadState('networkidle');
  const form = page.locator('section[aria-labelledby="new-programme"]');
  await form.getByLabel('问卷').selectOption({ label: surveyName });
  await form.getByLabel('奖励名称（中文）').fill('20元租车抵用券');
  await form.getByLabel('奖励名称（英文）').fill('CNY 20 rental voucher');
  await form.getByRole('button', { name: '创建' }).click();
  await expect(page).toHaveURL(/\/distribution\/rewards\/[0-9a-f-]{36}\?created=1$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('20元租车抵用券');
  await page.waitForLoadState('networkidle');

  // A file with a repeated and a malformed code is refused with its rows named, and nothing is added.
  const upload = page.locator('section[aria-labelledby="import-codes"]');
  const codes = [1, 2, 3].map((i) => `E2E${stamp % 1_000_000}-${i}`);
  await upload.getByLabel('CSV 文件').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(`code\n${codes[0]}\n${codes[0]}\nx\n`) });
  await upload.getByRole('button', { name: '上传' }).click();
  const refused = page.getByTestId('reward-codes-errors');
  await expect(refused).toContainText('第 3 行：券码在文件中重复');
  await expect(refused).toContainText('第 4 行：券码格式不对');
  await expect(page.getByTestId('reward-stock')).toHaveAttribute('data-available', '0');

  await upload.getByLabel('CSV 文件').setInputFiles({ name: 'codes.csv', mimeType: 'text/csv', buffer: Buffer.from(`code\n${codes.join('\n')}\n`) });
  await upload.getByRole('button', { name: '上传' }).click();
  await expect(page.getByTestId('reward-codes-added')).toHaveText('已添加 3 个券码，现有 3 个可用。');
  await expect(page.getByTestId('reward-stock')).toHaveAttribute('data-available', '3');

  // A customer of that branch answers, unhappy: the reward is the same.
  const returnedAt = new Date(stamp - 3 * H);
  const rental = await request.post(`${baseURL}/api/rentals`, {
    headers,
    data: rentalPayload(stamp % 1_000_000, {
      externalId: `E2E-RW-${stamp}`,
      customer: { externalId: `E2E-RW-C-${stamp}`, name: 'Mr Reward', email: `reward.${stamp}@example.com`, preferredLanguage: 'en' },
      pickupBranch: branch,
      returnBranch: branch,
      pickedUpAt: new Date(returnedAt.getTime() - 48 * H).toISOString(),
      returnedAt: returnedAt.toISOString(),
    }),
  });
  expect(rental.status()).toBe(201);
  const invited = await rental.json();
  expect(invited.invitation, JSON.stringify(invited)).not.toBeNull();
  const token = tokenFromLink(invited.invitation.link);
  const customer = await page.context().browser()!.newPage();
  await openSurvey(customer, token);
  await answerAsDetractor(customer);
  const reward = customer.getByTestId('reward');
  await expect(reward).toBeVisible();
  await expect(customer.getByTestId('reward-code')).toHaveText(codes[0]);
  await expect(reward).toContainText('CNY 20 rental voucher');
  await expect(customer.getByTestId('reward-note')).toHaveText('Every finished survey gets this reward, whatever your answers were.');
  await customer.close();

  await page.reload();
  await page.waitForLoadState('networkidle');
  await expect(page.getByTestId('reward-stock')).toHaveAttribute('data-available', '2');
  await expect(page.getByTestId('reward-uptake-total')).toContainText('已发放 1');

  // The rental system's redemptions come back as a file; the uptake per branch is a chart, its numbers one click away.
  // Redeemed "now": the code was issued at the submit above, and a redemption before its issue is refused, so a
  // fixed offset into the past could fall before the issue on a fast run.
  const redemptions = page.locator('section[aria-labelledby="redemptions-heading"]');
  await redemptions.getByLabel('CSV 文件').setInputFiles({
    name: 'redeemed.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`code,redeemed_at,branch\n${codes[0]},${new Date().toISOString()},${branch}\n`),
  });
  await redemptions.getByRole('button', { name: '上传' }).click();
  // Either answer ends the wait, so a refusal fails here with its reason instead of as a missing message.
  await expect(page.getByTestId('reward-redemptions-done').or(page.getByTestId('reward-redemptions-errors'))).toBeVisible();
  const refusedRedemptions = page.getByTestId('reward-redemptions-errors');
  expect((await refusedRedemptions.count()) > 0 ? await refusedRedemptions.innerText() : '').toBe('');
  await expect(page.getByTestId('reward-redemptions-done')).toHaveText('1 行：新核销 1 个，未变 0 个。');
  await page.reload();
  await page.waitForLoadState('networkidle');
  await expect(page.locator('#reward-uptake-branches-heading')).toHaveText('按门店的核销率');
  await expect(page.locator('section:has([data-testid="reward-uptake-branches"]) canvas')).toBeVisible();
  await page.getByTestId('reward-uptake-branches-toggle').click();
  const row = page.getByTestId('reward-uptake-branches').locator('tbody tr');
  await expect(row).toHaveCount(1);
  await expect(row.locator('[data-field="branch"]')).toHaveText(`奖励测试店 (${branch})`);
  await expect(row.locator('[data-field="issued"]')).toHaveText('1');
  await expect(row.locator('[data-field="redeemed"]')).toHaveText('1');
  await expect(row.locator('[data-field="uptake"]')).toHaveText('100.0 %');
});
