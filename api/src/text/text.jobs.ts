// The text back-fill as periodic work: every half minute one worker process analyses whatever waits in
// text_analysis_pending (comments loaded around the submit path, erasures, a lexicon edit's re-analysis),
// so reads of the topic figures only read.
import type { AppDeps } from '../lib/types.ts';
import { log } from '../lib/logger.ts';
import { startPeriodicWork } from '../queue/periodic.ts';
import type { PgBoss } from '../queue/queue.ts';
import { analysePendingComments } from './text.queries.ts';

export const TEXT_BACKFILL_QUEUE = 'periodic.text-backfill';
const TEXT_BACKFILL_SECONDS = 30;

export async function startTextJobs(deps: AppDeps, boss: PgBoss, options: { pollMs?: number } = {}): Promise<() => Promise<void>> {
  const runner = await startPeriodicWork(
    boss,
    [
      {
        queue: TEXT_BACKFILL_QUEUE,
        everySeconds: TEXT_BACKFILL_SECONDS,
        // A million comments take minutes; a run that outlives this is taken as crashed and run again.
        expireSeconds: 3600,
        run: async () => {
          const analysed = await analysePendingComments(deps.sql);
          if (analysed > 0) log.info(`text back-fill: ${analysed} responses analysed`);
        },
      },
    ],
    { pollMs: options.pollMs ?? deps.env.QUEUE_POLL_MS },
  );
  return () => runner.stop();
}
