// The delivery funnel: eligible → invited → sent → failed/bounced → opened → started → finished; opted out.
import type { Sql } from '../db/client.ts';
import { inBranchScope } from '../access/scope.ts';
import type { z } from '@hono/zod-openapi';
import type { funnelQuerySchema } from './funnel.schemas.ts';

type FunnelQuery = z.infer<typeof funnelQuerySchema>;

interface Counts {
  key: string;
  label: string;
  eligible: number;
  invited: number;
  sent: number;
  failed: number;
  opened: number;
  started: number;
  finished: number;
  opted_out: number;
  sent_eq: number;
  finished_eq: number;
  clicked_eq: number;
}

const rate = (finished: number, sent: number) => (sent > 0 ? finished / sent : null);

const shape = (r: Omit<Counts, 'key' | 'label'>) => ({
  eligible: r.eligible,
  invited: r.invited,
  sent: r.sent,
  failed: r.failed,
  opened: r.opened,
  started: r.started,
  finished: r.finished,
  optedOut: r.opted_out,
  responseRate: r.sent > 0 ? r.finished / r.sent : null,
  // Emails that carried the first question (0–10 as links) against all other sent invitations.
  emailQuestion: {
    with: { sent: r.sent_eq, finished: r.finished_eq, answeredInEmail: r.clicked_eq, responseRate: rate(r.finished_eq, r.sent_eq) },
    without: { sent: r.sent - r.sent_eq, finished: r.finished - r.finished_eq, responseRate: rate(r.finished - r.finished_eq, r.sent - r.sent_eq) },
  },
});

export async function deliveryFunnel(sql: Sql, q: FunnelQuery, options: { timeZone: string; branchScope: string[] | null }) {
  const tz = options.timeZone;
  const conditions = [inBranchScope(sql, options.branchScope, 'f.branch_id')];
  if (q.from) conditions.push(sql`f.at >= (${q.from}::date)::timestamp at time zone ${tz}`);
  if (q.to) conditions.push(sql`f.at < ((${q.to}::date + 1)::timestamp at time zone ${tz})`);
  if (q.branch) conditions.push(sql`f.branch_id = (select id from branches where code = ${q.branch})`);
  const where = conditions.reduce((a, b) => sql`${a} and ${b}`);
  const group =
    q.groupBy === 'branch' ? sql`b.code` : q.groupBy === 'none' ? sql`'all'` : sql`to_char(date_trunc(${q.groupBy}, f.at at time zone ${tz}), 'YYYY-MM-DD')`;
  // Every rental decided on for the survey, plus invitations made without a decision (older data, other paths).
  const rows = await sql<Counts[]>`
    with f as (
      select d.branch_id, d.decided_at as at, d.outcome, i.id as invitation_id, i.status, i.sent_at, i.opened_at
      from invitation_decisions d
      left join invitations i on i.survey_id = d.survey_id and i.rental_id = d.rental_id
      where d.survey_id = ${q.survey}
      union all
      select i.branch_id, i.created_at, 'invited', i.id, i.status, i.sent_at, i.opened_at
      from invitations i
      where i.survey_id = ${q.survey}
        and not exists (select 1 from invitation_decisions d where d.survey_id = i.survey_id and d.rental_id = i.rental_id)
    )
    select ${group} as key, min(b.name) as label,
      (count(*) filter (where f.outcome <> 'not_eligible'))::int as eligible,
      (count(*) filter (where f.invitation_id is not null))::int as invited,
      (count(*) filter (where f.sent_at is not null))::int as sent,
      (count(*) filter (where f.status = 'failed' or exists (
        select 1 from deliveries x where x.invitation_id = f.invitation_id and x.step = 0 and x.status in ('failed', 'dead'))))::int as failed,
      (count(*) filter (where f.opened_at is not null or r.id is not null))::int as opened,
      (count(*) filter (where r.id is not null))::int as started,
      (count(*) filter (where r.status = 'finished'))::int as finished,
      (count(*) filter (where f.status = 'opted_out'))::int as opted_out,
      (count(*) filter (where f.sent_at is not null and e.invitation_id is not null))::int as sent_eq,
      (count(*) filter (where r.status = 'finished' and f.sent_at is not null and e.invitation_id is not null))::int as finished_eq,
      (count(*) filter (where e.clicked_at is not null))::int as clicked_eq
    from f
    join branches b on b.id = f.branch_id
    left join responses r on r.invitation_id = f.invitation_id
    left join email_first_question e on e.invitation_id = f.invitation_id
    where ${where}
    group by 1
    order by 1`;
  const sum = (k: keyof Omit<Counts, 'key' | 'label'>) => rows.reduce((a, r) => a + r[k], 0);
  const total = shape({
    eligible: sum('eligible'),
    invited: sum('invited'),
    sent: sum('sent'),
    failed: sum('failed'),
    opened: sum('opened'),
    started: sum('started'),
    finished: sum('finished'),
    opted_out: sum('opted_out'),
    sent_eq: sum('sent_eq'),
    finished_eq: sum('finished_eq'),
    clicked_eq: sum('clicked_eq'),
  });
  return {
    surveyId: q.survey,
    from: q.from ?? null,
    to: q.to ?? null,
    groupBy: q.groupBy,
    total,
    groups: q.groupBy === 'none' ? [] : rows.map((r) => ({ key: r.key, label: q.groupBy === 'branch' ? r.label : r.key, ...shape(r) })),
  };
}
