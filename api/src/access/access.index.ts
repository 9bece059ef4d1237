import { createRouter } from '../lib/create-app.ts';
import * as audit from './audit.handlers.ts';
import * as auditRoutes from './audit.routes.ts';
import * as auth from './auth.handlers.ts';
import * as authRoutes from './auth.routes.ts';
import * as privacy from './privacy.handlers.ts';
import * as privacyRoutes from './privacy.routes.ts';
import * as users from './users.handlers.ts';
import * as usersRoutes from './users.routes.ts';
import * as webhooks from './webhooks.handlers.ts';
import * as webhooksRoutes from './webhooks.routes.ts';

export const accessRouter = createRouter()
  .openapi(authRoutes.login, auth.login)
  .openapi(authRoutes.logout, auth.logout)
  .openapi(authRoutes.me, auth.me)
  .openapi(authRoutes.changePassword, auth.changePassword)
  .openapi(authRoutes.setupInfo, auth.setupInfo)
  .openapi(authRoutes.completeSetup, auth.completeSetup)
  .openapi(usersRoutes.listUsers, users.listUsers)
  .openapi(usersRoutes.userOptions, users.userOptions)
  .openapi(usersRoutes.createUser, users.createUser)
  .openapi(usersRoutes.updateUser, users.updateUser)
  .openapi(usersRoutes.passwordLink, users.passwordLink)
  .openapi(usersRoutes.listApiKeys, users.listApiKeys)
  .openapi(usersRoutes.createApiKey, users.createApiKey)
  .openapi(usersRoutes.revokeApiKey, users.revokeApiKey)
  .openapi(auditRoutes.listAudit, audit.listAudit)
  .openapi(privacyRoutes.searchCustomers, privacy.searchCustomers)
  .openapi(privacyRoutes.exportCustomer, privacy.exportCustomer)
  .openapi(privacyRoutes.eraseCustomer, privacy.eraseCustomer)
  .openapi(privacyRoutes.retentionStatus, privacy.retentionStatus)
  .openapi(privacyRoutes.runRetention, privacy.runRetention)
  .openapi(webhooksRoutes.listWebhooks, webhooks.listWebhooks)
  .openapi(webhooksRoutes.createWebhook, webhooks.createWebhook)
  .openapi(webhooksRoutes.updateWebhook, webhooks.updateWebhook)
  .openapi(webhooksRoutes.deleteWebhook, webhooks.deleteWebhook)
  .openapi(webhooksRoutes.listDeliveries, webhooks.listDeliveries)
  .openapi(webhooksRoutes.pingWebhook, webhooks.pingWebhook)
  .openapi(webhooksRoutes.retryDelivery, webhooks.retryDelivery);

accessRouter.openAPIRegistry.registerComponent('securitySchemes', 'session', {
  type: 'apiKey',
  in: 'cookie',
  name: 'rs_session',
  description: 'Staff session from POST /api/auth/login. Writes also need X-Requested-With or a same-origin Origin.',
});
accessRouter.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
  type: 'http',
  scheme: 'bearer',
  description: 'API key for integrations (Admin → API keys): Authorization: Bearer rsk_…',
});
