// Translations in the UI: publishing names the texts a language still misses and asks before it goes;
// the translation list names questions by number and text, not by internal path; the Chinese UI shows
// no English of its own.
import { expect, test } from '@playwright/test';
import { apiHeaders, signIn } from './support/session.ts';

const created: string[] = [];

test.afterAll(async ({ request }) => {
  const headers = await apiHeaders(request, 'quality_manager');
  for (const id of created) await request.post(`/api/surveys/${id}/archive`, { headers });
});

test('publishing lists the untranslated zh-TW texts by question and asks to confirm', async ({ page, request, baseURL }) => {
  await signIn(page, 'quality_manager');
  await page.context().addCookies([{ name: 'lang', value: 'zh-CN', url: baseURL! }]);
  await page.goto('/surveys');
  // typed before hydration, the name would be reset to the rendered empty value
  await page.waitForLoadState('networkidle');
  await page.locator('#new-name').fill(`E2E 翻译 ${Date.now()}`);
  await page.locator('input[name="start"][value="post-rental"]').check();
  await page.getByRole('button', { name: '创建草稿' }).click();
  await page.waitForURL(/\/surveys\/[0-9a-f-]{36}$/);
  const surveyId = /\/surveys\/([0-9a-f-]{36})$/.exec(page.url())![1];
  created.push(surveyId);

  // Three Traditional Chinese texts left empty: the survey title and the first two questions.
  await page.locator('[name="loc:title.zh-TW"]').fill('');
  for (const [qi, id] of [
    [0, 'q_nps'],
    [1, null],
  ] as const) {
    const question = id ? page.locator(`[data-builder-question="${id}"]`) : page.locator('[data-builder-question]').nth(qi);
    await question.locator('summary').first().click();
    await question.locator(`[name="loc:pages.0.questions.${qi}.text.zh-TW"]`).fill('');
  }
  const draft = await (await request.get(`/api/surveys/${surveyId}/draft`, { headers: await apiHeaders(request, 'quality_manager') })).json();
  const nps = draft.definition.pages[0].questions[0];

  // The translation list: where each text is and what it says, not "pages.0.questions.0.text".
  const row = page.locator('#sec-translations tr[data-locale="zh-TW"]');
  await expect(row.locator('li[data-path]')).toHaveCount(3);
  const npsEntry = row.locator('li[data-path="pages.0.questions.0.text"]');
  await expect(npsEntry).toContainText('第 1 题（q_nps）');
  await expect(npsEntry).toContainText(nps.text['zh-CN']);
  await expect(row.locator('li[data-path="title"]')).toContainText('标题');
  for (const text of await row.locator('li[data-path]').allInnerTexts()) expect(text).not.toMatch(/pages\.\d/);

  // The publish dialog lists them per language and waits for a confirmation.
  const missing = page.getByTestId('publish-missing');
  await expect(missing.locator('details[data-locale="zh-TW"] li')).toHaveCount(3);
  await expect(missing.locator('details[data-locale="zh-TW"] summary')).toContainText('繁體中文');
  await expect(missing.locator('details[data-locale="en"]')).toHaveCount(0);
  await expect(page.getByTestId('publish')).toBeDisabled();
  await page.getByTestId('confirm-missing').check();
  await expect(page.getByTestId('publish')).toBeEnabled();
  await page.getByTestId('publish').click();
  await expect(page.getByTestId('published')).toContainText('已发布第 1 版');
  await expect(page.getByTestId('published-missing')).toContainText('3');
});

test('the segment table speaks Chinese in the Chinese UI', async ({ page, baseURL }) => {
  await signIn(page, 'admin');
  await page.context().addCookies([{ name: 'lang', value: 'zh-CN', url: baseURL! }]);
  await page.goto('/segments');
  const headers = page.locator('[data-testid="segment-table"] thead th');
  await expect(headers.first()).toBeAttached();
  const texts = await headers.allTextContents();
  expect(texts.join(' | ')).toContain('与其余客户之差 CSI');
  for (const text of texts) expect(text).not.toMatch(/vs rest/);
});

test('import rejection reasons are shown in the UI language', async ({ page, request, baseURL }) => {
  const headers = await apiHeaders(request);
  const stamp = Date.now() % 1_000_000;
  const csv = [
    'rental_id,customer_id,email,pickup_branch,return_branch,vehicle_class,picked_up_at,returned_at,amount,booking_channel',
    `RI-${stamp}-1,CI-${stamp}-1,i1-${stamp}@example.com,XX99,XX99,SUV,2026-05-01 09:00,2026-05-02 18:00,100,app`,
    `RI-${stamp}-2,CI-${stamp}-2,not-an-email,SH01,SH01,SUV,2026-05-03 09:00,2026-05-02 18:00,100,app`,
  ].join('\n');
  const upload = await request.post('/api/imports?fileName=reasons.csv', { headers: { ...headers, 'content-type': 'text/csv' }, data: csv });
  expect(upload.status(), await upload.text()).toBe(201);
  const uploaded = await upload.json();
  const start = await request.post(`/api/imports/${uploaded.id}/start`, { headers, data: { mapping: uploaded.suggestedMapping } });
  expect(start.status(), await start.text()).toBe(202);
  await expect.poll(async () => (await (await request.get(`/api/imports/${uploaded.id}`, { headers })).json()).status, { timeout: 30_000 }).toBe('done');

  await signIn(page, 'admin');
  await page.context().addCookies([{ name: 'lang', value: 'zh-CN', url: baseURL! }]);
  await page.goto(`/distribution/import/${uploaded.id}`);
  const reasons = page.locator('[data-testid="rejections"] [data-field="reason"]');
  await expect(reasons).toHaveCount(2);
  await expect(reasons.nth(0)).toContainText('取车门店代码：没有代码为“XX99”的门店');
  await expect(reasons.nth(1)).toContainText('早于取车时间');
  for (const text of await reasons.allTextContents()) expect(text).not.toMatch(/no branch|not an e-mail|before the pick-up/);
});
