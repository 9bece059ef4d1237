// Walks every operation of the OpenAPI document: each declares its permission (x-permission); without
// credentials a protected one answers 401; a role or API key without the permission gets 403; one with it
// gets past the guard.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  API_KEY_SCOPES,
  BRANCH_SCOPED_ROLES,
  MASKED_CONTACT_ROLES,
  PERMISSIONS,
  ROLE_PERMISSIONS,
  ROLES,
  type Permission,
  type Role,
} from '../../api/src/access/permissions.ts';
import { createTestApp, type Credentials } from '../support/test-db.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
interface Operation {
  method: string;
  path: string;
  permission: string | undefined;
}
let operations: Operation[] = [];
let doc: {
  components?: { securitySchemes?: Record<string, { type: string; in?: string; name?: string; scheme?: string }> };
  paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>;
};

/**
 * Public on purpose: liveness, the customer's survey and opt-out links, open feedback links (QR codes), signing in,
 * one-time links, and brand logos (survey pages and e-mails show them to customers, who have no session).
 */
const PUBLIC_PATHS = [
  /^\/api\/health$/,
  /^\/api\/respond\//,
  /^\/api\/open\//,
  /^\/api\/(opt-out|unsubscribe)\b/,
  /^\/api\/auth\/login$/,
  /^\/api\/auth\/setup\/\{token\}$/,
  /^\/api\/brands\/\{id\}\/logo$/,
];

const NIL_ID = '00000000-0000-4000-8000-000000000000';
const concretePath = (path: string) =>
  path.replace(/\{(\w+)\}/g, (_, name: string) => (/token/i.test(name) ? 'AAAAAAAAAAAAAAAAAAAAAA' : /version/i.test(name) ? '1' : NIL_ID));

function send(op: Operation, as: Credentials | 'anonymous') {
  const write = !['get', 'head', 'delete'].includes(op.method);
  return t.request(concretePath(op.path), { method: op.method.toUpperCase(), as, ...(write ? { json: {} } : {}) });
}

beforeAll(async () => {
  t = await createTestApp();
  await t.sql`insert into branches (code, name, city, region) values ('SH01', '上海虹桥机场店', '上海', '华东')`;
  const res = await t.request('/api/openapi.json', { as: 'anonymous' });
  expect(res.status).toBe(200);
  doc = await res.json();
  for (const [path, item] of Object.entries<Record<string, Record<string, unknown>>>(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      operations.push({ method, path, permission: op['x-permission'] as string | undefined });
    }
  }
  operations = operations.sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
});

describe('the permission model', () => {
  it('gives admins everything and nobody else account, audit, privacy or webhook administration', () => {
    expect([...ROLE_PERMISSIONS.admin].sort()).toEqual([...PERMISSIONS].sort());
    const adminOnly: Permission[] = ['users:admin', 'audit:read', 'privacy:admin', 'webhooks:admin'];
    for (const role of ROLES.filter((r) => r !== 'admin')) for (const p of adminOnly) expect(ROLE_PERMISSIONS[role], `${role} ${p}`).not.toContain(p);
  });

  it('lets quality managers run surveys, rules and cases; branch and regional managers work cases of their branches; executives only read dashboards', () => {
    expect(ROLE_PERMISSIONS.quality_manager).toEqual(
      expect.arrayContaining(['surveys:write', 'rules:write', 'analytics:read', 'cases:read', 'cases:write', 'responses:read', 'responses:export']),
    );
    for (const role of ['branch_manager', 'regional_manager'] as const) {
      expect(ROLE_PERMISSIONS[role]).toEqual(expect.arrayContaining(['analytics:read', 'responses:read', 'responses:export', 'cases:read', 'cases:write']));
      for (const p of ['surveys:write', 'rules:write', 'distribution:write', 'rentals:write', 'branches:admin'] as const)
        expect(ROLE_PERMISSIONS[role], `${role} ${p}`).not.toContain(p);
    }
    expect(BRANCH_SCOPED_ROLES).toEqual(['branch_manager', 'regional_manager']);
    expect(MASKED_CONTACT_ROLES).toEqual(['branch_manager', 'regional_manager']);
    expect([...ROLE_PERMISSIONS.executive].sort()).toEqual(['analytics:read', 'surveys:read']);
    expect(API_KEY_SCOPES).toEqual(expect.arrayContaining(['rentals:write', 'responses:read', 'analytics:read']));
  });
});

describe('every route in the OpenAPI document', () => {
  it('declares a known permission', () => {
    expect(operations.length).toBeGreaterThan(20);
    const known = new Set<string>([...PERMISSIONS, 'public', 'account']);
    const undeclared = operations.filter((op) => !op.permission || !known.has(op.permission)).map((op) => `${op.method.toUpperCase()} ${op.path}`);
    expect(undeclared).toEqual([]);
  });

  it('documents how to authenticate: the session cookie, and a bearer API key where a permission is needed', () => {
    expect(doc.components?.securitySchemes).toMatchObject({
      session: { type: 'apiKey', in: 'cookie', name: 'rs_session' },
      apiKey: { type: 'http', scheme: 'bearer' },
    });
    expect(doc.paths['/api/health'].get.security).toEqual([]);
    expect(doc.paths['/api/auth/me'].get.security).toEqual([{ session: [] }]);
    expect(doc.paths['/api/users'].get.security).toEqual([{ session: [] }, { apiKey: [] }]);
  });

  it('is public only for health, the survey links, signing in, one-time links and brand logos', () => {
    const publicOps = operations.filter((op) => op.permission === 'public');
    expect(publicOps.map((op) => op.path)).toEqual(expect.arrayContaining(['/api/health', '/api/auth/login', '/api/respond/{token}']));
    const unexpected = publicOps.filter((op) => !PUBLIC_PATHS.some((re) => re.test(op.path))).map((op) => `${op.method.toUpperCase()} ${op.path}`);
    expect(unexpected).toEqual([]);
  });

  it('answers 401 problem+json without credentials', async () => {
    const wrong: string[] = [];
    for (const op of operations.filter((o) => o.permission && o.permission !== 'public')) {
      const res = await send(op, 'anonymous');
      if (res.status !== 401 || !res.headers.get('content-type')?.includes('application/problem+json'))
        wrong.push(`${op.method.toUpperCase()} ${op.path} → ${res.status}`);
    }
    expect(wrong).toEqual([]);
  });

  it('answers 403 to each role without the permission and lets each role with it past the guard (never into a 500)', async () => {
    const wrong: string[] = [];
    const checked = { allowed: 0, refused: 0 };
    expect(ROLES).toContain('regional_manager');
    const [{ id: regionId }] = await t.sql`select id from regions where code = '华东'`;
    for (const role of ROLES) {
      const user = await t.signIn(role as Role, role === 'branch_manager' ? { branches: ['SH01'] } : {});
      if (role === 'regional_manager')
        expect((await t.request(`/api/users/${user.userId}`, { method: 'PATCH', json: { regionIds: [regionId] } })).status).toBe(200);
      for (const op of operations.filter((o) => o.permission && o.permission !== 'public')) {
        const allowed = op.permission === 'account' || (ROLE_PERMISSIONS[role] as readonly string[]).includes(op.permission!);
        // A fresh session each time: some allowed calls (signing out) end the session they use.
        const res = await send(op, allowed ? await t.sessionFor(user.userId) : user);
        // Past the guard means an answer of the route itself: a 500 is a fault, not a pass.
        const ok = allowed ? res.status !== 401 && res.status !== 403 && res.status < 500 : res.status === 403;
        if (!ok) wrong.push(`${role} ${op.method.toUpperCase()} ${op.path} → ${res.status} (${allowed ? 'allowed' : 'refused'})`);
        checked[allowed ? 'allowed' : 'refused']++;
      }
    }
    expect(wrong).toEqual([]);
    expect(checked.refused).toBeGreaterThan(30);
  });

  it('answers 403 to an API key without the scope, and never lets a key act as a signed-in user', async () => {
    const wrong: string[] = [];
    for (const scopes of [[...API_KEY_SCOPES], ['rentals:write']] as const) {
      const key = await t.apiKey([...scopes]);
      for (const op of operations.filter((o) => o.permission && o.permission !== 'public')) {
        const allowed = (scopes as readonly string[]).includes(op.permission!);
        const res = await send(op, key);
        const ok = allowed ? res.status !== 401 && res.status !== 403 && res.status < 500 : res.status === 403;
        if (!ok) wrong.push(`[${scopes.join(',')}] ${op.method.toUpperCase()} ${op.path} → ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
