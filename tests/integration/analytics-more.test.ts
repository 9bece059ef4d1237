// Problems Pareto, comment themes, behavioural loyalty, the funnel, the CSV import of past answers and
// the upkeep of the facts rollup (changed, deleted and new responses; a new version's dimensions).
import { beforeAll, describe, expect, it } from 'vitest';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import {
  analyticsDefinition,
  generateAnalyticsData,
  insertAnalyticsData,
  insertResponses,
  type TestData,
  type TestResponse,
} from '../support/analytics-data.ts';
import { csi, normalP, nps, respondentCsi, respondentDimension, wilson } from '../support/analytics-expect.ts';
import { createTestApp, testClock } from '../support/test-db.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let surveyId: string;
let versionId: string;
let data: TestData;
let finished: TestResponse[];
const NOW = new Date('2027-01-15T02:00:00Z');

beforeAll(async () => {
  t = await createTestApp({ clock: testClock(NOW) });
  const survey = await createSurvey(t.db, { name: 'Analytics test', kind: 'post_rental', definition: analyticsDefinition });
  const version = await publishSurvey(t.db, survey.id);
  surveyId = survey.id;
  versionId = version.id;
  data = await insertAnalyticsData(t.sql, { surveyId, versionId }, generateAnalyticsData(7, 360));
  finished = data.responses.filter((r) => r.status === 'finished');
});

async function get(path: string, params: Record<string, string | string[]> = {}) {
  const search = new URLSearchParams({ survey: surveyId });
  for (const [key, value] of Object.entries(params)) for (const v of Array.isArray(value) ? value : [value]) search.append(key, v);
  const res = await t.request(`/api/analytics/${path}?${search}`);
  return { status: res.status, body: (await res.json()) as any };
}

describe('GET /api/analytics/problems', () => {
  it('counts each problem per branch as a Pareto', async () => {
    const { status, body } = await get('problems', { groupBy: 'branch', lang: 'en' });
    expect(status).toBe(200);
    expect(body.question).toBe('q_problems');
    for (const group of [...body.groups, body.total]) {
      const rs = group.key === 'total' ? finished : finished.filter((r) => r.branch === group.key);
      const answered = rs.filter((r) => r.answers.problems !== null);
      expect(group.n).toBe(answered.length);
      expect(group.noProblem).toBe(answered.filter((r) => r.answers.problems!.includes('none')).length);
      const counts = Object.fromEntries(['wait', 'dirty', 'fees', 'other'].map((id) => [id, answered.filter((r) => r.answers.problems!.includes(id)).length]));
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      expect(group.totalProblems).toBe(total);
      expect(Object.fromEntries(group.problems.map((p: any) => [p.id, p.count]))).toEqual(counts);
      // Most frequent first, the cumulative share ending at 100 %.
      const sorted = [...group.problems].sort((a: any, b: any) => b.count - a.count);
      expect(group.problems.map((p: any) => p.count)).toEqual(sorted.map((p: any) => p.count));
      if (group.suppressed) {
        expect(group.problems[0]).toMatchObject({ share: null, incidence: null, cumulative: null });
        continue;
      }
      expect(group.problems.at(-1).cumulative).toBeCloseTo(100, 9);
      for (const p of group.problems) {
        expect(p.incidence).toBeCloseTo((100 * counts[p.id]) / answered.length, 9);
        expect(p.share).toBeCloseTo((100 * counts[p.id]) / total, 9);
      }
    }
    expect(body.total.problems.find((p: any) => p.id === 'wait').label).toBe('Long wait');
    expect(body.groups.find((g: any) => g.key === 'GZ01').suppressed).toBe(true);
  });
});

describe('GET /api/analytics/comments', () => {
  it('finds the words and phrases of each NPS category, with example comments', async () => {
    const { status, body } = await get('comments', { groupBy: 'branch' });
    expect(status).toBe(200);
    const withComment = finished.filter((r) => r.answers.comment);
    expect(body.analysed).toBe(withComment.length);
    expect(body.total.themes.comments).toBe(withComment.length);
    const friendly = withComment.filter((r) => /friendly/i.test(r.answers.comment!));
    const word = body.total.themes.words.find((w: any) => w.term === 'friendly');
    expect(word.count).toBe(friendly.length);
    expect(word.examples.length).toBeGreaterThan(0);
    for (const example of word.examples) expect(example.toLowerCase()).toContain('friendly');
    expect(body.total.themes.phrases.map((p: any) => p.term)).toContain('friendly staff');
    // The good comments belong to promoters, the bad ones to the others (as generated).
    const promoterTerms = body.total.byCategory.promoter.words.map((w: any) => w.term);
    const detractorTerms = body.total.byCategory.detractor.words.map((w: any) => w.term);
    expect(promoterTerms).toContain('热情');
    // English terms are lemmas (docs/statistics.md, comment themes): "waited" counts as "wait".
    expect(promoterTerms).not.toContain('wait');
    expect(detractorTerms).toContain('wait');
    expect(detractorTerms).not.toContain('waited');
    expect(detractorTerms.some((w: string) => w.includes('小时'))).toBe(true);
    // A group of fewer than minN respondents shows no quotes.
    const gz = body.groups.find((g: any) => g.key === 'GZ01');
    if (gz) expect(gz).toMatchObject({ suppressed: true, themes: { words: [], phrases: [] } });
  });
});

describe('GET /api/analytics/loyalty', () => {
  it('measures repeat rentals after answering by NPS category and index band', async () => {
    const { status, body } = await get('loyalty');
    expect(status).toBe(200);
    expect(body.windows.map((w: any) => w.days)).toEqual([90, 180, 365]);
    const nextRental = (r: TestResponse) => {
      const later = data.rentals.filter((x) => x.customer === r.customer && x.pickedUpAt > r.finishedAt).map((x) => x.pickedUpAt.getTime());
      return later.length ? Math.min(...later) : Infinity;
    };
    const stats = (rs: TestResponse[], days: number) => {
      const eligible = rs.filter((r) => r.finishedAt.getTime() <= NOW.getTime() - days * 86_400_000);
      const returned = eligible.filter((r) => nextRental(r) <= r.finishedAt.getTime() + days * 86_400_000);
      return { n: eligible.length, returned: returned.length };
    };
    const category = (r: TestResponse) => (r.answers.nps! >= 9 ? 'promoter' : r.answers.nps! >= 7 ? 'passive' : 'detractor');
    const band = (r: TestResponse) => {
      const v = respondentCsi(r);
      return v === null ? null : v < 60 ? 0 : v < 75 ? 1 : v < 90 ? 2 : 3;
    };
    for (const w of body.windows) {
      expect(w.overall).toMatchObject(stats(finished, w.days));
      for (const cell of w.byNps) {
        const e = stats(
          finished.filter((r) => category(r) === cell.category),
          w.days,
        );
        expect(cell).toMatchObject(e);
        if (e.n < 10) continue;
        expect(cell.share).toBeCloseTo((100 * e.returned) / e.n, 9);
        const [lo, hi] = wilson(e.returned, e.n);
        expect(cell.ci95[0]).toBeCloseTo(100 * lo, 9);
        expect(cell.ci95[1]).toBeCloseTo(100 * hi, 9);
      }
      w.byCsi.forEach((cell: any, i: number) =>
        expect(cell).toMatchObject(
          stats(
            finished.filter((r) => band(r) === i),
            w.days,
          ),
        ),
      );
    }
    expect(body.windows[0].byCsi.map((b: any) => b.band)).toEqual(['0–60', '60–75', '75–90', '90–100']);
    // No response is a whole year old yet: nothing counts for 365 days.
    expect(body.windows[2].overall).toMatchObject({ n: 0, share: null });

    const p = stats(
      finished.filter((r) => category(r) === 'promoter'),
      180,
    );
    const d = stats(
      finished.filter((r) => category(r) === 'detractor'),
      180,
    );
    const diff = body.windows[1].difference;
    expect(diff.difference).toBeCloseTo(100 * (p.returned / p.n - d.returned / d.n), 9);
    const pooled = (p.returned + d.returned) / (p.n + d.n);
    const z = (p.returned / p.n - d.returned / d.n) / Math.sqrt(pooled * (1 - pooled) * (1 / p.n + 1 / d.n));
    expect(diff.z).toBeCloseTo(z, 9);
    expect(diff.p).toBeCloseTo(normalP(z), 7);
    // As generated, a good experience brings customers back.
    expect(diff.difference).toBeGreaterThan(0);
  });
});

describe('GET /api/analytics/funnel', () => {
  it('follows invitations to finished responses per branch', async () => {
    // Invite the rentals of the first 80 responses (linking them) and 40 rentals nobody answered.
    const answered = data.responses.slice(0, 80);
    const rentalById = new Map(data.rentals.map((x) => [x.id, x]));
    const answeredRentals = new Set(data.responses.map((r) => r.rental));
    const silent = data.rentals.filter((x) => !answeredRentals.has(x.id) && x.returnedAt > new Date('2026-04-01T00:00:00+08:00')).slice(0, 40);
    const statuses = ['sent', 'opened', 'failed', 'opted_out', 'expired'] as const;
    const invitations = [
      ...answered.map((r, i) => ({
        rental: rentalById.get(r.rental)!,
        status: r.status === 'finished' ? 'finished' : 'started',
        opened: true,
        response: r.id,
        i,
      })),
      ...silent.map((x, i) => ({ rental: x, status: statuses[i % statuses.length], opened: statuses[i % statuses.length] === 'opened', response: null, i })),
    ];
    const rows = invitations.map((inv, i) => ({
      id: crypto.randomUUID(),
      survey_id: surveyId,
      survey_version_id: versionId,
      rental_id: inv.rental.id,
      customer_id: inv.rental.customer,
      branch_id: data.branchIds[inv.rental.branch],
      token_hash: `hash-${i}-${crypto.randomUUID()}`,
      channel: 'email',
      status: inv.status,
      scheduled_at: new Date(inv.rental.returnedAt.getTime() + 3_600_000).toISOString(),
      sent_at: inv.status === 'failed' ? null : new Date(inv.rental.returnedAt.getTime() + 3_600_000).toISOString(),
      opened_at: inv.opened ? new Date(inv.rental.returnedAt.getTime() + 7_200_000).toISOString() : null,
      expires_at: new Date(inv.rental.returnedAt.getTime() + 14 * 86_400_000).toISOString(),
      created_at: new Date(inv.rental.returnedAt.getTime() + 3_600_000).toISOString(),
    }));
    await t.sql`insert into invitations ${t.sql(rows)}`;
    for (const [i, inv] of invitations.entries()) if (inv.response) await t.sql`update responses set invitation_id = ${rows[i].id} where id = ${inv.response}`;

    const { status, body } = await get('funnel', { groupBy: 'branch' });
    expect(status).toBe(200);
    const expected = {
      invited: invitations.length,
      sent: invitations.filter((i) => i.status !== 'failed').length,
      failed: invitations.filter((i) => i.status === 'failed').length,
      opened: invitations.filter((i) => i.opened).length,
      started: answered.length,
      finished: answered.filter((r) => r.status === 'finished').length,
      optedOut: invitations.filter((i) => i.status === 'opted_out').length,
      expired: invitations.filter((i) => i.status === 'expired').length,
    };
    expect(body.total).toMatchObject({ ...expected, eligible: data.rentals.length });
    // One unit with /api/distribution/funnel: rates are fractions 0–1, the pages format them as percentages.
    expect(body.total.responseRate).toBeCloseTo(expected.finished / expected.sent, 9);
    expect(body.total.openRate).toBeCloseTo(expected.opened / expected.sent, 9);
    for (const g of body.groups) {
      if (g.sent > 0) expect(g.responseRate).toBeCloseTo(g.finished / g.sent, 9);
    }
    const sh01 = body.groups.find((g: any) => g.key === 'SH01');
    expect(sh01.invited).toBe(invitations.filter((i) => i.rental.branch === 'SH01').length);
    expect(sh01.eligible).toBe(data.rentals.filter((x) => x.branch === 'SH01').length);
  });
});

describe('POST /api/responses/import', () => {
  const csv = (lines: string[]) => `${lines.join('\n')}\n`;
  const post = (body: string, params = '') =>
    t.request(`/api/responses/import?survey=${surveyId}${params}`, { method: 'POST', body, headers: { 'content-type': 'text/csv' } });

  it('imports the good rows, reports each bad one by row number and writes nothing of it', async () => {
    const answeredRental = data.rentals.find((x) => x.id === finished[0].rental)!.externalId;
    const freeRental = data.rentals.find((x) => !data.responses.some((r) => r.rental === x.id))!;
    const file = csv([
      'finished_at,branch,rental,NPS,q_csat,q_staff.friendly,q_staff.competent,q_problems,q_problems.other,q_comment',
      '2026-05-20 10:00,SH01,,9,5,5,4,none,,"很好, 谢谢"',
      '2026-05-20T10:00:00+08:00,BJ01,,3,2,1,2,wait|other,没有导航,太慢',
      '2026-05-21,SH01,,11,5,5,5,none,,',
      '2026-05-21,XX99,,8,4,4,4,none,,',
      'yesterday,SH01,,8,4,4,4,none,,',
      '2026-05-22 09:30,SH01,,8,4,7,4,none,,',
      '2026-05-22 09:30,SH01,,8,4,4,4,none|wait,,',
      `2026-05-22 09:30,,${answeredRental},8,4,4,4,none,,`,
      `2026-05-23 12:00,,${freeRental.externalId},10,5,5,5,none,,`,
      '2030-01-01,SH01,,8,4,4,4,none,,',
      '2026-05-24,SH01,,8,4',
    ]);
    const before = (await get('summary')).body.total;
    const dry = await post(file, '&dryRun=true&mapping=' + encodeURIComponent(JSON.stringify({ NPS: 'q_nps' })));
    expect(dry.status).toBe(200);
    const dryBody = (await dry.json()) as any;
    expect(dryBody).toMatchObject({ dryRun: true, rows: 11, imported: 3, rejected: 8 });
    expect((await get('summary')).body.total.responses).toBe(before.responses);

    const res = await post(file, '&mapping=' + encodeURIComponent(JSON.stringify({ NPS: 'q_nps' })));
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ version: 1, dryRun: false, rows: 11, imported: 3, rejected: 8 });
    const byRow = Object.fromEntries(body.errors.map((e: any) => [e.row, e.errors.map((x: any) => x.path)]));
    expect(byRow).toEqual({
      4: ['q_nps'],
      5: ['branch'],
      6: ['finished_at'],
      7: ['q_staff.friendly'],
      8: ['q_problems'],
      9: ['rental'],
      11: ['finished_at'],
      12: ['row'],
    });
    const imported = await t.sql<{ branch: string | null; rental_id: string | null; nps: number; finished_at: string }[]>`
      select b.code as branch, r.rental_id, a.value_number as nps, r.finished_at::text
      from responses r left join branches b on b.id = r.branch_id
      join answers a on a.response_id = r.id and a.question_id = 'q_nps'
      where r.source = 'import' order by a.value_number`;
    expect(imported.map((r) => [r.branch, r.nps])).toEqual([
      ['BJ01', 3],
      ['SH01', 9],
      [freeRental.branch, 10],
    ]);
    expect(imported.find((r) => r.nps === 9)!.finished_at).toMatch(/^2026-05-20 02:00:00\+00/);
    const [other] = await t.sql`select a.choice_ids, a.value_text from answers a join responses r on r.id = a.response_id
      where r.source = 'import' and a.question_id = 'q_problems' and 'other' = any(a.choice_ids)`;
    expect(other).toMatchObject({ choice_ids: ['wait', 'other'], value_text: '没有导航' });
    // Rejected rows left nothing behind; the imported ones count in the analytics at once.
    const [{ count }] = await t.sql<{ count: number }[]>`select count(*)::int as count from responses where source = 'import'`;
    expect(count).toBe(3);
    const after = (await get('summary')).body.total;
    expect(after.responses).toBe(before.responses + 3);
    expect(after.nps.promoters).toBe(before.nps.promoters + 2);
    expect(after.nps.detractors).toBe(before.nps.detractors + 1);

    const again: any = await (await post(file, '&mapping=' + encodeURIComponent(JSON.stringify({ NPS: 'q_nps' })))).json();
    // The rental row is now answered; the other rows are new responses again (the file has no ids).
    expect(again.errors.find((e: any) => e.row === 10).errors[0].path).toBe('rental');
  });

  it('refuses columns that are not question ids of the version', async () => {
    const res = await post('finished_at,q_nps,q_shoe_size\n2026-05-01,9,44\n');
    expect(res.status).toBe(400);
    const problem = (await res.json()) as any;
    expect(problem.errors).toEqual([expect.objectContaining({ path: 'q_shoe_size' })]);
    const noTime = await post('q_nps\n9\n');
    expect(noTime.status).toBe(400);
    expect(((await noTime.json()) as any).errors[0].path).toBe('finished_at');
  });
});

describe('the facts rollup', () => {
  const total = async () => (await get('summary', { branch: 'SH02' })).body.total;

  it('follows new, changed, unfinished and deleted responses', async () => {
    const start = await total();
    const rental = data.rentals.find((x) => x.branch === 'SH02')!;
    const fresh: TestResponse = {
      id: crypto.randomUUID(),
      branch: 'SH02',
      customer: rental.customer,
      rental: rental.id,
      finishedAt: new Date('2026-05-30T10:00:00+08:00'),
      status: 'finished',
      answers: { nps: 10, csat: 5, staff: { friendly: 5, competent: 5 }, car: { clean: 5, condition: 5 }, price: 10, problems: ['none'], comment: null },
    };
    await insertResponses(t.sql, { surveyId, versionId }, data.branchIds, [fresh]);
    let now = await total();
    expect(now.responses).toBe(start.responses + 1);
    expect(now.nps.promoters).toBe(start.nps.promoters + 1);

    await t.sql`update answers set value_number = 0 where response_id = ${fresh.id} and question_id = 'q_nps'`;
    now = await total();
    expect(now.nps.promoters).toBe(start.nps.promoters);
    expect(now.nps.detractors).toBe(start.nps.detractors + 1);

    await t.sql`update responses set status = 'partial' where id = ${fresh.id}`;
    expect((await total()).responses).toBe(start.responses);
    await t.sql`update responses set status = 'finished' where id = ${fresh.id}`;
    expect((await total()).responses).toBe(start.responses + 1);

    await t.sql`delete from answers where response_id = ${fresh.id}`;
    await t.sql`delete from responses where id = ${fresh.id}`;
    const end = await total();
    expect(end).toEqual(start);
  });

  it('recomputes the respondents’ scores when a new version changes the dimensions', async () => {
    const reweighted = {
      ...analyticsDefinition,
      dimensions: analyticsDefinition.dimensions!.map((d) => ({ ...d, weight: d.id === 'value' ? 0.6 : 0.2 })),
    };
    await t.sql`update surveys set draft_definition = ${JSON.stringify(reweighted)}::jsonb where id = ${surveyId}`;
    await publishSurvey(t.db, surveyId);
    // Before the imported rows (20 May on), the generated responses alone.
    const { body } = await get('summary', { from: '2026-04-01', to: '2026-05-19' });
    const inRange = finished.filter((r) => r.finishedAt < new Date('2026-05-20T00:00:00+08:00'));
    const e = csi(inRange);
    expect(body.total.csi.score).toBeCloseTo(0.2 * e.dimensions[0].score! + 0.2 * e.dimensions[1].score! + 0.6 * e.dimensions[2].score!, 9);
    expect(body.total.csi.dimensions.map((d: any) => d.weight)).toEqual([0.2, 0.2, 0.6].map((w) => expect.closeTo(w, 12)));
    expect(body.total.nps.score).toBeCloseTo(nps(inRange.map((r) => r.answers.nps!)).score, 9);
    // The per-respondent index follows the new weights too (what compare tests).
    const [{ mean }] = await t.sql<{ mean: number }[]>`
      select avg(f.csi) as mean from analytics_response_facts f join responses r on r.id = f.response_id
      where r.source = 'web' and r.finished_at < '2026-05-20T00:00:00+08:00'`;
    const reweightedRespondent = (r: TestResponse) => {
      const ds = [0, 1, 2].map((k) => respondentDimension(r, k));
      const w = [0.2, 0.2, 0.6];
      const known = ds.map((d, k) => (d === null ? 0 : w[k]));
      return known.some((x) => x > 0) ? ds.reduce((a: number, d, k) => a + (d ?? 0) * w[k], 0) / known.reduce((a, b) => a + b, 0) : null;
    };
    const values = inRange.map(reweightedRespondent).filter((v): v is number => v !== null);
    expect(mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 9);
  });
});
