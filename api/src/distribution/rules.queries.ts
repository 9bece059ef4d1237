import type { SqlClient } from '../queue/queue.ts';
import { DEFAULT_RULES, invitationRulesSchema, type InvitationRules } from './rules.schemas.ts';

/** A survey's invitation rules; the defaults when none are stored (or the stored ones no longer parse). */
export async function loadRules(sql: SqlClient, surveyId: string): Promise<{ rules: InvitationRules; stored: boolean; updatedAt: string | null }> {
  const [row] = await sql<{ rules: unknown; updated_at: string }[]>`select rules, updated_at from invitation_rules where survey_id = ${surveyId}`;
  if (!row) return { rules: DEFAULT_RULES, stored: false, updatedAt: null };
  const parsed = invitationRulesSchema.safeParse(row.rules);
  return { rules: parsed.success ? parsed.data : DEFAULT_RULES, stored: true, updatedAt: new Date(row.updated_at).toISOString() };
}

export async function saveRules(sql: SqlClient, surveyId: string, rules: InvitationRules, now: Date) {
  const [row] = await sql<{ updated_at: string }[]>`
    insert into invitation_rules (survey_id, rules, updated_at)
    values (${surveyId}, ${JSON.stringify(rules)}::jsonb, ${now.toISOString()})
    on conflict (survey_id) do update set rules = excluded.rules, updated_at = excluded.updated_at
    returning updated_at`;
  return new Date(row.updated_at).toISOString();
}
