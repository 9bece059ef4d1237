// Reports in the inbox on the demo data: "send me a test now" reaches a real SMTP server; the figures in
// the digest's HTML and in its PDF are the analytics API's (compare against the previous period, the
// branch summary); a branch manager's digest holds their branches only; the PDF download speaks Chinese;
// the schedule sends each period once at its local time, also with two workers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../api/src/demo/seed.ts';
import { runDueDigests, startReportJobs } from '../../api/src/reports/reports.jobs.ts';
import { startBoss, type PgBoss } from '../../api/src/queue/queue.ts';
import { mimeParts } from '../support/mime.ts';
import { pdfText } from '../support/pdf-text.ts';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../support/smtp.ts';
import { createTestApp, testClock, type Credentials } from '../support/test-db.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let smtp: TestSmtpServer;
let surveyId: string;
// Monday 1 June 2026, 10:00 in Shanghai: a weekly digest covers Mon 25 – Sun 31 May, against 18 – 24 May.
const NOW = '2026-06-01T10:00:00+08:00';
const FROM = '2026-05-25';
const TO = '2026-05-31';

beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await createTestApp({ clock: testClock(NOW), env: { SMTP_URL: smtp.url, MAIL_FROM: 'Reports <reports@survey.test>' } });
  expect(await seedDemoData({ db: t.db, sql: t.sql, now: t.clock.now() })).not.toBeNull();
  [{ id: surveyId }] = await t.sql`select id from surveys where kind = 'post_rental' order by created_at limit 1`;
});

afterAll(async () => {
  const { closeReportMail } = await import('../../api/src/reports/reports.jobs.ts');
  await closeReportMail();
  await smtp?.close();
});

const fmt = (v: number | null) => (v === null ? '–' : v.toFixed(1));
const signed = (v: number | null) =>
  v === null ? '–' : v > 0 && v.toFixed(1) !== '0.0' ? `+${v.toFixed(1)}` : v < 0 && v.toFixed(1) !== '0.0' ? `−${Math.abs(v).toFixed(1)}` : v.toFixed(1);

async function api<T = Record<string, unknown>>(path: string, params: Record<string, string | string[]>, as?: Credentials): Promise<T> {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const x of Array.isArray(v) ? v : [v]) search.append(k, x);
  const res = await t.request(`${path}?${search}`, as ? { as } : {});
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as T;
}

async function subscribe(as: Credentials, body: Record<string, unknown>) {
  const res = await t.request('/api/reports/subscription', { method: 'PUT', json: { survey: surveyId, frequency: 'weekly', ...body }, as });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json();
}

async function sendTest(as: Credentials): Promise<ReceivedMail> {
  const before = smtp.messages.length;
  const res = await t.request('/api/reports/subscription/test', { method: 'POST', as });
  expect(res.status, await res.clone().text()).toBe(200);
  const body = await res.json();
  expect(body).toMatchObject({ from: FROM, to: TO });
  await smtp.waitFor(before + 1);
  return smtp.messages[before];
}

/** The value of one headline cell: <tr data-metric="nps">…<td … data-field="value"><b>42.3</b></td>… */
function headlineCell(html: string, metric: string, field: string): string {
  const row = new RegExp(`<tr data-metric="${metric}">(.*?)</tr>`).exec(html)?.[1] ?? '';
  return (new RegExp(`data-field="${field}"[^>]*>(?:<b>)?([^<]*)`).exec(row)?.[1] ?? '').trim();
}

function leagueCells(html: string): Map<string, { nps: string; change: string; n: string }> {
  const table = /<table[^>]*data-report="league">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  const out = new Map<string, { nps: string; change: string; n: string }>();
  for (const m of table.matchAll(/<tr data-branch="([^"]+)">([\s\S]*?)<\/tr>/g)) {
    const cell = (field: string) => (new RegExp(`data-field="${field}"[^>]*>([^<]*)`).exec(m[2])?.[1] ?? '').trim();
    out.set(m[1], { nps: cell('nps'), change: cell('change').replace(' *', ''), n: cell('n') });
  }
  return out;
}

interface CompareTotal {
  total: {
    nps: { score: number; reference: number; difference: number; pAdjusted: number | null; significant: boolean; n: number };
    csat: { top2: number };
    csi: { score: number };
  };
}
interface Summary {
  minN: number;
  groups: { key: string; suppressed: boolean; nps: { score: number | null; n: number } }[];
}
interface Compare {
  groups: { key: string; nps: { difference: number | null } }[];
}

describe('send me a test now', () => {
  let exec: Credentials & { email: string };
  let mail: ReceivedMail;

  beforeAll(async () => {
    exec = await t.signIn('executive');
    const saved = await subscribe(exec, { locale: 'en', scope: { kind: 'all' }, attachPdf: true, weekday: 1, sendHour: 8 });
    // Next Monday 08:00 in Shanghai.
    expect(saved.nextSendAt).toBe('2026-06-08T00:00:00.000Z');
    mail = await sendTest(exec);
  });

  it('reaches the subscriber through SMTP with the charts inline and the PDF attached', () => {
    expect(mail.to).toEqual([exec.email]);
    expect(mail.subject).toContain('Weekly satisfaction digest');
    expect(mail.subject).toContain(`${FROM} – ${TO}`);
    const parts = mimeParts(mail.raw);
    const images = parts.filter((p) => p.contentType === 'image/png');
    expect(images.map((p) => p.contentId).sort()).toEqual(['league@report', 'trend@report']);
    for (const image of images) expect(image.body.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(mail.html).toContain('src="cid:trend@report"');
    expect(mail.html).toContain('src="cid:league@report"');
    const pdf = parts.find((p) => p.contentType === 'application/pdf');
    expect(pdf?.filename).toBe(`report-${FROM}-${TO}.pdf`);
    expect(pdf!.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it("holds the API's headline figures, change and significance against the week before", async () => {
    const compare = await api<CompareTotal>('/api/analytics/compare', { survey: surveyId, from: FROM, to: TO, against: 'previous' }, exec);
    const nps = compare.total.nps;
    expect(nps.n).toBeGreaterThan(0);
    expect(headlineCell(mail.html, 'nps', 'value')).toBe(fmt(nps.score));
    expect(headlineCell(mail.html, 'nps', 'previous')).toBe(fmt(nps.reference));
    expect(headlineCell(mail.html, 'nps', 'change')).toBe(signed(nps.score - nps.reference));
    expect(headlineCell(mail.html, 'nps', 'n')).toBe(String(nps.n));
    expect(headlineCell(mail.html, 'nps', 'significance')).toMatch(nps.significant ? /^significant/ : /^not significant|too few/);
    expect(headlineCell(mail.html, 'csat', 'value')).toBe(fmt(compare.total.csat.top2));
    expect(headlineCell(mail.html, 'csi', 'value')).toBe(fmt(compare.total.csi.score));
  });

  it("holds every branch's NPS and change as the summary and compare routes give them, best first", async () => {
    const summary = await api<Summary>('/api/analytics/summary', { survey: surveyId, from: FROM, to: TO, groupBy: 'branch' }, exec);
    const compare = await api<Compare>('/api/analytics/compare', { survey: surveyId, from: FROM, to: TO, groupBy: 'branch', against: 'previous' }, exec);
    const league = leagueCells(mail.html);
    expect([...league.keys()].sort()).toEqual(summary.groups.map((g) => g.key).sort());
    expect(league.size).toBe(11);
    for (const g of summary.groups) {
      const row = league.get(g.key)!;
      expect(row.n).toBe(String(g.nps.n));
      if (g.suppressed) expect(row.nps).toBe('too few responses');
      else expect(row.nps).toBe(fmt(g.nps.score));
      expect(row.change).toBe(signed(compare.groups.find((c) => c.key === g.key)?.nps.difference ?? null));
    }
    // Ranked by NPS: the first scored row is the best branch.
    const scored = summary.groups.filter((g) => !g.suppressed && g.nps.score !== null).sort((a, b) => b.nps.score! - a.nps.score!);
    expect([...league.keys()][0]).toBe(scored[0].key);
  });

  it('counts the cases still open past a time limit at the time of sending', async () => {
    const now = t.clock.now().toISOString();
    const [{ n }] = await t.sql<{ n: number }[]>`
      select count(*)::int as n from cases
      where status not in ('resolved', 'closed')
        and ((first_responded_at is null and first_response_due_at < ${now}::timestamptz) or resolution_due_at < ${now}::timestamptz)`;
    expect(/data-report="breaches">(\d+)</.exec(mail.html)?.[1]).toBe(String(n));
  });

  it('names up to three movers with why their NPS moved', () => {
    const movers = [...mail.html.matchAll(/<li data-branch="([^"]+)" data-kind="([^"]*)"/g)];
    expect(movers.length).toBeGreaterThan(0);
    expect(movers.length).toBeLessThanOrEqual(3);
    expect(mail.html).toMatch(/explains about|not explained|hardly moved|Too few responses/);
  });

  it('puts the same figures in the attached PDF', async () => {
    const pdf = mimeParts(mail.raw).find((p) => p.contentType === 'application/pdf')!;
    const text = await pdfText(pdf.body);
    const compare = await api<CompareTotal>('/api/analytics/compare', { survey: surveyId, from: FROM, to: TO, against: 'previous' }, exec);
    const nps = compare.total.nps;
    expect(text).toContain('Weekly satisfaction digest');
    expect(text).toContain(`${FROM} – ${TO}`);
    expect(text).toMatch(
      new RegExp(
        `NPS ${fmt(nps.score).replace('.', '\\.')} ${fmt(nps.reference).replace('.', '\\.')} ${signed(nps.score - nps.reference).replace(/[.+]/g, '\\$&')}`,
      ),
    );
    const summary = await api<Summary>('/api/analytics/summary', { survey: surveyId, from: FROM, to: TO, groupBy: 'branch' }, exec);
    const best = summary.groups.filter((g) => !g.suppressed && g.nps.score !== null).sort((a, b) => b.nps.score! - a.nps.score!)[0];
    expect(text).toMatch(new RegExp(`1 ${best.key} .*? ${fmt(best.nps.score).replace('.', '\\.')} `));
  });
});

describe("a branch manager's digest", () => {
  it('holds only their branches, in Chinese', async () => {
    const manager = await t.signIn('branch_manager', { branches: ['SH01'] });
    await subscribe(manager, { locale: 'zh-CN', scope: { kind: 'all' }, attachPdf: true });
    const mail = await sendTest(manager);
    expect(mail.subject).toContain('客户满意度周报');
    expect([...leagueCells(mail.html).keys()]).toEqual(['SH01']);
    expect(mail.html).toContain('上海虹桥机场店');
    for (const code of ['SH02', 'BJ01', 'GZ01', 'XA01']) expect(mail.html).not.toContain(code);
    // Its headline is SH01's, as the API gives it to the manager and as a filter on SH01 gives it to anyone.
    const mine = await api<CompareTotal>('/api/analytics/compare', { survey: surveyId, from: FROM, to: TO, against: 'previous' }, manager);
    const sh01 = await api<CompareTotal>('/api/analytics/compare', { survey: surveyId, from: FROM, to: TO, against: 'previous', branch: 'SH01' });
    expect(mine.total.nps.score).toBe(sh01.total.nps.score);
    expect(headlineCell(mail.html, 'nps', 'value')).toBe(fmt(sh01.total.nps.score));
    const text = await pdfText(mimeParts(mail.raw).find((p) => p.contentType === 'application/pdf')!.body);
    expect(text).toContain('SH01');
    expect(text).toContain('上海虹桥机场店');
    for (const code of ['SH02', 'BJ01', 'GZ01', 'XA01']) expect(text).not.toContain(code);
  });

  it('cannot be widened to a branch they do not see (400 naming the field), and nothing is saved', async () => {
    const manager = await t.signIn('branch_manager', { branches: ['SH01'] });
    const res = await t.request('/api/reports/subscription', {
      method: 'PUT',
      as: manager,
      json: { survey: surveyId, frequency: 'monthly', locale: 'en', scope: { kind: 'branches', codes: ['SH01', 'BJ01'] } },
    });
    expect(res.status).toBe(400);
    const problem = await res.json();
    expect(problem.errors).toEqual([expect.objectContaining({ path: 'scope.codes', message: expect.stringContaining('BJ01') })]);
    const page = await api<{ subscription: unknown; branches: { code: string }[] }>('/api/reports/subscription', {}, manager);
    expect(page.subscription).toBeNull();
    expect(page.branches.map((b) => b.code)).toEqual(['SH01']);
  });
});

describe('targets in the digest', () => {
  // What GET /api/targets/status says of each figure, as the digest words it (symbol and words, never colour alone).
  const WORDS: Record<string, Record<string, string>> = {
    en: { met: '✓ met', not_met: '✗ not met', indistinguishable: '≈ not distinguishable', no_data: '– no data' },
    'zh-CN': { met: '✓ 达标', not_met: '✗ 未达标', indistinguishable: '≈ 无法区分', no_data: '– 无数据' },
  };
  interface StatusFigure {
    metric: string;
    target: { value: number } | null;
    status: string | null;
  }
  interface Status {
    asOf: string;
    rows: { key: string; figures: StatusFigure[] }[];
  }
  const expected = (f: StatusFigure | undefined, lang: string) => ({
    target: f?.target ? fmt(f.target.value) : '–',
    status: f?.status ? WORDS[lang][f.status] : '–',
  });
  const cells = (row: string) => ({
    target: (/data-field="target"[^>]*>([^<]*)/.exec(row)?.[1] ?? '').trim(),
    status: (/data-field="targetStatus"[^>]*>([^<]*)/.exec(row)?.[1] ?? '').trim(),
  });
  const headlineTargets = (html: string, metric: string) => cells(new RegExp(`<tr data-metric="${metric}">(.*?)</tr>`).exec(html)?.[1] ?? '');
  function leagueTargets(html: string) {
    const table = /<table[^>]*data-report="league">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
    return new Map([...table.matchAll(/<tr data-branch="([^"]+)">([\s\S]*?)<\/tr>/g)].map((m) => [m[1], cells(m[2])]));
  }
  const HEADLINE: [string, string][] = [
    ['nps', 'nps'],
    ['csat', 'csat_top2'],
    ['csi', 'csi'],
  ];

  beforeAll(async () => {
    const quality = await t.signIn('quality_manager');
    // Monthly targets: the shortest period containing the digest's last day, so they win over the demo's year and quarter.
    for (const json of [
      { metric: 'nps', level: 'company', period: '2026-05', value: 35 },
      { metric: 'nps', level: 'branch', scope: 'SH01', period: '2026-05', value: 42.5 },
      { metric: 'nps', level: 'branch', scope: 'SH02', period: '2026-05', value: 17.5 },
    ]) {
      const res = await t.request('/api/targets', { method: 'PUT', as: quality, json });
      expect(res.status, await res.clone().text()).toBe(200);
    }
  });

  it("shows each headline figure's and each branch's target and status as GET /api/targets/status gives them", async () => {
    const exec = await t.signIn('executive');
    await subscribe(exec, { locale: 'en', scope: { kind: 'all' }, attachPdf: true });
    const mail = await sendTest(exec);
    const company = await api<Status>('/api/targets/status', { survey: surveyId, from: FROM, to: TO, level: 'company', lang: 'en' }, exec);
    expect(company.asOf).toBe(TO);
    const figures = company.rows[0].figures;
    expect(figures.find((f) => f.metric === 'nps')!.target!.value).toBe(35);
    for (const [metric, targetMetric] of HEADLINE) {
      expect(headlineTargets(mail.html, metric), metric).toEqual(
        expected(
          figures.find((f) => f.metric === targetMetric),
          'en',
        ),
      );
    }
    expect(headlineTargets(mail.html, 'nps').target).toBe('35.0');

    const branches = await api<Status>('/api/targets/status', { survey: surveyId, from: FROM, to: TO, level: 'branch', lang: 'en' }, exec);
    const league = leagueTargets(mail.html);
    expect(league.size).toBe(11);
    for (const [code, shown] of league) {
      const row = branches.rows.find((r) => r.key === code);
      expect(shown, code).toEqual(
        expected(
          row?.figures.find((f) => f.metric === 'nps'),
          'en',
        ),
      );
    }
    expect(league.get('SH01')!.target).toBe('42.5');
    expect(league.get('SH02')!.target).toBe('17.5');
    // The plain-text part says the same.
    expect(mail.text).toMatch(new RegExp(`SH01 .*Target 42\\.5: ${league.get('SH01')!.status}`));
    expect(Object.values(WORDS.en)).toContain(league.get('SH01')!.status);

    const text = await pdfText(mimeParts(mail.raw).find((p) => p.contentType === 'application/pdf')!.body);
    expect(text).toContain('Against target');
    expect(text).toContain('42.5');
    expect(text).toContain(
      expected(
        figures.find((f) => f.metric === 'nps'),
        'en',
      ).status,
    );
  });

  it("shows a branch manager only their branch's targets, in Chinese", async () => {
    const manager = await t.signIn('branch_manager', { branches: ['SH01'] });
    await subscribe(manager, { locale: 'zh-CN', scope: { kind: 'all' }, attachPdf: false });
    const mail = await sendTest(manager);
    const mine = await api<Status>('/api/targets/status', { survey: surveyId, from: FROM, to: TO, level: 'branch', lang: 'zh-CN' }, manager);
    expect(mine.rows.map((r) => r.key)).toEqual(['SH01']);
    const sh01 = mine.rows[0].figures;
    // The headline is SH01's, so it stands against SH01's targets, not the company's.
    for (const [metric, targetMetric] of HEADLINE) {
      expect(headlineTargets(mail.html, metric), metric).toEqual(
        expected(
          sh01.find((f) => f.metric === targetMetric),
          'zh-CN',
        ),
      );
    }
    expect(headlineTargets(mail.html, 'nps').target).toBe('42.5');
    const league = leagueTargets(mail.html);
    expect([...league.keys()]).toEqual(['SH01']);
    expect(league.get('SH01')).toEqual(
      expected(
        sh01.find((f) => f.metric === 'nps'),
        'zh-CN',
      ),
    );
    // Neither SH02's nor the company's NPS target appears.
    const shown = [...mail.html.matchAll(/data-field="target"[^>]*>([^<]*)/g)].map((m) => m[1]);
    expect(shown).not.toContain('17.5');
    expect(shown).not.toContain('35.0');
    expect(mail.html).toContain('对照目标');
  });
});

describe('who may subscribe', () => {
  it('refuses the signed-out (401) and API keys (403), and a test before any subscription (409)', async () => {
    expect((await t.request('/api/reports/subscription', { as: 'anonymous' })).status).toBe(401);
    const key = await t.apiKey(['analytics:read']);
    const put = await t.request('/api/reports/subscription', {
      method: 'PUT',
      as: key,
      json: { survey: surveyId, frequency: 'weekly', locale: 'en', scope: { kind: 'all' } },
    });
    expect(put.status).toBe(403);
    const fresh = await t.signIn('regional_manager');
    const test = await t.request('/api/reports/subscription/test', { method: 'POST', as: fresh });
    expect(test.status).toBe(409);
    expect((await test.json()).detail).toContain('Save a subscription first');
    const [{ n }] = await t.sql<
      { n: number }[]
    >`select count(*)::int as n from report_deliveries d join report_subscriptions s on s.id = d.subscription_id where s.user_id = ${fresh.userId}`;
    expect(n).toBe(0);
  });
});

describe('the PDF download', () => {
  it('gives the dashboard period in Chinese with the figures of the API', async () => {
    const params = { survey: surveyId, from: '2026-05-03', to: '2026-06-01', region: '华东', lang: 'zh-CN' };
    const res = await t.request(`/api/reports/pdf?${new URLSearchParams(params)}`);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="report-2026-05-03-2026-06-01.pdf"');
    const text = await pdfText(new Uint8Array(await res.arrayBuffer()));
    expect(text).toContain('客户满意度报告');
    expect(text).toContain('核心指标');
    expect(text).toContain('华东区');
    const compare = await api<CompareTotal>('/api/analytics/compare', {
      survey: surveyId,
      from: '2026-05-03',
      to: '2026-06-01',
      region: '华东',
      against: 'previous',
    });
    expect(text).toContain(`NPS ${fmt(compare.total.nps.score)} ${fmt(compare.total.nps.reference)}`);
    // The region's four branches and no other.
    for (const code of ['SH01', 'SH02', 'SH03', 'HZ01']) expect(text).toContain(code);
    for (const code of ['BJ01', 'GZ01', 'XA01']) expect(text).not.toContain(code);
  });

  it("keeps the dashboard's brand filter: the brand's figures, branches and name, and no company target", async () => {
    const params = { survey: surveyId, from: '2026-05-03', to: '2026-06-01', brand: 'COAST', lang: 'en' };
    const res = await t.request(`/api/reports/pdf?${new URLSearchParams(params)}`);
    expect(res.status, await res.clone().text()).toBe(200);
    const text = await pdfText(new Uint8Array(await res.arrayBuffer()));
    expect(text).toContain('Coast Rent');
    const compare = await api<CompareTotal>('/api/analytics/compare', {
      survey: surveyId,
      from: '2026-05-03',
      to: '2026-06-01',
      brand: 'COAST',
      against: 'previous',
    });
    const company = await api<CompareTotal>('/api/analytics/compare', { survey: surveyId, from: '2026-05-03', to: '2026-06-01', against: 'previous' });
    expect(compare.total.nps.score).not.toBe(company.total.nps.score);
    expect(text).toContain(`NPS ${fmt(compare.total.nps.score)} ${fmt(compare.total.nps.reference)}`);
    // Coast Rent is the south and west; the east and north belong to City Rent.
    for (const code of ['GZ01', 'XA01']) expect(text).toContain(code);
    for (const code of ['SH01', 'SH02', 'BJ01']) expect(text).not.toContain(code);
  });

  it('refuses an unknown branch with 400 naming the field', async () => {
    const res = await t.request(`/api/reports/pdf?${new URLSearchParams({ survey: surveyId, branch: 'NOPE' })}`);
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0].path).toBe('branch');
  });
});

describe('the schedule', () => {
  let quality: Credentials & { userId: string; email: string };

  beforeAll(async () => {
    await t.sql`update report_subscriptions set active = false`;
    // Subscribed on Sunday 31 May: Mondays at 08:00 Shanghai time.
    t.clock.set('2026-05-31T12:00:00+08:00');
    quality = await t.signIn('quality_manager');
    await subscribe(quality, { locale: 'en', scope: { kind: 'region', codes: ['华北'] }, weekday: 1, sendHour: 8 });
  });

  const deliveries = () => t.sql<{ period_key: string; status: string }[]>`
    select d.period_key, d.status from report_deliveries d join report_subscriptions s on s.id = d.subscription_id
    where s.user_id = ${quality.userId} order by d.created_at`;

  it('sends nothing before the local hour, then exactly once however often it runs', async () => {
    t.clock.set('2026-06-01T07:59:00+08:00');
    expect(await runDueDigests(t.deps)).toEqual({ sent: 0, failed: 0 });
    const before = smtp.messages.length;
    t.clock.set('2026-06-01T08:01:00+08:00');
    const runs = await Promise.all([runDueDigests(t.deps), runDueDigests(t.deps)]);
    expect(runs.reduce((s, r) => s + r.sent, 0)).toBe(1);
    expect(await runDueDigests(t.deps)).toEqual({ sent: 0, failed: 0 });
    await smtp.waitFor(before + 1);
    const mine = smtp.messages.slice(before).filter((m) => m.to.includes(quality.email));
    expect(mine).toHaveLength(1);
    expect(mine[0].subject).toContain(`${FROM} – ${TO}`);
    expect([...leagueCells(mine[0].html).keys()].sort()).toEqual(['BJ01', 'BJ02']);
    expect(await deliveries()).toEqual([{ period_key: 'weekly:2026-06-01', status: 'sent' }]);
  });

  it('skips a digest more than a day late, and sends the next one on time', async () => {
    t.clock.set('2026-06-09T08:30:00+08:00');
    expect(await runDueDigests(t.deps)).toEqual({ sent: 0, failed: 0 });
    t.clock.set('2026-06-15T08:00:00+08:00');
    expect((await runDueDigests(t.deps)).sent).toBe(1);
    expect((await deliveries()).map((d) => d.period_key)).toEqual(['weekly:2026-06-01', 'weekly:2026-06-15']);
  });

  it('runs once with two worker processes on the same database (pg-boss periodic work)', async () => {
    t.clock.set('2026-06-22T08:02:00+08:00');
    const before = smtp.messages.length;
    const bosses: PgBoss[] = [];
    const stops: (() => Promise<void>)[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        const boss = await startBoss(t.sql, { maintenanceIntervalSeconds: 3600 });
        bosses.push(boss);
        stops.push(await startReportJobs(t.deps, boss, { pollMs: 100, everySeconds: 3600 }));
      }
      await smtp.waitFor(before + 1);
      await new Promise((r) => setTimeout(r, 1500));
    } finally {
      for (const stop of stops) await stop();
      for (const boss of bosses) await boss.stop({ graceful: false, wait: true });
    }
    expect(smtp.messages.slice(before).filter((m) => m.to.includes(quality.email))).toHaveLength(1);
    const [{ jobs }] = await t.sql<{ jobs: number }[]>`select count(*)::int as jobs from pgboss.job where name = 'periodic.reports-digest'`;
    expect(jobs).toBe(1);
    expect((await deliveries()).map((d) => d.period_key)).toContain('weekly:2026-06-22');
  });
});
