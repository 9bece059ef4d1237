// The company dashboard on the demo data: every figure shown equals the analytics API's, the change
// against the previous period is marked only when significant, the language switch is remembered, and
// the CSV downloads carry the same numbers (UTF-8 BOM, formula cells escaped).
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { tokenFromLink } from '../support/rentals.ts';
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
  todayInShanghai,
  uiLang,
} from './dashboard-helpers.ts';
import { apiHeaders, signIn } from './support/session.ts';

let survey: string;

test.beforeEach(async ({ page, request }) => {
  await signIn(page, 'admin');
  survey ??= await postRentalSurveyId(request);
});

async function switchLanguage(page: Page) {
  const before = await uiLang(page);
  await page.locator('form[action="/lang"] button').click();
  await expect(page.locator('html')).toHaveAttribute('lang', before === 'en' ? 'zh-CN' : 'en');
}

async function setLanguage(page: Page, lang: 'zh-CN' | 'en') {
  if ((await uiLang(page)) !== lang) await switchLanguage(page);
}

test('overview: KPIs, change against the previous period and trends equal the API', async ({ page, request }, testInfo) => {
  await page.goto('/dashboard?period=90d');
  const period = await shownPeriod(page);
  const today = todayInShanghai();
  expect(period).toEqual({ from: addDays(today, -89), to: today });
  const lang = await uiLang(page);
  const base = { survey, from: period.from, to: period.to, lang };

  const summary = await apiGet(request, `/api/analytics/summary${query({ ...base, groupBy: 'none' })}`);
  const previous = await apiGet(
    request,
    `/api/analytics/summary${query({ ...base, groupBy: 'none', from: addDays(period.from!, -90), to: addDays(period.from!, -1) })}`,
  );
  const compare = await apiGet(request, `/api/analytics/compare${query({ ...base, against: 'previous' })}`);
  const total = summary.total;
  expect(total.responses).toBeGreaterThan(50);

  const nps = page.getByTestId('kpi-nps');
  expect(await attrNumber(nps)).toBe(total.nps.score);
  expect(await attrNumber(nps.locator('[data-field="ci95"]'), 'data-low')).toBe(total.nps.ci95[0]);
  expect(await attrNumber(nps.locator('[data-field="ci95"]'), 'data-high')).toBe(total.nps.ci95[1]);
  expect(await attrNumber(nps.locator('[data-field="n"]'))).toBe(total.nps.n);
  // What is shown is the same number, rounded to one decimal.
  await expect(page.getByTestId('total-nps')).toHaveText(
    new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(total.nps.score),
  );
  expect(await attrNumber(page.getByTestId('kpi-csi'))).toBe(total.csi.score);
  const csat = page.getByTestId('kpi-csat');
  expect(await attrNumber(csat)).toBe(total.csat.top2);
  expect(await attrNumber(csat.locator('[data-field="ci95"]'), 'data-low')).toBe(total.csat.ci95[0]);
  expect(await attrNumber(page.getByTestId('kpi-pp100'))).toBe(total.pp100.value);

  // Changes: this period minus the previous one; "significant" exactly when the API's test says so.
  for (const metric of ['nps', 'csi', 'csat'] as const) {
    const value = (b: any) => (metric === 'csat' ? b.csat.top2 : metric === 'csi' ? b.csi.score : b.nps.score);
    const change = page.getByTestId(`kpi-${metric}`).locator('[data-field="change"]');
    expect(await attrNumber(change)).toBeCloseTo(value(total) - value(previous.total), 9);
    const significant = compare.total[metric].significant as boolean;
    await expect(change).toHaveAttribute('data-significant', String(significant));
    if (significant) await expect(change).toHaveClass(/good|bad/);
    else await expect(change).not.toHaveClass(/good|bad/);
  }

  // Response rate: the funnel's fraction, shown in percent.
  const funnel = await apiGet(request, `/api/analytics/funnel${query(base)}`);
  expect(funnel.total.sent).toBeGreaterThan(0);
  expect(funnel.total.responseRate).toBeGreaterThan(0);
  expect(funnel.total.responseRate).toBeLessThanOrEqual(1);
  expect(await attrNumber(page.getByTestId('kpi-response-rate'))).toBeCloseTo(100 * funnel.total.responseRate, 9);
  expect(await attrNumber(page.getByTestId('kpi-response-rate').locator('[data-field="n"]'))).toBe(funnel.total.sent);

  // NPS trend by week, every period as the API has it.
  const trend = await apiGet(request, `/api/analytics/summary${query({ ...base, groupBy: 'week' })}`);
  const trendRows = page.locator('[data-testid="trend-nps"] tbody tr');
  await expect(trendRows).toHaveCount(trend.groups.length);
  for (const g of trend.groups) {
    const row = page.locator(`[data-testid="trend-nps"] tr[data-key="${g.key}"]`);
    expect(await cellNumber(row, 'n')).toBe(g.nps.n);
    expect(await cellNumber(row, 'nps')).toBe(g.nps.score);
    const csiRow = page.locator(`[data-testid="trend-csi"] tr[data-key="${g.key}"]`);
    expect(await cellNumber(csiRow, 'csi')).toBe(g.csi.score);
  }

  // NPS by branch, with groups under the minimum n greyed out.
  const byBranch = await apiGet(request, `/api/analytics/summary${query({ ...base, groupBy: 'branch' })}`);
  for (const g of byBranch.groups) {
    const row = page.locator(`[data-testid="nps-table"] tr[data-branch="${g.key}"]`);
    expect(await cellNumber(row, 'n')).toBe(g.nps.n);
    expect(await cellNumber(row, 'nps')).toBe(g.nps.score);
    if (g.suppressed) await expect(row).toHaveClass(/suppressed/);
  }

  // The numbers are one click away.
  const wrap = page.getByTestId('nps-table').locator('xpath=..');
  await expect(wrap).toHaveClass(/sr-only/);
  await page.getByTestId('nps-table-toggle').click();
  await expect(wrap).not.toHaveClass(/sr-only/);
  await expect(page.getByTestId('nps-table')).toBeVisible();
  await page.getByTestId('nps-table-toggle').click();
  await expect(wrap).toHaveClass(/sr-only/);

  await screenshots(page, testInfo, 'dashboard-overview');
});

test('dimension scores, now and over time, equal the API', async ({ page, request }, testInfo) => {
  await page.goto('/dashboard/dimensions?period=90d&interval=month');
  const period = await shownPeriod(page);
  const base = { survey, from: period.from, to: period.to, lang: await uiLang(page) };
  const summary = await apiGet(request, `/api/analytics/summary${query({ ...base, groupBy: 'none' })}`);
  expect(await attrNumber(page.getByTestId('csi-score'))).toBe(summary.total.csi.score);
  const dims = summary.total.csi.dimensions;
  expect(dims.length).toBeGreaterThan(3);
  for (const d of dims) {
    const row = page.locator(`[data-testid="dimension-table"] tr[data-key="${d.id}"]`);
    expect(await cellNumber(row, 'score')).toBe(d.score);
    expect(await cellNumber(row, 'weight')).toBe(d.weight);
    expect(await cellNumber(row, 'n')).toBe(d.n);
  }
  const monthly = await apiGet(request, `/api/analytics/summary${query({ ...base, groupBy: 'month' })}`);
  await expect(page.locator('[data-testid="dimension-trend-table"] tbody tr')).toHaveCount(monthly.groups.length);
  for (const g of monthly.groups) {
    const row = page.locator(`[data-testid="dimension-trend-table"] tr[data-key="${g.key}"]`);
    for (const d of g.csi.dimensions) expect(await cellNumber(row, d.id)).toBe(d.score);
  }

  // The CSV of the chart: the same unrounded numbers.
  const csv = await downloadCsv(page, page.getByTestId('dimension-trend-table-csv'));
  expect(csv.rows).toHaveLength(monthly.groups.length);
  const first = monthly.groups[0];
  const row = csv.rows.find((r) => r[0] === first.key)!;
  expect(row).toBeTruthy();
  for (const d of first.csi.dimensions) {
    const col = csv.header.indexOf(d.label);
    expect(col).toBeGreaterThan(0);
    expect(csvNumber(row[col])).toBe(d.score);
  }
  await screenshots(page, testInfo, 'dashboard-dimensions');
});

/** A view backed by an analytics endpoint: the page shows the endpoint's figures for the period it shows. */
async function checkView(
  page: Page,
  request: APIRequestContext,
  path: string,
  endpoint: string,
  check: (body: any, base: Record<string, string | null>) => Promise<void>,
) {
  await page.goto(path);
  const period = await shownPeriod(page);
  const base = { survey, from: period.from, to: period.to, lang: await uiLang(page) };
  await expect(page.getByTestId('load-error')).toHaveCount(0);
  await check(await apiGet(request, `/api/analytics/${endpoint}${query(base)}`), base);
}

test('problem Pareto, comment topics and loyalty show the API figures', async ({ page, request }, testInfo) => {
  await checkView(page, request, '/dashboard/problems?period=90d', 'problems', async (body) => {
    const list = body.total.problems as { id: string; count: number }[];
    expect(list.length).toBeGreaterThan(0);
    for (const p of list) {
      const row = page.locator(`[data-testid="pareto-table"] tr[data-key="${p.id}"]`);
      expect(await cellNumber(row, 'count')).toBe(p.count);
    }
    // Largest first, cumulative share ending at 100 %.
    const counts = await page
      .locator('[data-testid="pareto-table"] [data-field="count"]')
      .evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-value'))));
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const cumulative = await page.locator('[data-testid="pareto-table"] [data-field="cumulative"]').last().getAttribute('data-value');
    if (list.length > 0) expect(Number(cumulative)).toBeCloseTo(100, 6);
    // The top problem opens the responses that reported it: as many as the Pareto counts.
    const top = [...list].sort((a, b) => b.count - a.count)[0];
    await page.getByTestId('pareto-table-toggle').click();
    await page.locator(`[data-testid="pareto-table"] tr[data-key="${top.id}"] a`).click();
    await expect(page).toHaveURL(/\/responses\?.*problem=/);
    await expect(page.getByTestId('responses-total')).toHaveAttribute('data-value', String(top.count));
    await page.goBack();
  });
  await screenshots(page, testInfo, 'dashboard-problems');

  // Comment topics (tests/e2e/topics.spec.ts checks every figure, in both languages).
  await page.goto('/dashboard/comments?period=90d');
  {
    const period = await shownPeriod(page);
    const body = await apiGet(request, `/api/text/topics${query({ survey, from: period.from, to: period.to, lang: await uiLang(page) })}`);
    await expect(page.getByTestId('topics-comments')).toHaveAttribute('data-value', String(body.comments));
    for (const topic of body.topics) expect(await cellNumber(page.locator(`[data-testid="topics"] tr[data-key="${topic.id}"]`), 'volume')).toBe(topic.volume);
    expect(body.topics.some((x: { volume: number }) => x.volume > 0)).toBe(true);
  }
  await screenshots(page, testInfo, 'dashboard-comments');

  await checkView(page, request, '/dashboard/loyalty', 'loyalty', async (body) => {
    for (const w of body.windows) {
      if (w.overall.n === 0) {
        await expect(page.getByTestId(`loyalty-not-yet-${w.days}`)).toBeVisible();
        continue;
      }
      expect(await attrNumber(page.getByTestId(`loyalty-overall-${w.days}`))).toBe(w.overall.share);
      for (const cell of w.byNps) {
        const row = page.locator(`[data-testid="loyalty-nps-${w.days}"] tr[data-key="${cell.category}"]`);
        expect(await cellNumber(row, 'n')).toBe(cell.n);
        expect(await cellNumber(row, 'returned')).toBe(cell.returned);
        expect(await cellNumber(row, 'rate')).toBe(cell.share);
      }
      for (const cell of w.byCsi) {
        expect(await cellNumber(page.locator(`[data-testid="loyalty-csi-${w.days}"] tr[data-key="${cell.band}"]`), 'rate')).toBe(cell.share);
      }
      if (w.difference.difference !== null) expect(await attrNumber(page.getByTestId(`loyalty-difference-${w.days}`))).toBe(w.difference.difference);
    }
  });
  await screenshots(page, testInfo, 'dashboard-loyalty');
});

test('the language switch changes the whole dashboard and is remembered', async ({ page, request }) => {
  await page.goto('/dashboard?period=30d');
  await setLanguage(page, 'zh-CN');
  await expect(page.locator('h1')).toHaveText('满意度总览');
  await expect(page.getByTestId('kpi-csi').locator('h3')).toHaveText('满意度指数 CSI');
  await expect(page.getByTestId('nps-table-csv')).toHaveText('下载 CSV');

  await switchLanguage(page);
  // Same URL, same filters, now in English.
  await expect(page).toHaveURL(/\/dashboard\?period=30d/);
  await expect(page.locator('h1')).toHaveText('Satisfaction overview');
  await expect(page.getByTestId('kpi-csi').locator('h3')).toHaveText('Satisfaction index (CSI)');
  await expect(page.getByTestId('period')).toHaveValue('30d');
  // Branch names come from the API in English too.
  const period = await shownPeriod(page);
  const byBranch = await apiGet(request, `/api/analytics/summary${query({ survey, from: period.from, to: period.to, groupBy: 'branch', lang: 'en' })}`);
  const sh01 = byBranch.groups.find((g: { key: string }) => g.key === 'SH01');
  await expect(page.locator('[data-testid="nps-table"] tr[data-branch="SH01"] td').first()).toHaveText(sh01.label);

  // Remembered: another page, and a reload.
  await page.goto('/branches');
  await expect(page.locator('h1')).toHaveText('Branch league table');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await switchLanguage(page);
  await expect(page.locator('h1')).toHaveText('门店排名');
});

test('CSV downloads: BOM, the numbers shown, and formula cells escaped', async ({ page, request, baseURL }) => {
  // A branch whose name starts like a formula, with one answer (under the minimum n).
  const headers = await apiHeaders(request);
  const stamp = Date.now() % 1_000_000;
  const code = `ZF${stamp}`;
  const created = await request.post(`${baseURL}/api/rentals`, {
    headers,
    data: {
      externalId: `RA-CSV-${stamp}`,
      customer: { externalId: `C-CSV-${stamp}`, email: `csv${stamp}@example.com`, preferredLanguage: 'zh-CN' },
      pickupBranch: { code, name: '=HYPERLINK("https://evil.example","点我")', city: '上海', region: '华东' },
      returnBranch: code,
      vehicleClass: 'suv',
      pickedUpAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
      returnedAt: new Date(Date.now() - 3_600_000).toISOString(),
      amount: 500,
      bookingChannel: 'app',
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const token = tokenFromLink((await created.json()).invitation.link);
  const submitted = await request.post(`${baseURL}/api/respond/${token}/submit`, {
    data: { answers: { q_nps: 2, q_csat: 1, q_problems: { choices: ['no_problem'] }, q_comment: '-5 分，+86 电话打不通 @客服' } },
  });
  expect(submitted.status(), await submitted.text()).toBe(200);

  await page.goto('/dashboard?period=all');
  await setLanguage(page, 'en');
  const byBranch = await apiGet(request, `/api/analytics/summary${query({ survey, to: todayInShanghai(), groupBy: 'branch', lang: 'en' })}`);
  const csv = await downloadCsv(page, page.getByTestId('nps-table-csv'));
  expect(csv.name).toBe('company-nps-by-branch.csv');
  expect(csv.header).toEqual(['Code', 'Name', 'n', 'Promoters', 'Passives', 'Detractors', 'NPS', '95% low', '95% high']);
  expect(csv.rows).toHaveLength(byBranch.groups.length);
  for (const g of byBranch.groups) {
    const row = csv.rows.find((r) => r[0] === g.key)!;
    expect(row, g.key).toBeTruthy();
    expect(Number(row[2])).toBe(g.nps.n);
    expect(csvNumber(row[6])).toBe(g.nps.score);
    expect(csvNumber(row[7])).toBe(g.nps.ci95?.[0] ?? null);
  }
  // The formula-looking name is escaped with an apostrophe (and quoted); numbers are never escaped.
  const formulaRow = csv.rows.find((r) => r[0] === code)!;
  expect(formulaRow[1]).toBe(`'=HYPERLINK("https://evil.example","点我")`);
  expect(csv.text).toContain(`"'=HYPERLINK(""https://evil.example"",""点我"")"`);
  expect(formulaRow[6]).toBe('');
  const negative = byBranch.groups.find((g: { nps: { score: number | null } }) => g.nps.score !== null && g.nps.score < 0);
  if (negative) expect(csv.rows.find((r) => r[0] === negative.key)![6]).toBe(String(negative.nps.score));
  // Every text cell that starts a formula is escaped.
  for (const cell of csvColumn(csv, 'Name')) expect(cell).not.toMatch(/^[=+\-@]/);

  // The trend CSV: one row per week, unrounded.
  await page.goto('/dashboard?period=90d');
  const period = await shownPeriod(page);
  const weekly = await apiGet(request, `/api/analytics/summary${query({ survey, from: period.from, to: period.to, groupBy: 'week', lang: 'en' })}`);
  const trend = await downloadCsv(page, page.getByTestId('trend-nps-csv'));
  expect(trend.header).toEqual(['Period', 'n', 'NPS', '95% low', '95% high', 'Target', 'Target status', 'partial period']);
  expect(trend.rows.map((r) => r[0])).toEqual(weekly.groups.map((g: { key: string }) => g.key));
  // The week of today is not over, and the first week starts before the 90 days: both marked partial.
  const thisWeek = addDays(period.to, -((new Date(`${period.to}T00:00:00Z`).getUTCDay() + 6) % 7));
  const keys = weekly.groups.map((g: { key: string }) => g.key) as string[];
  expect(trend.rows.filter((r) => r[7] === '1').map((r) => r[0])).toEqual(keys.filter((k) => k === thisWeek || k < period.from!));
  expect(trend.rows.map((r) => csvNumber(r[2]))).toEqual(weekly.groups.map((g: { nps: { score: number | null } }) => g.nps.score));
});

test('the overview opens on a period with a previous one: changes show without choosing anything', async ({ page }) => {
  await page.goto('/dashboard');
  await expect(page.getByTestId('period')).toHaveValue('90d');
  const period = await shownPeriod(page);
  const today = todayInShanghai();
  expect(period).toEqual({ from: addDays(today, -89), to: today });
  for (const metric of ['nps', 'csi', 'csat']) await expect(page.getByTestId(`kpi-${metric}`).locator('[data-field="change"]')).toBeVisible();
  // All time stays one choice away (and has no previous period).
  await page.goto('/dashboard?period=all');
  await expect(page.getByTestId('kpi-nps').locator('[data-field="change"]')).toHaveCount(0);
});

test('branch NPS is ranked, highest first, ties by name', async ({ page, request }) => {
  await page.goto('/dashboard?period=all');
  const lang = await uiLang(page);
  const byBranch = await apiGet(request, `/api/analytics/summary${query({ survey, to: todayInShanghai(), groupBy: 'branch', lang })}`);
  type G = { key: string; label: string; suppressed: boolean; nps: { score: number | null } };
  const shown = (byBranch.groups as G[]).filter((g) => !g.suppressed);
  expect(shown.length).toBeGreaterThan(3);
  const ranked = [...shown].sort((a, b) => b.nps.score! - a.nps.score! || a.label.localeCompare(b.label, lang));
  // The API lists branches by name: the ranking is the page's doing.
  expect(shown.map((g) => g.key)).not.toEqual(ranked.map((g) => g.key));
  const chart = page.locator('section:has([data-testid="nps-table"]) .chart');
  expect(JSON.parse((await chart.getAttribute('data-labels'))!)).toEqual(ranked.map((g) => g.label));
  const rows = await page.locator('[data-testid="nps-table"] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-branch')));
  expect(rows.slice(0, ranked.length)).toEqual(ranked.map((g) => g.key));
  const scores = await page
    .locator('[data-testid="nps-table"] tbody tr:not(.suppressed) [data-field="nps"]')
    .evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-value'))));
  expect(scores).toEqual([...scores].sort((a, b) => b - a));
});

test('the period that is not over is marked as partial in the trend chart and its table', async ({ page, request }) => {
  await page.goto('/dashboard?period=all&interval=month');
  const lang = await uiLang(page);
  const today = todayInShanghai();
  const monthly = await apiGet(request, `/api/analytics/summary${query({ survey, to: today, groupBy: 'month', lang })}`);
  const keys = (monthly.groups as { key: string }[]).map((g) => g.key);
  const thisMonth = `${today.slice(0, 7)}-01`;
  // The demo data has answers this month (the partial month the chart used to plot as a drop).
  expect(keys).toContain(thisMonth);
  const partialText = lang === 'en' ? 'partial period' : '不完整周期';
  for (const key of keys) {
    const cell = page.locator(`[data-testid="trend-nps"] tr[data-key="${key}"] [data-field="period"]`);
    if (key === thisMonth) await expect(cell).toContainText(partialText);
    else await expect(cell).not.toContainText(partialText);
  }
  const chart = page.locator('section:has([data-testid="trend-nps"]) .chart');
  await expect(chart).toHaveAttribute('data-partial-points', String(keys.indexOf(thisMonth)));
  await expect(page.getByTestId('trend-nps-partial')).toContainText(today);

  // A finished quarter has no partial month.
  const [y, m] = today.split('-').map(Number);
  const q = Math.floor((m - 1) / 3) + 1;
  const lastQuarter = q === 1 ? `${y - 1}Q4` : `${y}Q${q - 1}`;
  await page.goto(`/dashboard?period=quarter&quarter=${lastQuarter}&interval=month`);
  await expect(page.locator('section:has([data-testid="trend-nps"]) .chart')).toHaveAttribute('data-partial-points', '');
  await expect(page.getByTestId('trend-nps-partial')).toHaveCount(0);
});

test('weighting by branch volume is a dashboard filter kept in the URL, with the effective n', async ({ page, request }) => {
  await page.goto('/dashboard?period=90d');
  // the select changes the URL from a script: before hydration a choice would do nothing
  await page.waitForLoadState('networkidle');
  await expect(page.getByTestId('kpi-nps').locator('[data-field="n-effective"]')).toHaveCount(0);
  await page.getByTestId('weight').selectOption('branchVolume');
  await expect(page).toHaveURL(/[?&]weight=branchVolume/);
  await expect(page.getByTestId('period')).toHaveValue('90d');
  const period = await shownPeriod(page);
  const base = { survey, from: period.from, to: period.to, lang: await uiLang(page) };
  const weighted = await apiGet(request, `/api/analytics/summary${query({ ...base, weight: 'branchVolume' })}`);
  const raw = await apiGet(request, `/api/analytics/summary${query(base)}`);
  expect(weighted.total.nps.score).not.toBe(raw.total.nps.score);
  const nps = page.getByTestId('kpi-nps');
  expect(await attrNumber(nps)).toBe(weighted.total.nps.score);
  expect(await attrNumber(nps.locator('[data-field="n"]'))).toBe(weighted.total.nps.n);
  expect(await attrNumber(nps.locator('[data-field="n-effective"]'))).toBe(weighted.total.nps.nEffective);
  expect(await attrNumber(page.getByTestId('kpi-csat').locator('[data-field="n-effective"]'))).toBe(weighted.total.csat.nEffective);
  await expect(page.getByTestId('weighted-note')).toBeVisible();
  // Kept when another view is opened from the tabs and when the page is shared.
  await page.reload();
  await expect(page.getByTestId('weight')).toHaveValue('branchVolume');
  expect(await attrNumber(page.getByTestId('kpi-nps'))).toBe(weighted.total.nps.score);
});
