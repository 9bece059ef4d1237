import { z } from '@hono/zod-openapi';
import type { Answers } from '@rs/survey-definition';
import { pipingFactsSchema } from './piping-facts.ts';
import { storedDefinitionSchema } from '../surveys/surveys.schemas.ts';
import { thankYouRewardSchema } from '../rewards/rewards.schemas.ts';

export const tokenParamSchema = z.object({
  token: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'token', in: 'path' }, example: 'k3J9x0aQ1vZb2mN4pR6sTw' }),
});

/** Answers keyed by question id; the value's shape depends on the question type (see the survey definition). */
export const answersSchema = z
  .record(z.string().max(100), z.unknown(), {
    error: (issue) =>
      issue.input === undefined
        ? 'answers is required: an object of answers keyed by question id, e.g. {"answers": {"q_nps": 9}}'
        : 'answers must be an object of answers keyed by question id, e.g. {"q_nps": 9}',
  })
  .openapi('Answers', { example: { q_nps: 9, q_csat: 5, q_staff: { s_friendly: 4 } } });

/** Answers the API stored (each checked against the definition when saved): callers get their type. */
const storedAnswersSchema = z.custom<Answers>().openapi({ type: 'object', $ref: '#/components/schemas/Answers' } as never);

const localeField = z.enum(['zh-CN', 'zh-TW', 'en']).optional();

export const saveBodySchema = z
  .object({
    answers: answersSchema,
    locale: localeField,
    page: z
      .number()
      .int()
      .min(0)
      .max(100)
      .optional()
      .openapi({
        description:
          "Index (in the definition's pages) of the page the customer is on after this save; the link reopens there. " +
          'It is never stored past one shown page beyond the furthest page shown so far.',
      }),
  })
  .openapi('SaveAnswers');

export const submitBodySchema = z
  .object({
    answers: answersSchema.openapi({
      description: 'Every answer of the response: they replace any saved draft (answers left out are removed).',
    }),
    locale: localeField,
  })
  .openapi('SubmitAnswers');

export const respondSessionSchema = z
  .object({
    survey: z.object({ id: z.uuid(), versionId: z.uuid(), version: z.number().int(), definition: storedDefinitionSchema() }),
    locale: z.string(),
    facts: pipingFactsSchema,
    answers: storedAnswersSchema,
    page: z.number().int().openapi({ description: "Index (in the definition's pages) of the page to continue at" }),
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
    reward: thankYouRewardSchema.nullable().openapi({
      description: 'The reward code this response was given (rewards programme of the survey), never dependent on the answers; null without one',
    }),
  })
  .openapi('SubmitResult');

export const savedResultSchema = z.object({ responseId: z.uuid(), status: z.literal('partial'), page: z.number().int().nullable() }).openapi('SaveResult');
