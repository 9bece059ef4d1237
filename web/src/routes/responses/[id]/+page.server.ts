import { error } from '@sveltejs/kit';
import { api } from '$lib/api';
import { loadFailure } from '$lib/form-actions';
import { serverTimeZone } from '$lib/server/time-zone';
import type { ResponseDetail } from '@rs/api/contract';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params, locals }) => {
  if (!/^[0-9a-f-]{36}$/i.test(params.id)) error(404, 'Not found');
  try {
    // dates piped into question texts: in the company's time zone, as the customer's page showed them
    return { response: await api<ResponseDetail>(fetch, `/responses/${params.id}`), timeZone: serverTimeZone(locals.user) };
  } catch (e) {
    loadFailure(e);
  }
};
