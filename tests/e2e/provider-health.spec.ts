// An e-mail provider outage in the staff pages: the server sends through an SMTP server on a loopback port
// where nothing listens yet, so every invitation fails with "connection refused" and is retried. The staff
// dashboard then shows the outage banner with the reason and the counts, the distribution page shows e-mail
// down with its last error, waiting and retrying messages, all equal to GET /api/distribution/status; once an
// SMTP server answers on that port the retried invitations go out and the banner is gone; a failure right
// after is "degraded". Its own server process and database (no demo data), so no other spec's mail is involved.
import { createServer, type AddressInfo } from 'node:net';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { createUserWithPassword } from '../../api/src/access/auth.queries.ts';
import { createDatabase } from '../../api/src/db/client.ts';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { miniPostRental } from '../support/fixtures/definitions.ts';
import { createTemplateDatabase, databaseUrl, dropDatabases } from '../support/postgres.ts';
import { rentalPayload } from '../support/rentals.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.ts';

const adminUrl = process.env.E2E_DATABASE_URL!;
const email = 'health.admin@staff.test';
const password = 'a long enough test password 1';
const H = 3_600_000;

let server: ServerProcess;
let smtp: TestSmtpServer | null = null;
let smtpPort: number;
let dbName: string;
let surveyId: string;

/** A loopback port with nothing listening on it (the provider is unreachable). */
async function closedPort() {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

test.beforeAll(async () => {
  test.setTimeout(330_000);
  smtpPort = await closedPort();
  dbName = await createTemplateDatabase(adminUrl);
  const url = databaseUrl(adminUrl, dbName);
  const { db, sql } = createDatabase(url, { max: 2 });
  try {
    await createUserWithPassword(db, { email, name: 'Provider health', role: 'admin', password }, new Date());
    const survey = await createSurvey(db, { name: 'Provider health', kind: 'post_rental', definition: miniPostRental });
    await publishSurvey(db, survey.id, new Date());
    surveyId = survey.id;
  } finally {
    await sql.end();
  }
  server = await startServerProcess(
    {
      DATABASE_URL: url,
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      MAIL_FROM: 'Survey <survey@survey.test>',
      EMAIL_RATE_PER_SECOND: '1000',
      // Retried every few seconds (doubling) and never given up on within the test.
      SEND_RETRY_DELAY_SECONDS: '1',
      SEND_RETRY_LIMIT: '20',
    },
    { healthTimeoutMs: 300_000 },
  );
});

test.afterEach(async () => {
  const info = test.info();
  if (info.status !== info.expectedStatus && server) await info.attach('server output', { body: server.output.join(''), contentType: 'text/plain' });
});

test.afterAll(async () => {
  await server?.stop();
  await smtp?.close();
  if (dbName) await dropDatabases(adminUrl, [dbName]);
});

type Health = { state: string; lastError: string | null; lastErrorAt: string | null; lastSuccessAt: string | null; queued: number; retrying: number };

async function emailHealth(request: APIRequestContext): Promise<Health> {
  const res = await request.get(`${server.baseUrl}/api/distribution/status`);
  expect(res.status()).toBe(200);
  return (await res.json()).providers.email;
}

async function postRental(request: APIRequestContext, n: number) {
  const stamp = Date.now();
  const returnedAt = new Date(stamp - 26 * H);
  const res = await request.post(`${server.baseUrl}/api/rentals`, {
    headers: { 'x-requested-with': 'playwright' },
    data: rentalPayload(n, {
      externalId: `HEALTH-${n}-${stamp}`,
      customer: { externalId: `HEALTH-C-${n}-${stamp}`, name: `客户${n}`, email: `health${n}.${stamp}@example.com`, preferredLanguage: 'zh-CN' },
      pickedUpAt: new Date(returnedAt.getTime() - 48 * H).toISOString(),
      returnedAt: returnedAt.toISOString(),
    }),
  });
  expect(res.status(), await res.text()).toBe(201);
  expect((await res.json()).invitation).not.toBeNull();
}

test('the dashboard banner and the distribution page show the e-mail outage as the API does, and its end', async ({ page }) => {
  test.setTimeout(180_000);
  const base = server.baseUrl;
  const request = page.context().request;
  expect((await request.post(`${base}/api/auth/login`, { data: { email, password } })).status()).toBe(200);
  // Sent at once, at any hour: no delay after the return, no quiet hours.
  const rules = await request.put(`${base}/api/surveys/${surveyId}/invitation-rules`, {
    headers: { 'x-requested-with': 'playwright' },
    data: { delayMinutes: 0, quietHours: { enabled: false } },
  });
  expect(rules.status(), await rules.text()).toBe(200);

  // Nothing sent yet: no banner.
  await page.context().addCookies([{ name: 'lang', value: 'zh-CN', url: base }]);
  await page.goto(`${base}/dashboard`);
  await page.waitForLoadState('networkidle');
  await expect(page.getByTestId('provider-banner')).toHaveCount(0);

  // Three invitations, none of which gets through.
  for (const n of [1, 2, 3]) await postRental(request, n);
  await expect.poll(async () => emailHealth(request), { timeout: 60_000 }).toMatchObject({ state: 'down', queued: 3, retrying: 3 });
  const down = await emailHealth(request);
  expect(down).toMatchObject({ lastError: 'connection refused', lastSuccessAt: null });

  // The dashboard (zh-CN): the banner names the channel, the reason and the counts, and links to the status.
  await page.reload();
  await page.waitForLoadState('networkidle');
  const banner = page.getByTestId('provider-banner');
  await expect(banner).toHaveCount(1);
  await expect(banner).toHaveAttribute('data-channel', 'email');
  await expect(banner).toHaveAttribute('data-state', 'down');
  await expect(banner).toContainText(`邮件服务商无法送达（${down.lastError}）：${down.retrying} 条消息正在重试，${down.queued} 条在等待。`);
  await banner.getByRole('link', { name: '查看发送状态' }).click();
  await expect(page).toHaveURL(`${base}/distribution`);

  // The distribution page (en): e-mail down, never a success, the last error with its reason, the counts.
  await page.context().addCookies([{ name: 'lang', value: 'en', url: base }]);
  await page.reload();
  await page.waitForLoadState('networkidle');
  const health = page.getByTestId('provider-health');
  const emailRow = health.locator('li[data-channel="email"]');
  await expect(emailRow).toHaveAttribute('data-state', 'down');
  await expect(emailRow.getByTestId('provider-state')).toHaveText('Down');
  await expect(emailRow).toContainText('Last success: never');
  await expect(emailRow).toContainText(/Last error: .+ \(connection refused\)/);
  await expect(emailRow).toContainText(`${down.queued} waiting, of which ${down.retrying} retrying`);
  // SMS has no provider here: its messages would go to the outbox, which is not an outage.
  await expect(health.locator('li[data-channel="sms"]')).toContainText('No provider configured: messages go to the outbox');
  await expect(health.locator('li[data-channel="sms"]')).toHaveAttribute('data-state', 'ok');

  // The provider answers again: the retried invitations go out and e-mail is OK.
  smtp = await startSmtpServer({ port: smtpPort });
  await smtp.waitFor(3, 120_000);
  await expect.poll(async () => emailHealth(request), { timeout: 30_000 }).toMatchObject({ state: 'ok', queued: 0, retrying: 0 });
  expect(smtp.messages.map((m) => m.to[0]).sort()).toEqual(
    expect.arrayContaining([expect.stringMatching(/^health1\./), expect.stringMatching(/^health2\./), expect.stringMatching(/^health3\./)]),
  );
  await page.reload();
  await page.waitForLoadState('networkidle');
  await expect(emailRow).toHaveAttribute('data-state', 'ok');
  await expect(emailRow.getByTestId('provider-state')).toHaveText('OK');
  await expect(emailRow).toContainText('0 waiting, of which 0 retrying');
  await expect(emailRow).not.toContainText('Last success: never');
  await page.goto(`${base}/dashboard`);
  await page.waitForLoadState('networkidle');
  await expect(page.getByTestId('provider-banner')).toHaveCount(0);

  // It fails again right after those successes: degraded, with the one message retrying.
  await smtp.close();
  smtp = null;
  await postRental(request, 4);
  await expect.poll(async () => emailHealth(request), { timeout: 60_000 }).toMatchObject({ state: 'degraded', queued: 1, retrying: 1 });
  const degraded = await emailHealth(request);
  await page.reload();
  await page.waitForLoadState('networkidle');
  await expect(banner).toHaveAttribute('data-state', 'degraded');
  await expect(banner).toContainText(`The E-mail provider fails now and then (${degraded.lastError}): 1 messages are being retried.`);
});
