import { z } from '@hono/zod-openapi';

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z
      .array(
        z.object({
          path: z.string(),
          message: z.string(),
          row: z.number().int().optional(),
          code: z.string().optional().openapi({ description: 'A stable code for the fault, e.g. duplicate_question_id' }),
          params: z
            .record(z.string(), z.union([z.string(), z.number()]))
            .optional()
            .openapi({ description: 'The values the code refers to' }),
          messages: z
            .record(z.string(), z.string())
            .optional()
            .openapi({ description: "The message in each language the survey speaks (faults in a customer's answers)" }),
        }),
      )
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
  413: 'Request body too large (limits per kind of route: JSON_BODY_LIMIT_BYTES, RESPOND_BODY_LIMIT_BYTES, UPLOAD_LIMIT_BYTES)',
  429: 'Too many requests',
  507: 'Not enough free disk space for the upload',
};

/** Problem+json response entries for a route's `responses`. */
export function problemResponses<const S extends number>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((s) => [s, { description: descriptions[s] ?? 'Error', content: { 'application/problem+json': { schema: problemSchema } } }]),
  ) as Record<S, { description: string; content: { 'application/problem+json': { schema: typeof problemSchema } } }>;
}

/** A JSON response entry for a route's `responses`: `200: jsonResponse(schema, 'The case')`. */
export const jsonResponse = <S extends z.ZodType>(schema: S, description: string) => ({ description, content: { 'application/json': { schema } } });

/** A JSON request body for a route's `request`: `request: { params, ...jsonBody(schema) }` (optional: `jsonBody(schema, false)`). */
export function jsonBody<S extends z.ZodType>(schema: S): { body: { required: true; content: { 'application/json': { schema: S } } } };
export function jsonBody<S extends z.ZodType>(schema: S, required: false): { body: { required: false; content: { 'application/json': { schema: S } } } };
export function jsonBody<S extends z.ZodType>(schema: S, required = true) {
  return { body: { required, content: { 'application/json': { schema } } } };
}

/** The `{id}` path parameter of the routes that address one record by its uuid. */
export const idParamSchema = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: '0b8f3c1e-2d5a-4c7e-9f10-1a2b3c4d5e6f' }),
});
