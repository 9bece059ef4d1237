// The survey builder with the keyboard alone: from the top of the page, Tab reaches the new-question
// controls; Enter adds a question, moves it up and saves (Enter in a one-line field); typing edits its text.
// Nothing is clicked. Each step is checked against the page and, at the end, against the saved draft.
import { expect, test, type Page } from '@playwright/test';
import { apiHeaders, signIn } from './support/session.ts';

/** Presses Tab until the focused element matches `selector`; fails when it is not reached within `max` presses. */
async function tabTo(page: Page, selector: string, max = 400): Promise<number> {
  for (let presses = 0; presses <= max; presses++) {
    if (await page.evaluate((s) => !!document.activeElement?.matches(s), selector)) return presses;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${selector} not reached with ${max} Tab presses`);
}

const questionOrder = (page: Page) => page.locator('[data-builder-question]').evaluateAll((els) => els.map((e) => e.getAttribute('data-builder-question')));

test('adds a question, moves it up, writes its text and saves, with the keyboard only', async ({ page, request, baseURL }) => {
  const headers = await apiHeaders(request, 'quality_manager');
  const created = await request.post('/api/surveys', { headers, data: { name: `Keyboard ${Date.now()}`, fromTemplate: 'post-rental', kind: 'custom' } });
  expect(created.status()).toBe(201);
  const surveyId = (await created.json()).id as string;
  try {
    const draft = await (await request.get(`/api/surveys/${surveyId}/draft`, { headers })).json();
    const firstPage: string[] = draft.definition.pages[0].questions.map((q: { id: string }) => q.id);
    expect(firstPage.length).toBeGreaterThan(1);

    await page.context().addCookies([{ name: 'lang', value: 'en', url: baseURL! }]);
    await signIn(page, 'quality_manager');
    await page.goto(`/surveys/${surveyId}`);
    await page.waitForLoadState('networkidle');
    await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'saved');
    const before = await questionOrder(page);

    // Add: the first page's question type list, then its Add question button.
    await tabTo(page, '#newtype-0');
    await page.keyboard.press('Tab');
    await expect(page.locator(':focus')).toHaveText('Add question');
    await page.keyboard.press('Enter');
    const added = await questionOrder(page);
    expect(added).toHaveLength(before.length + 1);
    const newId = added.find((id) => !before.includes(id))!;
    // It is the last question of the first page, and the focus is on it.
    expect(added.indexOf(newId)).toBe(firstPage.length);
    const newQuestion = page.locator(`[data-builder-question="${newId}"]`);
    await expect(newQuestion).toBeFocused();

    // Move it up one place: its first tool is ↑; the focus stays on ↑ of the moved question.
    await page.keyboard.press('Tab');
    await expect(page.locator(':focus')).toHaveAttribute('value', `move|pages.0.questions.${firstPage.length}|-1`);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await questionOrder(page)).indexOf(newId)).toBe(firstPage.length - 1);
    await expect(page.locator(':focus')).toHaveAttribute('value', `move|pages.0.questions.${firstPage.length - 1}|-1`);

    // Its text in English, typed into the field the Tab key reaches.
    const path = `pages.0.questions.${firstPage.length - 1}`;
    await tabTo(page, `[name="loc:${path}.text.en"]`, 40);
    const text = 'How easy was the key hand-over?';
    await page.keyboard.type(text);
    await expect(newQuestion.locator('.qtitle')).toContainText(text);

    // Save: Enter in the next one-line field (the help text) submits the builder's form.
    await tabTo(page, `[name="loc:${path}.help.en"]`, 10);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'saved');

    const saved = await (await request.get(`/api/surveys/${surveyId}/draft`, { headers })).json();
    const questions = saved.definition.pages[0].questions as { id: string; text: Record<string, string> }[];
    expect(questions.map((q) => q.id)).toEqual([...firstPage.slice(0, -1), newId, firstPage[firstPage.length - 1]]);
    expect(questions[firstPage.length - 1].text.en).toBe(text);
  } finally {
    await request.post(`/api/surveys/${surveyId}/archive`, { headers });
  }
});
