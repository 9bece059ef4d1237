// The per-response rollup (analytics_response_facts, see db/schema.ts): one row per finished response
// with its numeric answers in slots, its per-respondent dimension scores and index, so the analytics
// queries scan one narrow row per response instead of ~20 rows of answers and never recompute a
// respondent's scores per sum. Kept up to date here, before each read: responses the triggers listed in
// analytics_dirty are rebuilt; a survey seen for the first time, or whose dimensions changed, is built in full.
// The daily and segment rollups (daily.queries.ts, segments.queries.ts) are kept current in the same step.
import type { Sql } from '../../db/client.ts';
import { ID_PATTERN, allQuestions, type SurveyDefinition } from '@rs/survey-definition';
import { dailySignature, driverSetsOf, rebuildDaily, rebuildDailyDays, type DayKey, type DriverSets } from './daily.queries.ts';
import { metricPlan } from './metrics.queries.ts';
import { rebuildSegmentDays, rebuildSegments, segmentsSignature } from './segments.queries.ts';
import type { SurveyContext } from './survey-context.ts';

export interface SlotKey {
  /** "question" or "question.item". */
  key: string;
  questionId: string;
  itemId: string | null;
  kind: 'number' | 'problems';
  /** Problems: the "no problem" ids of every version (they count as 0 problems). */
  noProblemIds: string[];
}

/** Slot keys of every number question (matrix: every item) and problems checklist in any version. */
export function slotKeys(definitions: readonly SurveyDefinition[]): SlotKey[] {
  const byKey = new Map<string, SlotKey>();
  for (const definition of definitions) {
    for (const q of allQuestions(definition)) {
      if (!ID_PATTERN.test(q.id)) continue;
      const add = (itemId: string | null, kind: SlotKey['kind'], noProblem?: string) => {
        const key = itemId ? `${q.id}.${itemId}` : q.id;
        const existing = byKey.get(key);
        if (existing) {
          if (noProblem && !existing.noProblemIds.includes(noProblem)) existing.noProblemIds.push(noProblem);
          return;
        }
        byKey.set(key, { key, questionId: q.id, itemId, kind, noProblemIds: noProblem ? [noProblem] : [] });
      };
      if (q.type === 'nps' || q.type === 'csat' || q.type === 'rating') {
        add(null, 'number');
      } else if (q.type === 'matrix') {
        for (const item of q.items) if (ID_PATTERN.test(item.id)) add(item.id, 'number');
      } else if (q.type === 'problems') {
        add(null, 'problems', q.noProblem?.id);
      }
    }
  }
  return [...byKey.values()];
}

/** The dimensions as the per-respondent scores use them (newest definition); its JSON is the signature. */
export interface DimensionSpec {
  id: string;
  weight: number;
  items: { key: string; min: number; max: number; weight: number }[];
}

export function dimensionSpecs(survey: Pick<SurveyContext, 'latest' | 'dimensionItems'>): DimensionSpec[] {
  return survey.latest.dimensions.map((d) => ({
    id: d.id,
    weight: d.weight,
    items: survey.dimensionItems
      .filter((item) => item.dimensionId === d.id)
      .map((item) => ({ key: item.itemId ? `${item.questionId}.${item.itemId}` : item.questionId, min: item.min, max: item.max, weight: item.itemWeight })),
  }));
}

/** Slot and dimension positions (1-based, as in SQL arrays). */
export class FactsLayout {
  private readonly positions: Map<string, number>;
  private readonly dimensionPositions: Map<string, number>;
  constructor(
    readonly slots: readonly string[],
    readonly dimensions: readonly DimensionSpec[],
    /** The drivers the rollups keep listwise sums of (daily.queries.ts). */
    readonly driverSets: DriverSets = { dimensions: [], items: [] },
  ) {
    this.positions = new Map(slots.map((key, i) => [key, i + 1]));
    this.dimensionPositions = new Map(dimensions.map((d, i) => [d.id, i + 1]));
  }
  slotOf(questionId: string, itemId: string | null = null): number | null {
    return this.positions.get(itemId ? `${questionId}.${itemId}` : questionId) ?? null;
  }
  /** SQL for the answer in a slot as float8 (`null` when the survey never had that question). */
  column(alias: string, questionId: string, itemId: string | null = null): string {
    const slot = this.slotOf(questionId, itemId);
    return slot === null ? 'null::float8' : `${alias}.values[${slot}]::float8`;
  }
  /** SQL for a respondent's score of a dimension. */
  dimensionColumn(alias: string, dimensionId: string): string {
    const position = this.dimensionPositions.get(dimensionId);
    return position === undefined ? 'null::float8' : `${alias}.dimensions[${position}]`;
  }
}

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;
const num = (x: number) => (Number.isFinite(x) ? String(x) : '0');

/** The array of slot values of one response, aggregated over its answers `a`. */
function valuesExpression(keys: readonly SlotKey[], slots: readonly string[]): string {
  if (slots.length === 0) return `'{}'::smallint[]`;
  const byKey = new Map(keys.map((k) => [k.key, k]));
  const parts = slots.map((slot) => {
    const k = byKey.get(slot);
    if (!k) return 'null';
    const where = `a.question_id = ${quote(k.questionId)} and ${k.itemId ? `a.item_id = ${quote(k.itemId)}` : 'a.item_id is null'}`;
    if (k.kind === 'number') return `max(a.value_number) filter (where ${where})`;
    const none = k.noProblemIds.length > 0 ? `case when a.choice_ids && array[${k.noProblemIds.map(quote).join(', ')}]::text[] then 1 else 0 end` : '0';
    return `max(coalesce(cardinality(a.choice_ids), 0) - ${none}) filter (where ${where} and a.choice_ids is not null)`;
  });
  return `array[${parts.join(', ')}]::smallint[]`;
}

/**
 * Per-respondent dimension score (docs/statistics.md#satisfaction-index-csi): the mean of the respondent's rescaled answers to the
 * dimension's items (item-weighted when the survey gives item weights); null when none was answered.
 */
function dimensionsExpression(dimensions: readonly DimensionSpec[], slotOf: (key: string) => number | undefined): string {
  if (dimensions.length === 0) return `'{}'::float8[]`;
  const parts = dimensions.map((d) => {
    const items = d.items.filter((item) => slotOf(item.key) !== undefined && item.max > item.min);
    if (items.length === 0) return 'null::float8';
    const value = (key: string) => `s.v[${slotOf(key)}]::float8`;
    const weighted = items.map((i) => `coalesce(${num(i.weight)} * 100.0 * (${value(i.key)} - ${num(i.min)}) / ${num(i.max - i.min)}, 0)`);
    const weights = items.map((i) => `case when ${value(i.key)} is not null then ${num(i.weight)} else 0 end`);
    return `((${weighted.join(' + ')}) / nullif(${weights.join(' + ')}, 0))`;
  });
  return `array[${parts.join(', ')}]::float8[]`;
}

/** Per-respondent index: the design-weighted mean of the respondent's dimension scores, weights renormalised. */
function csiExpression(dimensions: readonly DimensionSpec[]): string {
  if (dimensions.length === 0) return 'null::float8';
  const weighted = dimensions.map((d, k) => `coalesce(${num(d.weight)} * t.dims[${k + 1}], 0)`);
  const weights = dimensions.map((d, k) => `case when t.dims[${k + 1}] is not null then ${num(d.weight)} else 0 end`);
  return `((${weighted.join(' + ')}) / nullif(${weights.join(' + ')}, 0))`;
}

/** insert … select for the finished responses of a survey matching `condition` (a trusted SQL condition on r). */
function buildStatement(surveyId: string, keys: readonly SlotKey[], layout: FactsLayout, condition: (column: string) => string, returning = '') {
  const responses = `r.survey_id = $1 and r.status = 'finished' and r.finished_at is not null and ${condition('r.id')}`;
  const empty = layout.slots.length === 0 ? `'{}'::smallint[]` : `array_fill(null::smallint, array[${layout.slots.length}])`;
  const slotOf = (key: string) => layout.slotOf(key) ?? undefined;
  // Aggregating the answers on their own (grouped by response_id) is several times faster than grouping
  // the join with responses; `offset 0` computes the dimension scores once per row, not once per use.
  return {
    text: `
      insert into analytics_response_facts (response_id, survey_id, branch_id, customer_id, rental_id, finished_at, values, dimensions, csi)
      select t.id, t.survey_id, t.branch_id, t.customer_id, t.rental_id, t.finished_at, t.v, t.dims, ${csiExpression(layout.dimensions)}
      from (
        select s.*, ${dimensionsExpression(layout.dimensions, slotOf)} as dims
        from (
          select r.id, r.survey_id, r.branch_id, r.customer_id, r.rental_id, r.finished_at, coalesce(x.v, ${empty}) as v
          from responses r
          left join (
            select a.response_id, ${valuesExpression(keys, layout.slots)} as v
            from answers a
            where a.response_id in (select r.id from responses r where ${responses})
            group by a.response_id
          ) x on x.response_id = r.id
          where ${responses}
        ) s
        offset 0
      ) t
      ${returning}`,
    params: [surveyId],
  };
}

// Two 32-bit keys for pg_advisory_*lock: this module, and the survey.
const LOCK_CLASS = 7_311_006;
const lockKey = (surveyId: string) => Number.parseInt(surveyId.replace(/-/g, '').slice(0, 8), 16) | 0;

/** A full build runs in ranges of response ids, one per core (each range scans the answers once). */
const BUILD_RANGES = 2;
const BUILD_CONCURRENCY = 2;

type Survey = Pick<SurveyContext, 'id' | 'definitions' | 'latest' | 'dimensionItems' | 'metrics'>;

/**
 * Makes the facts and the daily rollup of `survey` current and returns the facts layout. Cheap when
 * nothing changed (one query); otherwise serialised per survey by an advisory lock.
 */
export async function ensureFacts(sql: Sql, survey: Survey, options: { timeZone: string }): Promise<FactsLayout> {
  const keys = slotKeys(survey.definitions);
  const dimensions = dimensionSpecs(survey);
  const signature = JSON.stringify(dimensions);
  const daily = (layout: FactsLayout) => {
    const plan = metricPlan(survey as SurveyContext, layout);
    return { plan, signature: dailySignature(plan, options.timeZone), segments: segmentsSignature(plan, options.timeZone) };
  };
  const [state] = await sql<
    {
      slots: string[] | null;
      signature: string | null;
      daily_signature: string | null;
      segments_signature: string | null;
      driver_sets: DriverSets | null;
      dirty: boolean;
    }[]
  >`
    select s.slots, s.signature, s.daily_signature, s.segments_signature, s.driver_sets,
           exists (select 1 from analytics_dirty d left join responses r on r.id = d.response_id
                   where r.survey_id = ${survey.id} or r.id is null) as dirty
    from (select 1) one left join analytics_surveys s on s.survey_id = ${survey.id}`;
  if (state.slots && state.signature === signature && !state.dirty && keys.every((k) => state.slots!.includes(k.key))) {
    const layout = new FactsLayout(state.slots, dimensions, state.driver_sets ?? undefined);
    const rollup = daily(layout);
    if (state.daily_signature === rollup.signature && state.segments_signature === rollup.segments && state.driver_sets) return layout;
  }

  const reserved = await sql.reserve();
  try {
    await reserved`select pg_advisory_lock(${LOCK_CLASS}, ${lockKey(survey.id)})`;
    try {
      const [current] = await reserved<
        { slots: string[]; signature: string; daily_signature: string | null; segments_signature: string | null; driver_sets: DriverSets | null }[]
      >`
        select slots, signature, daily_signature, segments_signature, driver_sets from analytics_surveys where survey_id = ${survey.id}`;
      const slots = [...(current?.slots ?? []), ...keys.map((k) => k.key).filter((key) => !current?.slots.includes(key))];
      let layout = new FactsLayout(slots, dimensions, current?.driver_sets ?? undefined);
      const rollup = daily(layout);
      let rollupsCurrent = false;
      if (!current || current.signature !== signature) {
        // First use, or the dimensions changed: every respondent's scores are recomputed.
        await buildAll(sql, survey.id, keys, layout, signature);
      } else {
        if (slots.length > current.slots.length) {
          // New questions in a new version: append their slots (existing rows simply have no value there).
          await reserved`update analytics_surveys set slots = ${slots}::text[] where survey_id = ${survey.id}`;
        }
        // On the pool: the reserved connection only holds the lock (and has no transactions of its own).
        // Both rollups hold the sums of the same drivers: when one is summed anew, so is the other.
        rollupsCurrent = current.daily_signature === rollup.signature && current.segments_signature === rollup.segments && current.driver_sets !== null;
        const sets = layout.driverSets;
        await refreshDirty(sql, survey.id, keys, layout, options.timeZone, async (tx, touched) => {
          // The days the changed responses were on, before and after, in the same transaction.
          if (!rollupsCurrent) return;
          await rebuildDailyDays(tx, survey.id, rollup.plan, sets, options.timeZone, touched);
          await rebuildSegmentDays(tx, survey.id, rollup.plan, sets, options.timeZone, touched);
        });
      }
      if (rollupsCurrent) return layout;
      // New, or summed differently (a new version, another time zone): the whole rollups again, with the
      // drivers the default analysis keeps over the answers as they are now.
      const sets = await driverSetsOf(sql, survey.id, rollup.plan);
      layout = new FactsLayout(slots, dimensions, sets);
      await rebuildDaily(sql, survey.id, rollup.plan, sets, options.timeZone);
      await rebuildSegments(sql, survey.id, rollup.plan, sets, options.timeZone);
      await sql`
        update analytics_surveys set daily_signature = ${rollup.signature}, segments_signature = ${rollup.segments}, driver_sets = ${JSON.stringify(sets)}::jsonb
        where survey_id = ${survey.id}`;
      return layout;
    } finally {
      await reserved`select pg_advisory_unlock(${LOCK_CLASS}, ${lockKey(survey.id)})`;
    }
  } finally {
    reserved.release();
  }
}

/**
 * Rebuilds the facts of the responses of this survey listed as changed (and drops those of deleted or
 * unfinished ones); `after` gets the branch-days they were on before and after, in the same transaction.
 */
async function refreshDirty(
  sql: Sql,
  surveyId: string,
  keys: readonly SlotKey[],
  layout: FactsLayout,
  timeZone: string,
  after: (tx: Sql, touched: DayKey[]) => Promise<void>,
) {
  await sql.begin(async (transaction) => {
    const tx = transaction as unknown as Sql;
    const rows = await tx<{ response_id: string }[]>`
      delete from analytics_dirty d
      where d.response_id in (select d2.response_id from analytics_dirty d2 left join responses r on r.id = d2.response_id
                              where r.survey_id = ${surveyId} or r.id is null)
      returning d.response_id`;
    const ids = rows.map((r) => r.response_id);
    const touched: DayKey[] = [];
    const day = `(finished_at at time zone $3)::date::text as day`;
    for (let i = 0; i < ids.length; i += 10_000) {
      const chunk = ids.slice(i, i + 10_000);
      const before = await tx<{ branch_id: string | null; day: string }[]>`
        delete from analytics_response_facts where response_id = any(${chunk}::uuid[])
        returning branch_id, (finished_at at time zone ${timeZone})::date::text as day`;
      const statement = buildStatement(surveyId, keys, layout, (id) => `${id} = any($2::uuid[])`, `returning branch_id, ${day}`);
      const inserted = await tx.unsafe<{ branch_id: string | null; day: string }[]>(statement.text, [...statement.params, chunk, timeZone] as never[]);
      for (const row of [...before, ...inserted]) touched.push({ branchId: row.branch_id, day: row.day });
    }
    await after(tx, touched);
  });
}

/** Builds all facts of a survey, in id ranges on parallel connections; the state row is written last. */
async function buildAll(sql: Sql, surveyId: string, keys: readonly SlotKey[], layout: FactsLayout, signature: string): Promise<void> {
  // Changes committed from here on are listed again by the triggers and picked up by the next read.
  await sql`delete from analytics_dirty d using responses r where r.id = d.response_id and r.survey_id = ${surveyId}`;
  await sql`delete from analytics_surveys where survey_id = ${surveyId}`;
  await sql`delete from analytics_response_facts where survey_id = ${surveyId}`;
  await sql`delete from analytics_daily where survey_id = ${surveyId}`;
  await sql`delete from analytics_segments where survey_id = ${surveyId}`;
  const bound = (i: number) =>
    `${Math.round((i * 0x10000) / BUILD_RANGES)
      .toString(16)
      .padStart(4, '0')}0000-0000-0000-0000-000000000000`;
  const ranges = Array.from({ length: BUILD_RANGES }, (_, i) => [bound(i), i === BUILD_RANGES - 1 ? null : bound(i + 1)] as const);
  let next = 0;
  const worker = async () => {
    while (next < ranges.length) {
      const [low, high] = ranges[next++];
      const condition = (id: string) => (high === null ? `${id} >= $2::uuid` : `${id} >= $2::uuid and ${id} < $3::uuid`);
      const statement = buildStatement(surveyId, keys, layout, condition);
      // Each range hashes its answers by response: give the aggregation room, so it does not spill.
      await sql.begin(async (tx) => {
        await tx.unsafe(`set local work_mem = '256MB'; set local jit = off`);
        await tx.unsafe(statement.text, [...statement.params, low, ...(high === null ? [] : [high])] as never[]);
      });
    }
  };
  await Promise.all(Array.from({ length: BUILD_CONCURRENCY }, worker));
  await sql`
    insert into analytics_surveys (survey_id, slots, signature) values (${surveyId}, ${layout.slots as string[]}::text[], ${signature})
    on conflict (survey_id) do update set slots = excluded.slots, signature = excluded.signature, built_at = now()`;
  await sql`analyze analytics_response_facts`;
}
