// Privacy: one customer's export and erasure (the responses stay in the statistics, anonymised), the
// retention period applied by the scheduled job, and masked contacts for branch managers.
import { beforeAll, describe, expect, it } from 'vitest';
import { contactFor } from '../../api/src/access/mask.ts';
import { applyRetention } from '../../api/src/access/retention.ts';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { miniPostRental } from '../support/fixtures/definitions.ts';
import { newInvitationToken } from '../../api/src/distribution/tokens.ts';
import { createTestApp } from '../support/test-db.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;

let survey: { id: string; versionId: string };
let branchId: string;

beforeAll(async () => {
  t = await createTestApp({ env: { PERSONAL_DATA_RETENTION_DAYS: '365' } });
  const created = await createSurvey(t.db, { name: 'Post-rental', kind: 'post_rental', definition: miniPostRental });
  const version = await publishSurvey(t.db, created.id);
  survey = { id: created.id, versionId: version.id };
  [{ id: branchId }] = await t.sql`insert into branches (code, name, city, region) values ('SH01', '上海虹桥机场店', '上海', '华东') returning id`;
});

interface CustomerInput {
  externalId: string;
  name: string;
  email?: string;
  phone?: string;
}

/** A customer's rental with a sent invitation (rows as distribution leaves them), answered through the public API. */
async function rentAndAnswer(n: number, customer: CustomerInput, answers: Record<string, unknown>, rental: { pickedUpAt?: string; returnedAt?: string } = {}) {
  const [{ id: customerId }] = await t.sql`
    insert into customers (external_id, name, email, phone, preferred_language)
    values (${customer.externalId}, ${customer.name}, ${customer.email ?? null}, ${customer.phone ?? null}, 'zh-CN')
    on conflict (external_id) do update set name = excluded.name returning id`;
  const [{ id: rentalId }] = await t.sql`
    insert into rentals (external_id, customer_id, pickup_branch_id, return_branch_id, vehicle_class, picked_up_at, returned_at, amount, booking_channel)
    values (${`RA-T-${n}`}, ${customerId}, ${branchId}, ${branchId}, 'suv', ${rental.pickedUpAt ?? '2026-05-28T09:00:00+08:00'},
            ${rental.returnedAt ?? '2026-05-31T18:00:00+08:00'}, 1280, 'app') returning id`;
  const { token, tokenHash } = newInvitationToken();
  const returned = new Date(rental.returnedAt ?? '2026-05-31T18:00:00+08:00');
  await t.sql`
    insert into invitations (survey_id, survey_version_id, rental_id, customer_id, branch_id, token_hash, channel, status, scheduled_at, sent_at, expires_at)
    values (${survey.id}, ${survey.versionId}, ${rentalId}, ${customerId}, ${branchId}, ${tokenHash}, 'email',
            ${Object.keys(answers).length > 0 ? 'sent' : 'scheduled'}, ${returned.toISOString()}, ${returned.toISOString()},
            ${new Date(t.clock.now().getTime() + 14 * 86_400_000).toISOString()})`;
  if (Object.keys(answers).length > 0) {
    const submit = await t.request(`/api/respond/${token}/submit`, { method: 'POST', json: { answers }, as: 'anonymous' });
    expect(submit.status).toBe(200);
  }
  return { customerId, rentalId };
}

/** NPS counts straight from the stored answers: what every statistic is computed from. */
async function npsCounts() {
  const [row] = await t.sql<{ n: number; promoters: number; detractors: number; responses: number }[]>`
    select count(*)::int as n, count(*) filter (where a.value_number >= 9)::int as promoters,
           count(*) filter (where a.value_number <= 6)::int as detractors,
           (select count(*) from responses where status = 'finished')::int as responses
    from answers a join responses r on r.id = a.response_id
    where r.status = 'finished' and a.question_id = 'q_nps'`;
  return row;
}

describe("one customer's data", () => {
  const zhang = { externalId: 'C-ZHANG', name: '张伟', email: 'zhang.wei@example.com', phone: '+86 13812345678' };

  it('is exported with rentals, invitations and answers, found by email, phone or external id', async () => {
    await rentAndAnswer(1, zhang, { q_nps: 3, q_why: '我是张伟，取车等了一个小时', q_csat: 2, q_pickup: { speed: 1, staff: 3 } });
    await rentAndAnswer(2, zhang, {}, { pickedUpAt: '2026-05-29T09:00:00+08:00', returnedAt: '2026-05-31T20:00:00+08:00' });
    await t.sql`update customers set phone = ${zhang.phone}, email = ${zhang.email} where external_id = 'C-ZHANG'`;
    await rentAndAnswer(3, { externalId: 'C-LI', name: '李娜', email: 'li.na@example.com' }, { q_nps: 10, q_csat: 5 });

    for (const query of ['zhang.wei@EXAMPLE.com', '138 1234 5678', 'C-ZHANG', '张伟']) {
      const found = await (await t.request('/api/privacy/customers/search', { method: 'POST', json: { query } })).json();
      expect(
        found.map((c: { externalId: string }) => c.externalId),
        query,
      ).toEqual(['C-ZHANG']);
    }
    const [match] = await (await t.request('/api/privacy/customers/search', { method: 'POST', json: { query: 'C-ZHANG' } })).json();
    expect(match).toMatchObject({ name: '张伟', email: 'zhang.wei@example.com', rentals: 2, responses: 1, erasedAt: null });
    // A complaint they phoned in and a reward code they were given are theirs too.
    const complaint = await t.request('/api/cases/complaints', {
      method: 'POST',
      json: { key: crypto.randomUUID(), channel: 'phone', customerId: match.id, branchId, description: '张伟来电：车内有烟味', rootCause: 'vehicle_condition' },
    });
    expect(complaint.status, await complaint.clone().text()).toBe(201);
    const programme = await t.request('/api/rewards/programmes', { method: 'POST', json: { surveyId: survey.id, name: '50元租车券' } });
    expect(programme.status).toBe(201);
    await t.sql`insert into reward_codes (programme_id, code, issued_at, customer_id, branch_id)
                values (${(await programme.json()).id}, 'ZW-0001', ${t.clock.now().toISOString()}, ${match.id}, ${branchId}),
                       (${(await t.sql`select id from reward_programmes`)[0].id}, 'NOT-HIS', null, null, null)`;

    const res = await t.request(`/api/privacy/customers/${match.id}/export`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="customer-${match.id}.json"`);
    const data = await res.json();
    expect(data.customer).toMatchObject({ externalId: 'C-ZHANG', name: '张伟', email: 'zhang.wei@example.com', phone: '+86 13812345678' });
    expect(data.rentals.map((r: { externalId: string }) => r.externalId)).toEqual(['RA-T-1', 'RA-T-2']);
    expect(data.invitations).toHaveLength(2);
    expect(JSON.stringify(data.invitations)).not.toMatch(/token/i);
    expect(data.cases).toHaveLength(1);
    expect(data.cases[0]).toMatchObject({ channel: 'phone', description: '张伟来电：车内有烟味', rootCause: 'vehicle_condition', branch: 'SH01' });
    expect(data.rewards).toEqual([expect.objectContaining({ programme: '50元租车券', code: 'ZW-0001', redeemedAt: null })]);
    expect(data.responses).toHaveLength(1);
    expect(data.responses[0].answers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ questionId: 'q_why', text: '我是张伟，取车等了一个小时' }),
        expect.objectContaining({ questionId: 'q_nps', number: 3 }),
      ]),
    );
    const [audit] = await t.sql`select action, target_id, details from audit_log where action = 'customer.export'`;
    expect(audit).toMatchObject({ target_id: match.id, details: null });
  });

  it('is erased: personal fields and free text removed, the response kept in the statistics', async () => {
    const [match] = await (await t.request('/api/privacy/customers/search', { method: 'POST', json: { query: 'C-ZHANG' } })).json();
    const before = await npsCounts();
    expect(before).toEqual({ n: 2, promoters: 1, detractors: 1, responses: 2 });
    const [{ scheduled }] = await t.sql`select count(*) filter (where status = 'scheduled')::int as scheduled from invitations where customer_id = ${match.id}`;
    await t.sql`insert into bad_addresses (channel, address, reason) values ('email', 'Zhang.Wei@example.com', 'bounced'), ('sms', '+8613812345678', 'bad_address'), ('email', 'someone.else@example.com', 'bounced')`;

    const res = await t.request(`/api/privacy/customers/${match.id}/erase`, { method: 'POST' });
    expect(res.status).toBe(200);
    const result = await res.json();
    expect(scheduled).toBe(1);
    expect(result).toMatchObject({
      customerId: match.id,
      alreadyErased: false,
      erasedAt: t.clock.now().toISOString(),
      rentals: 2,
      answersRemoved: 1,
      invitationsCancelled: 1,
    });

    const [customer] =
      await t.sql`select name, email, phone, external_id, consent_email, consent_sms, erased_at, preferred_language, customer_type from customers where id = ${match.id}`;
    expect(customer).toMatchObject({
      name: null,
      email: null,
      phone: null,
      external_id: `erased:${match.id}`,
      consent_email: false,
      consent_sms: false,
      preferred_language: 'zh-CN',
      customer_type: 'leisure',
    });
    expect(new Date(customer.erased_at).toISOString()).toBe(t.clock.now().toISOString());
    const rentals = await t.sql`select external_id from rentals where customer_id = ${match.id}`;
    expect(rentals.every((r) => String(r.external_id).startsWith('erased:'))).toBe(true);

    // The response and its scores stay, still at its branch; the comment is gone.
    const [response] = await t.sql`select r.status, b.code from responses r join branches b on b.id = r.branch_id where r.customer_id = ${match.id}`;
    expect(response).toEqual({ status: 'finished', code: 'SH01' });
    const answers =
      await t.sql`select question_id, item_id, value_number, value_text from answers a join responses r on r.id = a.response_id where r.customer_id = ${match.id} order by question_id, item_id`;
    expect(answers.map((a) => [a.question_id, a.item_id, a.value_number])).toEqual([
      ['q_csat', null, 2],
      ['q_nps', null, 3],
      ['q_pickup', 'speed', 1],
      ['q_pickup', 'staff', 3],
    ]);
    expect(answers.every((a) => a.value_text === null)).toBe(true);
    expect(await npsCounts()).toEqual(before);

    // Nothing left to find or export about the person; the other customer is untouched.
    expect(await (await t.request('/api/privacy/customers/search', { method: 'POST', json: { query: 'zhang.wei@example.com' } })).json()).toEqual([]);
    const exported = await (await t.request(`/api/privacy/customers/${match.id}/export`)).json();
    expect(JSON.stringify(exported)).not.toMatch(/张伟|zhang|13812345678|C-ZHANG|RA-T-1"|一个小时/);
    expect((await t.sql`select address from bad_addresses`).map((b) => b.address)).toEqual(['someone.else@example.com']);
    const [li] = await t.sql`select name, email from customers where external_id = 'C-LI'`;
    expect(li).toEqual({ name: '李娜', email: 'li.na@example.com' });

    // Recorded without personal data; erasing again changes nothing.
    const [audit] = await t.sql`select action, actor_label, details from audit_log where action = 'customer.erase' and target_id = ${match.id}`;
    expect(audit.actor_label).toBe('admin@staff.test');
    expect(JSON.stringify(audit.details)).not.toMatch(/张伟|zhang|138/);
    const again = await (await t.request(`/api/privacy/customers/${match.id}/erase`, { method: 'POST' })).json();
    expect(again).toMatchObject({ alreadyErased: true, erasedAt: result.erasedAt });
    expect((await t.request('/api/privacy/customers/00000000-0000-4000-8000-000000000000/erase', { method: 'POST' })).status).toBe(404);
  });

  it('is not for anyone but administrators', async () => {
    const qm = await t.signIn('quality_manager');
    const [li] = await t.sql`select id from customers where external_id = 'C-LI'`;
    expect((await t.request(`/api/privacy/customers/${li.id}/erase`, { method: 'POST', as: qm })).status).toBe(403);
    expect((await t.request('/api/privacy/customers/search', { method: 'POST', json: { query: 'C-LI' }, as: qm })).status).toBe(403);
    const [still] = await t.sql`select erased_at from customers where id = ${li.id}`;
    expect(still.erased_at).toBeNull();
  });
});

describe('the retention period', () => {
  it('erases customers whose last rental is older than the period, when the job runs', async () => {
    // Clock: 2026-06-01. Retention 365 days: the cut-off is 2025-06-01.
    await rentAndAnswer(
      10,
      { externalId: 'C-OLD', name: '王芳', email: 'old@example.com' },
      {},
      { pickedUpAt: '2025-03-01T09:00:00+08:00', returnedAt: '2025-03-03T09:00:00+08:00' },
    );
    await rentAndAnswer(
      11,
      { externalId: 'C-BACK', name: '赵敏', email: 'back@example.com' },
      {},
      { pickedUpAt: '2024-12-01T09:00:00+08:00', returnedAt: '2024-12-03T09:00:00+08:00' },
    );
    await rentAndAnswer(
      12,
      { externalId: 'C-BACK', name: '赵敏', email: 'back@example.com' },
      {},
      { pickedUpAt: '2025-07-01T09:00:00+08:00', returnedAt: '2025-07-02T09:00:00+08:00' },
    );

    const status = await (await t.request('/api/privacy/retention')).json();
    expect(status).toMatchObject({ retentionDays: 365, dueNow: 1 });

    const result = await applyRetention(t.deps);
    expect(result.customersErased).toBe(1);
    const [back] = await t.sql`select name, erased_at from customers where external_id = 'C-BACK'`;
    expect(back).toEqual({ name: '赵敏', erased_at: null });
    const [old] =
      await t.sql`select c.name, c.email, c.external_id from customers c join rentals x on x.customer_id = c.id where x.external_id = 'erased:' || x.id::text`;
    expect(old).toMatchObject({ name: null, email: null, external_id: expect.stringMatching(/^erased:/) });
    expect(await (await t.request('/api/privacy/customers/search', { method: 'POST', json: { query: 'C-OLD' } })).json()).toEqual([]);
    const [entry] = await t.sql`select actor_type, details from audit_log where action = 'customer.erase_retention'`;
    expect(entry).toEqual({ actor_type: 'system', details: { customers: 1, retentionDays: 365 } });

    // A year on, the returning customer's last rental is past the period too.
    t.clock.set('2026-07-03T00:00:00Z');
    expect((await applyRetention(t.deps)).customersErased).toBe(1);
    const [backLater] =
      await t.sql`select erased_at from customers where id = (select customer_id from rentals where returned_at between '2025-07-01' and '2025-07-03')`;
    expect(backLater.erased_at).not.toBeNull();
    expect((await applyRetention(t.deps)).customersErased).toBe(0);
  });

  it('runs on demand for an administrator and removes expired sign-in data', async () => {
    const user = await t.signIn('executive');
    t.clock.advance(24 * 3_600_000);
    const res = await t.request('/api/privacy/retention/run', { method: 'POST' });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.sessions).toBeGreaterThanOrEqual(1);
    const left = await t.sql`select 1 from sessions where user_id = ${user.userId}`;
    expect(left).toHaveLength(0);
    const status = await (await t.request('/api/privacy/retention')).json();
    expect(status.lastRun).toEqual({ at: t.clock.now().toISOString(), customersErased: 0 });
  });
});

describe('contacts for branch managers', () => {
  it('are masked, for other roles shown as stored', async () => {
    const contact = { name: '张伟', email: 'zhang.wei@example.com', phone: '+86 13812345678' };
    const as = (principal: unknown) => ({ get: (key: string) => (key === 'principal' ? principal : undefined) }) as never;
    expect(contactFor(as({ maskContacts: true }), contact)).toEqual({ name: '张伟', email: 'z***@example.com', phone: '+86 138****5678' });
    expect(contactFor(as({ maskContacts: false }), contact)).toEqual(contact);
    expect(contactFor(as(null), contact).email).toBe('z***@example.com');
  });
});
