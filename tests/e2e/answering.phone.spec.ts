// A customer answers the post-rental survey on a phone: in Chinese and in English, with a reload in the
// middle, display logic, a validation error and a double click on Submit; axe finds no serious fault and
// the page's transfer size is measured.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { rentalPayload, tokenFromLink } from '../support/rentals.ts';
import { apiHeaders } from './support/session.ts';

let serial = 0;

async function invite(request: APIRequestContext, baseURL: string, language: 'zh-CN' | 'en') {
  const n = (Date.now() % 1_000_000_000) * 10 + (serial++ % 10);
  const created = await request.post(`${baseURL}/api/rentals`, {
    headers: await apiHeaders(request),
    data: rentalPayload(n, {
      externalId: `RA-ANS-${n}`,
      pickedUpAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
      returnedAt: new Date(Date.now() - 3 * 3_600_000).toISOString(),
      customer: { externalId: `C-ANS-${n}`, name: language === 'en' ? 'Alex Chen' : '陈先生', email: `answering.${n}@example.com`, preferredLanguage: language },
    }),
  });
  expect(created.status(), await created.text()).toBe(201);
  return { token: tokenFromLink((await created.json()).invitation.link), externalId: `RA-ANS-${n}` };
}

/** Finished responses of one rental, as the staff explorer lists them (newest first). */
async function finishedFor(request: APIRequestContext, baseURL: string, externalId: string) {
  const headers = await apiHeaders(request);
  const surveys = await (await request.get(`${baseURL}/api/surveys`, { headers })).json();
  let count = 0;
  for (const survey of surveys.filter((s: { kind: string }) => s.kind === 'post_rental')) {
    const res = await request.get(`${baseURL}/api/responses?survey=${survey.id}&status=finished&sort=-finishedAt&pageSize=200`, { headers });
    expect(res.status(), await res.text()).toBe(200);
    const body = (await res.json()) as { items: { rental: { externalId: string } | null }[] };
    count += body.items.filter((r) => r.rental?.externalId === externalId).length;
  }
  return count;
}

const question = (page: Page, id: string) => page.locator(`[data-question="${id}"]`);

async function expectNoSeriousViolations(page: Page, label: string) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${label}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test('answers in Chinese: display logic, reload to resume, a validation error and a double submit', async ({ page, request, baseURL }, testInfo) => {
  const { token, externalId } = await invite(request, baseURL!, 'zh-CN');
  let bytes = 0;
  const thirdParty: string[] = [];
  page.on('response', async (response) => {
    const url = new URL(response.url());
    if (url.origin !== new URL(baseURL!).origin) thirdParty.push(url.origin);
    const body = await response.body().catch(() => null);
    if (body) bytes += body.length;
  });
  await page.goto(`/s/${token}`);
  await page.waitForLoadState('networkidle');
  await expect(page.getByTestId('progress')).toContainText('第 1 页，共 4 页');
  await page.waitForLoadState('networkidle');
  testInfo.annotations.push({ type: 'transfer size', description: `${bytes} bytes for the first page of /s/<token>` });
  await testInfo.attach('transfer-size.json', { body: JSON.stringify({ bytes, kib: +(bytes / 1024).toFixed(1) }), contentType: 'application/json' });
  console.log(`/s/<token> first load: ${bytes} bytes (${(bytes / 1024).toFixed(1)} KiB) transferred`);
  expect(thirdParty).toEqual([]);
  await expectNoSeriousViolations(page, 'page 1');

  // The reason question appears only for a score of 6 or less, and goes away again above it.
  await expect(question(page, 'q_nps_reason')).toHaveCount(0);
  await question(page, 'q_nps').getByRole('radio', { name: /^3\b/ }).check();
  await expect(question(page, 'q_nps_reason')).toBeVisible();
  await question(page, 'q_nps').getByRole('radio', { name: /^8\b/ }).check();
  await expect(question(page, 'q_nps_reason')).toHaveCount(0);
  await question(page, 'q_nps').getByRole('radio', { name: /^5\b/ }).check();
  await question(page, 'q_nps_reason').getByRole('textbox').fill('取车排队太久');
  await question(page, 'q_csat').getByRole('radio', { name: /^2\b/ }).check();
  await page.getByRole('button', { name: '下一页' }).click();
  await expect(page.getByTestId('progress')).toContainText('第 2 页，共 4 页');
  await question(page, 'q_pickup').locator('[data-item="pickup_wait"]').getByRole('radio', { name: /^1\b/ }).check();
  await page.getByRole('button', { name: '下一页' }).click();
  await expect(page.getByTestId('progress')).toContainText('第 3 页，共 4 页');

  // A reload (or the same link on another device) continues with what was saved.
  await page.reload();
  await expect(page.getByTestId('progress')).toBeVisible();
  for (let i = 0; i < 3 && !(await page.getByTestId('progress').textContent())?.includes('第 1 页'); i++) {
    await page.getByRole('button', { name: '上一页' }).click();
  }
  await expect(page.getByTestId('progress')).toContainText('第 1 页，共 4 页');
  await expect(question(page, 'q_nps').getByRole('radio', { name: /^5\b/ })).toBeChecked();
  await expect(question(page, 'q_nps_reason').getByRole('textbox')).toHaveValue('取车排队太久');
  await expect(question(page, 'q_csat').getByRole('radio', { name: /^2\b/ })).toBeChecked();
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: '下一页' }).click();
  await expect(page.getByTestId('progress')).toContainText('第 4 页，共 4 页');

  // Submitting without the required checklist: the message stands beside the question, in Chinese.
  await page.getByRole('button', { name: '提交' }).click();
  await expect(question(page, 'q_problems').locator('.error')).toHaveText('请回答此题。');
  await expect(page.getByTestId('thank-you')).toHaveCount(0);
  await expectNoSeriousViolations(page, 'page 4 with an error');

  await question(page, 'q_problems').getByRole('checkbox', { name: /排队|等候/ }).first().check();
  await page.getByRole('button', { name: '提交' }).dblclick();
  await expect(page.getByTestId('thank-you')).toBeVisible();
  // A detractor (5) under the demo data's closed-loop rule is told someone will get in touch.
  await expect(page.getByTestId('follow-up')).toContainText('联系');
  await expect(page.getByTestId('share')).toHaveCount(0);
  await expectNoSeriousViolations(page, 'thank-you page');

  // Exactly one response, and the link is used up.
  expect(await finishedFor(request, baseURL!, externalId)).toBe(1);
  expect((await request.get(`${baseURL}/api/respond/${token}`)).status()).toBe(404);
});

test('answers in English and a double click on Submit makes one response', async ({ page, request, baseURL }) => {
  const { token, externalId } = await invite(request, baseURL!, 'en');
  await page.goto(`/s/${token}`);
  await page.waitForLoadState('networkidle');
  await expect(page.getByTestId('progress')).toContainText('Page 1 of 4');
  await expect(page.locator('main')).toHaveAttribute('lang', 'en');
  await question(page, 'q_nps').getByRole('radio', { name: /^10\b/ }).check();
  await expect(question(page, 'q_nps_reason')).toHaveCount(0);
  await question(page, 'q_csat').getByRole('radio', { name: /^5\b/ }).check();
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('progress')).toContainText('Page 4 of 4');
  await question(page, 'q_vas_used').getByRole('checkbox').first().check();
  await expect(question(page, 'q_vas_delivery')).toBeVisible();
  await question(page, 'q_problems').getByRole('checkbox', { name: 'No problems at all' }).check();
  await expectNoSeriousViolations(page, 'en page 4');
  await page.getByRole('button', { name: 'Submit' }).dblclick();
  await expect(page.getByTestId('thank-you')).toBeVisible();
  expect(await finishedFor(request, baseURL!, externalId)).toBe(1);
  // Opening the link again shows the polite page that does not say why.
  await page.goto(`/s/${token}`);
  await page.waitForLoadState('networkidle');
  await expect(page.getByTestId('link-unavailable')).toBeVisible();
});

test('switches language on the page', async ({ page, request, baseURL }) => {
  const { token } = await invite(request, baseURL!, 'zh-CN');
  await page.goto(`/s/${token}`);
  await page.waitForLoadState('networkidle');
  await expect(page.getByRole('button', { name: '下一页' })).toBeVisible();
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('button', { name: 'Next' })).toBeVisible();
  await expect(page.getByTestId('progress')).toContainText('Page 1 of 4');
  await expectNoSeriousViolations(page, 'after switching to English');
});
