import type { Sql } from '../db/client.ts';

export async function listSurveySummaries(sql: Sql) {
  return sql<{ id: string; name: string; kind: string; status: 'draft' | 'active' | 'archived'; latestVersion: number | null; responses: number }[]>`
    select s.id, s.name, s.kind, s.status,
           (select max(v.version) from survey_versions v where v.survey_id = s.id)::int as "latestVersion",
           (select count(*) from responses r where r.survey_id = s.id and r.status = 'finished')::int as responses
    from surveys s
    order by s.created_at`;
}
