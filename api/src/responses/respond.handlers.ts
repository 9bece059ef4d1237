import type { AppRouteHandler } from '../lib/types.ts';
import { openRespondSession, saveRespondAnswers, submitRespondAnswers } from './respond.queries.ts';
import type { OpenSessionRoute, SaveAnswersRoute, SubmitAnswersRoute } from './respond.routes.ts';

export const openSession: AppRouteHandler<OpenSessionRoute> = async (c) => {
  const { db, now, publicUrl } = c.get('deps');
  const { token } = c.req.valid('param');
  const session = await openRespondSession(db, token, now(), {
    locale: c.req.query('locale'),
    acceptLanguage: c.req.header('accept-language'),
  });
  c.header('Cache-Control', 'no-store');
  return c.json({ ...session, optOutUrl: `${publicUrl}/s/${token}/opt-out` }, 200);
};

export const saveAnswers: AppRouteHandler<SaveAnswersRoute> = async (c) => {
  const { db, now } = c.get('deps');
  const { token } = c.req.valid('param');
  return c.json(await saveRespondAnswers(db, token, now(), c.req.valid('json')), 200);
};

export const submitAnswers: AppRouteHandler<SubmitAnswersRoute> = async (c) => {
  const { db, now } = c.get('deps');
  const { token } = c.req.valid('param');
  return c.json(await submitRespondAnswers(db, token, now(), c.req.valid('json')), 200);
};
