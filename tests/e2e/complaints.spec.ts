// Complaints from every channel in a real browser on the real server, in zh-CN and en: a branch manager
// finds the customer by phone (shown masked), opens a case from an email with a category and a photo,
// downloads the photo from the case page; the case metrics show the share per channel and the golden
// first-contact hit rate, chart and numbers one click apart.
import { expect, test } from '@playwright/test';
import { rentalPayload } from '../support/rentals.ts';
import { apiHeaders, openAs } from './support/session.ts';

const H = 3_600_000;
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('e2e receipt photo')]);

const TEXT = {
  en: { title: 'New complaint', channel: 'Email', share: 'Share of cases per channel', showChart: /chart/i },
  'zh-CN': { title: '登记投诉', channel: '邮件', share: '各渠道工单占比', showChart: /图/ },
} as const;

for (const locale of ['en', 'zh-CN'] as const) {
  test(`complaint (${locale}): lookup by phone, a case from an email with an attachment, metrics per channel`, async ({ page, request, baseURL }) => {
    test.setTimeout(120_000);
    const headers = await apiHeaders(request);
    const stamp = Date.now();
    const phoneDigits = `139${String(stamp).slice(-8)}`;
    const returnedAt = new Date(stamp - 5 * H);
    const created = await request.post(`${baseURL}/api/rentals`, {
      headers,
      data: rentalPayload(stamp % 1_000_000, {
        externalId: `E2E-COMPLAINT-${locale}-${stamp}`,
        customer: {
          externalId: `E2E-COMPLAINT-C-${stamp}`,
          name: 'Mr Complaint',
          email: `complaint.${stamp}@example.com`,
          phone: `+86 ${phoneDigits}`,
          preferredLanguage: 'en',
        },
        pickupBranch: 'SH01',
        returnBranch: 'SH01',
        pickedUpAt: new Date(returnedAt.getTime() - 48 * H).toISOString(),
        returnedAt: returnedAt.toISOString(),
      }),
    });
    expect(created.status()).toBe(201);

    await openAs(page, 'branch_manager', locale, '/cases/new');
    await expect(page.getByRole('heading', { level: 2, name: TEXT[locale].title })).toBeVisible();
    // The phone goes in the form's body; the page's address never holds it.
    await page
      .getByTestId('lookup-form')
      .locator('input[name="phone"]')
      .fill(phoneDigits.replace(/(\d{3})(\d{4})(\d{4})/, '$1 $2 $3'));
    await page.getByTestId('lookup-form').locator('button[type="submit"]').click();
    const results = page.getByTestId('lookup-results');
    await expect(results).toContainText('Mr Complaint');
    await expect(results).toContainText(`****${phoneDigits.slice(-4)}`);
    await expect(results).not.toContainText(phoneDigits);
    expect(page.url()).not.toContain(phoneDigits);
    await page.getByTestId(`rental-E2E-COMPLAINT-${locale}-${stamp}`).check();

    await page.getByTestId('complaint-channel').selectOption('email');
    await page.getByTestId('complaint-category').selectOption('billing');
    await page.getByTestId('complaint-description').fill(`E2E ${locale}: charged twice for the child seat`);
    await page.getByTestId('complaint-files').setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: PNG });
    await page.getByTestId('complaint-submit').click();
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId('case-channel')).toHaveText(TEXT[locale].channel);
    await expect(page.getByTestId('case-description')).toContainText('charged twice for the child seat');
    const caseId = page.url().split('/').pop()!;
    const detail = await (await request.get(`${baseURL}/api/cases/${caseId}`, { headers })).json();
    expect(detail).toMatchObject({
      channel: 'email',
      rootCause: 'billing',
      ownerEmail: 'manager.sh01@example.com',
      rental: { externalId: `E2E-COMPLAINT-${locale}-${stamp}` },
    });

    const download = page.waitForEvent('download');
    await page.getByTestId('case-attachments').getByRole('link', { name: 'receipt.png' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('receipt.png');

    // Metrics: the email share as the API counts it, in the table; the chart one click away.
    await page.goto('/cases/metrics');
    await page.waitForLoadState('networkidle');
    const metrics = await (await request.get(`${baseURL}/api/cases/metrics`, { headers: await apiHeaders(request, 'branch_manager') })).json();
    const email = metrics.channels.find((c: { channel: string }) => c.channel === 'email');
    expect(email.cases).toBeGreaterThan(0);
    await expect(page.getByTestId('share-email')).toContainText((email.share * 100).toFixed(1));
    await expect(page.getByTestId('golden-total')).toContainText(`${metrics.total.firstContactHits} / ${metrics.total.firstContactDecided}`);
    const shareCard = page.locator('section', { has: page.getByRole('heading', { name: TEXT[locale].share }) });
    await shareCard.getByRole('button').click();
    await expect(shareCard.locator('canvas')).toBeVisible();
  });
}
