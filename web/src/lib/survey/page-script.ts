// What the survey pages (rendered on the server only: csr = false) hand to their one small script
// (./enhance.ts): the definition as a JSON data block beside the form it drives.
import type { SurveyDefinition } from './definition';

export const DEFINITION_BLOCK_ID = 'survey-definition';
/** The attribute that marks the survey's <form> for the script (written as it is in the pages' templates). */
export const SURVEY_FORM_ATTRIBUTE = 'data-survey-form';

/**
 * A <script type="application/json"> block: data, never run (so outside the CSP's script rules). Every "<" is
 * escaped, so that no text of the definition can close the block or open a comment.
 */
export function definitionBlock(definition: SurveyDefinition): string {
  return `<script type="application/json" id="${DEFINITION_BLOCK_ID}">${JSON.stringify(definition).replace(/</g, '\\u003c')}</script>`;
}
