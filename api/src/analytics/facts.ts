// The per-response rollup (analytics_response_facts, see db/schema.ts): one row per finished response
// with its numeric answers in slots, so the analytics queries scan one narrow row per response instead
// of one row per answer. Kept up to date here, before each read: responses listed in analytics_dirty by
// the triggers are rebuilt; a survey seen for the first time is built in full.
import type { Sql } from '../db/client.ts';
import { ID_PATTERN, allQuestions, type SurveyDefinition } from '../surveys/definition/index.ts';
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

/** Slot positions (1-based, as in SQL arrays) by key. */
export class FactsLayout {
  private readonly positions: Map<string, number>;
  constructor(readonly slots: readonly string[]) {
    this.positions = new Map(slots.map((key, i) => [key, i + 1]));
  }
  slotOf(questionId: string, itemId: string | null = null): number | null {
    return this.positions.get(itemId ? `${questionId}.${itemId}` : questionId) ?? null;
  }
  /** SQL for the answer in a slot as float8 (`null` when the survey never had that question). */
  column(alias: string, questionId: string, itemId: string | null = null): string {
    const slot = this.slotOf(questionId, itemId);
    return slot === null ? 'null::float8' : `${alias}.values[${slot}]::float8`;
  }
}

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

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

/** insert … select for the finished responses of a survey matching `condition` (a trusted SQL condition on r). */
function buildStatement(surveyId: string, keys: readonly SlotKey[], slots: readonly string[], condition: string) {
  return {
    text: `
      insert into analytics_response_facts (response_id, survey_id, branch_id, customer_id, rental_id, finished_at, values)
      select r.id, r.survey_id, r.branch_id, r.customer_id, r.rental_id, r.finished_at, ${valuesExpression(keys, slots)}
      from responses r left join answers a on a.response_id = r.id
      where r.survey_id = $1 and r.status = 'finished' and r.finished_at is not null and ${condition}
      group by r.id`,
    params: [surveyId],
  };
}

// Two 32-bit keys for pg_advisory_*lock: this module, and the survey.
const LOCK_CLASS = 7_311_006;
const lockKey = (surveyId: string) => Number.parseInt(surveyId.replace(/-/g, '').slice(0, 8), 16) | 0;

/** Splits a full build into ranges of response ids run two at a time (the build is CPU bound). */
const BUILD_RANGES = 8;
const BUILD_CONCURRENCY = 2;

/**
 * Makes the facts of `survey` current and returns their layout. Cheap when nothing changed (two index
 * look-ups); otherwise serialised per survey by an advisory lock.
 */
export async function ensureFacts(sql: Sql, survey: Pick<SurveyContext, 'id' | 'definitions'>): Promise<FactsLayout> {
  const keys = slotKeys(survey.definitions);
  const [state] = await sql<{ slots: string[] | null; dirty: boolean }[]>`
    select (select slots from analytics_surveys where survey_id = ${survey.id}) as slots,
           exists (select 1 from analytics_dirty d left join responses r on r.id = d.response_id
                   where r.survey_id = ${survey.id} or r.id is null) as dirty`;
  if (state.slots && !state.dirty && keys.every((k) => state.slots!.includes(k.key))) return new FactsLayout(state.slots);

  const reserved = await sql.reserve();
  try {
    await reserved`select pg_advisory_lock(${LOCK_CLASS}, ${lockKey(survey.id)})`;
    try {
      const [current] = await reserved<{ slots: string[] }[]>`select slots from analytics_surveys where survey_id = ${survey.id}`;
      if (!current) return await buildAll(sql, survey.id, keys);
      const slots = [...current.slots, ...keys.map((k) => k.key).filter((key) => !current.slots.includes(key))];
      if (slots.length > current.slots.length) {
        // New questions in a new version: append their slots (existing rows simply have no value there).
        await reserved`update analytics_surveys set slots = ${slots}::text[] where survey_id = ${survey.id}`;
      }
      await refreshDirty(reserved, survey.id, keys, slots);
      return new FactsLayout(slots);
    } finally {
      await reserved`select pg_advisory_unlock(${LOCK_CLASS}, ${lockKey(survey.id)})`;
    }
  } finally {
    reserved.release();
  }
}

/** Rebuilds the rows of the responses of this survey listed as changed (and forgets deleted ones). */
async function refreshDirty(sql: Sql, surveyId: string, keys: readonly SlotKey[], slots: readonly string[]) {
  await sql.begin(async (tx) => {
    const rows = await tx<{ response_id: string }[]>`
      delete from analytics_dirty d
      where d.response_id in (select d2.response_id from analytics_dirty d2 left join responses r on r.id = d2.response_id
                              where r.survey_id = ${surveyId} or r.id is null)
      returning d.response_id`;
    const ids = rows.map((r) => r.response_id);
    for (let i = 0; i < ids.length; i += 10_000) {
      const chunk = ids.slice(i, i + 10_000);
      await tx`delete from analytics_response_facts where response_id = any(${chunk}::uuid[])`;
      const statement = buildStatement(surveyId, keys, slots, 'r.id = any($2::uuid[])');
      await tx.unsafe(statement.text, [...statement.params, chunk] as never[]);
    }
  });
}

/** First build of a survey's facts, in id ranges on parallel connections; the state row is written last. */
async function buildAll(sql: Sql, surveyId: string, keys: readonly SlotKey[]): Promise<FactsLayout> {
  const slots = keys.map((k) => k.key);
  // Changes committed from here on are listed again by the triggers and picked up by the next read.
  await sql`
    delete from analytics_dirty d using responses r where r.id = d.response_id and r.survey_id = ${surveyId}`;
  await sql`delete from analytics_response_facts where survey_id = ${surveyId}`;
  const bounds = Array.from({ length: BUILD_RANGES + 1 }, (_, i) =>
    i === BUILD_RANGES ? null : `${Math.round((i * 0x10000) / BUILD_RANGES).toString(16).padStart(4, '0')}0000-0000-0000-0000-000000000000`,
  );
  const ranges = Array.from({ length: BUILD_RANGES }, (_, i) => [bounds[i]!, bounds[i + 1]] as const);
  let next = 0;
  const worker = async () => {
    while (next < ranges.length) {
      const [low, high] = ranges[next++];
      const condition = high === null ? `r.id >= $2::uuid` : `r.id >= $2::uuid and r.id < $3::uuid`;
      const statement = buildStatement(surveyId, keys, slots, condition);
      await sql.begin(async (tx) => {
        await tx`set local work_mem = '64MB'`;
        await tx.unsafe(statement.text, [...statement.params, low, ...(high === null ? [] : [high])] as never[]);
      });
    }
  };
  await Promise.all(Array.from({ length: BUILD_CONCURRENCY }, worker));
  await sql`
    insert into analytics_surveys (survey_id, slots) values (${surveyId}, ${slots}::text[])
    on conflict (survey_id) do update set slots = excluded.slots, built_at = now()`;
  await sql`analyze analytics_response_facts`;
  return new FactsLayout(slots);
}
