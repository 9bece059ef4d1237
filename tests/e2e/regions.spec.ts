// A regional manager in the browser: signs in, sees only the branches of their region in the league table
// and in the region's roll-up (with the region against the company), and opens a case of their region.
import { expect, test, type APIRequestContext } from '@playwright/test';
import { apiHeaders, signInWithForm } from './support/session.ts';

// The demo's branches of 华东, all with answers; other specs of the run may add branches to the region.
const EAST = ['HZ01', 'SH01', 'SH02', 'SH03'];

/** The codes of the region's branches as the branch register has them (read as the admin). */
async function branchesOfRegion(request: APIRequestContext, region: string): Promise<string[]> {
  const res = await request.get('/api/branches', { headers: await apiHeaders(request, 'admin') });
  expect(res.status()).toBe(200);
  return ((await res.json()) as { code: string; region: string }[]).filter((b) => b.region === region).map((b) => b.code);
}

test('a regional manager sees their region’s branches, the roll-up against the company, and a case of the region', async ({ page, request }) => {
  const east = await branchesOfRegion(request, '华东');
  for (const code of EAST) expect(east).toContain(code);
  expect(east).not.toContain('BJ01');
  await signInWithForm(page, 'regional_manager', '/branches?period=90d');
  await page.goto('/branches?period=90d');
  const league = page.locator('[data-testid="league-table"] tbody tr[data-key]');
  await expect(league.first()).toBeVisible();
  const keys = await league.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));
  expect(keys.length).toBeGreaterThan(1);
  for (const key of keys) expect(east).toContain(key);
  for (const code of EAST) expect(keys).toContain(code);

  // The roll-up, from the navigation.
  await page.locator('nav a[href^="/regions/"]').first().click();
  await expect(page).toHaveURL(/\/regions\/%E5%8D%8E%E4%B8%9C/);
  const rollupRows = page.locator('[data-testid="region-league-table"] tbody tr[data-key]');
  await expect(rollupRows.first()).toBeVisible();
  const rollupKeys = await rollupRows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));
  expect([...rollupKeys].sort()).toEqual([...keys].sort());
  const versus = page.locator('[data-testid="region-vs-company"] tbody tr[data-key]');
  await expect(versus).toHaveCount(2);
  await expect(page.locator('[data-testid="region-vs-company"] tr[data-key="company"]')).toBeVisible();
  // Each row against its own targets (the demo's): the region's NPS 45, the company's 40, SH01's 55.
  await expect(page.locator('[data-testid="region-vs-company"] tr[data-key="华东"]')).toContainText(/目标 45|target 45/);
  await expect(page.locator('[data-testid="region-vs-company"] tr[data-key="company"]')).toContainText(/目标 40|target 40/);
  await expect(page.locator('[data-testid="region-league-table"] tr[data-key="SH01"]')).toContainText(/目标 55|target 55/);
  // The figures come from the API: the company holds more answers than the region.
  const surveys = await (await page.context().request.get('/api/surveys')).json();
  const survey = surveys.find((s: { kind: string }) => s.kind === 'post_rental').id;
  const api = await page.context().request.get(`/api/regions/${encodeURIComponent('华东')}/rollup?survey=${survey}`);
  expect(api.status()).toBe(200);
  const body = await api.json();
  expect(body.company.total.nps.n).toBeGreaterThan(body.regionTotal.total.nps.n);
  const rollupGroups = body.branches.groups.map((g: { key: string }) => g.key) as string[];
  for (const code of EAST) expect(rollupGroups).toContain(code);
  for (const key of rollupGroups) expect(east).toContain(key);
  // Another region's roll-up is not theirs.
  const other = await page.goto(`/regions/${encodeURIComponent('华北')}`);
  expect(other?.status()).toBe(404);

  // A case of their region.
  await page.goto('/cases');
  const row = page.locator('[data-testid="case-row"]').first();
  await expect(row).toBeVisible();
  const caseId = await row.getAttribute('data-case');
  await row.getByRole('link').first().click();
  await expect(page).toHaveURL(new RegExp(`/cases/${caseId}$`));
  const kase = await (await page.context().request.get(`/api/cases/${caseId}`)).json();
  expect(east).toContain(kase.branch.code);
});
