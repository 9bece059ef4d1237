// The survey builder in a real browser: a quality manager designs, previews and publishes surveys.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Locator } from '@playwright/test';
import { findTemplate } from '../../survey-templates/index.ts';
import { tokenFromLink } from '../support/rentals.ts';
import { apiHeaders, signIn } from './support/session.ts';

const created: string[] = [];

/** Surveys made here never stay active: a post-rental one would take over the demo's rental invitations. */
test.afterAll(async ({ request }) => {
  const headers = await apiHeaders(request, 'quality_manager');
  for (const id of created) await request.post(`/api/surveys/${id}/archive`, { headers });
});

async function draftOf(request: APIRequestContext, id: string) {
  const res = await request.get(`/api/surveys/${id}/draft`, { headers: await apiHeaders(request, 'quality_manager') });
  expect(res.status()).toBe(200);
  return (await res.json()).definition;
}

const surveyIdFrom = (url: string) => /\/surveys\/([0-9a-f-]{36})$/.exec(url)![1];

test('creates a survey from the post-rental template, edits a question in zh-CN, publishes and lists version 2', async ({ page, request, baseURL }) => {
  await signIn(page, 'quality_manager');
  await page.context().addCookies([{ name: 'lang', value: 'zh-CN', url: baseURL! }]);
  const name = `E2E 租车后问卷 ${Date.now()}`;
  const newText = '您有多大可能向亲友推荐我们的租车服务？';

  await page.goto('/surveys');
  // typed before hydration, the name would be reset to the rendered empty value
  await page.waitForLoadState('networkidle');
  await page.locator('#new-name').fill(name);
  await page.locator('input[name="start"][value="post-rental"]').check();
  await page.getByRole('button', { name: '创建草稿' }).click();
  await page.waitForURL(/\/surveys\/[0-9a-f-]{36}$/);
  const surveyId = surveyIdFrom(page.url());
  created.push(surveyId);

  // Version 1: the template as it is.
  await expect(page.getByTestId('change-summary')).toContainText('第一个版本：15 个问题，4 页');
  await page.getByTestId('publish').click();
  await expect(page.getByTestId('published')).toContainText('已发布第 1 版');
  await expect(page.getByTestId('latest-version')).toHaveText('当前版本 v1');

  // Edit the NPS question's Simplified Chinese text (the translations sit side by side).
  const question = page.locator('[data-builder-question="q_nps"]');
  await question.locator('summary').click();
  const zh = question.locator('[name="loc:pages.0.questions.0.text.zh-CN"]');
  await expect(question.locator('[name="loc:pages.0.questions.0.text.en"]')).toBeVisible();
  await zh.fill(newText);

  // The live preview is the customers' own page, in a 390 px wide phone frame, and shows the edit at once.
  const frame = page.frameLocator('[data-testid="preview-frame"][data-locale="zh-CN"] iframe');
  await expect(frame.locator('[data-question="q_nps"]')).toContainText(newText);
  expect(await frame.locator('html').evaluate((el) => el.clientWidth)).toBe(390);

  // What publishing would change: a text edit, comparable with version 1.
  const summary = page.getByTestId('change-summary');
  await expect(summary).toContainText('自 v1 以来的修改');
  await expect(summary).toContainText('q_nps');
  await expect(page.getByTestId('breaks-comparability')).toHaveCount(0);
  await page.getByTestId('publish').click();
  await expect(page.getByTestId('published')).toContainText('已发布第 2 版');

  await page.goto('/surveys');
  const row = page.getByTestId('survey-row').filter({ hasText: name });
  await expect(row.getByTestId('version')).toHaveText('v2');
  await expect(row).toContainText('已发布');

  // The versions are immutable snapshots: v1 keeps the template's text, v2 has the edit.
  const headers = await apiHeaders(request, 'quality_manager');
  const v1 = await (await request.get(`/api/surveys/${surveyId}/versions/1`, { headers })).json();
  const v2 = await (await request.get(`/api/surveys/${surveyId}/versions/2`, { headers })).json();
  expect(v1.definition.pages[0].questions[0].text['zh-CN']).toBe(findTemplate('post-rental')!.definition.pages[0].questions[0].text['zh-CN']);
  expect(v2.definition.pages[0].questions[0].text['zh-CN']).toBe(newText);
  expect(v2.changeSummary.changed).toEqual([{ kind: 'question', id: 'q_nps', path: 'pages.0.questions.0', fields: ['text'], breaksComparability: false }]);

  // Archived from the list: rentals go back to the demo's post-rental survey.
  await row.getByRole('button', { name: '归档', exact: true }).click();
  await expect(row).toContainText('已归档');
  await expect(row.getByTestId('version')).toHaveText('v2');
});

test('shows problems beside the field, reorders questions from the keyboard and saves the draft', async ({ page, request }) => {
  await signIn(page, 'quality_manager');
  await page.goto('/surveys');
  // typed before hydration, the name would be reset to the rendered empty value
  await page.waitForLoadState('networkidle');
  await page.locator('#new-name').fill(`E2E blank ${Date.now()}`);
  await page.locator('input[name="start"][value="blank"]').check();
  await page.locator('#new-locale').selectOption('en');
  await page.getByRole('button', { name: 'Create draft' }).click();
  await page.waitForURL(/\/surveys\/[0-9a-f-]{36}$/);
  const surveyId = surveyIdFrom(page.url());
  created.push(surveyId);

  await page.locator('select[name="newtype:0"]').selectOption('csat');
  await page.getByRole('button', { name: 'Add question' }).click();
  const added = page.locator('[data-builder-question="q_csat"]');
  await expect(added.locator('details')).toHaveAttribute('open', '');

  // An empty default-locale text: the message sits beside the field and publishing waits.
  const text = added.locator('[name="loc:pages.0.questions.1.text.en"]');
  await text.fill('');
  // shown from the translation table by the problem's code (the API's English message says "locale (en)")
  await expect(page.locator('#f-pages-0-questions-1-text-err')).toContainText('Missing text in the default language (English)');
  await expect(text).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('issue-summary')).toContainText('Question 2 (q_csat)');
  await expect(page.getByTestId('publish')).toBeDisabled();
  await text.fill('Overall, how satisfied are you?');
  await expect(page.getByTestId('issue-summary')).toHaveCount(0);

  // Keyboard only: the new question moves above the NPS question; focus stays with it.
  await page.locator('#f-pages-0-questions-1-up').focus();
  await page.keyboard.press('Enter');
  const order = () => page.locator('[data-builder-question]').evaluateAll((els) => els.map((e) => e.getAttribute('data-builder-question')));
  await expect.poll(order).toEqual(['q_csat', 'q_nps']);
  await expect(page.locator('#f-pages-0-questions-0')).toBeFocused();
  await expect(page.getByRole('status').filter({ hasText: 'Moved to position 1 of 2' })).toHaveCount(1);
  await page.keyboard.press('Tab');
  await expect(page.locator('#f-pages-0-questions-0-down')).toBeFocused();

  // With every question unfolded the editor has no accessibility violations axe can find.
  for (const summary of await page.locator('[data-builder-question] summary').all()) {
    if ((await summary.locator('xpath=..').getAttribute('open')) === null) await summary.click();
  }
  await page.locator('details.page-settings summary').first().click();
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

  await page.getByTestId('save').click();
  await expect(page.locator('.savebar')).toContainText('All changes saved');
  const stored = await draftOf(request, surveyId);
  expect(stored.pages[0].questions.map((q: { id: string }) => q.id)).toEqual(['q_csat', 'q_nps']);
  expect(stored.pages[0].questions[0].text.en).toBe('Overall, how satisfied are you?');
  await page.reload();
  await expect.poll(order).toEqual(['q_csat', 'q_nps']);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('adds a question and a choice and saves texts through plain form posts', async ({ page, request }) => {
    await signIn(page, 'quality_manager');
    await page.goto('/surveys');
    await page.locator('#new-name').fill(`E2E no-JS ${Date.now()}`);
    await page.locator('input[name="start"][value="blank"]').check();
    await page.locator('#new-locale').selectOption('en');
    await page.getByRole('button', { name: 'Create draft' }).click();
    await page.waitForURL(/\/surveys\/[0-9a-f-]{36}$/);
    const surveyId = surveyIdFrom(page.url());
    created.push(surveyId);

    await page.locator('[name="loc:title.en"]').fill('Booking check');
    await page.locator('select[name="newtype:0"]').selectOption('single');
    await page.getByRole('button', { name: 'Add question' }).click();
    const question = page.locator('[data-builder-question="q_single"]');
    await expect(question).toHaveCount(1);
    await question.locator('summary').click();
    await question.getByRole('button', { name: 'Add choice' }).click();
    await page.locator('[data-builder-question="q_single"] summary').click();
    await page.locator('[name="loc:pages.0.questions.1.text.en"]').fill('How did you book?');
    await page.getByTestId('save').click();
    await expect(page.getByText('Draft saved.')).toBeVisible();

    const stored = await draftOf(request, surveyId);
    expect(stored.title.en).toBe('Booking check');
    expect(stored.pages[0].questions[1]).toMatchObject({ id: 'q_single', type: 'single', text: { en: 'How did you book?' } });
    expect(stored.pages[0].questions[1].choices.map((c: { id: string }) => c.id)).toEqual(['c1', 'c2', 'c3']);
  });
});

/** The rows a scale's buttons fall into: the number of buttons in each row, top to bottom. */
async function buttonRows(question: Locator): Promise<number[]> {
  const tops = await question.locator('.scale label').evaluateAll((labels) => labels.map((l) => Math.round(l.getBoundingClientRect().top)));
  const rows = new Map<number, number>();
  for (const top of tops) rows.set(top, (rows.get(top) ?? 0) + 1);
  return [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([, n]) => n);
}

test("the preview lays the questions out as the customer's 390 px phone does", async ({ browser, page, request }) => {
  await signIn(page, 'quality_manager');
  const headers = await apiHeaders(request, 'quality_manager');
  const surveys = (await (await request.get('/api/surveys', { headers })).json()) as { id: string; kind: string; receivesRentalInvitations: boolean }[];
  const invited = surveys.find((s) => s.kind === 'post_rental' && s.receivesRentalInvitations)!;
  expect(invited).toBeTruthy();

  // The builder on a desktop screen: the preview frame is a phone.
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`/surveys/${invited.id}`);
  const preview = page.frameLocator('[data-testid="preview-frame"] iframe').first();
  const previewNps = preview.locator('[data-question="q_nps"]');
  await expect(previewNps).toBeVisible();
  const previewRows = await buttonRows(previewNps);

  // The real answering page of a rental invited to that survey, on a 390 px wide phone.
  const stamp = Date.now() % 1_000_000;
  const created = await request.post('/api/rentals', {
    headers: await apiHeaders(request),
    data: {
      externalId: `RA-PREVIEW-${stamp}`,
      customer: { externalId: `C-PREVIEW-${stamp}`, email: `preview${stamp}@example.com`, preferredLanguage: 'zh-CN' },
      pickupBranch: 'SH01',
      returnBranch: 'SH01',
      vehicleClass: 'suv',
      pickedUpAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
      returnedAt: new Date(Date.now() - 3_600_000).toISOString(),
      amount: 500,
      bookingChannel: 'app',
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const token = tokenFromLink((await created.json()).invitation.link);
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3 });
  const customer = await phone.newPage();
  await customer.goto(`/s/${token}`);
  const realNps = customer.locator('[data-question="q_nps"]');
  await expect(realNps).toBeVisible();
  const realRows = await buttonRows(realNps);
  await phone.close();

  // 0–10 wraps onto two rows on the phone, and the preview shows exactly that.
  expect(realRows).toEqual([6, 5]);
  expect(previewRows).toEqual(realRows);
});

test('the draft saves itself a moment after an edit, and an edit is not lost by leaving at once', async ({ page, request }) => {
  await signIn(page, 'quality_manager');
  await page.goto('/surveys');
  // typed before hydration, the name would be reset to the rendered empty value
  await page.waitForLoadState('networkidle');
  await page.locator('#new-name').fill(`E2E autosave ${Date.now()}`);
  await page.locator('input[name="start"][value="blank"]').check();
  await page.locator('#new-locale').selectOption('en');
  await page.getByRole('button', { name: 'Create draft' }).click();
  await page.waitForURL(/\/surveys\/[0-9a-f-]{36}$/);
  const surveyId = surveyIdFrom(page.url());
  created.push(surveyId);

  await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'saved');
  await page.locator('[name="loc:title.en"]').fill('Saved without a click');
  // Waiting, then saving, then saved — no button pressed.
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'saved');
  await expect.poll(async () => (await draftOf(request, surveyId)).title.en).toBe('Saved without a click');

  // An edit followed at once by leaving for another page of the app is saved before the page goes.
  await page.locator('[name="loc:title.en"]').fill('Edited, then left');
  await page.locator('a[href="/surveys"]').first().click();
  await page.waitForURL(/\/surveys$/);
  await expect.poll(async () => (await draftOf(request, surveyId)).title.en).toBe('Edited, then left');

  // A draft with a problem is not saved (the API refuses it) and says so.
  await page.goto(`/surveys/${surveyId}`);
  await page.locator('[name="loc:title.en"]').fill('');
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'invalid');
});
