import { createRouter } from '../lib/create-app.ts';
import * as handlers from './cases.handlers.ts';
import * as routes from './cases.routes.ts';
import * as complaintHandlers from './complaints.handlers.ts';
import * as complaintRoutes from './complaints.routes.ts';

// The fixed /cases/… paths come before /cases/{id}.
export const casesRouter = createRouter()
  .openapi(routes.listCases, handlers.listCases)
  .openapi(routes.caseMetrics, handlers.caseMetrics)
  .openapi(routes.caseOptions, handlers.caseOptions)
  .openapi(complaintRoutes.lookupCustomer, complaintHandlers.lookupCustomer)
  .openapi(complaintRoutes.openComplaint, complaintHandlers.openComplaint)
  .openapi(complaintRoutes.getPrioritySettings, complaintHandlers.getPrioritySettings)
  .openapi(complaintRoutes.putPrioritySettings, complaintHandlers.putPrioritySettings)
  .openapi(complaintRoutes.addAttachment, complaintHandlers.addAttachment)
  .openapi(complaintRoutes.getAttachment, complaintHandlers.getAttachment)
  .openapi(routes.getCase, handlers.getCase)
  .openapi(routes.updateCase, handlers.updateCase)
  .openapi(routes.transitionCase, handlers.transitionCase)
  .openapi(routes.addNote, handlers.addNote)
  .openapi(routes.addContact, handlers.addContact)
  .openapi(routes.listRules, handlers.listRules)
  .openapi(routes.createRule, handlers.createRule)
  .openapi(routes.getRule, handlers.getRule)
  .openapi(routes.updateRule, handlers.updateRule)
  .openapi(routes.deleteRule, handlers.deleteRule)
  .openapi(routes.previewRule, handlers.previewRule)
  .openapi(routes.listTeams, handlers.listTeams)
  .openapi(routes.createTeam, handlers.createTeam)
  .openapi(routes.deleteTeam, handlers.deleteTeam)
  .openapi(routes.listEscalations, handlers.listEscalations)
  .openapi(routes.createEscalation, handlers.createEscalation)
  .openapi(routes.deleteEscalation, handlers.deleteEscalation);
