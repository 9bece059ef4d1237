import { z } from '@hono/zod-openapi';

export const optOutResultSchema = z.object({ optedOut: z.literal(true) }).openapi('OptOutResult');
