// Distribution with real parts: an SMTP server on loopback, a local HTTP server as the SMS provider,
// pg-boss in the test database, the application clock moved by the test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitsOneSms, smsBudget } from '../../api/src/distribution/messages.ts';
import { startDistributionWorker, type DistributionWorker } from '../../api/src/distribution/worker.ts';
import { startBoss, type PgBoss } from '../../api/src/queue/queue.ts';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { miniPostRental } from '../support/fixtures/definitions.ts';
import { rentalPayload, tokenFromLink } from '../support/rentals.ts';
import { startSmsProvider, type TestSmsProvider } from '../support/sms-provider.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.ts';
import { createTestApp, testClock } from '../support/test-db.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let smtp: TestSmtpServer;
let sms: TestSmsProvider;
let boss: PgBoss;
let worker: DistributionWorker;
let surveyId: string;
const clock = testClock('2026-06-01T10:00:00Z'); // 18:00 in Shanghai

beforeAll(async () => {
  smtp = await startSmtpServer();
  sms = await startSmsProvider();
  t = await createTestApp({
    clock,
    env: {
      SMTP_URL: smtp.url,
      SMS_PROVIDER_URL: sms.url,
      SMS_PROVIDER_SECRET: sms.secret,
      TOKEN_SECRET: 'distribution-test-secret-0123456789abcdef',
      EMAIL_RATE_PER_SECOND: '1000',
      SMS_RATE_PER_SECOND: '1000',
      SEND_RETRY_LIMIT: '2',
      SEND_RETRY_DELAY_SECONDS: '1',
    },
  });
  const survey = await createSurvey(t.db, { name: 'Post-rental', kind: 'post_rental', definition: miniPostRental });
  await publishSurvey(t.db, survey.id);
  surveyId = survey.id;
  boss = await startBoss(t.sql, { maintenanceIntervalSeconds: 1 });
  worker = await startDistributionWorker(t.deps, boss, { autoStart: false });
});

afterAll(async () => {
  await worker?.stop();
  await boss?.stop({ graceful: false, wait: true });
  await smtp?.close();
  await sms?.close();
});

async function post(n: number, overrides: Record<string, unknown> = {}) {
  const res = await t.request('/api/rentals', { method: 'POST', json: rentalPayload(n, overrides) });
  const body = await res.json();
  if (res.status !== 201 && res.status !== 200) throw new Error(`${res.status}: ${JSON.stringify(body)}`);
  return body as { rentalId: string; created: boolean; invitation: { id: string; status: string; expiresAt: string; channel?: string; link?: string } | null; reason?: string };
}

describe('sending by e-mail and SMS', () => {
  it('sends the invitation e-mail through SMTP with a working link, branch, rental dates and List-Unsubscribe', async () => {
    const body = await post(1);
    expect(body.invitation).toMatchObject({ status: 'scheduled', channel: 'email' });
    const link = body.invitation!.link!;
    expect(smtp.messages).toHaveLength(0);

    const run = await worker.runOnce();
    expect(run.handled).toBeGreaterThanOrEqual(1);
    expect(smtp.messages).toHaveLength(1);
    const mail = smtp.messages[0];
    expect(mail.to).toEqual(['c1@example.com']);
    expect(mail.subject).toBe('您在上海虹桥机场店的租车体验如何？');
    expect(mail.text).toContain(link);
    expect(mail.html).toContain(`href="${link}"`);
    // Rental dates in the branch's time zone.
    expect(mail.text).toContain('2026-05-28 09:00');
    expect(mail.text).toContain('2026-05-31 18:00');
    const token = tokenFromLink(link);
    expect(mail.headers.get('list-unsubscribe')).toBe(`<http://survey.test/api/respond/${token}/opt-out>`);
    expect(mail.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(mail.text).toContain(`http://survey.test/s/${token}/opt-out`);

    const [inv] = await t.sql`select status, sent_at, channel from invitations where id = ${body.invitation!.id}`;
    expect(inv.status).toBe('sent');
    expect(new Date(inv.sent_at).toISOString()).toBe(clock.now().toISOString());

    // The link in the e-mail opens the survey.
    const linkInMail = /http:\/\/survey\.test\/s\/[A-Za-z0-9_-]{22}(?=\s|$)/.exec(mail.text)![0];
    const open = await t.request(`/api/respond/${tokenFromLink(linkInMail)}`, { as: 'anonymous' });
    expect(open.status).toBe(200);
    const [after] = await t.sql`select status from invitations where id = ${body.invitation!.id}`;
    expect(after.status).toBe('opened');
  });

  it('sends an SMS within one message when there is no e-mail, signed, with the link', async () => {
    const body = await post(2, {
      customer: { externalId: 'C-T-2', name: '客户2', phone: '+86 138 0000 0002', consentSms: true, preferredLanguage: 'zh-CN' },
      pickupBranch: { code: 'XM01', name: '厦门高崎国际机场T3航站楼店', city: '厦门', region: '华东' },
      returnBranch: 'XM01',
    });
    expect(body.invitation).toMatchObject({ channel: 'sms' });
    await worker.runOnce();
    expect(sms.messages).toHaveLength(1);
    const message = sms.messages[0];
    expect(message.to).toBe('+8613800000002');
    expect(message.signatureValid).toBe(true);
    expect(message.text).toContain(body.invitation!.link!);
    // Chinese text: one UCS-2 message of at most 70 characters; the long branch name was shortened.
    expect(smsBudget(message.text)).toMatchObject({ encoding: 'ucs2', limit: 70 });
    expect(message.text.length).toBeLessThanOrEqual(70);
    expect(message.text).toContain('厦门高崎…');
    expect(fitsOneSms(message.text)).toBe(true);
  });

  it('an English SMS stays within 160 GSM characters', async () => {
    const body = await post(3, {
      customer: { externalId: 'C-T-3', name: 'Ann', phone: '+8613800000003', consentSms: true, consentEmail: false, email: 'c3@example.com', preferredLanguage: 'en' },
      pickupBranch: { code: 'SH01', name: '上海虹桥机场店', nameEn: 'Shanghai Hongqiao Airport', city: '上海', region: '华东' },
    });
    // E-mail without consent: SMS is next in the channel order.
    expect(body.invitation!.channel).toBe('sms');
    await worker.runOnce();
    const message = sms.messages.find((m) => m.to === '+8613800000003')!;
    expect(smsBudget(message.text).encoding).toBe('gsm7');
    expect(message.text.length).toBeLessThanOrEqual(160);
    expect(message.text).toContain(body.invitation!.link!);
    expect(message.text).toContain('Shanghai Hongqiao Airport');
  });
});
