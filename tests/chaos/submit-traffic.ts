// Survey submits from several clients against a server whose database is about to go away: each client
// takes the next link and submits until it is acknowledged, taking a 503 or a lost connection as "try again",
// as the survey page's customer would. What was acknowledged (with its response id) and every attempt are
// kept for the scenario's checks.
import { expect } from 'vitest';

export interface SubmitAttempt {
  at: number;
  ms: number;
  status: number | 'network' | 'timeout';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function startSubmitTraffic(baseUrl: string, tokens: string[], options: { clients: number; timeoutMs: number; retryAfterMs: number }) {
  const todo = [...tokens];
  const acknowledged = new Map<string, string>();
  const attempts: SubmitAttempt[] = [];
  /** Bodies of answers other than 200 and 503 (none expected). */
  const unexpected: string[] = [];
  let running = true;

  const submit = async (token: string): Promise<SubmitAttempt> => {
    const started = Date.now();
    try {
      const res = await fetch(`${baseUrl}/api/respond/${token}/submit`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ answers: { q_nps: token.charCodeAt(0) % 11, q_csat: 4 }, locale: 'en' }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      if (res.status === 200) {
        const body = (await res.json()) as { responseId: string };
        const before = acknowledged.get(token);
        if (before && before !== body.responseId) throw new Error(`token answered with two responses: ${before}, ${body.responseId}`);
        acknowledged.set(token, body.responseId);
      } else {
        const text = await res.text();
        if (res.status === 503) {
          expect(res.headers.get('content-type')).toContain('application/problem+json');
          expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
          expect(text).not.toMatch(/at .*\.ts:\d+/); // no stack
        } else unexpected.push(`${res.status}: ${text.slice(0, 300)}`);
      }
      return { at: started, ms: Date.now() - started, status: res.status };
    } catch (error) {
      const name = (error as Error).name;
      // A request cut off by the outage or by its own time limit; anything else is the test's own failure.
      if (name !== 'TimeoutError' && name !== 'TypeError') throw error;
      return { at: started, ms: Date.now() - started, status: name === 'TimeoutError' ? 'timeout' : 'network' };
    }
  };

  const client = async () => {
    while (running) {
      const token = todo.shift();
      if (!token) {
        await sleep(50);
        continue;
      }
      const attempt = await submit(token);
      attempts.push(attempt);
      if (attempt.status !== 200) {
        todo.push(token);
        await sleep(options.retryAfterMs);
      }
    }
  };
  const clients = Array.from({ length: options.clients }, client);

  return {
    acknowledged,
    attempts,
    unexpected,
    /** Stops the clients, then submits each link not yet acknowledged once more (the database is up): each must be accepted. */
    async finish() {
      running = false;
      await Promise.all(clients);
      for (const token of todo.splice(0)) {
        const attempt = await submit(token);
        attempts.push(attempt);
        expect(attempt.status).toBe(200);
      }
    },
  };
}
