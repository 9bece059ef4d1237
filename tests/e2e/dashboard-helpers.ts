// Shared by the dashboard browser tests: API reads with a session, the period the page shows, values in
// tables, CSV downloads and screenshots at the two widths.
import { readFileSync } from 'node:fs';
import { expect, type APIRequestContext, type Download, type Locator, type Page, type TestInfo } from '@playwright/test';
import Papa from 'papaparse';
import { apiHeaders, type Role } from './support/session.ts';

export async function apiGet<T = any>(request: APIRequestContext, path: string, role: Role = 'admin'): Promise<T> {
  const res = await request.get(path, { headers: await apiHeaders(request, role) });
  expect(res.status(), `${path}: ${await res.text()}`).toBe(200);
  return res.json() as Promise<T>;
}

export async function postRentalSurveyId(request: APIRequestContext): Promise<string> {
  const surveys = await apiGet<{ id: string; kind: string; status: string }[]>(request, '/api/surveys');
  const survey = surveys.find((s) => s.kind === 'post_rental' && s.status === 'active') ?? surveys.find((s) => s.kind === 'post_rental');
  if (!survey) throw new Error('no post-rental survey in the demo data');
  return survey.id;
}

/** The language the page is shown in (the html element's lang). */
export async function uiLang(page: Page): Promise<'zh-CN' | 'en'> {
  return (await page.locator('html').getAttribute('lang')) as 'zh-CN' | 'en';
}

/** The period the page says it shows (data-from is empty for all time). */
export async function shownPeriod(page: Page): Promise<{ from: string | null; to: string }> {
  const range = page.getByTestId('period-range');
  return { from: (await range.getAttribute('data-from')) || null, to: (await range.getAttribute('data-to'))! };
}

export function query(params: Record<string, string | number | null | undefined | string[]>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined || v === '') continue;
    for (const one of Array.isArray(v) ? v : [v]) search.append(k, String(one));
  }
  return `?${search}`;
}

/** `data-value` of a cell as a number (null when empty). */
export async function cellNumber(row: Locator, field: string): Promise<number | null> {
  const v = await row.locator(`[data-field="${field}"]`).first().getAttribute('data-value');
  return v === null || v === '' ? null : Number(v);
}

export async function attrNumber(locator: Locator, name = 'data-value'): Promise<number | null> {
  const v = await locator.getAttribute(name);
  return v === null || v === '' ? null : Number(v);
}

/** Today in the company time zone, and a day some days before. */
export function todayInShanghai(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export interface Csv {
  bytes: Buffer;
  text: string;
  header: string[];
  rows: string[][];
}

/** Clicks a download button and returns the file, checked to start with the UTF-8 byte-order mark. */
export async function downloadCsv(page: Page, trigger: Locator): Promise<Csv & { name: string }> {
  const [download]: [Download, void] = await Promise.all([page.waitForEvent('download'), trigger.click()]);
  const bytes = readFileSync((await download.path())!);
  expect([...bytes.subarray(0, 3)], 'UTF-8 byte-order mark').toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.subarray(3).toString('utf8');
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  const [header, ...rows] = parsed.data;
  return { bytes, text, header, rows, name: download.suggestedFilename() };
}

/** Column values of a CSV by header name. */
export function csvColumn(csv: Csv, header: string): string[] {
  const i = csv.header.indexOf(header);
  expect(i, `column "${header}" in ${csv.header.join(', ')}`).toBeGreaterThanOrEqual(0);
  return csv.rows.map((r) => r[i]);
}

export const csvNumber = (s: string | undefined) => (s === undefined || s === '' ? null : Number(s));

/** Full-page screenshots at 1280 and 768 px wide, kept as test artifacts. */
export async function screenshots(page: Page, testInfo: TestInfo, name: string) {
  const original = page.viewportSize();
  for (const width of [1280, 768]) {
    await page.setViewportSize({ width, height: 900 });
    // Charts redraw on resize.
    await page.waitForTimeout(250);
    const path = testInfo.outputPath(`${name}-${width}.png`);
    await page.screenshot({ path, fullPage: true });
    await testInfo.attach(`${name}-${width}`, { path, contentType: 'image/png' });
  }
  if (original) await page.setViewportSize(original);
}
