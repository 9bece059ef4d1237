// A test app on the seeded demo data (the demo tests check that it shows believable numbers): one database,
// the demo seed at a fixed moment, and the post-rental survey most of its pages are about.
import { seedDemoData } from '../../api/src/demo/seed.ts';
import { createTestApp, testClock } from './test-db.ts';

/** When the demo tests seed: a Monday noon in Shanghai. */
export const DEMO_NOW = new Date('2026-11-23T04:00:00Z');

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/** A test app whose clock stands at `now` (DEMO_NOW unless given), with the default demo data seeded. */
export async function createDemoTestApp(now: Date = DEMO_NOW): Promise<TestApp> {
  const t = await createTestApp({ clock: testClock(now) });
  await seedDemoData({ db: t.db, sql: t.sql, now: t.clock.now() });
  return t;
}

/** The demo's post-rental survey (the first one created). */
export async function demoPostRentalSurvey(t: TestApp): Promise<string> {
  const [row] = await t.sql<{ id: string }[]>`select id from surveys where kind = 'post_rental' order by created_at limit 1`;
  return row.id;
}
