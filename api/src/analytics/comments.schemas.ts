import { z } from '@hono/zod-openapi';
import { GROUP_BY, filterFields, fromBeforeTo, groupByField, resultPeriodFields } from './engine/filters.schemas.ts';
import { repeatedValues } from '../lib/query-params.ts';

export const commentsQuerySchema = z
  .object({
    ...filterFields,
    groupBy: groupByField,
    question: z
      .preprocess(repeatedValues, z.array(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/)).optional())
      .openapi({ description: 'Text question ids (repeatable); default every text question', param: { style: 'form', explode: true } }),
    limit: z.coerce.number().int().min(1).max(50).default(15).openapi({ description: 'Words and phrases per list' }),
    examples: z.coerce.number().int().min(0).max(10).default(3).openapi({ description: 'Example comments per term' }),
  })
  .refine(...fromBeforeTo);
export type CommentsQuery = z.infer<typeof commentsQuerySchema>;

const themeSchema = z.object({
  term: z.string(),
  count: z.number().int().openapi({ description: 'Comments that contain the term' }),
  share: z.number().openapi({ description: 'Percent of the comments' }),
  examples: z.array(z.string()),
});
const themeSetSchema = z.object({ comments: z.number().int(), words: z.array(themeSchema), phrases: z.array(themeSchema) }).openapi('ThemeSet');
const commentsGroupSchema = z
  .object({
    key: z.string(),
    label: z.string(),
    responses: z.number().int().openapi({ description: 'Respondents with a comment' }),
    suppressed: z.boolean().openapi({ description: 'Fewer respondents than minN: counts only, no terms or quotes' }),
    themes: themeSetSchema,
    byCategory: z.object({ promoter: themeSetSchema, passive: themeSetSchema, detractor: themeSetSchema }),
  })
  .openapi('CommentsGroup');

export const commentsResultSchema = z
  .object({
    ...resultPeriodFields,
    groupBy: z.enum(GROUP_BY),
    minN: z.number().int(),
    questions: z.array(z.string()),
    analysed: z.number().int(),
    truncated: z.boolean().openapi({ description: 'More comments matched than one request analyses (the newest 20,000 were)' }),
    groups: z.array(commentsGroupSchema),
    total: commentsGroupSchema,
  })
  .openapi('Comments');
