// Provider health: the state from the facts the sender recorded, and short reasons without personal data.
import { describe, expect, it } from 'vitest';
import { providerErrorReason, providerState } from '../../api/src/distribution/status.health.ts';

describe('providerState', () => {
  it('is ok without failures since the last success, down without a recent success, degraded with one', () => {
    expect(providerState({ lastSuccessAt: null, lastErrorAt: null, failuresSinceSuccess: 0 })).toBe('ok');
    expect(providerState({ lastSuccessAt: '2026-06-01T10:00:00Z', lastErrorAt: '2026-06-01T09:00:00Z', failuresSinceSuccess: 0 })).toBe('ok');
    expect(providerState({ lastSuccessAt: null, lastErrorAt: '2026-06-01T10:00:00Z', failuresSinceSuccess: 3 })).toBe('down');
    expect(providerState({ lastSuccessAt: '2026-06-01T09:50:00Z', lastErrorAt: '2026-06-01T10:00:00Z', failuresSinceSuccess: 1 })).toBe('degraded');
    expect(providerState({ lastSuccessAt: '2026-06-01T09:44:59Z', lastErrorAt: '2026-06-01T10:00:00Z', failuresSinceSuccess: 1 })).toBe('down');
  });
});

describe('providerErrorReason', () => {
  it.each([
    ['connect ECONNREFUSED 127.0.0.1:2525', 'connection refused'],
    ['getaddrinfo ENOTFOUND smtp.example.com', 'host not found'],
    ['Connection timeout', 'timed out'],
    ['Greeting never received', 'connection closed'],
    ['Invalid greeting. response=421 Service not available: 421 Service not available', 'server answered 421'],
    ['451 4.3.0 <anna@example.com>: temporarily deferred', 'server answered 451'],
    ['SMS provider answered 503 overloaded', 'provider answered HTTP 503'],
    ['something for +8613800000002 went wrong', 'other error'],
  ])('%s → %s', (message, reason) => {
    const got = providerErrorReason(message);
    expect(got).toBe(reason);
    expect(got).not.toMatch(/@|\d{6,}/);
  });
});
