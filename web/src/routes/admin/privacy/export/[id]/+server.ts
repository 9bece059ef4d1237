// Downloads one customer's data export (JSON) through the API, which records it in the audit log.
import { error } from '@sveltejs/kit';
import { can } from '$lib/access';
import type { RequestHandler } from './$types';
import { UUID } from '$lib/form-actions';

export const GET: RequestHandler = async ({ fetch, params, locals }) => {
  if (!can(locals.user, 'privacy:admin')) error(403, 'forbidden');
  if (!UUID.test(params.id)) error(404, 'Not found');
  const res = await fetch(`/api/privacy/customers/${params.id}/export`);
  if (!res.ok) error(res.status, 'Export failed');
  return new Response(await res.text(), {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="customer-${params.id}.json"`,
      'cache-control': 'no-store',
    },
  });
};
