// Moving through the customer's survey page one step at a time. A click on Next lands while the page before
// is still saving or still hydrating is cancelled or goes to the no-JavaScript post; waiting for the page's
// own progress line after each click keeps a test from racing the page it drives.
import { expect, type Page } from '@playwright/test';

/** Opens a survey link and waits until the page is hydrated (its scripts loaded and idle). */
export async function openSurvey(page: Page, token: string, query = ''): Promise<void> {
  await page.goto(`/s/${token}${query}`);
  await page.waitForLoadState('networkidle');
}

/** Clicks Next (in English) page by page from `from` until the progress line reads `Page <to> of <count>`. */
export async function nextToPage(page: Page, from: number, to: number, count: number): Promise<void> {
  for (let at = from; at < to; at++) {
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByTestId('progress')).toContainText(`Page ${at + 1} of ${count}`);
  }
}

/**
 * Answers the post-rental survey (English) as a detractor who had a problem: NPS 2, CSAT 1, the optional pages
 * skipped, the first problem ticked, then Submit.
 */
export async function answerAsDetractor(page: Page): Promise<void> {
  await page.locator('[data-question="q_nps"]').getByRole('radio', { name: /^2\b/ }).check();
  await page.locator('[data-question="q_csat"]').getByRole('radio', { name: /^1\b/ }).check();
  await nextToPage(page, 1, 4, 4);
  await page.locator('[data-question="q_problems"]').getByRole('checkbox').first().check();
  await page.getByRole('button', { name: 'Submit' }).click();
}
