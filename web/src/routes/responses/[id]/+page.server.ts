import { error } from '@sveltejs/kit';
import { api, ApiError } from '$lib/api';
import type { ResponseDetail } from '$lib/dashboard/explorer-types';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params }) => {
  if (!/^[0-9a-f-]{36}$/i.test(params.id)) error(404, 'Not found');
  try {
    return { response: await api<ResponseDetail>(fetch, `/responses/${params.id}`) };
  } catch (e) {
    if (e instanceof ApiError) error(e.status, e.problem.detail ?? e.problem.title);
    throw e;
  }
};
