// Distribution with real parts: an SMTP server on loopback, a local HTTP server as the SMS provider,
// pg-boss in the test database, the application clock moved by the test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitsOneSms, smsBudget } from '../../api/src/distribution/messages.ts';
import { startDistributionWorker, type DistributionWorker } from '../../api/src/distribution/worker.ts';
import { startBoss, type PgBoss } from '../../api/src/queue/queue.ts';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { startTestDistribution, stopTestDistribution } from '../support/distribution.ts';
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
  ({ boss, worker } = await startTestDistribution(t));
});

afterAll(async () => {
  await stopTestDistribution(worker, boss);
  await smtp?.close();
  await sms?.close();
});

async function post(n: number, overrides: Record<string, unknown> = {}) {
  const res = await t.request('/api/rentals', { method: 'POST', json: rentalPayload(n, overrides) });
  const body = (await res.json()) as any;
  if (res.status !== 201 && res.status !== 200) throw new Error(`${res.status}: ${JSON.stringify(body)}`);
  return body as {
    rentalId: string;
    created: boolean;
    invitation: { id: string; status: string; expiresAt: string; channel?: string; link?: string } | null;
    reason?: string;
  };
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
      customer: {
        externalId: 'C-T-3',
        name: 'Ann',
        phone: '+8613800000003',
        consentSms: true,
        consentEmail: false,
        email: 'c3@example.com',
        preferredLanguage: 'en',
      },
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

  it("a later rental that leaves out the branch's English name keeps the stored one", async () => {
    await post(4, { pickupBranch: { code: 'SH01', name: '上海虹桥机场店', nameEn: 'Shanghai Hongqiao Airport', city: '上海', region: '华东' } });
    await post(5, { pickupBranch: { code: 'SH01', name: '上海虹桥机场店', city: '上海', region: '华东' } });
    const [branch] = await t.sql`select name_en from branches where code = 'SH01'`;
    expect(branch.name_en).toBe('Shanghai Hongqiao Airport');
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('timed out');
}

describe('failures, retries and dead letters', () => {
  it('a hard bounce marks the address bad and the invitation goes by SMS instead', async () => {
    smtp.refuse.add('gone@example.com');
    const body = await post(10, { customer: { externalId: 'C-T-10', email: 'gone@example.com', phone: '+8613800000010', consentSms: true } });
    expect(body.invitation!.channel).toBe('email');
    await worker.runOnce();
    expect(smtp.messages.some((m) => m.to.includes('gone@example.com'))).toBe(false);
    const [bad] = await t.sql`select reason from bad_addresses where channel = 'email' and address = 'gone@example.com'`;
    expect(bad.reason).toContain('550');
    const [customer] = await t.sql`select email_bad from customers where external_id = 'C-T-10'`;
    expect(customer.email_bad).toBe(true);
    expect(sms.messages.some((m) => m.to === '+8613800000010')).toBe(true);
    const [delivery] = await t.sql`select status, channel, outcome from deliveries where invitation_id = ${body.invitation!.id} and step = 0`;
    expect(delivery).toMatchObject({ status: 'sent', channel: 'sms', outcome: 'accepted' });

    // From now on the bad address is skipped when planning: another customer with it gets no e-mail.
    const next = await post(11, { customer: { externalId: 'C-T-11', email: 'GONE@example.com' } });
    expect(next.invitation).toBeNull();
    expect(next.reason).toBe('no_contact');
  });

  it('a number the SMS provider refuses is marked bad and not tried again', async () => {
    sms.invalid.add('+8613800000012');
    const body = await post(12, { customer: { externalId: 'C-T-12', phone: '+86 138 0000 0012', consentSms: true } });
    const before = sms.requests;
    await worker.runOnce();
    expect(sms.requests - before).toBe(1);
    const [delivery] = await t.sql`select status, outcome from deliveries where invitation_id = ${body.invitation!.id} and step = 0`;
    expect(delivery).toMatchObject({ status: 'failed', outcome: 'bad_address' });
    const [inv] = await t.sql`select status from invitations where id = ${body.invitation!.id}`;
    expect(inv.status).toBe('failed');
  });

  it('retries with backoff, moves the message to the dead letters after the last try, and sends it on retry', { timeout: 60_000 }, async () => {
    const body = await post(13, { customer: { externalId: 'C-T-13', phone: '+8613800000013', consentSms: true } });
    sms.failNext(3); // the first try and both retries get 503
    const started = Date.now();
    await waitFor(async () => {
      await worker.runOnce();
      const [d] = await t.sql`select status from deliveries where invitation_id = ${body.invitation!.id} and step = 0`;
      return d.status === 'dead';
    }, 30_000);
    // Backoff: 1 s, then 2 s between the tries.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2500);
    const [d] = await t.sql`select id, attempts, last_error from deliveries where invitation_id = ${body.invitation!.id} and step = 0`;
    expect(d.attempts).toBe(3);
    expect(d.last_error).toContain('503');
    expect(sms.messages.some((m) => m.to === '+8613800000013')).toBe(false);

    const dead = (await (await t.request('/api/deliveries?status=dead')).json()) as any;
    expect(dead.items.map((i: { id: string }) => i.id)).toContain(d.id);
    expect(dead.items.find((i: { id: string }) => i.id === d.id)).toMatchObject({ channel: 'sms', step: 0, to: expect.stringContaining('*') });
    const retry = await t.request(`/api/deliveries/${d.id}/retry`, { method: 'POST' });
    expect(retry.status).toBe(200);
    expect(((await retry.json()) as any).status).toBe('queued');
    await worker.runOnce();
    expect(sms.messages.filter((m) => m.to === '+8613800000013')).toHaveLength(1);
    const [after] = await t.sql`select status from deliveries where id = ${d.id}`;
    expect(after.status).toBe('sent');
    // A sent message cannot be retried.
    expect((await t.request(`/api/deliveries/${d.id}/retry`, { method: 'POST' })).status).toBe(409);
  });

  it('keeps to the rate limit per channel', async () => {
    const slow = await startDistributionWorker({ ...t.deps, env: { ...t.deps.env, EMAIL_RATE_PER_SECOND: 4 } }, boss, { autoStart: false });
    try {
      for (let n = 20; n < 26; n++) await post(n);
      const before = smtp.messages.length;
      const started = Date.now();
      await slow.runOnce();
      expect(smtp.messages.length - before).toBe(6);
      // 6 messages at 4 per second: the sixth waits 5 × 250 ms.
      expect(Date.now() - started).toBeGreaterThanOrEqual(1200);
    } finally {
      await slow.stop();
    }
  });
});

describe('opting out', () => {
  it('records the opt-out from the link, cancels what was pending and invites the customer no more', async () => {
    const body = await post(30, { customer: { externalId: 'C-T-30', email: 'c30@example.com' } });
    await worker.runOnce();
    const token = tokenFromLink(body.invitation!.link!);
    const [reminder] = await t.sql`select status from deliveries where invitation_id = ${body.invitation!.id} and step = 1`;
    expect(reminder.status).toBe('scheduled');
    const res = await t.request(`/api/respond/${token}/opt-out`, { method: 'POST', as: 'anonymous' });
    expect(res.status).toBe(200);
    expect((await res.json()) as any).toEqual({ optedOut: true });
    const [customer] = await t.sql`select opted_out_at from customers where external_id = 'C-T-30'`;
    expect(new Date(customer.opted_out_at).toISOString()).toBe(clock.now().toISOString());
    const [cancelled] = await t.sql`select status, outcome from deliveries where invitation_id = ${body.invitation!.id} and step = 1`;
    expect(cancelled).toMatchObject({ status: 'cancelled', outcome: 'opted_out' });
    expect((await t.request(`/api/respond/${token}`, { as: 'anonymous' })).status).toBe(404);
    const again = await post(31, { customer: { externalId: 'C-T-30' } });
    expect(again.reason).toBe('opted_out');
    // Unknown links get the polite 404.
    expect((await t.request('/api/respond/AAAAAAAAAAAAAAAAAAAAAA/opt-out', { method: 'POST', as: 'anonymous' })).status).toBe(404);
  });

  it('accepts the one-click unsubscribe of mail programs (RFC 8058)', async () => {
    const body = await post(32);
    await worker.runOnce();
    const mail = smtp.messages.find((m) => m.to.includes('c32@example.com'))!;
    const url = /<([^>]+)>/.exec(mail.headers.get('list-unsubscribe')!)![1];
    const res = await t.request(url.replace('http://survey.test', ''), {
      method: 'POST',
      as: 'anonymous',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBe(200);
    const [inv] = await t.sql`select status from invitations where id = ${body.invitation!.id}`;
    expect(inv.status).toBe('opted_out');
  });
});

describe('outbox without providers', () => {
  it('keeps messages in the database, listed by GET /api/outbox with a link that opens the survey', async () => {
    const demo = await createTestApp({ clock, env: { TOKEN_SECRET: 'outbox-test-secret-0123456789abcdef0123' } });
    const s = await createSurvey(demo.db, { name: 'Post-rental', kind: 'post_rental', definition: miniPostRental });
    await publishSurvey(demo.db, s.id);
    const demoBoss = await startBoss(demo.sql, { maintenanceIntervalSeconds: 60 });
    const demoWorker = await startDistributionWorker(demo.deps, demoBoss, { autoStart: false });
    try {
      const created = (await (await demo.request('/api/rentals', { method: 'POST', json: rentalPayload(1) })).json()) as any;
      const sms2 = (await (
        await demo.request('/api/rentals', {
          method: 'POST',
          json: rentalPayload(2, { customer: { externalId: 'C-T-2', phone: '+8613800000002', consentSms: true } }),
        })
      ).json()) as any;
      await demoWorker.runOnce();
      const status = (await (await demo.request('/api/distribution/status')).json()) as any;
      expect(status.transports).toEqual({ email: 'outbox', sms: 'outbox' });
      const outbox = (await (await demo.request('/api/outbox')).json()) as any;
      expect(outbox.items).toHaveLength(2);
      // Links are masked in the list; an administrator reveals one message at a time (distribution-outbox.test.ts).
      const reveal = async (m: { id: number }) => (await demo.request(`/api/outbox/${m.id}/reveal`, { method: 'POST' })).json();
      const email = await reveal(outbox.items.find((m: { channel: string }) => m.channel === 'email'));
      expect(email).toMatchObject({ to: 'c1@example.com', link: created.invitation.link, kind: 'invitation' });
      expect(email.subject).toContain('上海虹桥机场店');
      expect(email.html).toContain(created.invitation.link);
      const text = await reveal(outbox.items.find((m: { channel: string }) => m.channel === 'sms'));
      expect(text).toMatchObject({ to: '+8613800000002', link: sms2.invitation.link });
      expect(fitsOneSms(text.text)).toBe(true);
      expect((await demo.request(`/api/respond/${tokenFromLink(email.link)}`, { as: 'anonymous' })).status).toBe(200);
      // A second run sends nothing again.
      await demoWorker.runOnce();
      expect(((await (await demo.request('/api/outbox')).json()) as any).items).toHaveLength(2);
    } finally {
      await demoWorker.stop();
      await demoBoss.stop({ graceful: false, wait: true });
    }
  });
});
