import { createRoute, z } from '@hono/zod-openapi';
import { guard } from '../access/guard.ts';
import { statusSchema } from './status.schemas.ts';
import { jsonResponse } from '../lib/openapi.ts';

const tags = ['Distribution'];

export const distributionStatus = createRoute({
  method: 'get',
  path: '/distribution/status',
  ...guard('distribution:read'),
  tags,
  summary: 'Where messages go (provider or outbox), rate limits, delivery counts and the health of each provider',
  responses: { 200: jsonResponse(statusSchema, 'Status') },
});
export type DistributionStatusRoute = typeof distributionStatus;
