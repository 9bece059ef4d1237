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

/** A survey as routing sees it (any status), or null when there is no such survey. */
export async function surveyForTargeting(sql: SqlClient, surveyId: string) {
  const [row] = await sql<{ id: string; name: string; kind: string; status: string; created_at: Date }[]>`
    select id, name, kind, status, created_at from surveys where id = ${surveyId}`;
  return row ?? null;
}

/** Rentals returned since `since`, counted per what routing looks at (pick-up branch, region, customer type, vehicle class). */
export async function recentRentalProfiles(sql: SqlClient, since: Date) {
  return sql<{ branch_code: string; region: string; customer_type: string; vehicle_class: string; n: number }[]>`
    select b.code as branch_code, b.region, c.customer_type, r.vehicle_class, count(*)::int as n
    from rentals r join branches b on b.id = r.pickup_branch_id join customers c on c.id = r.customer_id
    where r.returned_at > ${since.toISOString()}
    group by 1, 2, 3, 4`;
}

/** Each branch's region, by code. */
export async function branchRegions(sql: SqlClient): Promise<Map<string, string>> {
  const rows = await sql<{ code: string; region: string }[]>`select code, region from branches`;
  return new Map(rows.map((r) => [r.code.toLowerCase(), r.region]));
}

export async function surveyExists(sql: SqlClient, surveyId: string): Promise<boolean> {
  const [row] = await sql`select 1 from surveys where id = ${surveyId}`;
  return row !== undefined;
}
