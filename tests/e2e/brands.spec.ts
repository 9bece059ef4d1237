// Brands in the browser: the customer's survey page in the brand of the rental's branch (logo, colours, legal
// footer, never the product's name, still AA by axe), and an admin creating a brand (a colour breaking AA
// contrast refused with the field named), uploading its logo and giving a branch the brand.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { demoLogo } from '../../api/src/demo/brands.ts';
import { apiGet, attrNumber, postRentalSurveyId, query, shownPeriod } from './dashboard-helpers.ts';
import { rentalPayload, tokenFromLink } from '../support/rentals.ts';
import { apiHeaders, signIn } from './support/session.ts';

async function invite(
  request: APIRequestContext,
  baseURL: string,
  branch: { code: string; name: string; city: string; region: string },
  language: 'zh-CN' | 'en',
) {
  const n = (Date.now() % 1_000_000_000) * 10 + Math.floor(Math.random() * 10);
  const created = await request.post(`${baseURL}/api/rentals`, {
    headers: await apiHeaders(request),
    data: rentalPayload(n, {
      externalId: `RA-BRAND-${n}`,
      pickupBranch: branch,
      returnBranch: branch.code,
      pickedUpAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
      returnedAt: new Date(Date.now() - 3 * 3_600_000).toISOString(),
      customer: { externalId: `C-BRAND-${n}`, name: 'Alex', email: `brand.${n}@example.com`, preferredLanguage: language },
    }),
  });
  expect(created.status(), await created.text()).toBe(201);
  return tokenFromLink((await created.json()).invitation.link);
}

const SH01 = { code: 'SH01', name: '上海虹桥机场店', city: '上海', region: '华东' };
const GZ01 = { code: 'GZ01', name: '广州白云机场店', city: '广州', region: '华南' };

test("the survey page wears the brand of the rental's branch and never the product's name", async ({ page, request, baseURL }) => {
  const token = await invite(request, baseURL!, SH01, 'zh-CN');
  await page.goto(`/s/${token}`);
  const header = page.getByTestId('brand-header');
  await expect(header.locator('img')).toHaveAttribute('alt', '城市租车');
  const logo = await request.get(`${baseURL}${await header.locator('img').getAttribute('src')}`);
  expect(logo.headers()['content-type']).toBe('image/png');
  await expect(page.getByTestId('brand-legal')).toContainText('城市租车（上海）有限公司');
  // The brand colour on the page's buttons (City Rent: #004b87 with white text).
  const forward = page.locator('.nav .forward').first();
  await expect(forward).toHaveCSS('background-color', 'rgb(0, 75, 135)');
  await expect(forward).toHaveCSS('color', 'rgb(255, 255, 255)');
  const text = await page.locator('body').innerText();
  expect(text).not.toMatch(/powered by|rental satisfaction|租车客户满意度/i);
  expect(await page.title()).not.toMatch(/rental satisfaction|租车客户满意度/i);
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

  // The other brand in English: its English name and footer.
  const coast = await invite(request, baseURL!, GZ01, 'en');
  await page.goto(`/s/${coast}`);
  await expect(page.getByTestId('brand-header').locator('img')).toHaveAttribute('alt', 'Coast Rent');
  await expect(page.getByTestId('brand-legal')).toContainText('Coast Rent (Guangzhou) Co., Ltd');
  await expect(page.locator('.nav .forward').first()).toHaveCSS('background-color', 'rgb(11, 110, 79)');
});

test('the segments page groups the figures by brand', async ({ page, baseURL }) => {
  await page.context().addCookies([{ name: 'lang', value: 'en', url: baseURL! }]);
  await signIn(page, 'executive');
  await page.goto('/segments');
  await page.locator('nav.tabs a[data-segment="brand"]').click();
  await expect(page).toHaveURL(/by=brand/);
  const table = page.locator('table').filter({ has: page.locator('tr[data-key="CITY"]') });
  await expect(table.locator('tr[data-key="CITY"]')).toContainText('City Rent');
  await expect(table.locator('tr[data-key="COAST"]')).toContainText('Coast Rent');
});

test('the dashboard filters by brand: the NPS card is the summary of that brand, the choice kept in the URL', async ({ page, request, baseURL }) => {
  await page.context().addCookies([{ name: 'lang', value: 'en', url: baseURL! }]);
  await signIn(page, 'admin');
  const survey = await postRentalSurveyId(request);
  await page.goto('/dashboard?period=90d');
  await page.waitForLoadState('networkidle');
  const period = await shownPeriod(page);
  const base = { survey, from: period.from, to: period.to, lang: 'en' };
  const company = await apiGet(request, `/api/analytics/summary${query({ ...base, groupBy: 'none' })}`);
  const brand = page.getByTestId('brand-filter');
  await expect(brand.locator('option:checked')).toHaveText('All brands');
  await brand.selectOption({ label: 'Coast Rent' });
  await expect(page).toHaveURL(/[?&]brand=COAST(&|$)/);
  await page.waitForLoadState('networkidle');

  const coast = await apiGet(request, `/api/analytics/summary${query({ ...base, groupBy: 'none', brand: 'COAST' })}`);
  // The brand's answers are a part of the company's: a figure that ignored the filter would differ.
  expect(coast.total.nps.n).toBeGreaterThan(0);
  expect(coast.total.nps.n).toBeLessThan(company.total.nps.n);
  const nps = page.getByTestId('kpi-nps');
  await expect(nps.locator('[data-field="n"]')).toHaveAttribute('data-value', String(coast.total.nps.n));
  expect(await attrNumber(nps)).toBe(coast.total.nps.score);
  expect(await attrNumber(nps.locator('[data-field="ci95"]'), 'data-low')).toBe(coast.total.nps.ci95[0]);
  expect(await attrNumber(nps.locator('[data-field="ci95"]'), 'data-high')).toBe(coast.total.nps.ci95[1]);
  // Kept in the URL like the other filters, and counted as an active filter.
  await expect(page.getByTestId('brand-filter').locator('option:checked')).toHaveText('Coast Rent');
  await expect(page.getByTestId('filter-bar').locator('summary')).toContainText('1 filters');
  // The PDF report takes no brand filter: the link does not pretend it does.
  expect(await page.getByTestId('dashboard-pdf').getAttribute('href')).not.toContain('brand=');

  // Back to all brands: the company's figure again.
  await page.getByTestId('brand-filter').selectOption({ label: 'All brands' });
  await expect(page).not.toHaveURL(/brand=COAST/);
  await expect(page.getByTestId('kpi-nps').locator('[data-field="n"]')).toHaveAttribute('data-value', String(company.total.nps.n));
});

test('an admin creates a brand, is refused a colour without AA contrast, uploads a logo and gives a branch the brand', async ({ page, baseURL }) => {
  await page.context().addCookies([{ name: 'lang', value: 'zh-CN', url: baseURL! }]);
  await signIn(page, 'admin');
  await page.goto('/admin');
  await page.locator('nav.subnav a[href="/admin/brands"]').click();
  await expect(page).toHaveURL(/\/admin\/brands$/);
  await expect(page.locator('tr[data-code="CITY"]')).toBeVisible();

  const code = `E2E${Date.now().toString(36).toUpperCase().slice(-5)}`;
  const create = page.getByTestId('brand-create');
  await create.locator('input[name="code"]').fill(code);
  await create.locator('input[name="name"]').fill('测试品牌');
  await create.locator('input[name="nameEn"]').fill('Test Brand');
  // #777777 on white is 4.48:1: refused, the brand colour (and the white text on it) named.
  await create.locator('input[name="primaryColor"]').fill('#777777');
  await create.locator('input[name="onPrimaryColor"]').fill('#ffffff');
  await create.locator('input[name="senderName"]').fill('Test Brand');
  await create.locator('input[name="senderEmail"]').fill('care@testbrand.example.com');
  await create.locator('input[name="smsSender"]').fill('TestBrand');
  await create.locator('textarea[name="legalFooter"]').fill('测试品牌有限公司');
  await create.locator('button[type="submit"]').click();
  const refused = create.locator('[data-testid="brand-error"][data-field="primaryColor"]');
  await expect(refused).toContainText('4.48');
  await expect(refused).toContainText(/品牌色/);
  await expect(page.locator(`tr[data-code="${code}"]`)).toHaveCount(0);

  await create.locator('input[name="primaryColor"]').fill('#5a2d82');
  await create.locator('button[type="submit"]').click();
  const row = page.locator(`tr[data-code="${code}"]`);
  await expect(row).toContainText('测试品牌');

  // The logo: a PNG, shown in the list.
  await row.locator('summary').click();
  const logoForm = row.locator('form[action="?/logo"]');
  await logoForm.locator('input[type="file"]').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: demoLogo('#5a2d82') });
  await logoForm.locator('button[type="submit"]').click();
  await expect(page.locator(`tr[data-code="${code}"] img`)).toHaveAttribute('alt', '测试品牌');

  // An SVG is refused as a logo, by its content.
  const again = page.locator(`tr[data-code="${code}"]`);
  if (!(await again.locator('details').getAttribute('open'))) await again.locator('summary').click();
  await again
    .locator('form[action="?/logo"] input[type="file"]')
    .setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>') });
  await again.locator('form[action="?/logo"] button[type="submit"]').click();
  await expect(again.locator('[data-testid="brand-error"][data-field="logo"]')).toContainText('PNG');

  // The admin branch page: XA01 gets the new brand.
  await page.goto('/admin/branches');
  const branch = page.locator('tr[data-code="XA01"]');
  await branch.locator('summary').click();
  const select = branch.getByTestId('branch-brand');
  await select.locator('select').selectOption({ label: `${code} · 测试品牌` });
  await select.locator('button[type="submit"]').click();
  await expect(page.getByTestId('branch-brand-saved')).toBeVisible();
  const brands = await (await page.context().request.get('/api/brands')).json();
  expect(brands.find((b: { code: string }) => b.code === code).branches.map((b: { code: string }) => b.code)).toEqual(['XA01']);
  // Back to the demo's brand, so other tests see the demo as it was.
  const coast = brands.find((b: { code: string }) => b.code === 'COAST');
  const xa01 = (await (await page.context().request.get('/api/branches')).json()).find((b: { code: string }) => b.code === 'XA01');
  const restore = await page
    .context()
    .request.put(`/api/branches/${xa01.id}/brand`, { data: { brandId: coast.id }, headers: { 'x-requested-with': 'playwright' } });
  expect(restore.status()).toBe(200);
});
