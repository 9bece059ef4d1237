// "Why did it move?" on the branch page, on the demo data with its planted cause (SH02's pick-up in the
// last 30 days): the sentence names it in zh-CN and en, and the table one click away holds the API's parts.
import { expect, test } from '@playwright/test';
import { addDays, apiGet, postRentalSurveyId, query, todayInShanghai } from './dashboard-helpers.ts';
import { signIn } from './support/session.ts';

let survey: string;

test.beforeEach(async ({ page, request }) => {
  await signIn(page, 'admin');
  survey ??= await postRentalSurveyId(request);
});

for (const [lang, expected] of [
  ['en', /^Pick-up explains about \d+ of the \d+ points lost\.$/],
  ['zh-CN', /^取车约解释了下降的 \d+ 分中的 \d+ 分。$/],
] as const) {
  test(`the branch page says why ${'SH02'}'s NPS moved, in ${lang}`, async ({ page, request, baseURL }) => {
    await page.context().addCookies([{ name: 'lang', value: lang, url: baseURL! }]);
    const today = todayInShanghai();
    const api = await apiGet(request, `/api/analytics/change${query({ survey, branch: 'SH02', from: addDays(today, -29), to: today, lang })}`);
    expect(api.explanation.driver).toBe('pickup');

    await page.goto('/branches/SH02');
    const block = page.getByTestId('why-moved');
    await expect(block).toBeVisible();
    const sentence = block.getByTestId('why-moved-sentence');
    await expect(sentence).toHaveAttribute('data-driver', 'pickup');
    await expect(sentence).toHaveText(expected);
    // The whole numbers in the sentence are the API's part and change, rounded.
    const numbers = ((await sentence.textContent())!.match(/\d+/g) ?? []).map(Number);
    const [part, total] = lang === 'en' ? numbers : [numbers[1], numbers[0]];
    expect(part).toBe(Math.round(Math.abs(api.explanation.part)));
    expect(total).toBe(Math.round(Math.abs(api.explanation.change)));
    // The chart first (previous → mix → drivers → rest → current), the numbers one click away.
    const labels = JSON.parse((await block.locator('.chart').getAttribute('data-labels'))!);
    expect(labels).toHaveLength(api.drivers.length + 4);
    expect(labels[2 + api.drivers.findIndex((d: { id: string }) => d.id === 'pickup')]).toBe(lang === 'en' ? 'Pick-up' : '取车');
    await block.getByTestId('why-moved-table-toggle').click();
    const row = block.locator('[data-testid="why-moved-table"] tr[data-key="driver:pickup"]');
    expect(Number(await row.locator('[data-field="value"]').getAttribute('data-value'))).toBeCloseTo(
      api.drivers.find((d: { id: string }) => d.id === 'pickup').contribution,
      9,
    );
    expect(Number(await block.locator('tr[data-key="mix"] [data-field="value"]').getAttribute('data-value'))).toBeCloseTo(api.mix.value, 9);

    // CSI: the same block for the index.
    await block.getByTestId('why-moved-csi').click();
    await expect(sentence).toHaveAttribute('data-kind', /driver|mix|rest|steady/);
  });
}
