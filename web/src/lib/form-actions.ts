// How server loads and form actions turn an API refusal into a SvelteKit result: one place, so every
// page shows the problem's detail and field errors the same way.
import { error, fail } from '@sveltejs/kit';
import { api, ApiError } from './api';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An API failure as a form result: the problem's detail and field errors, next to what the page needs back. */
export function actionFailure<E extends object = Record<never, never>>(e: unknown, extra: E = {} as E) {
  if (e instanceof ApiError) {
    return fail(e.status, { ...extra, message: e.problem.detail ?? e.problem.title, errors: e.problem.errors ?? [] });
  }
  throw e;
}

/** A form action that only calls the API: `{ action, ok: true }` on success, the refusal otherwise. */
export async function runAction(action: string, call: () => Promise<unknown>) {
  try {
    await call();
    return { action, ok: true };
  } catch (e) {
    return actionFailure(e, { action });
  }
}

/**
 * A refused write whose page translates error codes itself: each failed field (or CSV row) with its code
 * (and the problem's params for the message, such as a contrast ratio, when it has them).
 * `atLeastOne`: a refusal that names no field still yields one (empty) entry, so the page says something.
 */
export function codedFailure<E extends { action: string }>(e: unknown, extra: E, { atLeastOne = false } = {}) {
  if (!(e instanceof ApiError)) throw e;
  const errors = (e.problem.errors ?? []).map((err) => ({
    path: err.path,
    row: err.row ?? null,
    code: err.code ?? null,
    ...(err.params ? { params: err.params } : {}),
  }));
  if (atLeastOne && errors.length === 0) errors.push({ path: '', row: null, code: null });
  return fail(e.status, { ...extra, status: e.status, errors });
}

/** An API failure while loading a page: its status and detail as the error page. */
export function loadFailure(e: unknown): never {
  if (e instanceof ApiError) error(e.status, e.problem.detail ?? e.problem.title);
  throw e;
}

/** A text field of a posted form, trimmed; '' when it is missing or a file. */
export function formText(form: FormData, name: string): string {
  const v = form.get(name);
  return typeof v === 'string' ? v.trim() : '';
}

/** The id a form posted, or a 400 when it is not a UUID. */
export function idFrom(form: FormData, name = 'id'): string {
  const id = String(form.get(name) ?? '');
  if (!UUID.test(id)) error(400, 'Bad id');
  return id;
}

/**
 * The `?/import` action of a register page: the uploaded CSV file posted to `path` as text/csv. The result
 * as `imported`, or the refused rows (codedFailure), or `no_file` when no file was chosen.
 */
export async function csvImportAction<T>(request: Request, fetchFn: Parameters<typeof api>[0], path: string, { atLeastOne = false } = {}) {
  const file = (await request.formData()).get('file');
  if (!(file instanceof File) || file.size === 0) return fail(400, { action: 'import', status: 400, errors: [{ path: 'file', row: null, code: 'no_file' }] });
  try {
    const imported = await api<T>(fetchFn, path, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: await file.text() });
    return { imported };
  } catch (e) {
    return codedFailure(e, { action: 'import' }, { atLeastOne });
  }
}
