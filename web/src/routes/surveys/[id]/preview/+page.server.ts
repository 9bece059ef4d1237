// The preview frame's document title (its own page, so screen readers and axe need one), in the UI language:
// computed here so the frame's code does not load the staff translation table.
import { t } from '$lib/i18n';
import { PREVIEW_PHONE_WIDTH } from '$lib/builder/preview-frame';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => ({ frameTitle: t(locals.locale, 'preview.title', { width: PREVIEW_PHONE_WIDTH }) });
