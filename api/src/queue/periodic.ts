// Work that runs once per period however many processes run the workers. Each process offers a job for the
// current period to the work's own queue; pg-boss keeps at most one job per queue and period (its
// `singletonSeconds` slot, computed from the database clock, and a unique index), and whichever worker
// fetches it does the work. A setInterval in every process would do it once per process instead.
// The jobs stay in pgboss.job (later pgboss.archive): one row per period that ran.
import { log } from '../lib/logger.ts';
import { consume, type Consumer, type PgBoss } from './queue.ts';

export interface PeriodicWork {
  /** Queue name, e.g. `periodic.access-retention`. */
  queue: string;
  everySeconds: number;
  run: () => Promise<unknown>;
  /** A run taking longer than this is taken as crashed and run again (default: the period, at least 5 min). */
  expireSeconds?: number;
}

export interface PeriodicRunner {
  stop(): Promise<void>;
}

// Offers are cheap (one INSERT that usually conflicts); several per period so a new period is taken up
// within seconds, and a process that died is replaced by the others.
const offerEveryMs = (everySeconds: number) => Math.min(everySeconds * 1000, 30_000) / 2;

const DEADLOCK = '40P01';

/**
 * pg-boss's create_queue adds a partition with a foreign key to pgboss.queue: two new queues created at the
 * same time (the case timers and retention at a worker's start, or two processes starting together)
 * deadlock, and PostgreSQL cancels one of them. It is idempotent, so the cancelled one is tried again.
 */
async function createQueue(boss: PgBoss, queue: PgBoss.Queue): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await boss.createQueue(queue.name, queue);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== DEADLOCK || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 50));
    }
  }
}

/**
 * Creates the queues (idempotent, also when processes start together), offers each period's job and
 * consumes them. Queues of periodic work are created here rather than in a migration: nothing inserts
 * into them inside an application transaction.
 */
export async function startPeriodicWork(boss: PgBoss, works: PeriodicWork[], options: { pollMs: number }): Promise<PeriodicRunner> {
  const timers: NodeJS.Timeout[] = [];
  const consumers: Consumer[] = [];
  for (const work of works) {
    await createQueue(boss, {
      name: work.queue,
      policy: 'standard',
      retryLimit: 2,
      retryDelay: 5,
      expireInSeconds: work.expireSeconds ?? Math.max(work.everySeconds, 300),
    } as PgBoss.Queue);
    const offer = () =>
      boss
        .send(work.queue, {}, { singletonKey: work.queue, singletonSeconds: work.everySeconds })
        .then((id) => (id ? consumer.notify() : undefined))
        .catch((error) => log.warn(`${work.queue}: ${error instanceof Error ? error.message : error}`));
    const consumer = consume(boss, work.queue, { batchSize: 1, concurrency: 1, pollMs: Math.min(options.pollMs, work.everySeconds * 1000) }, () =>
      work.run().then(() => undefined),
    );
    consumers.push(consumer);
    void offer();
    const timer = setInterval(offer, offerEveryMs(work.everySeconds));
    timer.unref?.();
    timers.push(timer);
  }
  return {
    async stop() {
      for (const t of timers) clearInterval(t);
      await Promise.all(consumers.map((c) => c.stop()));
    },
  };
}
