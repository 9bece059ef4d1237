// The one CSV writer of the dashboards: what a chart or table shows, as a file Excel opens correctly.
// UTF-8 with a byte-order mark (Excel then reads Chinese text as UTF-8), CRLF line ends, and text cells
// that would start a formula (= + - @, tab, carriage return) prefixed with an apostrophe, as the API's
// export does (papaparse `escapeFormulae`). Numbers are written as numbers, never escaped.

export const CSV_BOM = '\uFEFF';
const FORMULA_START = /^[=+\-@\t\r]/;

export type CsvValue = string | number | boolean | null | undefined;

/** One cell: empty for missing values, the number itself for finite numbers, escaped and quoted text otherwise. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  let text = value;
  let quote = false;
  if (FORMULA_START.test(text)) {
    text = `'${text}`;
    quote = true;
  }
  if (quote || /[",\r\n]/.test(text) || text.startsWith(' ') || text.endsWith(' ')) {
    return `"${text.replace(/"/g, '""')}"`;
  }
  return text;
}

/** The whole file as text: BOM, header row, data rows, each line ended by CRLF. */
export function toCsv(header: string[], rows: CsvValue[][]): string {
  return CSV_BOM + [header, ...rows].map((row) => row.map(csvCell).join(',') + '\r\n').join('');
}

/** A safe file name: letters, digits, CJK, dot, dash and underscore. */
export function csvFileName(base: string): string {
  const safe = base.replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^-+|-+$/g, '') || 'export';
  return safe.endsWith('.csv') ? safe : `${safe}.csv`;
}

/** Starts the browser download of the rows as a CSV file. */
export function downloadCsv(fileName: string, header: string[], rows: CsvValue[][]): void {
  const blob = new Blob([toCsv(header, rows)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = csvFileName(fileName);
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
