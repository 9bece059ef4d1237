import { z } from '@hono/zod-openapi';

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z
      .array(z.object({ path: z.string(), message: z.string(), row: z.number().int().optional(), code: z.string().optional() }))
      .optional(),
  })
  .openapi('Problem');

const descriptions: Record<number, string> = {
  400: 'Invalid request (problem+json listing each failing field)',
  401: 'Not signed in',
  403: 'Not allowed for this role',
  404: 'Not found',
  409: 'Conflict',
  410: 'Gone',
  422: 'Understood but cannot be processed',
  429: 'Too many requests',
};

/** Problem+json response entries for a route's `responses`. */
export function problemResponses<const S extends number>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((s) => [s, { description: descriptions[s] ?? 'Error', content: { 'application/problem+json': { schema: problemSchema } } }]),
  ) as Record<S, { description: string; content: { 'application/problem+json': { schema: typeof problemSchema } } }>;
}
