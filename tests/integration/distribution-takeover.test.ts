// A send job that expires while its worker is still busy with the delivery is taken up by another worker.
// The first worker must not hand the message over after that (the customer may have answered meanwhile),
// and a hand-over it had already claimed is confirmed when it ends, not left "unconfirmed".
import { beforeAll, describe, expect, it } from 'vitest';
import { createSenderContext, processDelivery } from '../../api/src/distribution/sender.ts';
import type { OutgoingMessage, Transport } from '../../api/src/distribution/transports.ts';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { miniPostRental } from '../support/fixtures/definitions.ts';
import { rentalPayload, tokenFromLink } from '../support/rentals.ts';
import { createTestApp, testClock } from '../support/test-db.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;

/** A provider whose hand-overs wait for the test: `gate` before the claim, `tail` between the claim and the end. */
function heldProvider() {
  const handedOver: OutgoingMessage[] = [];
  let openGate!: () => void;
  let openTail!: () => void;
  let reachedTail!: () => void;
  const gate = new Promise<void>((r) => (openGate = r));
  const tail = new Promise<void>((r) => (openTail = r));
  const atTail = new Promise<void>((r) => (reachedTail = r));
  const transport: Transport = {
    name: 'smtp',
    channel: 'email',
    async send(message, hooks) {
      await gate;
      await hooks.commitPoint();
      reachedTail();
      await tail;
      handedOver.push(message);
      return { providerMessageId: `held-${handedOver.length}` };
    },
    async close() {},
  };
  return { transport, handedOver, openGate, openTail, atTail };
}

/** An immediate provider for the second worker. */
function quickProvider() {
  const handedOver: OutgoingMessage[] = [];
  const transport: Transport = {
    name: 'smtp',
    channel: 'email',
    async send(message, hooks) {
      await hooks.commitPoint();
      handedOver.push(message);
      return { providerMessageId: `quick-${handedOver.length}` };
    },
    async close() {},
  };
  return { transport, handedOver };
}

async function queuedInvitation(n: number) {
  const res = await t.request('/api/rentals', { method: 'POST', json: rentalPayload(n) });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { invitation: { id: string; link: string } };
  const [delivery] = await t.sql<{ id: string }[]>`
    update deliveries set status = 'queued', queued_at = now() where invitation_id = ${body.invitation.id} and step = 0 returning id`;
  return { deliveryId: delivery.id, token: tokenFromLink(body.invitation.link) };
}

/** One worker's send job for the delivery, with its own sender context and provider. */
const sendWith = (provider: { transport: Transport }, deliveryId: string) =>
  processDelivery(createSenderContext(t.deps, { email: provider.transport, sms: null }), deliveryId);

/** The delivery's status and outcome, and the states of its send attempts. */
async function stateOf(deliveryId: string) {
  const [delivery] = await t.sql<{ status: string; outcome: string | null }[]>`select status, outcome from deliveries where id = ${deliveryId}`;
  const attempts = await t.sql<{ state: string }[]>`select state from send_attempts where delivery_id = ${deliveryId}`;
  return { status: delivery.status, outcome: delivery.outcome, attempts: attempts.map((a) => a.state) };
}

beforeAll(async () => {
  t = await createTestApp({
    clock: testClock('2026-06-01T10:00:00Z'),
    env: { TOKEN_SECRET: 'takeover-test-secret-0123456789abcdef0123', EMAIL_RATE_PER_SECOND: '100000' },
  });
  const s = await createSurvey(t.db, { name: 'Post-rental', kind: 'post_rental', definition: miniPostRental });
  await publishSurvey(t.db, s.id);
  const rules = await t.request(`/api/surveys/${s.id}/invitation-rules`, {
    method: 'PUT',
    json: { quietHours: { enabled: false }, reminders: { count: 0 } },
  });
  expect(rules.status).toBe(200);
});

describe('a delivery taken over by another worker', () => {
  it('is not handed over by the first worker once the second found the customer had answered', async () => {
    const { deliveryId, token } = await queuedInvitation(1);
    const first = heldProvider();
    const second = quickProvider();
    const firstWorker = sendWith(first, deliveryId);
    // The first worker has taken the delivery and waits before its hand-over; the customer answers.
    await new Promise((r) => setTimeout(r, 100));
    const submit = await t.request(`/api/respond/${token}/submit`, { method: 'POST', json: { answers: { q_nps: 9, q_csat: 5 }, locale: 'en' } });
    expect(submit.status).toBe(200);
    // Its job expired: the second worker takes the delivery and skips it, the customer has answered.
    await sendWith(second, deliveryId);
    first.openGate();
    first.openTail();
    await firstWorker;
    expect(first.handedOver).toHaveLength(0);
    expect(second.handedOver).toHaveLength(0);
    expect(await stateOf(deliveryId)).toEqual({ status: 'skipped', outcome: 'finished', attempts: [] });
  });

  it('is marked accepted when the first worker confirms a hand-over the second found still running', async () => {
    const { deliveryId } = await queuedInvitation(2);
    const first = heldProvider();
    const second = quickProvider();
    first.openGate();
    const firstWorker = sendWith(first, deliveryId);
    await first.atTail; // claimed, the last bytes not yet written
    await sendWith(second, deliveryId);
    expect(await stateOf(deliveryId)).toEqual({ status: 'sent', outcome: 'unconfirmed', attempts: ['handing'] });
    first.openTail();
    await firstWorker;
    expect(first.handedOver).toHaveLength(1);
    expect(second.handedOver).toHaveLength(0);
    expect(await stateOf(deliveryId)).toEqual({ status: 'sent', outcome: 'accepted', attempts: ['accepted'] });
  });
});
