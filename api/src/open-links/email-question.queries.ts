// The recommendation question inside the invitation email: when the survey starts with it, the email
// shows the 0–10 scale as eleven links (`/s/<token>?score=n`); each invitation that carried it is noted,
// so the funnel can compare response rates with and without it.
import { pipeLocalized, type Locale, type SurveyDefinition } from '@rs/survey-definition';
import type { SqlClient } from '../queue/queue.ts';
import { pipingFacts } from '../responses/piping-facts.ts';
import { firstQuestionOf } from './open-links.queries.ts';

export interface EmailScale {
  question: string;
  minLabel: string;
  maxLabel: string;
  /** The eleven links, score 0 to 10. */
  links: string[];
}

const definitions = new Map<string, SurveyDefinition | null>();

async function definitionOf(sql: SqlClient, versionId: string): Promise<SurveyDefinition | null> {
  if (!definitions.has(versionId)) {
    const [v] = await sql<{ definition: SurveyDefinition }[]>`select definition from survey_versions where id = ${versionId}`;
    if (definitions.size > 200) definitions.clear();
    definitions.set(versionId, v?.definition ?? null);
  }
  return definitions.get(versionId) ?? null;
}

/**
 * The scale for this invitation's email and the question it asks, or null when its survey does not start
 * with the recommendation question. Writes nothing: the sender notes the question with its claim on the
 * message (sender.queries.ts, claimKeys), so it is noted exactly for the emails handed over.
 */
export async function emailScaleFor(
  sql: SqlClient,
  input: { versionId: string; locale: string; link: string; customerName: string | null; branchName: string },
): Promise<{ scale: EmailScale; questionId: string } | null> {
  const def = await definitionOf(sql, input.versionId);
  const first = def ? firstQuestionOf(def) : null;
  if (!def || !first || first.question.type !== 'nps') return null;
  const offered = def.locales ?? [def.defaultLocale];
  const locale = (offered.includes(input.locale as Locale) ? input.locale : def.defaultLocale) as Locale;
  const facts = pipingFacts(
    { customerName: input.customerName, branchName: input.branchName, branchNameEn: input.branchName, vehicleClass: null, pickedUpAt: null, returnedAt: null },
    locale,
  );
  const text = (value: Parameters<typeof pipeLocalized>[0]) => pipeLocalized(value, facts, locale, def.defaultLocale);
  const labels = (first.question as { labels?: { min?: Parameters<typeof pipeLocalized>[0]; max?: Parameters<typeof pipeLocalized>[0] } }).labels;
  return {
    questionId: first.question.id,
    scale: {
      question: text(first.question.text),
      minLabel: labels?.min ? text(labels.min) : '0',
      maxLabel: labels?.max ? text(labels.max) : '10',
      links: Array.from({ length: 11 }, (_, n) => `${input.link}?score=${n}`),
    },
  };
}
