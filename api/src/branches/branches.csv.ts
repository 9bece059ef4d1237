// Branches (and regions, api/src/regions/regions.csv.ts) from a CSV file: one record per row, checked row by
// row before anything is written.
import Papa from 'papaparse';
import type { z } from '@hono/zod-openapi';
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from '../lib/input-text.ts';
import type { ProblemFieldError } from '../lib/problem.ts';
import { branchCreateSchema, type BranchCreate } from './branches.schemas.ts';

/** Accepted column names (compared without case, spaces, "_" or "-") and the field each fills. */
const COLUMNS: Record<string, keyof BranchCreate> = {
  code: 'code',
  name: 'name',
  namezh: 'name',
  nameen: 'nameEn',
  city: 'city',
  region: 'region',
  timezone: 'timeZone',
  active: 'active',
};
const REQUIRED: (keyof BranchCreate)[] = ['code', 'name', 'city', 'region'];

const normalize = (header: string) =>
  header
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[\s_-]/g, '');

function parseActive(value: string): boolean | string {
  const v = value.trim().toLowerCase();
  if (['', 'true', 'yes', '1', 'y', '是'].includes(v)) return true;
  if (['false', 'no', '0', 'n', '否'].includes(v)) return false;
  return value;
}

/**
 * The records of a CSV text checked by `schema`, or the faults of every bad row. Row numbers count the
 * file's lines as a spreadsheet shows them: the header is row 1, the first record row 2. Codes must be
 * unique within the file; an `active` column takes true/false, yes/no, 1/0, 是/否.
 */
export function csvRecords<T extends { code: string }>(
  csv: string,
  columns: Record<string, string>,
  required: string[],
  schema: z.ZodType<T>,
): { ok: true; records: T[] } | { ok: false; errors: ProblemFieldError[] } {
  const parsed = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy' });
  const [header, ...rows] = parsed.data;
  if (!header) return { ok: false, errors: [{ path: 'row 1', row: 1, code: 'empty_file', message: 'the file has no header row' }] };
  const fields = header.map((h) => columns[normalize(h)]);
  const missing = required.filter((f) => !fields.includes(f));
  if (missing.length > 0) {
    return { ok: false, errors: [{ path: 'row 1', row: 1, code: 'missing_columns', message: `missing columns: ${missing.join(', ')}` }] };
  }
  const errors: ProblemFieldError[] = [];
  const records: T[] = [];
  const seen = new Map<string, number>();
  rows.forEach((record, i) => {
    const row = i + 2;
    const raw: Record<string, unknown> = {};
    // The body is read as text, not through the validation hook: the input rule applies to each cell here.
    const unstorable = fields.filter((field, col) => field && !isStorableText(record[col] ?? ''));
    if (unstorable.length > 0) {
      for (const column of unstorable)
        errors.push({ path: `row ${row}.${column}`, row, code: 'unstorable_text', message: `${column}: ${UNSTORABLE_TEXT_MESSAGE}` });
      return;
    }
    fields.forEach((field, col) => {
      const value = (record[col] ?? '').trim();
      if (!field) return;
      if (field === 'active') raw.active = parseActive(value);
      else if (value !== '') raw[field] = value;
    });
    const result = schema.safeParse(raw);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const column = String(issue.path[0] ?? '');
        errors.push({ path: `row ${row}${column ? `.${column}` : ''}`, row, code: 'invalid_value', message: `${column || 'row'}: ${issue.message}` });
      }
      return;
    }
    const first = seen.get(result.data.code);
    if (first !== undefined) {
      errors.push({ path: `row ${row}.code`, row, code: 'duplicate_code', message: `code "${result.data.code}" is also on row ${first}` });
      return;
    }
    seen.set(result.data.code, row);
    records.push(result.data);
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, records };
}

/** The branches of a CSV text, or the faults of every bad row (see csvRecords). */
export function branchesFromCsv(csv: string): { ok: true; branches: BranchCreate[] } | { ok: false; errors: ProblemFieldError[] } {
  const parsed = csvRecords(csv, COLUMNS, REQUIRED, branchCreateSchema);
  return parsed.ok ? { ok: true, branches: parsed.records } : parsed;
}
