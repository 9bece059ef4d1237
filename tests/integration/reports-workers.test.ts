// The digest schedule with two real worker processes (api/src/queue/worker.main.ts) on one database and
// the real clock: a subscription due now goes out once, not once per process. (The schedule's rules with
// an injected clock are in reports.test.ts and unit/reports-schedule.test.ts.)
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedDemoData } from '../../api/src/demo/seed.ts';
import { isoWeekday, localDate } from '../../api/src/reports/schedule.ts';
import { wallTime } from '../../api/src/lib/time-zone.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.ts';
import { createTestApp } from '../support/test-db.ts';
import { startWorkerProcess } from '../support/worker-process.ts';

const TOKEN_SECRET = 'reports-workers-secret-0123456789abcdef';
const ZONE = 'Asia/Shanghai';

let t: Awaited<ReturnType<typeof createTestApp>>;
let smtp: TestSmtpServer;
const children: ChildProcess[] = [];

const startWorker = () =>
  startWorkerProcess(
    {
      DATABASE_URL: t.url,
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Reports <reports@survey.test>',
      TOKEN_SECRET,
      COMPANY_TIME_ZONE: ZONE,
      QUEUE_POLL_MS: '200',
    },
    children,
  );

beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await createTestApp({ clock: { now: () => new Date(), set: () => {}, advance: () => {} }, env: { SMTP_URL: smtp.url } });
  expect(await seedDemoData({ db: t.db, sql: t.sql, now: new Date() })).not.toBeNull();
}, 120_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)));
  await smtp?.close();
});

it('sends a due digest once with two worker processes running', async () => {
  const exec = await t.signIn('executive');
  const [{ id: surveyId }] = await t.sql<{ id: string }[]>`select id from surveys where kind = 'post_rental' order by created_at limit 1`;
  // Due now: today's weekday at this hour, subscribed two days ago.
  const now = new Date();
  const today = localDate(now, ZONE);
  const hour = wallTime(now, ZONE).hour;
  await t.sql`
    insert into report_subscriptions (user_id, survey_id, frequency, weekday, send_hour, locale, scope_kind, created_at, updated_at)
    values (${exec.userId}, ${surveyId}, 'weekly', ${isoWeekday(today)}, ${hour}, 'en', 'all', now() - interval '2 days', now())`;

  await Promise.all([startWorker(), startWorker()]);
  const deadline = Date.now() + 60_000;
  while (!smtp.messages.some((m) => m.to.includes(exec.email)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  // Both processes offered and polled the schedule for a while after the first digest left.
  await new Promise((r) => setTimeout(r, 5_000));

  const mine = smtp.messages.filter((m) => m.to.includes(exec.email));
  expect(mine).toHaveLength(1);
  expect(mine[0].subject).toContain('Weekly satisfaction digest');
  const rows = await t.sql<{ period_key: string; status: string; attempts: number }[]>`
    select d.period_key, d.status, d.attempts from report_deliveries d join report_subscriptions s on s.id = d.subscription_id
    where s.user_id = ${exec.userId}`;
  expect(rows).toEqual([{ period_key: `weekly:${today}`, status: 'sent', attempts: 1 }]);
}, 120_000);
