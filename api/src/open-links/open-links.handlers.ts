import { getCookie } from 'hono/cookie';
import { audit } from '../access/audit.ts';
import { clientAddress } from '../access/authenticate.ts';
import { branchScopeOf } from '../access/scope.ts';
import { hashToken, tokenSecret, TOKEN_PATTERN } from '../distribution/tokens.ts';
import { ProblemError } from '../lib/problem.ts';
import type { AppRouteHandler } from '../lib/types.ts';
import { linkUnavailable, saveRespondAnswers } from '../responses/respond.queries.ts';
import * as q from './open-links.queries.ts';
import type {
  CreateOpenLinkRoute,
  EmailScoreRoute,
  ListOpenLinksRoute,
  OpenLinkPrintRoute,
  OpenLinkQrRoute,
  OpenSessionRoute,
  SubmitOpenRoute,
  UpdateOpenLinkRoute,
} from './open-links.routes.ts';
import { posterPdf, qrPng } from './poster.ts';

/** The device cookie the open-link page sets (random, HTTP-only); answers per device are counted by its hash. */
export const DEVICE_COOKIE = 'rs_open_device';

export const listOpenLinks: AppRouteHandler<ListOpenLinksRoute> = async (c) => {
  const { sql, publicUrl, now } = c.get('deps');
  return c.json(await q.listOpenLinks(sql, publicUrl, now(), c.req.valid('query'), branchScopeOf(c)), 200);
};

export const createOpenLink: AppRouteHandler<CreateOpenLinkRoute> = async (c) => {
  const { sql, publicUrl, now } = c.get('deps');
  const principal = c.get('principal');
  const link = await q.createOpenLink(sql, publicUrl, now(), c.req.valid('json'), principal?.kind === 'user' ? principal.id : null);
  await audit(c, 'open_link.create', { type: 'open_link', id: link.id }, { branch: link.branch.code, tag: link.tag, surveyId: link.surveyId });
  return c.json(link, 201);
};

export const updateOpenLink: AppRouteHandler<UpdateOpenLinkRoute> = async (c) => {
  const { sql, publicUrl, now } = c.get('deps');
  const { id } = c.req.valid('param');
  const input = c.req.valid('json');
  const link = await q.updateOpenLink(sql, publicUrl, now(), id, input, branchScopeOf(c));
  await audit(c, 'open_link.update', { type: 'open_link', id }, { fields: Object.keys(input), active: link.active });
  return c.json(link, 200);
};

export const openLinkQr: AppRouteHandler<OpenLinkQrRoute> = async (c) => {
  const { sql, publicUrl, now } = c.get('deps');
  const link = await q.getOpenLink(sql, publicUrl, now(), c.req.valid('param').id, branchScopeOf(c));
  const png = await qrPng(link.url);
  return c.body(new Uint8Array(png), 200, { 'Content-Type': 'image/png', 'Content-Disposition': `inline; filename="open-link-${link.branch.code}.png"` });
};

export const openLinkPrint: AppRouteHandler<OpenLinkPrintRoute> = async (c) => {
  const { sql, publicUrl, now } = c.get('deps');
  const link = await q.getOpenLink(sql, publicUrl, now(), c.req.valid('param').id, branchScopeOf(c));
  const { format } = c.req.valid('query');
  const pdf = await posterPdf({ url: link.url, branchName: link.branch.name, branchNameEn: link.branch.nameEn, tag: link.tag }, format);
  return c.body(new Uint8Array(pdf), 200, {
    'Content-Type': 'application/pdf',
    'Content-Disposition': `inline; filename="open-link-${link.branch.code}-${format}.pdf"`,
  });
};

export const openSession: AppRouteHandler<OpenSessionRoute> = async (c) => {
  const { sql, now, env } = c.get('deps');
  const { slug } = c.req.valid('param');
  const session = await q.openPublicSession(sql, slug, now(), tokenSecret(env), {
    locale: c.req.valid('query').locale,
    acceptLanguage: c.req.header('accept-language'),
  });
  c.header('Cache-Control', 'no-store');
  return c.json(session, 200);
};

export const submitOpen: AppRouteHandler<SubmitOpenRoute> = async (c) => {
  const { db, sql, now, env } = c.get('deps');
  const { slug } = c.req.valid('param');
  const device = getCookie(c, DEVICE_COOKIE);
  const result = await q.submitOpenAnswer(db, sql, slug, c.req.valid('json'), {
    now: now(),
    secret: tokenSecret(env),
    timeZone: env.COMPANY_TIME_ZONE,
    device: device && /^[A-Za-z0-9_-]{16,64}$/.test(device) ? device : null,
    address: clientAddress(c),
  });
  return c.json(result, 200);
};

export const emailScore: AppRouteHandler<EmailScoreRoute> = async (c) => {
  const { db, sql, now } = c.get('deps');
  const { token } = c.req.valid('param');
  const { score } = c.req.valid('json');
  const invitation = TOKEN_PATTERN.test(token) ? await q.invitationOfToken(sql, hashToken(token)) : null;
  if (!invitation) throw linkUnavailable();
  const first = q.firstQuestionOf(invitation.definition);
  if (!first) {
    throw new ProblemError(400, 'No email question', 'This survey does not start with the recommendation question.', [
      { path: 'score', message: 'the survey cannot be answered from the email' },
    ]);
  }
  const page = q.pageAfterScore(invitation.definition, first.pageIndex, first.question.id, score);
  // The same save as the survey page's: single-use rules, a finished response is never changed.
  // A response made by the click speaks the customer's language (as their page would), not the survey's default.
  const offered: string[] = invitation.definition.locales ?? [invitation.definition.defaultLocale];
  const locale = invitation.preferred_language && offered.includes(invitation.preferred_language) ? invitation.preferred_language : undefined;
  await saveRespondAnswers(db, token, now(), { answers: { [first.question.id]: score }, page, locale });
  await q.recordScoreClick(sql, invitation.id, first.question.id, score, now());
  return c.json({ questionId: first.question.id, score, page }, 200);
};
