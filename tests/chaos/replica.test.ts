// Analytics on a streaming replica: an app process started with DATABASE_READ_URL reads the dashboard's
// figures from a real replica (tests/support/pg-replica.ts) while the rollups are brought up to date on
// the primary; its figures equal those of an app process reading the primary once the replica has caught
// up. While replay is paused the replica-reading process still shows the figures as of the pause, which
// shows that its reads do go to the replica.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { analyticsDefinition, generateAnalyticsData, insertAnalyticsData, insertResponses, type TestData } from '../support/analytics-data.ts';
import { startPgCluster, type PgCluster } from '../support/pg-cluster.ts';
import { startReplica, type PgReplica } from '../support/pg-replica.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { prepareDatabase, TOKEN_SECRET } from './setup-data.ts';

let cluster: PgCluster;
let replica: PgReplica;
let data: Awaited<ReturnType<typeof prepareDatabase>>;
let primaryApp: ServerProcess;
let replicaApp: ServerProcess;
let surveyId: string;
let versionId: string;
let dataset: TestData;
const generated = generateAnalyticsData(11, 420);
// Responses inserted later, while the replica's replay is paused.
const later = generated.responses.slice(-80);

beforeAll(async () => {
  cluster = await startPgCluster();
  data = await prepareDatabase(cluster, 'replica_test');
  replica = await startReplica(cluster);
  const survey = await createSurvey(data.db, { name: 'Analytics on a replica', kind: 'post_rental', definition: analyticsDefinition });
  const version = await publishSurvey(data.db, survey.id);
  surveyId = survey.id;
  versionId = version.id;
  dataset = await insertAnalyticsData(data.sql, { surveyId, versionId }, { ...generated, responses: generated.responses.slice(0, -80) });
  const env = { DATABASE_URL: data.url, TOKEN_SECRET, WORKERS: 'false' };
  [primaryApp, replicaApp] = await Promise.all([startServerProcess(env), startServerProcess({ ...env, DATABASE_READ_URL: replica.url('replica_test') })]);
});

afterAll(async () => {
  await primaryApp?.stop();
  await replicaApp?.stop();
  await data?.sql.end({ timeout: 1 }).catch(() => {});
  await replica?.destroy();
  await cluster?.destroy();
});

async function figures(app: ServerProcess) {
  const get = async (path: string) => {
    const res = await fetch(`${app.baseUrl}/api/analytics/${path}`, { headers: data.admin });
    const body = await res.text();
    expect(res.status, body).toBe(200);
    return JSON.parse(body) as { total?: { responses?: number } } & Record<string, unknown>;
  };
  return {
    summaryByBranch: await get(`summary?survey=${surveyId}&groupBy=branch&lang=en`),
    drivers: await get(`drivers?survey=${surveyId}&lang=en`),
  };
}

describe('analytics read from a streaming replica', () => {
  it('the replica is a standby that refuses writes', async () => {
    const postgres = (await import('postgres')).default;
    const sql = postgres(replica.url('replica_test'), { max: 1, onnotice: () => {} });
    try {
      const [{ standby }] = await sql<{ standby: boolean }[]>`select pg_is_in_recovery() as standby`;
      expect(standby).toBe(true);
      await expect(sql`insert into analytics_dirty (response_id) values (gen_random_uuid())`).rejects.toThrow(/read-only/);
    } finally {
      await sql.end({ timeout: 1 });
    }
  });

  it('summary by branch and drivers through DATABASE_READ_URL equal the primary’s once the replica caught up', async () => {
    // The primary-reading process first: its request brings the rollups up to date on the primary.
    const fromPrimary = await figures(primaryApp);
    await replica.catchUp();
    const fromReplica = await figures(replicaApp);
    expect(fromPrimary.summaryByBranch.total?.responses).toBeGreaterThan(200);
    expect(fromReplica).toEqual(fromPrimary);

    // Replay paused, more responses on the primary: the replica-reading process still shows the old figures
    // (the rollup refresh its request makes runs on the primary), the primary-reading one the new.
    await replica.pauseReplay();
    await insertResponses(data.sql, { surveyId, versionId }, dataset.branchIds, later);
    const newOnPrimary = await figures(primaryApp);
    const staleOnReplica = await figures(replicaApp);
    expect(newOnPrimary.summaryByBranch.total?.responses).toBeGreaterThan(fromPrimary.summaryByBranch.total!.responses!);
    expect(staleOnReplica).toEqual(fromReplica);

    await replica.resumeReplay();
    await replica.catchUp();
    expect(await figures(replicaApp)).toEqual(newOnPrimary);
  });
});
