// A customer answers the post-rental survey on a phone: in Chinese and in English, with a reload in the
// middle, display logic, a validation error and a double click on Submit; leaving and coming back on every
// page; two tabs on one link; used, expired and unknown links; axe finds no serious fault and the page's
// transfer size on the wire stays under its regression bound (the 60 KiB goal is measured by bench:page).
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type BrowserContext, type Page } from '@playwright/test';
import postgres from 'postgres';
import { rentalPayload, tokenFromLink } from '../support/rentals.ts';
import { apiHeaders } from './support/session.ts';
import { nextToPage } from './support/survey-page.ts';

let serial = 0;

async function invite(request: APIRequestContext, baseURL: string, language: 'zh-CN' | 'en') {
  const n = (Date.now() % 1_000_000_000) * 10 + (serial++ % 10);
  const created = await request.post(`${baseURL}/api/rentals`, {
    headers: await apiHeaders(request),
    data: rentalPayload(n, {
      externalId: `RA-ANS-${n}`,
      pickedUpAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
      returnedAt: new Date(Date.now() - 3 * 3_600_000).toISOString(),
      customer: {
        externalId: `C-ANS-${n}`,
        name: language === 'en' ? 'Alex Chen' : '陈先生',
        email: `answering.${n}@example.com`,
        preferredLanguage: language,
      },
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

// 273,678 bytes before compression and the trimmed bundle, 80 KiB with SvelteKit's client in the browser;
// about 12 KiB since the page is rendered on the server with one small script. The bound catches a return
// of framework code, the staff translation table or chart.js; `npm run bench:page` holds the 60 KiB goal.
const FIRST_VISIT_BOUND = 24 * 1024;

test('a first visit to the survey page stays under its bound on the wire', async ({ page, request, baseURL }) => {
  const { token } = await invite(request, baseURL!, 'zh-CN');
  // Chromium's own count of each finished request: headers and compressed bodies, as transferred.
  let bytes = 0;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
  });
  await page.goto(`/s/${token}`);
  await expect(page.getByTestId('progress')).toContainText('第 1 页，共 4 页');
  await page.waitForLoadState('networkidle');
  expect(bytes).toBeGreaterThan(5 * 1024);
  expect(bytes).toBeLessThan(FIRST_VISIT_BOUND);
});

test('the page’s one script: no framework code, a live counter, the exclusive “no problem”, and a post leaves the link’s own address', async ({
  page,
  request,
  baseURL,
}) => {
  const { token } = await invite(request, baseURL!, 'en');
  const scripts: string[] = [];
  const posts: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
    if (r.method() === 'POST') posts.push(new URL(r.url()).search);
  });
  await page.goto(`/s/${token}`);
  await page.waitForLoadState('networkidle');
  expect(scripts).toEqual([expect.stringMatching(/^\/_app\/immutable\/workers\/enhance-[\w-]+\.js$/)]);
  // the survey's language on <html> too, whatever the browser's
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');

  // The reason question shows up without its "only if this applies" note, and counts what is left.
  await question(page, 'q_nps').getByRole('radio', { name: /^3\b/ }).check();
  const reason = question(page, 'q_nps_reason');
  await expect(reason).toBeVisible();
  await expect(reason).not.toContainText('Only if this applies');
  await expect(reason.locator('.count')).toHaveText('Up to 1000 characters');
  await reason.getByRole('textbox').fill('The queue');
  await expect(reason.locator('.count')).toHaveText('991 characters left');
  await question(page, 'q_csat').getByRole('radio', { name: /^2\b/ }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('progress')).toContainText('Page 2 of 4');
  expect(posts).toEqual(['?/next']);
  // After the post the address is the link's own: a reload shows the same page without posting again.
  expect(new URL(page.url()).search).toBe('?lang=en');
  await page.reload();
  await expect(page.getByTestId('progress')).toContainText('Page 2 of 4');
  expect(posts).toEqual(['?/next']);

  await nextToPage(page, 2, 4, 4);
  const problems = question(page, 'q_problems');
  const first = problems.getByRole('checkbox').first();
  const none = problems.getByRole('checkbox', { name: 'No problems at all' });
  await first.check();
  await none.check();
  await expect(first).not.toBeChecked();
  await first.check();
  await expect(none).not.toBeChecked();
});

test('answers in Chinese: display logic, reload to resume, a validation error and a double submit', async ({ page, request, baseURL }, testInfo) => {
  const { token, externalId } = await invite(request, baseURL!, 'zh-CN');
  // Bytes as on the wire (compressed bodies and headers), as Chromium counts them for each finished request.
  let bytes = 0;
  const thirdParty: string[] = [];
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
  });
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (url.origin !== new URL(baseURL!).origin) thirdParty.push(url.origin);
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

  // A reload (or the same link on another device) continues on the page it was on, with what was saved.
  await page.reload();
  await expect(page.getByTestId('progress')).toContainText('第 3 页，共 4 页');
  await page.getByRole('button', { name: '上一页' }).click();
  await expect(question(page, 'q_pickup').locator('[data-item="pickup_wait"]').getByRole('radio', { name: /^1\b/ })).toBeChecked();
  await page.getByRole('button', { name: '上一页' }).click();
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

  await question(page, 'q_problems')
    .getByRole('checkbox', { name: /排队|等候/ })
    .first()
    .check();
  await page.getByRole('button', { name: '提交' }).dblclick();
  await expect(page.getByTestId('thank-you')).toBeVisible();
  // A detractor (5) under the demo data's closed-loop rule is told someone will get in touch.
  await expect(page.getByTestId('follow-up')).toContainText('联系');
  await expect(page.getByTestId('share')).toHaveCount(0);
  await expectNoSeriousViolations(page, 'thank-you page');

  // Exactly one response, and the link is used up.
  expect(await finishedFor(request, baseURL!, externalId)).toBe(1);
  expect((await request.get(`${baseURL}/api/respond/${token}`)).status()).toBe(410);
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
  await nextToPage(page, 1, 4, 4);
  await question(page, 'q_vas_used').getByRole('checkbox').first().check();
  await expect(question(page, 'q_vas_delivery')).toBeVisible();
  await question(page, 'q_problems').getByRole('checkbox', { name: 'No problems at all' }).check();
  await expectNoSeriousViolations(page, 'en page 4');
  await page.getByRole('button', { name: 'Submit' }).dblclick();
  await expect(page.getByTestId('thank-you')).toBeVisible();
  // Thanks are said once: the heading says the answers went, the survey's own text thanks.
  await expect(page.locator('#thanks-title')).toHaveText('Your answers have been sent');
  expect((await page.getByTestId('thank-you').innerText()).match(/thank/gi)).toHaveLength(1);
  expect(await finishedFor(request, baseURL!, externalId)).toBe(1);
  // Opening the link again says it was answered, when, in English only (status 410: gone).
  expect((await page.goto(`/s/${token}`))?.status()).toBe(410);
  await page.waitForLoadState('networkidle');
  await expect(page.getByTestId('link-finished')).toBeVisible();
  await expect(page.locator('#closed-title')).toHaveText('You have already answered, thank you');
  await expect(page.getByTestId('answered-on')).toContainText(String(new Date().getFullYear()));
  expect(await page.locator('main').innerText()).not.toMatch(/[\u4e00-\u9fff]/);
  await expectNoSeriousViolations(page, 'answered link');
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

/** Finished answers of one rental, as "question" or "question.item", sorted. */
async function storedAnswers(externalId: string) {
  const sql = postgres(process.env.E2E_DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ question_id: string; item_id: string | null }[]>`
      select a.question_id, a.item_id from answers a
      join responses r on r.id = a.response_id join rentals x on x.id = r.rental_id
      where x.external_id = ${externalId} and r.status = 'finished'`;
    return rows.map((r) => (r.item_id ? `${r.question_id}.${r.item_id}` : r.question_id)).sort();
  } finally {
    await sql.end();
  }
}

/** Closes the tab and opens the link again in a new one, as a customer coming back later. */
async function reopen(context: BrowserContext, page: Page, token: string): Promise<Page> {
  await page.close();
  const next = await context.newPage();
  await next.goto(`/s/${token}`);
  await next.waitForLoadState('networkidle');
  return next;
}

const item = (page: Page, questionId: string, itemId: string, score: number) =>
  question(page, questionId)
    .locator(`[data-item="${itemId}"]`)
    .getByRole('radio', { name: new RegExp(`^${score}\\b`) });

test('leaving and coming back on every page reopens that page: no page is skipped, no answer lost', async ({ context, request, baseURL }) => {
  const { token, externalId } = await invite(request, baseURL!, 'zh-CN');
  let page = await context.newPage();
  await page.goto(`/s/${token}`);
  await page.waitForLoadState('networkidle');
  // The greeting sets the name apart.
  await expect(page.locator('.intro')).toContainText('您好，陈先生！感谢您选择我们！');
  const progress = () => page.getByTestId('progress');

  // Page 1, left before answering.
  page = await reopen(context, page, token);
  await expect(progress()).toContainText('第 1 页，共 4 页');
  await question(page, 'q_nps').getByRole('radio', { name: /^9\b/ }).check();
  await question(page, 'q_csat').getByRole('radio', { name: /^4\b/ }).check();
  await page.getByRole('button', { name: '下一页' }).click();
  await expect(progress()).toContainText('第 2 页，共 4 页');

  // Page 2 (optional questions only): the link reopens here, not on the last page.
  page = await reopen(context, page, token);
  await expect(progress()).toContainText('第 2 页，共 4 页');
  await item(page, 'q_booking', 'booking_ease', 4).check();
  await item(page, 'q_pickup', 'pickup_wait', 2).check();
  await page.getByRole('button', { name: '下一页' }).click();
  await expect(progress()).toContainText('第 3 页，共 4 页');

  // Page 3.
  page = await reopen(context, page, token);
  await expect(progress()).toContainText('第 3 页，共 4 页');
  await item(page, 'q_staff', 'staff_friendly', 5).check();
  await page.getByRole('button', { name: '下一页' }).click();
  await expect(progress()).toContainText('第 4 页，共 4 页');

  // Page 4; then back to page 3, left there: it reopens on page 3 with its answer.
  page = await reopen(context, page, token);
  await expect(progress()).toContainText('第 4 页，共 4 页');
  await page.getByRole('button', { name: '上一页' }).click();
  await expect(progress()).toContainText('第 3 页，共 4 页');
  page = await reopen(context, page, token);
  await expect(progress()).toContainText('第 3 页，共 4 页');
  await expect(item(page, 'q_staff', 'staff_friendly', 5)).toBeChecked();
  await page.getByRole('button', { name: '下一页' }).click();
  await expect(progress()).toContainText('第 4 页，共 4 页');
  await question(page, 'q_problems')
    .getByRole('checkbox', { name: /排队|等候/ })
    .first()
    .check();
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page.getByTestId('thank-you')).toBeVisible();
  await expect(page.locator('#thanks-title')).toHaveText('您的回答已提交');
  expect((await page.getByTestId('thank-you').innerText()).match(/谢谢|感谢/g)).toHaveLength(1);

  // The finished response holds the answers of every page.
  expect(await storedAnswers(externalId)).toEqual(
    ['q_booking.booking_ease', 'q_csat', 'q_nps', 'q_pickup.pickup_wait', 'q_problems', 'q_staff.staff_friendly'].sort(),
  );

  // The used link says so, when, in Chinese only.
  page = await reopen(context, page, token);
  await expect(page.getByTestId('link-finished')).toBeVisible();
  await expect(page.locator('#closed-title')).toHaveText('您已完成此问卷，谢谢！');
  await expect(page.getByTestId('answered-on')).toContainText(`${new Date().getFullYear()}年`);
  expect(await page.locator('main').innerText()).not.toMatch(/[A-Za-z]{3,}/);
});

test('two tabs on one link: the submit finishes what its page showed, not the other tab’s draft', async ({ context, request, baseURL }) => {
  const { token, externalId } = await invite(request, baseURL!, 'en');
  const tabA = await context.newPage();
  await tabA.goto(`/s/${token}`);
  await tabA.waitForLoadState('networkidle');
  await question(tabA, 'q_nps').getByRole('radio', { name: /^9\b/ }).check();
  await question(tabA, 'q_csat').getByRole('radio', { name: /^5\b/ }).check();
  await nextToPage(tabA, 1, 4, 4);

  // Tab B opens the same link, goes back to page 3 and rates the staff: a draft tab A never showed.
  const tabB = await context.newPage();
  await tabB.goto(`/s/${token}`);
  await tabB.waitForLoadState('networkidle');
  await expect(tabB.getByTestId('progress')).toContainText('Page 4 of 4');
  await tabB.getByRole('button', { name: 'Back' }).click();
  await expect(tabB.getByTestId('progress')).toContainText('Page 3 of 4');
  await item(tabB, 'q_staff', 'staff_friendly', 1).check();
  await tabB.getByRole('button', { name: 'Next' }).click();
  await expect(tabB.getByTestId('progress')).toContainText('Page 4 of 4');

  await question(tabA, 'q_problems').getByRole('checkbox', { name: 'No problems at all' }).check();
  await tabA.getByRole('button', { name: 'Submit' }).click();
  await expect(tabA.getByTestId('thank-you')).toBeVisible();
  expect(await storedAnswers(externalId)).toEqual(['q_csat', 'q_nps', 'q_problems']);

  // Tab B's submit now finds the finished response: its thank-you, nothing changed.
  await question(tabB, 'q_problems').getByRole('checkbox', { name: 'No problems at all' }).check();
  await tabB.getByRole('button', { name: 'Submit' }).click();
  await expect(tabB.getByTestId('thank-you')).toBeVisible();
  expect(await storedAnswers(externalId)).toEqual(['q_csat', 'q_nps', 'q_problems']);
});

test('an expired link says so in the customer’s language; an unknown one stays generic, in the browser’s language', async ({ browser, request, baseURL }) => {
  const sql = postgres(process.env.E2E_DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    for (const [language, title, otherScript] of [
      ['zh-CN', '此问卷链接已过期', /[A-Za-z]{3,}/],
      ['en', 'This survey link has expired', /[\u4e00-\u9fff]/],
    ] as const) {
      const { externalId, token } = await invite(request, baseURL!, language);
      await sql`update invitations set expires_at = now() - interval '1 minute'
                where rental_id = (select id from rentals where external_id = ${externalId})`;
      // The browser asks for the other language: the customer's own wins.
      const other = await browser.newContext({ baseURL, locale: language === 'en' ? 'zh-CN' : 'en-US' });
      const page = await other.newPage();
      // the status says it too: gone, not a page that exists
      expect((await page.goto(`/s/${token}`))?.status()).toBe(410);
      await page.waitForLoadState('networkidle');
      await expect(page.getByTestId('link-expired')).toBeVisible();
      await expect(page.locator('#closed-title')).toHaveText(title);
      expect(await page.locator('main').innerText()).not.toMatch(otherScript);
      await expectNoSeriousViolations(page, `expired link (${language})`);
      await other.close();
    }
  } finally {
    await sql.end();
  }
  for (const [browserLocale, title, otherScript] of [
    ['en-US', 'This link is not available', /[\u4e00-\u9fff]/],
    ['zh-CN', '此链接不可用', /[A-Za-z]{3,}/],
  ] as const) {
    const context = await browser.newContext({ baseURL, locale: browserLocale });
    const unknown = await context.newPage();
    expect((await unknown.goto('/s/AAAAAAAAAAAAAAAAAAAAAA'))?.status()).toBe(404);
    await unknown.waitForLoadState('networkidle');
    await expect(unknown.getByTestId('link-unavailable')).toBeVisible();
    await expect(unknown.locator('#closed-title')).toHaveText(title);
    expect(await unknown.locator('main').innerText()).not.toMatch(otherScript);
    await context.close();
  }
});

test('without JavaScript the form posts keep the page too: a reopened link continues there', async ({ browser, request, baseURL }) => {
  const { token } = await invite(request, baseURL!, 'zh-CN');
  const context = await browser.newContext({ baseURL, javaScriptEnabled: false, locale: 'zh-CN' });
  let page = await context.newPage();
  await page.goto(`/s/${token}`);
  // Without the script the question that depends on the score is there, saying when it applies.
  await expect(question(page, 'q_nps_reason')).toContainText('如适用，请作答。');
  await question(page, 'q_nps').getByRole('radio', { name: /^8\b/ }).check();
  await question(page, 'q_csat').getByRole('radio', { name: /^4\b/ }).check();
  await page.getByRole('button', { name: '下一页' }).click();
  await expect(page.getByTestId('progress')).toContainText('第 2 页，共 4 页');
  await page.getByRole('button', { name: '下一页' }).click();
  await expect(page.getByTestId('progress')).toContainText('第 3 页，共 4 页');
  await page.close();
  page = await context.newPage();
  await page.goto(`/s/${token}`);
  await expect(page.getByTestId('progress')).toContainText('第 3 页，共 4 页');
  await context.close();
});
