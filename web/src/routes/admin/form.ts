// Helpers shared by the administration pages.
import { error, fail } from '@sveltejs/kit';
import { ApiError } from '$lib/api';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An API failure as a form result: the problem's detail and field errors. */
export function failure(e: unknown, extra: Record<string, unknown> = {}) {
  if (e instanceof ApiError) {
    return fail(e.status, { ...extra, message: e.problem.detail ?? e.problem.title, errors: e.problem.errors ?? [] });
  }
  throw e;
}

/** An API failure while loading a page: its status and detail as the error page. */
export function loadFailure(e: unknown): never {
  if (e instanceof ApiError) error(e.status, e.problem.detail ?? e.problem.title);
  throw e;
}

export function idFrom(form: FormData, name = 'id'): string {
  const id = String(form.get(name) ?? '');
  if (!UUID.test(id)) error(400, 'Bad id');
  return id;
}
