// Invitation rules with a controllable clock: delay and quiet hours in the branch's time zone, fatigue
// across surveys, sampling and eligibility, expiry, reminders told apart by opened / not opened, and the
// funnel. No SMTP or SMS provider is configured here: messages go to the outbox in the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleDraw } from '../../api/src/distribution/planning.ts';
import { afterQuietHours, inQuietHours } from '../../api/src/distribution/time.ts';
import { startDistributionWorker, type DistributionWorker } from '../../api/src/distribution/worker.ts';
import { startBoss, type PgBoss } from '../../api/src/queue/queue.ts';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { miniPostRental } from '../support/fixtures/definitions.ts';
import { rentalPayload, tokenFromLink } from '../support/rentals.ts';
import { createTestApp, testClock } from '../support/test-db.ts';

const clock = testClock('2026-06-01T12:30:00Z'); // 20:30 in Shanghai
let t: Awaited<ReturnType<typeof createTestApp>>;
let boss: PgBoss;
let worker: DistributionWorker;
let surveyId: string;
const DAY = 86_400_000;
let sampledInvited = 0;

beforeAll(async () => {
  t = await createTestApp({ clock, env: { TOKEN_SECRET: 'rules-test-secret-0123456789abcdef0123' } });
  const survey = await createSurvey(t.db, { name: 'Post-rental', kind: 'post_rental', definition: miniPostRental });
  await publishSurvey(t.db, survey.id);
  surveyId = survey.id;
  boss = await startBoss(t.sql, { maintenanceIntervalSeconds: 1 });
  worker = await startDistributionWorker(t.deps, boss, { autoStart: false });
});

afterAll(async () => {
  await worker?.stop();
  await boss?.stop({ graceful: false, wait: true });
});

async function post(n: number, overrides: Record<string, unknown> = {}) {
  const res = await t.request('/api/rentals', { method: 'POST', json: rentalPayload(n, overrides) });
  const body = (await res.json()) as any;
  if (res.status >= 300) throw new Error(`${res.status}: ${JSON.stringify(body)}`);
  return body as { rentalId: string; invitation: { id: string; status: string; expiresAt: string; link?: string } | null; reason?: string };
}

async function putRules(rules: Record<string, unknown>) {
  const res = await t.request(`/api/surveys/${surveyId}/invitation-rules`, { method: 'PUT', json: rules });
  expect(res.status).toBe(200);
  return res.json();
}

async function outboxFor(invitationId: string) {
  return t.sql<{ subject: string; text: string; kind: string; step: number }[]>`
    select o.subject, o.text, d.kind, d.step from outbox_messages o join deliveries d on d.id = o.delivery_id
    where d.invitation_id = ${invitationId} order by d.step`;
}

const returned = (iso: string) => ({ pickedUpAt: '2026-05-25T09:00:00+08:00', returnedAt: iso });

describe('rules API', () => {
  it('answers the defaults until rules are saved, and refuses unknown branches', async () => {
    const res = await t.request(`/api/surveys/${surveyId}/invitation-rules`);
    const body = (await res.json()) as any;
    expect(body.isDefault).toBe(true);
    expect(body.rules).toMatchObject({
      delayMinutes: 120,
      fatigueDays: 30,
      expiryDays: 14,
      channelOrder: ['email', 'sms'],
      reminders: { count: 1, afterDays: 3 },
    });
    expect(body.rules.quietHours).toMatchObject({ start: '21:00', end: '09:00' });
    const bad = await t.request(`/api/surveys/${surveyId}/invitation-rules`, { method: 'PUT', json: { eligibility: { branches: ['NOPE'] } } });
    expect(bad.status).toBe(422);
    const invalid = await t.request(`/api/surveys/${surveyId}/invitation-rules`, { method: 'PUT', json: { reminders: { count: 3 } } });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as any).errors[0].path).toBe('reminders.count');
  });
});

describe('delay and quiet hours', () => {
  it("waits for the delay, then past the quiet hours in the branch's time zone", async () => {
    // Returned 20:00 Shanghai; + 2 h = 22:00, inside 21:00–09:00 → 09:00 the next morning = 01:00 UTC.
    const body = await post(1, returned('2026-06-01T20:00:00+08:00'));
    const [inv] = await t.sql`select scheduled_at, expires_at, status from invitations where id = ${body.invitation!.id}`;
    expect(new Date(inv.scheduled_at).toISOString()).toBe('2026-06-02T01:00:00.000Z');
    expect(new Date(inv.expires_at).toISOString()).toBe(new Date(Date.parse('2026-06-02T01:00:00Z') + 14 * DAY).toISOString());
    expect(body.invitation!.expiresAt).toBe(new Date(inv.expires_at).toISOString());

    await worker.runOnce();
    expect(await outboxFor(body.invitation!.id)).toHaveLength(0);
    clock.set('2026-06-02T00:59:00Z');
    await worker.runOnce();
    expect(await outboxFor(body.invitation!.id)).toHaveLength(0);
    clock.set('2026-06-02T01:00:00Z');
    await worker.runOnce();
    const sent = await outboxFor(body.invitation!.id);
    expect(sent).toHaveLength(1);
    expect(sent[0].text).toContain(body.invitation!.link);
  });

  it('uses the time zone of the branch (London: 22:00 BST → 09:00 BST)', async () => {
    clock.set('2026-06-01T12:00:00Z');
    const body = await post(2, {
      pickupBranch: { code: 'LON1', name: 'London Heathrow', city: 'London', region: 'UK', timeZone: 'Europe/London' },
      returnBranch: 'LON1',
      ...returned('2026-06-01T20:00:00+01:00'),
    });
    const [inv] = await t.sql`select scheduled_at from invitations where id = ${body.invitation!.id}`;
    expect(new Date(inv.scheduled_at).toISOString()).toBe('2026-06-02T08:00:00.000Z');
  });

  it('moves past quiet hours correctly across daylight-saving changes', () => {
    // London, autumn: 22:30 BST on 24 Oct → 09:00 GMT on 25 Oct (clocks went back at 02:00).
    expect(afterQuietHours(new Date('2026-10-24T21:30:00Z'), 'Europe/London', '21:00', '09:00').toISOString()).toBe('2026-10-25T09:00:00.000Z');
    // London, spring: 22:00 GMT on 28 Mar → 09:00 BST on 29 Mar = 08:00 UTC.
    expect(afterQuietHours(new Date('2026-03-28T22:00:00Z'), 'Europe/London', '21:00', '09:00').toISOString()).toBe('2026-03-29T08:00:00.000Z');
    // After midnight, the end is the same morning; a window inside one day; the end itself is not quiet.
    expect(afterQuietHours(new Date('2026-06-01T18:30:00Z'), 'Asia/Shanghai', '21:00', '09:00').toISOString()).toBe('2026-06-02T01:00:00.000Z');
    expect(afterQuietHours(new Date('2026-06-01T05:00:00Z'), 'Asia/Shanghai', '12:00', '14:00').toISOString()).toBe('2026-06-01T06:00:00.000Z');
    expect(inQuietHours(new Date('2026-06-02T01:00:00Z'), 'Asia/Shanghai', '21:00', '09:00')).toBe(false);
    expect(inQuietHours(new Date('2026-06-02T00:59:00Z'), 'Asia/Shanghai', '21:00', '09:00')).toBe(true);
  });

  it('sends at once when the delay has passed and it is daytime', async () => {
    clock.set('2026-06-03T02:00:00Z'); // 10:00 Shanghai
    const body = await post(3, returned('2026-06-02T18:00:00+08:00'));
    const [inv] = await t.sql`select scheduled_at from invitations where id = ${body.invitation!.id}`;
    expect(new Date(inv.scheduled_at).toISOString()).toBe('2026-06-03T02:00:00.000Z');
    await worker.runOnce();
    expect(await outboxFor(body.invitation!.id)).toHaveLength(1);
  });
});

describe('fatigue, sampling and eligibility', () => {
  it('invites a customer once within the fatigue window, across surveys', async () => {
    clock.set('2026-06-10T02:00:00Z');
    const customer = { externalId: 'C-FAT', name: '疲劳', email: 'fat@example.com' };
    const first = await post(10, { customer, ...returned('2026-06-09T18:00:00+08:00') });
    expect(first.invitation).not.toBeNull();
    clock.set('2026-06-20T02:00:00Z');
    const second = await post(11, { customer, ...returned('2026-06-19T18:00:00+08:00') });
    expect(second.invitation).toBeNull();
    expect(second.reason).toBe('fatigue');
    clock.set('2026-07-10T03:00:00Z'); // 30 days and an hour after the first
    const third = await post(12, { customer, ...returned('2026-07-09T18:00:00+08:00') });
    expect(third.invitation).not.toBeNull();

    // An invitation to another survey counts too.
    const other = await createSurvey(t.db, { name: 'Other', kind: 'custom', definition: miniPostRental });
    const version = await publishSurvey(t.db, other.id);
    const [c] = await t.sql`insert into customers (external_id, email) values ('C-OTHER', 'other@example.com') returning id`;
    const [b] = await t.sql`select id from branches where code = 'SH01'`;
    await t.sql`
      insert into invitations (survey_id, survey_version_id, customer_id, branch_id, token_hash, channel, status, expires_at, created_at)
      values (${other.id}, ${version.id}, ${c.id}, ${b.id}, ${'f'.repeat(64)}, 'email', 'sent', ${new Date(clock.now().getTime() + 14 * DAY).toISOString()}, ${new Date(clock.now().getTime() - 5 * DAY).toISOString()})`;
    const fourth = await post(13, { customer: { externalId: 'C-OTHER' }, ...returned('2026-07-09T18:00:00+08:00') });
    expect(fourth.reason).toBe('fatigue');
    const decisions =
      await t.sql`select outcome from invitation_decisions d join rentals r on r.id = d.rental_id where r.external_id in ('RA-T-11', 'RA-T-13') order by r.external_id`;
    expect(decisions.map((d) => d.outcome)).toEqual(['fatigue', 'fatigue']);
  });

  it('applies eligibility filters and the sample rate', async () => {
    clock.set('2026-08-01T02:00:00Z');
    await putRules({ eligibility: { branches: ['SH01'], vehicleClasses: ['SUV'], bookingChannels: ['app', 'web'] } });
    const wrongBranch = await post(20, { pickupBranch: 'LON1', returnBranch: 'LON1', ...returned('2026-07-31T18:00:00+08:00') });
    expect(wrongBranch.reason).toBe('not_eligible');
    const wrongChannel = await post(21, { bookingChannel: 'store', ...returned('2026-07-31T18:00:00+08:00') });
    expect(wrongChannel.reason).toBe('not_eligible');
    const ok = await post(22, { vehicleClass: 'suv', ...returned('2026-07-31T18:00:00+08:00') });
    expect(ok.invitation).not.toBeNull();
    const tooOld = await post(23, returned('2026-06-01T18:00:00+08:00'));
    expect(tooOld.reason).toBe('too_old');

    await putRules({ eligibility: { sampleRatePercent: 30 } });
    const results = [];
    for (let n = 100; n < 200; n++) results.push(await post(n, returned('2026-07-31T18:00:00+08:00')));
    const invited = results.filter((r) => r.invitation).length;
    sampledInvited = invited;
    const sampledOut = results.filter((r) => r.reason === 'sampled_out').length;
    expect(invited + sampledOut).toBe(100);
    // A stable draw per survey and rental, below the rate: exactly those rentals are invited.
    const expected = results.map((_, i) => sampleDraw(surveyId, `RA-T-${100 + i}`) < 30);
    expect(results.map((r) => r.invitation !== null)).toEqual(expected);
    expect(invited).toBeGreaterThan(10);
    expect(invited).toBeLessThan(55);
    // Sending the same rentals again changes nothing.
    const again = await post(150, returned('2026-07-31T18:00:00+08:00'));
    expect(again.invitation === null).toBe(results[50].invitation === null);
    await putRules({});
  });

  it('skips customers who opted out and uses SMS when e-mail has no consent', async () => {
    clock.set('2026-08-02T02:00:00Z');
    const noContact = await post(30, { customer: { externalId: 'C-NC', consentEmail: false }, ...returned('2026-08-01T18:00:00+08:00') });
    expect(noContact.reason).toBe('no_contact');
    const sms = await post(31, {
      customer: { externalId: 'C-SMS', email: 'c31@example.com', consentEmail: false, phone: '+8613900000031', consentSms: true },
      ...returned('2026-08-01T18:00:00+08:00'),
    });
    const [inv] = await t.sql`select channel from invitations where id = ${sms.invitation!.id}`;
    expect(inv.channel).toBe('sms');
  });
});

describe('reminders and expiry', () => {
  it('reminds the not-opened and the opened-not-finished differently, never the finished, at most count times', async () => {
    await putRules({ reminders: { count: 2, afterDays: 3 }, fatigueDays: 0 });
    clock.set('2026-09-01T02:00:00Z'); // 10:00 Shanghai
    const ret = returned('2026-08-31T18:00:00+08:00');
    const notOpened = await post(40, ret);
    const opened = await post(41, ret);
    const finished = await post(42, ret);
    await worker.runOnce();
    for (const b of [notOpened, opened, finished]) expect(await outboxFor(b.invitation!.id)).toHaveLength(1);

    // One opens the survey and saves an answer; another finishes it.
    const openedToken = tokenFromLink(opened.invitation!.link!);
    expect((await t.request(`/api/respond/${openedToken}`, { as: 'anonymous' })).status).toBe(200);
    expect((await t.request(`/api/respond/${openedToken}`, { method: 'PUT', as: 'anonymous', json: { answers: { q_nps: 7 } } })).status).toBe(200);
    const finishedToken = tokenFromLink(finished.invitation!.link!);
    const submit = await t.request(`/api/respond/${finishedToken}/submit`, { method: 'POST', as: 'anonymous', json: { answers: { q_nps: 9, q_csat: 4 } } });
    expect(submit.status).toBe(200);

    clock.set('2026-09-04T01:59:00Z');
    await worker.runOnce();
    expect(await outboxFor(notOpened.invitation!.id)).toHaveLength(1);
    clock.set('2026-09-04T02:00:00Z');
    await worker.runOnce();
    const a = await outboxFor(notOpened.invitation!.id);
    const b = await outboxFor(opened.invitation!.id);
    expect(a.map((m) => m.kind)).toEqual(['invitation', 'reminder_not_opened']);
    expect(b.map((m) => m.kind)).toEqual(['invitation', 'reminder_unfinished']);
    expect(a[1].subject).toBe('提醒：您在上海虹桥机场店的租车评价');
    expect(b[1].subject).toBe('您的上海虹桥机场店租车评价还差一点');
    expect(await outboxFor(finished.invitation!.id)).toHaveLength(1);
    const [skipped] = await t.sql`select status, outcome from deliveries where invitation_id = ${finished.invitation!.id} and step = 1`;
    expect(skipped).toMatchObject({ status: 'skipped', outcome: 'finished' });

    clock.set('2026-09-07T02:00:00Z');
    await worker.runOnce();
    expect(await outboxFor(notOpened.invitation!.id)).toHaveLength(3);
    clock.set('2026-09-10T02:00:00Z');
    await worker.runOnce();
    expect(await outboxFor(notOpened.invitation!.id)).toHaveLength(3);
    const [inv] = await t.sql`select reminders_sent from invitations where id = ${notOpened.invitation!.id}`;
    expect(inv.reminders_sent).toBe(2);
  });

  it('expires links after the expiry days: the link stops working and nothing more is sent', async () => {
    await putRules({ reminders: { count: 1, afterDays: 10 }, expiryDays: 7, fatigueDays: 0 });
    clock.set('2026-10-01T02:00:00Z');
    const body = await post(50, returned('2026-09-30T18:00:00+08:00'));
    await worker.runOnce();
    expect(await outboxFor(body.invitation!.id)).toHaveLength(1);
    const token = tokenFromLink(body.invitation!.link!);
    clock.set('2026-10-08T01:59:00Z');
    expect((await t.request(`/api/respond/${token}`, { as: 'anonymous' })).status).toBe(200);
    clock.set('2026-10-08T02:00:00Z');
    const tick = await worker.tick();
    expect(tick.expired).toBeGreaterThanOrEqual(1);
    const [inv] = await t.sql`select status from invitations where id = ${body.invitation!.id}`;
    expect(inv.status).toBe('expired');
    // The link says it expired (410) instead of opening.
    expect((await t.request(`/api/respond/${token}`, { as: 'anonymous' })).status).toBe(410);
    // The reminder (due after the expiry) was never planned.
    const deliveries = await t.sql`select step from deliveries where invitation_id = ${body.invitation!.id}`;
    expect(deliveries.map((d) => d.step)).toEqual([0]);
  });
});

describe('funnel', () => {
  it('counts eligible, invited, sent, opened, started, finished per branch', async () => {
    const res = await t.request(`/api/distribution/funnel?survey=${surveyId}&from=2026-09-01&to=2026-09-01&groupBy=branch`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    const sh = body.groups.find((g: { key: string }) => g.key === 'SH01');
    expect(sh).toMatchObject({ eligible: 3, invited: 3, sent: 3, opened: 2, started: 2, finished: 1, failed: 0, optedOut: 0 });
    expect(sh.responseRate).toBeCloseTo(1 / 3, 10);
    const all = (await (await t.request(`/api/distribution/funnel?survey=${surveyId}&from=2026-08-01&to=2026-08-01`)).json()) as any;
    // Two rentals outside the eligibility rules, one invited, then 100 drawn at 30 %; the too-old one is not counted.
    expect(all.total.eligible).toBe(1 + 100);
    expect(all.total.invited).toBe(1 + sampledInvited);
    expect(all.groups).toEqual([]);
  });
});
