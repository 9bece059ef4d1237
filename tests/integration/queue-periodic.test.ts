// Periodic work (api/src/queue/periodic.ts) creates its pg-boss queues when it starts. A worker process
// starts the case timers and retention at the same moment, and several processes may start together:
// new queues created concurrently deadlock inside pg-boss's create_queue, and a worker that gave up on
// that exited at start ("worker exited early (1)"). Every start must come up with its queue.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBoss, type PgBoss } from '../../api/src/queue/queue.ts';
import { startPeriodicWork } from '../../api/src/queue/periodic.ts';
import { createTestDatabase } from '../support/test-db.ts';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let boss: PgBoss;

beforeAll(async () => {
  database = await createTestDatabase();
  boss = await startBoss(database.sql, { maintenanceIntervalSeconds: 3600 });
});

afterAll(async () => {
  await boss?.stop({ graceful: false, wait: true });
});

it('creates new queues started at the same time, each once, and runs their work', async () => {
  const names = Array.from({ length: 5 }, (_, round) => [0, 1, 2].map((k) => `periodic.test-${round}-${k}`));
  const ran = new Map<string, number>();
  for (const round of names) {
    const started = await Promise.allSettled(
      round.map((queue) =>
        startPeriodicWork(boss, [{ queue, everySeconds: 3600, run: async () => void ran.set(queue, (ran.get(queue) ?? 0) + 1) }], { pollMs: 50 }),
      ),
    );
    const refused = started.flatMap((s) => (s.status === 'rejected' ? [String((s.reason as Error).message)] : []));
    expect(refused).toEqual([]);
    const deadline = Date.now() + 10_000;
    while (round.some((q) => !ran.has(q)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    for (const s of started) if (s.status === 'fulfilled') await s.value.stop();
  }
  const all = names.flat();
  const queues = await database.sql<{ name: string }[]>`select name from pgboss.queue where name = any(${all}::text[]) order by name`;
  expect(queues.map((q) => q.name)).toEqual([...all].sort());
  // One job per queue and period: each work ran exactly once.
  expect(Object.fromEntries(all.map((q) => [q, ran.get(q)]))).toEqual(Object.fromEntries(all.map((q) => [q, 1])));
});
