// Comment topics in the browser, on the demo data: the dashboard's topics view shows the API's figures in
// both languages, a quality manager's lexicon edit changes them, and a topic opens the explorer filtered.
import { expect, test, type Page } from '@playwright/test';
import type { Lexicon, TopicsResult } from '../../api/src/contract.ts';
import { cellNumber, postRentalSurveyId, query, shownPeriod } from './dashboard-helpers.ts';
import { signIn } from './support/session.ts';

let survey: string;

test.beforeEach(async ({ page, request }) => {
  await signIn(page, 'quality_manager');
  survey ??= await postRentalSurveyId(request);
});

async function setLanguage(page: Page, lang: 'zh-CN' | 'en') {
  if ((await page.locator('html').getAttribute('lang')) === lang) return;
  await page.locator('form[action="/lang"] button').click();
  await expect(page.locator('html')).toHaveAttribute('lang', lang);
}

/** GET /api/text/topics for the period the page shows, with the page's session. */
async function apiTopics(page: Page, lang: string): Promise<TopicsResult> {
  const period = await shownPeriod(page);
  const res = await page.request.get(`/api/text/topics${query({ survey, from: period.from, to: period.to, lang })}`);
  expect(res.status(), await res.text()).toBe(200);
  return res.json();
}

const row = (page: Page, table: string, key: string) => page.locator(`[data-testid="${table}"] tr[data-key="${key}"]`);

async function expectTopicFigures(page: Page, body: TopicsResult) {
  await expect(page.getByTestId('topics-comments')).toHaveAttribute('data-value', String(body.comments));
  for (const topic of body.topics) {
    const volume = row(page, 'topics', topic.id);
    expect(await cellNumber(volume, 'volume'), topic.id).toBe(topic.volume);
    expect(await cellNumber(volume, 'share'), topic.id).toBe(topic.share);
    expect(await cellNumber(volume, 'sentiment'), topic.id).toBe(topic.sentiment);
    expect(await cellNumber(volume, 'negativeShare'), topic.id).toBe(topic.negativeShare);
    // Named in the page's language, as the API names it.
    await expect(volume.locator('[data-field="topic"]')).toHaveText(topic.label);
    const nps = row(page, 'topics-nps-table', topic.id);
    expect(await cellNumber(nps, 'npsWith'), topic.id).toBe(topic.npsWith.score);
    expect(await cellNumber(nps, 'npsWithout'), topic.id).toBe(topic.npsWithout.score);
    expect(await cellNumber(nps, 'difference'), topic.id).toBe(topic.npsDifference.difference);
  }
  for (const phrase of body.phrases) expect(await cellNumber(row(page, 'topics-phrases', phrase.phrase), 'count'), phrase.phrase).toBe(phrase.count);
}

test('the topics view shows the API figures in zh-CN and en, numbers one click from each chart', async ({ page }) => {
  for (const lang of ['zh-CN', 'en'] as const) {
    await page.goto('/dashboard/comments?period=90d');
    await setLanguage(page, lang);
    const body = await apiTopics(page, lang);
    expect(body.comments).toBeGreaterThan(50);
    // Believable demo topics: waiting at pick-up is among the complaints, and it costs NPS.
    const waiting = body.topics.find((x) => x.id === 'waiting')!;
    expect(waiting.volume).toBeGreaterThan(0);
    expect(waiting.npsDifference.difference!).toBeLessThan(0);
    expect(waiting.label).toBe(lang === 'en' ? 'Waiting at pick-up' : '取车等待');
    await expectTopicFigures(page, body);

    // The chart first; its table one click away.
    await expect(page.locator('section:has([data-testid="topics"]) canvas')).toBeVisible();
    const tableWrap = page.locator('.table-wrap:has([data-testid="topics"])');
    await expect(tableWrap).toHaveClass(/sr-only/);
    await page.getByTestId('topics-toggle').click();
    await expect(tableWrap).not.toHaveClass(/sr-only/);
    await expect(page.locator('section:has([data-testid="topics"]) canvas')).toHaveCount(0);

    // The trend of the chosen topic: its volume per month as the API counts it.
    await page.getByTestId('topics-trend-topic').selectOption('waiting');
    await expect(page.locator('#topics-trend-heading')).toContainText(waiting.label);
    for (const p of body.trend) expect(await cellNumber(row(page, 'topics-trend', p.period), 'volume'), p.period).toBe(p.topics.waiting?.volume ?? 0);
  }
});

test('a quality manager edits a topic’s terms: every comment is analysed again and the figure changes', async ({ page }) => {
  const original = ((await (await page.request.get('/api/text/lexicon')).json()) as Lexicon).topics.find((x) => x.id === 'booking')!;
  await page.goto('/dashboard/comments?period=90d');
  await setLanguage(page, 'en');
  const before = await apiTopics(page, 'en');
  const childSeat = before.phrases.find((p) => p.phrase === '儿童座椅');
  expect(childSeat, 'the demo comments ask for child seats, a phrase no topic covers').toBeTruthy();
  try {
    // The editor is in the navigation of quality managers.
    await page.getByRole('navigation').getByRole('link', { name: 'Topics' }).click();
    await expect(page).toHaveURL(/\/topics$/);
    const topic = page.locator('details[data-topic="booking"]');
    await topic.locator('summary').click();
    const zh = topic.locator('textarea[name="termsZh"]');
    await zh.fill(`${await zh.inputValue()}\n儿童座椅`);
    await topic.getByRole('button', { name: 'Save and analyse again' }).click();
    await expect(page.getByTestId('lexicon-saved')).toContainText('Booking and app');
    await expect(page.getByTestId('lexicon-saving')).toHaveCount(0);

    await page.goto('/dashboard/comments?period=90d');
    const after = await apiTopics(page, 'en');
    const was = before.topics.find((x) => x.id === 'booking')!.volume;
    const now = after.topics.find((x) => x.id === 'booking')!.volume;
    expect(now).toBeGreaterThan(was);
    expect(after.phrases.map((p) => p.phrase)).not.toContain('儿童座椅');
    expect(await cellNumber(row(page, 'topics', 'booking'), 'volume')).toBe(now);
    await expectTopicFigures(page, after);
  } finally {
    const res = await page.request.put('/api/text/lexicon/booking', {
      data: { label: original.label, terms: original.terms },
      headers: { 'x-requested-with': 'playwright' },
    });
    expect(res.status()).toBe(200);
  }
});

test('a topic opens the response explorer filtered by it, shown as a filter chip', async ({ page }) => {
  await page.goto('/dashboard/comments?period=90d');
  await setLanguage(page, 'zh-CN');
  const body = await apiTopics(page, 'zh-CN');
  const waiting = body.topics.find((x) => x.id === 'waiting')!;
  await page.getByTestId('topics-toggle').click();
  await row(page, 'topics', 'waiting').locator('a').click();
  await expect(page).toHaveURL(/\/responses\?.*topic=waiting/);
  await expect(page.getByTestId('responses-total')).toHaveAttribute('data-value', String(waiting.volume));
  const chip = page.locator('[data-testid="filter-chips"] [data-filter="topic"]');
  await expect(chip).toContainText('取车等待');
  await expect(page.getByTestId('topic-filter')).toHaveValue('waiting');
  // Taking the chip away lists every response again.
  await chip.locator('a').click();
  await expect(page).not.toHaveURL(/topic=/);
  expect(Number(await page.getByTestId('responses-total').getAttribute('data-value'))).toBeGreaterThan(waiting.volume);
});

test('only those who may edit rules see the lexicon editor', async ({ browser }) => {
  for (const [role, allowed] of [
    ['branch_manager', false],
    ['executive', false],
    ['admin', true],
  ] as const) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, role);
    await page.goto('/dashboard');
    const hrefs = await page.locator('header nav a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(hrefs.includes('/topics'), role).toBe(allowed);
    const res = await page.goto('/topics');
    expect(res?.status(), role).toBe(allowed ? 200 : 403);
    await context.close();
  }
});
