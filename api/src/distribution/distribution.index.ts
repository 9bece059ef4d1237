import { createRouter } from '../lib/create-app.ts';
import * as delivery from './delivery.handlers.ts';
import * as deliveryRoutes from './delivery.routes.ts';
import * as funnel from './funnel.handlers.ts';
import * as funnelRoutes from './funnel.routes.ts';
import * as imports from './import.handlers.ts';
import * as importRoutes from './import.routes.ts';
import * as optout from './optout.handlers.ts';
import * as outbox from './outbox.handlers.ts';
import * as outboxRoutes from './outbox.routes.ts';
import * as status from './status.handlers.ts';
import * as statusRoutes from './status.routes.ts';
import * as optoutRoutes from './optout.routes.ts';
import * as handlers from './rentals.handlers.ts';
import * as routes from './rentals.routes.ts';
import * as rules from './rules.handlers.ts';
import * as rulesRoutes from './rules.routes.ts';

export const distributionRouter = createRouter()
  .openapi(routes.createRentalBatch, handlers.createRentalBatch)
  .openapi(routes.createRental, handlers.createRental)
  .openapi(importRoutes.uploadImport, imports.uploadImport)
  .openapi(importRoutes.listImports, imports.listImports)
  .openapi(importRoutes.getImport, imports.getImport)
  .openapi(importRoutes.previewImport, imports.previewImport)
  .openapi(importRoutes.startImport, imports.startImport)
  .openapi(importRoutes.listImportRejections, imports.listImportRejections)
  .openapi(rulesRoutes.getRules, rules.getRules)
  .openapi(rulesRoutes.putRules, rules.putRules)
  .openapi(rulesRoutes.previewTargets, rules.previewTargets)
  .openapi(outboxRoutes.listOutbox, outbox.listOutbox)
  .openapi(outboxRoutes.revealOutboxMessage, outbox.revealOutboxMessage)
  .openapi(deliveryRoutes.listDeliveries, delivery.listDeliveries)
  .openapi(deliveryRoutes.retryDelivery, delivery.retryDelivery)
  .openapi(deliveryRoutes.reportBounce, delivery.reportBounce)
  .openapi(statusRoutes.distributionStatus, status.distributionStatus)
  .openapi(funnelRoutes.getFunnel, funnel.getFunnel)
  .openapi(optoutRoutes.optOut, optout.optOut);
