// An import whose runner died (its heartbeat stopped) is queued again and finished from its last committed
// batch; one whose runner is alive is left to it, and a runner whose lease was taken over stores nothing.
// (The whole path with a server killed by SIGKILL: tests/chaos/import-crash.test.ts.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMPORT_BATCH, IMPORT_STALE_MS, resumeStaleImports, runImport } from '../../api/src/distribution/import.runner.ts';
import { startBoss, type PgBoss } from '../../api/src/queue/queue.ts';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { miniPostRental } from '../support/fixtures/definitions.ts';
import { createTestApp, testClock } from '../support/test-db.ts';

const clock = testClock('2026-06-01T02:00:00Z');
const importDir = mkdtempSync(path.join(tmpdir(), 'rs-import-resume-'));
const ROWS = IMPORT_BATCH * 2 + 500;
let t: Awaited<ReturnType<typeof createTestApp>>;
let boss: PgBoss;

beforeAll(async () => {
  t = await createTestApp({ clock, env: { TOKEN_SECRET: 'import-resume-secret-0123456789abcdef0123', IMPORT_DIR: importDir } });
  const survey = await createSurvey(t.db, { name: 'Post-rental', kind: 'post_rental', definition: miniPostRental });
  await publishSurvey(t.db, survey.id);
  await t.sql`insert into branches (code, name, city, region) values ('SH01', '上海虹桥机场店', '上海', '华东')`;
  boss = await startBoss(t.sql, { maintenanceIntervalSeconds: 60 });
});

afterAll(async () => {
  await boss?.stop({ graceful: false, wait: true });
  rmSync(importDir, { recursive: true, force: true });
});

function csv(prefix: string, rows = ROWS) {
  const lines = ['rental_id,customer_id,email,pickup_branch,vehicle_class,pickup_time,return_time,booking_channel'];
  for (let i = 1; i <= rows; i++)
    lines.push(`${prefix}-${i},${prefix}-C${i},${prefix.toLowerCase()}${i}@example.com,SH01,suv,2026-05-28 09:00,2026-05-31 18:00,app`);
  return `${lines.join('\n')}\n`;
}

async function startedImport(prefix: string, rows = ROWS): Promise<string> {
  const upload = await t.request(`/api/imports?fileName=${prefix}.csv`, { method: 'POST', body: csv(prefix, rows), headers: { 'content-type': 'text/csv' } });
  expect(upload.status).toBe(201);
  const uploaded = (await upload.json()) as { id: string; suggestedMapping: Record<string, number> };
  const start = await t.request(`/api/imports/${uploaded.id}/start`, { method: 'POST', json: { mapping: uploaded.suggestedMapping } });
  expect(start.status).toBe(202);
  return uploaded.id;
}

const state = async (id: string) => {
  const [row] = await t.sql<{ status: string; rows_done: number; rows_created: number; runner_id: string | null }[]>`
    select status, rows_done, rows_created, runner_id from import_jobs where id = ${id}`;
  return row;
};

describe('interrupted imports', () => {
  it('resumes an import whose runner stopped beating, from its last batch, with exact counts', async () => {
    // The first batch of the file, as a runner commits it before it dies (kill -9) with the rest to go.
    const head = await startedImport('RS', IMPORT_BATCH);
    await runImport(t.deps, head, { refreshSegments: false });
    expect(await state(head)).toMatchObject({ status: 'done', rows_created: IMPORT_BATCH });
    const id = await startedImport('RS');
    await t.sql`delete from pgboss.job where name = 'distribution.import'`; // its queue job stays active in the dead process
    const deadRunner = crypto.randomUUID();
    await t.sql`update import_jobs set status = 'running', runner_id = ${deadRunner}, heartbeat_at = now(),
      rows_done = ${IMPORT_BATCH}, rows_created = ${IMPORT_BATCH} where id = ${id}`;
    // Nothing stale yet: a runner that beat a moment ago is alive as far as anyone can tell.
    expect(await resumeStaleImports(t.deps)).toBe(0);
    await t.sql`update import_jobs set heartbeat_at = now() - make_interval(secs => ${IMPORT_STALE_MS / 1000 + 5}) where id = ${id}`;
    expect(await resumeStaleImports(t.deps)).toBe(1);
    expect((await state(id)).status).toBe('queued');
    // Once only: the sweep does not queue it twice.
    expect(await resumeStaleImports(t.deps)).toBe(0);
    const [{ jobs }] = await t.sql<
      { jobs: number }[]
    >`select count(*)::int as jobs from pgboss.job where name = 'distribution.import' and data->>'importId' = ${id}`;
    expect(jobs).toBe(1);

    // What the import queue's consumer does with that job (worker.runOnce would also send every invitation).
    const [job] = await boss.fetch<{ importId: string }>('distribution.import');
    expect(job.data.importId).toBe(id);
    await runImport(t.deps, job.data.importId, { refreshSegments: false });
    await boss.complete('distribution.import', job.id);
    const done = await state(id);
    // Continued after the first batch: had it started over, those rows would count again (as unchanged).
    const [{ unchanged }] = await t.sql<{ unchanged: number }[]>`select rows_unchanged as unchanged from import_jobs where id = ${id}`;
    expect(unchanged).toBe(0);
    expect(done).toMatchObject({ status: 'done', rows_done: ROWS, rows_created: ROWS, runner_id: null });
    const [{ rentals }] = await t.sql<{ rentals: number }[]>`select count(*)::int as rentals from rentals where external_id like 'RS-%'`;
    expect(rentals).toBe(ROWS);
  });

  it('leaves an import to its live runner, and a runner whose lease was taken over stores nothing', async () => {
    const id = await startedImport('LV');
    const liveRunner = crypto.randomUUID();
    await t.sql`update import_jobs set status = 'running', runner_id = ${liveRunner}, heartbeat_at = now() where id = ${id}`;
    // A second queue job for it (a duplicate) finds it taken: nothing is imported twice.
    await runImport(t.deps, id, { refreshSegments: false });
    expect(await state(id)).toMatchObject({ status: 'running', rows_done: 0, rows_created: 0, runner_id: liveRunner });
    const [{ rentals }] = await t.sql<{ rentals: number }[]>`select count(*)::int as rentals from rentals where external_id like 'LV-%'`;
    expect(rentals).toBe(0);
  });
});
