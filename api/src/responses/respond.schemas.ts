import { z } from '@hono/zod-openapi';

export const tokenParamSchema = z.object({
  token: z.string().min(1).max(64).openapi({ param: { name: 'token', in: 'path' }, example: 'k3J9x0aQ1vZb2mN4pR6sTw' }),
});

/** Answers keyed by question id; the value's shape depends on the question type (see the survey definition). */
export const answersSchema = z.record(z.string().max(100), z.unknown()).openapi('Answers', {
  example: { q_nps: 9, q_csat: 5, q_staff: { s_friendly: 4 } },
});

export const saveBodySchema = z
  .object({
    answers: answersSchema,
    locale: z.enum(['zh-CN', 'zh-TW', 'en']).optional(),
    page: z.number().int().min(0).max(100).optional(),
  })
  .openapi('SaveAnswers');

export const respondSessionSchema = z
  .object({
    survey: z.object({ id: z.uuid(), versionId: z.uuid(), version: z.number().int(), definition: z.unknown() }),
    locale: z.string(),
    facts: z.record(z.string(), z.unknown()),
    answers: answersSchema,
    page: z.number().int(),
    status: z.enum(['new', 'partial']),
    optOutUrl: z.string(),
  })
  .openapi('RespondSession');

export const submitResultSchema = z
  .object({
    responseId: z.uuid(),
    status: z.literal('finished'),
    alreadyFinished: z.boolean(),
    npsCategory: z.enum(['promoter', 'passive', 'detractor']).nullable(),
    shareUrl: z.string().nullable(),
    followUpPromised: z.boolean(),
  })
  .openapi('SubmitResult');

export const savedResultSchema = z.object({ responseId: z.uuid(), status: z.literal('partial') }).openapi('SaveResult');
