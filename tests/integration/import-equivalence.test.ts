// The CSV import stores exactly what the per-row ingest path (api/src/distribution/ingest.ts, ingestRentals)
// stored before the import became set-based: the same rentals, customers and new / returning flags, the same
// rejected rows with their reason codes, and the same invitation decisions, invitations and deliveries under
// targeting, sampling, eligibility, fatigue (stored and within the file), consent, opt-out, bad addresses and
// quiet hours. The expected output (fixtures/import-equivalence.json) was written by the per-row path on this
// same generated file; `UPDATE_IMPORT_FIXTURE=1` rewrites it (only when that path is the one to trust).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../api/src/distribution/import.runner.ts';
import { saveRules } from '../../api/src/distribution/rules.queries.ts';
import { invitationRulesSchema } from '../../api/src/distribution/rules.schemas.ts';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { miniPostRental } from '../support/fixtures/definitions.ts';
import { createTestApp, testClock } from '../support/test-db.ts';

const fixtureFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'import-equivalence.json');
// 22:30 in Shanghai: inside the quiet hours of both surveys that have them.
const clock = testClock('2026-06-01T14:30:00Z');
const importDir = mkdtempSync(path.join(tmpdir(), 'rs-import-equivalence-'));
let t: Awaited<ReturnType<typeof createTestApp>>;

/** A small deterministic generator: every run imports the same file. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number) => String(n).padStart(2, '0');
const shanghai = (ms: number) => {
  const d = new Date(ms + 8 * 3_600_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
};

/** 2,000 rows: repeat customers, duplicated rental ids, unknown branches and bad fields among them. */
function generatedCsv(): string {
  const next = random(424242);
  const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)];
  const lines = [
    'rental_id,customer_id,name,email,phone,consent_sms,customer_type,pickup_branch,return_branch,vehicle_class,pickup_time,return_time,amount,booking_channel',
  ];
  const now = clock.now().getTime();
  for (let i = 1; i <= 2000; i++) {
    const c = 1 + Math.floor(next() ** 2 * 700);
    const rental = next() < 0.02 ? `E${String(1 + Math.floor(next() * (i - 1 || 1))).padStart(5, '0')}` : `E${String(i).padStart(5, '0')}`;
    const returned = now - Math.floor(next() * 45 * 86_400_000);
    const picked = returned - (1 + Math.floor(next() * 6)) * 86_400_000 - Math.floor(next() * 86_400_000);
    const roll = next();
    const branch = roll < 0.01 ? 'XX99' : pick(['SZ01', 'SZ01', 'SH01', 'SH01', 'SH02', 'HK01']);
    const email = c % 9 === 0 ? '' : c % 53 === 0 ? `bad${c}@example.com` : `E${c}@Example.com`;
    const phone = c % 4 === 0 ? '' : `+86 139 ${String(c).padStart(8, '0')}`;
    const consentSms = c % 3 === 0 ? 'no' : c % 3 === 1 ? 'yes' : '';
    const type = c % 5 === 0 ? 'business' : c % 5 === 1 ? 'leisure' : '';
    let returnText = shanghai(returned);
    let channel = pick(['app', 'app', 'web', 'phone', 'store']);
    if (roll > 0.99) returnText = '2026-02-30 10:00';
    else if (roll > 0.985) channel = 'fax';
    lines.push(
      `${rental},C${c},客户${c},${email},${phone},${consentSms},${type},${branch},${next() < 0.9 ? branch : ''},${pick(['economy', 'suv', 'suv', 'premium'])},${shanghai(picked)},${returnText},${Math.round(200 + next() * 2000)},${channel}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

beforeAll(async () => {
  t = await createTestApp({ clock, env: { TOKEN_SECRET: 'import-equivalence-secret-0123456789abcdef', IMPORT_DIR: importDir } });
  await seed();
});

/** What an import writes goes; branches, surveys and the customers known before the file are made again. */
async function resetDatabase() {
  await t.sql`truncate import_rejections, import_jobs, invitation_decisions, deliveries, send_attempts, invitations, rentals, customers, bad_addresses, invitation_rules, survey_versions, surveys, branches cascade`;
  await t.sql`delete from pgboss.job where name = 'distribution.send'`;
  await seed();
}

async function seed() {
  await t.sql`insert into branches (code, name, city, region, time_zone) values
    ('SZ01', '深圳宝安机场店', '深圳', '华南', 'Asia/Shanghai'), ('SH01', '上海虹桥机场店', '上海', '华东', 'Asia/Shanghai'),
    ('SH02', '上海浦东机场店', '上海', '华东', 'Asia/Shanghai'), ('HK01', '香港机场店', '香港', '港澳', 'Asia/Tokyo')`;
  const now = clock.now();
  // Fixed survey ids: the sample draw is made from the survey id and the rental's external id.
  let surveys = 0;
  const survey = async (name: string, rules: unknown) => {
    const created = await createSurvey(t.db, { name, kind: 'post_rental', definition: miniPostRental });
    const id = `00000000-0000-4000-8000-${String(++surveys).padStart(12, '0')}`;
    await t.sql`update surveys set id = ${id} where id = ${created.id}`;
    await publishSurvey(t.db, id);
    await saveRules(t.sql, id, invitationRulesSchema.parse(rules), now);
  };
  // South China: a sample, SMS first, quiet hours on both channels, a long fatigue.
  await survey('South', {
    targets: { regions: ['华南'] },
    eligibility: { sampleRatePercent: 70, maxDaysSinceReturn: 30 },
    channelOrder: ['sms', 'email'],
    fatigueDays: 30,
    delayMinutes: 60,
  });
  // Business SUV rentals: invitations switched off.
  await survey('Business SUV', { enabled: false, targets: { customerTypes: ['business'], vehicleClasses: ['suv'] } });
  // Everyone else: phone bookings not eligible, quiet hours for SMS only, a short fatigue.
  await survey('General', {
    eligibility: { bookingChannels: ['app', 'web', 'store'], maxDaysSinceReturn: 20 },
    quietHours: { enabled: true, start: '21:00', end: '08:00', channels: ['sms'] },
    channelOrder: ['email', 'sms'],
    fatigueDays: 7,
    delayMinutes: 0,
  });
  // Known before the file: one invited 3 days ago (fatigue), one opted out, one bad address.
  await t.sql`insert into customers (external_id, email, last_invited_at) values ('C1', 'e1@example.com', ${new Date(now.getTime() - 3 * 86_400_000).toISOString()})`;
  await t.sql`insert into customers (external_id, email, opted_out_at) values ('C2', 'e2@example.com', ${now.toISOString()})`;
  await t.sql`insert into bad_addresses (channel, address, reason, created_at) values ('email', 'e3@example.com', 'bounced', ${now.toISOString()})`;
}

afterAll(() => rmSync(importDir, { recursive: true, force: true }));

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

/** Everything the import stores, keyed by external ids and survey names (ids and tokens are random). */
async function storedOutcome(importId: string) {
  const [job] = await t.sql`
    select status, rows_done, rows_created, rows_updated, rows_unchanged, rows_rejected, invitations_created from import_jobs where id = ${importId}`;
  const rejections = await t.sql`select row_number, fields, reason, external_id from import_rejections where import_id = ${importId} order by row_number`;
  const rentals = await t.sql`
    select r.external_id, c.external_id as customer, pb.code as pickup, rb.code as return, r.vehicle_class, r.picked_up_at, r.returned_at, r.amount::text, r.booking_channel, r.repeat_customer
    from rentals r join customers c on c.id = r.customer_id join branches pb on pb.id = r.pickup_branch_id join branches rb on rb.id = r.return_branch_id
    order by r.external_id`;
  const customers = await t.sql`
    select external_id, name, email, phone, preferred_language, consent_email, consent_sms, customer_type, last_invited_at from customers order by external_id`;
  const decisions = await t.sql`
    select r.external_id, s.name as survey, d.outcome, b.code as branch, d.decided_at
    from invitation_decisions d join rentals r on r.id = d.rental_id join surveys s on s.id = d.survey_id join branches b on b.id = d.branch_id
    order by r.external_id, s.name`;
  const invitations = await t.sql`
    select r.external_id, s.name as survey, c.external_id as customer, b.code as branch, i.channel, i.status, i.scheduled_at, i.expires_at, i.created_at,
      d.step, d.kind, d.channel as delivery_channel, d.status as delivery_status, d.due_at, d.queued_at,
      (select count(*)::int from pgboss.job j where j.name = 'distribution.send' and j.data->>'deliveryId' = d.id::text) as send_jobs
    from invitations i join rentals r on r.id = i.rental_id join surveys s on s.id = i.survey_id join customers c on c.id = i.customer_id
    join branches b on b.id = i.branch_id join deliveries d on d.invitation_id = i.id
    order by r.external_id, s.name, d.step`;
  return {
    job,
    rejections: rejections.map((r) => ({ ...r })),
    rentals: rentals.map((r) => ({ ...r, picked_up_at: iso(r.picked_up_at), returned_at: iso(r.returned_at) })),
    customers: customers.map((c) => ({ ...c, last_invited_at: iso(c.last_invited_at) })),
    decisions: decisions.map((d) => ({ ...d, decided_at: iso(d.decided_at) })),
    invitations: invitations.map((i) => ({
      ...i,
      scheduled_at: iso(i.scheduled_at),
      expires_at: iso(i.expires_at),
      created_at: iso(i.created_at),
      due_at: iso(i.due_at),
      queued_at: iso(i.queued_at),
    })),
  };
}

describe('import equivalence', () => {
  // The whole file in one batch (the expected output was written so), then in batches of 300 on a fresh
  // database: fatigue, duplicates and new / returning flags across batches must come out the same.
  it.each([{ batchSize: undefined }, { batchSize: 300 }])(
    'stores the same rentals, rejected rows, decisions, invitations and deliveries as the per-row path (batch size $batchSize)',
    async ({ batchSize }) => {
      if (batchSize) await resetDatabase();
      const upload = await t.request('/api/imports?fileName=equivalence.csv', {
        method: 'POST',
        body: generatedCsv(),
        headers: { 'content-type': 'text/csv' },
      });
      expect(upload.status).toBe(201);
      const uploaded = (await upload.json()) as { id: string; suggestedMapping: Record<string, number> };
      const start = await t.request(`/api/imports/${uploaded.id}/start`, {
        method: 'POST',
        json: { mapping: uploaded.suggestedMapping, timeZone: 'Asia/Shanghai' },
      });
      expect(start.status).toBe(202);
      await runImport(t.deps, uploaded.id, { refreshSegments: false, batchSize });
      const outcome = JSON.parse(JSON.stringify(await storedOutcome(uploaded.id)));

      if (process.env.UPDATE_IMPORT_FIXTURE === '1' || !existsSync(fixtureFile)) {
        writeFileSync(fixtureFile, `${JSON.stringify(outcome, null, 1)}\n`);
        if (process.env.UPDATE_IMPORT_FIXTURE !== '1') throw new Error(`${fixtureFile} was missing and has been written: check it in`);
      }
      const expected = JSON.parse(readFileSync(fixtureFile, 'utf8'));
      // The file exercises what it is meant to (a fixture of nothing would compare nothing).
      expect(expected.job.rows_rejected).toBeGreaterThan(20);
      expect(new Set(expected.decisions.map((d: { outcome: string }) => d.outcome))).toEqual(
        new Set(['invited', 'not_eligible', 'sampled_out', 'fatigue', 'opted_out', 'no_contact']),
      );
      expect(expected.invitations.some((i: { delivery_status: string }) => i.delivery_status === 'scheduled')).toBe(true);
      expect(expected.invitations.some((i: { delivery_status: string }) => i.delivery_status === 'queued')).toBe(true);
      expect(expected.rentals.some((r: { repeat_customer: boolean }) => r.repeat_customer)).toBe(true);

      expect(outcome.job).toEqual(expected.job);
      expect(outcome.rejections).toEqual(expected.rejections);
      expect(outcome.customers).toEqual(expected.customers);
      expect(outcome.rentals).toEqual(expected.rentals);
      expect(outcome.decisions).toEqual(expected.decisions);
      expect(outcome.invitations).toEqual(expected.invitations);
    },
  );
});
