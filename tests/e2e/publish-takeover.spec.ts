// Publishing a second post-rental survey says which rentals change hands: a quality manager gives a new
// survey one branch in the targets editor (/distribution/rules/<id>), the survey page's publish section lists
// that branch's rentals moving over from the demo's post-rental survey with the counts of the API's preview,
// and once published a new rental of that branch is invited by the new survey, another branch's by the old.
import { expect, test } from '@playwright/test';
import postgres from 'postgres';
import { rentalPayload } from '../support/rentals.ts';
import { apiHeaders, openAs } from './support/session.ts';

const H = 3_600_000;
// A demo branch (api/src/demo/seed.ts) that no spec after this one posts rentals to, and another one.
const TARGET = 'SY01';
const OTHER = 'CD01';
const created: string[] = [];

/** The new survey never stays active: it would take the branch's invitations from the demo survey. */
test.afterAll(async ({ request }) => {
  const headers = await apiHeaders(request, 'quality_manager');
  for (const id of created) await request.post(`/api/surveys/${id}/archive`, { headers });
});

type Preview = {
  alreadyActive: boolean;
  periodDays: number;
  moves: { from: { surveyId: string; name: string } | null; targets: { branches: string[]; regions: string[] } | null; rentals: number }[];
  stays: unknown[];
};

test('the publish section lists the branch’s rentals moving to the new survey, and new rentals follow', async ({ page, request, baseURL }) => {
  test.setTimeout(120_000);
  const headers = await apiHeaders(request, 'quality_manager');
  const surveys = (await (await request.get(`${baseURL}/api/surveys`, { headers })).json()) as {
    id: string;
    name: string;
    kind: string;
    receivesRentalInvitations: boolean;
  }[];
  const current = surveys.filter((s) => s.kind === 'post_rental' && s.receivesRentalInvitations);
  expect(current, 'one active post-rental survey (the demo’s)').toHaveLength(1);
  const first = current[0];

  // A second post-rental survey from the template, a draft.
  const name = `E2E 三亚门店问卷 ${Date.now()}`;
  const res = await request.post(`${baseURL}/api/surveys`, { headers, data: { name, fromTemplate: 'post-rental' } });
  expect(res.status(), await res.text()).toBe(201);
  const surveyId = (await res.json()).id as string;
  created.push(surveyId);

  // Its targets in the editor: one branch.
  await openAs(page, 'quality_manager', 'zh-CN', `/distribution/rules/${surveyId}`);
  const targets = page.getByTestId('rules-targets');
  await targets.locator('input[name="targetBranches"]').fill(TARGET);
  await page.getByRole('button', { name: '保存规则' }).click();
  await expect(page.locator('[role="status"]', { hasText: '规则已保存。' })).toBeVisible();
  const rules = await (await request.get(`${baseURL}/api/surveys/${surveyId}/invitation-rules`, { headers })).json();
  expect(rules.rules.targets).toEqual({ branches: [TARGET], regions: [], vehicleClasses: [], customerTypes: [] });

  // What the API says publishing changes: that branch's rentals move from the demo survey, nothing stays.
  const preview = (await (await request.get(`${baseURL}/api/surveys/${surveyId}/invitation-targets/preview`, { headers })).json()) as Preview;
  expect(preview.alreadyActive).toBe(false);
  expect(preview.moves).toHaveLength(1);
  const [move] = preview.moves;
  expect(move.from).toEqual({ surveyId: first.id, name: first.name });
  expect(move.targets?.branches).toEqual([TARGET]);
  expect(move.rentals).toBeGreaterThan(0);
  expect(preview.stays).toEqual([]);

  // The survey page's publish section, in zh-CN and in en, says the same.
  await page.goto(`/surveys/${surveyId}`);
  await page.waitForLoadState('networkidle');
  const takeover = page.getByTestId('rental-takeover');
  await expect(takeover).toContainText(`这是租车后问卷，邀请的租车：门店 ${TARGET}。`);
  await expect(takeover.getByTestId('rental-takeover-move')).toHaveText([
    `从“${first.name}”接手：门店 ${TARGET}（过去 ${preview.periodDays} 天 ${move.rentals} 笔租车）`,
  ]);
  await expect(takeover.getByTestId('rental-takeover-stay')).toHaveCount(0);

  await openAs(page, 'quality_manager', 'en', `/surveys/${surveyId}`);
  await expect(takeover).toContainText(`This is a post-rental survey; it invites: branches ${TARGET}.`);
  await expect(takeover.getByTestId('rental-takeover-move')).toHaveText([
    `Taken over from “${first.name}”: branches ${TARGET} (${move.rentals} rentals in the last ${preview.periodDays} days)`,
  ]);

  // Publish: the section goes (the survey is active now).
  await page.getByTestId('publish').click();
  await expect(page.getByTestId('published')).toContainText('Version 1 published.');
  await expect(takeover).toHaveCount(0);

  // New rentals: the target branch's goes to the new survey, another branch's stays with the first.
  const invitedBy = async (branch: string) => {
    const stamp = Date.now();
    const returnedAt = new Date(stamp - 2 * H);
    const rental = await request.post(`${baseURL}/api/rentals`, {
      headers,
      data: rentalPayload(stamp % 1_000_000, {
        externalId: `E2E-TAKEOVER-${branch}-${stamp}`,
        customer: {
          externalId: `E2E-TAKEOVER-C-${branch}-${stamp}`,
          name: 'Takeover',
          email: `takeover.${branch}.${stamp}@example.com`,
          preferredLanguage: 'en',
        },
        pickupBranch: branch,
        returnBranch: branch,
        pickedUpAt: new Date(returnedAt.getTime() - 24 * H).toISOString(),
        returnedAt: returnedAt.toISOString(),
      }),
    });
    expect(rental.status(), await rental.text()).toBe(201);
    const invitation = (await rental.json()).invitation;
    expect(invitation, `an invitation for the ${branch} rental`).not.toBeNull();
    const sql = postgres(process.env.E2E_DATABASE_URL!, { max: 1, onnotice: () => {} });
    try {
      const [row] = await sql<{ survey_id: string }[]>`select survey_id from invitations where id = ${invitation.id}`;
      return row.survey_id;
    } finally {
      await sql.end();
    }
  };
  expect(await invitedBy(TARGET)).toBe(surveyId);
  expect(await invitedBy(OTHER)).toBe(first.id);
});
