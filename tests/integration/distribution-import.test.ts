// CSV import of rentals: upload, column mapping, good rows stored and bad ones reported by row number,
// a second import of the same file changes nothing; value tiers and new vs returning afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDistributionWorker, type DistributionWorker } from '../../api/src/distribution/worker.ts';
import { startBoss, type PgBoss } from '../../api/src/queue/queue.ts';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { miniPostRental } from '../support/fixtures/definitions.ts';
import { createTestApp, testClock } from '../support/test-db.ts';

const clock = testClock('2026-06-01T02:00:00Z'); // 10:00 in Shanghai
const importDir = mkdtempSync(path.join(tmpdir(), 'rs-import-'));
let t: Awaited<ReturnType<typeof createTestApp>>;
let boss: PgBoss;
let worker: DistributionWorker;

beforeAll(async () => {
  t = await createTestApp({ clock, env: { TOKEN_SECRET: 'import-test-secret-0123456789abcdef01234', IMPORT_DIR: importDir } });
  const survey = await createSurvey(t.db, { name: 'Post-rental', kind: 'post_rental', definition: miniPostRental });
  await publishSurvey(t.db, survey.id);
  await t.sql`insert into branches (code, name, city, region) values ('SH01', '上海虹桥机场店', '上海', '华东'), ('BJ01', '北京首都机场店', '北京', '华北')`;
  boss = await startBoss(t.sql, { maintenanceIntervalSeconds: 60 });
  worker = await startDistributionWorker(t.deps, boss, { autoStart: false });
});

afterAll(async () => {
  await worker?.stop();
  await boss?.stop({ graceful: false, wait: true });
  rmSync(importDir, { recursive: true, force: true });
});

const header = '合同号,customer_id,姓名,Email,手机,language,pickup_branch,return_branch,车型,取车时间,还车时间,金额,booking_channel';
// Ten customers with different 12-month values; C01 rents twice (the second rental is "returning").
const good = [
  'R001,C01,王伟,wang@example.com,,zh-CN,SH01,SH01,SUV,2026-03-01 09:00,2026-03-03 18:00,1000,app',
  'R002,C01,王伟,wang@example.com,,zh-CN,SH01,BJ01,SUV,2026-05-30 09:00,2026-05-31 18:00,9000,app',
  'R003,C02,李娜,li@example.com,,zh-CN,BJ01,BJ01,economy,2026-04-01 09:00,2026-04-02 18:00,8000,web',
  'R004,C03,,c03@example.com,,en,BJ01,BJ01,economy,2026-04-01T09:00:00+08:00,2026-04-02T18:00:00+08:00,7000,phone',
  'R005,C04,,c04@example.com,,,SH01,SH01,compact,2026/04/01 09:00,2026/04/02 18:00,"6,000",store',
  'R006,C05,,c05@example.com,,,SH01,SH01,compact,2026-04-01 09:00,2026-04-02 18:00,5000,APP',
  'R007,C06,,,+86 139 0000 0006,,SH01,SH01,compact,2026-04-01 09:00,2026-04-02 18:00,4000,网站',
  'R008,C07,,c07@example.com,,,SH01,SH01,compact,2026-04-01 09:00,2026-04-02 18:00,3000,门店',
  'R009,C08,,c08@example.com,,,SH01,SH01,compact,2026-04-01 09:00,2026-04-02 18:00,2000,app',
  'R010,C09,,c09@example.com,,,SH01,SH01,compact,2026-04-01 09:00,2026-04-02 18:00,1000,app',
  'R011,C10,,c10@example.com,,,SH01,SH01,compact,2025-01-01 09:00,2025-01-02 18:00,50000,app',
];
const bad = [
  'R101,C11,,c11@example.com,,,SH01,SH01,SUV,2026-02-30 09:00,2026-03-01 18:00,100,app', // no 30 February
  'R102,C12,,c12@example.com,,,XX99,SH01,SUV,2026-05-01 09:00,2026-05-02 18:00,100,app', // unknown branch
  'R103,C13,,not-an-email,,,SH01,SH01,SUV,2026-05-01 09:00,2026-05-02 18:00,100,app',
  'R104,C14,,c14@example.com,,,SH01,SH01,SUV,2026-05-03 09:00,2026-05-02 18:00,100,app', // returned before picked up
  ',C15,,c15@example.com,,,SH01,SH01,SUV,2026-05-01 09:00,2026-05-02 18:00,100,app', // no external id
  'R106,C16,,c16@example.com,,,SH01,SH01,SUV,2026-05-01 09:00,2026-05-02 18:00,100,carrier pigeon',
];
// Good and bad rows interleaved; data row numbers count from 1 after the header.
const lines = [
  good[0],
  bad[0],
  good[1],
  good[2],
  bad[1],
  good[3],
  good[4],
  bad[2],
  good[5],
  good[6],
  bad[3],
  good[7],
  bad[4],
  good[8],
  good[9],
  bad[5],
  good[10],
];
const csv = `\uFEFF${header}\r\n${lines.join('\r\n')}\r\n`;
const badRows = lines.map((l, i) => (bad.includes(l) ? i + 1 : 0)).filter(Boolean);

async function importFile(content: string, name = 'rentals.csv') {
  const upload = await t.request(`/api/imports?fileName=${name}`, { method: 'POST', body: content, headers: { 'content-type': 'text/csv' } });
  expect(upload.status).toBe(201);
  const uploaded = (await upload.json()) as any;
  const start = await t.request(`/api/imports/${uploaded.id}/start`, { method: 'POST', json: { mapping: uploaded.suggestedMapping } });
  expect(start.status).toBe(202);
  await worker.runOnce();
  const done = (await (await t.request(`/api/imports/${uploaded.id}`)).json()) as any;
  return { uploaded, done };
}

async function snapshot() {
  const [row] = await t.sql`
    select
      (select md5(string_agg(r::text, '|' order by r.external_id)) from rentals r) as rentals,
      (select md5(string_agg(c::text, '|' order by c.external_id)) from customers c) as customers,
      (select md5(string_agg(i::text, '|' order by i.id)) from invitations i) as invitations,
      (select md5(string_agg(d::text, '|' order by d.id)) from deliveries d) as deliveries,
      (select count(*)::int from pgboss.job where name = 'distribution.send') as jobs`;
  return row;
}

describe('CSV import', () => {
  let firstId: string;

  it('maps the columns, stores the good rows and reports each bad one by row number', async () => {
    const { uploaded, done } = await importFile(csv);
    firstId = uploaded.id;
    expect(uploaded.header[0]).toBe('合同号');
    expect(uploaded.sample[0][0]).toBe('R001');
    expect(uploaded.encoding).toBe('utf-8');
    expect(uploaded.suggestedMapping).toMatchObject({
      externalId: 0,
      customerExternalId: 1,
      customerName: 2,
      email: 3,
      phone: 4,
      preferredLanguage: 5,
      pickupBranch: 6,
      returnBranch: 7,
      vehicleClass: 8,
      pickedUpAt: 9,
      returnedAt: 10,
      amount: 11,
      bookingChannel: 12,
    });
    expect(done).toMatchObject({
      status: 'done',
      rowsDone: lines.length,
      rowsCreated: good.length,
      rowsUpdated: 0,
      rowsUnchanged: 0,
      rowsRejected: bad.length,
    });
    expect(done.bytesDone).toBe(done.bytesTotal);
    expect(done.rowsPerSecond).toBeGreaterThan(0);

    const rejections = (await (await t.request(`/api/imports/${uploaded.id}/rejections`)).json()) as any;
    expect(rejections.total).toBe(bad.length);
    expect(rejections.items.map((r: { row: number }) => r.row)).toEqual(badRows);
    const reasonOf = (row: number) => rejections.items.find((r: { row: number }) => r.row === row);
    expect(reasonOf(badRows[0])).toMatchObject({ externalId: 'R101', fields: ['pickedUpAt'] });
    expect(reasonOf(badRows[0]).reason).toContain('not a date');
    expect(reasonOf(badRows[1])).toMatchObject({ externalId: 'R102', fields: ['pickupBranch'] });
    expect(reasonOf(badRows[1]).reason).toContain('XX99');
    expect(reasonOf(badRows[2])).toMatchObject({ externalId: 'R103', fields: ['email'] });
    expect(reasonOf(badRows[3]).reason).toContain('before the pick-up');
    expect(reasonOf(badRows[4])).toMatchObject({ externalId: null, fields: ['externalId'] });
    expect(reasonOf(badRows[5]).fields).toEqual(['bookingChannel']);

    // Nothing of a bad row was written, not even its customer.
    const [{ stray }] = await t.sql`select count(*)::int as stray from customers where external_id in ('C11', 'C12', 'C13', 'C14', 'C15', 'C16')`;
    expect(stray).toBe(0);
    const stored = await t.sql`select external_id, amount, booking_channel, returned_at from rentals order by external_id`;
    expect(stored.map((r) => r.external_id)).toEqual(good.map((g) => g.split(',')[0]));
    expect(stored.find((r) => r.external_id === 'R005')).toMatchObject({ amount: '6000.00', booking_channel: 'store' });
    expect(stored.find((r) => r.external_id === 'R007')!.booking_channel).toBe('web');
    expect(new Date(stored.find((r) => r.external_id === 'R002')!.returned_at).toISOString()).toBe('2026-05-31T10:00:00.000Z');

    const csvRes = await t.request(`/api/imports/${uploaded.id}/rejections?format=csv`);
    expect(csvRes.headers.get('content-type')).toContain('text/csv');
    const text = await csvRes.text();
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(1 + bad.length);
  });

  it('invites only rentals returned recently (R002, returned yesterday)', async () => {
    const invited = await t.sql`select r.external_id from invitations i join rentals r on r.id = i.rental_id`;
    expect(invited.map((r) => r.external_id)).toEqual(['R002']);
    const done = (await (await t.request(`/api/imports/${firstId}`)).json()) as any;
    expect(done.invitationsCreated).toBe(1);
  });

  it('keeps value tiers (top 20 % = A) and new vs returning up to date', async () => {
    const rows = await t.sql`select external_id, value_tier, rental_count, rentals_12m, value_12m from customers order by external_id`;
    const tier = Object.fromEntries(rows.map((r) => [r.external_id, r.value_tier]));
    // 12-month values: C01 10000, C02 8000, C03 7000, C04 6000, C05 5000, C06 4000, C07 3000, C08 2000,
    // C09 1000; C10's rental is older than 12 months. Nine active: A = top ceil(1.8) = 2, B up to ceil(4.5) = 5.
    expect(tier).toEqual({ C01: 'A', C02: 'A', C03: 'B', C04: 'B', C05: 'B', C06: 'C', C07: 'C', C08: 'C', C09: 'C', C10: 'C' });
    expect(rows.find((r) => r.external_id === 'C01')).toMatchObject({ rental_count: 2, rentals_12m: 2, value_12m: '10000.00' });
    expect(rows.find((r) => r.external_id === 'C10')).toMatchObject({ rental_count: 1, rentals_12m: 0 });
    const repeat = await t.sql`select external_id, repeat_customer from rentals where external_id in ('R001', 'R002', 'R003') order by external_id`;
    expect(repeat.map((r) => r.repeat_customer)).toEqual([false, true, false]);
  });

  it('a second import of the same file changes nothing', async () => {
    const before = await snapshot();
    const { done } = await importFile(csv, 'again.csv');
    expect(done).toMatchObject({ status: 'done', rowsCreated: 0, rowsUpdated: 0, rowsUnchanged: good.length, rowsRejected: bad.length, invitationsCreated: 0 });
    const after = await snapshot();
    expect(after).toEqual(before);
  });

  it('updates a rental whose row changed, and counts it as updated', async () => {
    const changed = csv.replace(
      'R009,C08,,c08@example.com,,,SH01,SH01,compact,2026-04-01 09:00,2026-04-02 18:00,2000',
      'R009,C08,,c08@example.com,,,SH01,SH01,compact,2026-04-01 09:00,2026-04-02 18:00,2500',
    );
    expect(changed).not.toBe(csv);
    const { done } = await importFile(changed, 'changed.csv');
    expect(done).toMatchObject({ rowsCreated: 0, rowsUpdated: 1, rowsUnchanged: good.length - 1 });
    const [r] = await t.sql`select amount from rentals where external_id = 'R009'`;
    expect(r.amount).toBe('2500.00');
  });

  it('resumes an interrupted import after the last committed row', async () => {
    const upload = await t.request('/api/imports?fileName=resume.csv', {
      method: 'POST',
      body: `${header}\n${['S001', 'S002', 'S003', 'S004', 'S005'].map((id, i) => `${id},CS${i},,s${i}@example.com,,,SH01,SH01,SUV,2026-04-01 09:00,2026-04-02 18:00,100,app`).join('\n')}\n`,
      headers: { 'content-type': 'text/csv' },
    });
    const { id, suggestedMapping } = (await upload.json()) as any;
    // As a worker that died after committing the first three rows leaves it.
    await t.sql`update import_jobs set status = 'failed', mapping = ${JSON.stringify(suggestedMapping)}::jsonb, rows_done = 3, rows_created = 3 where id = ${id}`;
    const start = await t.request(`/api/imports/${id}/start`, { method: 'POST', json: { mapping: suggestedMapping } });
    expect(start.status).toBe(202);
    await worker.runOnce();
    const done = (await (await t.request(`/api/imports/${id}`)).json()) as any;
    expect(done).toMatchObject({ status: 'done', rowsDone: 5, rowsCreated: 5 });
    const stored = await t.sql`select external_id from rentals where external_id like 'S00%' order by external_id`;
    expect(stored.map((r) => r.external_id)).toEqual(['S004', 'S005']);
  });

  it('refuses a mapping without the required fields', async () => {
    const upload = await t.request('/api/imports?fileName=x.csv', { method: 'POST', body: csv, headers: { 'content-type': 'text/csv' } });
    const { id } = (await upload.json()) as any;
    const res = await t.request(`/api/imports/${id}/start`, { method: 'POST', json: { mapping: { externalId: 0 } } });
    expect(res.status).toBe(422);
    const problem = (await res.json()) as any;
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain('mapping.returnedAt');
  });
});

describe('batch API', () => {
  it('accepts up to 1,000 rentals, each accepted or rejected on its own', async () => {
    const item = (n: number, extra: Record<string, unknown> = {}) => ({
      externalId: `B-${n}`,
      customer: { externalId: `BC-${n}`, email: `b${n}@example.com` },
      pickupBranch: 'SH01',
      returnBranch: 'SH01',
      vehicleClass: 'suv',
      pickedUpAt: '2026-05-29T09:00:00+08:00',
      returnedAt: '2026-05-31T18:00:00+08:00',
      amount: 500,
      bookingChannel: 'web',
      ...extra,
    });
    const res = await t.request('/api/rentals/batch', {
      method: 'POST',
      json: { rentals: [item(1), item(2, { returnedAt: 'yesterday' }), item(3, { pickupBranch: 'NOPE' }), item(4)] },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.summary).toMatchObject({ received: 4, created: 2, rejected: 2, invited: 2 });
    expect(body.results.map((r: { status: string }) => r.status)).toEqual(['created', 'rejected', 'rejected', 'created']);
    expect(body.results[1].errors[0].path).toBe('returnedAt');
    expect(body.results[2].errors[0].path).toBe('pickupBranch');
    expect(body.results[0].invitation.link).toMatch(/^http:\/\/survey\.test\/s\/[A-Za-z0-9_-]{22}$/);
    const again = (await (await t.request('/api/rentals/batch', { method: 'POST', json: { rentals: [item(1), item(4)] } })).json()) as any;
    expect(again.summary).toMatchObject({ unchanged: 2, invited: 0 });
    expect(again.results[0].invitation.link).toBeUndefined();
    const tooMany = await t.request('/api/rentals/batch', { method: 'POST', json: { rentals: Array.from({ length: 1001 }, (_, i) => item(i)) } });
    expect(tooMany.status).toBe(400);
  });
});
