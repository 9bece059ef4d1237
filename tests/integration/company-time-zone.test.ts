// The API names the company time zone (COMPANY_TIME_ZONE) to the signed-in user, so the web formats dates in it.
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../support/test-db.ts';

describe('GET /api/auth/me', () => {
  it('carries the configured company time zone, and the default when none is set', async () => {
    const berlin = await createTestApp({ env: { COMPANY_TIME_ZONE: 'Europe/Berlin' } });
    const standard = await createTestApp();
    const inBerlin = await berlin.request('/api/auth/me', { as: await berlin.signIn('executive') });
    expect(inBerlin.status).toBe(200);
    expect((await inBerlin.json()).timeZone).toBe('Europe/Berlin');
    const byDefault = await standard.request('/api/auth/me', { as: await standard.signIn('executive') });
    expect((await byDefault.json()).timeZone).toBe('Asia/Shanghai');
  });
});
