// Redirect targets users can choose (login's `next`, the language switch's `back`): only this site's paths.
import { describe, expect, it } from 'vitest';
import { safeNext } from '../../web/src/lib/access.ts';
import { safeRedirectTarget } from '../../web/src/lib/safe-redirect.ts';

// Known ways to leave a site through a "same-site path" check, as the value arrives after one URL decoding.
const BYPASSES = [
  '//evil.example',
  '///evil.example',
  '/\\evil.example',
  '\\\\evil.example',
  '/\\/evil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r\n/evil.example',
  '/ /evil.example',
  '\t//evil.example',
  ' //evil.example',
  '/%09/evil.example',
  '/%0a/evil.example',
  '/%0d%0a/evil.example',
  '/%2F/evil.example',
  '/%2f%2fevil.example',
  '/%5Cevil.example',
  '/%5cevil.example',
  '/%252F/evil.example',
  '/%25252F/evil.example',
  'https://evil.example',
  'http:evil.example',
  'https:/evil.example',
  'javascript:alert(1)',
  'JavaScript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'evil.example',
  '.evil.example',
  '@evil.example',
  '/\u0000/evil.example',
  '/\u00a0/evil.example',
  '/\u3000/evil.example',
  '/\u2028/evil.example',
  '/\uff0f/evil.example',
  '/%',
  '',
];

describe('safeRedirectTarget', () => {
  it.each(BYPASSES)('refuses %j', (target) => {
    expect(safeRedirectTarget(target, '/fallback')).toBe('/fallback');
  });

  it('keeps paths of this site, with their query and fragment', () => {
    for (const target of [
      '/',
      '/dashboard',
      '/dashboard?from=2026-01-01&to=2026-03-31',
      '/responses?q=%E5%A5%BD&branch=SH01#list',
      '/cases/3f0c/notes',
      '/a//b',
      '/responses?q=a%2F%2Fb',
    ]) {
      expect(safeRedirectTarget(target, '/fallback')).toBe(target);
    }
  });

  it('refuses what is not a string', () => {
    for (const target of [null, undefined, 42, ['/dashboard'], { href: '/dashboard' }]) expect(safeRedirectTarget(target, '/x')).toBe('/x');
  });
});

describe('safeNext (after signing in)', () => {
  it('goes to the asked page, never back to the login page nor off the site', () => {
    expect(safeNext('/account')).toBe('/account');
    expect(safeNext('/login')).toBe('/dashboard');
    expect(safeNext('/login?next=/account')).toBe('/dashboard');
    expect(safeNext('/loginhelp')).toBe('/loginhelp');
    expect(safeNext('/%09/evil.example')).toBe('/dashboard');
    expect(safeNext('/\t/evil.example')).toBe('/dashboard');
    expect(safeNext(null)).toBe('/dashboard');
  });
});
