// Demo rental history for the loyalty ladder, index and customer value (/loyalty): the main demo covers
// only the last 120 days, so every customer would look new. This adds older rentals (4–23 months back) for
// part of the customers, and lapsed customers who stopped renting 6–22 months ago, so that every rung holds
// customers now and 90 days ago, tiers have a year before last to measure retention from, and the value
// tiers are assigned as the periodic segments job would.
import { customers, rentals } from '../db/schema.ts';
import { refreshSegments } from '../distribution/segments.ts';
import { createRandom } from '../lib/random.ts';
import type { Database } from '../db/client.ts';
import { txSql } from '../queue/queue.ts';

type DrizzleTx = Parameters<Parameters<Database['transaction']>[0]>[0];

const DAY_MS = 86_400_000;
const VEHICLE_CLASSES = ['economy', 'compact', 'midsize', 'suv', 'mpv', 'premium'];
const CHANNELS = ['app', 'app', 'web', 'phone', 'store'] as const;
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '磊', '洋', '艳', '勇', '军'];

export async function seedDemoLoyalty(
  tx: DrizzleTx,
  input: { now: Date; customerIds: string[]; frequentIds: string[]; branchIds: string[]; lapsed?: number },
): Promise<{ rentals: number; customers: number }> {
  const random = createRandom(20261202);
  const frequent = new Set(input.frequentIds);
  const rentalRows: (typeof rentals.$inferInsert)[] = [];
  let n = 0;
  const rental = (customerId: string, daysAgo: number, branchId: string) => {
    const days = random.int(1, 6);
    const vehicleClass = random.pick(VEHICLE_CLASSES);
    const pickedUpAt = new Date(input.now.getTime() - daysAgo * DAY_MS - random.int(0, 23) * 3_600_000);
    rentalRows.push({
      externalId: `RH${String(++n).padStart(7, '0')}`,
      customerId,
      pickupBranchId: branchId,
      returnBranchId: branchId,
      vehicleClass,
      pickedUpAt,
      returnedAt: new Date(pickedUpAt.getTime() + days * DAY_MS),
      amount: Math.round(days * (180 + VEHICLE_CLASSES.indexOf(vehicleClass) * 90) * (0.85 + random.next() * 0.3)),
      bookingChannel: random.pick(CHANNELS),
    });
  };
  for (const id of input.customerIds) {
    const home = random.pick(input.branchIds);
    if (frequent.has(id)) {
      // Most frequent renters rented through the two years before: frequent 90 days ago too, and the best retained.
      if (random.chance(0.9))
        for (let k = random.int(4, 8); k > 0; k--) rental(id, random.int(125, 700), random.chance(0.8) ? home : random.pick(input.branchIds));
    } else if (random.chance(0.3)) {
      // Came back after a long break: one rental 13–22 months ago.
      rental(id, random.int(395, 670), home);
    }
  }
  // Customers who stopped renting: 1–2 rentals 6–22 months ago, none since.
  const lapsedRows = Array.from({ length: input.lapsed ?? 260 }, (_, i) => ({
    externalId: `CL${String(i + 1).padStart(5, '0')}`,
    name: random.pick(SURNAMES) + random.pick(GIVEN),
    email: random.chance(0.8) ? `lapsed${i + 1}@example.com` : null,
    phone: `+86 139${String(random.int(0, 99_999_999)).padStart(8, '0')}`,
    preferredLanguage: random.chance(0.15) ? 'en' : 'zh-CN',
    customerType: (random.chance(0.3) ? 'business' : 'leisure') as 'business' | 'leisure',
  }));
  const lapsed = lapsedRows.length ? await tx.insert(customers).values(lapsedRows).returning({ id: customers.id }) : [];
  for (const { id } of lapsed) {
    const home = random.pick(input.branchIds);
    const last = random.int(180, 600);
    for (let k = random.int(1, 2); k > 0; k--) rental(id, last + (k - 1) * random.int(20, 60), home);
  }
  for (let i = 0; i < rentalRows.length; i += 1000) await tx.insert(rentals).values(rentalRows.slice(i, i + 1000));
  // Value tiers, 12-month figures and new/returning flags from the whole history.
  await refreshSegments(txSql(tx), input.now);
  return { rentals: rentalRows.length, customers: lapsed.length };
}
