// Regions from a CSV file: one region per row, checked row by row before anything is written.
import { csvRecords } from '../branches/branches.csv.ts';
import type { ProblemFieldError } from '../lib/problem.ts';
import { regionCreateSchema, type RegionCreate } from './regions.schemas.ts';

/** Accepted column names (compared without case, spaces, "_" or "-") and the field each fills. */
const COLUMNS: Record<string, keyof RegionCreate> = { code: 'code', name: 'name', namezh: 'name', nameen: 'nameEn', active: 'active' };

/** The regions of a CSV text (header row 1, first region row 2), or the faults of every bad row. */
export function regionsFromCsv(csv: string): { ok: true; regions: RegionCreate[] } | { ok: false; errors: ProblemFieldError[] } {
  const parsed = csvRecords(csv, COLUMNS, ['code', 'name'], regionCreateSchema);
  return parsed.ok ? { ok: true, regions: parsed.records } : parsed;
}
