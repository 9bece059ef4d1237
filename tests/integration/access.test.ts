// Accounts: sign-in with cookies, lockout and rate limit, password change, setup links, users, API keys,
// CSRF, security headers and the audit log.
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureFirstAdmin } from '../../api/src/access/auth.queries.ts';
import { maskEmail, maskPhone } from '../../api/src/access/mask.ts';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { miniPostRental } from '../support/fixtures/definitions.ts';
import { rentalPayload } from '../support/rentals.ts';
import { createTestApp, TEST_PASSWORD, type Credentials } from '../support/test-db.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let surveyId: string;

beforeAll(async () => {
  t = await createTestApp();
  const survey = await createSurvey(t.db, { name: 'Post-rental', kind: 'post_rental', definition: miniPostRental });
  await publishSurvey(t.db, survey.id);
  surveyId = survey.id;
});

function sessionCookieOf(res: Response) {
  const header = res.headers.getSetCookie().find((c) => c.startsWith('rs_session='));
  if (!header) throw new Error('no session cookie set');
  return { header, credentials: { headers: { cookie: header.split(';')[0], 'x-requested-with': 'test' } } satisfies Credentials };
}

const login = (email: string, password: string, client = '10.0.0.1') =>
  t.request('/api/auth/login', { method: 'POST', json: { email, password }, as: 'anonymous', headers: { 'x-forwarded-for': client } });

describe('signing in', () => {
  it('sets an HTTP-only SameSite session cookie and returns the user with role and permissions', async () => {
    const user = await t.signIn('quality_manager', { email: 'qm.login@staff.test' });
    const res = await login('QM.Login@Staff.test ', TEST_PASSWORD);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ id: user.userId, email: 'qm.login@staff.test', role: 'quality_manager', branches: null, maskContacts: false });
    expect(body.permissions).toContain('rules:write');
    expect(body.permissions).not.toContain('users:admin');
    const { header, credentials } = sessionCookieOf(res);
    expect(header).toMatch(/HttpOnly/i);
    expect(header).toMatch(/SameSite=Lax/i);
    expect(header).toMatch(/Path=\//);
    const token = header.split(';')[0].split('=')[1];
    // Only the hash of the cookie value is stored.
    const stored = await t.sql`select token_hash from sessions where user_id = ${user.userId}`;
    expect(stored.map((s) => s.token_hash)).not.toContain(token);
    const me = await t.request('/api/auth/me', { as: credentials });
    expect(me.status).toBe(200);
    expect((await me.json()).email).toBe('qm.login@staff.test');
  });

  it('answers a wrong password and an unknown email alike, with 401', async () => {
    await t.signIn('executive', { email: 'exec.wrong@staff.test' });
    const wrong = await login('exec.wrong@staff.test', 'not the password', '10.0.0.2');
    const unknown = await login('nobody@staff.test', 'not the password', '10.0.0.2');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect((await wrong.json()).detail).toBe((await unknown.json()).detail);
    expect(wrong.headers.getSetCookie()).toEqual([]);
  });

  it('locks one account from one address for 15 minutes after 5 wrong passwords; the account still signs in from elsewhere', async () => {
    await t.signIn('executive', { email: 'exec.lock@staff.test' });
    for (let i = 0; i < 4; i++) expect((await login('exec.lock@staff.test', `wrong ${i}`, '10.0.1.1')).status).toBe(401);
    // The fifth wrong password locks this account from this address, even for the right password.
    expect((await login('exec.lock@staff.test', 'wrong 5', '10.0.1.1')).status).toBe(401);
    const locked = await login('exec.lock@staff.test', TEST_PASSWORD, '10.0.1.1');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBe(15 * 60);
    const [entry] = await t.sql`select action, target_type, details from audit_log where action = 'user.lock'`;
    expect(entry).toMatchObject({ action: 'user.lock', target_type: 'user', details: { scope: 'account_and_address' } });
    // The owner, somewhere else, is not locked out by whoever guessed from 10.0.1.1.
    expect((await login('exec.lock@staff.test', TEST_PASSWORD, '10.0.1.2')).status).toBe(200);
    t.clock.advance(14 * 60_000);
    expect((await login('exec.lock@staff.test', TEST_PASSWORD, '10.0.1.1')).status).toBe(429);
    t.clock.advance(61_000);
    expect((await login('exec.lock@staff.test', TEST_PASSWORD, '10.0.1.1')).status).toBe(200);
    // A success resets the count: four more wrong ones do not lock again.
    for (let i = 0; i < 4; i++) expect((await login('exec.lock@staff.test', `again ${i}`, '10.0.1.1')).status).toBe(401);
    expect((await login('exec.lock@staff.test', TEST_PASSWORD, '10.0.1.1')).status).toBe(200);
  });

  it('stops an address after 50 failed sign-ins, but not the people who signed in from there before', async () => {
    t.clock.advance(60 * 60_000);
    await t.signIn('executive', { email: 'exec.office@staff.test' });
    await t.signIn('executive', { email: 'exec.newcomer@staff.test' });
    // Someone at the office signed in from the office's address before.
    expect((await login('exec.office@staff.test', TEST_PASSWORD, '10.0.2.1')).status).toBe(200);
    // One attacker behind the same address tries accounts.
    for (let i = 0; i < 50; i++) expect((await login(`someone${i}@staff.test`, 'guess', '10.0.2.1')).status).toBe(401);
    const blocked = await login('exec.newcomer@staff.test', TEST_PASSWORD, '10.0.2.1');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // The office's known account still signs in from there; another address is not affected.
    expect((await login('exec.office@staff.test', TEST_PASSWORD, '10.0.2.1')).status).toBe(200);
    expect((await login('exec.newcomer@staff.test', TEST_PASSWORD, '10.0.2.2')).status).toBe(200);
    t.clock.advance(15 * 60_000 + 1000);
    expect((await login('exec.newcomer@staff.test', TEST_PASSWORD, '10.0.2.1')).status).toBe(200);
  });

  it('locks the account itself after 50 wrong passwords spread over many addresses', async () => {
    t.clock.advance(60 * 60_000);
    const user = await t.signIn('executive', { email: 'exec.spread@staff.test' });
    for (let address = 1; address <= 10; address++) {
      for (let i = 0; i < 5; i++) expect((await login('exec.spread@staff.test', `wrong ${i}`, `10.0.3.${address}`)).status).toBe(401);
    }
    const locked = await login('exec.spread@staff.test', TEST_PASSWORD, '10.0.3.99');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBe(15 * 60);
    const [row] = await t.sql`select locked_until from users where id = ${user.userId}`;
    expect(row.locked_until).not.toBeNull();
  });

  it('signs out: the session stops working and the cookie is cleared', async () => {
    await t.signIn('executive', { email: 'exec.logout@staff.test' });
    const { credentials } = sessionCookieOf(await login('exec.logout@staff.test', TEST_PASSWORD));
    const out = await t.request('/api/auth/logout', { method: 'POST', as: credentials });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().join()).toMatch(/rs_session=;.*Max-Age=0/i);
    expect((await t.request('/api/auth/me', { as: credentials })).status).toBe(401);
  });

  it('ends a session after the idle time, and keeps an active one alive', async () => {
    const active = await t.signIn('executive');
    const idle = await t.sessionFor(active.userId);
    t.clock.advance(11 * 3_600_000);
    expect((await t.request('/api/auth/me', { as: active })).status).toBe(200);
    t.clock.advance(2 * 3_600_000);
    expect((await t.request('/api/auth/me', { as: active })).status).toBe(200);
    expect((await t.request('/api/auth/me', { as: idle })).status).toBe(401);
  });
});

describe('password change', () => {
  it('needs the current password, applies the policy and signs out the other sessions', async () => {
    const user = await t.signIn('quality_manager', { email: 'qm.pw@staff.test' });
    const other = await t.sessionFor(user.userId);
    const change = (json: unknown) => t.request('/api/auth/password', { method: 'POST', json, as: user });
    const wrong = await change({ currentPassword: 'not it', newPassword: 'a much better passphrase' });
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).errors[0].path).toBe('currentPassword');
    const short = await change({ currentPassword: TEST_PASSWORD, newPassword: 'short' });
    expect(short.status).toBe(400);
    expect((await short.json()).errors[0]).toMatchObject({ path: 'newPassword', code: 'password_policy' });
    expect((await change({ currentPassword: TEST_PASSWORD, newPassword: 'a much better passphrase' })).status).toBe(204);

    expect((await t.request('/api/auth/me', { as: user })).status).toBe(200);
    expect((await t.request('/api/auth/me', { as: other })).status).toBe(401);
    expect((await login('qm.pw@staff.test', TEST_PASSWORD)).status).toBe(401);
    expect((await login('qm.pw@staff.test', 'a much better passphrase')).status).toBe(200);
    const [hash] = await t.sql`select password_hash from users where id = ${user.userId}`;
    expect(hash.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });
});

describe('the first administrator', () => {
  it('comes from a one-time setup link printed at start when there is none', async () => {
    const fresh = await createTestApp({ auth: 'anonymous' });
    const first = await ensureFirstAdmin(fresh.db, {}, 'http://survey.test', fresh.clock.now());
    expect(first.kind).toBe('link');
    const link = (first as { link: string }).link;
    expect(link).toMatch(/^http:\/\/survey\.test\/login\/setup\/[A-Za-z0-9_-]{43}$/);
    const token = link.split('/').pop()!;
    // A second start replaces the link.
    const second = await ensureFirstAdmin(fresh.db, {}, 'http://survey.test', fresh.clock.now());
    const token2 = (second as { link: string }).link.split('/').pop()!;
    expect((await fresh.request(`/api/auth/setup/${token}`)).status).toBe(404);

    const info = await fresh.request(`/api/auth/setup/${token2}`);
    expect(await info.json()).toEqual({ purpose: 'setup', email: null, name: null });
    const missing = await fresh.request(`/api/auth/setup/${token2}`, { method: 'POST', json: { password: 'a long enough password' } });
    expect(missing.status).toBe(400);
    const done = await fresh.request(`/api/auth/setup/${token2}`, {
      method: 'POST',
      json: { email: 'Boss@Company.test', name: 'Boss', password: 'a long enough password' },
    });
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ email: 'boss@company.test', role: 'admin' });
    const { credentials } = sessionCookieOf(done);
    expect((await fresh.request('/api/users', { as: credentials })).status).toBe(200);
    // Used once.
    expect(
      (await fresh.request(`/api/auth/setup/${token2}`, { method: 'POST', json: { email: 'x@y.test', name: 'X', password: 'a long enough password' } })).status,
    ).toBe(404);
    expect((await ensureFirstAdmin(fresh.db, {}, 'http://survey.test', fresh.clock.now())).kind).toBe('exists');
  });

  it('comes from ADMIN_EMAIL and ADMIN_PASSWORD when they are set', async () => {
    const fresh = await createTestApp({ auth: 'anonymous' });
    const result = await ensureFirstAdmin(
      fresh.db,
      { ADMIN_EMAIL: 'Ops@Company.test', ADMIN_PASSWORD: 'from the environment' },
      'http://survey.test',
      fresh.clock.now(),
    );
    expect(result).toEqual({ kind: 'created', email: 'ops@company.test' });
    const res = await fresh.request('/api/auth/login', { method: 'POST', json: { email: 'ops@company.test', password: 'from the environment' } });
    expect(res.status).toBe(200);
    expect((await res.json()).role).toBe('admin');
  });
});

describe('managing users', () => {
  it('creates a branch manager who chooses a password through a one-time link and sees only their branches', async () => {
    await t.request('/api/rentals', { method: 'POST', json: rentalPayload(1) });
    await t.request('/api/rentals', {
      method: 'POST',
      json: rentalPayload(2, { pickupBranch: { code: 'BJ01', name: '北京首都机场店', city: '北京', region: '华北' }, returnBranch: 'BJ01' }),
    });
    const options = await (await t.request('/api/users/options')).json();
    const sh01 = options.branches.find((b: { code: string }) => b.code === 'SH01');
    expect(options.roles).toEqual(['admin', 'quality_manager', 'branch_manager', 'regional_manager', 'executive']);

    const noBranch = await t.request('/api/users', { method: 'POST', json: { email: 'bm@staff.test', name: 'Li Lei', role: 'branch_manager' } });
    expect(noBranch.status).toBe(400);
    expect((await noBranch.json()).errors[0].path).toBe('branchIds');

    const created = await t.request('/api/users', {
      method: 'POST',
      json: { email: 'BM@staff.test', name: 'Li Lei', role: 'branch_manager', branchIds: [sh01.id] },
    });
    expect(created.status).toBe(201);
    const body = await created.json();
    expect(body.user).toMatchObject({ email: 'bm@staff.test', role: 'branch_manager', status: 'invited', branches: [{ code: 'SH01' }] });
    expect((await t.request('/api/users', { method: 'POST', json: { email: 'bm@staff.test', name: 'Again', role: 'executive' } })).status).toBe(409);

    // Invited users cannot sign in before choosing a password.
    expect((await login('bm@staff.test', '')).status).toBe(400);
    const token = body.passwordLink.link.split('/').pop();
    expect(await (await t.request(`/api/auth/setup/${token}`, { as: 'anonymous' })).json()).toEqual({
      purpose: 'password',
      email: 'bm@staff.test',
      name: 'Li Lei',
    });
    const set = await t.request(`/api/auth/setup/${token}`, { method: 'POST', json: { password: 'branch manager pass' }, as: 'anonymous' });
    expect(set.status).toBe(200);
    expect(await set.json()).toMatchObject({ role: 'branch_manager', branches: [{ code: 'SH01', name: '上海虹桥机场店' }], maskContacts: true });

    const signedIn = await login('bm@staff.test', 'branch manager pass');
    expect(signedIn.status).toBe(200);
    const bm = sessionCookieOf(signedIn).credentials;
    expect((await t.request('/api/users', { as: bm })).status).toBe(403);

    // Moving the manager to another branch takes effect at once, on the same session.
    const bj01 = options.branches.find((b: { code: string }) => b.code === 'BJ01');
    const moved = await t.request(`/api/users/${body.user.id}`, { method: 'PATCH', json: { branchIds: [bj01.id] } });
    expect((await moved.json()).branches.map((b: { code: string }) => b.code)).toEqual(['BJ01']);
    expect((await (await t.request('/api/auth/me', { as: bm })).json()).branches.map((b: { code: string }) => b.code)).toEqual(['BJ01']);

    // Disabling ends the sessions.
    const disabled = await t.request(`/api/users/${body.user.id}`, { method: 'PATCH', json: { disabled: true } });
    expect((await disabled.json()).status).toBe('disabled');
    expect((await t.request('/api/auth/me', { as: bm })).status).toBe(401);
    expect((await login('bm@staff.test', 'branch manager pass')).status).toBe(401);

    const actions = await t.sql`select action, details from audit_log where target_id = ${body.user.id} order by id`;
    expect(actions.map((a) => a.action)).toEqual(['user.create', 'user.set_password', 'user.update', 'user.update']);
    expect(actions[2].details).toEqual({ branches: ['BJ01'] });
    expect(actions[3].details).toEqual({ disabled: true });
  });

  it('keeps at least one active administrator', async () => {
    const self = await t.request(`/api/users/${t.admin!.userId}`, { method: 'PATCH', json: { role: 'executive' } });
    expect(self.status).toBe(409);
    const other = await t.signIn('admin');
    // With a second admin, the first may be demoted by the second.
    const demote = await t.request(`/api/users/${t.admin!.userId}`, { method: 'PATCH', json: { role: 'quality_manager' }, as: other });
    expect(demote.status).toBe(200);
    const back = await t.request(`/api/users/${t.admin!.userId}`, { method: 'PATCH', json: { role: 'admin' }, as: other });
    expect(back.status).toBe(200);
  });

  it('issues a new set-password link that replaces the old one and unlocks the account', async () => {
    const user = await t.signIn('executive', { email: 'exec.reset@staff.test' });
    const first = await (await t.request(`/api/users/${user.userId}/password-link`, { method: 'POST' })).json();
    const second = await (await t.request(`/api/users/${user.userId}/password-link`, { method: 'POST' })).json();
    expect((await t.request(`/api/auth/setup/${first.link.split('/').pop()}`, { as: 'anonymous' })).status).toBe(404);
    await t.sql`update users set locked_until = ${new Date(t.clock.now().getTime() + 600_000).toISOString()} where id = ${user.userId}`;
    const used = await t.request(`/api/auth/setup/${second.link.split('/').pop()}`, {
      method: 'POST',
      json: { password: 'a brand new password' },
      as: 'anonymous',
    });
    expect(used.status).toBe(200);
    expect((await login('exec.reset@staff.test', 'a brand new password', '10.0.3.1')).status).toBe(200);
  });
});

describe('API keys', () => {
  it('work as Bearer credentials with their scopes only, are stored hashed, and stop when revoked', async () => {
    const created = await t.request('/api/api-keys', { method: 'POST', json: { name: 'Rental system', scopes: ['rentals:write'] } });
    expect(created.status).toBe(201);
    const { apiKey, key } = await created.json();
    expect(key).toMatch(/^rsk_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toMatchObject({ name: 'Rental system', scopes: ['rentals:write'], prefix: key.slice(0, 10), revokedAt: null });
    const stored = await t.sql`select key_hash from api_keys where id = ${apiKey.id}`;
    expect(stored[0].key_hash).not.toContain(key.slice(4));

    const bearer = { headers: { authorization: `Bearer ${key}` } };
    const rental = await t.request('/api/rentals', { method: 'POST', json: rentalPayload(50), as: bearer });
    expect(rental.status).toBe(201);
    const surveys = await t.request('/api/surveys', { as: bearer });
    expect(surveys.status).toBe(403);
    expect((await surveys.json()).detail).toContain('surveys:read');
    expect((await t.request('/api/users', { as: bearer })).status).toBe(403);
    expect((await t.request('/api/auth/me', { as: bearer })).status).toBe(403);

    const listed = await (await t.request('/api/api-keys')).json();
    expect(listed.find((k: { id: string }) => k.id === apiKey.id).lastUsedAt).toBe(t.clock.now().toISOString());
    expect(JSON.stringify(listed)).not.toContain(key);

    expect((await t.request(`/api/api-keys/${apiKey.id}`, { method: 'DELETE' })).status).toBe(204);
    const revoked = await t.request('/api/rentals', { method: 'POST', json: rentalPayload(51), as: bearer });
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get('www-authenticate')).toContain('Bearer');
    expect((await t.request('/api/rentals', { method: 'POST', json: rentalPayload(51), as: { headers: { authorization: 'Bearer rsk_madeup' } } })).status).toBe(
      401,
    );
  });

  it('refuse scopes an integration may not have, and expire', async () => {
    const bad = await t.request('/api/api-keys', { method: 'POST', json: { name: 'Too much', scopes: ['users:admin'] } });
    expect(bad.status).toBe(400);
    const expiring = await t.request('/api/api-keys', {
      method: 'POST',
      json: { name: 'Short', scopes: ['surveys:read'], expiresAt: new Date(t.clock.now().getTime() + 3_600_000).toISOString() },
    });
    const { key } = await expiring.json();
    const as = { headers: { authorization: `Bearer ${key}` } };
    expect((await t.request('/api/surveys', { as })).status).toBe(200);
    t.clock.advance(3_600_001);
    expect((await t.request('/api/surveys', { as })).status).toBe(401);
  });
});

describe('CSRF protection for cookie sessions', () => {
  it('refuses a cookie-authenticated write from another site, allows same origin and the marker header', async () => {
    const qm = await t.signIn('quality_manager');
    const cookie = qm.headers.cookie;
    const post = (headers: Record<string, string>, n: number) =>
      t.request('/api/rentals', { method: 'POST', json: rentalPayload(n), headers: { cookie, ...headers } });
    const plain = await post({}, 60);
    expect(plain.status).toBe(403);
    expect((await plain.json()).detail).toMatch(/Cross-site/);
    expect((await post({ origin: 'https://evil.example' }, 60)).status).toBe(403);
    expect((await post({ origin: 'http://localhost', 'sec-fetch-site': 'cross-site' }, 60)).status).toBe(403);
    expect((await t.sql`select 1 from rentals where external_id = 'RA-T-60'`).length).toBe(0);
    expect((await post({ origin: 'http://localhost' }, 60)).status).toBe(201);
    expect((await post({ origin: 'http://survey.test' }, 61)).status).toBe(201);
    expect((await post({ 'sec-fetch-site': 'same-origin' }, 62)).status).toBe(201);
    expect((await post({ 'x-requested-with': 'fetch' }, 63)).status).toBe(201);
    // Reads need nothing extra.
    expect((await t.request('/api/surveys', { headers: { cookie } })).status).toBe(200);
  });
});

describe('security headers', () => {
  it('are on every API response, cached nothing for signed-in callers', async () => {
    const res = await t.request('/api/surveys');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    const anonymous = await t.request('/api/health', { as: 'anonymous' });
    expect(anonymous.headers.get('x-frame-options')).toBe('DENY');
    const unauthorized = await t.request('/api/surveys', { as: 'anonymous' });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('content-type')).toContain('application/problem+json');
    expect(unauthorized.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('audit log', () => {
  it('lists who changed what, newest first, filtered and paged, for admins only', async () => {
    const created = await (await t.request('/api/api-keys', { method: 'POST', json: { name: 'Audited', scopes: ['analytics:read'] } })).json();
    await t.request(`/api/api-keys/${created.apiKey.id}`, { method: 'DELETE' });
    const page = await (await t.request('/api/audit?action=api_key.&limit=2')).json();
    expect(page.entries.map((e: { action: string }) => e.action)).toEqual(['api_key.revoke', 'api_key.create']);
    expect(page.entries[0]).toMatchObject({
      actorType: 'user',
      actorId: t.admin!.userId,
      actorLabel: 'admin@staff.test',
      targetType: 'api_key',
      targetId: created.apiKey.id,
      details: { name: 'Audited' },
    });
    expect(page.entries[1].details).toEqual({ name: 'Audited', scopes: ['analytics:read'] });
    expect(page.nextBefore).toBe(page.entries[1].id);
    const next = await (await t.request(`/api/audit?action=api_key.&limit=2&before=${page.nextBefore}`)).json();
    expect(next.entries.every((e: { id: number }) => e.id < page.nextBefore)).toBe(true);
    const exact = await (await t.request('/api/audit?action=api_key.create')).json();
    expect(exact.entries.every((e: { action: string }) => e.action === 'api_key.create')).toBe(true);
    const qm = await t.signIn('quality_manager');
    expect((await t.request('/api/audit', { as: qm })).status).toBe(403);
  });
});

describe('audited changes in other domains', () => {
  it('records survey changes, invitation rule changes and response exports with who did them', async () => {
    const qm = await t.signIn('quality_manager', { email: 'qm.audit@staff.test' });
    expect((await t.request(`/api/surveys/${surveyId}/archive`, { method: 'POST', as: qm })).status).toBe(200);
    expect((await t.request(`/api/surveys/${surveyId}/unarchive`, { method: 'POST', as: qm })).status).toBe(200);
    const rules = await (await t.request(`/api/surveys/${surveyId}/invitation-rules`, { as: qm })).json();
    expect((await t.request(`/api/surveys/${surveyId}/invitation-rules`, { method: 'PUT', json: rules.rules, as: qm })).status).toBe(200);
    const csv = await t.request(`/api/responses/export.csv?survey=${surveyId}`, { as: qm });
    expect(csv.status).toBe(200);
    await csv.text();
    const entries = await t.sql`select action, actor_label, target_id from audit_log where actor_id = ${qm.userId} order by id`;
    expect(entries.map((e) => e.action)).toEqual(['survey.archive', 'survey.unarchive', 'invitation_rules.update', 'responses.export']);
    expect(entries.every((e) => e.actor_label === 'qm.audit@staff.test' && e.target_id === surveyId)).toBe(true);
  });
});

describe('masking', () => {
  it('hides the middle of emails and phone numbers', () => {
    expect(maskEmail('zhang.wei@example.com')).toBe('z***@example.com');
    expect(maskEmail(null)).toBeNull();
    expect(maskPhone('+86 13812345678')).toBe('+86 138****5678');
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+44 20 7946 0958')).toBe('+44 ****0958');
    expect(maskPhone('123')).toBe('****');
  });
});
