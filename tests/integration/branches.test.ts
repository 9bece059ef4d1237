// Branch management: the API (admins write, staff read within their scope), CSV import all-or-nothing
// with row numbers, and rentals that name a branch as an object or by code keep working beside it.
import { beforeAll, describe, expect, it } from 'vitest';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { miniPostRental } from '../support/fixtures/definitions.ts';
import { rentalPayload } from '../support/rentals.ts';
import { createTestApp } from '../support/test-db.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;

beforeAll(async () => {
  t = await createTestApp({ env: { TOKEN_SECRET: 'branches-test-secret-0123456789abcdef012' } });
  const survey = await createSurvey(t.db, { name: 'Post-rental', kind: 'post_rental', definition: miniPostRental });
  await publishSurvey(t.db, survey.id);
});

const csv = (text: string) => ({ method: 'POST', headers: { 'content-type': 'text/csv' }, body: text });
const list = async (as?: NonNullable<Parameters<typeof t.request>[1]>['as'], query = '') => {
  const res = await t.request(`/api/branches${query}`, { as });
  expect(res.status).toBe(200);
  return (await res.json()) as any[];
};

describe('branches API', () => {
  it('lets an admin create, edit and deactivate a branch, refusing bad time zones and duplicate codes', async () => {
    const created = await t.request('/api/branches', {
      method: 'POST',
      json: { code: 'BJ01', name: '北京首都机场店', nameEn: 'Beijing Capital Airport', city: '北京', region: '华北', timeZone: 'Asia/Shanghai' },
    });
    const branch = (await created.json()) as any;
    expect(created.status).toBe(201);
    expect(branch).toMatchObject({ code: 'BJ01', nameEn: 'Beijing Capital Airport', active: true, timeZone: 'Asia/Shanghai' });

    const again = await t.request('/api/branches', { method: 'POST', json: { code: 'BJ01', name: 'x', city: 'x', region: 'x' } });
    expect(again.status).toBe(409);

    for (const timeZone of ['+08:00', 'Mars/Olympus', 'Asia Shanghai']) {
      const bad = await t.request('/api/branches', { method: 'POST', json: { code: 'BAD1', name: 'x', city: 'x', region: 'x', timeZone } });
      expect(bad.status, timeZone).toBe(400);
      expect(bad.headers.get('content-type')).toContain('application/problem+json');
      const problem = (await bad.json()) as any;
      expect(problem.errors.map((e: any) => e.path)).toContain('timeZone');
    }
    const edited = await t.request(`/api/branches/${branch.id}`, { method: 'PATCH', json: { name: '北京首都机场T3店', timeZone: 'Asia/Urumqi' } });
    expect(edited.status).toBe(200);
    expect(await edited.json()).toMatchObject({ name: '北京首都机场T3店', nameEn: 'Beijing Capital Airport', timeZone: 'Asia/Urumqi', active: true });

    const off = await t.request(`/api/branches/${branch.id}`, { method: 'PATCH', json: { active: false } });
    expect(((await off.json()) as any).active).toBe(false);
    expect((await list(undefined, '?active=true')).map((b) => b.code)).not.toContain('BJ01');
    expect((await list(undefined, '?active=false')).map((b) => b.code)).toEqual(['BJ01']);
    const [row] = await t.sql`select action from audit_log where action = 'branch.update' limit 1`;
    expect(row).toBeTruthy();
  });

  it('refuses writes to everyone but admins and shows branch managers only their own branches', async () => {
    await t.request('/api/branches', { method: 'POST', json: { code: 'SZ01', name: '深圳宝安机场店', city: '深圳', region: '华南' } });
    const quality = await t.signIn('quality_manager');
    const denied = await t.request('/api/branches', { method: 'POST', json: { code: 'SZ02', name: 'x', city: 'x', region: 'x' }, as: quality });
    expect(denied.status).toBe(403);
    const importDenied = await t.request('/api/branches/import', { ...csv('code,name,city,region\nSZ03,x,x,x\n'), as: quality });
    expect(importDenied.status).toBe(403);
    expect((await list(quality)).map((b) => b.code)).toEqual(expect.arrayContaining(['BJ01', 'SZ01']));

    const manager = await t.signIn('branch_manager', { branches: ['SZ01'] });
    expect((await list(manager)).map((b) => b.code)).toEqual(['SZ01']);
    expect((await t.request('/api/branches', { as: 'anonymous' })).status).toBe(401);
  });
});

describe('CSV import', () => {
  it('creates and updates branches by code from good rows', async () => {
    const file =
      '\uFEFFcode,name,name_en,city,region,time_zone,active\n' +
      'SH01,上海虹桥机场店,Shanghai Hongqiao Airport,上海,华东,Asia/Shanghai,true\n' +
      'SZ01,深圳宝安机场T3店,,深圳,华南,,yes\n' +
      'LON1,伦敦希思罗店,London Heathrow,London,Europe,Europe/London,false\n';
    const res = await t.request('/api/branches/import', csv(file));
    const body = (await res.json()) as any;
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body).toEqual({ rows: 3, created: 2, updated: 1, unchanged: 0 });
    const all = Object.fromEntries((await list()).map((b) => [b.code, b]));
    expect(all.SZ01).toMatchObject({ name: '深圳宝安机场T3店', nameEn: null, timeZone: 'Asia/Shanghai', active: true });
    expect(all.LON1).toMatchObject({ nameEn: 'London Heathrow', timeZone: 'Europe/London', active: false, region: 'Europe' });

    const same = await t.request('/api/branches/import', csv(file));
    expect(await same.json()).toEqual({ rows: 3, created: 0, updated: 0, unchanged: 3 });
  });

  it('answers problem+json naming every bad row and writes nothing, not even the good rows', async () => {
    const before = await t.sql`select code, name, updated_at from branches order by code`;
    const file =
      'code,name,city,region,time_zone\n' +
      'GZ01,广州白云机场店,广州,华南,Asia/Shanghai\n' +
      'GZ02,,广州,华南,Asia/Shanghai\n' +
      'GZ03,广州南站店,广州,华南,GMT+8\n' +
      'GZ01,重复,广州,华南,\n' +
      'SH01,改名,上海,华东,\n';
    const res = await t.request('/api/branches/import', csv(file));
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as any;
    expect(problem.errors.map((e: any) => [e.row, e.path])).toEqual([
      [3, 'row 3.name'],
      [4, 'row 4.timeZone'],
      [5, 'row 5.code'],
    ]);
    expect(await t.sql`select code, name, updated_at from branches order by code`).toEqual(before);

    const noColumns = await t.request('/api/branches/import', csv('code,name\nX1,x\n'));
    expect(noColumns.status).toBe(422);
    expect(((await noColumns.json()) as any).errors[0]).toMatchObject({ row: 1, code: 'missing_columns' });
  });
});

describe('rentals and branches', () => {
  it('still creates and updates a branch named as an object in a rental, and accepts a managed branch by code', async () => {
    const inline = await t.request('/api/rentals', {
      method: 'POST',
      json: rentalPayload(1, { pickupBranch: { code: 'HZ01', name: '杭州东站店', city: '杭州', region: '华东' }, returnBranch: 'HZ01' }),
    });
    expect(inline.status).toBe(201);
    const hz = (await list()).find((b) => b.code === 'HZ01');
    expect(hz).toMatchObject({ name: '杭州东站店', region: '华东', timeZone: 'Asia/Shanghai', active: true });

    const byCode = await t.request('/api/rentals', { method: 'POST', json: rentalPayload(2, { pickupBranch: 'LON1', returnBranch: 'SZ01' }) });
    expect(byCode.status).toBe(201);
    const [rental] = await t.sql`select b.code from rentals r join branches b on b.id = r.pickup_branch_id where r.external_id = 'RA-T-2'`;
    expect(rental.code).toBe('LON1');
  });
});
