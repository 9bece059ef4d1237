// Reward CSV files: a pool of codes (one `code` column) and redemptions from the rental system (code,
// redeemed_at, branch). Every row is checked before anything is written; rows are numbered as a spreadsheet
// shows them (the header is row 1).
import Papa from 'papaparse';
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from '../lib/input-text.ts';
import type { ProblemFieldError } from '../lib/problem.ts';
import { redemptionSchema, rewardCode, type Redemption } from './rewards.schemas.ts';

type Parsed<T> = { ok: true; records: { row: number; value: T }[] } | { ok: false; errors: ProblemFieldError[] };

const normalize = (header: string) =>
  header
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[\s_-]/g, '');

function table(csv: string, columns: Record<string, string>, required: string[]) {
  const parsed = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy' });
  const [header, ...rows] = parsed.data;
  if (!header) return { errors: [{ path: 'row 1', row: 1, code: 'empty_file', message: 'the file has no header row' }] };
  const fields = header.map((h) => columns[normalize(h)]);
  const missing = required.filter((f) => !fields.includes(f));
  if (missing.length > 0) return { errors: [{ path: 'row 1', row: 1, code: 'missing_columns', message: `missing columns: ${missing.join(', ')}` }] };
  const records = rows.map((cells, i) => {
    const record: Record<string, string> = {};
    fields.forEach((field, col) => {
      if (field) record[field] = (cells[col] ?? '').trim();
    });
    return { row: i + 2, record };
  });
  return { records };
}

function unstorable(row: number, record: Record<string, string>): ProblemFieldError[] {
  return Object.entries(record)
    .filter(([, v]) => !isStorableText(v))
    .map(([column]) => ({ path: `row ${row}.${column}`, row, code: 'unstorable_text', message: `${column}: ${UNSTORABLE_TEXT_MESSAGE}` }));
}

/** Codes for the pool: a `code` column (other columns are ignored); each code once in the file. */
export function codesFromCsv(csv: string): Parsed<string> {
  const t = table(csv, { code: 'code', coupon: 'code', couponcode: 'code', 券码: 'code' }, ['code']);
  if (t.errors) return { ok: false, errors: t.errors };
  const errors: ProblemFieldError[] = [];
  const records: { row: number; value: string }[] = [];
  const seen = new Map<string, number>();
  for (const { row, record } of t.records) {
    const bad = unstorable(row, record);
    if (bad.length > 0) {
      errors.push(...bad);
      continue;
    }
    const result = rewardCode.safeParse(record.code);
    if (!result.success) {
      errors.push({ path: `row ${row}.code`, row, code: 'invalid_code', message: `code: ${result.error.issues[0].message}` });
      continue;
    }
    const first = seen.get(result.data);
    if (first !== undefined) {
      errors.push({ path: `row ${row}.code`, row, code: 'duplicate_code', message: `code "${result.data}" is also on row ${first}` });
      continue;
    }
    seen.set(result.data, row);
    records.push({ row, value: result.data });
  }
  if (records.length === 0 && errors.length === 0) errors.push({ path: 'row 2', row: 2, code: 'no_rows', message: 'the file has no codes' });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, records };
}

/** Redemptions: code, redeemed_at (ISO 8601 with offset, or a date-time read in `timeZoneOffset`), branch. */
export function redemptionsFromCsv(csv: string): Parsed<Redemption> {
  const t = table(
    csv,
    { code: 'code', couponcode: 'code', redeemedat: 'redeemedAt', redeemed: 'redeemedAt', usedat: 'redeemedAt', branch: 'branch', branchcode: 'branch' },
    ['code', 'redeemedAt'],
  );
  if (t.errors) return { ok: false, errors: t.errors };
  const errors: ProblemFieldError[] = [];
  const records: { row: number; value: Redemption }[] = [];
  for (const { row, record } of t.records) {
    const bad = unstorable(row, record);
    if (bad.length > 0) {
      errors.push(...bad);
      continue;
    }
    const result = redemptionSchema.safeParse({ code: record.code, redeemedAt: record.redeemedAt, branch: record.branch || null });
    if (!result.success) {
      for (const issue of result.error.issues) {
        const column = String(issue.path[0] ?? '');
        errors.push({ path: `row ${row}.${column}`, row, code: column === 'code' ? 'invalid_code' : 'invalid_value', message: `${column}: ${issue.message}` });
      }
      continue;
    }
    records.push({ row, value: result.data });
  }
  if (records.length === 0 && errors.length === 0) errors.push({ path: 'row 2', row: 2, code: 'no_rows', message: 'the file has no redemptions' });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, records };
}
