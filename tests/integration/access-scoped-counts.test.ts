// Branch managers see only their own totals. On the demo data (eleven branches), every GET route a branch
// manager may call is walked: each number they get must equal the same call made by an administrator
// filtered to their branches, or a direct SQL count over their branches. A new GET route a branch manager
// can call fails here until it is given a check (or listed as carrying no branch figures). The same walk
// runs again as a regional manager of 华东, whose branches are every branch of that region.
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROLE_PERMISSIONS } from '../../api/src/access/permissions.ts';
import { seedDemoData } from '../../api/src/demo/seed.ts';
import { createTestApp, type Credentials } from '../support/test-db.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
// Who is walking: first a branch manager, then a regional manager (set by each describe's beforeAll).
let manager: Credentials;
let MY_BRANCHES = ['SH01', 'SH02'];
let myBranchIds: string[];
/** The region the walker manages; null for the branch manager. */
let myRegion: string | null = null;
const ROLLUP_QUERY = () => `survey=${surveyId}&from=2026-03-01&to=2026-05-31`;
let surveyId: string;
let ruleIds: string[];
let bmRoutes: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  const seeded = await seedDemoData(
    { db: t.db, sql: t.sql, now: t.clock.now() },
    { customers: 500, rentals: 1100, days: 90, inviteRate: 0.6, finishRate: 0.35 },
  );
  expect(seeded).not.toBeNull();
  manager = await t.signIn('branch_manager', { branches: MY_BRANCHES });
  myBranchIds = (await t.sql<{ id: string }[]>`select id from branches where code = any(${MY_BRANCHES}::text[]) order by code`).map((b) => b.id);
  [{ id: surveyId }] = await t.sql`select id from surveys where kind = 'post_rental' order by created_at limit 1`;
  ruleIds = (await t.sql<{ id: string }[]>`select id from alert_rules order by name`).map((r) => r.id);
  expect(ruleIds.length).toBeGreaterThan(0);
  const doc = await (await t.request('/api/openapi.json', { as: 'anonymous' })).json();
  const allowed = new Set<string>(ROLE_PERMISSIONS.branch_manager);
  for (const [path, item] of Object.entries<Record<string, Record<string, unknown>>>(doc.paths)) {
    const op = item.get;
    if (op && allowed.has(op['x-permission'] as string)) bmRoutes.push(path);
  }
});

async function get(path: string, as?: Credentials) {
  const res = await t.request(path, as ? { as } : {});
  expect(res.status, `${path}: ${res.status}`).toBe(200);
  return res.json();
}

/** Every number in a JSON value, by its path; the same paths must hold the same numbers. */
function numbers(value: unknown, path = '', out: Record<string, number> = {}): Record<string, number> {
  if (typeof value === 'number') out[path] = value;
  else if (Array.isArray(value)) value.forEach((v, i) => numbers(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) numbers(v, path ? `${path}.${k}` : k, out);
  return out;
}

async function sqlCount(query: Promise<{ n: number }[]>) {
  return (await query)[0].n;
}
const finishedInScope = (where: { survey?: string; version?: string }) =>
  sqlCount(t.sql`select count(*)::int as n from responses r
    where r.status = 'finished' and r.branch_id = any(${myBranchIds}::uuid[])
      and (${where.survey ?? null}::uuid is null or r.survey_id = ${where.survey ?? null})
      and (${where.version ?? null}::uuid is null or r.survey_version_id = ${where.version ?? null})`);
const invitedInScope = (version: string) =>
  sqlCount(t.sql`select count(*)::int as n from invitations i where i.survey_version_id = ${version} and i.branch_id = any(${myBranchIds}::uuid[])`);

/** The checks, by route. Routes with nothing branch-related to count are listed with `null`. */
const checks: Record<string, (() => Promise<void>) | null> = {
  '/api/surveys': async () => {
    const list = await get('/api/surveys', manager);
    expect(list.length).toBeGreaterThan(0);
    for (const s of list) expect(s.responses, s.name).toBe(await finishedInScope({ survey: s.id }));
    const company = await get('/api/surveys');
    // The data set makes the difference visible: the company has more than these two branches.
    expect(company.find((s: { id: string }) => s.id === surveyId).responses).toBeGreaterThan(list.find((s: { id: string }) => s.id === surveyId).responses);
  },
  '/api/surveys/{id}': async () => {
    const detail = await get(`/api/surveys/${surveyId}`, manager);
    expect(detail.responses).toBe(await finishedInScope({ survey: surveyId }));
    await checkVersions(detail.versions);
  },
  '/api/surveys/{id}/versions': async () => {
    await checkVersions(await get(`/api/surveys/${surveyId}/versions`, manager));
  },
  '/api/surveys/{id}/versions/{version}': async () => {
    const versions = await t.sql<{ id: string; version: number }[]>`select id, version from survey_versions where survey_id = ${surveyId}`;
    for (const v of versions) {
      const got = await get(`/api/surveys/${surveyId}/versions/${v.version}`, manager);
      expect(got.responses).toBe(await finishedInScope({ version: v.id }));
      expect(got.invitations).toBe(await invitedInScope(v.id));
    }
  },
  '/api/alert-rules': async () => {
    const rules = await get('/api/alert-rules', manager);
    expect(rules.length).toBe(ruleIds.length);
    for (const r of rules) expect(r.cases, r.name).toBe(await casesInScope(r.id));
  },
  '/api/alert-rules/{id}': async () => {
    for (const id of ruleIds) expect((await get(`/api/alert-rules/${id}`, manager)).cases).toBe(await casesInScope(id));
  },
  '/api/alert-rules/{id}/preview': async () => {
    const days = 90;
    for (const id of ruleIds) {
      const [{ survey_id: ruleSurvey }] = await t.sql`select survey_id from alert_rules where id = ${id}`;
      const mine = await get(`/api/alert-rules/${id}/preview?days=${days}`, manager);
      const from = new Date(t.clock.now().getTime() - days * 86_400_000).toISOString();
      expect(mine.responses).toBe(
        await sqlCount(t.sql`select count(*)::int as n from responses where survey_id = ${ruleSurvey} and status = 'finished'
          and finished_at >= ${from} and finished_at < ${t.clock.now().toISOString()} and branch_id = any(${myBranchIds}::uuid[])`),
      );
      // Matching responses add up: one manager per branch together see what the whole company sees.
      let sum = 0;
      for (const code of MY_BRANCHES) sum += (await get(`/api/alert-rules/${id}/preview?days=${days}`, await managerOf(code))).matching;
      expect(mine.matching).toBe(sum);
      const company = await get(`/api/alert-rules/${id}/preview?days=${days}`);
      let all = 0;
      for (const code of await allBranchCodes()) all += (await get(`/api/alert-rules/${id}/preview?days=${days}`, await managerOf(code))).matching;
      expect(all).toBe(company.matching);
    }
  },
  '/api/regions/{code}/rollup': async () => {
    const q = ROLLUP_QUERY();
    // A branch manager's branches are not a region: the roll-up is refused rather than mislabelled.
    if (!myRegion) return expect((await t.request(`/api/regions/${encodeURIComponent('华东')}/rollup?${q}`, { as: manager })).status).toBe(404);
    const region = encodeURIComponent(myRegion);
    const got = await get(`/api/regions/${region}/rollup?${q}`, manager);
    expect(got.branches.groups.map((g: { key: string }) => g.key).sort()).toEqual([...MY_BRANCHES].sort());
    expect(numbers(got.branches)).toEqual(numbers(await get(`/api/analytics/summary?${q}&groupBy=branch&region=${region}`)));
    expect(numbers(got.regionTotal)).toEqual(numbers(await get(`/api/analytics/summary?${q}&region=${region}`)));
    // The benchmark is the whole company, not the caller's scope.
    expect(numbers(got.company)).toEqual(numbers(await get(`/api/analytics/summary?${q}`)));
    expect(got.company.total.nps.n).toBeGreaterThan(got.regionTotal.total.nps.n);
  },
  '/api/cases/metrics': async () => {
    const q = 'from=2026-01-01&to=2026-06-01';
    const mine = await get(`/api/cases/metrics?${q}`, manager);
    const filtered = await get(`/api/cases/metrics?${q}&${myBranchIds.map((id) => `branch=${id}`).join('&')}`);
    expect(numbers(mine)).toEqual(numbers(filtered));
  },
  '/api/cases': async () => {
    const mine = await get('/api/cases?limit=200', manager);
    const filtered = await get(`/api/cases?limit=200&${myBranchIds.map((id) => `branch=${id}`).join('&')}`);
    expect(numbers(mine)).toEqual(numbers(filtered));
  },
  '/api/responses': async () => {
    const q = `survey=${surveyId}&limit=200`;
    const mine = await get(`/api/responses?${q}`, manager);
    const filtered = await get(`/api/responses?${q}&${MY_BRANCHES.map((c) => `branch=${c}`).join('&')}`);
    expect(numbers(mine)).toEqual(numbers(filtered));
  },
  '/api/responses/export.csv': async () => {
    const q = `survey=${surveyId}`;
    const lines = async (path: string, as?: Credentials) => {
      const res = await t.request(path, as ? { as } : {});
      expect(res.status, path).toBe(200);
      return Papa.parse((await res.text()).replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy' }).data.length;
    };
    const mine = await lines(`/api/responses/export.csv?${q}`, manager);
    expect(mine).toBe(await lines(`/api/responses/export.csv?${q}&${MY_BRANCHES.map((c) => `branch=${c}`).join('&')}`));
    expect(mine).toBeGreaterThan(1);
    expect(mine).toBeLessThan(await lines(`/api/responses/export.csv?${q}`));
  },
  '/api/text/topics': async () => {
    const q = `survey=${surveyId}&from=2026-03-01&to=2026-05-31`;
    const mine = await get(`/api/text/topics?${q}`, manager);
    expect(numbers(mine)).toEqual(numbers(await get(`/api/text/topics?${q}&${MY_BRANCHES.map((c) => `branch=${c}`).join('&')}`)));
    expect(mine.comments).toBeLessThan((await get(`/api/text/topics?${q}`)).comments);
  },
  // The filter lists offer their branches, the regions of those and the vehicle classes rented there only.
  '/api/analytics/filter-options': async () => {
    const mine = await get(`/api/analytics/filter-options?survey=${surveyId}`, manager);
    expect(mine.branches.map((b: { key: string }) => b.key)).toEqual(MY_BRANCHES);
    const regions = await t.sql<{ code: string }[]>`select distinct g.code from regions g join branches b on b.region_id = g.id
      where b.id = any(${myBranchIds}::uuid[]) order by g.code`;
    expect(mine.regions.map((r: { key: string }) => r.key)).toEqual(regions.map((r) => r.code));
    const classes = await t.sql<{ vehicle_class: string }[]>`select distinct vehicle_class from rentals
      where return_branch_id = any(${myBranchIds}::uuid[]) order by vehicle_class`;
    expect(mine.vehicleClasses).toEqual(classes.map((c) => c.vehicle_class));
    expect((await get(`/api/analytics/filter-options?survey=${surveyId}`)).branches.length).toBeGreaterThan(MY_BRANCHES.length);
  },
  // Rows of one branch, refused outside the scope (tested in access.test.ts); no totals.
  '/api/cases/{id}': null,
  '/api/responses/{id}': null,
  // Configuration without figures: options, drafts, templates, teams, contacts, the caller's own account.
  '/api/cases/options': null,
  '/api/case-teams': null,
  '/api/escalation-contacts': null,
  '/api/surveys/{id}/draft': null,
  '/api/surveys/{id}/draft/changes': null,
  '/api/survey-templates': null,
  '/api/survey-templates/{id}': null,
  '/api/text/lexicon': null,
};
for (const name of ['summary', 'trend', 'drivers', 'problems', 'comments', 'compare', 'funnel', 'loyalty', 'change']) {
  checks[`/api/analytics/${name}`] = async () => {
    const q = `survey=${surveyId}&from=2026-03-01&to=2026-05-31`;
    const mine = await t.request(`/api/analytics/${name}?${q}`, { as: manager });
    const filtered = await t.request(`/api/analytics/${name}?${q}&${MY_BRANCHES.map((c) => `branch=${c}`).join('&')}`);
    expect(mine.status, name).toBe(filtered.status);
    if (mine.status !== 200) return;
    expect(numbers(await mine.json()), name).toEqual(numbers(await filtered.json()));
  };
}
// Loyalty: the ladder, its customer lists, the index and customer value of their customers (branch of the
// latest rental) only, equal to the company's figures filtered to their branches; the settings hold no figures.
for (const name of ['ladder', 'customers', 'index', 'value']) {
  checks[`/api/loyalty/${name}`] = async () => {
    const q = `survey=${surveyId}&from=2026-03-01&to=2026-05-31&groupBy=branch`;
    const mine = await get(`/api/loyalty/${name}?${q}`, manager);
    expect(numbers(mine), name).toEqual(numbers(await get(`/api/loyalty/${name}?${q}&${MY_BRANCHES.map((c) => `branch=${c}`).join('&')}`)));
    if (name === 'ladder') expect(mine.total.customers).toBeLessThan((await get(`/api/loyalty/ladder?${q}`)).total.customers);
  };
}
checks['/api/loyalty/settings'] = null;
// Targets: the status and trend rows of their branches only, each figure equal to the company's row; the list
// holds the company's targets, those of their branches' regions and of their branches, none of other branches.
checks['/api/targets/status'] = async () => {
  const q = `survey=${surveyId}&from=2026-03-01&to=2026-05-31&level=branch`;
  const mine = await get(`/api/targets/status?${q}`, manager);
  expect(mine.rows.map((r: { key: string }) => r.key).sort()).toEqual([...MY_BRANCHES].sort());
  const company = await get(`/api/targets/status?${q}`);
  expect(company.rows.length).toBeGreaterThan(MY_BRANCHES.length);
  for (const row of mine.rows) expect(numbers(row), row.key).toEqual(numbers(company.rows.find((r: { key: string }) => r.key === row.key)));
};
checks['/api/targets/trend'] = async () => {
  const q = `survey=${surveyId}&from=2026-03-01&to=2026-05-31&level=branch`;
  expect(numbers(await get(`/api/targets/trend?${q}&code=${MY_BRANCHES[0]}`, manager))).toEqual(
    numbers(await get(`/api/targets/trend?${q}&code=${MY_BRANCHES[0]}`)),
  );
  const outside = (await allBranchCodes()).find((code) => !MY_BRANCHES.includes(code))!;
  expect((await t.request(`/api/targets/trend?${q}&code=${outside}`, { as: manager })).status).not.toBe(200);
};
checks['/api/targets'] = async () => {
  const mine: { level: string; scope: string | null }[] = await get('/api/targets', manager);
  const company: { level: string; scope: string | null }[] = await get('/api/targets');
  const branchTargets = mine.filter((x) => x.level === 'branch');
  for (const x of branchTargets) expect(MY_BRANCHES).toContain(x.scope);
  expect(company.filter((x) => x.level === 'branch').length).toBeGreaterThan(branchTargets.length);
};
// Reward uptake of a programme: issued and redeemed at their branches only, the total their branches' sum.
checks['/api/rewards/programmes/{id}/uptake'] = async () => {
  const [{ id }] = await t.sql`select id from reward_programmes order by created_at limit 1`;
  type Uptake = { total: { issued: number }; byBranch: { code: string | null; issued: number }[] };
  const mine: Uptake = await get(`/api/rewards/programmes/${id}/uptake`, manager);
  const company: Uptake = await get(`/api/rewards/programmes/${id}/uptake`);
  for (const row of mine.byBranch) expect(MY_BRANCHES).toContain(row.code);
  expect(mine.total.issued).toBe(mine.byBranch.reduce((sum, row) => sum + row.issued, 0));
  for (const row of mine.byBranch) expect(row.issued).toBe(company.byBranch.find((r) => r.code === row.code)!.issued);
  expect(mine.total.issued).toBeLessThan(company.total.issued);
};
// Action plans: only plans of their branches (never company-wide ones they cannot see), fewer than the company's.
checks['/api/action-plans'] = async () => {
  type Plans = { items: { id: string; branches: { id: string }[] }[]; total: number };
  const mine: Plans = await get('/api/action-plans', manager);
  for (const plan of mine.items) {
    expect(plan.branches.length, plan.id).toBeGreaterThan(0);
    for (const b of plan.branches) expect(myBranchIds).toContain(b.id);
  }
  const [{ n }] = await t.sql<{ n: number }[]>`select count(distinct p.plan_id)::int as n from action_plan_branches p
    where p.branch_id = any(${myBranchIds}::uuid[])`;
  expect(mine.total).toBe(n);
};
// One plan, one case attachment: rows of one thing, refused outside the scope (action-plans and complaints
// tests); priority settings are configuration; the PDF report's scope is checked in reports.test.ts.
checks['/api/action-plans/{id}'] = null;
checks['/api/cases/{id}/attachments/{attachmentId}'] = null;
checks['/api/cases/priority-settings'] = null;
checks['/api/reports/pdf'] = null;

async function checkVersions(versions: { version: number; invitations: number; responses: number }[]) {
  expect(versions.length).toBeGreaterThan(0);
  for (const v of versions) {
    const [{ id }] = await t.sql`select id from survey_versions where survey_id = ${surveyId} and version = ${v.version}`;
    expect(v.responses).toBe(await finishedInScope({ version: id }));
    expect(v.invitations).toBe(await invitedInScope(id));
  }
}
const casesInScope = (ruleId: string) =>
  sqlCount(t.sql`select count(*)::int as n from cases where rule_id = ${ruleId} and branch_id = any(${myBranchIds}::uuid[])`);
const managers = new Map<string, Credentials>();
async function managerOf(code: string) {
  if (!managers.has(code)) managers.set(code, await t.signIn('branch_manager', { branches: [code] }));
  return managers.get(code)!;
}
const allBranchCodes = async () => (await t.sql<{ code: string }[]>`select code from branches order by code`).map((b) => b.code);

describe('a branch manager of SH01 and SH02', () => {
  it('has a check for every GET route they may call', () => {
    expect(bmRoutes.length).toBeGreaterThan(15);
    expect(bmRoutes.filter((path) => !(path in checks))).toEqual([]);
  });

  it('gets every count of their branches only, equal to the company figures filtered to their branches', async () => {
    const failed: string[] = [];
    for (const path of bmRoutes) {
      const check = checks[path];
      if (!check) continue;
      try {
        await check();
      } catch (error) {
        failed.push(`${path}: ${(error as Error).message.split('\n').slice(0, 6).join(' ')}`);
      }
    }
    expect(failed).toEqual([]);
  });

  it('gets no distribution figures at all', async () => {
    for (const path of ['/api/distribution/status', '/api/distribution/funnel', '/api/deliveries', '/api/outbox']) {
      expect((await t.request(path, { as: manager })).status, path).toBe(403);
    }
  });
});

describe('a regional manager of 华东', () => {
  beforeAll(async () => {
    myRegion = '华东';
    MY_BRANCHES = (await t.sql<{ code: string }[]>`select code from branches where region = ${myRegion} order by code`).map((b) => b.code);
    // The demo data gives 华东 four branches: more than the branch manager's two, fewer than the company's.
    expect(MY_BRANCHES).toEqual(['HZ01', 'SH01', 'SH02', 'SH03']);
    myBranchIds = (await t.sql<{ id: string }[]>`select id from branches where code = any(${MY_BRANCHES}::text[]) order by code`).map((b) => b.id);
    const [{ id: regionId }] = await t.sql`select id from regions where code = ${myRegion}`;
    const user = await t.signIn('regional_manager');
    await t.request(`/api/users/${user.userId}`, { method: 'PATCH', json: { regionIds: [regionId] } });
    manager = await t.sessionFor(user.userId);
    expect(ROLE_PERMISSIONS.regional_manager).toEqual(ROLE_PERMISSIONS.branch_manager);
  });

  it('gets every count of the branches of their region only, equal to the company figures filtered to them', async () => {
    const failed: string[] = [];
    for (const path of bmRoutes) {
      const check = checks[path];
      if (!check) continue;
      try {
        await check();
      } catch (error) {
        failed.push(`${path}: ${(error as Error).message.split('\n').slice(0, 6).join(' ')}`);
      }
    }
    expect(failed).toEqual([]);
  });

  it('sees a branch added to the region from the next request on, and none of another region', async () => {
    const before = (await get('/api/branches', manager)).map((b: { code: string }) => b.code);
    expect(before).toEqual(MY_BRANCHES);
    const [{ id: regionId }] = await t.sql`select id from regions where code = ${myRegion}`;
    const created = await t.request('/api/branches', { method: 'POST', json: { code: 'NB01', name: '宁波栎社机场店', city: '宁波', regionId } });
    expect(created.status).toBe(201);
    expect((await created.json()).region).toBe('华东');
    await t.request('/api/branches', { method: 'POST', json: { code: 'KM01', name: '昆明长水机场店', city: '昆明', region: '西南' } });
    const after = (await get('/api/branches', manager)).map((b: { code: string }) => b.code);
    expect(after).toEqual([...MY_BRANCHES, 'NB01'].sort());
  });
});
