// Generated analytics data at benchmark scale, made inside PostgreSQL with generate_series (no rows pass
// through Node): branches, customers, rentals, finished responses of the post-rental template and one row
// per answer, with a known driver structure behind the NPS (the same model as the demo data).
import type { Sql } from '../../api/src/db/client.ts';
import type { SurveyDefinition } from '@rs/survey-definition';
import { problemCodes } from './fixtures/definitions.ts';

export interface BenchDataSize {
  branches: number;
  responses: number;
  customers: number;
  /** Rentals beyond the answered ones (they make repeat rentals for the loyalty view). */
  extraRentals: number;
  /** Days of history ending at `end`. */
  days: number;
  end: Date;
  seed: number;
}

export const DEFAULT_BENCH_SIZE: BenchDataSize = {
  branches: 200,
  responses: 1_000_000,
  customers: 350_000,
  extraRentals: 250_000,
  days: 365,
  end: new Date('2026-06-01T00:00:00+08:00'),
  seed: 0.42,
};

/** What recommending depends on in the generated data (before noise), per dimension. */
export const BENCH_DRIVE: Record<string, number> = { pickup: 0.28, vehicle: 0.24, staff: 0.16, value: 0.16, return: 0.08, booking: 0.04, vas: 0.04 };
const BASE: Record<string, number> = { booking: 0.8, pickup: 0.66, vehicle: 0.72, staff: 0.78, value: 0.6, return: 0.76, vas: 0.7 };

const COMMENTS = {
  promoter: ['取车很快，工作人员很热情', '车辆很新很干净，下次还会再租', 'Quick pick-up and friendly staff', 'Great value, will rent again'],
  passive: ['整体还可以，取车排队有点久', '价格稍贵', 'The car was okay, interior a bit worn'],
  detractor: ['取车等了一个多小时，太慢了', '车里很脏，有烟味', '押金迟迟不退', 'Charged unexpected fees at return', 'Rude staff at the counter'],
};

const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;
const textArray = (values: string[]) => `array[${values.map(literal).join(',')}]::text[]`;

/**
 * Fills an empty, migrated database. `surveyId`/`versionId` must be a published post-rental survey whose
 * definition is `definition` (its matrix items and csat questions are the dimension items answered).
 * Indexes of answers/responses/rentals are dropped during the load and re-created after it.
 */
export async function generateBenchData(
  pool: Sql,
  survey: { surveyId: string; versionId: string; definition: SurveyDefinition },
  size: BenchDataSize = DEFAULT_BENCH_SIZE,
  progress: (step: string) => void = () => {},
) {
  const dims = survey.definition.dimensions.map((d) => d.id);
  const dimIndex = new Map(dims.map((d, i) => [d, i + 1]));
  // One row per dimension item: (question, item, dimension position, min, max); csat items of the
  // value-added services are answered by a third of the respondents only.
  const items = survey.definition.dimensions.flatMap((d) =>
    d.items.map((ref) => `(${literal(ref.questionId)}, ${ref.itemId ? literal(ref.itemId) : 'null'}, ${dimIndex.get(d.id)}, ${d.id === 'vas' ? 0.33 : 0.96})`),
  );
  const drive = dims.map((d) => BENCH_DRIVE[d] ?? 0.05);
  const driveSum = drive.reduce((a, b) => a + b, 0);
  const base = dims.map((d) => BASE[d] ?? 0.72);
  const endIso = size.end.toISOString();
  const problems = problemCodes(survey.definition);
  // Temporary functions and tables live in one session: keep to one connection.
  const sql = await pool.reserve();
  try {
    return await generate(sql, survey, size, progress, { items, drive, driveSum, base, endIso, problems });
  } finally {
    sql.release();
  }
}

async function generate(
  sql: Sql,
  survey: { surveyId: string; versionId: string },
  size: BenchDataSize,
  progress: (step: string) => void,
  {
    items,
    drive,
    driveSum,
    base,
    endIso,
    problems,
  }: { items: string[]; drive: number[]; driveSum: number; base: number[]; endIso: string; problems: string[] },
) {
  await sql.unsafe(`select setseed(${size.seed})`);
  // Generated rows are consistent by construction: skip the per-row foreign-key triggers (superuser only;
  // without the privilege the load is just slower).
  await sql.unsafe(`set session_replication_role = replica`).catch(() => {});
  await sql.unsafe(`create or replace function pg_temp.rnorm() returns float8 language sql volatile as
    'select sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())'`);
  await sql.unsafe(`create or replace function pg_temp.clamp01(x float8) returns float8 language sql immutable as
    'select least(1, greatest(0, x))'`);

  progress('branches and customers');
  // Regions first: with the triggers off (above) a branch does not find or create its region by itself.
  await sql.unsafe(`
    insert into regions (code, name)
    select '区域' || r, '区域' || r from generate_series(1, least(8, ${size.branches})) r
    on conflict (code) do nothing`);
  await sql.unsafe(`
    insert into branches (code, name, name_en, city, region, region_id)
    select 'B' || lpad(i::text, 3, '0'), '门店' || i, 'Branch ' || i, '城市' || ((i - 1) / 5 + 1), g.code, g.id
    from generate_series(1, ${size.branches}) i join regions g on g.code = '区域' || ((i - 1) % 8 + 1)`);
  await sql.unsafe(`create temp table g_branch as
    select row_number() over (order by code)::int as n, id, 0.05 * pg_temp.rnorm() as quality from branches`);
  await sql.unsafe(`
    insert into customers (external_id, customer_type, value_tier, preferred_language)
    select 'BC' || i, case when random() < 0.3 then 'business' else 'leisure' end,
           case when i <= ${Math.floor(size.customers * 0.2)} then 'A' when i <= ${Math.floor(size.customers * 0.5)} then 'B' else 'C' end,
           case when random() < 0.14 then 'en' else 'zh-CN' end
    from generate_series(1, ${size.customers}) i`);
  await sql.unsafe(`create temp table g_customer as select row_number() over (order by external_id)::int as n, id, preferred_language from customers`);
  await sql.unsafe(`create unique index on g_customer (n)`);

  progress('rentals');
  const rentals = size.responses + size.extraRentals;
  for (const index of ['rentals_customer_returned_idx', 'rentals_return_branch_idx']) await sql.unsafe(`drop index if exists ${index}`);
  // Rentals: frequent renters (the first fifth of the customers) make half of them.
  await sql.unsafe(`create temp table g_rental as
    with picks as materialized (
      select i,
             case when random() < 0.5 then 1 + floor(random() * ${Math.floor(size.customers / 5)})::int
                  else 1 + floor(random() * ${size.customers})::int end as cn,
             1 + floor(random() * ${size.branches})::int as bn,
             timestamptz ${literal(endIso)} - random() * interval '${size.days - 1} days' - interval '20 hours' as returned_at,
             1 + floor(random() * 7)::int as days,
             (array['economy','compact','midsize','suv','mpv','premium'])[1 + floor(random() * 6)::int] as vehicle_class,
             (array['app','app','app','web','web','phone','store'])[1 + floor(random() * 7)::int] as channel
      from generate_series(1, ${rentals}) i)
    select p.i, gen_random_uuid() as id, c.id as customer_id, c.preferred_language, b.id as branch_id, b.quality,
           p.returned_at, p.returned_at - p.days * interval '1 day' as picked_up_at, p.days, p.vehicle_class, p.channel
    from picks p join g_customer c on c.n = p.cn join g_branch b on b.n = p.bn`);
  await sql.unsafe(`
    insert into rentals (id, external_id, customer_id, pickup_branch_id, return_branch_id, vehicle_class, picked_up_at, returned_at, amount, booking_channel,
                         repeat_customer)
    select id, 'BR' || i, customer_id, branch_id, branch_id, vehicle_class, picked_up_at, returned_at, days * 300, channel,
           -- the new / returning flag as reporting or importing a rental sets it: an earlier pickup of the same customer
           picked_up_at > min(picked_up_at) over (partition by customer_id)
    from g_rental`);

  progress('responses');
  for (const index of ['responses_survey_finished_idx', 'responses_branch_finished_idx']) await sql.unsafe(`drop index if exists ${index}`);
  await sql.unsafe(`alter table responses drop constraint if exists responses_invitation_id_unique`);
  // Each respondent's felt quality per dimension: base + branch level + personal level + noise; the
  // overall feeling is the drive-weighted mean of those (the known driver structure).
  await sql.unsafe(`create temp table g_resp as
    with latent as materialized (
      select r.*, 0.08 * pg_temp.rnorm() as personal from g_rental r where r.i <= ${size.responses}),
    q as materialized (
      select l.*, array[${base.map((b) => `pg_temp.clamp01(${b} + l.quality + l.personal + 0.12 * pg_temp.rnorm())`).join(', ')}] as q
      from latent l)
    select gen_random_uuid() as id, q.i, q.id as rental_id, q.customer_id, q.branch_id, q.preferred_language as locale,
           least(q.returned_at + (1 + random() * 70) * interval '1 hour', timestamptz ${literal(endIso)} - interval '1 minute') as finished_at,
           q.q, pg_temp.clamp01((${drive.map((w, i) => `${w} * q.q[${i + 1}]`).join(' + ')}) / ${driveSum} + 0.08 + 0.05 * pg_temp.rnorm()) as overall
    from q`);
  await sql`
    insert into responses (id, survey_id, survey_version_id, branch_id, customer_id, rental_id, locale, status, started_at, finished_at, duration_ms, updated_at)
    select id, ${survey.surveyId}, ${survey.versionId}, branch_id, customer_id, rental_id, locale, 'finished',
           finished_at - interval '3 minutes', finished_at, 180000, finished_at
    from g_resp`;

  progress('answers');
  await sql.unsafe(`alter table answers drop constraint if exists answers_response_question_item_uq`);
  await sql.unsafe(`drop index if exists answers_question_idx`);
  await sql.unsafe(`create temp table g_items (question_id text, item_id text, dim int, answer_rate float8)`);
  await sql.unsafe(`insert into g_items values ${items.join(', ')}`);
  await sql.unsafe(`
    insert into answers (response_id, question_id, item_id, value_number)
    select id, question_id, item_id, value from (
      -- random() in the select list, so each (response, item) draws its own (a condition on g_items
      -- alone would be evaluated once per item)
      select r.id, it.question_id, it.item_id, it.answer_rate, random() as u,
             1 + round(4 * pg_temp.clamp01(r.q[it.dim] + 0.12 * pg_temp.rnorm())) as value
      from g_resp r cross join g_items it) x
    where u < answer_rate`);
  await sql.unsafe(`
    insert into answers (response_id, question_id, value_number)
    select id, 'q_nps', least(10, round(10 * pg_temp.clamp01(overall * 1.08 + 0.09 * pg_temp.rnorm()))) from g_resp
    union all
    select id, 'q_csat', 1 + round(4 * pg_temp.clamp01(overall + 0.12 * pg_temp.rnorm())) from g_resp where random() < 0.94`);
  await sql.unsafe(`
    insert into answers (response_id, question_id, choice_ids)
    select id, 'q_problems', coalesce(nullif(checked, '{}'), array['no_problem'])
    from (
      select r.id, array(select p from unnest(${textArray(problems)}) p where random() < 0.02 + 0.3 * (1 - r.overall) ^ 2) as checked
      from g_resp r where random() < 0.94) x`);
  await sql.unsafe(`
    insert into answers (response_id, question_id, value_text)
    select id, 'q_comment', case when overall >= 0.8 then (${textArray(COMMENTS.promoter)})[1 + floor(random() * ${COMMENTS.promoter.length})::int]
                                 when overall >= 0.65 then (${textArray(COMMENTS.passive)})[1 + floor(random() * ${COMMENTS.passive.length})::int]
                                 else (${textArray(COMMENTS.detractor)})[1 + floor(random() * ${COMMENTS.detractor.length})::int] end
    from g_resp where random() < 0.3`);

  progress('indexes');
  await sql.unsafe(`alter table answers add constraint answers_response_question_item_uq unique nulls not distinct (response_id, question_id, item_id)`);
  await sql.unsafe(`create index answers_question_idx on answers (question_id, item_id)`);
  await sql.unsafe(`alter table responses add constraint responses_invitation_id_unique unique (invitation_id)`);
  await sql.unsafe(`create index responses_survey_finished_idx on responses (survey_id, finished_at)`);
  await sql.unsafe(`create index responses_branch_finished_idx on responses (branch_id, finished_at)`);
  await sql.unsafe(`create index rentals_customer_returned_idx on rentals (customer_id, returned_at)`);
  await sql.unsafe(`create index rentals_return_branch_idx on rentals (return_branch_id)`);
  await sql.unsafe(`drop table g_items, g_resp, g_rental, g_customer, g_branch`);
  await sql.unsafe(`reset session_replication_role`);
  progress('vacuum analyze');
  await sql.unsafe(`vacuum analyze`);
  const [counts] = await sql<{ responses: number; answers: number; rentals: number }[]>`
    select (select count(*) from responses)::int as responses, (select count(*) from answers)::int as answers,
           (select count(*) from rentals)::int as rentals`;
  return counts;
}
