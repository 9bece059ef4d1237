import { guard } from '../access/guard.ts';
import { createRoute } from '@hono/zod-openapi';
import { problemResponses } from '../lib/openapi.ts';
import { rentalInputSchema, rentalResultSchema } from './rentals.schemas.ts';

export const createRental = createRoute({
  method: 'post',
  path: '/rentals',
  ...guard('rentals:write'),
  tags: ['Distribution'],
  summary: 'Report one finished rental; invites its customer to the post-rental survey once',
  request: { body: { required: true, content: { 'application/json': { schema: rentalInputSchema } } } },
  responses: {
    201: { description: 'Rental stored and invitation created', content: { 'application/json': { schema: rentalResultSchema } } },
    200: { description: 'Rental already known; nothing changed', content: { 'application/json': { schema: rentalResultSchema } } },
    ...problemResponses(400, 422),
  },
});
export type CreateRentalRoute = typeof createRental;
