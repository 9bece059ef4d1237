// Reports in the inbox, as a person uses them: the executive signs in, subscribes to the weekly digest in
// English with the PDF, presses "Send me a test now", and the digest arrives at a real SMTP server on
// loopback; then downloads the PDF of the dashboard's view. The server runs with SMTP_URL pointing at that
// server (its own process and database, demo data), and without background workers, so nothing else is mailed.
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD } from '../../api/src/demo/seed.ts';
import { mimeParts } from '../support/mime.ts';
import { pdfText } from '../support/pdf-text.ts';
import { createTemplateDatabase, databaseUrl, dropDatabases } from '../support/postgres.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.ts';

const adminUrl = process.env.E2E_DATABASE_URL!;
const EMAIL = 'executive@example.com';

let server: ServerProcess;
let smtp: TestSmtpServer;
let dbName: string;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  smtp = await startSmtpServer();
  dbName = await createTemplateDatabase(adminUrl);
  server = await startServerProcess(
    { DATABASE_URL: databaseUrl(adminUrl, dbName), DEMO_DATA: 'true', WORKERS: 'false', SMTP_URL: smtp.url, MAIL_FROM: 'Reports <reports@survey.test>' },
    { healthTimeoutMs: 280_000 },
  );
});

test.afterAll(async () => {
  await server?.stop();
  await smtp?.close();
  if (dbName) await dropDatabases(adminUrl, [dbName]);
});

test('subscribe, send me a test now, and the digest arrives; the dashboard gives the same report as a PDF', async ({ page }) => {
  test.setTimeout(120_000);
  const base = server.baseUrl;
  await page.context().addCookies([{ name: 'lang', value: 'en', url: base }]);

  // Sign in through the form.
  await page.goto(`${base}/login?next=${encodeURIComponent('/account')}`);
  await page.locator('[data-testid="login-form"][data-ready="true"]').waitFor();
  await page.locator('input[name="email"]').fill(EMAIL);
  await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
  await page.getByTestId('login-form').locator('button[type="submit"]').click();
  await page.waitForURL((url) => url.pathname === '/account');

  // From the account page to the subscription page.
  await page.getByTestId('account-reports-link').click();
  await page.waitForURL((url) => url.pathname === '/account/reports');
  await page.waitForLoadState('networkidle');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Report subscription');

  // Weekly, Monday 07:00, in English, the whole company, with the PDF.
  const form = page.getByTestId('reports-form');
  await form.getByLabel('Weekly').check();
  await form.getByLabel('Day').selectOption('1');
  await form.getByLabel(/^Time/).selectOption('7');
  await form.getByLabel('Language of the report').selectOption('en');
  await form.getByLabel('All branches I can see').check();
  await form.getByLabel('Attach a PDF').check();
  await form.getByLabel('Subscription on').check();
  await page.getByTestId('reports-save').click();
  await expect(page.getByTestId('reports-save-result')).toHaveText('Subscription saved.');
  await expect(page.getByTestId('reports-state')).toContainText('Subscribed: the next digest goes out');
  await expect(page.getByTestId('reports-state')).toContainText('7:00');

  // Send me a test now: the SMTP server gets it.
  const before = smtp.messages.length;
  await page.getByTestId('reports-test').click();
  await expect(page.getByTestId('reports-test-result')).toContainText(`A test digest went to ${EMAIL}`);
  const [mail] = (await smtp.waitFor(before + 1)).slice(before);
  expect(mail.to).toEqual([EMAIL]);
  expect(mail.subject).toMatch(/^Weekly satisfaction digest · Whole company · \d{4}-\d{2}-\d{2} – \d{4}-\d{2}-\d{2} · NPS -?\d+\.\d/);
  expect(mail.html).toContain('data-report="league"');
  const parts = mimeParts(mail.raw);
  expect(
    parts
      .filter((p) => p.contentType === 'image/png')
      .map((p) => p.contentId)
      .sort(),
  ).toEqual(['league@report', 'trend@report']);
  const attached = parts.find((p) => p.contentType === 'application/pdf');
  expect(attached).toBeTruthy();
  // The digest's NPS is the one in its PDF.
  const nps = /<tr data-metric="nps">.*?data-field="value"[^>]*><b>([^<]+)<\/b>/.exec(mail.html)![1];
  expect(await pdfText(attached!.body)).toContain(`NPS ${nps}`);
  await page.reload();
  await expect(page.getByTestId('reports-history')).toContainText('test');

  // The dashboard's PDF button: the report of the view's period and filters.
  await page.goto(`${base}/dashboard`);
  await page.waitForLoadState('networkidle');
  const link = page.getByTestId('dashboard-pdf');
  await expect(link).toHaveText('Download PDF report');
  const href = (await link.getAttribute('href'))!;
  expect(href).toMatch(/^\/api\/reports\/pdf\?survey=[0-9a-f-]{36}&from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}&lang=en$/);
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toMatch(/^report-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.pdf$/);
  const file = await readFile((await download.path())!);
  expect(file.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const text = await pdfText(file);
  expect(text).toContain('Satisfaction report');
  // The PDF's headline NPS is the summary API's for the same period.
  const params = new URL(href, base).searchParams;
  const summary = await (
    await page.context().request.get(`${base}/api/analytics/summary?survey=${params.get('survey')}&from=${params.get('from')}&to=${params.get('to')}`)
  ).json();
  expect(text).toContain(`NPS ${summary.total.nps.score.toFixed(1)}`);
});
