// The sending side of a test app: a published post-rental survey (the mini definition), pg-boss in the test
// database and the distribution worker, run by the test one step at a time (worker.runOnce()).
import { startDistributionWorker, type DistributionWorker } from '../../api/src/distribution/worker.ts';
import { startBoss, type PgBoss } from '../../api/src/queue/queue.ts';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { miniPostRental } from './fixtures/definitions.ts';
import type { createTestApp } from './test-db.ts';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/** Publishes the mini post-rental survey and starts pg-boss and the distribution worker (not polling). */
export async function startTestDistribution(t: TestApp): Promise<{ surveyId: string; boss: PgBoss; worker: DistributionWorker }> {
  const survey = await createSurvey(t.db, { name: 'Post-rental', kind: 'post_rental', definition: miniPostRental });
  await publishSurvey(t.db, survey.id);
  const boss = await startBoss(t.sql, { maintenanceIntervalSeconds: 1 });
  const worker = await startDistributionWorker(t.deps, boss, { autoStart: false });
  return { surveyId: survey.id, boss, worker };
}

/** Stops what startTestDistribution started (either may be missing when the setup failed). */
export async function stopTestDistribution(worker: DistributionWorker | undefined, boss: PgBoss | undefined) {
  await worker?.stop();
  await boss?.stop({ graceful: false, wait: true });
}
