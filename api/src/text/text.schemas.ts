import { z } from '@hono/zod-openapi';
import { filterFields, fromBeforeTo } from '../analytics/engine/filters.schemas.ts';

export const topicIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/)
  .openapi({ description: 'Topic id: lower-case letters, digits and _' });

const termList = z.array(z.string().trim().min(1).max(40)).max(200);

export const lexiconTopicSchema = z
  .object({
    id: topicIdSchema,
    label: z.object({ 'zh-CN': z.string().trim().min(1).max(60), en: z.string().trim().min(1).max(60) }),
    terms: z.object({ zh: termList, en: termList }).openapi({ description: 'Terms per language: Chinese matches whole words, English matches lemmas' }),
  })
  .openapi('LexiconTopic');
export type LexiconTopicBody = z.infer<typeof lexiconTopicSchema>;

export const lexiconSchema = z.object({ version: z.number().int(), topics: z.array(lexiconTopicSchema) }).openapi('Lexicon');
export type Lexicon = z.infer<typeof lexiconSchema>;

export const topicParamsSchema = z.object({ id: topicIdSchema.openapi({ param: { name: 'id', in: 'path' } }) });

export const topicsQuerySchema = z.object({ ...filterFields }).refine(...fromBeforeTo);
export type TopicsQuery = z.infer<typeof topicsQuerySchema>;

const interval = z.tuple([z.number(), z.number()]).nullable();
const npsGroup = z.object({ n: z.number().int(), score: z.number().nullable(), ci95: interval });

export const topicFigureSchema = z
  .object({
    id: z.string(),
    label: z.string(),
    volume: z.number().int().openapi({ description: 'Comments that mention the topic' }),
    share: z.number().nullable().openapi({ description: 'Percent of the comments that mention the topic' }),
    sentiment: z.number().nullable().openapi({ description: 'Mean sentiment of the mentions, −1 … 1' }),
    negativeShare: z.number().nullable().openapi({ description: 'Percent of the mentions that are negative' }),
    npsWith: npsGroup,
    npsWithout: npsGroup,
    npsDifference: z
      .object({ difference: z.number().nullable(), ci95: interval, p: z.number().nullable() })
      .openapi({ description: 'NPS of comments with the topic minus NPS of those without, with its 95 % interval' }),
    suppressed: z.boolean().openapi({ description: 'Fewer mentions than minN: counts only' }),
  })
  .openapi('TopicFigure');
export type TopicFigure = z.infer<typeof topicFigureSchema>;

export const topicsResultSchema = z
  .object({
    survey: z.uuid(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    minN: z.number().int(),
    comments: z.number().int().openapi({ description: 'Finished responses with a comment' }),
    pending: z.number().int().openapi({
      description:
        'Responses whose comments wait for analysis (0 when every comment is analysed; otherwise at least this many, not yet in the figures: the back-fill job is catching up)',
    }),
    nps: npsGroup,
    topics: z.array(topicFigureSchema),
    trend: z.array(
      z.object({
        period: z.string().openapi({ description: 'Month, YYYY-MM (company time zone)' }),
        comments: z.number().int(),
        topics: z.record(z.string(), z.object({ volume: z.number().int(), share: z.number(), sentiment: z.number().nullable() })),
      }),
    ),
    phrases: z.array(z.object({ phrase: z.string(), count: z.number().int() })).openapi({ description: 'Other frequent words and word pairs no topic covers' }),
  })
  .openapi('Topics');
export type TopicsResult = z.infer<typeof topicsResultSchema>;
