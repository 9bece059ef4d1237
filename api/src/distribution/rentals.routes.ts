import { guard } from '../access/guard.ts';
import { createRoute } from '@hono/zod-openapi';
import { problemResponses } from '../lib/openapi.ts';
import { rentalBatchResultSchema, rentalBatchSchema, rentalInputSchema, rentalResultSchema } from './rentals.schemas.ts';

export const createRental = createRoute({
  method: 'post',
  path: '/rentals',
  ...guard('rentals:write'),
  tags: ['Distribution'],
  summary: 'Report one finished rental; invites its customer to the post-rental survey once, under the invitation rules',
  description:
    'Idempotent by external id: a rental already known is updated when it differs and never invited twice. The survey link is returned once, when the invitation is created; the invitation itself is sent by e-mail or SMS when due.',
  request: { body: { required: true, content: { 'application/json': { schema: rentalInputSchema } } } },
  responses: {
    201: {
      description: 'Rental stored (and invitation created unless `reason` says why not)',
      content: { 'application/json': { schema: rentalResultSchema } },
    },
    200: { description: 'Rental already known', content: { 'application/json': { schema: rentalResultSchema } } },
    ...problemResponses(400, 422),
  },
});
export type CreateRentalRoute = typeof createRental;

export const createRentalBatch = createRoute({
  method: 'post',
  path: '/rentals/batch',
  ...guard('rentals:write'),
  tags: ['Distribution'],
  summary: 'Report up to 1,000 finished rentals at once; each is accepted or rejected on its own',
  request: { body: { required: true, content: { 'application/json': { schema: rentalBatchSchema } } } },
  responses: {
    200: { description: 'One result per rental, in the order sent', content: { 'application/json': { schema: rentalBatchResultSchema } } },
    ...problemResponses(400),
  },
});
export type CreateRentalBatchRoute = typeof createRentalBatch;
