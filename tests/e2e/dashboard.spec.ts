// The company dashboard on the demo data: every figure shown equals the analytics API's, the change
// against the previous period is marked only when significant, the language switch is remembered, and
// the CSV downloads carry the same numbers (UTF-8 BOM, formula cells escaped).
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { tokenFromLink } from '../support/rentals.ts';
import {
  addDays,
  apiGet,
  apiStatus,
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
} from './dashboard-helpers.ts';
import { apiHeaders, signIn } from './support/session.ts';

let survey: string;

test.beforeEach(async ({ page, request }) => {
  await signIn(page, 'admin');
  survey ??= await postRentalSurveyId(request);
});

async function uiLang(page: Page) {
  return (await page.locator('html').getAttribute('lang')) as 'zh-CN' | 'en';
}

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
  const previous = await apiGet(request, `/api/analytics/summary${query({ ...base, groupBy: 'none', from: addDays(period.from!, -90), to: addDays(period.from!, -1) })}`);
  const compare = await apiGet(request, `/api/analytics/compare${query({ ...base, against: 'previous' })}`);
  const total = summary.total;
  expect(total.responses).toBeGreaterThan(50);

  const nps = page.getByTestId('kpi-nps');
  expect(await attrNumber(nps)).toBe(total.nps.score);
  expect(await attrNumber(nps.locator('[data-field="ci95"]'), 'data-low')).toBe(total.nps.ci95[0]);
  expect(await attrNumber(nps.locator('[data-field="ci95"]'), 'data-high')).toBe(total.nps.ci95[1]);
  expect(await attrNumber(nps.locator('[data-field="n"]'))).toBe(total.nps.n);
  // What is shown is the same number, rounded to one decimal.
  await expect(page.getByTestId('total-nps')).toHaveText(new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(total.nps.score));
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

  // Response rate: from the funnel when the server has it.
  const funnelStatus = await apiStatus(request, `/api/analytics/funnel${query(base)}`);
  if (funnelStatus === 200) {
    const funnel = await apiGet(request, `/api/analytics/funnel${query(base)}`);
    expect(await attrNumber(page.getByTestId('kpi-response-rate'))).toBe(funnel.total.responseRate);
    expect(await attrNumber(page.getByTestId('kpi-response-rate').locator('[data-field="n"]'))).toBe(funnel.total.sent);
  } else {
    await expect(page.getByTestId('kpi-response-rate')).toHaveAttribute('data-value', '');
  }

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

/** A view backed by an endpoint that may not be on this server yet: its figures, or a clear "not available" card. */
async function checkOptionalView(page: Page, request: APIRequestContext, path: string, endpoint: string, check: (body: any, base: Record<string, string | null>) => Promise<void>) {
  await page.goto(path);
  const period = await shownPeriod(page);
  const base = { survey, from: period.from, to: period.to, lang: await uiLang(page) };
  const status = await apiStatus(request, `/api/analytics/${endpoint}${query(base)}`);
  if (status === 404) {
    await expect(page.getByTestId('unavailable')).toBeVisible();
    return;
  }
  expect(status).toBe(200);
  await check(await apiGet(request, `/api/analytics/${endpoint}${query(base)}`), base);
}

test('problem Pareto, comment themes and loyalty show the API figures (or say they are not available)', async ({ page, request }, testInfo) => {
  await checkOptionalView(page, request, '/dashboard/problems?period=90d', 'problems', async (body) => {
    const list = (body.problems ?? body.total?.problems ?? []) as { id?: string; key?: string; count: number }[];
    for (const p of list) {
      const row = page.locator(`[data-testid="pareto-table"] tr[data-key="${p.id ?? p.key}"]`);
      expect(await cellNumber(row, 'count')).toBe(p.count);
    }
    // Largest first, cumulative share ending at 100 %.
    const counts = await page.locator('[data-testid="pareto-table"] [data-field="count"]').evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-value'))));
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const cumulative = await page.locator('[data-testid="pareto-table"] [data-field="cumulative"]').last().getAttribute('data-value');
    if (list.length > 0) expect(Number(cumulative)).toBeCloseTo(100, 6);
    // The top problem opens the responses that reported it: as many as the Pareto counts.
    const top = [...list].sort((a, b) => b.count - a.count)[0];
    await page.getByTestId('pareto-table-toggle').click();
    await page.locator(`[data-testid="pareto-table"] tr[data-key="${top.id ?? top.key}"] a`).click();
    await expect(page).toHaveURL(/\/responses\?.*problem=/);
    await expect(page.getByTestId('responses-total')).toHaveAttribute('data-value', String(top.count));
    await page.goBack();
  });
  await screenshots(page, testInfo, 'dashboard-problems');

  await checkOptionalView(page, request, '/dashboard/comments?period=90d', 'comments', async (body) => {
    // What detractors talk about: their words and phrases, with counts and example comments.
    for (const category of ['detractor', 'passive', 'promoter'] as const) {
      const set = body.total.byCategory[category];
      await expect(page.getByTestId(`themes-${category}-n`)).toHaveAttribute('data-value', String(set.comments));
      for (const [kind, list] of [['word', set.words], ['phrase', set.phrases]] as const) {
        for (const term of list) {
          const row = page.locator(`[data-testid="themes-${category}"] tr[data-key="${kind}:${term.term}"]`);
          expect(await cellNumber(row, 'count')).toBe(term.count);
          expect(await cellNumber(row, 'share')).toBe(term.share);
        }
      }
    }
    expect(body.total.byCategory.detractor.words.length).toBeGreaterThan(0);
    // Example comments beside the detractors' themes.
    await expect(page.locator('section:has([data-testid="themes-detractor"]) details dd').first()).toBeVisible();
  });
  await screenshots(page, testInfo, 'dashboard-comments');

  await checkOptionalView(page, request, '/dashboard/loyalty', 'loyalty', async (body) => {
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

  await page.goto('/dashboard');
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
  expect(trend.header).toEqual(['Period', 'n', 'NPS', '95% low', '95% high']);
  expect(trend.rows.map((r) => r[0])).toEqual(weekly.groups.map((g: { key: string }) => g.key));
  expect(trend.rows.map((r) => csvNumber(r[2]))).toEqual(weekly.groups.map((g: { nps: { score: number | null } }) => g.nps.score));
});
