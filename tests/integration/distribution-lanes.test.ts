// The send lanes: twice as many lanes as hand-overs, so that taking up, rendering and marking deliveries run
// beside the provider's exchanges, while the provider never sees more than SEND_CONCURRENCY messages at a
// time; each message is claimed before its last bytes, and the first question's scale is noted with the claim.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingMessage, Transport } from '../../api/src/distribution/transports.ts';
import { startDistributionWorker, type DistributionWorker } from '../../api/src/distribution/worker.ts';
import { startBoss, type PgBoss } from '../../api/src/queue/queue.ts';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { findTemplate } from '../../survey-templates/index.ts';
import { rentalPayload } from '../support/rentals.ts';
import { createTestApp, testClock } from '../support/test-db.ts';

const CONCURRENCY = 3;
const MESSAGES = 24;

let t: Awaited<ReturnType<typeof createTestApp>>;
let boss: PgBoss;
let worker: DistributionWorker;
let inFlight = 0;
let mostInFlight = 0;
const claimedBeforeEnd: boolean[] = [];
const handedOver: OutgoingMessage[] = [];

/** A provider that takes a while per message and checks the claim is committed before the message ends. */
const slowProvider: Transport = {
  name: 'smtp',
  channel: 'email',
  async send(message, hooks) {
    inFlight++;
    mostInFlight = Math.max(mostInFlight, inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, 15));
      await hooks.commitPoint();
      const [claim] = await t.sql`select state from send_attempts where idempotency_key = ${message.idempotencyKey}`;
      claimedBeforeEnd.push(claim?.state === 'handing');
      handedOver.push(message);
      return { providerMessageId: `id-${handedOver.length}` };
    } finally {
      inFlight--;
    }
  },
  async close() {},
};

beforeAll(async () => {
  t = await createTestApp({
    clock: testClock('2026-06-01T10:00:00Z'),
    env: { TOKEN_SECRET: 'lanes-test-secret-0123456789abcdef012345', SEND_CONCURRENCY: String(CONCURRENCY), EMAIL_RATE_PER_SECOND: '100000' },
  });
  const s = await createSurvey(t.db, { name: 'Post-rental', kind: 'post_rental', definition: findTemplate('post-rental')!.definition });
  await publishSurvey(t.db, s.id);
  for (let i = 1; i <= MESSAGES; i++) expect((await t.request('/api/rentals', { method: 'POST', json: rentalPayload(i) })).status).toBe(201);
  boss = await startBoss(t.sql, { maintenanceIntervalSeconds: 60 });
  worker = await startDistributionWorker(t.deps, boss, { autoStart: false, transports: { email: slowProvider, sms: null } });
});

afterAll(async () => {
  await worker?.stop();
  await boss?.stop({ graceful: false, wait: true });
});

describe('send lanes', () => {
  it('hands over at most SEND_CONCURRENCY messages at a time, each once, claimed before its end', async () => {
    const { handled } = await worker.runOnce();
    expect(handled).toBeGreaterThanOrEqual(MESSAGES);
    expect(handedOver).toHaveLength(MESSAGES);
    expect(new Set(handedOver.map((m) => m.to)).size).toBe(MESSAGES);
    expect(mostInFlight).toBe(CONCURRENCY);
    expect(claimedBeforeEnd.every(Boolean)).toBe(true);
    const [{ sent, accepted }] = await t.sql`
      select (select count(*)::int from deliveries where status = 'sent') as sent,
             (select count(*)::int from send_attempts where state = 'accepted') as accepted`;
    expect({ sent, accepted }).toEqual({ sent: MESSAGES, accepted: MESSAGES });
  });

  it("notes the email's first question once per invitation, with the claim", async () => {
    const noted = await t.sql`select e.invitation_id, e.question_id from email_first_question e`;
    expect(noted).toHaveLength(MESSAGES);
    expect(new Set(noted.map((n) => n.question_id))).toEqual(new Set(['q_nps']));
    // Each email carries the scale whose question was noted.
    expect(handedOver.every((m) => (m.html ?? '').includes('?score=10'))).toBe(true);
  });
});
