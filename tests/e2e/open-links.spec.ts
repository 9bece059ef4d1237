// A quality manager creates an open link for a branch in the browser and downloads its QR code; the scan is
// simulated by decoding the PNG and opening the decoded address in a fresh browser (a customer's phone),
// where the survey is answered without an invitation; the answer counts on the open links page.
import { expect, test, type Page } from '@playwright/test';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { rentalPayload, tokenFromLink } from '../support/rentals.ts';
import { apiHeaders, signInWithForm } from './support/session.ts';

const question = (page: Page, id: string) => page.locator(`[data-question="${id}"]`);

test('an open link: created, printed as a QR code, scanned and answered', async ({ page, browser, request, baseURL }) => {
  const tag = `E2E ${Date.now().toString(36)}`;
  const headers = await apiHeaders(request, 'admin');
  const surveys = await (await request.get('/api/surveys', { headers })).json();
  const survey = surveys.find((s: { kind: string; status: string }) => s.kind === 'post_rental' && s.status === 'active').id;
  await signInWithForm(page, 'quality_manager', '/distribution/open-links');
  await page.goto(`/distribution/open-links?survey=${survey}`);
  await page.waitForLoadState('networkidle');
  const form = page.getByTestId('open-link-create');
  await form.locator('select[name="branch"]').selectOption('SH03');
  await form.locator('input[name="tag"]').fill(tag);
  await form.locator('input[name="minSeconds"]').fill('1');
  await form.locator('button[type="submit"]').click();
  await expect(page.getByTestId('open-link-message')).toBeVisible();
  const row = page.locator(`[data-testid="open-link-row"][data-branch="SH03"][data-tag="${tag}"]`);
  await expect(row).toBeVisible();
  const shown = (await row.getByTestId('open-link-url').textContent())?.trim();

  // The QR code as the page offers it, decoded.
  const qrHref = await row.getByTestId('open-link-qr').getAttribute('href');
  const png = await page.context().request.get(qrHref!);
  expect(png.headers()['content-type']).toBe('image/png');
  const image = PNG.sync.read(Buffer.from(await png.body()));
  const decoded = jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
  expect(decoded).toBe(shown);
  expect(decoded?.startsWith(`${baseURL}/s/o/`)).toBe(true);
  const poster = await page.context().request.get(qrHref!.replace('qr.png', 'print.pdf?format=a5'));
  expect(poster.headers()['content-type']).toBe('application/pdf');

  // A customer's phone opens the decoded address and answers in English.
  const phone = await browser.newContext({ locale: 'en-US', extraHTTPHeaders: { 'accept-language': 'en-US,en;q=0.9' } });
  const customer = await phone.newPage();
  await customer.goto(decoded!);
  await customer.waitForLoadState('networkidle');
  await expect(customer.getByTestId('progress')).toContainText('Page 1 of 4');
  await question(customer, 'q_nps').getByRole('radio', { name: /^9\b/ }).check();
  await question(customer, 'q_csat').getByRole('radio', { name: /^5\b/ }).check();
  for (let at = 1; at < 4; at++) {
    await customer.getByRole('button', { name: 'Next' }).click();
    await expect(customer.getByTestId('progress')).toContainText(`Page ${at + 1} of 4`);
  }
  await question(customer, 'q_problems')
    .getByRole('checkbox', { name: /No problems/ })
    .check();
  await expect(customer.getByTestId('rental-ref')).toBeVisible();
  await customer.getByRole('button', { name: /Submit/ }).click();
  await expect(customer.getByTestId('thank-you')).toBeVisible();
  await phone.close();

  // The answer is the link's, in the channel open_link.
  const links = await (await request.get(`/api/open-links?branch=SH03&survey=${survey}`, { headers })).json();
  const link = links.find((l: { tag: string | null }) => l.tag === tag);
  expect(link.answers).toBe(1);
});

test('a score clicked in the invitation email opens the survey with it filled in and changeable', async ({ page, request, baseURL }) => {
  const n = Date.now() % 1_000_000_000;
  const created = await request.post(`${baseURL}/api/rentals`, {
    headers: await apiHeaders(request),
    data: rentalPayload(n, {
      externalId: `RA-EMAIL-${n}`,
      pickedUpAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
      returnedAt: new Date(Date.now() - 3 * 3_600_000).toISOString(),
      customer: { externalId: `C-EMAIL-${n}`, name: 'Alex Chen', email: `email.${n}@example.com`, preferredLanguage: 'en' },
    }),
  });
  expect(created.status(), await created.text()).toBe(201);
  const link: string = (await created.json()).invitation.link;
  // The email's link for the score 3 (the invitation email carries `<link>?score=0` … `?score=10`).
  await page.goto(`${link}?score=3`);
  await page.waitForLoadState('networkidle');
  await expect(page.getByTestId('progress')).toContainText('Page 1 of 4');
  await expect(question(page, 'q_nps').getByRole('radio', { name: /^3\b/ })).toBeChecked();
  // A detractor's follow-up shows at once; the score stays changeable.
  await expect(question(page, 'q_nps_reason')).toBeVisible();
  await question(page, 'q_nps').getByRole('radio', { name: /^9\b/ }).check();
  await question(page, 'q_csat').getByRole('radio', { name: /^5\b/ }).check();
  for (let at = 1; at < 4; at++) {
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByTestId('progress')).toContainText(`Page ${at + 1} of 4`);
  }
  await question(page, 'q_problems')
    .getByRole('checkbox', { name: /No problems/ })
    .check();
  await page.getByRole('button', { name: /Submit/ }).click();
  await expect(page.getByTestId('thank-you')).toBeVisible();
  // Single use: another click in the email changes nothing and says it was answered.
  const again = await page.goto(`/s/${tokenFromLink(link)}?score=0`);
  expect(again?.status()).toBe(410);
  await expect(page.getByTestId('link-finished')).toBeVisible();
});

test('an answer sent sooner than the link allows comes back on its last page with the rental number kept', async ({ browser, request, baseURL }) => {
  const headers = await apiHeaders(request, 'admin');
  const surveys = await (await request.get('/api/surveys', { headers })).json();
  const survey = surveys.find((s: { kind: string; status: string }) => s.kind === 'post_rental' && s.status === 'active').id;
  const created = await request.post('/api/open-links', {
    headers,
    data: { surveyId: survey, branch: 'SH01', tag: `E2E slow ${Date.now().toString(36)}`, minSeconds: 600 },
  });
  expect(created.status(), await created.text()).toBe(201);
  const phone = await browser.newContext({ baseURL, locale: 'en-US', extraHTTPHeaders: { 'accept-language': 'en-US,en;q=0.9' } });
  const customer = await phone.newPage();
  await customer.goto(new URL((await created.json()).url).pathname);
  await customer.waitForLoadState('networkidle');
  await question(customer, 'q_nps').getByRole('radio', { name: /^9\b/ }).check();
  await question(customer, 'q_csat').getByRole('radio', { name: /^5\b/ }).check();
  for (let at = 1; at < 4; at++) {
    await customer.getByRole('button', { name: 'Next' }).click();
    await expect(customer.getByTestId('progress')).toContainText(`Page ${at + 1} of 4`);
  }
  await question(customer, 'q_problems')
    .getByRole('checkbox', { name: /No problems/ })
    .check();
  await customer.getByTestId('rental-ref').fill('RA-778899');
  await customer.getByRole('button', { name: /Submit/ }).click();
  await expect(customer.getByTestId('open-problem')).toHaveText('Please read the questions before sending.');
  await expect(customer.getByTestId('progress')).toContainText('Page 4 of 4');
  await expect(customer.getByTestId('rental-ref')).toHaveValue('RA-778899');
  await expect(question(customer, 'q_problems').getByRole('checkbox', { name: /No problems/ })).toBeChecked();
  await phone.close();
});
