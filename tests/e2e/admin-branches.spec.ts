// Branch management in the browser: an admin creates a branch, edits it, deactivates it and imports a CSV
// (a bad file is refused row by row and changes nothing; a good one creates and updates branches).
import { expect, test } from '@playwright/test';
import { signIn } from './support/session.ts';

test('an admin creates a branch, edits it and imports branches from CSV', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/admin');
  await page.locator('nav.subnav a[href="/admin/branches"]').click();
  await expect(page).toHaveURL(/\/admin\/branches$/);
  await page.locator('[data-testid="branches"]').waitFor();

  const code = `E2E${Date.now().toString(36).toUpperCase().slice(-5)}`;
  const create = page.locator('form[action="?/create"]');
  await create.locator('input[name="code"]').fill(code);
  await create.locator('input[name="name"]').fill('测试门店');
  await create.locator('input[name="nameEn"]').fill('Test branch');
  await create.locator('input[name="city"]').fill('成都');
  await create.locator('input[name="region"]').fill('西南');
  // A time zone that is not an IANA name is refused, with the field named.
  await create.locator('input[name="timeZone"]').fill('GMT+8');
  await create.locator('button[type="submit"]').click();
  await expect(create.locator('.error')).toHaveCount(1);
  await expect(page.locator(`tr[data-code="${code}"]`)).toHaveCount(0);
  await create.locator('input[name="timeZone"]').fill('Asia/Chongqing');
  await create.locator('button[type="submit"]').click();
  const row = page.locator(`tr[data-code="${code}"]`);
  await expect(row).toContainText('测试门店');
  await expect(row).toContainText('Asia/Chongqing');

  // Edit: a new English name and region.
  await row.locator('summary').click();
  const edit = row.locator('form[action="?/update"]');
  await edit.locator('input[name="nameEn"]').fill('Chengdu Test');
  await edit.locator('input[name="region"]').fill('西部');
  await edit.locator('button[type="submit"]').click();
  await expect(row).toContainText('Chengdu Test');
  await expect(row).toContainText('西部');

  // Deactivate: the row says so and the API lists it among the inactive ones.
  if (!(await row.locator('details').getAttribute('open'))) await row.locator('summary').click();
  await row.locator('form[action="?/toggle"] button').click();
  await expect(row).toHaveClass(/inactive/);
  const inactive = await (await page.context().request.get('/api/branches?active=false')).json();
  expect(inactive.map((b: { code: string }) => b.code)).toContain(code);

  // A CSV with a bad row: refused, the row named, nothing written.
  const upload = page.locator('form[action="?/import"]');
  const other = `${code}B`;
  const bad = `code,name,name_en,city,region,time_zone\n${other},新门店,New,西安,西北,Asia/Shanghai\n${code},改名,,成都,西部,Not/A_Zone\n`;
  await upload.locator('input[type="file"]').setInputFiles({ name: 'branches.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await upload.locator('button[type="submit"]').click();
  const errors = page.getByTestId('branches-import-errors');
  await expect(errors.locator('li')).toHaveCount(1);
  await expect(errors.locator('li')).toContainText('3');
  await expect(page.locator(`tr[data-code="${other}"]`)).toHaveCount(0);

  // The corrected file: one branch created, the edited one updated and active again.
  const good = `code,name,name_en,city,region,time_zone,active\n${other},新门店,New,西安,西北,Asia/Shanghai,true\n${code},改名,,成都,西部,Asia/Chongqing,true\n`;
  await upload.locator('input[type="file"]').setInputFiles({ name: 'branches.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await upload.locator('button[type="submit"]').click();
  await expect(page.getByTestId('branches-imported')).toContainText('2');
  await expect(page.locator(`tr[data-code="${other}"]`)).toContainText('新门店');
  await expect(row).toContainText('改名');
  await expect(row).not.toHaveClass(/inactive/);
});
