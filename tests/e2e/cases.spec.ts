// The closed loop in a real browser on the real server: a customer's low score becomes a case (through the
// evaluation job), and the branch manager works it from open to resolved in the UI.
import { expect, test } from '@playwright/test';
import { rentalPayload, tokenFromLink } from '../support/rentals.ts';
import { apiHeaders, demoUser, signInWithForm } from './support/session.ts';
import { answerAsDetractor, openSurvey } from './support/survey-page.ts';

const H = 3_600_000;

test('a detractor’s answers become a case that the branch manager works from open to resolved', async ({ page, request, baseURL }) => {
  test.setTimeout(120_000);
  const headers = await apiHeaders(request);
  const stamp = Date.now();
  const returnedAt = new Date(stamp - 3 * H);
  const created = await request.post(`${baseURL}/api/rentals`, {
    headers,
    data: rentalPayload(stamp % 1_000_000, {
      externalId: `E2E-CASE-${stamp}`,
      customer: { externalId: `E2E-CASE-C-${stamp}`, name: 'Ms Case', email: `case.${stamp}@example.com`, phone: '+86 139 0000 1234', preferredLanguage: 'en' },
      pickupBranch: 'SH01',
      returnBranch: 'SH01',
      pickedUpAt: new Date(returnedAt.getTime() - 48 * H).toISOString(),
      returnedAt: returnedAt.toISOString(),
    }),
  });
  expect(created.status()).toBe(201);
  const token = tokenFromLink((await created.json()).invitation.link);

  // The customer answers: a detractor who waited at the counter.
  const customer = await page.context().browser()!.newPage();
  await openSurvey(customer, token);
  await answerAsDetractor(customer);
  await expect(customer.getByTestId('thank-you')).toBeVisible();
  await customer.close();

  // The evaluation job opens the case within a few seconds, owned by the branch's manager.
  const manager = demoUser('branch_manager');
  let caseId = '';
  await expect
    .poll(
      async () => {
        const list = await (await request.get(`${baseURL}/api/cases?sort=newest&limit=5`, { headers })).json();
        const found = list.items.find((c: { customerName: string | null }) => c.customerName === 'Ms Case');
        caseId = found?.id ?? '';
        return found ? { status: found.status, owner: found.ownerEmail } : null;
      },
      { timeout: 30_000 },
    )
    .toEqual({ status: 'open', owner: manager.email });

  // The manager finds it among their own cases and opens it.
  await signInWithForm(page, 'branch_manager', '/cases?mine=true');
  await page.goto('/cases?mine=true');
  const row = page.locator(`[data-testid="case-row"][data-case="${caseId}"]`);
  await expect(row).toBeVisible();
  await row.getByRole('link').first().click();
  await expect(page).toHaveURL(new RegExp(`/cases/${caseId}$`));
  await expect(page.getByTestId('case-status')).toHaveText('Open');
  await expect(page.getByTestId('case-answers')).toContainText('2 / 10');
  // A branch manager sees the phone masked, on the cases they own too: one masking rule.
  await expect(page.getByTestId('customer-phone')).toHaveText('+86 139****1234');

  // A call: the first response; the case is now in progress.
  const contact = page.getByTestId('contact-form');
  await contact.getByLabel('How').selectOption('call');
  await contact.getByLabel('What was said or agreed').fill('Called the customer and apologised for the wait.');
  await contact.getByRole('button', { name: 'Log contact' }).click();
  await expect(page.getByTestId('case-status')).toHaveText('In progress');
  await expect(page.getByTestId('case-timeline')).toContainText('Contacted the customer (Call)');
  await expect(page.getByTestId('case-timeline')).toContainText('Called the customer and apologised for the wait.');

  // Resolving needs a root cause and what was done.
  const resolve = page.getByTestId('resolve-form');
  await resolve.getByLabel('Root cause').selectOption('waiting_time');
  await resolve.getByLabel('Resolution').fill('Extra counter staff at peak hours; apology and a voucher.');
  await resolve.locator('select[name="compensationType"]').selectOption('voucher');
  await resolve.getByLabel('Amount (CNY)').fill('100');
  await resolve.getByRole('button', { name: 'Resolve' }).click();
  await expect(page.getByTestId('case-status')).toHaveText('Resolved');
  await expect(page.getByTestId('case-root-cause')).toHaveText('Waiting time');
  await expect(page.getByTestId('case-timeline')).toContainText('Status: In progress → Resolved');

  // The API agrees, and the follow-up survey goes out through its job.
  const detail = await (await request.get(`${baseURL}/api/cases/${caseId}`, { headers })).json();
  expect(detail).toMatchObject({ status: 'resolved', rootCause: 'waiting_time', compensationType: 'voucher', compensationAmount: 100 });
  expect(detail.firstRespondedAt).not.toBeNull();
  await expect
    .poll(async () => (await (await request.get(`${baseURL}/api/cases/${caseId}`, { headers })).json()).followUp?.invitationId ?? null, { timeout: 30_000 })
    .not.toBeNull();

  // On the board it sits in the Resolved column.
  await page.goto('/cases?view=board&mine=true');
  await expect(
    page
      .locator('section', { has: page.locator('h2', { hasText: 'Resolved' }) })
      .getByTestId('case-card')
      .filter({ hasText: `#${detail.number}` }),
  ).toBeVisible();
});

test('a quality manager writes an alert rule in the form', async ({ page, request, baseURL }) => {
  await signInWithForm(page, 'quality_manager', '/cases/rules');
  await page.goto('/cases/rules/new');
  await page.getByLabel('Name').fill(`Key accounts ${Date.now()}`);
  const name = await page.getByLabel('Name').inputValue();
  await page.locator('input[name="npsOn"]').uncheck();
  await page.locator('input[name="problemOn"]').check();
  await page.getByLabel('A comment contains').fill('refund, 投诉');
  await page.locator('input[name="tiers"][value="A"]').check();
  await page.locator('select[name="priority"]').selectOption('urgent');
  await page.getByLabel('First response within (hours)').fill('4');
  await page.getByLabel('Resolve within (hours)').fill('2');
  await page.getByRole('button', { name: 'Save rule' }).click();
  // Resolving faster than responding is refused, naming the field; the values stay in the form.
  await expect(page.locator('[aria-invalid="true"][name="resolutionHours"]')).toBeVisible();
  await expect(page.getByLabel('A comment contains')).toHaveValue('refund, 投诉');
  await page.getByLabel('Resolve within (hours)').fill('24');
  await page.locator('input[name="businessHoursOn"]').check();
  await page.locator('input[name="days"][value="6"]').check();
  await page.getByRole('button', { name: 'Save rule' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved');

  const rules = await (await request.get(`${baseURL}/api/alert-rules`, { headers: await apiHeaders(request) })).json();
  const rule = rules.find((r: { name: string }) => r.name === name);
  expect(rule).toMatchObject({
    priority: 'urgent',
    triggers: [{ type: 'any_problem' }, { type: 'comment_contains', keywords: ['refund', '投诉'] }],
    filters: [{ type: 'customer_tier', values: ['A'] }],
    firstResponseHours: 4,
    resolutionHours: 24,
    businessHours: { days: [1, 2, 3, 4, 5, 6], start: '09:00', end: '18:00' },
  });
  await page.goto('/cases/rules');
  await expect(page.getByTestId('rule-row').filter({ hasText: name })).toBeVisible();
});
