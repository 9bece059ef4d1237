import { it } from 'vitest';
import { createTestDatabase } from '../support/test-db.ts';
import { seedDemoData } from '../../api/src/demo/seed.ts';
it('debug', async () => {
  const d = await createTestDatabase();
  const t0 = Date.now();
  console.log(await seedDemoData({ db: d.db, sql: d.sql, now: new Date('2026-06-10T04:00:00Z') }));
  console.log('ms', Date.now() - t0);
  console.log(await d.sql`select status, count(*)::int, count(*) filter (where first_response_breached_at is not null or resolution_breached_at is not null)::int as breached, count(follow_up_invitation_id)::int as fu from cases group by status`);
  console.log(await d.sql`select b.code, count(*)::int, count(*) filter (where c.status in ('open','in_progress'))::int as active from cases c join branches b on b.id = c.branch_id group by b.code order by b.code`);
  console.log(await d.sql`select r.name, count(c.id)::int from alert_rules r left join cases c on c.rule_id = r.id group by r.name`);
}, 120000);
