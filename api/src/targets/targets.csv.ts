// Targets from a CSV file: metric, level, scope, period, target; every row checked (scope codes against the
// regions and branches) before anything is written.
import Papa from 'papaparse';
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from '../lib/input-text.ts';
import type { ProblemFieldError } from '../lib/problem.ts';
import { targetInputSchema, type TargetInput } from './targets.schemas.ts';

const COLUMNS: Record<string, keyof TargetInput> = {
  metric: 'metric',
  level: 'level',
  scope: 'scope',
  code: 'scope',
  period: 'period',
  target: 'value',
  value: 'value',
};
const REQUIRED: (keyof TargetInput)[] = ['metric', 'level', 'period', 'value'];
const normalize = (h: string) =>
  h
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[\s_-]/g, '');

export function targetsFromCsv(
  csv: string,
  known: { regions: Set<string>; branches: Set<string> },
): { ok: true; targets: TargetInput[] } | { ok: false; errors: ProblemFieldError[] } {
  const parsed = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy' });
  const [header, ...rows] = parsed.data;
  if (!header) return { ok: false, errors: [{ path: 'row 1', row: 1, code: 'empty_file', message: 'the file has no header row' }] };
  const fields = header.map((h) => COLUMNS[normalize(h)]);
  const missing = REQUIRED.filter((f) => !fields.includes(f));
  if (missing.length > 0) return { ok: false, errors: [{ path: 'row 1', row: 1, code: 'missing_columns', message: `missing columns: ${missing.join(', ')}` }] };
  const errors: ProblemFieldError[] = [];
  const targets: TargetInput[] = [];
  const seen = new Map<string, number>();
  rows.forEach((record, i) => {
    const row = i + 2;
    const raw: Record<string, unknown> = {};
    for (const [col, field] of fields.entries()) {
      if (!field) continue;
      const value = (record[col] ?? '').trim();
      if (!isStorableText(value)) {
        errors.push({ path: `row ${row}.${field}`, row, code: 'unstorable_text', message: `${field}: ${UNSTORABLE_TEXT_MESSAGE}` });
        return;
      }
      if (field === 'value') raw.value = value === '' ? undefined : Number(value.replace(',', '.'));
      else if (value !== '') raw[field] = value;
    }
    const result = targetInputSchema.safeParse(raw);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const column = String(issue.path[0] ?? '');
        errors.push({ path: `row ${row}${column ? `.${column}` : ''}`, row, code: 'invalid_value', message: `${column || 'row'}: ${issue.message}` });
      }
      return;
    }
    const t = result.data;
    if (t.level === 'region' && !known.regions.has(t.scope!)) {
      errors.push({ path: `row ${row}.scope`, row, code: 'unknown_scope', message: `scope: no region with code "${t.scope}"` });
      return;
    }
    if (t.level === 'branch' && !known.branches.has(t.scope!)) {
      errors.push({ path: `row ${row}.scope`, row, code: 'unknown_scope', message: `scope: no branch with code "${t.scope}"` });
      return;
    }
    const key = `${t.metric}|${t.level}|${t.scope ?? ''}|${t.period}`;
    const first = seen.get(key);
    if (first) {
      errors.push({ path: `row ${row}`, row, code: 'duplicate', message: `the same target as row ${first}` });
      return;
    }
    seen.set(key, row);
    targets.push({ ...t, scope: t.level === 'company' ? null : t.scope });
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, targets };
}
