import type { Context } from 'hono';
import type { Sql } from '../db/client.ts';
import { ProblemError } from '../lib/problem.ts';
import { refuseIfTooMany, takeLinkHit } from './rate-limit.ts';
import type { AppBindings, AppRouteHandler } from '../lib/types.ts';
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

/**
 * JSON.parse keeps a "__proto__" key as an own property, but request validation copies the answers into
 * a new object and drops it silently: it is refused here, from the body as sent, like any unknown question.
 */
async function refusePrototypeKey(c: Context<AppBindings>) {
  const body: unknown = await c.req.json();
  const answers = typeof body === 'object' && body !== null ? (body as { answers?: unknown }).answers : undefined;
  if (typeof answers === 'object' && answers !== null && Object.prototype.hasOwnProperty.call(answers, '__proto__')) {
    throw new ProblemError(400, 'Invalid answers', '1 answer(s) could not be accepted', [
      { path: '__proto__', code: 'unknown_question', message: 'Unknown question "__proto__".' },
    ]);
  }
}

export const saveAnswers: AppRouteHandler<SaveAnswersRoute> = async (c) => {
  const { db, now } = c.get('deps');
  const { token } = c.req.valid('param');
  await refusePrototypeKey(c);
  return c.json(await saveRespondAnswers(db, token, now(), c.req.valid('json')), 200);
};

export const submitAnswers: AppRouteHandler<SubmitAnswersRoute> = async (c) => {
  const { db, sql, now } = c.get('deps');
  const { token } = c.req.valid('param');
  await refusePrototypeKey(c);
  // The link's rate-limit hit is taken in the submit's own transaction (respondRateLimit leaves it out).
  const takeHit = async (conn: Sql) => {
    const verdict = await takeLinkHit(c, conn, token);
    if (!verdict.ok) refuseIfTooMany(c, verdict);
    return verdict;
  };
  return c.json(await submitRespondAnswers(db, sql, token, now(), c.req.valid('json'), takeHit), 200);
};
