// Redirects whose target a visitor chooses, on the real server: the Location header never leaves the site.
import { expect, test, type APIRequestContext } from '@playwright/test';
import { demoUser } from './support/session.ts';

// As they arrive in the query string or form field (the server decodes them once).
const BYPASSES = [
  '/%09/evil.example',
  '/%0a/evil.example',
  '/%0d%0a/evil.example',
  '/%5Cevil.example',
  '//evil.example',
  '/%2F%2Fevil.example',
  'https://evil.example',
  '/%252F/evil.example',
];

async function locationOf(request: APIRequestContext, url: string, form?: Record<string, string>) {
  const baseURL = process.env.E2E_BASE_URL!;
  const res = form
    ? await request.post(url, { form, maxRedirects: 0, headers: { origin: baseURL, accept: 'text/html' } })
    : await request.get(url, { maxRedirects: 0 });
  return { status: res.status(), location: res.headers()['location'] };
}

test('the language switch sends back only to a path of this site', async ({ request }) => {
  for (const back of ['/\\evil.example', '/\t/evil.example', '//evil.example', 'https://evil.example', ...BYPASSES.map(decodeURIComponent)]) {
    expect(await locationOf(request, '/lang', { to: 'en', back }), back).toEqual({ status: 303, location: '/' });
  }
  expect(await locationOf(request, '/lang', { to: 'en', back: '/dashboard?from=2026-01-01' })).toEqual({ status: 303, location: '/dashboard?from=2026-01-01' });
});

test('after signing in, next= goes to a page of this site or to the dashboard, never elsewhere and never a 500', async ({ request }) => {
  const admin = demoUser('admin');
  // Signing in through the form, with a hostile next.
  for (const next of ['/\t/evil.example', '/\\evil.example', '/\n/evil.example']) {
    const signIn = await locationOf(request, '/login', { email: admin.email, password: admin.password, next });
    expect(signIn, JSON.stringify(next)).toEqual({ status: 303, location: '/dashboard' });
  }
  // Signed in now: the login page sends on at once, to next when it is safe.
  for (const next of BYPASSES) {
    expect(await locationOf(request, `/login?next=${next}`), next).toEqual({ status: 303, location: '/dashboard' });
  }
  expect(await locationOf(request, `/login?next=${encodeURIComponent('/account?tab=password')}`)).toEqual({ status: 303, location: '/account?tab=password' });
});
