// A thin client for the JSON API. Server loads pass SvelteKit's `fetch`; the browser uses the global one.
// Each caller names the answer's type from the contract, e.g. CaseDetail (tests/unit/web-api-contract.test.ts).
import type { Problem } from '@rs/api/contract';

/** The API's problem+json body (a route's extension members, e.g. `reason`, are read with a cast). */
export type ProblemDetails = Problem;

export class ApiError extends Error {
  constructor(readonly problem: ProblemDetails) {
    super(problem.detail ?? problem.title);
  }
  get status() {
    return this.problem.status;
  }
}

type Fetch = typeof fetch;

export async function api<T>(fetchFn: Fetch, path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, ...rest } = init;
  const headers = new Headers(rest.headers);
  headers.set('accept', 'application/json');
  if (json !== undefined) headers.set('content-type', 'application/json');
  const response = await fetchFn(`/api${path}`, { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body });
  const text = await response.text();
  const body = text ? JSON.parse(text) : null;
  if (!response.ok) {
    throw new ApiError(
      body && typeof body === 'object' && 'status' in body ? body : { type: 'about:blank', title: response.statusText, status: response.status },
    );
  }
  return body as T;
}

export function query(params: Record<string, string | number | undefined | null | string[]>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    for (const v of Array.isArray(value) ? value : [value]) search.append(key, String(v));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}
