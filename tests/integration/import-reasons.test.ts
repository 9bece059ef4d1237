// Why import rows were refused, as reason codes with parameters (the UI says them in Chinese or English);
// the English text stays in `reason` and in the CSV download.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProblems } from '../../api/src/distribution/import.reasons.ts';
import { startDistributionWorker, type DistributionWorker } from '../../api/src/distribution/worker.ts';
import { startBoss, type PgBoss } from '../../api/src/queue/queue.ts';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { miniPostRental } from '../support/fixtures/definitions.ts';
import { createTestApp, testClock } from '../support/test-db.ts';

const clock = testClock('2026-06-01T02:00:00Z');
const importDir = mkdtempSync(path.join(tmpdir(), 'rs-import-reasons-'));
let t: Awaited<ReturnType<typeof createTestApp>>;
let boss: PgBoss;
let worker: DistributionWorker;

beforeAll(async () => {
  t = await createTestApp({ clock, env: { TOKEN_SECRET: 'import-reasons-secret-0123456789abcdef0123', IMPORT_DIR: importDir } });
  const survey = await createSurvey(t.db, { name: 'Post-rental', kind: 'post_rental', definition: miniPostRental });
  await publishSurvey(t.db, survey.id);
  await t.sql`insert into branches (code, name, city, region) values ('SH01', '上海虹桥机场店', '上海', '华东')`;
  boss = await startBoss(t.sql, { maintenanceIntervalSeconds: 60 });
  worker = await startDistributionWorker(t.deps, boss, { autoStart: false });
});

afterAll(async () => {
  await worker?.stop();
  await boss?.stop({ graceful: false, wait: true });
  rmSync(importDir, { recursive: true, force: true });
});

const header = 'rental_id,customer_id,email,language,pickup_branch,return_branch,vehicle_class,picked_up_at,returned_at,amount,booking_channel';
const rows = [
  'R1,C1,a@example.com,,XX99,SH01,SUV,2026-05-01 09:00,2026-05-02 18:00,100,app', // unknown branch (refused when stored)
  'R2,C2,not-an-email,klingon,SH01,SH01,SUV,2026-05-01 09:00,2026-05-02 18:00,100,app', // two faults in one row
  'R3,C3,c@example.com,,SH01,SH01,SUV,2026-05-03 09:00,2026-05-02 18:00,lots,pigeon',
  'R4,C4,d@example.com,,SH01,SH01,SUV,2026-05-01 09:00,2026-05-02 18:00,100,app', // good
];

describe('import rejection reasons', () => {
  it('come as codes with parameters beside the English text', async () => {
    const upload = await t.request('/api/imports?fileName=reasons.csv', {
      method: 'POST',
      body: `${header}\n${rows.join('\n')}\n`,
      headers: { 'content-type': 'text/csv' },
    });
    expect(upload.status).toBe(201);
    const uploaded = (await upload.json()) as any;
    const start = await t.request(`/api/imports/${uploaded.id}/start`, { method: 'POST', json: { mapping: uploaded.suggestedMapping } });
    expect(start.status, await start.clone().text()).toBe(202);
    await worker.runOnce();

    const body = (await (await t.request(`/api/imports/${uploaded.id}/rejections`)).json()) as any;
    const byRow = Object.fromEntries(body.items.map((r: any) => [r.row, r]));
    expect(Object.keys(byRow).map(Number)).toEqual([1, 2, 3]);
    expect(byRow[1].problems).toEqual([{ field: 'pickupBranch', code: 'unknownBranch', params: { code: 'XX99' } }]);
    expect(byRow[1].reason).toBe('pickupBranch: no branch with code "XX99"');
    expect(byRow[2].problems).toEqual([
      { field: 'email', code: 'notEmail', params: {} },
      { field: 'preferredLanguage', code: 'notLanguage', params: { value: 'klingon' } },
    ]);
    expect(byRow[3].problems.map((p: { code: string }) => p.code)).toEqual(['returnedBeforePickup', 'notAmount', 'notChannel']);
    expect(byRow[3].problems[2].params).toEqual({ value: 'pigeon' });

    // The CSV keeps the English sentence.
    const csv = await (await t.request(`/api/imports/${uploaded.id}/rejections?format=csv`)).text();
    expect(csv).toContain('no branch with code ""XX99""');
  });

  it('reads reasons stored as plain text before the codes as one "invalid" problem carrying the text', () => {
    expect(decodeProblems('pickedUpAt: not a date and time: "x"')).toEqual([
      { field: '', code: 'invalid', params: { text: 'pickedUpAt: not a date and time: "x"' } },
    ]);
  });
});
