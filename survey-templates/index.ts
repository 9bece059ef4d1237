/**
 * Ready-made survey templates (data in the JSON files next to this one). Each definition is validated
 * against the one survey-definition schema on import, so a broken template fails loudly at start-up.
 */
import { validateSurveyDefinition, type LocalizedText, type SurveyDefinition } from '@rs/survey-definition';
import postRental from './post-rental.json' with { type: 'json' };
import rideHailing from './ride-hailing.json' with { type: 'json' };
import dealerService from './dealer-service.json' with { type: 'json' };
import complaintFollowUp from './complaint-follow-up.json' with { type: 'json' };

export interface SurveyTemplate {
  id: string;
  name: LocalizedText;
  description: LocalizedText;
  definition: SurveyDefinition;
}

interface RawTemplate {
  id: string;
  name: LocalizedText;
  description: LocalizedText;
  definition: unknown;
}

function load(raw: RawTemplate): SurveyTemplate {
  const result = validateSurveyDefinition(raw.definition);
  if (!result.ok) {
    const detail = result.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    throw new Error(`Survey template "${raw.id}" is invalid: ${detail}`);
  }
  return { id: raw.id, name: raw.name, description: raw.description, definition: result.definition };
}

export const templates: SurveyTemplate[] = [postRental, rideHailing, dealerService, complaintFollowUp].map((t) => load(t as RawTemplate));

export function findTemplate(id: string): SurveyTemplate | undefined {
  return templates.find((t) => t.id === id);
}
