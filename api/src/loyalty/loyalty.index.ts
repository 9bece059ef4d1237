import { createRouter } from '../lib/create-app.ts';
import * as handlers from './loyalty.handlers.ts';
import * as routes from './loyalty.routes.ts';

export const loyaltyRouter = createRouter()
  .openapi(routes.getLadder, handlers.getLadder)
  .openapi(routes.listLoyaltyCustomers, handlers.listLoyaltyCustomers)
  .openapi(routes.getLoyaltyIndex, handlers.getLoyaltyIndex)
  .openapi(routes.getLoyaltyValue, handlers.getLoyaltyValue)
  .openapi(routes.getLoyaltySettings, handlers.getLoyaltySettings)
  .openapi(routes.putLoyaltySettings, handlers.putLoyaltySettings);
