import { error } from '@sveltejs/kit';
import { can } from '$lib/access';
import { t } from '$lib/i18n';
import type { LayoutServerLoad } from './$types';

// Administration is for administrators; the API refuses everyone else as well.
export const load: LayoutServerLoad = ({ locals }) => {
  if (!can(locals.user, 'users:admin')) error(403, t(locals.locale, 'access.forbidden'));
  return {};
};
