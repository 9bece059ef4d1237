// Branch league table, branch page, segments and driver analysis on the demo data, against the API.
import { expect, test } from '@playwright/test';
import {
  addDays,
  apiGet,
  attrNumber,
  cellNumber,
  csvColumn,
  csvNumber,
  downloadCsv,
  postRentalSurveyId,
  query,
  screenshots,
  shownPeriod,
  uiLang,
} from './dashboard-helpers.ts';
import { signIn } from './support/session.ts';

let survey: string;

test.beforeEach(async ({ page, request }) => {
  await signIn(page, 'admin');
  survey ??= await postRentalSurveyId(request);
});

test('league table: every branch with the API figures, sortable, small groups greyed, change marked when significant', async ({ page, request }, testInfo) => {
  await page.goto('/branches?period=90d');
  const period = await shownPeriod(page);
  const base = { survey, from: period.from, to: period.to, lang: await uiLang(page), groupBy: 'branch' };
  const summary = await apiGet(request, `/api/analytics/summary${query(base)}`);
  const previous = await apiGet(request, `/api/analytics/summary${query({ ...base, from: addDays(period.from!, -90), to: addDays(period.from!, -1) })}`);
  const compare = await apiGet(request, `/api/analytics/compare${query({ ...base, against: 'previous' })}`);
  const funnel = await apiGet(request, `/api/analytics/funnel${query(base)}`);

  const rows = page.locator('[data-testid="league-table"] tbody tr');
  await expect(rows).toHaveCount(summary.groups.length);
  for (const g of summary.groups) {
    const row = page.locator(`[data-testid="league-table"] tr[data-key="${g.key}"]`);
    await expect(row.locator('td').first()).toHaveText(g.label);
    expect(await cellNumber(row, 'n')).toBe(g.nps.n);
    expect(await cellNumber(row, 'csi')).toBe(g.csi.score);
    expect(await cellNumber(row, 'nps')).toBe(g.nps.score);
    expect(await cellNumber(row, 'csat')).toBe(g.csat.top2);
    expect(await cellNumber(row, 'pp100')).toBe(g.pp100.value);
    // The funnel's fraction, shown in percent.
    const rate = funnel.groups.find((f: { key: string }) => f.key === g.key)?.responseRate ?? null;
    if (rate === null) expect(await cellNumber(row, 'responseRate')).toBeNull();
    else expect(await cellNumber(row, 'responseRate')).toBeCloseTo(100 * rate, 9);
    if (g.suppressed) {
      await expect(row).toHaveClass(/suppressed/);
      await expect(row.locator('[data-field="nps"]')).toHaveText(/n too small|样本过少/);
    }
    const c = compare.groups.find((x: { key: string }) => x.key === g.key);
    const p = previous.groups.find((x: { key: string }) => x.key === g.key);
    if (c?.nps.difference != null) {
      expect(await cellNumber(row, 'dNps')).toBe(c.nps.difference);
      // "*" exactly when the Holm-corrected test is significant.
      const text = (await row.locator('[data-field="dNps"]').textContent())!;
      expect(text.includes('*')).toBe(c.nps.significant);
    } else if (p && g.nps.score !== null && p.nps.score !== null) {
      expect(await cellNumber(row, 'dNps')).toBeCloseTo(g.nps.score - p.nps.score, 9);
    }
  }

  // Default order: CSI, highest first, groups under the minimum n last.
  const csiOrder = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('[data-field="csi"]')!.getAttribute('data-value')));
  const shownCsi = csiOrder.filter((v) => v !== '').map(Number);
  expect(shownCsi).toEqual([...shownCsi].sort((a, b) => b - a));

  // Sorting by NPS (a link: the order is in the URL), then the other way round.
  await page.locator('[data-testid="league-table"] th a[data-sort="nps"]').click();
  await expect(page).toHaveURL(/sort=nps/);
  const npsDesc = await rows.evaluateAll((trs) =>
    trs
      .map((tr) => tr.querySelector('[data-field="nps"]')!.getAttribute('data-value'))
      .filter((v) => v !== '')
      .map(Number),
  );
  expect(npsDesc).toEqual([...npsDesc].sort((a, b) => b - a));
  await page.locator('[data-testid="league-table"] th a[data-sort="nps"]').click();
  await expect(page).toHaveURL(/dir=asc/);
  const npsAsc = await rows.evaluateAll((trs) =>
    trs
      .map((tr) => tr.querySelector('[data-field="nps"]')!.getAttribute('data-value'))
      .filter((v) => v !== '')
      .map(Number),
  );
  expect(npsAsc).toEqual([...npsAsc].sort((a, b) => a - b));

  // The CSV is the table as sorted, unrounded.
  const csv = await downloadCsv(page, page.getByTestId('league-table-csv'));
  expect(csv.rows).toHaveLength(summary.groups.length);
  const codes = csv.rows.map((r) => r[0]);
  const shownCodes = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-key')));
  expect(codes).toEqual(shownCodes);
  const npsCol = csv.header.indexOf('NPS');
  for (const g of summary.groups) expect(csvNumber(csv.rows.find((r) => r[0] === g.key)![npsCol])).toBe(g.nps.score);
  await screenshots(page, testInfo, 'branches-league');

  // A click opens the branch page: the same views, filtered to that branch.
  const target =
    summary.groups.find((g: { key: string; suppressed: boolean }) => g.key === 'SH01' && !g.suppressed) ??
    summary.groups.find((g: { suppressed: boolean }) => !g.suppressed);
  await page.locator(`[data-testid="league-table"] tr[data-key="${target.key}"] a`).first().click();
  await expect(page).toHaveURL(new RegExp(`/branches/${target.key}\\?`));
  await expect(page.getByTestId('branch-title')).toHaveAttribute('data-branch', target.key);
  expect(await shownPeriod(page)).toEqual(period);
  const branchSummary = await apiGet(request, `/api/analytics/summary${query({ ...base, groupBy: 'none', branch: target.key })}`);
  expect(await attrNumber(page.getByTestId('kpi-nps'))).toBe(branchSummary.total.nps.score);
  expect(await attrNumber(page.getByTestId('kpi-csi'))).toBe(branchSummary.total.csi.score);
  expect(await attrNumber(page.getByTestId('kpi-pp100'))).toBe(branchSummary.total.pp100.value);
  expect(branchSummary.total.nps.n).toBe(target.nps.n);
  await screenshots(page, testInfo, 'branch-page');

  // Its dimension view.
  await page.locator('nav.tabs a', { hasText: /Dimensions|维度趋势/ }).click();
  await expect(page).toHaveURL(new RegExp(`/branches/${target.key}/dimensions`));
  for (const d of branchSummary.total.csi.dimensions) {
    expect(await cellNumber(page.locator(`[data-testid="dimension-table"] tr[data-key="${d.id}"]`), 'score')).toBe(d.score);
  }
});

test('segments: every grouping as chart and table with the API figures', async ({ page, request }, testInfo) => {
  for (const by of ['customerType', 'vehicleClass', 'channel', 'newReturning', 'region', 'tier']) {
    await page.goto(`/segments?by=${by}&period=90d`);
    const period = await shownPeriod(page);
    const summary = await apiGet(
      request,
      `/api/analytics/summary${query({ survey, from: period.from, to: period.to, lang: await uiLang(page), groupBy: by })}`,
    );
    await expect(page.locator('[data-testid="segment-table"] tbody tr')).toHaveCount(summary.groups.length);
    for (const g of summary.groups) {
      const row = page.locator(`[data-testid="segment-table"] tr[data-key="${g.key}"]`);
      // The API's name when it has one; codes it does not name (vehicle classes) get the UI's.
      if (g.label !== g.key) await expect(row.locator('td').first()).toHaveText(g.label);
      expect(await cellNumber(row, 'n')).toBe(g.nps.n);
      expect(await cellNumber(row, 'nps')).toBe(g.nps.score);
      expect(await cellNumber(row, 'csi')).toBe(g.csi.score);
      expect(await cellNumber(row, 'csat')).toBe(g.csat.top2);
      expect(await cellNumber(row, 'pp100')).toBe(g.pp100.value);
    }
    if (by === 'customerType') {
      // Differences against the rest of the customers, with the test's verdict.
      const compare = await apiGet(request, `/api/analytics/compare${query({ survey, from: period.from, to: period.to, groupBy: by, against: 'rest' })}`);
      for (const c of compare.groups) {
        const row = page.locator(`[data-testid="segment-table"] tr[data-key="${c.key}"]`);
        if (c.nps.difference === null) continue;
        expect(await cellNumber(row, 'dNps')).toBe(c.nps.difference);
        expect(((await row.locator('[data-field="dNps"]').textContent()) ?? '').includes('*')).toBe(c.nps.significant);
      }
      await screenshots(page, testInfo, 'segments-customer-type');
    }
  }
});

test('drivers: importance naming the method, quadrant, n and R² always shown, small-sample warning', async ({ page, request }, testInfo) => {
  await page.goto('/drivers');
  const params = { survey, to: (await shownPeriod(page)).to, lang: await uiLang(page) };
  const company = await apiGet(request, `/api/analytics/drivers${query(params)}`);
  const stats = page.getByTestId('driver-stats');
  expect(await attrNumber(stats, 'data-n')).toBe(company.n);
  expect(await attrNumber(stats, 'data-r2')).toBe(company.r2);
  await expect(stats).toHaveAttribute('data-method', 'relative_weights');
  await expect(stats).toContainText(`n = ${company.n}`);
  await expect(stats).toContainText(/R² = 0\.\d{3}/);
  await expect(page.locator('#driver-table-heading')).toContainText(/Relative weights|相对权重/);
  for (const d of company.drivers) {
    const row = page.locator(`[data-testid="driver-table"] tr[data-key="${d.id}"]`);
    expect(await cellNumber(row, 'share')).toBe(d.share);
    expect(await cellNumber(row, 'performance')).toBe(d.performance);
    await expect(row.locator('[data-field="quadrant"]')).toHaveAttribute('data-value', d.quadrant ?? '');
  }
  // Shares sum to 100 % of R²; the chart lists them largest first.
  const shares = await page
    .locator('[data-testid="driver-table"] [data-field="share"]')
    .evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-value'))));
  expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 6);
  expect(shares).toEqual([...shares].sort((a, b) => b - a));
  const csv = await downloadCsv(page, page.getByTestId('driver-table-csv'));
  const keys = await page.locator('[data-testid="driver-table"] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-key')));
  expect(csvColumn(csv, csv.header[0])).toEqual(keys);
  expect(csv.rows.map((r) => csvNumber(r[2]))).toEqual(shares);
  await screenshots(page, testInfo, 'drivers-company');

  // One branch, by Shapley: fewer answers than 50 + 8p, so a warning, and still n and R².
  await page.goto('/drivers?branch=SH01&method=shapley');
  const branch = await apiGet(request, `/api/analytics/drivers${query({ ...params, branch: 'SH01', method: 'shapley' })}`);
  await expect(page.getByTestId('driver-scope')).not.toHaveText(/Whole company|全公司/);
  expect(await attrNumber(stats, 'data-n')).toBe(branch.n);
  expect(await attrNumber(stats, 'data-r2')).toBe(branch.r2);
  await expect(stats).toHaveAttribute('data-method', 'shapley');
  expect(branch.warnings).toContain('small_sample');
  await expect(page.locator('[data-testid="driver-warning"][data-code="small_sample"]')).toBeVisible();
  await expect(page.locator('#driver-table-heading')).toContainText(/Shapley/);
  for (const d of branch.drivers) {
    expect(await cellNumber(page.locator(`[data-testid="driver-table"] tr[data-key="${d.id}"]`), 'share')).toBe(d.share);
  }
  await screenshots(page, testInfo, 'drivers-branch');
});
