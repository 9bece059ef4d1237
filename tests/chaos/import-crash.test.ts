// The server killed with SIGKILL in the middle of a CSV import, then started again: the import continues
// from its last committed batch by itself within a minute (before the fix it stayed `running` until its
// queue job expired, 4 hours later), and every row is counted and stored exactly once.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPgCluster, type PgCluster } from '../support/pg-cluster.ts';
import { testsRoot } from '../support/postgres.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { recordScenario } from './report.ts';
import { prepareDatabase, reportRentals, TOKEN_SECRET } from './setup-data.ts';

const ROWS = 30_000;
const importDir = path.join(testsRoot, '.tmp', `chaos-imports-${process.pid}`);

let cluster: PgCluster;
let data: Awaited<ReturnType<typeof prepareDatabase>>;
const servers: ServerProcess[] = [];

const serverEnv = () => ({ DATABASE_URL: data.url, TOKEN_SECRET, IMPORT_DIR: importDir, QUEUE_POLL_MS: '200' });

beforeAll(async () => {
  await mkdir(importDir, { recursive: true });
  cluster = await startPgCluster();
  data = await prepareDatabase(cluster);
});

afterAll(async () => {
  for (const s of servers) await s.stop();
  await data?.sql.end({ timeout: 1 }).catch(() => {});
  await cluster?.destroy();
  await rm(importDir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function csvFile(): string {
  const returned = new Date(Date.now() - 86_400_000);
  const picked = new Date(returned.getTime() - 2 * 86_400_000);
  const lines = ['rental_id,customer_id,name,email,pickup_branch,vehicle_class,pickup_time,return_time,amount,booking_channel'];
  for (let i = 1; i <= ROWS; i++) {
    lines.push(`IMP-${i},CI-${i},客户${i},ci${i}@example.com,SH01,suv,${picked.toISOString()},${returned.toISOString()},${100 + (i % 900)},app`);
  }
  return `${lines.join('\n')}\n`;
}

describe('kill -9 during a CSV import', () => {
  it('resumes at the next start from the last committed batch, with exact counts', async () => {
    const first = await startServerProcess(serverEnv());
    servers.push(first);
    await reportRentals(first.baseUrl, data.apiKey, 1, 900_000); // the branch SH01
    const headers = { ...data.admin };
    const upload = await fetch(`${first.baseUrl}/api/imports?fileName=rentals.csv`, {
      method: 'POST',
      body: csvFile(),
      headers: { ...headers, 'content-type': 'text/csv' },
    });
    expect(upload.status, await upload.clone().text()).toBe(201);
    const uploaded = (await upload.json()) as { id: string; suggestedMapping: Record<string, number> };
    const start = await fetch(`${first.baseUrl}/api/imports/${uploaded.id}/start`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ mapping: uploaded.suggestedMapping }),
    });
    expect(start.status, await start.clone().text()).toBe(202);

    const progress = async () => {
      const [row] = await data.sql<
        {
          status: string;
          rows_done: number;
          rows_created: number;
          rows_updated: number;
          rows_unchanged: number;
          rows_rejected: number;
          invitations_created: number;
        }[]
      >`
        select status, rows_done, rows_created, rows_updated, rows_unchanged, rows_rejected, invitations_created from import_jobs where id = ${uploaded.id}`;
      return row;
    };
    // Killed once some batches are committed and many rows are still to come.
    for (let waited = 0; (await progress()).rows_done < 4_000; waited += 50) {
      if (waited > 60_000) throw new Error(`the import did not progress: ${JSON.stringify(await progress())}`);
      await sleep(50);
    }
    await first.kill9();
    const atKill = await progress();
    expect(atKill.status).toBe('running');
    expect(atKill.rows_done).toBeLessThan(ROWS);

    const second = await startServerProcess(serverEnv());
    servers.push(second);
    const restartedAt = Date.now();
    let resumedAt: number | null = null;
    let done = await progress();
    while (done.status !== 'done' && Date.now() - restartedAt < 90_000) {
      if (resumedAt === null && done.rows_done > atKill.rows_done) resumedAt = Date.now();
      await sleep(250);
      done = await progress();
    }
    resumedAt ??= Date.now();
    expect(done.status).toBe('done');
    // It continued where it stopped, within a minute of the start.
    expect(resumedAt - restartedAt).toBeLessThan(60_000);

    const [{ rentals }] = await data.sql<{ rentals: number }[]>`select count(*)::int as rentals from rentals where external_id like 'IMP-%'`;
    const [{ invitations, distinct }] = await data.sql<{ invitations: number; distinct: number }[]>`
      select count(*)::int as invitations, count(distinct i.rental_id)::int as distinct
      from invitations i join rentals r on r.id = i.rental_id where r.external_id like 'IMP-%'`;
    const counted = done.rows_created + done.rows_updated + done.rows_unchanged + done.rows_rejected;
    recordScenario({
      scenario: 'kill -9 during a CSV import',
      acknowledged: ROWS,
      stored: rentals,
      lost: ROWS - rentals,
      doubled: counted - ROWS + (invitations - distinct),
      notes: `killed at row ${atKill.rows_done}, resumed ${Math.round((resumedAt - restartedAt) / 1000)} s after the restart`,
    });
    expect(done.rows_done).toBe(ROWS);
    expect(rentals).toBe(ROWS);
    expect(done.rows_created).toBe(ROWS);
    expect(counted).toBe(ROWS);
    expect(invitations).toBe(distinct);
    expect(done.invitations_created).toBe(invitations);
  });
});
