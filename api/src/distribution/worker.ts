// The distribution worker: the consumers of the send, dead-letter and import queues, and the timers
// that queue due deliveries, expire invitations and refresh customer segments.
import { log } from '../lib/logger.ts';
import type { AppDeps } from '../lib/types.ts';
import { consume, type Consumer, type PgBoss } from '../queue/queue.ts';
import { resumeStaleImports, runImport } from './import.runner.ts';
import { DEAD_QUEUE, IMPORT_QUEUE, SEND_QUEUE, type ImportJob, type SendJob } from './queues.ts';
import { dispatchDue, expireInvitations } from './scheduler.ts';
import { refreshSegmentsIfStale } from './segments.ts';
import { createSenderContext, markDead, processDelivery, type SenderContext } from './sender.ts';
import { closeTransports, createTransports, type Transports } from './transports.ts';
import { onSenderWake } from './worker-signal.ts';

export interface DistributionWorkerOptions {
  /** false: no consumers or timers run by themselves; call tick() / runOnce() (tests). */
  autoStart?: boolean;
  transports?: Transports;
  afterHandOver?: SenderContext['afterHandOver'];
  dispatchEveryMs?: number;
  expireEveryMs?: number;
  segmentsEveryMs?: number;
  importSweepEveryMs?: number;
}

export interface DistributionWorker {
  readonly sender: SenderContext;
  /** Queues due deliveries and expires invitations, by the application clock. */
  tick(): Promise<{ queued: number; expired: number }>;
  /** tick(), then every send / dead-letter / import job that is due now, until none is left. */
  runOnce(): Promise<{ queued: number; expired: number; handled: number }>;
  refreshSegments(): Promise<boolean>;
  stop(): Promise<void>;
}

/** Applies the retry settings of the environment to the send queue (jobs take them when inserted). */
export async function configureQueues(boss: PgBoss, deps: AppDeps) {
  const env = deps.env;
  await boss.updateQueue(SEND_QUEUE, {
    name: SEND_QUEUE,
    policy: 'standard',
    retryLimit: env.SEND_RETRY_LIMIT,
    retryDelay: env.SEND_RETRY_DELAY_SECONDS,
    retryBackoff: true,
    expireInSeconds: env.SEND_JOB_EXPIRE_SECONDS,
    deadLetter: DEAD_QUEUE,
  } as PgBoss.Queue);
}

export async function startDistributionWorker(deps: AppDeps, boss: PgBoss, options: DistributionWorkerOptions = {}): Promise<DistributionWorker> {
  const autoStart = options.autoStart ?? true;
  await configureQueues(boss, deps);
  const transports = options.transports ?? createTransports(deps.env);
  const sender = createSenderContext(deps, transports);
  sender.afterHandOver = options.afterHandOver;
  const pollMs = deps.env.QUEUE_POLL_MS;
  const concurrency = deps.env.SEND_CONCURRENCY;

  const consumers: Consumer[] = [
    // Large fetches, the next one made before the lanes run dry: each fetch and completion of a group of jobs
    // costs round trips. Twice as many lanes as hand-overs (sender.handOvers holds those to SEND_CONCURRENCY):
    // while some lanes wait for the provider, the others take up, render and mark their deliveries.
    consume<SendJob>(
      boss,
      SEND_QUEUE,
      { batchSize: concurrency * 16, concurrency: concurrency * 2, pollMs, prefetch: true },
      (job) => processDelivery(sender, job.data.deliveryId),
      { autoStart },
    ),
    consume<SendJob>(
      boss,
      DEAD_QUEUE,
      { batchSize: 20, concurrency: 1, pollMs: Math.max(pollMs, 2000) },
      (job) => markDead(deps, job.data.deliveryId, (job.output as { message?: string } | null)?.message ?? null),
      { autoStart },
    ),
    consume<ImportJob>(boss, IMPORT_QUEUE, { batchSize: 1, concurrency: 1, pollMs: Math.max(pollMs, 1000) }, (job) => runImport(deps, job.data.importId), {
      autoStart,
    }),
  ];
  const [sendConsumer] = consumers;

  async function tick() {
    const queued = await dispatchDue(deps);
    if (queued > 0) sendConsumer.notify();
    const expired = await expireInvitations(deps);
    return { queued, expired };
  }

  const timers: NodeJS.Timeout[] = [];
  const busy = new Set<string>();
  const every = (name: string, ms: number, run: () => Promise<unknown>) => {
    const timer = setInterval(() => {
      if (busy.has(name)) return;
      busy.add(name);
      run()
        .catch((error) => log.warn(`distribution ${name}: ${error instanceof Error ? error.message : error}`))
        .finally(() => busy.delete(name));
    }, ms);
    timer.unref?.();
    timers.push(timer);
  };
  if (autoStart) {
    onSenderWake(() => sendConsumer.notify());
    every('dispatch', options.dispatchEveryMs ?? 1000, async () => {
      if ((await dispatchDue(deps)) > 0) sendConsumer.notify();
    });
    every('expiry', options.expireEveryMs ?? 60_000, () => expireInvitations(deps));
    every('segments', options.segmentsEveryMs ?? 300_000, () => refreshSegmentsIfStale(deps));
    // Imports interrupted by a crash (their runner's heartbeat went stale) continue from their last batch.
    every('imports', options.importSweepEveryMs ?? 5_000, () => resumeStaleImports(deps));
    resumeStaleImports(deps).catch((error) => log.warn(`distribution imports: ${error instanceof Error ? error.message : error}`));
    // Segments at start too (e.g. after the demo data), without holding up the start.
    refreshSegmentsIfStale(deps).catch((error) => log.warn(`distribution segments: ${error instanceof Error ? error.message : error}`));
  }

  return {
    sender,
    tick,
    async runOnce() {
      const t = await tick();
      let handled = 0;
      for (;;) {
        let n = 0;
        for (const c of consumers) n += await c.drain();
        // Sends may have scheduled nothing new for now; a second pass catches jobs queued meanwhile.
        handled += n;
        if (n === 0) break;
      }
      return { ...t, handled };
    },
    refreshSegments: () => refreshSegmentsIfStale(deps),
    async stop() {
      for (const t of timers) clearInterval(t);
      if (autoStart) onSenderWake(null);
      await Promise.all(consumers.map((c) => c.stop()));
      if (!options.transports) await closeTransports(transports);
    },
  };
}
