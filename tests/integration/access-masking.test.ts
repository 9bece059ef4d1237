// One masking rule for everything a branch manager reads: every GET operation of the OpenAPI document is
// called as a branch manager, its path filled with real ids from the demo data of their branches, and no
// body holds the full email or phone of a customer of their branch — not the case they own, not its
// contact log, not the response, not the CSV export. Branch managers export their own responses, audited.
// The same walk runs as a regional manager of the branch's region.
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../api/src/demo/seed.ts';
import { createTestApp, testClock, type Credentials } from '../support/test-db.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let manager: Credentials & { userId: string; email: string };
let quality: Credentials & { userId: string; email: string };
let regional: Credentials & { userId: string; email: string };
const ids: Record<string, string> = {};
/** The customer whose contacts must never reach the branch manager in full. */
let customer: { id: string; email: string; phone: string };
let branchIds: Record<string, string> = {};

const NIL_ID = '00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
  t = await createTestApp({ clock: testClock('2026-06-01T02:00:00Z') });
  await seedDemoData({ db: t.db, sql: t.sql, now: t.clock.now() }, { customers: 160, rentals: 420, days: 60, inviteRate: 0.8, finishRate: 0.6 }, 4242);
  branchIds = Object.fromEntries((await t.sql<{ id: string; code: string }[]>`select id, code from branches`).map((b) => [b.code, b.id]));
  manager = await t.signIn('branch_manager', { branches: ['SH01'] });
  quality = await t.signIn('quality_manager');
  regional = await t.signIn('regional_manager');
  const [{ id: east }] = await t.sql`select region_id as id from branches where code = 'SH01'`;
  expect((await t.request(`/api/users/${regional.userId}`, { method: 'PATCH', json: { regionIds: [east] } })).status).toBe(200);

  // A survey-raised case of SH01 (complaints have no response) whose customer has both an email and a phone,
  // owned by the branch manager.
  const [row] = await t.sql<{ case_id: string; response_id: string; survey_id: string; customer_id: string; email: string; phone: string }[]>`
    select k.id as case_id, k.response_id, k.survey_id, c.id as customer_id, c.email, c.phone
    from cases k join customers c on c.id = k.customer_id
    where k.branch_id = ${branchIds.SH01} and c.email is not null and c.phone is not null and k.response_id is not null
    order by k.created_at limit 1`;
  expect(row, 'the demo data has a case in SH01').toBeDefined();
  customer = { id: row.customer_id, email: row.email, phone: row.phone };
  Object.assign(ids, { case: row.case_id, response: row.response_id, survey: row.survey_id });
  await t.sql`update cases set owner_user_id = ${manager.userId}, owner_email = ${manager.email}, owner_name = 'SH01 manager', assignee_kind = 'user' where id = ${row.case_id}`;
  // Staff wrote the contacts into the contact log, and the customer into their comment.
  const logged = await t.request(`/api/cases/${row.case_id}/contacts`, {
    method: 'POST',
    as: quality,
    json: { channel: 'call', body: `Called ${customer.phone}, then wrote to ${customer.email.toUpperCase()}` },
  });
  expect(logged.status).toBe(201);
  await t.sql`delete from answers where response_id = ${row.response_id} and question_id = 'q_comment'`;
  await t.sql`insert into answers (response_id, question_id, value_text) values (${row.response_id}, 'q_comment', ${`请回电 ${customer.phone.replace(/\s/g, '')} 或邮件 ${customer.email}`})`;

  const [rule] = await t.sql<{ id: string }[]>`select id from alert_rules order by created_at limit 1`;
  if (rule) ids.rule = rule.id;
});

/** The national number's digits found anywhere in a run of digits and separators. */
function containsPhone(body: string, phone: string): boolean {
  const national = phone.replace(/\D/g, '').slice(-11);
  return (body.match(/\+?\d[\d\s().-]*\d/g) ?? []).some((run) => run.replace(/\D/g, '').includes(national));
}
const containsEmail = (body: string, email: string) => body.toLowerCase().includes(email.toLowerCase());

interface Operation {
  path: string;
  parameters: { name: string; in: string; required?: boolean; schema?: { enum?: string[]; type?: string } }[];
}

/** A real id for each path parameter, by the collection the path names. */
function fillPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string, offset: number) => {
    const before = path.slice(0, offset);
    if (/token/i.test(name)) return 'AAAAAAAAAAAAAAAAAAAAAA';
    if (/version/i.test(name)) return '1';
    if (name === 'surveyId' || before.endsWith('/surveys/')) return ids.survey;
    if (before.endsWith('/cases/')) return ids.case;
    if (before.endsWith('/responses/')) return ids.response;
    if (before.endsWith('/survey-templates/')) return 'post-rental';
    if (before.endsWith('/users/')) return manager.userId;
    if (before.endsWith('/alert-rules/')) return ids.rule ?? NIL_ID;
    if (before.endsWith('/customers/')) return customer.id;
    if (before.endsWith('/branches/')) return branchIds.SH01;
    if (before.endsWith('/regions/')) return encodeURIComponent('华东');
    return NIL_ID;
  });
}

function fillQuery(op: Operation): string {
  const params = new URLSearchParams();
  for (const p of op.parameters.filter((x) => x.in === 'query')) {
    if (p.name === 'survey') params.set('survey', ids.survey);
    else if (p.required) params.set(p.name, p.name === 'query' || p.name === 'q' ? customer.email : (p.schema?.enum?.[0] ?? 'x'));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** Every GET route called as `user`: the routes whose body holds the customer's full email or phone, and each status. */
async function walkGets(user: Credentials & { userId: string }) {
  const doc = (await (await t.request('/api/openapi.json')).json()) as { paths: Record<string, Record<string, Operation>> };
  const gets = Object.entries(doc.paths).flatMap(([path, item]) => (item.get ? [{ ...item.get, path, parameters: item.get.parameters ?? [] }] : []));
  expect(gets.length).toBeGreaterThan(30);
  const leaks: string[] = [];
  const status: Record<string, number> = {};
  for (const op of gets) {
    const res = await t.request(`${fillPath(op.path)}${fillQuery(op)}`, { as: await t.sessionFor(user.userId) });
    const body = await res.text();
    status[op.path] = res.status;
    if (containsEmail(body, customer.email)) leaks.push(`${op.path}: email`);
    if (containsPhone(body, customer.phone)) leaks.push(`${op.path}: phone`);
  }
  return { leaks, status };
}

describe('a regional manager of the branch’s region', () => {
  it('never gets the full email or phone of a customer of their region, on any GET route', async () => {
    const { leaks, status } = await walkGets(regional);
    expect(leaks).toEqual([]);
    for (const path of ['/api/cases/{id}', '/api/responses/{id}', '/api/cases', '/api/responses', '/api/responses/export.csv', '/api/regions/{code}/rollup']) {
      expect(status[path], path).toBe(200);
    }
    const kase = (await (await t.request(`/api/cases/${ids.case}`, { as: regional })).json()) as any;
    expect(kase.customer.email).toBe(`${customer.email[0]}***${customer.email.slice(customer.email.lastIndexOf('@'))}`);
    expect(kase.events.find((e: any) => e.kind === 'contact' && e.body?.startsWith('Called')).body).toContain('****');
    const me = (await (await t.request('/api/auth/me', { as: regional })).json()) as any;
    expect(me.maskContacts).toBe(true);
    expect(me.regions.map((r: { code: string }) => r.code)).toEqual(['华东']);
  });
});

describe('a branch manager', () => {
  it('never gets the full email or phone of a customer of their branch, on any GET route', async () => {
    const doc = (await (await t.request('/api/openapi.json')).json()) as { paths: Record<string, Record<string, Operation>> };
    const gets = Object.entries(doc.paths).flatMap(([path, item]) => (item.get ? [{ ...item.get, path, parameters: item.get.parameters ?? [] }] : []));
    expect(gets.length).toBeGreaterThan(30);

    // The needle is findable: a quality manager reads the same case in full.
    const full = await (await t.request(`/api/cases/${ids.case}`, { as: quality })).text();
    expect(containsEmail(full, customer.email)).toBe(true);
    expect(containsPhone(full, customer.phone)).toBe(true);

    const leaks: string[] = [];
    const status: Record<string, number> = {};
    for (const op of gets) {
      const url = `${fillPath(op.path.replace(/^\/api/, '/api'))}${fillQuery(op)}`;
      const res = await t.request(url, { as: await t.sessionFor(manager.userId) });
      const body = await res.text();
      status[op.path] = res.status;
      if (containsEmail(body, customer.email)) leaks.push(`${op.path}: email`);
      if (containsPhone(body, customer.phone)) leaks.push(`${op.path}: phone`);
    }
    expect(leaks).toEqual([]);
    // The routes that carry this customer answered, so the search had something to search.
    for (const path of ['/api/cases/{id}', '/api/responses/{id}', '/api/cases', '/api/responses', '/api/responses/export.csv'])
      expect(status[path], path).toBe(200);
  });

  it('sees the masked form on the case they own, in its contact log, and on the response', async () => {
    const kase = (await (await t.request(`/api/cases/${ids.case}`, { as: manager })).json()) as any;
    expect(kase.customer.email).toBe(`${customer.email[0]}***${customer.email.slice(customer.email.lastIndexOf('@'))}`);
    expect(kase.customer.phone).toMatch(/\*{4}\d{4}$/);
    expect(kase.customer.phone.endsWith(customer.phone.replace(/\D/g, '').slice(-4))).toBe(true);
    const contact = kase.events.find((e: any) => e.kind === 'contact' && e.body?.startsWith('Called'));
    expect(contact.body).toContain('****');
    expect(contact.body).toContain('***@');

    const response = (await (await t.request(`/api/responses/${ids.response}`, { as: manager })).json()) as any;
    expect(response.customer.email).toBe(kase.customer.email);
    expect(response.customer.phone).toBe(kase.customer.phone);
    expect(JSON.stringify(response.answers)).toContain('****');

    // The list's comment preview of that response: masked too, on whichever page it stands (every written
    // answer of it now carries the contacts, so the preview does whichever comment question comes first).
    await t.sql`update answers set value_text = (select value_text from answers where response_id = ${ids.response} and question_id = 'q_comment')
                 where response_id = ${ids.response} and value_text <> ''`;
    let listed: { comment: string | null } | undefined;
    for (let page = 1; !listed; page++) {
      const list = (await (await t.request(`/api/responses?survey=${ids.survey}&page=${page}&pageSize=100`, { as: manager })).json()) as any;
      if (list.items.length === 0) break;
      listed = list.items.find((item: { id: string }) => item.id === ids.response);
    }
    expect(listed?.comment).toContain('****');
    expect(containsEmail(listed!.comment!, customer.email) || containsPhone(listed!.comment!, customer.phone)).toBe(false);
  });
});

describe('the responses export for a branch manager', () => {
  it('is allowed, holds only their branches, masks the contacts and is audited', async () => {
    const me = (await (await t.request('/api/auth/me', { as: manager })).json()) as any;
    expect(me.permissions).toContain('responses:export');

    const res = await t.request(`/api/responses/export.csv?survey=${ids.survey}&lang=en`, { as: manager });
    expect(res.status).toBe(200);
    const csv = (await res.text()).replace(/^\uFEFF/, '');
    const rows = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
    const [{ n }] = await t.sql<{ n: number }[]>`select count(*)::int as n from responses where survey_id = ${ids.survey} and branch_id = ${branchIds.SH01}`;
    expect(n).toBeGreaterThan(0);
    expect(rows).toHaveLength(n);
    expect(new Set(rows.map((r) => r.branch_code))).toEqual(new Set(['SH01']));
    const comment = rows.find((r) => r.response_id === ids.response)!.q_comment;
    expect(comment).toContain('****');
    expect(containsEmail(csv, customer.email) || containsPhone(csv, customer.phone)).toBe(false);

    // Another branch asked for by name: still only their own.
    const other = await t.request(`/api/responses/export.csv?survey=${ids.survey}&branch=BJ01`, { as: manager });
    expect(Papa.parse((await other.text()).replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true }).data).toHaveLength(0);

    const audit = await t.sql<{ actor_label: string; details: { branches?: string[] } }[]>`
      select actor_label, details from audit_log where action = 'responses.export' and actor_id = ${manager.userId} order by at`;
    expect(audit.length).toBeGreaterThanOrEqual(2);
    expect(audit[0].actor_label).toBe(manager.email);
    expect(audit[0].details.branches).toEqual([branchIds.SH01]);
  });

  it('gives a quality manager the same file unmasked (the masking is the branch manager’s)', async () => {
    const res = await t.request(`/api/responses/export.csv?survey=${ids.survey}&branch=SH01`, { as: quality });
    const csv = await res.text();
    expect(containsEmail(csv, customer.email)).toBe(true);
  });
});
