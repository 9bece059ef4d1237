// POST /api/responses/import: finished responses from an earlier survey tool, as CSV, streamed through
// papaparse (the file is never held in memory). Columns map to a published version's question ids;
// every row is checked like a submitted answer; good rows are written in batches, each response with
// its answers in one transaction, and bad rows are reported by row number (the header is row 1).
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import type { Sql } from '../db/client.ts';
import { ProblemError, badRequest, notFound } from '../lib/problem.ts';
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from '../lib/input-text.ts';
import { zoneOffsetMs } from '../lib/time-zone.ts';
import { SUPPORTED_LOCALES, allQuestions, toAnswerRows, validateAnswers, type Question, type SurveyDefinition } from '@rs/survey-definition';
import type { ImportQuery } from './import.schemas.ts';

/** Columns that are not answers. */
const META_COLUMNS = ['finished_at', 'branch', 'rental', 'customer', 'locale'] as const;
type MetaColumn = (typeof META_COLUMNS)[number];
const BATCH = 500;
/** Rejected rows listed in the report (all are counted). */
const MAX_REPORTED = 1000;

export interface RowError {
  row: number;
  errors: { path: string; message: string }[];
}

type Target = { kind: 'meta'; name: MetaColumn } | { kind: 'answer'; question: Question; itemId: string | null; part: 'value' | 'other' };

/** What each CSV column feeds: a meta column, an answer, a matrix item or an "other" text. */
function targetsOf(header: string[], definition: SurveyDefinition, mapping: Record<string, string>): Target[] {
  const questions = new Map(allQuestions(definition).map((q) => [q.id, q]));
  const unknown: string[] = [];
  const targets = header.map((raw): Target | null => {
    const name = (mapping[raw] ?? raw).trim();
    if ((META_COLUMNS as readonly string[]).includes(name)) return { kind: 'meta', name: name as MetaColumn };
    const [questionId, rest] = name.split('.', 2);
    const question = questions.get(questionId);
    if (!question) {
      unknown.push(raw);
      return null;
    }
    if (rest === undefined) return question.type === 'matrix' ? (unknown.push(raw), null) : { kind: 'answer', question, itemId: null, part: 'value' };
    if (rest === 'other' && 'other' in question && question.other) return { kind: 'answer', question, itemId: null, part: 'other' };
    if (question.type === 'matrix' && question.items.some((i) => i.id === rest)) return { kind: 'answer', question, itemId: rest, part: 'value' };
    unknown.push(raw);
    return null;
  });
  const errors = unknown.map((column) => ({
    path: column,
    message: 'not a question id of this version (matrix items as question.item, "other" texts as question.other)',
  }));
  if (!targets.some((t) => t?.kind === 'meta' && t.name === 'finished_at')) errors.push({ path: 'finished_at', message: 'the finished_at column is required' });
  const seen = new Set<string>();
  targets.forEach((t, i) => {
    const id = t === null ? null : t.kind === 'meta' ? t.name : `${t.question.id}.${t.itemId ?? ''}.${t.part}`;
    if (id && seen.has(id)) errors.push({ path: header[i], message: 'two columns map to the same target' });
    if (id) seen.add(id);
  });
  if (errors.length > 0) throw badRequest('The CSV columns do not match the survey version', errors);
  return targets as Target[];
}

const splitChoices = (value: string) =>
  value
    .split(/[|;]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** A cell's text as the answer value of its question (validated afterwards like a submitted answer). */
function cellValue(question: Question, cell: string): unknown {
  switch (question.type) {
    case 'nps':
    case 'csat':
    case 'rating':
    case 'matrix': {
      const n = Number(cell);
      return Number.isFinite(n) && /^-?\d+(\.\d+)?$/.test(cell) ? n : cell;
    }
    case 'single':
      return { choice: cell };
    case 'multi':
    case 'problems':
      return { choices: splitChoices(cell) };
    case 'text':
      return cell;
  }
}

/** ISO with offset as is; "YYYY-MM-DD[ HH:mm[:ss]]" as wall time in the company time zone. */
export function parseFinishedAt(value: string, timeZone: string): Date | null {
  const text = value.trim();
  if (/[zZ]|[+-]\d\d:?\d\d$/.test(text)) {
    const t = Date.parse(text);
    return Number.isNaN(t) ? null : new Date(t);
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (!m) return null;
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  const check = new Date(wall);
  if (check.getUTCMonth() !== +m[2] - 1 || check.getUTCDate() !== +m[3]) return null;
  let utc = wall - zoneOffsetMs(wall, timeZone);
  utc = wall - zoneOffsetMs(utc, timeZone); // once more, in case the first guess crossed a DST change
  return new Date(utc);
}

interface GoodRow {
  row: number;
  finishedAt: Date;
  branchId: string | null;
  customerId: string | null;
  rentalId: string | null;
  locale: string;
  answers: ReturnType<typeof toAnswerRows>;
}

export async function importResponses(sql: Sql, body: ReadableStream<Uint8Array> | null, query: ImportQuery, options: { timeZone: string; now: Date }) {
  const [version] = query.version
    ? await sql<{ id: string; version: number; definition: SurveyDefinition }[]>`
        select id, version, definition from survey_versions where survey_id = ${query.survey} and version = ${query.version}`
    : await sql<{ id: string; version: number; definition: SurveyDefinition }[]>`
        select id, version, definition from survey_versions where survey_id = ${query.survey} order by version desc limit 1`;
  if (!version) throw notFound(query.version ? 'No such version of this survey' : 'No published version of this survey');
  if (!body) throw badRequest('Send the CSV file as the request body (text/csv)');
  let mapping: Record<string, string> = {};
  if (query.mapping) {
    try {
      mapping = JSON.parse(query.mapping) as Record<string, string>;
      if (typeof mapping !== 'object' || mapping === null || Object.values(mapping).some((v) => typeof v !== 'string')) throw new Error();
    } catch {
      throw badRequest('Invalid query', [{ path: 'mapping', message: 'a JSON object from CSV column to question id or meta column' }]);
    }
  }
  const definition = version.definition;
  const branches = new Map((await sql<{ id: string; code: string }[]>`select id, code from branches`).map((b) => [b.code, b.id]));

  const rejected: RowError[] = [];
  let rejectedCount = 0;
  let imported = 0;
  let rows = 0;
  const reject = (row: number, errors: RowError['errors']) => {
    rejectedCount++;
    if (rejected.length < MAX_REPORTED) rejected.push({ row, errors });
  };
  const seenRentals = new Set<string>();

  let pending: { row: number; cells: Record<MetaColumn, string | undefined>; answers: Record<string, unknown> }[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    const good = await resolveBatch(sql, query.survey, batch, options, reject, seenRentals);
    const rowsToWrite = good.map((g) => ({ ...g, locale: g.locale || definition.defaultLocale }));
    if (query.dryRun) {
      imported += rowsToWrite.length;
      return;
    }
    imported += await writeBatch(sql, query.survey, version.id, rowsToWrite, reject);
  };

  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { header: false, skipEmptyLines: 'greedy' });
  const source = Readable.fromWeb(body as never);
  // A body refused while streaming (over the size limit, client gone) ends the parse with that error.
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);
  let targets: Target[] | null = null;
  let header: string[] = [];
  for await (const record of parser as AsyncIterable<string[]>) {
    rows++;
    if (!targets) {
      header = record.map((h, i) => (i === 0 ? h.replace(/^\uFEFF/, '') : h).trim());
      targets = targetsOf(header, definition, mapping);
      continue;
    }
    const row = rows; // the header is row 1
    if (record.length !== header.length) {
      reject(row, [{ path: 'row', message: `${record.length} cells where the header has ${header.length}` }]);
      continue;
    }
    // Text PostgreSQL cannot store (NUL, lone surrogates) rejects the row, naming the columns.
    const unstorable = record.flatMap((cell, i) => (isStorableText(cell) ? [] : [{ path: header[i] || `column ${i + 1}`, message: UNSTORABLE_TEXT_MESSAGE }]));
    if (unstorable.length > 0) {
      reject(row, unstorable);
      continue;
    }
    const cells: Record<string, string | undefined> = {};
    const answers: Record<string, unknown> = {};
    const others: Record<string, string> = {};
    targets.forEach((target, i) => {
      const cell = record[i].trim();
      if (cell === '') return;
      if (target.kind === 'meta') cells[target.name] = cell;
      else if (target.part === 'other') others[target.question.id] = cell;
      else if (target.itemId)
        answers[target.question.id] = { ...((answers[target.question.id] as object) ?? {}), [target.itemId]: cellValue(target.question, cell) };
      else answers[target.question.id] = cellValue(target.question, cell);
    });
    for (const [questionId, text] of Object.entries(others)) {
      const value = answers[questionId];
      if (value && typeof value === 'object') (value as Record<string, unknown>).other = text;
    }
    const errors: RowError['errors'] = [];
    for (const fault of validateAnswers(definition, answers, { final: false })) {
      errors.push({ path: fault.itemId ? `${fault.questionId}.${fault.itemId}` : fault.questionId, message: fault.message.en });
    }
    if (Object.keys(answers).length === 0) errors.push({ path: 'row', message: 'no answers' });
    if (cells.locale && !(SUPPORTED_LOCALES as readonly string[]).includes(cells.locale)) {
      errors.push({ path: 'locale', message: `one of ${SUPPORTED_LOCALES.join(', ')}` });
    }
    if (cells.branch && !branches.has(cells.branch)) errors.push({ path: 'branch', message: `no branch with code "${cells.branch}"` });
    if (errors.length > 0) {
      reject(row, errors);
      continue;
    }
    pending.push({ row, cells: cells as Record<MetaColumn, string | undefined>, answers });
    if (pending.length >= BATCH) await flush();
  }
  if (!targets) throw badRequest('The CSV file is empty');
  await flush();

  return {
    survey: query.survey,
    version: version.version,
    dryRun: query.dryRun,
    rows: Math.max(0, rows - 1),
    imported,
    rejected: rejectedCount,
    errors: rejected,
  };

  /** Looks up rentals and customers of a batch and checks the rows against the database. */
  async function resolveBatch(
    db: Sql,
    surveyId: string,
    batch: typeof pending,
    opts: { timeZone: string; now: Date },
    onReject: typeof reject,
    seen: Set<string>,
  ): Promise<GoodRow[]> {
    const rentalCodes = [...new Set(batch.map((b) => b.cells.rental).filter((v): v is string => !!v))];
    const customerCodes = [...new Set(batch.map((b) => b.cells.customer).filter((v): v is string => !!v))];
    const [rentalRows, customerRows] = await Promise.all([
      rentalCodes.length === 0
        ? []
        : db<{ external_id: string; id: string; customer_id: string; pickup_branch_id: string; answered: boolean }[]>`
            select x.external_id, x.id, x.customer_id, x.pickup_branch_id,
                   exists (select 1 from responses r where r.rental_id = x.id and r.survey_id = ${surveyId}) as answered
            from rentals x where x.external_id = any(${rentalCodes}::text[])`,
      customerCodes.length === 0
        ? []
        : db<{ external_id: string; id: string }[]>`select external_id, id from customers where external_id = any(${customerCodes}::text[])`,
    ]);
    const rentalsByCode = new Map(rentalRows.map((r) => [r.external_id, r]));
    const customersByCode = new Map(customerRows.map((c) => [c.external_id, c.id]));
    const good: GoodRow[] = [];
    for (const item of batch) {
      const errors: RowError['errors'] = [];
      const finishedAt = item.cells.finished_at ? parseFinishedAt(item.cells.finished_at, opts.timeZone) : null;
      if (!finishedAt) errors.push({ path: 'finished_at', message: 'a date-time: ISO 8601 with offset, or "YYYY-MM-DD HH:mm" in the company time zone' });
      else if (finishedAt.getTime() > opts.now.getTime()) errors.push({ path: 'finished_at', message: 'in the future' });
      const rental = item.cells.rental ? rentalsByCode.get(item.cells.rental) : undefined;
      if (item.cells.rental && !rental) errors.push({ path: 'rental', message: `no rental with external id "${item.cells.rental}"` });
      if (rental?.answered || (rental && seen.has(rental.id))) errors.push({ path: 'rental', message: 'this rental already has a response to this survey' });
      const customerId = item.cells.customer ? customersByCode.get(item.cells.customer) : undefined;
      if (item.cells.customer && !customerId) errors.push({ path: 'customer', message: `no customer with external id "${item.cells.customer}"` });
      if (rental && customerId && rental.customer_id !== customerId) errors.push({ path: 'customer', message: "not the rental's customer" });
      if (errors.length > 0) {
        onReject(item.row, errors);
        continue;
      }
      if (rental) seen.add(rental.id);
      good.push({
        row: item.row,
        finishedAt: finishedAt!,
        branchId: (item.cells.branch ? branches.get(item.cells.branch) : undefined) ?? rental?.pickup_branch_id ?? null,
        customerId: customerId ?? rental?.customer_id ?? null,
        rentalId: rental?.id ?? null,
        locale: item.cells.locale ?? '',
        answers: toAnswerRows(definition, item.answers),
      });
    }
    return good;
  }
}

/** Writes a batch in one transaction; if that fails, row by row, so one bad row never drops the others. */
async function writeBatch(
  sql: Sql,
  surveyId: string,
  versionId: string,
  rows: GoodRow[],
  reject: (row: number, errors: RowError['errors']) => void,
): Promise<number> {
  const write = async (tx: Sql, batch: GoodRow[]) => {
    // Ids made here, so each answer row names its response without relying on the order of RETURNING.
    const ids = batch.map(() => randomUUID());
    await tx`
      insert into responses ${tx(
        batch.map((r, i) => ({
          id: ids[i],
          survey_id: surveyId,
          survey_version_id: versionId,
          branch_id: r.branchId,
          customer_id: r.customerId,
          rental_id: r.rentalId,
          locale: r.locale,
          status: 'finished',
          source: 'import',
          // ISO strings: the shared client's date serialisers are drizzle's (they take strings).
          started_at: r.finishedAt.toISOString(),
          finished_at: r.finishedAt.toISOString(),
          updated_at: r.finishedAt.toISOString(),
        })),
      )}`;
    const answerRows = batch.flatMap((r, i) =>
      r.answers.map((a) => ({
        response_id: ids[i],
        question_id: a.questionId,
        item_id: a.itemId,
        value_number: a.valueNumber,
        choice_ids: a.choiceIds,
        value_text: a.valueText,
      })),
    );
    for (let i = 0; i < answerRows.length; i += 5000) await tx`insert into answers ${tx(answerRows.slice(i, i + 5000))}`;
  };
  try {
    await sql.begin((tx) => write(tx as unknown as Sql, rows));
    return rows.length;
  } catch {
    let written = 0;
    for (const row of rows) {
      try {
        await sql.begin((tx) => write(tx as unknown as Sql, [row]));
        written++;
      } catch (error) {
        reject(row.row, [{ path: 'row', message: error instanceof ProblemError ? error.message : `could not be stored: ${(error as Error).message}` }]);
      }
    }
    return written;
  }
}
