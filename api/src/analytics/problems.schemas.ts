import { z } from '@hono/zod-openapi';
import { GROUP_BY, filterQuerySchema, resultPeriodFields } from './engine/filters.schemas.ts';

export const problemsQuerySchema = filterQuerySchema;
export type ProblemsQuery = z.infer<typeof problemsQuerySchema>;

const problemsGroupSchema = z
  .object({
    key: z.string(),
    label: z.string(),
    n: z.number().int().openapi({ description: 'Responses that answered the checklist' }),
    noProblem: z.number().int().openapi({ description: 'Responses that ticked "no problem"' }),
    withProblem: z.number().int(),
    totalProblems: z.number().int(),
    suppressed: z.boolean(),
    problems: z.array(
      z.object({
        id: z.string(),
        label: z.string(),
        count: z.number().int(),
        share: z.number().nullable().openapi({ description: 'Percent of all problems ticked (the Pareto bar)' }),
        incidence: z.number().nullable().openapi({ description: 'Percent of the responses that answered the checklist and ticked this problem' }),
        cumulative: z.number().nullable().openapi({ description: 'Cumulative percent of all problems (Pareto line)' }),
      }),
    ),
  })
  .openapi('ProblemsGroup');

export const problemsResultSchema = z
  .object({
    ...resultPeriodFields,
    groupBy: z.enum(GROUP_BY),
    minN: z.number().int(),
    question: z.string().nullable(),
    groups: z.array(problemsGroupSchema),
    total: problemsGroupSchema,
  })
  .openapi('Problems');
