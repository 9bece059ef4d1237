// Survey links in the outbox (no SMTP or SMS provider) are bearer secrets: staff see them masked — in the
// link, the text and the HTML — and only an administrator's explicit reveal, written to the audit log,
// shows one message's full link.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDistributionWorker, type DistributionWorker } from '../../api/src/distribution/worker.ts';
import { startBoss, type PgBoss } from '../../api/src/queue/queue.ts';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { miniPostRental } from '../support/fixtures/definitions.ts';
import { rentalPayload, tokenFromLink } from '../support/rentals.ts';
import { createTestApp, testClock } from '../support/test-db.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let boss: PgBoss;
let worker: DistributionWorker;
const links: string[] = [];

beforeAll(async () => {
  t = await createTestApp({ clock: testClock('2026-06-01T10:00:00Z'), env: { TOKEN_SECRET: 'outbox-mask-test-secret-0123456789abcdef' } });
  const s = await createSurvey(t.db, { name: 'Post-rental', kind: 'post_rental', definition: miniPostRental });
  await publishSurvey(t.db, s.id);
  boss = await startBoss(t.sql, { maintenanceIntervalSeconds: 60 });
  worker = await startDistributionWorker(t.deps, boss, { autoStart: false });
  for (const payload of [rentalPayload(1), rentalPayload(2, { customer: { externalId: 'C-T-2', phone: '+8613800000002', consentSms: true } })]) {
    const res = await t.request('/api/rentals', { method: 'POST', json: payload });
    links.push((await res.json()).invitation.link);
  }
  await worker.runOnce();
});

afterAll(async () => {
  await worker?.stop();
  await boss?.stop({ graceful: false, wait: true });
});

const tokens = () => links.map(tokenFromLink);

describe('the outbox', () => {
  it('shows quality managers and administrators the messages with every survey-link token masked', async () => {
    const qm = await t.signIn('quality_manager');
    for (const as of [qm, undefined]) {
      const res = await t.request('/api/outbox', as ? { as } : {});
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.items).toHaveLength(2);
      const raw = JSON.stringify(body);
      for (const token of tokens()) expect(raw).not.toContain(token);
      for (const m of body.items) {
        expect(m.masked).toBe(true);
        expect(m.link).toMatch(/^http:\/\/survey\.test\/s\/[A-Za-z0-9_-]{4}•{8}$/);
        expect(m.text).toContain(m.link);
      }
      const email = body.items.find((m: { channel: string }) => m.channel === 'email');
      expect(email.html).toContain(email.link);
      expect(email.text).toMatch(/\/s\/[A-Za-z0-9_-]{4}•{8}\/opt-out/);
    }
    expect(await t.sql`select id from audit_log where action = 'outbox.reveal'`).toEqual([]);
  });

  it('reveals one full link to an administrator only, and records who revealed which message', async () => {
    const qm = await t.signIn('quality_manager');
    const [message] = (await (await t.request('/api/outbox?channel=email')).json()).items;
    expect((await t.request(`/api/outbox/${message.id}/reveal`, { method: 'POST', as: qm })).status).toBe(403);
    expect((await t.request(`/api/outbox/${message.id}/reveal`, { method: 'POST', as: 'anonymous' })).status).toBe(401);
    expect(await t.sql`select id from audit_log where action = 'outbox.reveal'`).toEqual([]);

    const res = await t.request(`/api/outbox/${message.id}/reveal`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const revealed = await res.json();
    expect(revealed).toMatchObject({ id: message.id, masked: false, link: links[0], to: 'c1@example.com' });
    expect(revealed.text).toContain(links[0]);
    expect(revealed.html).toContain(`href="${links[0]}"`);
    // The revealed link opens the survey.
    expect((await t.request(`/api/respond/${tokenFromLink(revealed.link)}`, { as: 'anonymous' })).status).toBe(200);

    const entries = await t.sql`select actor_id, action, target_type, target_id, details from audit_log where action = 'outbox.reveal'`;
    expect(entries).toEqual([
      {
        actor_id: t.admin!.userId,
        action: 'outbox.reveal',
        target_type: 'outbox_message',
        target_id: String(message.id),
        details: { deliveryId: message.deliveryId, channel: 'email' },
      },
    ]);
    expect((await t.request('/api/outbox/999999/reveal', { method: 'POST' })).status).toBe(404);
  });
});
